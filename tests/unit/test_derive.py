"""Whole-partnership values: derived sums and ratios, incompleteness, and supplied values winning."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from domain.derive import combine_with_supplied, derive_whole_partnership, infer_scale

NAN = math.nan
DISTRICTS = ["E07000001", "E07000002", "E07000003"]
Q1 = date(2025, 4, 1)
Q2 = date(2025, 7, 1)


def districts(*rows: tuple) -> pd.DataFrame:
    """Rows of (period_start, district_code, value, numerator, denominator)."""
    return pd.DataFrame(
        list(rows), columns=["period_start", "district_code", "value", "numerator", "denominator"]
    ).astype({"value": "float64", "numerator": "float64", "denominator": "float64"})


def derived_frame(*rows: tuple) -> pd.DataFrame:
    """Rows of (period_start, value, numerator, denominator, reported, expected, method, note)."""
    columns = [
        "period_start",
        "value",
        "numerator",
        "denominator",
        "districts_reported",
        "districts_expected",
        "method",
        "note",
    ]
    frame = pd.DataFrame(list(rows), columns=columns)
    return frame.astype(
        {
            "period_start": "object",
            "value": "float64",
            "numerator": "float64",
            "denominator": "float64",
            "districts_reported": "int64",
            "districts_expected": "int64",
            "method": "str",
            "note": "str",
        }
    )


def test_count_sum_when_every_district_reported_and_incomplete_otherwise() -> None:
    values = districts(
        (Q2, "E07000001", 10.0, NAN, NAN),
        (Q2, "E07000002", 20.0, NAN, NAN),
        (Q1, "E07000001", 5.0, NAN, NAN),
        (Q1, "E07000003", 7.0, NAN, NAN),
        (Q2, "E07000003", 30.0, NAN, NAN),
        (Q1, "E07000002", NAN, NAN, NAN),
    )
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="count")
    expected = derived_frame(
        (
            Q1,
            NAN,
            NAN,
            NAN,
            2,
            3,
            "incomplete",
            "Incomplete: 2 of 3 districts reported; no whole-partnership value.",
        ),
        (Q2, 60.0, NAN, NAN, 3, 3, "sum", "Sum of all 3 districts."),
    )
    assert_frame_equal(result, expected)


def test_count_with_a_district_row_missing_entirely_is_incomplete() -> None:
    values = districts((Q1, "E07000001", 5.0, NAN, NAN), (Q1, "E07000002", 6.0, NAN, NAN))
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="count")
    assert result.loc[0, "method"] == "incomplete"
    assert math.isnan(result.loc[0, "value"])
    assert result.loc[0, "note"] == "Incomplete: 2 of 3 districts reported; no whole-partnership value."


def test_count_ignores_districts_outside_the_partnership() -> None:
    values = districts(
        (Q1, "E07000001", 1.0, NAN, NAN),
        (Q1, "E07000002", 2.0, NAN, NAN),
        (Q1, "E07000003", 3.0, NAN, NAN),
        (Q1, "W06000099", 1000.0, NAN, NAN),
    )
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="count")
    assert result.loc[0, "value"] == 6.0
    assert result.loc[0, "districts_reported"] == 3


def test_percent_ratio_infers_scale_of_100() -> None:
    values = districts(
        (Q1, "E07000001", 25.0, 10.0, 40.0),
        (Q1, "E07000002", 50.0, 30.0, 60.0),
        (Q1, "E07000003", 33.3, 20.0, 60.0),  # rounded in the source; the scale still rounds to 100
    )
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="percent")
    expected = derived_frame(
        (
            Q1,
            60.0 / 160.0 * 100,
            60.0,
            160.0,
            3,
            3,
            "ratio",
            "Ratio of summed numerators and denominators from all 3 districts.",
        ),
    )
    assert_frame_equal(result, expected)


def test_rate_per_100000_infers_scale() -> None:
    values = districts(
        (Q1, "E07000001", 41.7, 50.0, 120000.0),
        (Q1, "E07000002", 62.5, 50.0, 80000.0),
        (Q1, "E07000003", 100.0, 100.0, 100000.0),
    )
    assert infer_scale(values) == 100000.0
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="rate")
    assert result.loc[0, "method"] == "ratio"
    assert result.loc[0, "value"] == pytest.approx(200.0 / 300000.0 * 100000)
    assert result.loc[0, "numerator"] == 200.0
    assert result.loc[0, "denominator"] == 300000.0


def test_ratio_scale_is_inferred_across_periods() -> None:
    # Q2 has no district value, only numerators and denominators, so its scale comes from Q1.
    values = districts(
        (Q1, "E07000001", 10.0, 1.0, 10000.0),
        (Q1, "E07000002", 20.0, 2.0, 10000.0),
        (Q1, "E07000003", 30.0, 3.0, 10000.0),
        (Q2, "E07000001", NAN, 4.0, 10000.0),
        (Q2, "E07000002", NAN, 4.0, 10000.0),
        (Q2, "E07000003", NAN, 4.0, 10000.0),
    )
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="rate")
    assert list(result["method"]) == ["ratio", "ratio"]
    assert result.loc[1, "value"] == pytest.approx(40.0)
    assert result.loc[1, "districts_reported"] == 3


def test_ratio_incomplete_when_some_districts_lack_numerator_or_denominator() -> None:
    values = districts(
        (Q1, "E07000001", 25.0, 10.0, 40.0),
        (Q1, "E07000002", 50.0, 30.0, NAN),
        (Q1, "E07000003", 40.0, NAN, NAN),
    )
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="percent")
    expected = derived_frame(
        (
            Q1,
            NAN,
            NAN,
            NAN,
            3,
            3,
            "incomplete",
            "Incomplete: 1 of 3 districts gave a numerator and denominator; no whole-partnership value.",
        ),
    )
    assert_frame_equal(result, expected)


@pytest.mark.parametrize(
    ("unit", "what"),
    [("rate", "a rate"), ("percent", "a percentage"), ("days", "a value in days")],
)
def test_none_when_no_numerators_or_denominators(unit: str, what: str) -> None:
    values = districts(
        (Q1, "E07000001", 25.0, NAN, NAN),
        (Q1, "E07000002", 50.0, NAN, NAN),
        (Q1, "E07000003", 40.0, NAN, NAN),
    )
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit=unit)
    expected = derived_frame(
        (
            Q1,
            NAN,
            NAN,
            NAN,
            3,
            3,
            "none",
            f"Not derived: {what} cannot be summed and numerators and denominators were not given.",
        ),
    )
    assert_frame_equal(result, expected)


def test_ratio_with_zero_denominators_is_not_derived() -> None:
    values = districts(
        (Q1, "E07000001", 0.0, 0.0, 0.0),
        (Q1, "E07000002", 0.0, 0.0, 0.0),
        (Q1, "E07000003", 0.0, 0.0, 0.0),
    )
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="percent")
    assert result.loc[0, "method"] == "none"
    assert result.loc[0, "note"] == "Not derived: the summed denominators are zero."


def test_percent_with_all_zero_numerators_falls_back_to_scale_100() -> None:
    values = districts(
        (Q1, "E07000001", 0.0, 0.0, 40.0),
        (Q1, "E07000002", 0.0, 0.0, 60.0),
        (Q1, "E07000003", 0.0, 0.0, 60.0),
    )
    assert infer_scale(values) is None
    result = derive_whole_partnership(values, district_codes=DISTRICTS, unit="percent")
    assert result.loc[0, "method"] == "ratio"
    assert result.loc[0, "value"] == 0.0


def test_empty_input_gives_empty_frame_with_columns() -> None:
    result = derive_whole_partnership(districts(), district_codes=DISTRICTS, unit="count")
    assert_frame_equal(result, derived_frame())


def test_duplicate_district_rows_are_rejected() -> None:
    values = districts((Q1, "E07000001", 1.0, NAN, NAN), (Q1, "E07000001", 2.0, NAN, NAN))
    with pytest.raises(ValueError, match="more than one row"):
        derive_whole_partnership(values, district_codes=DISTRICTS, unit="count")


# --- combining with supplied values -----------------------------------------------------------------


def supplied_frame(*rows: tuple) -> pd.DataFrame:
    """Rows of (period_start, value, lower_ci, upper_ci, numerator, denominator, note)."""
    columns = ["period_start", "value", "lower_ci", "upper_ci", "numerator", "denominator", "note"]
    return pd.DataFrame(list(rows), columns=columns).astype(
        {"value": "float64", "lower_ci": "float64", "upper_ci": "float64"}
    )


def combined_frame(*rows: tuple) -> pd.DataFrame:
    columns = ["period_start", "value", "lower_ci", "upper_ci", "numerator", "denominator", "method", "note"]
    return pd.DataFrame(list(rows), columns=columns).astype(
        {
            "period_start": "object",
            "value": "float64",
            "lower_ci": "float64",
            "upper_ci": "float64",
            "numerator": "float64",
            "denominator": "float64",
            "method": "str",
            "note": "str",
        }
    )


def test_supplied_value_wins_and_derived_fills_other_periods() -> None:
    q3 = date(2025, 10, 1)
    derived = derived_frame(
        (Q1, 60.0, NAN, NAN, 3, 3, "sum", "Sum of all 3 districts."),
        (Q2, 70.0, NAN, NAN, 3, 3, "sum", "Sum of all 3 districts."),
        (
            q3,
            NAN,
            NAN,
            NAN,
            2,
            3,
            "incomplete",
            "Incomplete: 2 of 3 districts reported; no whole-partnership value.",
        ),
    )
    supplied = supplied_frame(
        (q3, 75.0, 70.0, 80.0, NAN, NAN, "Police force figure."),
        (Q2, 65.0, NAN, NAN, NAN, NAN, None),
    )
    result = combine_with_supplied(supplied, derived)
    expected = combined_frame(
        (Q1, 60.0, NAN, NAN, NAN, NAN, "sum", "Sum of all 3 districts."),
        (Q2, 65.0, NAN, NAN, NAN, NAN, "supplied", "Supplied whole-partnership value."),
        (q3, 75.0, 70.0, 80.0, NAN, NAN, "supplied", "Police force figure."),
    )
    assert_frame_equal(result, expected)


def test_supplied_only_and_derived_only() -> None:
    supplied = supplied_frame((Q1, 12.5, NAN, NAN, 5.0, 40.0, "  "))
    only_supplied = combine_with_supplied(supplied, derived_frame())
    assert_frame_equal(
        only_supplied,
        combined_frame((Q1, 12.5, NAN, NAN, 5.0, 40.0, "supplied", "Supplied whole-partnership value.")),
    )
    derived = derived_frame((Q1, 37.5, 60.0, 160.0, 3, 3, "ratio", "Ratio note."))
    only_derived = combine_with_supplied(supplied_frame(), derived)
    assert_frame_equal(
        only_derived, combined_frame((Q1, 37.5, NAN, NAN, 60.0, 160.0, "ratio", "Ratio note."))
    )


def test_combine_both_empty() -> None:
    assert_frame_equal(combine_with_supplied(supplied_frame(), derived_frame()), combined_frame())


def test_duplicate_supplied_periods_are_rejected() -> None:
    supplied = supplied_frame((Q1, 1.0, NAN, NAN, NAN, NAN, None), (Q1, 2.0, NAN, NAN, NAN, NAN, None))
    with pytest.raises(ValueError, match="more than one"):
        combine_with_supplied(supplied, derived_frame())


@pytest.mark.parametrize(
    ("value", "scale"),
    [(33.3, 100.0), (33.4, 100.0), (0.333, 1.0), (3333.3, 10000.0)],
)
def test_infer_scale_rounds_to_nearest_power_of_ten(value: float, scale: float) -> None:
    # 1 in 3 shown as a percent rounded either way, as a proportion, and per 10,000.
    values = districts((Q1, "E07000001", value, 1.0, 3.0), (Q1, "E07000002", value, 2.0, 6.0))
    assert infer_scale(values) == scale
