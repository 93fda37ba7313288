"""Indicator charts: the trend chart, the sparkline, their text alternative and the dcc.Graph config.

Pure functions: a trend DataFrame with the columns of ``data_access.progress.TREND_COLUMNS`` in, a
``go.Figure`` or a sentence out.  Every number a chart shows in hover text, annotations or its text
alternative comes from ``domain.formatting``, so a chart says exactly what the tables and RAG reasons say.

Choices a reader of the charts should know about:

* The whole partnership is the first trace, a thick navy solid line with circles.  Districts follow in
  the Okabe-Ito colour-blind-safe palette (without its yellow, too faint on white, and its black, too close
  to the navy), each with its own marker symbol and a dashed line style, so series can be told apart
  without colour and in a greyscale print.
* Each value sits at the **end** of its period, the day it was complete: a quarter at its last day, a
  rolling year ("year ending Jun 2025") at 30 June 2025.  Rolling years published every quarter overlap,
  so their points are three months apart, not twelve.
* Every series is laid on the same grid of periods, stepped by the gap the data actually has (a month,
  a quarter, or a year), so a period without a value is a gap in its line (``connectgaps=False``),
  never a straight line implying a value.
* A whole-partnership period marked "incomplete" (not all districts reported, so no value could be
  derived) is a gap in the navy line plus a hollow grey circle at the foot of the plot at that period,
  in a legend entry of its own; hovering on it gives the derivation note ("Incomplete: 2 of 3 districts
  reported ...").  The circles sit on a hidden second y axis fixed to 0..1, so they stay at the foot of
  the plot whatever the values are and never stretch the value axis.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

import pandas as pd
import plotly.graph_objects as go

from data_access.queries import WHOLE_PARTNERSHIP
from domain.formatting import format_number, plural
from domain.periods import (
    Frequency,
    add_months,
    months_in,
    period_description,
    period_end,
    period_label,
    same_period_previous_year,
)
from domain.vocabulary import PERCENT_UNITS, POUND_UNITS, GoodDirection, Unit

NAVY = "#1d3557"  # --csp-navy in assets/dashboard.css
INK = "#1f2933"  # --csp-ink
MUTED = "#52606d"  # --csp-muted
GRID = "#e4e7eb"
TOLERANCE_FILL = "rgba(255, 191, 71, 0.35)"  # --csp-focus amber, translucent so lines show through
FONT_FAMILY = "Liberation Sans, Arial, sans-serif"
TRANSPARENT = "rgba(0, 0, 0, 0)"

# Okabe & Ito (2008) "Color Universal Design", minus yellow (#F0E442) and black (#000000).
DISTRICT_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00")
# Eleven symbols: with the whole partnership's circle, twelve series each have a shape of their own.
DISTRICT_SYMBOLS = (
    "square", "diamond", "triangle-up", "x", "triangle-down", "cross",
    "star", "pentagon", "hexagon", "triangle-left", "star-square",
)  # fmt: skip
# No district is solid, so the whole partnership is the only unbroken line.
DISTRICT_DASHES = ("dot", "dash", "dashdot", "longdash", "longdashdot")

TREND_HEIGHT = 320
SPARKLINE_HEIGHT = 60
MAX_TICKS = 8
# Tick steps (in grid points, by the grid's step in months) that keep ticks on the same month or
# quarter of each year where possible.
_TICK_STEPS = {1: (1, 2, 3, 6, 12, 24, 36), 3: (1, 2, 4, 8, 12), 12: (1, 2, 5, 10)}

EMPTY_MESSAGE = "No values reported by this date"
INCOMPLETE_METHOD = "incomplete"
INCOMPLETE_NAME = "Incomplete (not all districts reported)"
# Where the incomplete markers sit on the hidden 0..1 axis: just above the foot of the plot.
INCOMPLETE_MARKER_Y = 0.04

_AXIS_TITLES = (
    Unit.labels() | dict.fromkeys(PERCENT_UNITS, Unit.PERCENT.label) | dict.fromkeys(POUND_UNITS, "£")
)
_PERCENT_UNITS = PERCENT_UNITS
_POUND_UNITS = POUND_UNITS


# ---------------------------------------------------------------------------------------------------------
# Shared helpers


def _as_date(value: object) -> date:
    # Timestamps and datetimes are dates too; compare plain dates so period look-ups never miss.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _is_missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _clean(trend: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``trend`` with dates as ``date``, numbers as float and text columns filled in.

    Rows come from the database as object columns (Decimal, None); the charts want plain floats and
    dates so NaN means "no value" everywhere.
    """
    frame = trend.copy()
    frame["period_start"] = [_as_date(p) for p in frame["period_start"]]
    for column in ("value", "lower_ci", "upper_ci"):
        if column not in frame:
            frame[column] = math.nan
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column, default in (("series_code", WHOLE_PARTNERSHIP), ("method", ""), ("note", "")):
        if column not in frame:
            frame[column] = default
        frame[column] = ["" if _is_missing(v) else str(v) for v in frame[column]]
    return frame


