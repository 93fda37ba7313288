"""Charts draw exactly what they drew before: every figure and text alternative against a stored snapshot.

``chart_snapshots.json`` holds, for a set of varied inputs, the JSON that Dash sends the browser for each
figure (``plotly.io.json.to_json_plotly``, as ``dash._utils.to_json`` does) and each text alternative.
It was generated from the graph-objects implementation of ``components.charts`` before figures became
plain dicts, so these tests prove the faster builders draw and say the same.  When a chart is changed on
purpose, regenerate it and review the diff:

    python -m tests.unit.test_chart_snapshots
"""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from plotly.io.json import to_json_plotly

from components.charts import describe_trend, empty_figure, sparkline_figure, trend_figure
from data_access.progress import TREND_COLUMNS
from domain.periods import periods_between
from tests.unit.test_charts import row, trend

SNAPSHOTS = Path(__file__).with_name("chart_snapshots.json")

NAN = math.nan
WP = ("", "Whole partnership")
FAREHAM = ("FAR", "Fareham")
GOSPORT = ("GOS", "Gosport")
Q1_24, Q2_24, Q3_24, Q4_24 = date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)
INCOMPLETE_NOTE = "Incomplete: 1 of 2 districts reported; no whole-partnership value."


def wobble(i: int, base: float, spread: float = 50.0) -> float:
    """A deterministic, irregular value near ``base``."""
    return round(base + ((i * 37) % 101 - 50) / 50 * spread, 2)


def series(
    who: tuple[str, str],
    starts: list[date],
    frequency: str,
    base: float,
    *,
    gaps: tuple[int, ...] = (),
    incomplete: tuple[int, ...] = (),
    interval: float = 0.0,
) -> list[dict[str, object]]:
    """Rows of one series: ``gaps`` are positions left out, ``incomplete`` positions without a value."""
    rows = []
    for i, start in enumerate(starts):
        if i in gaps:
            continue
        if i in incomplete:
            rows.append(row(who, start, NAN, frequency=frequency, method="incomplete", note=INCOMPLETE_NOTE))
            continue
        value = wobble(i, base)
        bounds = {"lower": value - interval, "upper": value + interval * 1.5} if interval else {}
        method, note = ("sum", "Sum of all 2 districts.") if who == WP else ("supplied", None)
        rows.append(row(who, start, value, frequency=frequency, method=method, note=note, **bounds))
    return rows


def _months(first: date, last: date) -> list[date]:
    return periods_between(first, last, "month")


def _quarters(first: date, last: date) -> list[date]:
    return periods_between(first, last, "quarter")


ROLLING = [date(y, m, 1) for y in range(2019, 2025) for m in (1, 4, 7, 10)]
ELEVEN = [(f"D{i:02d}", f"District {i}") for i in range(11)]


def _database_style() -> pd.DataFrame:
    """Object columns as rows arrive from the database: Decimal, None, Timestamps."""
    frame = trend(
        row(WP, Q1_24, 1),
        row(WP, Q2_24, 2),
        row(WP, Q3_24, 3),
        row(FAREHAM, Q1_24, 4),
        row(FAREHAM, Q3_24, 5),
    ).astype(object)
    frame["value"] = [Decimal("1234"), None, Decimal("1100.5"), Decimal("400"), Decimal("380")]
    frame["lower_ci"] = [Decimal("1200"), None, None, None, None]
    frame["upper_ci"] = [Decimal("1300"), None, None, None, None]
    frame["period_start"] = [pd.Timestamp(p) for p in frame["period_start"]]
    frame["period_label"] = ["Q1 2024/25", None, "Q3 2024/25", None, None]
    frame["method"] = ["sum", "incomplete", None, None, None]
    frame["note"] = [None, "Incomplete.", None, None, None]
    return frame


def _untidy() -> pd.DataFrame:
    """Districts before the whole partnership, a repeated period (the last row counts), a blank name."""
    return trend(
        row(GOSPORT, Q2_24, 810),
        row(GOSPORT, Q1_24, 822),
        row(WP, Q1_24, 1234, note="First."),
        row(WP, Q1_24, 1240, note="Revised."),
        row(WP, Q2_24, 1190),
        row(("NOS", None), Q1_24, 12),
        row(("NOS", None), Q2_24, 14),
    )


