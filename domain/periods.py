"""Reporting periods: months, quarters and years, as partnerships receive them.

A period is identified by the first day it covers, as in the workbook contract:

* a **month** starts on its 1st;
* a **quarter** starts on 1 January, 1 April, 1 July or 1 October (labelled as UK financial quarters);
* a **year** is any 12 months starting on the 1st of a month: a financial year (from 1 April), a calendar
  year (from 1 January), an academic year (from 1 September), or a rolling year as the ONS and police
  publish recorded crime ("year ending June 2025" runs from 1 July 2024 to 30 June 2025).

Rolling years arrive quarterly, so one indicator may hold overlapping years.  Everything that compares
periods therefore goes by the exact 12 months a period covers: "the same period a year earlier" starts
exactly 12 months before, and a period counts "as at" a date once it has ended.  Everything here is plain
date arithmetic so the data layer, the RAG rules and the pages all agree on what a period means.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from domain.vocabulary import Frequency as FrequencyCode

Frequency = Literal["month", "quarter", "year"]
FREQUENCIES: tuple[Frequency, ...] = FrequencyCode.codes()  # type: ignore[assignment]

# Months in which a quarter starts; Q1 of the UK financial year is April to June.
QUARTER_START_MONTHS = (4, 7, 10, 1)
FINANCIAL_YEAR_START_MONTH = 4
CALENDAR_YEAR_START_MONTH = 1

_MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# The functions below that every chart and table calls once per period (a large partnership's priority
# page asks for about 100,000 labels and period ends) remember their answers: a partnership has a few
# hundred periods at most, so the same few hundred questions come back again and again.
_REMEMBERED = 4096


@lru_cache(maxsize=_REMEMBERED)
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
    if frequency == "quarter":
        return day.month in QUARTER_START_MONTHS
    # A month, or a year of any 12 months (financial, calendar, academic or rolling).
    return True


def expected_period_start(frequency: Frequency) -> str:
    """Describe a valid period start, for error messages."""
    return {
        "month": "the first day of a month",
        "quarter": "the first day of a quarter (1 Jan, 1 Apr, 1 Jul or 1 Oct)",
        "year": (
            "the first day of the 12 months it covers, e.g. 2024-04-01 for 2024/25, 2024-01-01 for 2024, "
            "2024-07-01 for the year ending June 2025"
        ),
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


@lru_cache(maxsize=_REMEMBERED)
def period_end(start: date, frequency: Frequency) -> date:
    """The last day covered by the period that begins on ``start``."""
    return add_months(start, months_in(frequency)) - timedelta(days=1)


def period_start_ending(last_day: date, frequency: Frequency) -> date:
    """The start of the period of ``frequency`` whose last day is ``last_day`` (a month's last day)."""
    return add_months(last_day + timedelta(days=1), -months_in(frequency))


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


def year_kind(start: date) -> Literal["financial", "calendar", "other"]:
    """Which kind of year starts on ``start``: a financial year, a calendar year, or any other 12 months."""
    if start.month == FINANCIAL_YEAR_START_MONTH:
        return "financial"
    if start.month == CALENDAR_YEAR_START_MONTH:
        return "calendar"
    return "other"


@lru_cache(maxsize=_REMEMBERED)
def period_label(start: date, frequency: Frequency) -> str:
    """Name a period as its publishers do: "Sep 2025", "Q2 2024/25", "2024/25", "2024",
    "year ending Jun 2025"."""
    if frequency == "month":
        return f"{_MONTH_ABBREVIATIONS[start.month - 1]} {start.year}"
    if frequency == "quarter":
        return f"Q{financial_quarter(start)} {financial_year_label(financial_year_start_year(start))}"
    kind = year_kind(start)
    if kind == "financial":
        return financial_year_label(start.year)
    if kind == "calendar":
        return str(start.year)
    last = period_end(start, frequency)
    return f"year ending {_MONTH_ABBREVIATIONS[last.month - 1]} {last.year}"


@lru_cache(maxsize=_REMEMBERED)
def period_description(start: date, frequency: Frequency) -> str:
    """The period in words for text alternatives, ONS-style with months spelt out and no slashes:
    "September 2025", "July to September 2024", "the financial year April 2024 to March 2025",
    "2024", "the year ending June 2025"."""
    if frequency == "month":
        return f"{_MONTH_NAMES[start.month - 1]} {start.year}"
    last = period_end(start, frequency)
    if frequency == "quarter":
        return f"{_MONTH_NAMES[start.month - 1]} to {_MONTH_NAMES[last.month - 1]} {last.year}"
    kind = year_kind(start)
    if kind == "financial":
        return f"the financial year April {start.year} to March {last.year}"
    if kind == "calendar":
        return str(start.year)
    return f"the year ending {_MONTH_NAMES[last.month - 1]} {last.year}"


def periods_between(first: date, last: date, frequency: Frequency) -> list[date]:
    """Every period start from ``first`` to ``last`` inclusive (both period starts)."""
    starts: list[date] = []
    current = first
    while current <= last:
        starts.append(current)
        current = next_period_start(current, frequency)
    return starts
