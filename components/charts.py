"""Indicator charts: the trend chart, the sparkline, their text alternative and the dcc.Graph config.

Pure functions: a trend DataFrame with the columns of ``data_access.progress.TREND_COLUMNS`` in, a
figure or a sentence out.  Every number a chart shows in hover text, annotations or its text
alternative comes from ``domain.formatting``, so a chart says exactly what the tables and RAG reasons say.

Every figure builder returns a **plain plotly figure dict** (``FigureDict``), ``{"data": [...],
"layout": {...}}``, not a ``go.Figure``.  dcc.Graph's ``figure`` prop takes the dict as it is, and it
holds nothing but JSON: strings, numbers, booleans, None, lists and dicts, with dates as ISO strings
("2025-06-30") and a gap as None, so ``json.dumps(figure, allow_nan=False)`` works.  That is what makes
them cheap: plotly's graph objects validate and deep-copy every property and value (10 to 18 ms for a
trend chart of 200 periods, measured, against 1 to 3 ms as dicts), and a NaN or a date anywhere makes
Dash's encoder do more work, NaN making it parse and write the whole response a second time.  The JSON
sent is the same as the graph objects gave (``tests/unit/test_chart_snapshots.py``).  Each call returns
new dicts, so a caller may change its figure freely.  To inspect one as a graph object (as the tests
do), ``go.Figure(figure)``: that also validates it.

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
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from math import isfinite
from typing import Any, NamedTuple, TypeAlias, cast

import pandas as pd

from data_access.queries import WHOLE_PARTNERSHIP
from domain.formatting import format_number, number_formatter, plural
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

FigureDict: TypeAlias = dict[str, Any]
"""A plotly figure as plain JSON, ``{"data": [trace, ...], "layout": {...}}``: what dcc.Graph takes."""

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


class ChartSize(NamedTuple):
    """How big a trend chart's text is and how many periods it labels.

    ``height`` None lets the chart fill its container (dcc.Graph's responsive mode), as a slide needs.
    """

    height: int | None
    font: int
    annotation_font: int
    max_ticks: int
    # For a slide nobody can hover on: the latest value written on the chart, period labels that never
    # turn sideways, room at the edges for both, no legend entry for a lone whole-partnership line.
    for_slide: bool


STANDARD = ChartSize(height=TREND_HEIGHT, font=14, annotation_font=13, max_ticks=MAX_TICKS, for_slide=False)
# Across a meeting room or a video call, where small text blurs: about 20 px at 1280x720 and fewer,
# wider-spaced period labels. The slide sizes the chart.
PRESENTATION = ChartSize(height=None, font=20, annotation_font=20, max_ticks=3, for_slide=True)
# Tick steps (in grid points, by the grid's step in months) that keep ticks on the same month or
# quarter of each year where possible.
_TICK_STEPS = {1: (1, 2, 3, 6, 12, 24, 36), 3: (1, 2, 4, 8, 12), 12: (1, 2, 5, 10)}

EMPTY_MESSAGE = "No values reported by this date"
INCOMPLETE_METHOD = "incomplete"
INCOMPLETE_NAME = "Incomplete (not all districts reported)"
# Where the incomplete markers sit on the hidden 0..1 axis: just above the foot of the plot.
INCOMPLETE_MARKER_Y = 0.04
HOVER_TEMPLATE = "%{hovertext}<extra></extra>"

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
    # The common cases first: this runs for every row, and pd.isna is slow on a single value.
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, str):
        return False
    return bool(pd.isna(value))


def _has_value(value: float) -> bool:
    return value == value  # NaN is the only float not equal to itself


def _any_value(values: Iterable[float]) -> bool:
    """Whether any of ``values`` (floats, NaN meaning none) has a value: math.isnan runs in C, and a large
    page asks this of 30,000 values."""
    return not all(map(math.isnan, values))


def _json_numbers(values: Iterable[float]) -> list[float | None]:
    """``_json_number`` of each value, in one comprehension: a chart has one for every point."""
    return [value if isfinite(value) else None for value in values]


def _json_number(value: float) -> float | None:
    """A number as the browser receives it: NaN and infinities are null (a gap), as plotly sends them."""
    return value if math.isfinite(value) else None


class TrendRows(NamedTuple):
    """A trend frame's columns as plain lists, one entry a row, cleaned as the charts want them: what
    ``trend_figure`` and ``describe_trend`` read (``trend_rows``, ``trend_rows_by_indicator``).

    Dates are ``date``; numbers are float, NaN meaning "no value"; series_code, method and note are
    text, "" where blank.  series_name and period_label are as given (blank ones are filled in where used).
    """

    starts: list[date]
    values: list[float]
    lower: list[float]
    upper: list[float]
    codes: list[str]
    names: list[object]
    labels: list[object]
    methods: list[str]
    notes: list[str]


def trend_rows(trend: pd.DataFrame) -> TrendRows:
    """The rows of ``trend`` as plain lists (see TrendRows); a missing column counts as blank throughout.

    Rows come from the database as object columns (Decimal, None); one conversion a column here,
    instead of pandas work on small frames per series, keeps a chart to a millisecond or two.
    """
    count = len(trend)

    def column(name: str) -> list[object]:
        return trend[name].tolist() if name in trend else [None] * count

    def numbers(name: str) -> list[float]:
        if name not in trend:
            return [math.nan] * count
        values = trend[name]
        if values.dtype != "float64":  # a trend frame's numbers are float64 already
            values = pd.to_numeric(values, errors="coerce").astype(float)
        return values.tolist()

    def texts(name: str, default: str) -> list[str]:
        if name not in trend:
            return [default] * count
        values = trend[name]
        if isinstance(values.dtype, pd.StringDtype):  # text or blank, as a trend frame's text columns are
            return values.fillna("").tolist()
        # Text first: it is nearly every value of a page's hundred thousand.
        return [v if type(v) is str else "" if _is_missing(v) else str(v) for v in values.tolist()]

    return TrendRows(
        # Dates first: they are every value of a trend frame's period_start.
        starts=[p if type(p) is date else _as_date(p) for p in column("period_start")],
        values=numbers("value"),
        lower=numbers("lower_ci"),
        upper=numbers("upper_ci"),
        codes=texts("series_code", WHOLE_PARTNERSHIP),
        names=column("series_name"),
        labels=column("period_label"),
        methods=texts("method", ""),
        notes=texts("note", ""),
    )


def trend_rows_by_indicator(trends: pd.DataFrame) -> dict[str, TrendRows]:
    """Each indicator's rows of a frame holding many (with an indicator_code column), converted once.

    A page that draws a chart and its description for each of many indicators hands these to
    ``trend_figure`` and ``describe_trend``: one conversion for the page instead of two per indicator,
    each on a sub-frame of its own (a third of a large priority page went to that pandas work).
    Indicators in the order they first appear; each one's rows in the frame's order.
    """
    rows = trend_rows(trends)
    codes = trends["indicator_code"].tolist()
    runs = _runs(codes)
    if runs is not None:
        # Each indicator's rows are together (as progress.indicator_trends gives them): slices of each list.
        return {
            code: TrendRows(*(column[start:stop] for column in rows)) for code, (start, stop) in runs.items()
        }
    positions: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        positions.setdefault(code, []).append(i)
    return {
        code: TrendRows(*([column[i] for i in members] for column in rows))
        for code, members in positions.items()
    }


def _runs(codes: list[str]) -> dict[str, tuple[int, int]] | None:
    """Where each code's entries start and stop, in the order the codes first appear, when each code's
    entries are all next to each other; else None."""
    counts = Counter(codes)
    runs: dict[str, tuple[int, int]] = {}
    start = 0
    while start < len(codes):
        code = codes[start]
        stop = start + counts[code]
        if code in runs or codes[start:stop].count(code) != stop - start:
            return None
        runs[code] = (start, stop)
        start = stop
    return runs


def _as_rows(trend: pd.DataFrame | TrendRows) -> TrendRows:
    return trend if isinstance(trend, TrendRows) else trend_rows(trend)


def _label(start: date, frequency: str) -> str:
    return period_label(start, cast(Frequency, frequency))


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


def _period_ends(starts: Sequence[date], frequency: str) -> list[str]:
    """Where each period's value is drawn: the last day it covers, as the browser receives a date."""
    return [_period_end_text(start, frequency) for start in starts]


@lru_cache(maxsize=8192)  # periods are few (sixteen years of months is 200), and every chart asks
def _period_end_text(start: date, frequency: str) -> str:
    return period_end(start, cast(Frequency, frequency)).isoformat()


def _tick_periods(grid: Sequence[date], frequency: str, max_ticks: int = MAX_TICKS) -> list[date]:
    """At most ``max_ticks`` periods to label, always including the latest, evenly stepped back from it."""
    steps = _TICK_STEPS.get(_grid_step_months(grid, frequency) if len(grid) > 1 else 0, (1,))
    step = next((s for s in steps if math.ceil(len(grid) / s) <= max_ticks), math.ceil(len(grid) / max_ticks))
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
        "y0": _json_number(target),
        "y1": _json_number(target),
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
        "y0": _json_number(y0),
        "y1": _json_number(y1),
        "fillcolor": TOLERANCE_FILL,
        "opacity": 1,  # the fill colour carries the translucency, not the template's 30%
        "line": {"width": 0},
        "layer": "below",
        "name": "tolerance",
    }


