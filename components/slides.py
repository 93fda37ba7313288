"""Presentation slides: pure functions from a page's data to the body of each slide.

Slides are read across a meeting room or a shared video call, so they hold less than a page, in larger
type (assets/present.css): every list is capped at what fits a 1280x720 screen and says how many more
there are, and text cut to fit on screen is cut by CSS only, so a screen reader still reads all of it.
Nothing needs a hover: each chart writes its latest value, says it again in words beside the chart and
carries its full text alternative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from dash import dcc, html

from components.charts import PRESENTATION, FigureDict, TrendRows, chart_config, describe_trend, trend_figure
from components.rag import rag_badge
from data_access.queries import WHOLE_PARTNERSHIP
from domain.actions import DUE_SOON_DAYS
from domain.formatting import format_date, format_number, plural
from domain.rag import AMBER, GREEN, NO_DATA, RATING_WORDS, RED

# What fits a 1280x720 slide at 24 px text, measured on the screenshots (tests/browser/test_present.py
# checks that no slide overflows).
SUMMARY_ROWS = 15  # priorities on one summary slide; more go on a second
SUMMARY_TWO_LINE_ROWS = 8  # up to this many rows, a reason may take two lines
SLIDE_ACTIONS = 3  # overdue and due-soon actions listed on a priority's slide
CLOSING_PARTNERS = 7  # partners listed on the closing slide, two lines each
# A partner's overdue actions named on the closing slide, the rest counted: two lines hold two or three,
# and a large partnership's partners have hundreds each (sent, and read out by a screen reader, in full).
CLOSING_ACTIONS = 5
TITLE_DISTRICTS = 6  # districts named on the title slide

ChartId = Callable[[int], Any]


@dataclass(frozen=True)
class Slide:
    """One slide: its ``title`` (the heading, and what a screen reader hears on arriving), the
    ``body`` of its section, and the ``figures`` of its charts in the order of their ids."""

    title: str
    body: list
    kind: str
    figures: tuple[FigureDict, ...] = field(default=())


def _clamped(text: str, lines: int, tag=html.P, **props) -> html.Component:
    """Text cut to ``lines`` lines on screen by CSS, whole in the page for screen readers."""
    class_name = f"clamp clamp-{lines} {props.pop('className', '')}".strip()
    return tag(text, className=class_name, **props)


# ---------------------------------------------------------------------------------------------------------
# Title


def title_slide(
    *, partnership: str, meeting_name: str | None, as_at_text: str, district_names: Sequence[str]
) -> Slide:
    """Partnership, meeting (when the date is a meeting's), as-at date and the districts in view."""
    if not district_names:
        where: list = ["Whole partnership"]
    elif len(district_names) <= TITLE_DISTRICTS:
        where = [_and_list(district_names)]
    else:
        shown = ", ".join(district_names[:TITLE_DISTRICTS])
        hidden = len(district_names) - TITLE_DISTRICTS
        where = [
            f"{len(district_names)} districts: {shown}",
            html.Span(", " + ", ".join(district_names[TITLE_DISTRICTS:]), className="visually-hidden"),
            html.Span(f" and {hidden} more", **{"aria-hidden": "true"}),
        ]
    return Slide(
        title=partnership,
        kind="title",
        body=[
            html.P("Progress on our priorities", className="slide-kicker"),
            _clamped(partnership, 3, tag=html.H2, className="slide-title-main"),
            _clamped(f"Meeting: {meeting_name}", 2, className="slide-meeting") if meeting_name else None,
            html.P(f"As at {as_at_text}", className="slide-as-at"),
            html.P(where, className="slide-districts"),
            html.P(
                "Move with the arrow keys, Page Up and Page Down, Space, Home and End, or the buttons below.",
                className="slide-hint",
            ),
        ],
    )


def _and_list(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# ---------------------------------------------------------------------------------------------------------
# Summary


def summary_slides(statuses: pd.DataFrame, as_at_text: str) -> list[Slide]:
    """Every priority in force with its RAG word, symbol and reason, SUMMARY_ROWS to a slide.

    ``statuses``: rows of data_access.progress.priority_statuses, in priority order.
    """
    if statuses.empty:
        return [
            Slide(
                title="Summary",
                kind="summary",
                body=[
                    html.H2("Summary", className="slide-heading"),
                    html.P(f"No priorities were in force on {as_at_text}.", className="slide-lede"),
                ],
            )
        ]
    rows = statuses.to_dict("records")
    pages = -(-len(rows) // SUMMARY_ROWS)
    per_page = -(-len(rows) // pages)  # spread evenly: 16 priorities make 8 and 8, not 15 and 1
    counts = pd.Series([row["rating"] for row in rows], dtype=object).value_counts()
    tally = ", ".join(
        f"{int(counts.get(rating, 0))} {RATING_WORDS[rating]}" for rating in (RED, AMBER, GREEN, NO_DATA)
    )
    slides = []
    for page in range(pages):
        chunk = rows[page * per_page : (page + 1) * per_page]
        part = f" ({page + 1} of {pages})" if pages > 1 else ""
        title = f"Summary{part}: {plural(len(rows), 'priority', 'priorities')} in force"
        lines = 2 if len(chunk) <= SUMMARY_TWO_LINE_ROWS else 1
        slides.append(
            Slide(
                title=title,
                kind="summary",
                body=[
                    html.H2(title, className="slide-heading"),
                    html.P(tally + ".", className="slide-lede"),
                    html.Table(
                        [
                            html.Caption(
                                f"Each priority's RAG and its reason, as at {as_at_text}",
                                className="visually-hidden",
                            ),
                            html.Thead(
                                html.Tr(
                                    [
                                        html.Th("No.", scope="col"),
                                        html.Th("Priority", scope="col"),
                                        html.Th("RAG", scope="col"),
                                        html.Th("Why", scope="col"),
                                    ]
                                )
                            ),
                            html.Tbody([_summary_row(status, lines) for status in chunk]),
                        ],
                        className=f"summary-table rows-{lines}-line",
                    ),
                ],
            )
        )
    return slides


def _summary_row(status: Mapping[str, Any], lines: int) -> html.Tr:
    return html.Tr(
        [
            html.Td(f"{status['number']}.", className="summary-number"),
            html.Th(_clamped(status["short_title"], lines, tag=html.Span), scope="row"),
            html.Td(rag_badge(status["rating"])),
            html.Td(_clamped(status["reason"], lines, tag=html.Span)),
        ]
    )


# ---------------------------------------------------------------------------------------------------------
# One priority


@dataclass(frozen=True)
class SlideChart:
    """One indicator on a priority's slide: its definition (a row of queries.indicators_for), its
    statuses in view (rows of progress.indicator_statuses: the whole partnership, or each chosen
    district) and its trend (its rows of progress.TREND_COLUMNS, components.charts.trend_rows)."""

    indicator: Mapping[str, Any]
    statuses: Sequence[Mapping[str, Any]]
    trend: TrendRows


def priority_slide(
    status: Mapping[str, Any],
    charts: Sequence[SlideChart],
    actions: pd.DataFrame,
    *,
    due_soon_until: dt.date,
    by_meeting: bool,
    chart_id: ChartId,
) -> Slide:
    """A priority's RAG and reason, its headline charts, overdue and due-soon actions and the board's
    commentary.

    ``status``: its row of progress.priority_statuses. ``actions``: its open actions that are overdue or
    due soon (data_access.views.PresentationView.actions), due soon meaning due by ``due_soon_until``,
    the next meeting's date when ``by_meeting``. ``chart_id(j)`` names the j-th chart's graph, left empty: the
    page draws ``Slide.figures`` into the graphs when the slide is shown.
    """
    title = f"{status['number']}. {status['short_title']}"
    figures = tuple(_figure(chart) for chart in charts)
    return Slide(
        title=title,
        kind="priority",
        figures=figures,
        body=[
            html.Div(
                [
                    _clamped(title, 1, tag=html.H2, className="slide-heading"),
                    rag_badge(status["rating"], size="lg"),
                ],
                className="slide-header",
            ),
            _clamped(status["reason"], 2, className="slide-reason"),
            _charts(charts, chart_id),
            html.Div(
                [_commentary(status), _deadlines(actions, due_soon_until, by_meeting)],
                className="slide-lower",
            ),
        ],
    )


def _figure(chart: SlideChart) -> FigureDict:
    indicator = chart.indicator
    return trend_figure(
        chart.trend,
        name=indicator["name"],
        unit=indicator["unit"],
        frequency=indicator["frequency"],
        good_direction=indicator["good_direction"],
        target=_target(indicator),
        tolerance=float(indicator["tolerance"]),
        size=PRESENTATION,
    )


def _target(indicator: Mapping[str, Any]) -> float | None:
    return None if pd.isna(indicator["target"]) else float(indicator["target"])


def _charts(charts: Sequence[SlideChart], chart_id: ChartId):
    if not charts:
        return html.Div(
            html.P("No indicators are recorded for this priority: it is tracked by its actions."),
            className="slide-charts slide-charts-empty",
        )
    return html.Div(
        [_chart(chart, chart_id(j)) for j, chart in enumerate(charts)],
        className=f"slide-charts slide-charts-{len(charts)}",
    )


def _chart(chart: SlideChart, graph_id) -> html.Figure:
    indicator = chart.indicator
    unit = indicator["unit"]
    description = describe_trend(
        chart.trend,
        name=indicator["name"],
        unit=unit,
        frequency=indicator["frequency"],
        target=_target(indicator),
    )
    ratings = [f"{row['series_name']}: {row['rating_word']}. {row['reason']}" for row in chart.statuses]
    return html.Figure(
        [
            _clamped(indicator["name"], 1, tag=html.H3, className="chart-name"),
            html.P(_latest(chart.statuses, chart.trend, unit), className="chart-latest"),
            html.Div(
                dcc.Graph(
                    id=graph_id,
                    config=chart_config(static=True),
                    responsive=True,
                    className="slide-graph",
                ),
                className="slide-graph-box",
                **{"aria-hidden": "true"},
            ),
            html.Figcaption(" ".join([description, *ratings]), className="visually-hidden"),
        ],
        className="slide-chart",
    )


def _latest(statuses: Sequence[Mapping[str, Any]], trend: TrendRows, unit: str) -> list:
    """ "1,234 in Q2 2024/25 ▲ Amber" for the whole partnership; each chosen district's RAG, or with many
    districts how many are of each RAG; and whose line is drawn when it is not the districts'."""
    rows = list(statuses)
    if rows and rows[0]["series_code"] != WHOLE_PARTNERSHIP and WHOLE_PARTNERSHIP in trend.codes:
        return ["Whole partnership shown: no district values"]
    if len(rows) == 1 and rows[0]["series_code"] == WHOLE_PARTNERSHIP:
        row = rows[0]
        value = (
            f"{format_number(row['latest_value'], unit)} in {row['latest_period_label']} "
            if row["latest_period"] is not None
            else "No value yet "
        )
        return [value, rag_badge(row["rating"])]
    if len(rows) <= 2:
        return [
            html.Span([f"{row['series_name']} ", rag_badge(row["rating"])], className="chart-district")
            for row in rows
        ]
    counts = pd.Series([row["rating"] for row in rows], dtype=object).value_counts()
    return [
        html.Span(
            [rag_badge(rating, word=f"{int(counts[rating])} {RATING_WORDS[rating]}")],
            className="chart-district",
        )
        for rating in counts.index
    ]


def _commentary(status: Mapping[str, Any]) -> html.Section:
    """The board's latest assessment. With districts chosen the slide's RAG is theirs, so the board's own
    RAG (for the whole partnership) is shown beside its words; otherwise the heading's RAG is the board's."""
    if status["assessed_on"] is None:
        return html.Section(
            [
                html.H3("The board's commentary", className="lower-heading"),
                html.P("The board has not assessed this priority yet.", className="slide-empty"),
            ],
            className="slide-commentary",
        )
    own_rating = status["rating_source"] == "board"
    return html.Section(
        [
            html.H3(
                f"The board's commentary, {format_date(status['assessed_on'])}", className="lower-heading"
            ),
            None
            if own_rating
            else html.P(
                [rag_badge(status["board_rating"]), " set by the board for the whole partnership."],
                className="commentary-meta",
            ),
            _clamped(
                status["commentary"] or "No commentary was recorded.",
                4 if own_rating else 3,
                tag=html.Blockquote,
                className="commentary-text",
            ),
        ],
        className="slide-commentary",
    )


def _deadlines(actions: pd.DataFrame, until: dt.date, by_meeting: bool) -> html.Section:
    overdue = int(actions["overdue"].sum())
    due_soon = len(actions) - overdue
    until_text = format_date(until)
    heading = html.H3(f"Actions: {overdue} overdue, {due_soon} due soon", className="lower-heading")
    meaning = (
        f"Due soon: by the next meeting, {until_text}."
        if by_meeting
        else f"Due soon: within {DUE_SOON_DAYS} days, by {until_text}."
    )
    if actions.empty:
        return html.Section(
            [
                heading,
                html.P("No open action is overdue or due soon.", className="slide-empty"),
                html.P(meaning, className="slide-more"),
            ],
            className="slide-actions",
        )
    # The first few by overdue then due date, picked from plain lists: a large partnership's priority has
    # hundreds of such actions, and sorting and converting its frame slide by slide cost more than the rest
    # of the slide.
    columns = {
        column: actions[column].tolist() for column in ("ref", "title", "owner_name", "due_date", "overdue")
    }
    overdue_flags, due_dates = columns["overdue"], columns["due_date"]
    first = sorted(range(len(actions)), key=lambda i: (not overdue_flags[i], due_dates[i]))[:SLIDE_ACTIONS]
    items = [_action_item({column: values[i] for column, values in columns.items()}) for i in first]
    rest = len(actions) - len(items)
    return html.Section(
        [
            heading,
            html.Ul(items, className="slide-action-list"),
            _clamped(
                f"And {plural(rest, 'more action')}. {meaning}" if rest else meaning,
                2,
                className="slide-more",
            ),
        ],
        className="slide-actions",
    )


def _action_item(action: Mapping[str, Any]) -> html.Li:
    due = format_date(action["due_date"])
    if action["overdue"]:
        badge = rag_badge(RED, word="Overdue")
        when = f"was due {due}"
    else:
        badge = html.Span("Due soon", className="deadline-badge")
        when = f"due {due}"
    return html.Li(
        [
            badge,
            _clamped(
                f" {action['ref']} {action['title']} ({action['owner_name']}, {when})", 1, tag=html.Span
            ),
        ],
        className="slide-action",
    )


# ---------------------------------------------------------------------------------------------------------
# Closing


def _named_actions(actions: pd.DataFrame) -> str:
    """ "CL-01 Title; CL-02 Title; and 3 more" for a partner's overdue actions, CLOSING_ACTIONS named."""
    named = "; ".join(
        f"{ref} {title}"
        for ref, title in zip(
            actions["ref"].iloc[:CLOSING_ACTIONS], actions["title"].iloc[:CLOSING_ACTIONS], strict=True
        )
    )
    rest = len(actions) - CLOSING_ACTIONS
    return f"{named}; and {rest} more" if rest > 0 else named


def closing_slide(actions: pd.DataFrame, as_at_text: str) -> Slide:
    """Overdue actions by partner: the partners with most first, CLOSING_PARTNERS of them, the rest
    counted, and each one's first CLOSING_ACTIONS by due date named, the rest counted.
    ``actions``: PresentationView.actions (the overdue ones are used)."""
    title = "Overdue actions by partner"
    overdue = actions[actions["overdue"]]
    if overdue.empty:
        return Slide(
            title=title,
            kind="closing",
            body=[
                html.H2(title, className="slide-heading"),
                html.P(f"No action was overdue on {as_at_text}.", className="slide-lede"),
            ],
        )
    groups = sorted(
        overdue.groupby("owner_name", sort=False),
        key=lambda group: (-len(group[1]), group[0]),
    )
    shown, rest = groups[:CLOSING_PARTNERS], groups[CLOSING_PARTNERS:]
    lines = 2
    rows = [
        html.Tr(
            [
                html.Th(_clamped(owner, lines, tag=html.Span), scope="row"),
                html.Td(str(len(rows)), className="closing-count"),
                html.Td(_clamped(_named_actions(rows), lines, tag=html.Span)),
            ]
        )
        for owner, rows in shown
    ]
    remainder = None
    if rest:
        hidden = sum(len(group) for _, group in rest)
        between = " between them" if len(rest) > 1 else ""
        remainder = html.P(
            f"And {plural(len(rest), 'more partner')} with {plural(hidden, 'overdue action')}{between}.",
            className="slide-more",
        )
    partners = len(groups)
    return Slide(
        title=title,
        kind="closing",
        body=[
            html.H2(title, className="slide-heading"),
            html.P(
                f"{plural(len(overdue), 'action')} {'was' if len(overdue) == 1 else 'were'} overdue on "
                f"{as_at_text}, owned by {plural(partners, 'partner')}.",
                className="slide-lede",
            ),
            html.Table(
                [
                    html.Caption("Overdue actions by owning partner", className="visually-hidden"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Partner", scope="col"),
                                html.Th("Overdue", scope="col"),
                                html.Th("Actions", scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                className=f"closing-table rows-{lines}-line",
            ),
            remainder,
        ],
    )
