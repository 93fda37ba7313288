"""Which open partner actions a meeting should hear about: the overdue ones and the ones due soon.

"Due soon" is defined once, here, so the presentation, the board pack and any later page agree:
an open action that is not overdue and falls due by the board's next meeting when one is recorded,
otherwise within DUE_SOON_DAYS of the date viewed.  The board asks "what will be late by the time we
next meet?", and a recorded next meeting answers that better than a fixed window; without one, four
weeks is the usual gap between a quarterly board and the officers' group that prepares it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from domain.rag import is_overdue
from domain.vocabulary import CLOSED_ACTION_STATUSES

DUE_SOON_DAYS = 28


def due_soon_until(as_at: date, meeting_dates: Iterable[date]) -> date:
    """The last day an action can fall due and still count as due soon, seen on ``as_at``.

    The first recorded meeting after ``as_at`` (a meeting on ``as_at`` itself is the one being held),
    else ``as_at`` plus DUE_SOON_DAYS.
    """
    later = [meeting for meeting in meeting_dates if meeting > as_at]
    return min(later) if later else as_at + timedelta(days=DUE_SOON_DAYS)


def is_due_soon(status: str, due_date: date | None, as_at: date, until: date) -> bool:
    """True for an open action, not overdue on ``as_at``, due on or before ``until`` (due_soon_until).

    An action due today is due soon, not overdue; one without a due date is never due soon.
    """
    if status in CLOSED_ACTION_STATUSES or due_date is None or is_overdue(status, due_date, as_at):
        return False
    return due_date <= until
