"""The rules that decide what counts as a change between two dates (domain.changes)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.changes import (
    ChangePeriodError,
    check_period,
    completed_actions,
    new_actions,
    newly_overdue_actions,
    rating_changes,
)

D = dt.date
SINCE, UNTIL = D(2025, 3, 13), D(2025, 6, 12)


def rated(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["code", "rating", "reason"]).assign(
        title=lambda f: f["code"].str.upper()
    )


def test_rating_changes_keep_only_what_changed_with_both_reasons():
    before = rated([("a", "red", "Bad."), ("b", "green", "Good."), ("gone", "amber", "Meh.")])
    after = rated([("new", "green", "Fine."), ("b", "green", "Still good."), ("a", "amber", "Better.")])

    both_sides = rating_changes(before, after, ["code"], ["title"], one_sided=True)
    assert both_sides.to_dict("records") == [
        {"code": "new", "title": "NEW", "rag_before": None, "reason_before": None, "rag_after": "green", "reason_after": "Fine."},
        {"code": "a", "title": "A", "rag_before": "red", "reason_before": "Bad.", "rag_after": "amber", "reason_after": "Better."},
        {"code": "gone", "title": "GONE", "rag_before": "amber", "reason_before": "Meh.", "rag_after": None, "reason_after": None},
    ]  # fmt: skip
    assert rating_changes(before, after, ["code"], ["title"], one_sided=False)["code"].tolist() == ["a"]


def test_rating_changes_of_empty_frames_keep_their_columns():
    empty = rated([])
    changed = rating_changes(empty, empty, ["code"], ["title"], one_sided=True)
    assert changed.empty
    assert changed.columns.tolist() == [
        "code",
        "title",
        "rag_before",
        "reason_before",
        "rag_after",
        "reason_after",
    ]


def merged_rating_changes(before, after, keys, details, *, one_sided):
    """rating_changes as it was first written, with a merge: the oracle for the row-by-row version."""
    columns = [*keys, *details, "rating", "reason"]
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
    result = result.astype(object).where(result.notna(), None)
    ratings = zip(result["rag_before"], result["rag_after"], strict=True)
    changed = [before_ != after_ for before_, after_ in ratings]
    return result[pd.Series(changed, index=result.index, dtype=bool)].reset_index(drop=True)


BLANKS = st.sampled_from([None, np.nan])


@st.composite
def rated_frames(draw):
    """A frame of things at one date: unique (code, series) keys, a title and a number that may be blank,
    a rating that may be blank, a reason."""
    keys = draw(
        st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from(["", "E1", "W2"])), unique=True)
    )
    rows = [
        (
            code,
            series,
            draw(st.one_of(BLANKS, st.sampled_from(["Title", "Teitl", "Other"]))),
            draw(st.one_of(BLANKS, st.integers(1, 15))),
            draw(st.one_of(BLANKS, st.sampled_from(["red", "amber", "green"]))),
            draw(st.one_of(BLANKS, st.sampled_from(["Worse.", "Better.", "No target."]))),
        )
        for code, series in keys
    ]
    return pd.DataFrame(rows, columns=["code", "series", "title", "number", "rating", "reason"])


@settings(max_examples=300)
@given(before=rated_frames(), after=rated_frames(), one_sided=st.booleans())
def test_rating_changes_are_those_of_the_merge(before, after, one_sided):
    keys, details = ["code", "series"], ["title", "number"]
    changed = rating_changes(before, after, keys, details, one_sided=one_sided)
    expected = merged_rating_changes(before, after, keys, details, one_sided=one_sided)
    assert changed.columns.tolist() == expected.columns.tolist()
    # As records: the merge turned a number column with blanks into floats, the same numbers.
    assert changed.to_dict("records") == expected.to_dict("records")
    assert all(value is None or value == value for value in changed.to_numpy().ravel())  # no NaN


ACTIONS = pd.DataFrame(
    [
        # ref, status_before, status, due_date, opened_on
        ("done", "on_track", "complete", D(2025, 9, 1), D(2024, 1, 1)),
        ("cancelled", "on_track", "cancelled", D(2025, 9, 1), D(2024, 1, 1)),
        ("already-done", "complete", "complete", D(2025, 1, 1), D(2024, 1, 1)),
        ("late", "at_risk", "off_track", D(2025, 5, 31), D(2024, 1, 1)),
        ("stale", "on_track", "on_track", D(2025, 3, 12), D(2024, 1, 1)),
        ("due-on-the-day", "on_track", "on_track", UNTIL, D(2024, 1, 1)),
        ("reopened", "complete", "on_track", D(2025, 1, 31), None),
        ("new", "not_started", "on_track", D(2025, 12, 1), D(2025, 4, 1)),
        ("opened-at-the-meeting", "not_started", "on_track", D(2025, 12, 1), SINCE),
        ("opened-on-the-day", "not_started", "not_started", D(2025, 12, 1), UNTIL),
    ],
    columns=["ref", "status_before", "status", "due_date", "opened_on"],
)


def test_completed_means_open_then_complete():
    assert completed_actions(ACTIONS)["ref"].tolist() == ["done"]


def test_became_overdue_means_overdue_now_and_not_then():
    # Due on the second date is not yet overdue; an action reopened after its due date is.
    assert newly_overdue_actions(ACTIONS, SINCE, UNTIL)["ref"].tolist() == ["late", "reopened"]


def test_new_means_opened_after_the_first_date_and_by_the_second():
    assert new_actions(ACTIONS, SINCE, UNTIL)["ref"].tolist() == ["new", "opened-on-the-day"]


def test_a_comparison_that_runs_backwards_is_refused():
    check_period(SINCE, SINCE)
    with pytest.raises(ChangePeriodError, match="The first date \\(12 Jun 2025\\) is after the second"):
        check_period(UNTIL, SINCE)
