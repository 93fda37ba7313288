"""Data freshness: whether each indicator has the data it should have by now, judged as at a date.

An indicator is expected to have a value for each period of its frequency after its latest one.
Publishers need time once a period has ended, so the value for a period is **due by** the period's last
day plus a grace that depends on the frequency (``GRACE_DAYS``).  As at a date, an indicator is:

* **on time** while the next period after its latest one is not yet past its due date (due today is
  still on time: "more than 45 days ago" makes the 45th day the last one allowed);
* **late** from the day after that due date, naming the period that is missing, the date it was due by
  and how many days late it is;
* **no data yet** when it has no value for any period that had ended by the date.

Only periods that had ended by the date count as the latest, as everywhere else in the dashboard.

The next period expected after the latest one: for months and quarters, simply the next month or
quarter.  Years may be any 12 months and rolling years arrive quarterly ("year ending June", "year
ending September", ...), so one indicator may hold overlapping years: the next year expected starts the
indicator's own spacing after its latest year, where the spacing is the months between its latest two
years (3 for rolling years published quarterly, 12 for one year after another), and 12 when it holds only
one year or the latest two are more than 12 months apart (a year was skipped, not a slower rhythm).
The latest two years say how the indicator is published now, so a series that moved from quarterly
rolling years to annual ones is judged by its annual rhythm.

Plain Python, no SQL and no dash, so the data layer, the pages and the tests all share one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from domain.formatting import format_date, plural
from domain.periods import Frequency, add_months, months_in, period_end, period_label
from domain.vocabulary import FreshnessState

MONTH_GRACE_DAYS = 45
QUARTER_GRACE_DAYS = 60
# Annual and rolling-year statistics take longest: the ONS publishes police recorded crime for community
# safety partnerships (the rolling years this dashboard is built for) about four months after each year
# ends, e.g. the year ending March 2024 on 24 July 2024 (115 days) and the year ending September 2024 on
# 30 January 2025 (122 days).  A grace of 90 days would call those indicators late for a month every
# quarter; 125 days flags a year only once its usual publication has clearly been missed.
YEAR_GRACE_DAYS = 125
GRACE_DAYS: dict[str, int] = {
    "month": MONTH_GRACE_DAYS,
    "quarter": QUARTER_GRACE_DAYS,
    "year": YEAR_GRACE_DAYS,
}

# The README's "Data freshness" rule, kept here so a test can hold the two in step.
FRESHNESS_RULE_TEXT = (
    "An indicator is late when it has no value for the period after its latest one and that period ended "
    f"more than a grace ago: {MONTH_GRACE_DAYS} days for a month, {QUARTER_GRACE_DAYS} for a quarter, "
    f"{YEAR_GRACE_DAYS} for a year. "
    "A value is therefore due by its period's last day plus the grace: on that day it is still on time, "
    "from the next it is late. "
    "After a year, the next year expected starts as many months later as the indicator's latest two years "
    "are apart (3 for rolling years published every quarter), or 12 months later when it has only one "
    "year or the two are more than 12 months apart. "
    "An indicator with no value for any period ended by the date has no data yet."
)


@dataclass(frozen=True)
class Freshness:
    """An indicator's freshness as at a date.

    ``latest_start``: its latest period with a value (None: no data yet). ``expected_start``: the period
    expected next, ``due_by``: the date its value is due by (both None without data). ``days_late``:
    days since ``due_by`` when late, else 0.
    """

    state: FreshnessState
    latest_start: date | None
    expected_start: date | None
    due_by: date | None
    days_late: int

    @property
    def is_late(self) -> bool:
        return self.state is FreshnessState.LATE


def months_between(earlier: date, later: date) -> int:
    """Whole months from one period start to a later one (both 1st of a month)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def year_spacing(latest_start: date, previous_start: date | None) -> int:
    """Months between an indicator's latest two years: its rhythm of publication (see the module)."""
    if previous_start is None:
        return months_in("year")
    gap = months_between(previous_start, latest_start)
    return gap if 1 <= gap <= months_in("year") else months_in("year")


def next_expected_start(latest_start: date, frequency: Frequency, previous_start: date | None = None) -> date:
    """The start of the period expected after ``latest_start``; ``previous_start`` (the period before the
    latest) sets the step for years and is ignored otherwise."""
    if frequency == "year":
        return add_months(latest_start, year_spacing(latest_start, previous_start))
    return add_months(latest_start, months_in(frequency))


def due_by(start: date, frequency: Frequency) -> date:
    """The last day on which the value for the period starting on ``start`` is still on time."""
    return period_end(start, frequency) + timedelta(days=GRACE_DAYS[frequency])


