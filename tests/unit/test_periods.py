"""Period arithmetic: labels, period starts and ends, rolling and calendar years, month clamping."""

from __future__ import annotations

from datetime import date

import pytest

from domain.periods import (
    add_months,
    is_period_start,
    period_description,
    period_end,
    period_label,
    period_start_containing,
    periods_between,
    same_period_previous_year,
)


@pytest.mark.parametrize(
    ("start", "frequency", "label"),
    [
        (date(2025, 9, 1), "month", "Sep 2025"),
        (date(2024, 4, 1), "quarter", "Q1 2024/25"),
        (date(2024, 7, 1), "quarter", "Q2 2024/25"),
        (date(2024, 10, 1), "quarter", "Q3 2024/25"),
        (date(2025, 1, 1), "quarter", "Q4 2024/25"),
        (date(2023, 4, 1), "year", "2023/24"),
        (date(1999, 4, 1), "year", "1999/00"),
        (date(2024, 1, 1), "year", "2024"),
        (date(2024, 7, 1), "year", "year ending Jun 2025"),
        (date(2024, 10, 1), "year", "year ending Sep 2025"),
        (date(2024, 9, 1), "year", "year ending Aug 2025"),
        (date(2024, 12, 1), "year", "year ending Nov 2025"),
    ],
)
def test_period_label(start: date, frequency: str, label: str) -> None:
    assert period_label(start, frequency) == label


@pytest.mark.parametrize(
    ("day", "frequency", "expected"),
    [
        (date(2025, 9, 1), "month", True),
        (date(2025, 9, 2), "month", False),
        (date(2025, 10, 1), "quarter", True),
        (date(2025, 1, 1), "quarter", True),
        (date(2025, 2, 1), "quarter", False),
        (date(2025, 4, 1), "year", True),
        (date(2025, 1, 1), "year", True),  # calendar year
        (date(2025, 9, 1), "year", True),  # academic year
        (date(2024, 7, 1), "year", True),  # rolling year ending June 2025
        (date(2025, 4, 2), "year", False),
        (date(2025, 1, 15), "year", False),
    ],
)
def test_is_period_start(day: date, frequency: str, expected: bool) -> None:
    assert is_period_start(day, frequency) is expected


@pytest.mark.parametrize(
    ("start", "frequency", "end"),
    [
        (date(2025, 7, 1), "quarter", date(2025, 9, 30)),
        (date(2025, 1, 1), "quarter", date(2025, 3, 31)),
        (date(2024, 4, 1), "year", date(2025, 3, 31)),
        (date(2024, 1, 1), "year", date(2024, 12, 31)),
        (date(2024, 7, 1), "year", date(2025, 6, 30)),
        (date(2023, 3, 1), "year", date(2024, 2, 29)),
        (date(2024, 2, 1), "month", date(2024, 2, 29)),
        (date(2025, 2, 1), "month", date(2025, 2, 28)),
        (date(2025, 12, 1), "month", date(2025, 12, 31)),
    ],
)
def test_period_end(start: date, frequency: str, end: date) -> None:
    assert period_end(start, frequency) == end


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 31), 1, date(2025, 6, 30)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 1, 1), -12, date(2024, 1, 1)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_period_start_containing_uses_financial_years() -> None:
    assert period_start_containing(date(2025, 2, 14), "quarter") == date(2025, 1, 1)
    assert period_start_containing(date(2025, 2, 14), "year") == date(2024, 4, 1)
    assert period_start_containing(date(2025, 4, 1), "year") == date(2025, 4, 1)
    assert period_start_containing(date(2025, 2, 14), "month") == date(2025, 2, 1)


def test_same_period_previous_year_and_periods_between() -> None:
    assert same_period_previous_year(date(2025, 7, 1)) == date(2024, 7, 1)
    assert periods_between(date(2024, 10, 1), date(2025, 4, 1), "quarter") == [
        date(2024, 10, 1),
        date(2025, 1, 1),
        date(2025, 4, 1),
    ]


@pytest.mark.parametrize(
    ("start", "frequency", "words"),
    [
        (date(2025, 9, 1), "month", "September 2025"),
        (date(2024, 7, 1), "quarter", "July to September 2024"),
        (date(2025, 1, 1), "quarter", "January to March 2025"),
        (date(2024, 4, 1), "year", "the financial year April 2024 to March 2025"),
        (date(2024, 1, 1), "year", "2024"),
        (date(2024, 7, 1), "year", "the year ending June 2025"),
    ],
)
def test_period_description_reads_well_aloud(start: date, frequency: str, words: str) -> None:
    # No slashes or abbreviations: a screen reader says "Q2 2024/25" as "Q2 2024 slash 25".
    assert period_description(start, frequency) == words
    assert "/" not in words


def test_overlapping_rolling_years_compare_with_the_same_twelve_months_a_year_earlier() -> None:
    # ONS publishes a rolling year every quarter: years ending Mar, Jun, Sep and Dec overlap.
    year_ending_june_2025 = date(2024, 7, 1)
    year_earlier = same_period_previous_year(year_ending_june_2025)
    assert period_label(year_earlier, "year") == "year ending Jun 2024"
    assert period_end(year_earlier, "year") == date(2024, 6, 30)
    # Not the year ending March 2025, which is the previous publication.
    assert year_earlier != date(2024, 4, 1)
