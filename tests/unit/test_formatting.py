"""UK display conventions for dates, numbers and changes."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.formatting import format_change, format_date, format_number, number_formatter, plural


def test_format_date_has_no_leading_zero() -> None:
    assert format_date(date(2025, 9, 30)) == "30 Sep 2025"
    assert format_date(date(2025, 4, 1)) == "1 Apr 2025"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234, "count", "1,234"),
        (1234.0, "count", "1,234"),
        (1234.56, "count", "1,234.6"),
        (0, "count", "0"),
        (-5, "count", "\u22125"),
        (12.345, "percent", "12.3%"),
        (12, "percent", "12.0%"),
        (45.64, "rate", "45.6"),
        (1234.5, "rate", "1,234.5"),
        (0.03, "rate", "0.03"),
        (3.2, "days", "3.2 days"),
        (14, "days", "14 days"),
        (1234, "£", "£1,234"),
        (1234.5, "gbp", "£1,234.50"),
        (1234, "GBP", "£1,234"),
        (np.float64(2500.0), "count", "2,500"),
    ],
)
def test_format_number(value: float, unit: str, text: str) -> None:
    assert format_number(value, unit) == text


@pytest.mark.parametrize("blank", [None, math.nan, np.nan])
def test_format_number_blank(blank: float | None) -> None:
    assert format_number(blank, "count") == "no value"


UNITS = st.sampled_from(
    ["count", "percent", "%", "rate", "£", "gbp", "GBP", "days", " Count ", "", "incidents"]
)
NUMBERS = st.one_of(
    st.none(),
    st.floats(allow_infinity=False),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e6, max_value=1e6).map(np.float64),
    st.sampled_from([0.0, -0.0, 0.004, -0.004, 0.05, 12.5, -1234.5]),
)


@given(unit=UNITS, values=st.lists(NUMBERS, max_size=20))
def test_a_formatter_for_one_unit_says_exactly_what_format_number_says(unit: str, values: list) -> None:
    format_value = number_formatter(unit)
    assert [format_value(value) for value in values] == [format_number(value, unit) for value in values]


@pytest.mark.parametrize(
    ("delta", "unit", "text"),
    [
        (12, "count", "+12"),
        (-3, "count", "\u22123"),
        (1500, "count", "+1,500"),
        (-3.4, "percent", "\u22123.4 points"),
        (2.0, "percent", "+2.0 points"),
        (1.25, "rate", "+1.2"),
        (-250, "gbp", "\u2212£250"),
        (2, "days", "+2 days"),
        (0, "count", "no change"),
        (None, "count", "no value"),
    ],
)
def test_format_change_has_explicit_sign(delta: float | None, unit: str, text: str) -> None:
    assert format_change(delta, unit) == text


def test_format_change_uses_real_minus_sign() -> None:
    assert format_change(-1, "count").startswith("\u2212")
    assert "-" not in format_change(-1, "count")


def test_plural() -> None:
    assert plural(1, "action") == "1 action"
    assert plural(3, "action") == "3 actions"
    assert plural(0, "action") == "0 actions"
    assert plural(2, "priority", "priorities") == "2 priorities"
    assert plural(1, "priority", "priorities") == "1 priority"
    assert plural(1200, "incident") == "1,200 incidents"


def test_noun_is_the_word_plural_uses():
    from domain.formatting import noun

    assert (noun(1, "action"), noun(0, "action"), noun(2, "priority", "priorities")) == (
        "action",
        "actions",
        "priorities",
    )
