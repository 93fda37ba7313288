"""Indicator charts: what the trend chart, sparkline and text alternative really contain.

The builders return plain figure dicts; the tests read them through ``go.Figure``, which also proves
each one is a valid plotly figure.
"""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from components.charts import (
    DISTRICT_COLOURS,
    EMPTY_MESSAGE,
    INCOMPLETE_NAME,
    MAX_TICKS,
    NAVY,
    chart_config,
    describe_trend,
    sparkline_figure,
    trend_figure,
    trend_rows_by_indicator,
)
from data_access.progress import TREND_COLUMNS
from domain.periods import period_end, period_label, periods_between

NAN = math.nan
WP = ("", "Whole partnership")
FAREHAM = ("FAR", "Fareham")
GOSPORT = ("GOS", "Gosport")
Q1_24, Q2_24, Q3_24, Q4_24 = date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)
Q2_25 = date(2025, 7, 1)


def ends(*starts: date, frequency: str = "quarter") -> list[str]:
    """Where the chart draws each period: on its last day, as the browser receives a date."""
    return [period_end(start, frequency).isoformat() for start in starts]


def row(
    series: tuple[str, str],
    start: date,
    value: float,
    *,
    lower: float = NAN,
    upper: float = NAN,
    method: str = "supplied",
    note: str | None = "",
    frequency: str = "quarter",
) -> dict[str, object]:
    code, name = series
    return {
        "series_code": code,
        "series_name": name,
        "period_start": start,
        "period_label": period_label(start, frequency),
        "value": value,
        "lower_ci": lower,
        "upper_ci": upper,
        "method": method,
        "note": note,
    }


def trend(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=TREND_COLUMNS)


def figure(data: pd.DataFrame, **overrides: object) -> go.Figure:
    options = {
        "name": "Knife crime offences",
        "unit": "count",
        "frequency": "quarter",
        "good_direction": "down",
        "target": None,
        "tolerance": 0.05,
    } | overrides
    return go.Figure(trend_figure(data, **options))


def sparkline(data: pd.DataFrame, **options: object) -> go.Figure:
    return go.Figure(sparkline_figure(data, **options))


def describe(data: pd.DataFrame, **overrides: object) -> str:
    options = {"name": "Knife crime offences", "unit": "count", "frequency": "quarter", "target": None}
    return describe_trend(data, **(options | overrides))


THREE_SERIES = trend(
    row(FAREHAM, Q1_24, 412),
    row(FAREHAM, Q2_24, 398),
    row(WP, Q1_24, 1234, method="sum", note="Sum of all 2 districts."),
    row(WP, Q2_24, 1190, method="sum", note="Sum of all 2 districts."),
    row(GOSPORT, Q1_24, 822),
    row(GOSPORT, Q2_24, 792),
)


# ---------------------------------------------------------------------------------------------------------
# Trend chart: series


def test_whole_partnership_is_first_thicker_and_navy_whatever_the_row_order() -> None:
    fig = figure(THREE_SERIES)

    assert [trace.name for trace in fig.data] == ["Whole partnership", "Fareham", "Gosport"]
    whole, fareham, gosport = fig.data
    assert whole.line.color == NAVY
    assert whole.line.dash == "solid"
    assert whole.line.width > fareham.line.width
    assert whole.line.width > gosport.line.width
    assert whole.marker.size > fareham.marker.size
    assert [fareham.line.color, gosport.line.color] == list(DISTRICT_COLOURS[:2])
    assert all(trace.mode == "lines+markers" and trace.connectgaps is False for trace in fig.data)


def test_x_is_the_period_end_and_y_the_value() -> None:
    whole = figure(THREE_SERIES).data[0]

    assert list(whole.x) == ["2024-06-30", "2024-09-30"]
    assert list(whole.y) == [1234, 1190]


def test_twelve_series_can_be_told_apart_without_colour() -> None:
    districts = [(f"D{i:02d}", f"District {i}") for i in range(11)]
    data = trend(row(WP, Q1_24, 100), *(row(d, Q1_24, 10 + i) for i, d in enumerate(districts)))

    traces = figure(data).data

    assert len(traces) == 12
    symbols = [trace.marker.symbol for trace in traces]
    assert len(set(symbols)) == 12
    # The whole partnership is the only unbroken line.
    assert [trace.line.dash for trace in traces].count("solid") == 1
    assert set(trace.line.color for trace in traces[1:]) == set(DISTRICT_COLOURS)