def _template() -> dict[str, object]:
    """A small house template instead of plotly's "simple_white": the same look (white ground, plain
    axes with outside ticks) in 300 bytes, where simple_white would send 8 kB with every figure."""
    axis = {
        "showline": True,
        "linecolor": "#444444",
        "ticks": "outside",
        "zeroline": False,
        "showgrid": False,
    }
    return {
        "layout": {
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "xaxis": axis,
            "yaxis": dict(axis),
            "shapedefaults": {"line": {"color": INK}},
        }
    }


def _base_layout(height: int | None, font: int = STANDARD.font) -> dict[str, object]:
    layout: dict[str, object] = {"template": _template()}
    if height is not None:
        layout["height"] = height
    return layout | {
        "font": {"family": FONT_FAMILY, "size": font, "color": INK},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": font}, "bgcolor": "white"},
    }


class _OnGrid(NamedTuple):
    """One series laid on the grid: one entry a grid period, no value where the series has no row."""

    values: list[float]
    lower: list[float]
    upper: list[float]
    labels: list[str]
    methods: list[str]
    notes: list[str]


def _grid_positions(grid: Sequence[date]) -> dict[date, int]:
    """Each grid period's position, for ``_on_grid``: worked out once a chart, not once a series."""
    return {start: k for k, start in enumerate(grid)}


