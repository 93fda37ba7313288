"""What every page does with the global filters. (Dash Pages skips modules starting with "_".)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from components.filters import Filters, parse_filters
from data_access import queries
from domain.formatting import format_date


def page_filters(session: Session, **query) -> tuple[Filters, dt.date]:
    """The filters in this page's query, unknown districts dropped (the shell shows the notice)."""
    districts = queries.list_districts(session)
    return parse_filters(query, set(districts["code"])), dt.date.today()


def scope_sentence(session: Session, filters: Filters, as_at: dt.date) -> str:
    """ "Whole partnership, as at 21 Nov 2026 (today)." or "Fareham and Gosport, as at 12 Sep 2024."."""
    if filters.districts:
        districts = queries.list_districts(session)
        names = dict(zip(districts["code"], districts["name"], strict=True))
        chosen = [names[code] for code in filters.districts]
        where = chosen[0] if len(chosen) == 1 else ", ".join(chosen[:-1]) + " and " + chosen[-1]
    else:
        where = "Whole partnership"
    today = " (today)" if as_at == dt.date.today() else ""
    return f"{where}, as at {format_date(as_at)}{today}."