def test_a_district_only_chart_still_styles_each_district_differently() -> None:
    data = trend(row(FAREHAM, Q1_24, 412), row(GOSPORT, Q1_24, 822))

    fareham, gosport = figure(data).data

    assert (fareham.marker.symbol, fareham.line.color) != (gosport.marker.symbol, gosport.line.color)
    assert fareham.line.color != NAVY


def hover_shown(trace) -> list[str]:
    """What hovering each point shows: the trace's template filled in with the point's text."""
    template = trace.hovertemplate.removesuffix("<extra></extra>")
    return [template.replace("%{hovertext}", text) for text in trace.hovertext]


def test_hover_text_uses_period_labels_and_thousands_separators() -> None:
    fig = figure(THREE_SERIES)

    assert hover_shown(fig.data[0]) == [
        "Whole partnership<br>Q1 2024/25: 1,234<br>Sum of all 2 districts.",
        "Whole partnership<br>Q2 2024/25: 1,190<br>Sum of all 2 districts.",
    ]
    assert hover_shown(fig.data[1]) == ["Fareham<br>Q1 2024/25: 412", "Fareham<br>Q2 2024/25: 398"]
    # Whose series it is, and a note every point shares, are written once in the trace's template.
    assert list(fig.data[0].hovertext) == ["Q1 2024/25: 1,234", "Q2 2024/25: 1,190"]
    assert fig.data[0].hovertemplate == (
        "Whole partnership<br>%{hovertext}<br>Sum of all 2 districts.<extra></extra>"
    )
    assert fig.data[1].hovertemplate == "Fareham<br>%{hovertext}<extra></extra>"


def test_notes_that_differ_between_points_stay_with_their_points() -> None:
    data = trend(row(WP, Q1_24, 10, note="Revised"), row(WP, Q2_24, 11), row(WP, Q3_24, 12, note="Revised"))

    (whole,) = figure(data).data

    assert hover_shown(whole) == [
        "Whole partnership<br>Q1 2024/25: 10<br>Revised",
        "Whole partnership<br>Q2 2024/25: 11",
        "Whole partnership<br>Q3 2024/25: 12<br>Revised",
    ]


def test_a_series_name_is_escaped_in_the_hover_template_and_never_read_as_a_template_field() -> None:
    data = trend(row(WP, Q1_24, 1), row(("ODD", "Rhyl & Prestatyn %{y} <b>"), Q1_24, 2))

    assert figure(data).data[1].hovertemplate == (
        "Rhyl &amp; Prestatyn &#37;{y} &lt;b&gt;<br>%{hovertext}<extra></extra>"
    )


def test_hover_text_shows_the_interval_in_the_indicator_unit_and_escapes_notes() -> None:
    data = trend(row(WP, Q1_24, 12.34, lower=10.5, upper=14.25, note="Revised <provisional> 5%{y}"))

    (whole,) = figure(data, unit="percent").data

    assert hover_shown(whole) == [
        "Whole partnership<br>Q1 2024/25: 12.3% (interval 10.5% to 14.2%)"
        "<br>Revised &lt;provisional&gt; 5&#37;{y}"
    ]


# ---------------------------------------------------------------------------------------------------------
# Trend chart: confidence intervals, gaps, incomplete periods


def test_error_bars_only_on_series_with_confidence_intervals() -> None:
    data = trend(
        row(WP, Q1_24, 50.0, lower=45.0, upper=56.0),
        row(WP, Q2_24, 52.0),
        row(FAREHAM, Q1_24, 40.0),
        row(FAREHAM, Q2_24, 41.0),
    )

    whole, fareham = figure(data, unit="rate").data

    assert whole.error_y.type == "data"
    assert whole.error_y.symmetric is False
    assert whole.error_y.array[0] == pytest.approx(6.0)
    assert whole.error_y.arrayminus[0] == pytest.approx(5.0)
    assert whole.error_y.array[1] is None and whole.error_y.arrayminus[1] is None
    assert fareham.error_y.array is None
    assert fareham.error_y.type is None


