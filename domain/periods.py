"""Reporting periods: months, UK financial-year quarters and financial years.

A period is identified by the first day it covers, as in the workbook contract:
a month starts on its 1st, a quarter on 1 April, 1 July, 1 October or 1 January,
and a financial year on 1 April.  Everything here is plain date arithmetic so the
data layer, the RAG rules and the pages all agree on what a period means.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

Frequency = Literal["month", "quarter", "year"]
FREQUENCIES: tuple[Frequency, ...] = ("month", "quarter", "year")

# Months in which a UK financial-year quarter starts (Q1 = April).
QUARTER_START_MONTHS = (4, 7, 10, 1)
FINANCIAL_YEAR_START_MONTH = 4

_MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def add_months(day: date, months: int) -> date:
    """Return the same day-of-month ``months`` later, clamped to the month's end."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = _days_in_month(year, month)
    return date(year, month, min(day.day, last_day))


def _days_in_month(year: int, month: int) -> int:
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return (next_month - timedelta(days=1)).day


def months_in(frequency: Frequency) -> int:
    """How many calendar months one period of ``frequency`` covers."""
    return {"month": 1, "quarter": 3, "year": 12}[frequency]


def is_period_start(day: date, frequency: Frequency) -> bool:
    """True when ``day`` is the first day of a period of ``frequency``."""
    if day.day != 1:
        return False
    if frequency == "month":
        return True
    if frequency == "quarter":
        return day.month in QUARTER_START_MONTHS
    return day.month == FINANCIAL_YEAR_START_MONTH


def expected_period_start(frequency: Frequency) -> str:
    """Describe a valid period start, for error messages."""
    return {
        "month": "the first day of a month",
        "quarter": "the first day of a financial quarter (1 Apr, 1 Jul, 1 Oct or 1 Jan)",
        "year": "the first day of a financial year (1 April)",
    }[frequency]


def period_start_containing(day: date, frequency: Frequency) -> date:
    """The start of the period of ``frequency`` that contains ``day``."""
    if frequency == "month":
        return day.replace(day=1)
    if frequency == "quarter":
        # Quarters start in months 1, 4, 7, 10; the financial labelling differs, the boundaries do not.
        return date(day.year, ((day.month - 1) // 3) * 3 + 1, 1)
    start_year = day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1
    return date(start_year, FINANCIAL_YEAR_START_MONTH, 1)


def period_end(start: date, frequency: Frequency) -> date:
    """The last day covered by the period that begins on ``start``."""
    return add_months(start, months_in(frequency)) - timedelta(days=1)


def next_period_start(start: date, frequency: Frequency) -> date:
    return add_months(start, months_in(frequency))


def previous_period_start(start: date, frequency: Frequency) -> date:
    return add_months(start, -months_in(frequency))


def same_period_previous_year(start: date) -> date:
    """The start of the period one year before ``start`` (same length, any frequency)."""
    return add_months(start, -12)


def financial_year_start_year(day: date) -> int:
    """The calendar year in which the financial year containing ``day`` began."""
    return day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1


def financial_year_label(start_year: int) -> str:
    """``2023`` -> ``"2023/24"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_quarter(day: date) -> int:
    """1 for April to June, ..., 4 for January to March."""
    return (day.month - FINANCIAL_YEAR_START_MONTH) % 12 // 3 + 1


def period_label(start: date, frequency: Frequency) -> str:
    """Name a period as users say it: "Sep 2025", "Q2 2024/25", "2023/24"."""
    if frequency == "month":
        return f"{_MONTH_ABBREVIATIONS[start.month - 1]} {start.year}"
    fy = financial_year_label(financial_year_start_year(start))
    if frequency == "quarter":
        return f"Q{financial_quarter(start)} {fy}"
    return fy


def periods_between(first: date, last: date, frequency: Frequency) -> list[date]:
    """Every period start from ``first`` to ``last`` inclusive (both period starts)."""
    starts: list[date] = []
    current = first
    while current <= last:
        starts.append(current)
        current = next_period_start(current, frequency)
    return starts