def _without_labels() -> pd.DataFrame:
    return trend(*series(WP, _quarters(Q1_24, date(2025, 7, 1)), "quarter", 900, gaps=(2,))).drop(
        columns="period_label"
    )


# name -> (trend, trend_figure options); describe_trend takes the same options it accepts.
TREND_CASES: dict[str, tuple[pd.DataFrame, dict[str, object]]] = {
    "no rows": (pd.DataFrame(columns=TREND_COLUMNS), {"target": 1100}),
    "all blank": (
        trend(row(WP, Q1_24, NAN, method="incomplete"), row(FAREHAM, Q1_24, NAN)),
        {"target": 1100},
    ),
    "single value": (trend(row(WP, Q2_24, 950)), {"target": 1000}),
    "single value with interval": (
        trend(row(WP, Q2_24, 12.34, lower=10.5, upper=14.25)),
        {"unit": "percent"},
    ),
    "three series, target with band above (down)": (
        trend(
            *series(WP, _quarters(Q1_24, Q4_24), "quarter", 1200),
            *series(FAREHAM, _quarters(Q1_24, Q4_24), "quarter", 400),
            *series(GOSPORT, _quarters(Q1_24, Q4_24), "quarter", 800),
        ),
        {"target": 1100, "tolerance": 0.05, "good_direction": "down"},
    ),
    "target with band below (up)": (
        trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 60)),
        {"target": 55, "tolerance": 0.1, "good_direction": "up", "unit": "rate"},
    ),
    "negative target": (
        trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", -180)),
        {"target": -200, "tolerance": 0.1, "good_direction": "up"},
    ),
    "target without direction or tolerance": (
        trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 1200)),
        {"target": 1100.5, "tolerance": 0.05, "good_direction": "none"},
    ),
    "target, tolerance None": (
        trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 1200)),
        {"target": 1100, "tolerance": None},
    ),
    "target NaN": (trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 1200)), {"target": NAN}),
    "whole partnership all incomplete": (
        trend(
            *series(WP, _quarters(Q1_24, Q4_24), "quarter", 0, incomplete=(0, 1, 2, 3)),
            *series(FAREHAM, _quarters(Q1_24, Q4_24), "quarter", 400),
            *series(GOSPORT, _quarters(Q1_24, Q4_24), "quarter", 800, gaps=(3,)),
        ),
        {"target": 1100},
    ),
    "incomplete periods in the middle and at the end": (
        trend(
            *series(WP, _quarters(date(2022, 4, 1), Q4_24), "quarter", 1200, incomplete=(3, 9, 10)),
            *series(FAREHAM, _quarters(date(2022, 4, 1), Q4_24), "quarter", 400),
        ),
        {},
    ),
    "percent with intervals and notes to escape": (
        trend(
            *series(WP, _quarters(date(2023, 4, 1), Q4_24), "quarter", 42, interval=2.5),
            row(GOSPORT, Q1_24, 40.0, lower=38.0, upper=43.25, note="Revised <provisional> & late"),
            row(GOSPORT, Q2_24, 0.03),
        ),
        {"unit": "percent", "target": 40, "tolerance": 0.1, "good_direction": "up"},
    ),
    "pounds": (
        trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 25000), row(FAREHAM, Q1_24, 1234.56)),
        {"unit": "£", "target": 24000, "tolerance": 0.02},
    ),
    "gbp": (trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 250.5)), {"unit": "gbp", "target": 240}),
    "days": (
        trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 31, interval=1.5)),
        {"unit": "days", "target": 28, "tolerance": 0.1, "good_direction": "down"},
    ),
    "quarters 2010 to 2026, two districts with gaps": (
        trend(
            *series(WP, _quarters(date(2010, 4, 1), date(2026, 4, 1)), "quarter", 1200, incomplete=(20,)),
            *series(FAREHAM, _quarters(date(2010, 4, 1), date(2026, 4, 1)), "quarter", 400, gaps=(5, 6)),
            *series(GOSPORT, _quarters(date(2015, 4, 1), date(2026, 4, 1)), "quarter", 800),
        ),
        {"target": 1100},
    ),
    "months 2010 to 2026": (
        trend(*series(WP, _months(date(2010, 1, 1), date(2026, 6, 1)), "month", 300, gaps=(40, 41))),
        {"frequency": "month", "target": 280, "tolerance": 0.05},
    ),
    "months, two districts with gaps": (
        trend(
            *series(WP, _months(date(2023, 1, 1), date(2025, 9, 1)), "month", 80, incomplete=(32,)),
            *series(FAREHAM, _months(date(2023, 1, 1), date(2025, 9, 1)), "month", 30, gaps=(3, 4, 5)),
            *series(GOSPORT, _months(date(2024, 1, 1), date(2025, 9, 1)), "month", 50, interval=3),
        ),
        {"frequency": "month", "unit": "rate"},
    ),
    "rolling years published quarterly": (
        trend(
            *series(WP, ROLLING, "year", 5000, gaps=(5,), incomplete=(22,)),
            *series(FAREHAM, ROLLING, "year", 1500, gaps=(0, 1)),
        ),
        {"frequency": "year", "target": 4900},
    ),
    "financial years": (
        trend(*series(WP, [date(y, 4, 1) for y in range(2015, 2026)], "year", 700)),
        {"frequency": "year"},
    ),
    "calendar years": (
        trend(*series(WP, [date(y, 1, 1) for y in range(2020, 2023)], "year", 100)),
        {"frequency": "year"},
    ),
    "eleven districts": (
        trend(
            *series(WP, _quarters(Q1_24, Q4_24), "quarter", 1200, incomplete=(2,)),
            *(
                r
                for i, d in enumerate(ELEVEN)
                for r in series(d, _quarters(Q1_24, Q4_24), "quarter", 100 + i)
            ),
        ),
        {"target": 1100},
    ),
    "district only": (trend(row(FAREHAM, Q1_24, 412), row(GOSPORT, Q1_24, 822)), {}),
    "database style object columns": (_database_style(), {"target": Decimal("1100")}),
    "untidy rows": (_untidy(), {}),
    "no period_label column": (_without_labels(), {}),
}