def test_no_error_bars_when_no_series_has_intervals() -> None:
    assert all(trace.error_y.array is None for trace in figure(THREE_SERIES).data)


def test_incomplete_whole_partnership_period_is_a_gap_with_a_grey_marker_at_the_foot() -> None:
    note = "Incomplete: 1 of 2 districts reported; no whole-partnership value."
    data = trend(
        row(WP, Q1_24, 1234, method="sum"),
        row(WP, Q2_24, NAN, method="incomplete", note=note),
        row(WP, Q3_24, 1100, method="sum"),
        row(FAREHAM, Q1_24, 412),
        row(FAREHAM, Q2_24, 398),
        row(FAREHAM, Q3_24, 380),
    )

    fig = figure(data)

    assert [trace.name for trace in fig.data] == ["Whole partnership", "Fareham", INCOMPLETE_NAME]
    whole, _, incomplete = fig.data
    assert whole.y[0] == 1234 and whole.y[1] is None and whole.y[2] == 1100
    assert whole.connectgaps is False
    assert list(incomplete.x) == ends(Q2_24)
    assert incomplete.yaxis == "y2"
    assert incomplete.mode == "markers"
    assert incomplete.marker.symbol == "circle-open"
    assert list(incomplete.hovertext) == [f"Q2 2024/25: no value<br>{note}"]
    assert incomplete.hovertemplate == "Whole partnership<br>%{hovertext}<extra></extra>"
    assert fig.layout.yaxis2.overlaying == "y"
    assert fig.layout.yaxis2.visible is False
    assert tuple(fig.layout.yaxis2.range) == (0, 1)
    assert 0 < incomplete.y[0] < 0.1


def test_figure_with_gaps_and_intervals_serialises_for_the_browser() -> None:
    data = trend(
        row(WP, Q1_24, 1234, lower=1200, upper=1300),
        row(WP, Q2_24, NAN, method="incomplete", note="Incomplete."),
        row(WP, Q3_24, 1100),
    )

    options = {"unit": "count", "frequency": "quarter", "good_direction": "down", "tolerance": 0.05}
    fig = trend_figure(data, name="Knife crime", target=1100, **options)
    sent = json.loads(to_json_plotly(fig))  # as Dash sends it

    assert sent["data"][0]["x"] == ["2024-06-30", "2024-09-30", "2024-12-31"]
    assert sent["data"][0]["y"] == [1234, None, 1100]
    assert sent["data"][0]["error_y"]["array"] == [66, None, None]
    # Plain JSON already: no dates, NaN or numpy values left for Dash's encoder to convert.
    assert json.loads(json.dumps(fig, allow_nan=False)) == sent


def test_every_figure_is_plain_json_and_new_on_each_call() -> None:
    data = trend(
        row(WP, Q1_24, 1234, lower=1200, upper=1300),
        row(WP, Q2_24, NAN, method="incomplete", note="Incomplete."),
        row(FAREHAM, Q3_24, 400),
    )
    options = {"unit": "count", "frequency": "quarter", "target": 1100}
    builders = [
        lambda: trend_figure(data, name="Knife crime", good_direction="down", tolerance=0.05, **options),
        lambda: sparkline_figure(data, **options),
        lambda: sparkline_figure(data, series_codes=["FAR"], **options),
        lambda: trend_figure(
            data.iloc[:0], name="Knife crime", good_direction="down", tolerance=0.05, **options
        ),
    ]
    for build in builders:
        first = build()
        text = json.dumps(first, allow_nan=False)
        # Changing one figure, however deeply, changes no other.
        first["layout"]["template"]["layout"]["xaxis"]["ticks"] = ""
        first["layout"]["font"]["size"] = 99
        for trace in first["data"]:
            trace["x"].clear()
            trace["marker"]["color"] = "red"
        assert json.dumps(build(), allow_nan=False) == text


def test_no_incomplete_trace_or_second_axis_without_incomplete_periods() -> None:
    fig = figure(THREE_SERIES)

    assert INCOMPLETE_NAME not in [trace.name for trace in fig.data]
    assert "yaxis2" not in fig.to_plotly_json()["layout"]


