"""Data freshness rules: when a period's value is due, when an indicator is late, and ages in words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.freshness import (
    GRACE_DAYS,
    age_in_words,
    due_by,
    judge,
    missing_value,
    next_expected_start,
    year_spacing,
)
from domain.periods import add_months, is_period_start, months_in, period_end
from domain.vocabulary import FreshnessState

ON_TIME, LATE, NO_DATA = FreshnessState.ON_TIME, FreshnessState.LATE, FreshnessState.NO_DATA
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("latest", "frequency", "previous", "expected", "due"),
    [
        # Months of 31, 28, 29 and 30 days: due 45 days after their last day.
        (date(2025, 12, 1), "month", None, date(2026, 1, 1), date(2026, 3, 17)),
        (date(2026, 1, 1), "month", None, date(2026, 2, 1), date(2026, 4, 14)),
        (date(2024, 1, 1), "month", None, date(2024, 2, 1), date(2024, 4, 14)),
        (date(2026, 3, 1), "month", None, date(2026, 4, 1), date(2026, 6, 14)),
        (date(2026, 8, 1), "month", None, date(2026, 9, 1), date(2026, 11, 14)),
        # Quarters: 60 days after their last day, across a year end and a leap day.
        (date(2026, 4, 1), "quarter", None, date(2026, 7, 1), date(2026, 11, 29)),
        (date(2026, 7, 1), "quarter", None, date(2026, 10, 1), date(2027, 3, 1)),
        (date(2027, 7, 1), "quarter", None, date(2027, 10, 1), date(2028, 2, 29)),
        (date(2025, 10, 1), "quarter", None, date(2026, 1, 1), date(2026, 5, 30)),
        # Financial and calendar years follow each other; so do academic years.
        (date(2024, 4, 1), "year", date(2023, 4, 1), date(2025, 4, 1), date(2026, 8, 3)),
        (date(2024, 1, 1), "year", None, date(2025, 1, 1), date(2026, 5, 5)),
        (date(2025, 9, 1), "year", date(2024, 9, 1), date(2026, 9, 1), date(2028, 1, 3)),
        # Rolling years published quarterly: the next one ends three months after the latest.
        (date(2025, 7, 1), "year", date(2025, 4, 1), date(2025, 10, 1), date(2027, 2, 2)),
        # Rolling years published once a year (the year ending June each time).
        (date(2025, 7, 1), "year", date(2024, 7, 1), date(2026, 7, 1), date(2027, 11, 2)),
        # A year skipped is not a slower rhythm: the next is still 12 months on.
        (date(2025, 4, 1), "year", date(2022, 4, 1), date(2026, 4, 1), date(2027, 8, 3)),
    ],
)
def test_the_next_period_and_its_due_date(latest, frequency, previous, expected, due):
    assert next_expected_start(latest, frequency, previous) == expected
    assert due_by(expected, frequency) == due
    on_the_day = judge(latest, frequency, due, previous)
    assert (on_the_day.state, on_the_day.expected_start, on_the_day.due_by) == (ON_TIME, expected, due)
    assert on_the_day.days_late == 0
    one_day_late = judge(latest, frequency, due + DAY, previous)
    assert (one_day_late.state, one_day_late.expected_start, one_day_late.days_late) == (LATE, expected, 1)


def test_the_issue_example_a_month_is_due_on_its_45th_day_and_late_from_its_46th():
    # September 2026 ended on 30 Sep; 14 Nov is 45 days later.
    assert judge(date(2026, 8, 1), "month", date(2026, 11, 14)).state is ON_TIME
    late = judge(date(2026, 8, 1), "month", date(2026, 11, 15))
    assert (late.state, late.days_late) == (LATE, 1)


def test_late_counts_days_from_the_first_missing_period_however_many_are_missing():
    late = judge(date(2026, 1, 1), "month", date(2026, 11, 21))
    assert (late.expected_start, late.due_by, late.days_late) == (date(2026, 2, 1), date(2026, 4, 14), 221)


def test_without_a_value_an_indicator_has_no_data_yet():
    freshness = judge(None, "quarter", date(2026, 11, 21))
    assert (freshness.state, freshness.expected_start, freshness.due_by, freshness.days_late) == (
        NO_DATA,
        None,
        None,
        0,
    )
    assert missing_value(freshness, "quarter") == ""


@pytest.mark.parametrize(
    ("latest", "previous", "spacing"),
    [
        (date(2025, 7, 1), None, 12),
        (date(2025, 7, 1), date(2025, 4, 1), 3),
        (date(2025, 7, 1), date(2025, 6, 1), 1),
        (date(2025, 7, 1), date(2024, 7, 1), 12),
        (date(2025, 7, 1), date(2024, 1, 1), 12),
    ],
)
def test_year_spacing_is_the_gap_between_the_latest_two_years(latest, previous, spacing):
    assert year_spacing(latest, previous) == spacing


def test_what_is_missing_in_words():
    as_at = date(2026, 11, 21)
    assert missing_value(judge(date(2026, 9, 1), "month", as_at), "month") == ""
    late = judge(date(2026, 1, 1), "quarter", as_at)
    assert missing_value(late, "quarter") == "no value yet for Q1 2026/27, due by 29 Aug 2026 (84 days late)"
    rolling = judge(date(2024, 7, 1), "year", as_at, date(2024, 4, 1))
    assert missing_value(rolling, "year") == (
        "no value yet for the year ending Sep 2025, due by 2 Feb 2026 (292 days late)"
    )
    one_day = judge(date(2026, 8, 1), "month", date(2026, 11, 15))
    assert missing_value(one_day, "month") == "no value yet for Sep 2026, due by 14 Nov 2026 (1 day late)"


@pytest.mark.parametrize(
    ("end", "as_at", "words"),
    [
        (date(2026, 9, 30), date(2026, 9, 30), "ended today"),
        (date(2026, 9, 30), date(2026, 10, 1), "ended yesterday"),
        (date(2026, 9, 30), date(2026, 10, 13), "ended 13 days ago"),
        (date(2026, 9, 30), date(2026, 10, 14), "ended 2 weeks ago"),
        (date(2026, 9, 30), date(2026, 11, 21), "ended 7 weeks ago"),
        (date(2026, 9, 30), date(2026, 11, 29), "ended 8 weeks ago"),
        (date(2026, 9, 30), date(2026, 11, 30), "ended 2 months ago"),
        # February's end to March's end is a whole month, whatever the days.
        (date(2026, 2, 28), date(2026, 4, 30), "ended 2 months ago"),
        (date(2026, 2, 28), date(2026, 4, 29), "ended 8 weeks ago"),
        (date(2024, 2, 29), date(2024, 6, 30), "ended 4 months ago"),
        (date(2025, 3, 31), date(2027, 3, 30), "ended 23 months ago"),
        (date(2025, 3, 31), date(2027, 3, 31), "ended 2 years ago"),
        (date(2019, 12, 31), date(2026, 11, 21), "ended 6 years ago"),
        (date(2026, 12, 31), date(2026, 12, 28), "ends in 3 days"),
    ],
)
def test_age_in_words(end, as_at, words):
    assert age_in_words(end, as_at) == words


# ----------------------------------------------------------------------------------------------
# Properties over any period and any date
# ----------------------------------------------------------------------------------------------

frequencies = st.sampled_from(["month", "quarter", "year"])
months = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 1)).map(lambda day: day.replace(day=1))


@st.composite
def latest_periods(draw):
    """An indicator's latest period and the one before it, of a frequency, as the database may hold them."""
    frequency = draw(frequencies)
    start = draw(months)
    if frequency == "quarter":
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    gap = draw(st.integers(1, 30)) if frequency == "year" else months_in(frequency)
    previous = draw(st.none() | st.just(add_months(start, -gap)))
    return start, frequency, previous