def _label(start: date, frequency: str) -> str:
    return period_label(start, cast(Frequency, frequency))


def _has_values(trend: pd.DataFrame) -> bool:
    return not trend.empty and bool(pd.to_numeric(trend["value"], errors="coerce").notna().any())


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _grid_step_months(starts: Sequence[date], frequency: str) -> int:
    """The step between grid periods: the period's length, or less where the data's periods overlap.

    Rolling years published every quarter start three months apart, so their grid steps by three
    months; financial or calendar years step by twelve.  The step divides every gap in the data.
    """
    step = months_in(cast(Frequency, frequency))
    indices = sorted({_month_index(start) for start in starts})
    for earlier, later in zip(indices, indices[1:], strict=False):
        step = math.gcd(step, later - earlier)
    return step


def _period_grid(starts: Sequence[date], frequency: str) -> list[date]:
    """Every period from the first to the last start, so a missing period is a gap in each line."""
    present = sorted(set(starts))
    step = _grid_step_months(present, frequency)
    count = (_month_index(present[-1]) - _month_index(present[0])) // step
    return [add_months(present[0], i * step) for i in range(count + 1)]


def _period_ends(starts: Sequence[date], frequency: str) -> list[date]:
    """Where each period's value is drawn: the last day it covers."""
    return [period_end(start, cast(Frequency, frequency)) for start in starts]


def _tick_periods(grid: Sequence[date], frequency: str) -> list[date]:
    """At most MAX_TICKS periods to label, always including the latest, evenly stepped back from it."""
    steps = _TICK_STEPS.get(_grid_step_months(grid, frequency) if len(grid) > 1 else 0, (1,))
    step = next((s for s in steps if math.ceil(len(grid) / s) <= MAX_TICKS), math.ceil(len(grid) / MAX_TICKS))
    return list(grid[::-1][::step][::-1])


def _axis_title(unit: str) -> str:
    stripped = unit.strip()
    title = _AXIS_TITLES.get(stripped.lower())
    if title is not None:
        return title
    return stripped[:1].upper() + stripped[1:]


def _value_axis_format(unit: str) -> dict[str, object]:
    """Tick format for the value axis: "1,000" not "1k", with % or £ where the unit says so."""
    key = unit.strip().lower()
    axis: dict[str, object] = {"separatethousands": True, "exponentformat": "none"}
    if key in _PERCENT_UNITS:
        axis["ticksuffix"] = "%"
    elif key in _POUND_UNITS:
        axis["tickprefix"] = "£"
    return axis


def _target_shape(target: float, *, dash: str, width: float) -> dict[str, object]:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": target,
        "y1": target,
        "line": {"color": INK, "dash": dash, "width": width},
        # The template's shapes are 30% opaque; the target must read as strongly as the data.
        "opacity": 1,
        "layer": "above",
        "name": "target",
    }


def _tolerance_shape(target: float, tolerance: float | None, good_direction: str) -> dict[str, object] | None:
    """The amber band on the bad side of the target within which a value rates amber, or None."""
    tolerance = 0.0 if _is_missing(tolerance) else float(tolerance)
    allowed = tolerance * abs(target)
    if allowed <= 0 or good_direction not in (GoodDirection.UP, GoodDirection.DOWN):
        return None
    # Worse is higher when lower is better, and lower when higher is better.
    y0, y1 = (
        (target, target + allowed) if good_direction == GoodDirection.DOWN else (target - allowed, target)
    )
    return {
        "type": "rect",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": y0,
        "y1": y1,
        "fillcolor": TOLERANCE_FILL,
        "opacity": 1,  # the fill colour carries the translucency, not the template's 30%
        "line": {"width": 0},
        "layer": "below",
        "name": "tolerance",
    }