def test_a_period_missing_from_a_series_is_a_gap_not_a_joined_line() -> None:
    data = trend(
        row(WP, Q1_24, 100),
        row(WP, Q2_24, 110),
        row(WP, Q3_24, 120),
        row(FAREHAM, Q1_24, 40),
        row(FAREHAM, Q3_24, 45),
    )

    fareham = figure(data).data[1]

    assert list(fareham.x) == ends(Q1_24, Q2_24, Q3_24)
    assert fareham.y[0] == 40 and fareham.y[1] is None and fareham.y[2] == 45


def test_a_period_nobody_reported_is_still_a_gap() -> None:
    data = trend(row(WP, Q1_24, 100), row(WP, Q3_24, 120))

    whole = figure(data).data[0]

    assert list(whole.x) == ends(Q1_24, Q2_24, Q3_24)
    assert whole.y[1] is None


def test_database_style_object_columns_are_accepted() -> None:
    data = trend(row(WP, Q1_24, 1), row(WP, Q2_24, 2)).astype(object)
    data["value"] = [Decimal("1234"), None]
    data["period_start"] = [pd.Timestamp(Q1_24), pd.Timestamp(Q2_24)]
    data["note"] = [None, None]

    whole = figure(data).data[0]

    assert list(whole.x) == ends(Q1_24, Q2_24)
    assert whole.y[0] == 1234.0 and whole.y[1] is None
    assert whole.hovertext[0] == "Q1 2024/25: 1,234"


# ---------------------------------------------------------------------------------------------------------
# Trend chart: target and tolerance


def test_target_is_a_dashed_line_with_a_label() -> None:
    fig = figure(THREE_SERIES, target=1100, tolerance=0)

    lines = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert len(lines) == 1
    (line,) = lines
    assert (line.y0, line.y1) == (1100, 1100)
    assert (line.xref, line.x0, line.x1) == ("paper", 0, 1)
    assert line.line.dash == "dash"
    assert line.opacity == 1
    assert [annotation.text for annotation in fig.layout.annotations] == ["Target 1,100"]
    assert fig.layout.annotations[0].y == 1100


@pytest.mark.parametrize(
    ("good_direction", "band"),
    [
        # Lower is better: the amber zone is just above the target.
        ("down", (1100, 1155)),
        # Higher is better: the amber zone is just below the target.
        ("up", (1045, 1100)),
    ],
)
def test_tolerance_band_is_on_the_bad_side_of_the_target(good_direction: str, band: tuple) -> None:
    fig = figure(THREE_SERIES, target=1100, tolerance=0.05, good_direction=good_direction)

    rects = [shape for shape in fig.layout.shapes if shape.type == "rect"]
    assert len(rects) == 1
    (rect,) = rects
    assert (rect.y0, rect.y1) == pytest.approx(band)
    assert rect.layer == "below"
    assert rect.fillcolor.startswith("rgba(")


def test_tolerance_band_on_a_negative_target_uses_its_size() -> None:
    fig = figure(THREE_SERIES, target=-200, tolerance=0.1, good_direction="up")

    (rect,) = [shape for shape in fig.layout.shapes if shape.type == "rect"]
    assert (rect.y0, rect.y1) == pytest.approx((-220, -200))


@pytest.mark.parametrize(
    ("good_direction", "tolerance"), [("none", 0.05), ("down", 0.0), ("down", None), ("up", NAN)]
)
def test_no_tolerance_band_without_a_direction_or_tolerance(good_direction: str, tolerance: float) -> None:
    fig = figure(THREE_SERIES, target=1100, tolerance=tolerance, good_direction=good_direction)

    assert [shape.type for shape in fig.layout.shapes] == ["line"]


@pytest.mark.parametrize("target", [None, NAN])
def test_no_target_draws_no_line_band_or_label(target: float | None) -> None:
    fig = figure(THREE_SERIES, target=target)

    assert fig.layout.shapes == ()
    assert fig.layout.annotations == ()


# ---------------------------------------------------------------------------------------------------------
# Trend chart: axes and layout