def judge(
    latest_start: date | None, frequency: Frequency, as_at: date, previous_start: date | None = None
) -> Freshness:
    """The freshness as at ``as_at`` of an indicator whose latest period with a value (ended by
    ``as_at``) starts on ``latest_start`` (None: none), the period before that on ``previous_start``."""
    if latest_start is None:
        return Freshness(FreshnessState.NO_DATA, None, None, None, 0)
    expected = next_expected_start(latest_start, frequency, previous_start)
    deadline = due_by(expected, frequency)
    days_late = max((as_at - deadline).days, 0)
    state = FreshnessState.LATE if days_late else FreshnessState.ON_TIME
    return Freshness(state, latest_start, expected, deadline, days_late)


def period_name(start: date, frequency: Frequency) -> str:
    """A period's label to follow "for": "Oct 2026", "Q2 2026/27", "2026/27", "the year ending Sep 2026"."""
    label = period_label(start, frequency)
    return f"the {label}" if label.startswith("year ending") else label


def age_in_words(end: date, as_at: date) -> str:
    """How long ago a period ended, as at a date: "ended today", "ended yesterday", "ended 10 days ago",
    "ended 7 weeks ago", "ended 4 months ago", "ended 3 years ago".

    Days up to a fortnight, weeks until two whole months have passed, months until two whole years
    have, then years: each step is coarser, so a reader never sees "ended 1 month ago" beside
    "ended 5 weeks ago" for the same age.
    """
    days = (as_at - end).days
    if days < 0:
        return f"ends in {plural(-days, 'day')}"
    if days == 0:
        return "ended today"
    if days == 1:
        return "ended yesterday"
    months = _whole_months(end, as_at)
    if days < 14:
        amount = plural(days, "day")
    elif months < 2:
        amount = plural(days // 7, "week")
    elif months < 24:
        amount = plural(months, "month")
    else:
        amount = plural(months // 12, "year")
    return f"ended {amount} ago"


def _whole_months(end: date, as_at: date) -> int:
    """Whole months from a period's last day (always a month's last day) to ``as_at``, month end to
    month end: 30 Sep to 31 Oct is one month, as is 28 Feb to 31 Mar; 30 Sep to 30 Oct is none yet."""
    return months_between(
        (end + timedelta(days=1)).replace(day=1), (as_at + timedelta(days=1)).replace(day=1)
    )


def missing_value(freshness: Freshness, frequency: Frequency) -> str:
    """ "no value yet for Oct 2026, due by 15 Dec 2026 (1 day late)" for a late indicator; "" otherwise."""
    if not freshness.is_late:
        return ""
    assert freshness.expected_start is not None and freshness.due_by is not None
    return (
        f"no value yet for {period_name(freshness.expected_start, frequency)}, "
        f"due by {format_date(freshness.due_by)} ({plural(freshness.days_late, 'day')} late)"
    )


JUDGED_COLUMNS = [
    "latest_end",
    "latest_label",
    "latest_age",
    "state",
    "state_word",
    "expected_start",
    "expected_label",
    "due_by",
    "days_late",
    "missing",
]


def judge_indicators(indicators: pd.DataFrame, as_at: date) -> pd.DataFrame:
    """``indicators`` (columns frequency, latest_start, previous_start, as ``judge`` takes them) with
    each one's freshness as at ``as_at`` added.

    Added columns: latest_end (None without data), latest_label (as domain.periods labels periods; ""
    without data), latest_age ("ended 7 weeks ago"; ""), state (a FreshnessState code), state_word (its
    label), expected_start (the period expected next; None without data), expected_label (""),
    due_by (None), days_late (int, 0 unless late), missing ("no value yet for Oct 2026, due by
    15 Dec 2026 (1 day late)" when late, else "").
    """
    rows = []
    for latest, frequency, previous in zip(
        indicators["latest_start"], indicators["frequency"], indicators["previous_start"], strict=True
    ):
        latest = None if pd.isna(latest) else latest
        previous = None if pd.isna(previous) else previous
        freshness = judge(latest, frequency, as_at, previous)
        latest_end = None if latest is None else period_end(latest, frequency)
        expected = freshness.expected_start
        rows.append(
            (
                latest_end,
                "" if latest is None else period_label(latest, frequency),
                "" if latest_end is None else age_in_words(latest_end, as_at),
                freshness.state.value,
                freshness.state.label,
                expected,
                "" if expected is None else period_label(expected, frequency),
                freshness.due_by,
                freshness.days_late,
                missing_value(freshness, frequency),
            )
        )
    judged = pd.DataFrame(rows, columns=JUDGED_COLUMNS, index=indicators.index, dtype=object)
    judged["days_late"] = judged["days_late"].astype("int64")
    return pd.concat([indicators, judged], axis=1)
