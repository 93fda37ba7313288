"""What changed between two dates (usually two board meetings): the rules, on plain DataFrames.

The data layer reads the figures as at each date (data_access.views.changes_view); these functions
decide which of them count as a change, so the page and the board pack list the same things.
"""

from __future__ import annotations

import datetime as dt
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


def _none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Blanks as None (a merge leaves NaN, which is truthy and not a rating)."""
    return frame.astype(object).where(frame.notna(), None)


def rating_changes(
    before: pd.DataFrame,
    after: pd.DataFrame,
    keys: Sequence[str],
    details: Sequence[str] = (),
    *,
    one_sided: bool,
) -> pd.DataFrame:
    """The rows whose rating differs between two frames of the same things at two dates.

    Both frames have the ``keys`` columns, the ``details`` columns (names and the like, taken from
    ``after`` where the row is there, else from ``before``), and rating and reason.  With ``one_sided``
    a row present at only one date is a change too, its missing side None; without, only rows present
    at both dates are compared.  Columns: keys, details, rag_before, reason_before, rag_after,
    reason_after; in the order of ``after``, then rows found only in ``before``.
    """
    keys, details = list(keys), list(details)
    columns = [*keys, *details, *RATED_COLUMNS]
    merged = (
        after[columns]
        .assign(_order=range(len(after)))
        .merge(
            before[columns].assign(_order_before=range(len(before))),
            on=keys,
            how="outer" if one_sided else "inner",
            suffixes=("_after", "_before"),
        )
    )
    merged = merged.sort_values(["_order", "_order_before"], na_position="last", kind="stable")
    result = pd.DataFrame({key: merged[key] for key in keys})
    for detail in details:
        result[detail] = merged[f"{detail}_after"].combine_first(merged[f"{detail}_before"])
    for side in ("before", "after"):
        result[f"rag_{side}"] = merged[f"rating_{side}"]
        result[f"reason_{side}"] = merged[f"reason_{side}"]
    result = _none_for_missing(result)
    # None on one side only (a priority that came into force or ended) differs from any rating.
    changed = [
        before_ != after_ for before_, after_ in zip(result["rag_before"], result["rag_after"], strict=True)
    ]
    # A Series, not a list: an empty list would select no columns rather than no rows.
    return result[pd.Series(changed, index=result.index, dtype=bool)].reset_index(drop=True)


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
