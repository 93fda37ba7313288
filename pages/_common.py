"""What every page does with the global filters. (Dash Pages skips modules starting with "_".)"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from components.feedback import database_unavailable, page_failed
from components.filters import Filters, parse_filters
from components.tables import action_rows
from data_access import action_table, progress, queries, views
from data_access.db import DatabaseUnavailable, session_scope
from domain.formatting import format_date
from domain.vocabulary import PRODUCT_NAME  # noqa: F401  (the pages' and shell's name for it)
from web.signin import current_state

LOG = logging.getLogger(__name__)


def partnership_identity() -> queries.PartnershipIdentity | None:
    """The partnership's name from its workbook; None before one is imported or while the database is down."""
    try:
        with session_scope() as session:
            return views.reference_view(session).identity
    except DatabaseUnavailable:
        return None


def page_title(page: str) -> str:
    """The browser tab's title: "Overview – Hampshire CSSG (demo)", or the product's name without one."""
    identity = partnership_identity()
    return f"{page} – {identity.short_name if identity else PRODUCT_NAME.lower()}"


def guarded_layout(build: Callable[..., object]) -> Callable[..., object]:
    """Wrap a page's ``layout`` so a failure shows a clear message inside the header and filters.

    Dash Pages renders the layout inside its router callback: an exception there leaves the user
    an empty page and no explanation.  The traceback goes to the server log instead.
    """

    @functools.wraps(build)
    def layout(**query):
        try:
            return build(**query)
        except DatabaseUnavailable as error:
            return database_unavailable(str(error))
        except Exception:
            LOG.exception("The %s page failed for the query %r", build.__module__, query)
            return page_failed()

    return layout


def sees_restricted() -> bool:
    """Whether this request may see restricted indicators and actions: everyone in local mode (no
    users), signed-in viewers, officers and admins; never the public role or an unknown visitor."""
    return current_state().sees_restricted


def page_filters(session: Session, **query) -> tuple[Filters, dt.date]:
    """The filters in this page's query, unknown districts dropped (the shell shows the notice)."""
    return parse_filters(query, set(views.reference_view(session).district_names)), dt.date.today()


def scope_sentence(session: Session, filters: Filters, as_at: dt.date) -> str:
    """ "Whole partnership, as at 21 Nov 2026 (today)." or "Fareham and Gosport, as at 12 Sep 2024."."""
    if filters.districts:
        names = views.reference_view(session).district_names
        chosen = [names[code] for code in filters.districts]
        where = chosen[0] if len(chosen) == 1 else ", ".join(chosen[:-1]) + " and " + chosen[-1]
    else:
        where = "Whole partnership"
    today = " (today)" if as_at == dt.date.today() else ""
    return f"{where}, as at {format_date(as_at)}{today}."


# The most rows one request from an actions grid may ask for: it asks for a page at a time.
MOST_ROWS_PER_REQUEST = 500


def rows_for_grid(
    request: dict, chosen: action_table.ActionSelection, *, search: str = ""
) -> tuple[dict, str | None]:
    """The answer to a paged actions grid's getRowsRequest (components.tables.paged_actions_grid): the
    rows it asks for among ``chosen``, narrowed by ``search`` and its column filters, in its sort order,
    rated and worded as the grid shows them, with how many match in all (its getRowsResponse); and None.

    A request the table cannot answer (action_table.ActionTableError) or a database that cannot be reached
    gets no rows and a sentence saying why, for the page to show beside the grid.
    """
    start = int(request.get("startRow") or 0)
    end = min(int(request.get("endRow") or start), start + MOST_ROWS_PER_REQUEST)
    sort = [(item["colId"], item["sort"]) for item in request.get("sortModel") or []]
    try:
        with session_scope() as session:
            page = action_table.action_rows(
                session,
                chosen,
                start=start,
                end=end,
                search=search,
                column_filters=request.get("filterModel") or {},
                sort=sort,
            )
    except (DatabaseUnavailable, action_table.ActionTableError) as error:
        return {"rowData": [], "rowCount": 0}, f"The table could not be filled: {error}"
    rows = action_rows(progress.rate_actions(page.rows, chosen.as_at))
    return {"rowData": rows, "rowCount": page.matching}, None