def _on_grid(
    rows: TrendRows, members: Sequence[int], grid: Sequence[date], position: dict[date, int], frequency: str
) -> _OnGrid:
    """The series of rows ``members`` on ``grid`` (whose positions are ``position``); of two rows for one
    period the later counts."""
    slots: list[int | None] = [None] * len(grid)
    for i in members:
        k = position.get(rows.starts[i])
        if k is not None:
            slots[k] = i
    labels = []
    for k, i in enumerate(slots):
        label = None if i is None else rows.labels[i]
        if type(label) is not str:
            label = _label(grid[k], frequency) if _is_missing(label) else str(label)
        labels.append(label)

    def pick(column: list, blank: object) -> list:
        return [blank if i is None else column[i] for i in slots]

    return _OnGrid(
        values=pick(rows.values, math.nan),
        lower=pick(rows.lower, math.nan),
        upper=pick(rows.upper, math.nan),
        labels=labels,
        methods=pick(rows.methods, ""),
        notes=pick(rows.notes, ""),
    )


# ---------------------------------------------------------------------------------------------------------
# Trend chart


def _series(rows: TrendRows) -> list[tuple[str, str, Sequence[int]]]:
    """(code, name, row positions) per series: the whole partnership first, then districts as they first
    appear.  A series is named by its first non-blank series_name, else by its code."""
    runs = _runs(rows.codes)
    members: dict[str, Sequence[int]]
    if runs is not None:  # each series' rows together, as a trend frame has them
        members = {code: range(start, stop) for code, (start, stop) in runs.items()}
    else:
        positions: dict[str, list[int]] = {}
        for i, code in enumerate(rows.codes):
            positions.setdefault(code, []).append(i)
        members = dict(positions)
    codes = sorted(members, key=lambda code: code != WHOLE_PARTNERSHIP)  # stable: districts keep their order
    result = []
    for code in codes:
        names = (rows.names[i] for i in members[code] if not _is_missing(rows.names[i]))
        name = next(names, None)
        result.append((code, code if name is None else str(name), members[code]))
    return result


