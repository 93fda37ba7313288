"""The trend chart at presentation size: large text, few level period labels, the latest value written on
the chart, and the container deciding the height."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from components.charts import NAVY, PRESENTATION, STANDARD, empty_figure, trend_figure
from domain.periods import add_months
from tests.unit.test_charts import FAREHAM, Q1_24, Q2_24, WP, ends, row, trend

QUARTERS = [add_months(date(2021, 4, 1), 3 * k) for k in range(14)]  # Q1 2021/22 to Q2 2024/25


def slide_figure(data, **overrides) -> go.Figure:
    options = {
        "name": "Knife crime offences",
        "unit": "count",
        "frequency": "quarter",
        "good_direction": "down",
        "target": 100.0,
        "tolerance": 0.05,
        "size": PRESENTATION,
    } | overrides
    return go.Figure(trend_figure(data, **options))


def test_the_slide_decides_the_height_and_the_text_is_large():
    figure = slide_figure(trend(row(WP, Q1_24, 120), row(WP, Q2_24, 90)))
    assert figure.layout.height is None  # fills its container (dcc.Graph's responsive mode)
    assert figure.layout.font.size == PRESENTATION.font == 20 > STANDARD.font
    assert all(note.font.size == 20 for note in figure.layout.annotations)


def test_the_latest_value_is_written_on_the_chart_and_the_target_label_moves_left():
    figure = slide_figure(trend(row(WP, Q1_24, 120), row(WP, Q2_24, 1234.5)))
    target, latest = figure.layout.annotations
    assert (target.text, target.x, target.xanchor) == ("Target 100", 0, "left")
    assert latest.text == "1,234.5"
    assert (latest.x, latest.y, latest.xref, latest.yref) == (ends(Q2_24)[0], 1234.5, "x", "y")
    assert latest.font.color == NAVY and latest.showarrow


def test_few_level_period_labels_and_two_when_they_are_long():
    figure = slide_figure(trend(*(row(WP, start, 50 + k) for k, start in enumerate(QUARTERS))))
    xaxis = figure.layout.xaxis
    assert xaxis.tickangle == 0
    assert list(xaxis.ticktext) == ["Q2 2022/23", "Q2 2024/25"]  # "Q2 2024/25" is too long for three
    months = [add_months(date(2024, 1, 1), k) for k in range(13)]
    monthly = slide_figure(
        trend(*(row(WP, start, 10, frequency="month") for start in months)), frequency="month", target=None
    )
    assert len(monthly.layout.xaxis.ticktext) == 3 <= PRESENTATION.max_ticks


def test_rolling_years_are_labelled_on_two_lines():
    starts = [add_months(date(2023, 4, 1), 3 * k) for k in range(6)]
    figure = slide_figure(
        trend(*(row(WP, start, 2000 - k, frequency="year") for k, start in enumerate(starts))),
        frequency="year",
        target=None,
    )
    assert all(text.startswith("year ending<br>") for text in figure.layout.xaxis.ticktext)


def test_a_lone_whole_partnership_line_has_no_legend_entry_but_districts_do():
    alone = slide_figure(trend(row(WP, Q1_24, 120), row(WP, Q2_24, 90)))
    assert alone.data[0].showlegend is False
    with_district = slide_figure(trend(row(WP, Q1_24, 120), row(FAREHAM, Q1_24, 40)))
    assert with_district.data[0].showlegend is None  # plotly's default: shown beside Fareham
    assert [trace.name for trace in with_district.data] == ["Whole partnership", "Fareham"]


def test_a_count_needs_no_axis_title_on_a_slide_but_a_rate_keeps_it():
    counts = slide_figure(trend(row(WP, Q1_24, 120)))
    rates = slide_figure(trend(row(WP, Q1_24, 12.5)), unit="rate")
    assert counts.layout.yaxis.title.text is None
    assert rates.layout.yaxis.title.text == "Rate"


def test_an_empty_slide_chart_says_so_at_slide_size():
    figure = go.Figure(empty_figure(height=None, size=PRESENTATION))
    assert figure.layout.height is None and figure.layout.annotations[0].font.size == 20
    assert slide_figure(trend()).layout.annotations[0].text == "No values reported by this date"
