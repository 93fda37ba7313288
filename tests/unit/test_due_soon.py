"""The "due soon" rule for partner actions: by the next meeting when one is recorded, else 28 days."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actions import DUE_SOON_DAYS, due_soon_until, is_due_soon

AS_AT = date(2024, 9, 12)


def test_without_a_later_meeting_due_soon_runs_28_days():
    assert DUE_SOON_DAYS == 28
    assert due_soon_until(AS_AT, []) == date(2024, 10, 10)
    # Meetings on or before the date viewed are not "next".
    assert due_soon_until(AS_AT, [date(2024, 6, 13), AS_AT]) == date(2024, 10, 10)


def test_with_later_meetings_due_soon_runs_to_the_first_of_them():
    meetings = [date(2025, 3, 13), date(2024, 11, 14), date(2024, 6, 13)]
    assert due_soon_until(AS_AT, meetings) == date(2024, 11, 14)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        ("on_track", AS_AT, True),  # due today: not yet overdue, so due soon
        ("at_risk", date(2024, 10, 10), True),  # the last day of the window
        ("not_started", date(2024, 10, 11), False),  # one day beyond it
        ("off_track", date(2024, 9, 11), False),  # overdue, not due soon
        ("complete", date(2024, 9, 20), False),  # closed
        ("cancelled", date(2024, 9, 20), False),
        ("on_track", None, False),  # no due date
    ],
)
def test_is_due_soon(status, due, expected):
    assert is_due_soon(status, due, AS_AT, due_soon_until(AS_AT, [])) is expected


def test_a_next_meeting_widens_and_narrows_the_window():
    due = date(2024, 11, 1)
    assert not is_due_soon("on_track", due, AS_AT, due_soon_until(AS_AT, []))
    assert is_due_soon("on_track", due, AS_AT, due_soon_until(AS_AT, [date(2024, 11, 14)]))
    assert not is_due_soon("on_track", date(2024, 9, 30), AS_AT, due_soon_until(AS_AT, [date(2024, 9, 20)]))