def test_quarterly_ticks_are_period_labels_thinned_and_ending_at_the_latest() -> None:
    starts = periods_between(date(2019, 4, 1), date(2026, 7, 1), "quarter")
    data = trend(*(row(WP, start, 100 + i) for i, start in enumerate(starts)))

    xaxis = figure(data).layout.xaxis

    assert xaxis.type == "date"
    assert xaxis.tickmode == "array"
    assert 2 <= len(xaxis.tickvals) <= MAX_TICKS
    assert xaxis.tickvals[-1] == "2026-09-30"
    assert xaxis.ticktext[-1] == "Q2 2026/27"
    assert list(xaxis.ticktext) == [
        period_label(start, "quarter") for start in starts if ends(start)[0] in xaxis.tickvals
    ]
    # Stepping by whole years keeps every tick on the same quarter.
    assert {text[:2] for text in xaxis.ticktext} == {"Q2"}


def test_every_period_is_labelled_when_there_are_few() -> None:
    xaxis = figure(THREE_SERIES).layout.xaxis

    assert list(xaxis.tickvals) == ends(Q1_24, Q2_24)
    assert list(xaxis.ticktext) == ["Q1 2024/25", "Q2 2024/25"]


def test_yearly_and_monthly_ticks_read_as_periods() -> None:
    years = trend(*(row(WP, date(y, 4, 1), y, frequency="year") for y in range(2018, 2021)))
    months = periods_between(date(2023, 1, 1), date(2025, 9, 1), "month")
    monthly = trend(*(row(WP, start, 5, frequency="month") for start in months))

    assert list(figure(years, frequency="year").layout.xaxis.ticktext) == ["2018/19", "2019/20", "2020/21"]
    ticktext = list(figure(monthly, frequency="month").layout.xaxis.ticktext)
    assert len(ticktext) <= MAX_TICKS
    assert ticktext[-1] == "Sep 2025"
    assert {text[:3] for text in ticktext} <= {"Mar", "Sep"}


def test_layout_is_readable_on_a_shared_screen() -> None:
    layout = figure(THREE_SERIES).layout

    assert layout.height == 320
    assert layout.font.family == "Liberation Sans, Arial, sans-serif"
    assert layout.font.size == 14
    assert layout.separators == ".,"
    assert layout.legend.orientation == "h"
    assert layout.legend.y > 1
    assert layout.title.text is None
    assert layout.yaxis.separatethousands is True
    assert layout.yaxis.exponentformat == "none"


@pytest.mark.parametrize(
    ("unit", "title", "rangemode", "suffix", "prefix"),
    [
        ("count", "Count", "tozero", None, None),
        ("rate", "Rate", "normal", None, None),
        ("percent", "Percent", "normal", "%", None),
        ("gbp", "£", "normal", None, "£"),
        ("days", "Days", "normal", None, None),
    ],
)
def test_value_axis_says_the_unit(unit: str, title: str, rangemode: str, suffix: str, prefix: str) -> None:
    yaxis = figure(THREE_SERIES, unit=unit).layout.yaxis

    assert yaxis.title.text == title
    assert yaxis.rangemode == rangemode
    assert yaxis.ticksuffix == suffix
    assert yaxis.tickprefix == prefix


@pytest.mark.parametrize(
    "data",
    [
        pd.DataFrame(columns=TREND_COLUMNS),
        trend(row(WP, Q1_24, NAN, method="incomplete"), row(FAREHAM, Q1_24, NAN)),
    ],
    ids=["no rows", "all blank"],
)
def test_empty_trend_says_so_with_hidden_axes(data: pd.DataFrame) -> None:
    fig = figure(data, target=1100)

    assert fig.data == ()
    assert [annotation.text for annotation in fig.layout.annotations] == [EMPTY_MESSAGE]
    assert (fig.layout.annotations[0].x, fig.layout.annotations[0].y) == (0.5, 0.5)
    assert fig.layout.xaxis.visible is False
    assert fig.layout.yaxis.visible is False
    assert fig.layout.shapes == ()
    # Only the house template is sent, not plotly's default with styles for every kind of trace.
    assert list(fig.to_plotly_json()["layout"]["template"]) == ["layout"]


