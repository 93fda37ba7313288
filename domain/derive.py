"""Whole-partnership values: supplied, or derived from district values only where that is valid.

The rule from the spec: a supplied value (district blank) always wins.  Otherwise a value is derived
only where that is valid: the sum of district values for counts, and only when every district reported
(else it is marked incomplete); the ratio of summed numerators and denominators where those are given;
otherwise none.  A partial sum would silently understate the partnership, so it is never shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from domain.formatting import plural
from domain.vocabulary import PERCENT_UNITS, Unit

DERIVED_COLUMNS = {
    "period_start": "object",
    "value": "float64",
    "numerator": "float64",
    "denominator": "float64",
    "districts_reported": "int64",
    "districts_expected": "int64",
    "method": "str",
    "note": "str",
}
COMBINED_COLUMNS = {
    "period_start": "object",
    "value": "float64",
    "lower_ci": "float64",
    "upper_ci": "float64",
    "numerator": "float64",
    "denominator": "float64",
    "method": "str",
    "note": "str",
}

# Used when no district row lets us infer the scale of a percentage (e.g. every numerator is zero).
_PERCENT_SCALE = 100.0


def _frame(records: list[dict[str, object]], columns: dict[str, str]) -> pd.DataFrame:
    """Build a frame with fixed columns and dtypes, even when there are no records."""
    return pd.DataFrame(
        {
            name: pd.Series([record[name] for record in records], dtype=dtype)
            for name, dtype in columns.items()
        }
    )


def infer_scale(district_values: pd.DataFrame) -> float | None:
    """The multiplier that turns numerator/denominator into value: 100 for a percent, 100000 per 100,000.

    Taken as the median of value × denominator / numerator over the rows that give all three, rounded to
    the nearest power of ten so rounding in the supplied values does not leak into the scale.  None when
    no row allows it.
    """
    scales = _scales(district_values.assign(indicator=0))
    return scales.get(0)


def _scales(district_values: pd.DataFrame) -> dict[object, float]:
    """``infer_scale`` for each indicator of a frame with an ``indicator`` column, in one grouping."""
    rows = district_values.dropna(subset=["value", "numerator", "denominator"])
    rows = rows[rows["numerator"] != 0]
    ratios = (rows["value"] * rows["denominator"] / rows["numerator"]).rename("ratio")
    ratios = pd.concat([rows["indicator"], ratios], axis=1)
    medians = ratios[ratios["ratio"] > 0].groupby("indicator", sort=False)["ratio"].median()
    return {indicator: float(10 ** round(math.log10(float(m)))) for indicator, m in medians.items()}


def _what_cannot_be_summed(unit: str) -> str:
    if unit == Unit.RATE:
        return "a rate"
    if unit in PERCENT_UNITS:
        return "a percentage"
    return f"a value in {unit}"


def derive_whole_partnership(
    district_values: pd.DataFrame, *, district_codes: Sequence[str], unit: str
) -> pd.DataFrame:
    """Derive a whole-partnership value for each period from the district values.

    ``district_values`` has columns period_start, district_code, value, numerator, denominator (NaN when
    blank); rows for districts not in ``district_codes`` are ignored.  The returned DataFrame always has
    one row per period_start in the input, sorted, with columns period_start, value (NaN unless derived),
    numerator, denominator (summed for ratios, else NaN), districts_reported (districts giving a value,
    or for non-counts a numerator and denominator), districts_expected, method ("sum", "ratio",
    "incomplete" or "none") and note (one sentence saying how the value was obtained or why there is none).
    """
    derived = derive_all(district_values.assign(indicator=0), district_codes=district_codes, units={0: unit})
    return derived.drop(columns="indicator")


def derive_all(
    district_values: pd.DataFrame, *, district_codes: Sequence[str], units: Mapping[object, str]
) -> pd.DataFrame:
    """``derive_whole_partnership`` for many indicators at once, in a few groupings over all their rows.

    ``district_values`` has an ``indicator`` column (any key of ``units``) besides the columns
    ``derive_whole_partnership`` reads; the result has ``indicator`` first, then that function's columns,
    one row per indicator and period, sorted by indicator and period.  The import rebuilds every
    whole-partnership series with it, so its cost must not grow with a Python loop over periods.
    """
    expected_codes = set(district_codes)
    expected = len(expected_codes)
    if district_values.duplicated(subset=["indicator", "period_start", "district_code"]).any():
        raise ValueError("district_values has more than one row for a period and district")
    known = district_values[district_values["district_code"].isin(expected_codes)]
    tallies = (
        known.assign(
            has_value=known["value"].notna(),
            has_ratio=known["numerator"].notna() & known["denominator"].notna(),
        )
        .assign(has_either=lambda frame: frame["has_value"] | frame["has_ratio"])
        .groupby(["indicator", "period_start"], sort=False)
        .agg(
            with_value=("has_value", "sum"),
            with_ratio=("has_ratio", "sum"),
            with_either=("has_either", "sum"),
            value=("value", "sum"),
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
        )
    )
    periods = (
        district_values[["indicator", "period_start"]]
        .drop_duplicates()
        .sort_values(["indicator", "period_start"])
    )
    index = pd.MultiIndex.from_frame(periods)
    tallies = tallies.reindex(index, fill_value=0).reset_index()

    unit = tallies["indicator"].map(units).astype(object)
    is_count = (unit == Unit.COUNT).to_numpy()
    scales = _scales(known)
    scale = np.array(
        [
            math.nan if u == Unit.COUNT else scales.get(i, _PERCENT_SCALE if u in PERCENT_UNITS else math.nan)
            for i, u in zip(tallies["indicator"], unit, strict=True)
        ],
        dtype=float,
    )
    with_value = tallies["with_value"].to_numpy(dtype=int)
    with_ratio = tallies["with_ratio"].to_numpy(dtype=int)
    reported = np.where(is_count, with_value, tallies["with_either"].to_numpy(dtype=int))
    numerator = tallies["numerator"].to_numpy(dtype=float)
    denominator = tallies["denominator"].to_numpy(dtype=float)
    every_ratio = (with_ratio == expected) & (expected > 0)

    # One method per row, in the order of the rules; a count needs the value itself, a ratio can be
    # rebuilt from numerator and denominator.
    summed = is_count & (reported == expected) & (expected > 0)
    ratio = ~is_count & every_ratio & (denominator != 0) & ~np.isnan(scale)
    method = np.select(
        [summed, is_count, ratio, ~is_count & every_ratio, ~is_count & (with_ratio > 0)],
        ["sum", "incomplete", "ratio", "none", "incomplete"],
        default="none",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_values = numerator / denominator * scale
    value = np.select(
        [method == "sum", method == "ratio"], [tallies["value"].to_numpy(dtype=float), ratio_values], math.nan
    )
    notes = [
        _derivation_note(m, u, n_reported, n_ratio, expected, d)
        for m, u, n_reported, n_ratio, d in zip(method, unit, reported, with_ratio, denominator, strict=True)
    ]
    return pd.DataFrame(
        {
            "indicator": tallies["indicator"],
            "period_start": tallies["period_start"].astype(object),
            "value": value,
            "numerator": np.where(method == "ratio", numerator, math.nan),
            "denominator": np.where(method == "ratio", denominator, math.nan),
            "districts_reported": reported.astype("int64"),
            "districts_expected": np.full(len(tallies), expected, dtype="int64"),
            "method": pd.Series(method, dtype="str"),
            "note": pd.Series(notes, dtype="str"),
        }
    ).astype(DERIVED_COLUMNS)


def _derivation_note(
    method: str, unit: str, reported: int, with_ratio: int, expected: int, denominator: float
) -> str:
    """The one sentence saying how a derived value was obtained, or why there is none."""
    all_districts = f"all {plural(expected, 'district')}"
    if method == "sum":
        return f"Sum of {all_districts}."
    if method == "ratio":
        return f"Ratio of summed numerators and denominators from {all_districts}."
    if method == "incomplete" and unit == Unit.COUNT:
        return f"Incomplete: {reported} of {expected} districts reported; no whole-partnership value."
    if method == "incomplete":
        return (
            f"Incomplete: {with_ratio} of {expected} districts gave a numerator and denominator; "
            "no whole-partnership value."
        )
    if expected and with_ratio == expected:
        return (
            "Not derived: the summed denominators are zero."
            if denominator == 0
            else "Not derived: the scale of the values could not be worked out from the districts."
        )
    return (
        f"Not derived: {_what_cannot_be_summed(unit)} cannot be summed "
        "and numerators and denominators were not given."
    )


def _supplied_note(note: object) -> str:
    if note is None or pd.isna(note) or not str(note).strip():
        return "Supplied whole-partnership value."
    return str(note)


def combine_with_supplied(supplied: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """Merge supplied whole-partnership rows with derived ones; a supplied row always wins its period.

    ``supplied`` has columns period_start, value, lower_ci, upper_ci, numerator, denominator, note;
    ``derived`` is the output of ``derive_whole_partnership``.  The returned DataFrame has columns
    period_start, value, lower_ci, upper_ci, numerator, denominator, method ("supplied" or the derived
    method) and note, one row per period, sorted by period_start.
    """
    combined = combine_all(supplied.assign(indicator=0), derived.assign(indicator=0))
    return combined.drop(columns="indicator")


def combine_all(supplied: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """``combine_with_supplied`` for many indicators at once: both frames carry an ``indicator`` column,
    and so does the result (first), sorted by indicator and period."""
    if supplied.duplicated(subset=["indicator", "period_start"]).any():
        raise ValueError("supplied has more than one whole-partnership row for a period")
    # Intervals, numerator, denominator and note are optional in the workbook.
    supplied = supplied.reindex(
        columns=[
            "indicator",
            "period_start",
            "value",
            "lower_ci",
            "upper_ci",
            "numerator",
            "denominator",
            "note",
        ]
    ).assign(method="supplied", note=lambda frame: [_supplied_note(note) for note in frame["note"]])
    supplied_keys = pd.MultiIndex.from_frame(supplied[["indicator", "period_start"]])
    derived_keys = pd.MultiIndex.from_frame(derived[["indicator", "period_start"]])
    derived = derived[~derived_keys.isin(supplied_keys)].assign(lower_ci=math.nan, upper_ci=math.nan)
    columns = ["indicator", *COMBINED_COLUMNS]
    # Empty parts are left out: concat with empty or all-NaN frames is deprecated and warns.
    parts = [part[columns] for part in (derived, supplied) if not part.empty]
    combined = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    combined = combined.sort_values(["indicator", "period_start"], kind="stable").reset_index(drop=True)
    return combined.astype(COMBINED_COLUMNS)