@given(latest=latest_periods(), offset=st.integers(-400, 400))
def test_late_exactly_when_the_date_is_past_the_next_periods_due_date(latest, offset):
    start, frequency, previous = latest
    expected = next_expected_start(start, frequency, previous)
    deadline = period_end(expected, frequency) + timedelta(days=GRACE_DAYS[frequency])
    as_at = deadline + timedelta(days=offset)

    freshness = judge(start, frequency, as_at, previous)

    assert is_period_start(expected, frequency) and expected > start
    assert period_end(expected, frequency) > period_end(start, frequency)
    assert freshness.due_by == deadline
    assert freshness.state is (LATE if offset > 0 else ON_TIME)
    assert freshness.days_late == max(offset, 0)
    assert (missing_value(freshness, frequency) == "") is (offset <= 0)


@given(latest=latest_periods())
def test_the_next_year_is_never_more_than_a_year_on_and_months_and_quarters_follow_on(latest):
    start, frequency, previous = latest
    step = next_expected_start(start, frequency, previous)
    assert add_months(start, 1) <= step <= add_months(start, 12)
    if frequency != "year":
        assert step == period_end(start, frequency) + DAY


def _month_end_after(end: date, months_later: int) -> date:
    return add_months(end + DAY, months_later) - DAY


def _bounds(end: date, words: str) -> tuple[date, date]:
    """The dates from which, and before which, ``words`` is the truth about a period that ended on ``end``."""
    parts = words.split()
    if parts[1] in ("today", "yesterday"):
        days = 0 if parts[1] == "today" else 1
        return end + timedelta(days=days), end + timedelta(days=days + 1)
    amount, unit = int(parts[1]), parts[2].rstrip("s")
    if unit == "day":
        return end + timedelta(days=amount), end + timedelta(days=amount + 1)
    if unit == "week":
        return end + timedelta(weeks=amount), end + timedelta(weeks=amount + 1)
    months_per_unit = {"month": 1, "year": 12}[unit]
    return (
        _month_end_after(end, amount * months_per_unit),
        _month_end_after(end, (amount + 1) * months_per_unit),
    )


@given(
    end=months.map(lambda start: period_end(start, "month")),
    first=st.integers(0, 3000),
    more=st.integers(0, 400),
)
def test_an_age_is_true_to_its_unit_and_never_reads_younger_as_time_passes(end, first, more):
    earlier_day, later_day = end + timedelta(days=first), end + timedelta(days=first + more)
    earlier, later = age_in_words(end, earlier_day), age_in_words(end, later_day)

    since, before = _bounds(end, earlier)
    assert since <= earlier_day < before
    assert _bounds(end, earlier)[0] <= _bounds(end, later)[0]