# ---------------------------------------------------------------------------------------------------------
# Sparkline


def test_sparkline_is_one_bare_navy_line_with_the_last_value_marked() -> None:
    data = trend(row(WP, Q1_24, 1234), row(WP, Q2_24, 1190), row(WP, Q3_24, NAN, method="incomplete"))

    fig = sparkline(data, unit="count", frequency="quarter", target=None)

    assert len(fig.data) == 1
    (line,) = fig.data
    assert line.line.color == NAVY
    assert list(line.marker.size) == [0, 7, 0]
    assert list(line.hovertext) == ["Q1 2024/25: 1,234", "Q2 2024/25: 1,190", None]
    layout = fig.layout
    assert layout.height == 60
    assert layout.showlegend is False
    assert layout.xaxis.visible is False and layout.yaxis.visible is False
    assert layout.paper_bgcolor == layout.plot_bgcolor == "rgba(0, 0, 0, 0)"
    assert layout.shapes == ()


def test_sparkline_draws_only_the_whole_partnership_and_a_dotted_target() -> None:
    fig = sparkline(THREE_SERIES, unit="count", frequency="quarter", target=1100)

    assert list(fig.data[0].y) == [1234, 1190]
    (target,) = fig.layout.shapes
    assert (target.y0, target.y1, target.line.dash) == (1100, 1100, "dot")


def test_sparkline_of_chosen_districts_draws_each_in_its_own_style() -> None:
    fig = sparkline(THREE_SERIES, unit="count", frequency="quarter", target=None, series_codes=["FAR", "GOS"])

    assert [list(trace.y) for trace in fig.data] == [[412, 398], [822, 792]]
    # The same colours as the trend charts, where the whole partnership alone is navy and solid.
    assert [trace.line.color for trace in fig.data] == list(DISTRICT_COLOURS[:2])
    assert "solid" not in {trace.line.dash for trace in fig.data}


def test_sparkline_without_period_labels_makes_them() -> None:
    data = pd.DataFrame({"period_start": [date(2025, 8, 1), date(2025, 9, 1)], "value": [3.5, 4.25]})

    fig = sparkline(data, unit="percent", frequency="month", target=None)

    assert list(fig.data[0].hovertext) == ["Aug 2025: 3.5%", "Sep 2025: 4.2%"]


@pytest.mark.parametrize(
    "data",
    [pd.DataFrame(columns=TREND_COLUMNS), trend(row(WP, Q1_24, NAN)), trend(row(FAREHAM, Q1_24, 5))],
    ids=["no rows", "blank", "districts only"],
)
def test_sparkline_without_values_is_blank(data: pd.DataFrame) -> None:
    fig = sparkline(data, unit="count", frequency="quarter", target=1100)

    assert fig.data == ()
    assert fig.layout.annotations == ()
    assert fig.layout.height == 60


# ---------------------------------------------------------------------------------------------------------
# Text alternative


def test_description_of_the_briefed_example() -> None:
    data = trend(
        row(WP, date(2018, 4, 1), 1500),
        row(WP, date(2025, 7, 1), 1300),
        row(WP, date(2026, 7, 1), 1234),
        row(("FAR", "Fareham"), date(2026, 7, 1), 600),
        row(("GOS", "Gosport"), date(2026, 7, 1), 634),
    )

    assert describe(data, target=1100) == (
        "Knife crime offences, whole partnership: 1,234 in July to September 2026, down 5.1% on "
        "July to September 2025 (1,300). Target 1,100. "
        "Shown for periods ending June 2018 to September 2026 with 2 districts: Fareham, Gosport."
    )


def test_description_of_a_rise_without_districts() -> None:
    data = trend(row(WP, Q2_24, 1000), row(WP, Q2_25, 1250))

    assert describe(data) == (
        "Knife crime offences, whole partnership: 1,250 in July to September 2025, up 25.0% on "
        "July to September 2024 (1,000). Shown for periods ending September 2024 to September 2025."
    )


def test_description_of_no_change() -> None:
    data = trend(row(WP, Q2_24, 1000), row(WP, Q2_25, 1000))

    assert describe(data).startswith(
        "Knife crime offences, whole partnership: 1,000 in July to September 2025, "
        "unchanged from July to September 2024 (1,000)."
    )


