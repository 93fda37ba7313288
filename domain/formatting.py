"""UK display conventions for dates, numbers and changes.

One place decides how a value looks so the RAG reasons, tables and charts all say the same thing:
"30 Sep 2025", "1,234", "12.3%", "£1,234", "+12", "−3.4 points".  Negative numbers use a real minus
sign (U+2212) because a hyphen is easy to miss and screen readers may read it as a dash.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

import pandas as pd

from domain.periods import period_label
from domain.vocabulary import PERCENT_UNITS as _PERCENT_UNITS
from domain.vocabulary import POUND_UNITS as _POUND_UNITS
from domain.vocabulary import Unit

# Times are stored in UTC and shown as the clocks in the UK show them (GMT or BST).
UK_TIME = ZoneInfo("Europe/London")
MINUS = "\u2212"
NO_VALUE = "no value"


def format_date(d: date | None) -> str:
    """``date(2025, 4, 1)`` -> ``"1 Apr 2025"``; ``None`` -> ``""``."""
    if d is None:
        return ""
    # period_label already spells months the way users say them ("Sep 2025").
    return f"{d.day} {period_label(d.replace(day=1), 'month')}"


def format_timestamp(moment: datetime | None) -> str:
    """A UTC moment as UK clock time: ``"21 Nov 2026, 14:05"``; ``None`` -> ``""``."""
    if moment is None or pd.isna(moment):
        return ""
    local = moment.astimezone(UK_TIME)
    return f"{format_date(local.date())}, {local:%H:%M}"


def _is_missing(value: float | None) -> bool:
    # A plain float first: a large priority page formats 100,000 of them, and pd.isna is slow on one.
    if isinstance(value, float):
        return value != value  # NaN is the only float not equal to itself
    # pd.isna also covers numpy numbers and pd.NA, which arrive from DataFrames.
    return value is None or bool(pd.isna(value))


# Format specs by number of decimal places, made once: a large priority page formats 60,000 numbers.
_FIXED_DECIMALS = {decimals: f",.{decimals}f" for decimals in range(3)}


def _digits(magnitude: float, decimals: int) -> str:
    """Format a non-negative number with thousands separators and ``decimals`` places.

    A small non-zero value that would round to zero gets two significant figures instead, so
    0.03 never shows as a misleading "0.0".
    """
    # Only a value below 1 can round to zero; most values are not, and rounding each costs.
    if magnitude != 0 and magnitude < 1 and round(magnitude, decimals) == 0:
        significant_decimals = 1 - math.floor(math.log10(magnitude))
        return f"{magnitude:,.{significant_decimals}f}".rstrip("0")
    return format(magnitude, _FIXED_DECIMALS[decimals])


@lru_cache(maxsize=256)
def _number_style(unit_key: str) -> tuple[int, int, str, str]:
    """How a unit's values read: the decimal places of a whole value and of any other, and what is
    written before and after the digits."""
    if unit_key == Unit.COUNT:
        return 0, 1, "", ""
    if unit_key in _PERCENT_UNITS:
        return 1, 1, "", "%"
    if unit_key == Unit.RATE:
        return 1, 1, "", ""
    if unit_key in _POUND_UNITS:
        # Money reads as whole pounds unless there are pence.
        return 0, 2, "£", ""
    return 0, 1, "", f" {unit_key}" if unit_key else ""


@lru_cache(maxsize=256)  # a partnership has a handful of units, and every number formatted asks
def _unit_key(unit: str) -> str:
    stripped = unit.strip()
    lowered = stripped.lower()
    if lowered in {Unit.COUNT, Unit.RATE} or lowered in _POUND_UNITS or lowered in _PERCENT_UNITS:
        return lowered
    # Any other unit is a word shown as given ("days", "incidents").
    return stripped


def format_number(value: float | None, unit: str) -> str:
    """Show ``value`` in ``unit``: "1,234", "12.3%", "45.6", "£1,234", "3.2 days"; blank -> "no value"."""
    return _format_number(_number_style(_unit_key(unit)), value)


def number_formatter(unit: str) -> Callable[[float | None], str]:
    """``format_number`` for one unit, for formatting many values: a chart's hover texts format tens of
    thousands on a large priority page, and this decides the unit once rather than for every value."""
    return partial(_format_number, _number_style(_unit_key(unit)))


def _format_number(style: tuple[int, int, str, str], value: float | None) -> str:
    """``value`` in the unit whose ``_number_style`` is ``style``."""
    if _is_missing(value):
        return NO_VALUE
    magnitude = abs(value)
    whole_decimals, fraction_decimals, before, after = style
    decimals = whole_decimals if float(magnitude).is_integer() else fraction_decimals
    text = f"{before}{_digits(magnitude, decimals)}{after}"
    return f"{MINUS}{text}" if value < 0 else text


def format_change(delta: float | None, unit: str) -> str:
    """Show a change with an explicit sign: "+12", "−3.4 points" (percent), "+£250"; zero -> "no change"."""
    if _is_missing(delta):
        return NO_VALUE
    if delta == 0:
        return "no change"
    key = _unit_key(unit)
    sign = "+" if delta > 0 else MINUS
    if key in _PERCENT_UNITS:
        # A change between two percentages is in percentage points, not per cent.
        return f"{sign}{_digits(abs(delta), 1)} points"
    return f"{sign}{_format_number(_number_style(key), abs(delta))}"


def noun(n: int, word: str, plural_word: str | None = None) -> str:
    """The word for ``n`` things, without the number: ``noun(3, "action")`` -> ``"actions"``."""
    return word if n == 1 else (plural_word if plural_word is not None else f"{word}s")


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """``plural(1, "action")`` -> ``"1 action"``; ``plural(3, "action")`` -> ``"3 actions"``."""
    return f"{n:,} {noun(n, word, plural_word)}"


def file_slug(text: str) -> str:
    """A name safe in any file system and e-mail client: "Ynys Môn CSP (demo)" -> "ynys-mon-csp-demo"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