TREND_DEFAULTS = {
    "name": "Knife crime offences <all>",
    "unit": "count",
    "frequency": "quarter",
    "good_direction": "down",
    "target": None,
    "tolerance": 0.05,
}

_LAST_THREE_YEARS = trend(
    *series(WP, _months(date(2022, 10, 1), date(2025, 9, 1)), "month", 80),
    *series(FAREHAM, _months(date(2022, 10, 1), date(2025, 9, 1)), "month", 30, gaps=(4,)),
    *series(GOSPORT, _months(date(2023, 6, 1), date(2025, 9, 1)), "month", 50),
)

# name -> (series, sparkline_figure options)
SPARKLINE_CASES: dict[str, tuple[pd.DataFrame, dict[str, object]]] = {
    "no rows": (pd.DataFrame(columns=TREND_COLUMNS), {"target": 1100}),
    "blank": (trend(row(WP, Q1_24, NAN)), {"target": 1100}),
    "districts only, whole partnership asked": (trend(row(FAREHAM, Q1_24, 5)), {}),
    "whole partnership, last period blank": (
        trend(row(WP, Q1_24, 1234), row(WP, Q2_24, 1190), row(WP, Q3_24, NAN, method="incomplete")),
        {},
    ),
    "whole partnership with a target": (_LAST_THREE_YEARS, {"frequency": "month", "target": 75}),
    "two districts": (_LAST_THREE_YEARS, {"frequency": "month", "series_codes": ["FAR", "GOS"]}),
    "whole partnership and a district": (
        _LAST_THREE_YEARS,
        {"frequency": "month", "series_codes": ["", "GOS"]},
    ),
    "a chosen district without values": (
        _LAST_THREE_YEARS,
        {"frequency": "month", "series_codes": ["XYZ", "GOS"], "target": 50.5},
    ),
    "values only (as the overview passes them)": (
        _LAST_THREE_YEARS[_LAST_THREE_YEARS["value"].notna()],
        {"frequency": "month", "series_codes": ["FAR"]},
    ),
    "no labels or series codes, percent": (
        pd.DataFrame(
            {
                "period_start": [date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)],
                "value": [3.5, NAN, 4.25],
            }
        ),
        {"frequency": "month", "unit": "percent"},
    ),
    "rolling years": (trend(*series(WP, ROLLING[-12:], "year", 5000, gaps=(3,))), {"frequency": "year"}),
    "pounds": (trend(*series(WP, _quarters(Q1_24, Q4_24), "quarter", 99.99)), {"unit": "£", "target": 100}),
    "database style object columns": (_database_style(), {"target": Decimal("1100")}),
}