def test_description_of_a_rise_from_zero() -> None:
    data = trend(row(WP, Q2_24, 0), row(WP, Q2_25, 3))

    assert describe(data).startswith(
        "Knife crime offences, whole partnership: 3 in July to September 2025, up from 0 in July to September 2024."
    )


def test_description_of_a_percentage_change_is_in_points() -> None:
    data = trend(row(WP, Q2_24, 45.0), row(WP, Q2_25, 42.9))

    assert describe(data, name="Repeat victims", unit="percent", target=40) == (
        "Repeat victims, whole partnership: 42.9% in July to September 2025, down 2.1 points on "
        "July to September 2024 (45.0%). Target 40.0%. Shown for periods ending September 2024 to September 2025."
    )


def test_description_without_a_value_a_year_earlier() -> None:
    data = trend(row(WP, Q1_24, 900), row(WP, Q2_24, 950))

    assert describe(data) == (
        "Knife crime offences, whole partnership: 950 in July to September 2024; "
        "no value for July to September 2023 to compare with. Shown for periods ending June to September 2024."
    )


def test_description_of_a_single_value() -> None:
    assert describe(trend(row(WP, Q2_24, 950)), target=1000) == (
        "Knife crime offences, whole partnership: 950 in July to September 2024, the only value reported. "
        "Target 1,000."
    )


def test_description_mentions_incomplete_latest_periods() -> None:
    data = trend(
        row(WP, Q1_24, 900),
        row(WP, Q2_24, NAN, method="incomplete"),
        row(WP, Q3_24, NAN, method="incomplete"),
        row(FAREHAM, Q3_24, 300),
    )

    assert describe(data) == (
        "Knife crime offences, whole partnership: 900 in April to June 2024, the only value reported; "
        "the 2 periods ending September to December 2024 are incomplete (not all districts reported). "
        "Shown for periods ending June to December 2024 with 1 district: Fareham."
    )


def test_description_when_no_whole_partnership_value_could_be_derived() -> None:
    data = trend(row(WP, Q4_24, NAN, method="incomplete"), row(GOSPORT, Q4_24, 12.5))

    assert describe(data, unit="rate") == (
        "Knife crime offences: no whole-partnership value could be derived; "
        "January to March 2025 is incomplete (not all districts reported). "
        "Shown for January to March 2025 with 1 district: Gosport."
    )


def test_description_of_a_monthly_series_names_months() -> None:
    data = trend(
        row(WP, date(2024, 9, 1), 80, frequency="month"),
        row(WP, date(2025, 9, 1), 76, frequency="month"),
    )

    assert describe(data, frequency="month") == (
        "Knife crime offences, whole partnership: 76 in September 2025, down 5.0% on September 2024 (80). "
        "Shown for September 2024 to September 2025."
    )


@pytest.mark.parametrize(
    "data", [pd.DataFrame(columns=TREND_COLUMNS), trend(row(WP, Q1_24, NAN))], ids=["no rows", "blank"]
)
def test_description_of_an_empty_trend(data: pd.DataFrame) -> None:
    assert describe(data, target=1100) == "Knife crime offences: no values reported by this date."


# ---------------------------------------------------------------------------------------------------------
# dcc.Graph config


def test_chart_config_offers_only_a_png_download_and_no_logo() -> None:
    config = chart_config(filename="knife-crime")

    assert config["displaylogo"] is False
    assert config["responsive"] is True
    assert config["modeBarButtons"] == [["toImage"]]
    assert config["toImageButtonOptions"]["format"] == "png"
    assert config["toImageButtonOptions"]["filename"] == "knife-crime"
    assert "staticPlot" not in config


def test_static_chart_config_for_sparklines() -> None:
    config = chart_config(static=True)

    assert config["staticPlot"] is True
    assert config["displayModeBar"] is False
    assert config["displaylogo"] is False


