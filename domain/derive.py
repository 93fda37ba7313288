"""Whole-partnership values: supplied, or derived from district values only where that is valid.

The rule from the spec: a supplied value (district blank) always wins.  Otherwise a value is derived
only where that is valid: the sum of district values for counts, and only when every district reported
(else it is marked incomplete); the ratio of summed numerators and denominators where those are given;
otherwise none.  A partial sum would silently understate the partnership, so it is never shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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
    rows = district_values.dropna(subset=["value", "numerator", "denominator"])
    rows = rows[rows["numerator"] != 0]
    ratios = rows["value"] * rows["denominator"] / rows["numerator"]
    ratios = ratios[ratios > 0]
    if ratios.empty:
        return None
    return float(10 ** round(math.log10(float(ratios.median()))))


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
    expected_codes = set(district_codes)
    expected = len(expected_codes)
    if district_values.duplicated(subset=["period_start", "district_code"]).any():
        raise ValueError("district_values has more than one row for a period and district")
    known = district_values[district_values["district_code"].isin(expected_codes)]
    scale = None if unit == Unit.COUNT else infer_scale(known)
    if scale is None and unit in PERCENT_UNITS:
        scale = _PERCENT_SCALE
    all_districts = f"all {plural(expected, 'district')}"

    # Per-period tallies in one grouping, not a filter of every row per period: years of monthly
    # history stay cheap.  The loop below then only reads numbers.
    tallies = (
        known.assign(
            has_value=known["value"].notna(),
            has_ratio=known["numerator"].notna() & known["denominator"].notna(),
        )
        .assign(has_either=lambda frame: frame["has_value"] | frame["has_ratio"])
        .groupby("period_start", sort=False)
        .agg(
            with_value=("has_value", "sum"),
            with_ratio=("has_ratio", "sum"),
            with_either=("has_either", "sum"),
            value=("value", "sum"),
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
        )
    )
    periods = sorted(district_values["period_start"].unique())
    tallies = tallies.reindex(periods, fill_value=0)

    records: list[dict[str, object]] = []
    for period_start, tally in zip(periods, tallies.itertuples(index=False), strict=True):
        # A count needs the value itself; a ratio can be rebuilt from numerator and denominator.
        reported = int(tally.with_value) if unit == Unit.COUNT else int(tally.with_either)
        record: dict[str, object] = {
            "period_start": period_start,
            "value": math.nan,
            "numerator": math.nan,
            "denominator": math.nan,
            "districts_reported": reported,
            "districts_expected": expected,
        }
        if unit == Unit.COUNT:
            if expected and reported == expected:
                record["value"] = float(tally.value)
                record["method"] = "sum"
                record["note"] = f"Sum of {all_districts}."
            else:
                record["method"] = "incomplete"
                record["note"] = (
                    f"Incomplete: {reported} of {expected} districts reported; no whole-partnership value."
                )
            records.append(record)
            continue

        with_ratio = int(tally.with_ratio)
        numerator = float(tally.numerator)
        denominator = float(tally.denominator)
        if expected and with_ratio == expected and denominator != 0 and scale is not None:
            record |= {
                "value": numerator / denominator * scale,
                "numerator": numerator,
                "denominator": denominator,
                "method": "ratio",
                "note": f"Ratio of summed numerators and denominators from {all_districts}.",
            }
        elif expected and with_ratio == expected:
            record["method"] = "none"
            record["note"] = (
                "Not derived: the summed denominators are zero."
                if denominator == 0
                else "Not derived: the scale of the values could not be worked out from the districts."
            )
        elif with_ratio:
            record["method"] = "incomplete"
            record["note"] = (
                f"Incomplete: {with_ratio} of {expected} districts gave a numerator and denominator; "
                "no whole-partnership value."
            )
        else:
            record["method"] = "none"
            record["note"] = (
                f"Not derived: {_what_cannot_be_summed(unit)} cannot be summed "
                "and numerators and denominators were not given."
            )
        records.append(record)
    return _frame(records, DERIVED_COLUMNS)


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
    if supplied["period_start"].duplicated().any():
        raise ValueError("supplied has more than one whole-partnership row for a period")
    by_period: dict[object, dict[str, object]] = {}
    # Records rather than concat: concat with empty or all-NaN frames is deprecated and warns.
    for row in derived.to_dict("records"):
        by_period[row["period_start"]] = {
            "period_start": row["period_start"],
            "value": row["value"],
            "lower_ci": math.nan,
            "upper_ci": math.nan,
            "numerator": row["numerator"],
            "denominator": row["denominator"],
            "method": row["method"],
            "note": row["note"],
        }
    for row in supplied.to_dict("records"):
        by_period[row["period_start"]] = {
            "period_start": row["period_start"],
            "value": row["value"],
            # Intervals, numerator, denominator and note are optional in the workbook.
            "lower_ci": row.get("lower_ci", math.nan),
            "upper_ci": row.get("upper_ci", math.nan),
            "numerator": row.get("numerator", math.nan),
            "denominator": row.get("denominator", math.nan),
            "method": "supplied",
            "note": _supplied_note(row.get("note")),
        }
    records = [by_period[period] for period in sorted(by_period)]
    return _frame(records, COMBINED_COLUMNS)