SPARKLINE_DEFAULTS = {"unit": "count", "frequency": "quarter", "target": None}

EMPTY_CASES: dict[str, dict[str, object]] = {
    "default": {},
    "message and height": {"message": "No indicators <yet>", "height": 60},
}


def sent(figure: object) -> object:
    """What Dash sends the browser for ``figure`` (dash._utils.to_json)."""
    return json.loads(to_json_plotly(figure))


def render_trend(case: str) -> dict[str, object]:
    data, options = TREND_CASES[case]
    options = TREND_DEFAULTS | options
    describe_options = {k: options[k] for k in ("name", "unit", "frequency", "target")}
    return {
        "figure": sent(trend_figure(data.copy(), **options)),
        "description": describe_trend(data.copy(), **describe_options),
    }


def render_sparkline(case: str) -> dict[str, object]:
    data, options = SPARKLINE_CASES[case]
    return {"figure": sent(sparkline_figure(data.copy(), **(SPARKLINE_DEFAULTS | options)))}


def render_empty(case: str) -> dict[str, object]:
    return {"figure": sent(empty_figure(**EMPTY_CASES[case]))}


def render_all() -> dict[str, dict[str, object]]:
    return (
        {f"trend: {case}": render_trend(case) for case in TREND_CASES}
        | {f"sparkline: {case}": render_sparkline(case) for case in SPARKLINE_CASES}
        | {f"empty: {case}": render_empty(case) for case in EMPTY_CASES}
    )


def write_snapshots() -> None:
    """One case a line, keys sorted, so a deliberate change reads as a short diff."""
    cases = render_all()
    lines = [
        f"{json.dumps(name)}: {json.dumps(snapshot, sort_keys=True, ensure_ascii=False)}"
        for name, snapshot in cases.items()
    ]
    SNAPSHOTS.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def snapshots() -> dict[str, dict[str, object]]:
    return json.loads(SNAPSHOTS.read_text(encoding="utf-8"))


def test_every_case_has_a_snapshot(snapshots: dict[str, dict[str, object]]) -> None:
    expected = (
        {f"trend: {case}" for case in TREND_CASES}
        | {f"sparkline: {case}" for case in SPARKLINE_CASES}
        | {f"empty: {case}" for case in EMPTY_CASES}
    )
    assert set(snapshots) == expected


@pytest.mark.parametrize("case", TREND_CASES)
def test_trend_figure_and_description_are_unchanged(case: str, snapshots) -> None:
    assert render_trend(case) == snapshots[f"trend: {case}"]


@pytest.mark.parametrize("case", SPARKLINE_CASES)
def test_sparkline_is_unchanged(case: str, snapshots) -> None:
    assert render_sparkline(case) == snapshots[f"sparkline: {case}"]


@pytest.mark.parametrize("case", EMPTY_CASES)
def test_empty_figure_is_unchanged(case: str, snapshots) -> None:
    assert render_empty(case) == snapshots[f"empty: {case}"]


if __name__ == "__main__":
    write_snapshots()