def test_rolling_years_published_quarterly_sit_three_months_apart_at_their_ends() -> None:
    # Police recorded crime as the ONS publishes it: years ending Mar, Jun, Sep and Dec, overlapping.
    starts = [date(2023, 4, 1), date(2023, 7, 1), date(2023, 10, 1), date(2024, 1, 1), date(2024, 7, 1)]
    data = trend(*(row(WP, start, 5000 + i, frequency="year") for i, start in enumerate(starts)))

    fig = figure(data, frequency="year")
    whole = fig.data[0]

    # The year ending Jun 2024 (from 1 Jul 2023) is drawn at 30 Jun 2024; the missing year ending
    # Mar 2025 (from 1 Apr 2024) is a gap, not a joined line.
    assert list(whole.x) == [
        "2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30"
    ]  # fmt: skip
    assert whole.y[4] is None
    assert list(fig.layout.xaxis.ticktext)[-1] == "year ending Jun 2025"
    assert "2023/24" in list(fig.layout.xaxis.ticktext)  # the year ending March is a financial year


def test_description_of_rolling_years_compares_the_same_twelve_months_a_year_earlier() -> None:
    data = trend(
        row(WP, date(2023, 7, 1), 5000, frequency="year"),
        row(WP, date(2024, 4, 1), 4900, frequency="year"),
        row(WP, date(2024, 7, 1), 4750, frequency="year"),
    )

    assert describe(data, frequency="year") == (
        "Knife crime offences, whole partnership: 4,750 in the year ending June 2025, down 5.0% on "
        "the year ending June 2024 (5,000). Shown for periods ending June 2024 to June 2025."
    )


def test_calendar_years_read_as_plain_years() -> None:
    data = trend(*(row(WP, date(y, 1, 1), 100 + y - 2020, frequency="year") for y in (2020, 2021, 2022)))

    assert list(figure(data, frequency="year").layout.xaxis.ticktext) == ["2020", "2021", "2022"]
    assert describe(data, frequency="year").startswith(
        "Knife crime offences, whole partnership: 102 in 2022, up 1.0% on 2021 (101)."
    )


def test_an_empty_chart_and_its_description_say_the_message_they_are_given() -> None:
    empty = trend()
    message = "No values in the last 5 years; “All years” shows the earlier ones"

    figure = trend_figure(
        empty,
        name="Referrals",
        unit="count",
        frequency="month",
        good_direction="down",
        target=None,
        tolerance=0.05,
        empty_message=message,
    )
    description = describe_trend(
        empty, name="Referrals", unit="count", frequency="month", target=None, empty_message=message
    )

    assert [note["text"] for note in figure["layout"]["annotations"]] == [message]
    assert description == "Referrals: no values in the last 5 years; “All years” shows the earlier ones."


def test_rows_by_indicator_are_each_indicators_rows_in_order_wherever_they_sit_in_the_frame() -> None:
    rows = [
        row(WP, Q1_24, 10.0, note=None) | {"indicator_code": "knife"},
        row(FAREHAM, Q1_24, 4.0, lower=3.5, upper=4.5) | {"indicator_code": "knife"},
        row(WP, Q1_24, 7.0, method="sum", note="Summed") | {"indicator_code": "calls"},
        row(WP, Q2_24, NAN, method="incomplete") | {"indicator_code": "knife"},
    ]
    together = pd.DataFrame([rows[0], rows[1], rows[3], rows[2]], columns=TREND_COLUMNS)
    apart = pd.DataFrame(rows, columns=TREND_COLUMNS)

    for frame in (together, apart):
        by_indicator = trend_rows_by_indicator(frame)
        assert list(by_indicator) == ["knife", "calls"]
        knife = by_indicator["knife"]
        assert knife.starts == [Q1_24, Q1_24, Q2_24]
        assert knife.codes == ["", "FAR", ""]
        assert knife.values[:2] == [10.0, 4.0] and math.isnan(knife.values[2])
        assert knife.lower[1:2] == [3.5] and knife.upper[1:2] == [4.5]
        assert knife.methods == ["supplied", "supplied", "incomplete"]
        assert knife.notes == ["", "", ""]
        assert knife.labels == ["Q1 2024/25", "Q1 2024/25", "Q2 2024/25"]
        calls = by_indicator["calls"]
        assert (calls.starts, calls.values, calls.methods, calls.notes) == (
            [Q1_24],
            [7.0],
            ["sum"],
            ["Summed"],
        )