# A small house template instead of plotly's "simple_white": the same look (white ground, plain axes
# with outside ticks) at a fraction of the cost, since plotly copies and validates the whole template
# into every figure (15 ms and 8 kB each for simple_white, measured).
_AXIS_STYLE = {
    "showline": True,
    "linecolor": "#444444",
    "ticks": "outside",
    "zeroline": False,
    "showgrid": False,
}
_TEMPLATE = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": _AXIS_STYLE,
        "yaxis": _AXIS_STYLE,
        "shapedefaults": {"line": {"color": INK}},
    }
}


def _base_layout(height: int) -> dict[str, object]:
    return {
        "template": _TEMPLATE,
        "height": height,
        "font": {"family": FONT_FAMILY, "size": 14, "color": INK},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 14}, "bgcolor": "white"},
    }


def _hover_text(name: str, label: str, value: float, unit: str, lower: float, upper: float, note: str) -> str:
    lines = [html.escape(name), f"{label}: {format_number(value, unit)}"]
    if not (_is_missing(lower) or _is_missing(upper)):
        lines[1] += f" (interval {format_number(lower, unit)} to {format_number(upper, unit)})"
    if note:
        lines.append(html.escape(note))
    return "<br>".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Trend chart


def _series(trend: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(code, name, rows) per series: the whole partnership first, then districts as they first appear."""
    codes = list(dict.fromkeys(trend["series_code"]))
    codes.sort(key=lambda code: code != WHOLE_PARTNERSHIP)  # stable: districts keep their order
    result = []
    for code in codes:
        rows = trend[trend["series_code"] == code]
        names = [n for n in rows["series_name"] if not _is_missing(n)]
        result.append((code, str(names[0]) if names else code, rows))
    return result


def _on_grid(rows: pd.DataFrame, grid: Sequence[date], frequency: str) -> pd.DataFrame:
    """One row per grid period: the series' row where it has one, else no value."""
    by_period = rows.drop_duplicates("period_start", keep="last").set_index("period_start")
    frame = by_period.reindex(list(grid))
    labels = frame["period_label"] if "period_label" in frame else pd.Series(index=frame.index, dtype=object)
    frame["period_label"] = [
        _label(p, frequency) if _is_missing(text) else str(text)
        for p, text in zip(frame.index, labels, strict=True)
    ]
    frame["method"] = frame["method"].fillna("")
    frame["note"] = frame["note"].fillna("")
    return frame


def _error_bars(frame: pd.DataFrame, colour: str) -> dict[str, object] | None:
    """Asymmetric error bars from lower_ci/upper_ci, or None when the series has no intervals."""
    if frame["lower_ci"].isna().all() and frame["upper_ci"].isna().all():
        return None
    above = (frame["upper_ci"] - frame["value"]).clip(lower=0)
    below = (frame["value"] - frame["lower_ci"]).clip(lower=0)
    return {
        "type": "data",
        "symmetric": False,
        "array": above.tolist(),
        "arrayminus": below.tolist(),
        "color": colour,
        "thickness": 1.5,
        "width": 4,
    }


def _series_trace(
    district: int | None, name: str, frame: pd.DataFrame, unit: str, frequency: str
) -> go.Scatter:
    """The line of one series; ``district`` is its position among the districts, None for the partnership."""
    if district is None:
        colour, symbol, dash, width, size = NAVY, "circle", "solid", 4, 9
    else:
        colour = DISTRICT_COLOURS[district % len(DISTRICT_COLOURS)]
        symbol = DISTRICT_SYMBOLS[district % len(DISTRICT_SYMBOLS)]
        dash = DISTRICT_DASHES[district % len(DISTRICT_DASHES)]
        width, size = 2, 7
    hover = [
        _hover_text(name, row.period_label, row.value, unit, row.lower_ci, row.upper_ci, row.note)
        for row in frame.itertuples()
    ]
    return go.Scatter(
        x=_period_ends(frame.index, frequency),
        y=frame["value"].tolist(),
        name=name,
        mode="lines+markers",
        connectgaps=False,
        line={"color": colour, "width": width, "dash": dash},
        marker={"color": colour, "symbol": symbol, "size": size, "line": {"color": "white", "width": 1}},
        error_y=_error_bars(frame, colour),
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _incomplete_trace(name: str, frame: pd.DataFrame, frequency: str) -> go.Scatter | None:
    """Hollow grey circles at the foot of the plot for whole-partnership periods with no derivable value."""
    incomplete = frame[(frame["method"] == INCOMPLETE_METHOD) & frame["value"].isna()]
    if incomplete.empty:
        return None
    hover = [
        _hover_text(name, row.period_label, math.nan, Unit.COUNT, math.nan, math.nan, row.note)
        for row in incomplete.itertuples()
    ]
    return go.Scatter(
        x=_period_ends(incomplete.index, frequency),
        y=[INCOMPLETE_MARKER_Y] * len(incomplete),
        yaxis="y2",
        name=INCOMPLETE_NAME,
        mode="markers",
        marker={"symbol": "circle-open", "size": 11, "color": MUTED, "line": {"width": 2}},
        cliponaxis=False,
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def empty_figure(message: str = EMPTY_MESSAGE, *, height: int = TREND_HEIGHT) -> go.Figure:
    """A figure with no axes and ``message`` in its centre."""
    # Layout given at construction, as for the other charts: update_layout on an existing figure would
    # merge the house template into plotly's default one and send all of that to the browser.
    return go.Figure(
        layout=dict(
            **_base_layout(height),
            margin={"l": 8, "r": 8, "t": 8, "b": 8},
            xaxis={"visible": False},
            yaxis={"visible": False},
            annotations=[
                {
                    "text": message,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "showarrow": False,
                    "font": {"size": 16, "color": MUTED},
                }
            ],
        )
    )


def trend_figure(
    trend: pd.DataFrame,
    *,
    name: str,
    unit: str,
    frequency: str,
    good_direction: str,
    target: float | None,
    tolerance: float,
) -> go.Figure:
    """The trend chart of one indicator: whole partnership and chosen districts over time.

    ``trend`` has the columns of ``data_access.progress.TREND_COLUMNS``.  ``name`` is not drawn: the
    page shows it as the heading above the chart, and ``describe_trend`` says it.  The target,
    when given, is a dashed line labelled "Target 1,100", with its tolerance (``tolerance`` x |target|,
    the amber zone of ``domain.rag``) as a translucent amber band on the worse side of it.  See the
    module docstring for how series, gaps and incomplete periods are drawn.  Without any value the
    figure only says "No values reported by this date".
    """
    del name  # not drawn (see above); taken so the page calls trend_figure and describe_trend alike
    if not _has_values(trend):
        return empty_figure()
    frame = _clean(trend)
    grid = _period_grid(frame["period_start"].tolist(), frequency)

    traces: list[go.Scatter] = []
    incomplete: go.Scatter | None = None
    districts = 0
    for code, series_name, rows in _series(frame):
        on_grid = _on_grid(rows, grid, frequency)
        if code == WHOLE_PARTNERSHIP:
            traces.append(_series_trace(None, series_name, on_grid, unit, frequency))
            incomplete = _incomplete_trace(series_name, on_grid, frequency)
        else:
            traces.append(_series_trace(districts, series_name, on_grid, unit, frequency))
            districts += 1
    if incomplete is not None:
        traces.append(incomplete)

    ticks = _tick_periods(grid, frequency)
    shapes: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    if not _is_missing(target):
        band = _tolerance_shape(float(target), tolerance, good_direction)
        if band is not None:
            shapes.append(band)
        shapes.append(_target_shape(float(target), dash="dash", width=2))
        annotations.append(
            {
                "text": f"Target {format_number(float(target), unit)}",
                "xref": "paper",
                "x": 1,
                "xanchor": "right",
                "yref": "y",
                "y": float(target),
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": INK, "size": 13},
                "bgcolor": "rgba(255, 255, 255, 0.8)",
            }
        )

    # Layout given at construction: plotly's update_layout on an existing figure costs tens of ms.
    layout = dict(
        **_base_layout(TREND_HEIGHT),
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        hovermode="closest",
        xaxis={
            "type": "date",
            "tickmode": "array",
            "tickvals": _period_ends(ticks, frequency),
            "ticktext": [_label(p, frequency) for p in ticks],
            "showgrid": False,
            "automargin": True,
        },
        yaxis={
            "title": {"text": _axis_title(unit)},
            "rangemode": "tozero" if unit.strip().lower() == Unit.COUNT else "normal",
            "showgrid": True,
            "gridcolor": GRID,
            "automargin": True,
            **_value_axis_format(unit),
        },
        shapes=shapes,
        annotations=annotations,
    )
    if incomplete is not None:
        layout["yaxis2"] = {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
    return go.Figure(data=traces, layout=layout)


# ---------------------------------------------------------------------------------------------------------
# Sparkline


def sparkline_figure(
    series: pd.DataFrame,
    *,
    unit: str,
    frequency: str,
    target: float | None,
    series_codes: Sequence[str] = (WHOLE_PARTNERSHIP,),
) -> go.Figure:
    """A 60 px line per series for a card: no axes, each line's last value marked.

    ``series`` has columns period_start and value (period_label optional); if it has a series_code
    column only the rows of ``series_codes`` are drawn (default: the whole partnership), the first in
    navy and the others in the district colours and dashes of the trend chart.  A target, when given,
    is a dotted line.  Without any value the figure is blank.
    """
    layout = dict(
        **_base_layout(SPARKLINE_HEIGHT),
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        showlegend=False,
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        xaxis={"visible": False, "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True},
        hovermode="closest",
    )
    if series.empty:
        return go.Figure(layout=layout)
    frame = _clean(series)
    if "series_code" not in series:
        frame = frame.assign(series_code=WHOLE_PARTNERSHIP)
    drawn = [(code, frame[frame["series_code"] == code]) for code in series_codes]
    drawn = [(code, rows) for code, rows in drawn if rows["value"].notna().any()]
    if not drawn:
        return go.Figure(layout=layout)
    grid = _period_grid([start for _, rows in drawn for start in rows["period_start"]], frequency)
    traces = []
    districts = [code for code in series_codes if code != WHOLE_PARTNERSHIP]
    for code, rows in drawn:
        on_grid = _on_grid(rows, grid, frequency)
        values = on_grid["value"]
        last = values.last_valid_index()
        # The same colour and dash per series as on the trend charts.
        colour, dash = NAVY, "solid"
        if code != WHOLE_PARTNERSHIP:
            position = districts.index(code)
            colour = DISTRICT_COLOURS[position % len(DISTRICT_COLOURS)]
            dash = DISTRICT_DASHES[position % len(DISTRICT_DASHES)]
        hover = [
            f"{row.period_label}: {format_number(row.value, unit)}" if not _is_missing(row.value) else None
            for row in on_grid.itertuples()
        ]
        traces.append(
            go.Scatter(
                x=_period_ends(on_grid.index, frequency),
                y=values.tolist(),
                mode="lines+markers",
                connectgaps=False,
                line={"color": colour, "width": 2, "dash": dash},
                # Only the latest value gets a visible marker; the others stay hoverable.
                marker={"color": colour, "size": [7 if p == last else 0 for p in on_grid.index]},
                cliponaxis=False,
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    if not _is_missing(target):
        layout["shapes"] = [_target_shape(float(target), dash="dot", width=1)]
    return go.Figure(data=traces, layout=layout)


# ---------------------------------------------------------------------------------------------------------
# Text alternative


def _words(start: date, frequency: str) -> str:
    """A period as a screen reader should say it ("July to September 2024"), not as a tick label."""
    return period_description(start, cast(Frequency, frequency))


def _span_text(first: date, last: date, frequency: str) -> str:
    """The periods a chart covers, in words: "September 2024 to September 2025", or by the months the
    first and last periods end in, which reads the same for quarters and every kind of year."""
    if first == last:
        return _words(first, frequency)
    if frequency == "month":
        return f"{_words(first, frequency)} to {_words(last, frequency)}"
    return f"periods ending {_end_months(first, last, frequency)}"


def _end_months(first: date, last: date, frequency: str) -> str:
    """ "June to September 2024" or "June 2018 to September 2026": the months two periods end in."""
    first_end, last_end = (
        _words(end.replace(day=1), "month") for end in _period_ends([first, last], frequency)
    )
    if first_end.split()[-1] == last_end.split()[-1]:
        first_end = first_end.split()[0]  # one year: "June to September 2024", not "June 2024 to ..."
    return f"{first_end} to {last_end}"


def _comparison_text(latest: float, previous: float, previous_label: str, unit: str) -> str:
    previous_text = format_number(previous, unit)
    if latest == previous:
        return f", unchanged from {previous_label} ({previous_text})"
    word = "up" if latest > previous else "down"
    if unit.strip().lower() in _PERCENT_UNITS:
        # A change between percentages is in points; "down 5%" would be ambiguous.
        points = format_number(abs(latest - previous), Unit.RATE)
        return f", {word} {points} points on {previous_label} ({previous_text})"
    if previous == 0:
        return f", {word} from {previous_text} in {previous_label}"
    change = abs(latest - previous) / abs(previous) * 100
    return f", {word} {change:.1f}% on {previous_label} ({previous_text})"


def _incomplete_text(whole: pd.DataFrame, after: date | None, frequency: str) -> str:
    """ "; Q3 2026/27 is incomplete (...)" for incomplete periods after the latest value, else ""."""
    rows = whole[(whole["method"] == INCOMPLETE_METHOD) & whole["value"].isna()]
    periods = sorted(p for p in rows["period_start"] if after is None or p > after)
    if not periods:
        return ""
    if len(periods) == 1:
        return f"; {_words(periods[0], frequency)} is incomplete (not all districts reported)"
    span = _end_months(periods[0], periods[-1], frequency)
    return f"; the {len(periods)} periods ending {span} are incomplete (not all districts reported)"


def describe_trend(trend: pd.DataFrame, *, name: str, unit: str, frequency: str, target: float | None) -> str:
    """The chart's text alternative: the latest whole-partnership value and its change, target, coverage.

    E.g. "Knife crime offences, whole partnership: 1,234 in Q2 2026/27, down 5.1% on Q2 2025/26 (1,300).
    Target 1,100. Shown for 2018/19 to 2026/27 with 2 districts: Fareham, Gosport."  The change is on
    the same period a year earlier, as in the RAG rules; for percentages it is in points.
    """
    if not _has_values(trend):
        return f"{name}: {EMPTY_MESSAGE[0].lower()}{EMPTY_MESSAGE[1:]}."
    frame = _clean(trend)
    whole = frame[frame["series_code"] == WHOLE_PARTNERSHIP]
    reported = whole[whole["value"].notna()].drop_duplicates("period_start", keep="last")
    values = dict(zip(reported["period_start"], reported["value"], strict=True))

    if values:
        latest_start = max(values)
        first = f"{name}, whole partnership: {format_number(values[latest_start], unit)} in "
        first += _words(latest_start, frequency)
        previous_start = same_period_previous_year(latest_start)
        previous_label = _words(previous_start, frequency)
        if len(values) == 1:
            first += ", the only value reported"
        elif previous_start in values:
            first += _comparison_text(values[latest_start], values[previous_start], previous_label, unit)
        else:
            first += f"; no value for {previous_label} to compare with"
        first += _incomplete_text(whole, latest_start, frequency)
    else:
        first = f"{name}: no whole-partnership value could be derived"
        first += _incomplete_text(whole, None, frequency)
    sentences = [f"{first}."]

    if not _is_missing(target):
        sentences.append(f"Target {format_number(float(target), unit)}.")

    districts = [series_name for code, series_name, _ in _series(frame) if code != WHOLE_PARTNERSHIP]
    with_values = frame[frame["value"].notna()]["period_start"]
    span_first, span_last = min(with_values), max(with_values)
    if districts:
        listed = ", ".join(districts)
        span = _span_text(span_first, span_last, frequency)
        sentences.append(f"Shown for {span} with {plural(len(districts), 'district')}: {listed}.")
    elif span_first != span_last:
        sentences.append(f"Shown for {_span_text(span_first, span_last, frequency)}.")
    return " ".join(sentences)


# ---------------------------------------------------------------------------------------------------------
# dcc.Graph config


def chart_config(static: bool = False, *, filename: str = "csp-chart") -> dict[str, object]:
    """The dcc.Graph ``config``: a PNG download only, no plotly logo; ``static`` for sparklines.

    Nothing in it loads from the internet (no logo link, no "edit in Chart Studio").
    """
    if static:
        return {"staticPlot": True, "displayModeBar": False, "displaylogo": False, "responsive": True}
    return {
        "displaylogo": False,
        "responsive": True,
        "displayModeBar": "hover",
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "showLink": False,
        "showEditInChartStudio": False,
        "showSendToCloud": False,
    }