def _hover_texts(series: _OnGrid, unit: str, *, with_notes: bool = True) -> list[str]:
    """ "Q1 2024/25: 412 (interval 400 to 430)<br>note" for each grid period of a series (without the
    note when ``with_notes`` is False); the trace's hovertemplate heads them with whose series it is
    (``_hover_template``)."""
    number = number_formatter(unit)
    intervals = any(
        lower == lower and upper == upper for lower, upper in zip(series.lower, series.upper, strict=True)
    )
    if not intervals and not (with_notes and any(series.notes)):
        # Most series: a label and a value a point, each distinct value formatted once (counts repeat:
        # nearly half a large priority's values are ones its chart has already).
        texts = {value: number(value) for value in set(series.values)}
        return [f"{label}: {texts[value]}" for label, value in zip(series.labels, series.values, strict=True)]
    texts = []
    for label, value, lower, upper, note in zip(
        series.labels, series.values, series.lower, series.upper, series.notes, strict=True
    ):
        line = f"{label}: {number(value)}"
        if lower == lower and upper == upper:  # both have a value (NaN is not equal to itself)
            line += f" (interval {number(lower)} to {number(upper)})"
        texts.append(f"{line}<br>{html.escape(note)}" if note and with_notes else line)
    return texts


def _shared_note(series: _OnGrid) -> str | None:
    """The note every point with a value carries, when they all carry the same one (a derived
    whole-partnership series repeats its method on every point): written once in the hovertemplate
    rather than on each point. A point without a value has no marker and is never hovered."""
    # NaN, no value, is the only value not equal to itself.
    notes = {note for note, value in zip(series.notes, series.values, strict=True) if value == value}
    return notes.pop() if len(notes) == 1 and "" not in notes else None


def _hover_template(name: str, note: str | None = None) -> str:
    """The series' name above each point's hover text, written once per trace rather than once per point
    (a large priority page's hover texts were half the bytes it sent), and below it the note all its
    points share, if any.  "%" is written as an entity so that a name or note holding "%{...}" is shown
    as it is, never read as a template field."""
    below = f"<br>{_template_text(note)}" if note else ""
    return f"{_template_text(name)}<br>%{{hovertext}}{below}<extra></extra>"


def _template_text(text: str) -> str:
    return html.escape(text).replace("%", "&#37;")


def _clipped(difference: float) -> float:
    # As pandas' clip(lower=0): a negative distance is none, no value stays no value.
    return difference if difference != difference or difference >= 0 else 0.0


