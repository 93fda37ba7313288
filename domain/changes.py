"""What changed between two dates (usually two board meetings): the rules, on plain DataFrames.

The data layer reads the figures as at each date (data_access.views.changes_view); these functions
decide which of them count as a change, so the page and the board pack list the same things.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd

from domain.formatting import format_date
from domain.rag import is_overdue
from domain.vocabulary import CLOSED_ACTION_STATUSES, ActionStatus

RATED_COLUMNS = ["rating", "reason"]


class ChangePeriodError(ValueError):
    """Two dates that cannot be compared, with a message a user can act on."""


def check_period(since: dt.date, until: dt.date) -> None:
    """Refuse a comparison that runs backwards: "from" must not be after "to"."""
    if since > until:
        raise ChangePeriodError(
            f"The first date ({format_date(since)}) is after the second ({format_date(until)}): "
            "choose an earlier date to compare from."
        )


def _blank_as_none(value):
    """A blank as None: a missing value read from a frame may be NaN, which is truthy and not a rating."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def rating_changes(
    before: pd.DataFrame,
    after: pd.DataFrame,
    keys: Sequence[str],
    details: Sequence[str] = (),
    *,
    one_sided: bool,
) -> pd.DataFrame:
    """The rows whose rating differs between two frames of the same things at two dates.

    Both frames have the ``keys`` columns (unique in each frame), the ``details`` columns (names and the
    like, taken from ``after`` where the row is there and the detail is not blank, else from ``before``),
    and rating and reason.  With ``one_sided`` a row present at only one date is a change too, its
    missing side None; without, only rows present at both dates are compared.  Columns: keys, details,
    rag_before, reason_before, rag_after, reason_after (blanks as None); in the order of ``after``, then
    rows found only in ``before``.

    Row by row rather than with a merge: the frames are a page's priorities or the indicators whose
    rating moved, and a merge's fixed cost was most of a changes page's comparing.
    """
    keys, details = list(keys), list(details)
    columns = [*keys, *details, *RATED_COLUMNS]
    key_count, detail_end = len(keys), len(keys) + len(details)

    def rows_of(frame: pd.DataFrame) -> dict[tuple, tuple]:
        rows = (tuple(map(_blank_as_none, row)) for row in frame[columns].itertuples(index=False, name=None))
        return {row[:key_count]: row for row in rows}

    before_rows, after_rows = rows_of(before), rows_of(after)
    nothing = (None,) * len(columns)
    changed = []
    for key, row in after_rows.items():
        earlier = before_rows.get(key)
        if earlier is None and not one_sided:
            continue
        earlier = earlier or nothing
        if earlier[-2] != row[-2]:  # None on one side only (a priority that came into force) differs too
            shown = [now if now is not None else then for now, then in zip(row, earlier, strict=True)]
            changed.append((*key, *shown[key_count:detail_end], *earlier[-2:], *row[-2:]))
    if one_sided:
        for key, earlier in before_rows.items():
            if key not in after_rows and earlier[-2] is not None:
                changed.append((*earlier[:detail_end], *earlier[-2:], None, None))
    result_columns = [*keys, *details, "rag_before", "reason_before", "rag_after", "reason_after"]
    return pd.DataFrame(changed, columns=result_columns, dtype=object)


def completed_actions(actions: pd.DataFrame) -> pd.DataFrame:
    """Actions open at the first date and complete at the second (a cancelled one is not "completed").

    ``actions`` has columns status_before and status (as at each date, domain.vocabulary codes).
    """
    was_open = ~actions["status_before"].isin(CLOSED_ACTION_STATUSES)
    return actions[was_open & (actions["status"] == ActionStatus.COMPLETE)].reset_index(drop=True)


def newly_overdue_actions(actions: pd.DataFrame, since: dt.date, until: dt.date) -> pd.DataFrame:
    """Actions overdue at ``until`` that were not overdue at ``since`` (domain.rag.is_overdue at each).

    ``actions`` has columns status_before, status and due_date.
    """
    overdue_now = [
        is_overdue(status, due, until)
        for status, due in zip(actions["status"], actions["due_date"], strict=True)
    ]
    overdue_before = [
        is_overdue(status, due, since)
        for status, due in zip(actions["status_before"], actions["due_date"], strict=True)
    ]
    chosen = [now and not before for now, before in zip(overdue_now, overdue_before, strict=True)]
    return actions[pd.Series(chosen, index=actions.index, dtype=bool)].reset_index(drop=True)


def new_actions(actions: pd.DataFrame, since: dt.date, until: dt.date) -> pd.DataFrame:
    """Actions opened after ``since`` and on or before ``until``.

    ``actions`` has a column opened_on: the date the action was opened, else its first update's (None
    when neither is known: such an action cannot be said to be new).
    """
    opened = [day is not None and since < day <= until for day in actions["opened_on"]]
    return actions[pd.Series(opened, index=actions.index, dtype=bool)].reset_index(drop=True)