def _error_bars(series: _OnGrid, colour: str) -> dict[str, object] | None:
    """Asymmetric error bars from lower_ci/upper_ci, or None when the series has no intervals."""
    if not _any_value(series.lower) and not _any_value(series.upper):
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": [_json_number(_clipped(u - v)) for u, v in zip(series.upper, series.values, strict=True)],
        "arrayminus": [
            _json_number(_clipped(v - lo)) for v, lo in zip(series.values, series.lower, strict=True)
        ],
        "color": colour,
        "thickness": 1.5,
        "width": 4,
    }


def _series_trace(
    district: int | None, name: str, series: _OnGrid, ends: list[str], unit: str, *, hover: bool = True
) -> dict[str, object]:
    """The line of one series; ``district`` is its position among the districts, None for the partnership.
    Without ``hover`` (a slide, a static picture) its points carry no hover texts."""
    if district is None:
        colour, symbol, dash, width, size = NAVY, "circle", "solid", 4, 9
    else:
        colour = DISTRICT_COLOURS[district % len(DISTRICT_COLOURS)]
        symbol = DISTRICT_SYMBOLS[district % len(DISTRICT_SYMBOLS)]
        dash = DISTRICT_DASHES[district % len(DISTRICT_DASHES)]
        width, size = 2, 7
    trace: dict[str, object] = {
        "type": "scatter",
        "x": list(ends),
        "y": _json_numbers(series.values),
        "name": name,
        "mode": "lines+markers",
        "connectgaps": False,
        "line": {"color": colour, "width": width, "dash": dash},
        "marker": {"color": colour, "symbol": symbol, "size": size, "line": {"color": "white", "width": 1}},
    }
    if hover:
        note = _shared_note(series)
        trace["hovertext"] = _hover_texts(series, unit, with_notes=note is None)
        trace["hovertemplate"] = _hover_template(name, note)
    error_y = _error_bars(series, colour)
    if error_y is not None:
        trace["error_y"] = error_y
    return trace


def _incomplete_trace(
    name: str, series: _OnGrid, ends: list[str], *, hover: bool = True
) -> dict[str, object] | None:
    """Hollow grey circles at the foot of the plot for whole-partnership periods with no derivable value
    (without ``hover``, no hover texts)."""
    incomplete = [
        k
        for k, (method, value) in enumerate(zip(series.methods, series.values, strict=True))
        if method == INCOMPLETE_METHOD and not _has_value(value)
    ]
    if not incomplete:
        return None
    trace: dict[str, object] = {
        "type": "scatter",
        "x": [ends[k] for k in incomplete],
        "y": [INCOMPLETE_MARKER_Y] * len(incomplete),
        "yaxis": "y2",
        "name": INCOMPLETE_NAME,
        "mode": "markers",
        "marker": {"symbol": "circle-open", "size": 11, "color": MUTED, "line": {"width": 2}},
        "cliponaxis": False,
    }
    if hover:
        texts = []
        for k in incomplete:
            line = f"{series.labels[k]}: {format_number(math.nan, Unit.COUNT)}"
            texts.append(f"{line}<br>{html.escape(series.notes[k])}" if series.notes[k] else line)
        trace["hovertext"] = texts
        trace["hovertemplate"] = _hover_template(name)
    return trace


def empty_figure(
    message: str = EMPTY_MESSAGE, *, height: int | None = TREND_HEIGHT, size: ChartSize = STANDARD
) -> FigureDict:
    """A figure with no axes and ``message`` in its centre (``size``'s text size; ``height`` None fills
    the container)."""
    layout = _base_layout(height, size.font) | {
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "annotations": [
            {
                "text": message,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": max(16, size.annotation_font), "color": MUTED},
            }
        ],
    }
    return {"data": [], "layout": layout}


def trend_figure(
    trend: pd.DataFrame | TrendRows,
    *,
    name: str,
    unit: str,
    frequency: str,
    good_direction: str,
    target: float | None,
    tolerance: float,
    size: ChartSize = STANDARD,
    empty_message: str = EMPTY_MESSAGE,
) -> FigureDict:
    """The trend chart of one indicator: whole partnership and chosen districts over time.

    ``trend`` has the columns of ``data_access.progress.TREND_COLUMNS``, or is those rows already
    converted (``trend_rows_by_indicator``).  ``name`` is not drawn: the
    page shows it as the heading above the chart, and ``describe_trend`` says it.  The target,
    when given, is a dashed line labelled "Target 1,100", with its tolerance (``tolerance`` x |target|,
    the amber zone of ``domain.rag``) as a translucent amber band on the worse side of it.  See the
    module docstring for how series, gaps and incomplete periods are drawn.  Without any value the
    figure only says ``empty_message`` ("No values reported by this date").  ``size`` PRESENTATION draws larger text,
    labels fewer periods, writes the first line's latest value beside it and fills its container.
    """
    del name  # not drawn (see above); taken so the page calls trend_figure and describe_trend alike
    rows = _as_rows(trend)
    if not _any_value(rows.values):
        return empty_figure(empty_message, height=size.height, size=size)
    grid = _period_grid(rows.starts, frequency)
    ends = _period_ends(grid, frequency)

    traces: list[dict[str, object]] = []
    incomplete: dict[str, object] | None = None
    districts = 0
    # A slide is a static picture: its points are not hovered, so it has no hover texts to work out.
    hover = not size.for_slide
    grid_positions = _grid_positions(grid)
    for code, series_name, members in _series(rows):
        on_grid = _on_grid(rows, members, grid, grid_positions, frequency)
        if code == WHOLE_PARTNERSHIP:
            traces.append(_series_trace(None, series_name, on_grid, ends, unit, hover=hover))
            incomplete = _incomplete_trace(series_name, on_grid, ends, hover=hover)
        else:
            traces.append(_series_trace(districts, series_name, on_grid, ends, unit, hover=hover))
            districts += 1
    if incomplete is not None:
        traces.append(incomplete)
    if size.for_slide and not districts:
        traces[0]["showlegend"] = False  # the text beside the chart says whose line it is

    ticks = _tick_periods(grid, frequency, size.max_ticks)
    layout = _base_layout(size.height, size.font) | {
        "margin": _SLIDE_MARGIN if size.for_slide else {"l": 8, "r": 8, "t": 8, "b": 8},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "hovermode": "closest",
        "xaxis": {
            "type": "date",
            "tickmode": "array",
            "tickvals": _period_ends(ticks, frequency),
            "ticktext": [_label(p, frequency) for p in ticks],
            "showgrid": False,
            "automargin": True,
        },
        "yaxis": {
            "title": {"text": _axis_title(unit)},
            "rangemode": "tozero" if unit.strip().lower() == Unit.COUNT else "normal",
            "showgrid": True,
            "gridcolor": GRID,
            "automargin": True,
            **_value_axis_format(unit),
        },
    }
    if not _is_missing(target):
        band = _tolerance_shape(float(target), tolerance, good_direction)
        line = _target_shape(float(target), dash="dash", width=2)
        layout["shapes"] = [line] if band is None else [band, line]
        # On a slide the latest value is written at the right-hand end, so the target's label moves left.
        left = size.for_slide
        layout["annotations"] = [
            {
                "text": f"Target {format_number(float(target), unit)}",
                "xref": "paper",
                "x": 0 if left else 1,
                "xanchor": "left" if left else "right",
                "yref": "y",
                "y": _json_number(float(target)),
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": INK, "size": size.annotation_font},
                "bgcolor": "rgba(255, 255, 255, 0.8)",
            }
        ]
    if incomplete is not None:
        layout["yaxis2"] = {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
    if size.for_slide:
        _fit_for_slide(layout, traces, unit, size.annotation_font)
    return {"data": traces, "layout": layout}


# Room above the plot for the latest value's label, and to the right for the last period's label.
_SLIDE_MARGIN = {"l": 8, "r": 40, "t": 36, "b": 8}


def _fit_for_slide(layout: dict[str, Any], traces: list[dict[str, object]], unit: str, font: int) -> None:
    """Period labels stay level, a rolling year's on two lines ("year ending" above "Jun 2025"), and
    only two of them when they are long; a count's, a percentage's or money's value axis needs no title;
    the first line's latest value is written beside its last point, on white so a dense line cannot
    hide it. A slide is a static picture, so its points are not hovered (trend_figure gives them no hover
    texts, most of a figure's bytes)."""
    for trace in traces:
        trace["hoverinfo"] = "skip"
    first = traces[0]
    xaxis = layout["xaxis"]
    xaxis["tickangle"] = 0
    texts = [text.replace("year ending ", "year ending<br>") for text in xaxis["ticktext"]]
    if len(texts) > 2 and max(len(line) for text in texts for line in text.split("<br>")) > 8:
        keep = [0, len(texts) - 1]  # "Q2 2024/25" three times does not fit a third of a 1280 screen
        xaxis["tickvals"] = [xaxis["tickvals"][k] for k in keep]
        texts = [texts[k] for k in keep]
    xaxis["ticktext"] = texts
    if unit.strip().lower() in {Unit.COUNT, *_PERCENT_UNITS, *_POUND_UNITS}:
        del layout["yaxis"]["title"]
    values = cast(list, first["y"])
    latest = max((k for k, value in enumerate(values) if value is not None), default=None)
    if latest is None:
        return
    colour = cast(dict, first["line"])["color"]
    layout.setdefault("annotations", []).append(
        {
            "text": format_number(values[latest], unit),
            "x": cast(list, first["x"])[latest],
            "y": values[latest],
            "xref": "x",
            "yref": "y",
            "showarrow": True,
            "arrowhead": 0,
            "arrowcolor": colour,
            "ax": -18,
            "ay": -26,
            "xanchor": "right",
            "font": {"color": colour, "size": font},
            "bgcolor": "rgba(255, 255, 255, 0.9)",
        }
    )


# ---------------------------------------------------------------------------------------------------------
# Sparkline


def sparkline_figure(
    series: pd.DataFrame | TrendRows,
    *,
    unit: str,
    frequency: str,
    target: float | None,
    series_codes: Sequence[str] = (WHOLE_PARTNERSHIP,),
) -> FigureDict:
    """A 60 px line per series for a card: no axes, each line's last value marked.

    ``series`` has columns period_start and value (period_label optional); if it has a series_code
    column only the rows of ``series_codes`` are drawn (default: the whole partnership), the first in
    navy and the others in the district colours and dashes of the trend chart.  A target, when given,
    is a dotted line.  Without any value the figure is blank.  ``series`` may be those rows already
    converted (``trend_rows``, ``trend_rows_by_indicator``).
    """
    layout = _base_layout(SPARKLINE_HEIGHT) | {
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "showlegend": False,
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "xaxis": {"visible": False, "fixedrange": True},
        "yaxis": {"visible": False, "fixedrange": True},
        "hovermode": "closest",
    }
    rows = _as_rows(series)  # without a series_code column, every row is the whole partnership's
    members: dict[str, list[int]] = {}
    for i, code in enumerate(rows.codes):
        members.setdefault(code, []).append(i)
    drawn = [(code, members.get(code, [])) for code in series_codes]
    drawn = [(code, rows_of) for code, rows_of in drawn if any(_has_value(rows.values[i]) for i in rows_of)]
    if not drawn:
        return {"data": [], "layout": layout}
    grid = _period_grid([rows.starts[i] for _, rows_of in drawn for i in rows_of], frequency)
    ends = _period_ends(grid, frequency)
    traces = []
    districts = [code for code in series_codes if code != WHOLE_PARTNERSHIP]
    grid_positions = _grid_positions(grid)
    for code, rows_of in drawn:
        on_grid = _on_grid(rows, rows_of, grid, grid_positions, frequency)
        last = max(k for k, value in enumerate(on_grid.values) if _has_value(value))
        # The same colour and dash per series as on the trend charts.
        colour, dash = NAVY, "solid"
        if code != WHOLE_PARTNERSHIP:
            position = districts.index(code)
            colour = DISTRICT_COLOURS[position % len(DISTRICT_COLOURS)]
            dash = DISTRICT_DASHES[position % len(DISTRICT_DASHES)]
        hover = [
            f"{label}: {format_number(value, unit)}" if _has_value(value) else None
            for label, value in zip(on_grid.labels, on_grid.values, strict=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "x": list(ends),
                "y": _json_numbers(on_grid.values),
                "mode": "lines+markers",
                "connectgaps": False,
                "line": {"color": colour, "width": 2, "dash": dash},
                # Only the latest value gets a visible marker; the others stay hoverable.
                "marker": {"color": colour, "size": [7 if k == last else 0 for k in range(len(grid))]},
                "cliponaxis": False,
                "hovertext": hover,
                "hovertemplate": HOVER_TEMPLATE,
            }
        )
    if not _is_missing(target):
        layout["shapes"] = [_target_shape(float(target), dash="dot", width=1)]
    return {"data": traces, "layout": layout}


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
        _words(period_end(start, cast(Frequency, frequency)).replace(day=1), "month")
        for start in (first, last)
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


def _incomplete_text(rows: TrendRows, whole: Sequence[int], after: date | None, frequency: str) -> str:
    """ "; Q3 2026/27 is incomplete (...)" for incomplete periods after the latest value, else ""."""
    periods = sorted(
        rows.starts[i]
        for i in whole
        if rows.methods[i] == INCOMPLETE_METHOD
        and not _has_value(rows.values[i])
        and (after is None or rows.starts[i] > after)
    )
    if not periods:
        return ""
    if len(periods) == 1:
        return f"; {_words(periods[0], frequency)} is incomplete (not all districts reported)"
    span = _end_months(periods[0], periods[-1], frequency)
    return f"; the {len(periods)} periods ending {span} are incomplete (not all districts reported)"


def describe_trend(
    trend: pd.DataFrame | TrendRows,
    *,
    name: str,
    unit: str,
    frequency: str,
    target: float | None,
    empty_message: str = EMPTY_MESSAGE,
) -> str:
    """The chart's text alternative: the latest whole-partnership value and its change, target, coverage.
    ``trend`` and ``empty_message`` as for ``trend_figure``.

    E.g. "Knife crime offences, whole partnership: 1,234 in Q2 2026/27, down 5.1% on Q2 2025/26 (1,300).
    Target 1,100. Shown for 2018/19 to 2026/27 with 2 districts: Fareham, Gosport."  The change is on
    the same period a year earlier, as in the RAG rules; for percentages it is in points.
    """
    rows = _as_rows(trend)
    with_values = [start for start, value in zip(rows.starts, rows.values, strict=True) if _has_value(value)]
    if not with_values:
        return f"{name}: {empty_message[0].lower()}{empty_message[1:]}."
    series = _series(rows)
    whole = next((members for code, _, members in series if code == WHOLE_PARTNERSHIP), [])
    # The whole partnership's reported values by period; of two rows for one period the later counts.
    values = {rows.starts[i]: rows.values[i] for i in whole if _has_value(rows.values[i])}

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
        first += _incomplete_text(rows, whole, latest_start, frequency)
    else:
        first = f"{name}: no whole-partnership value could be derived"
        first += _incomplete_text(rows, whole, None, frequency)
    sentences = [f"{first}."]

    if not _is_missing(target):
        sentences.append(f"Target {format_number(float(target), unit)}.")

    districts = [series_name for code, series_name, _ in series if code != WHOLE_PARTNERSHIP]
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
