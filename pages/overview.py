"""Overview: one card per priority in force at the date, with the partnership's headline figures."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import dash
import pandas as pd
from dash import dcc, html

from components.cards import change_since, priority_card
from components.charts import TrendRows, chart_config, sparkline_figure, trend_rows, trend_rows_by_indicator
from components.feedback import database_unavailable
from components.filters import href
from components.freshness import late_note
from data_access import views
from data_access.db import DatabaseUnavailable, session_scope
from data_access.queries import WHOLE_PARTNERSHIP
from domain.formatting import format_date, format_number, noun
from domain.rag import AMBER, GREEN, NO_DATA, RED
from pages._board_pack import board_pack_control
from pages._common import guarded_layout, page_filters, page_title, scope_sentence, sees_restricted

dash.register_page(__name__, path="/", name="Overview", title=lambda: page_title("Overview"), order=0)

SPARKLINE_YEARS = views.SPARKLINE_YEARS


class Ids(StrEnum):
    GRID = "overview-grid"


@guarded_layout
def layout(district=None, as_at=None, **_other_query):
    try:
        with session_scope() as session:
            filters, today = page_filters(session, district=district, as_at=as_at)
            return _overview(session, filters, filters.as_at_or(today))
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))


def _overview(session, filters, as_at: dt.date):
    view = views.overview_view(session, as_at, filters.district_list, include_restricted=sees_restricted())
    names = views.reference_view(session).district_names
    statuses = view.current.priorities
    previous = view.previous.priorities.set_index("code") if view.previous is not None else None
    heading = [
        html.H1("Priorities at a glance", className="page-title"),
        html.P(scope_sentence(session, filters, as_at), className="scope-line"),
        html.Div(
            [
                dcc.Link(
                    ["Present", html.Span(" these priorities as slides", className="visually-hidden")],
                    href=href("/present", filters),
                    className="btn btn-outline-primary present-link",
                ),
                dcc.Link("Changes since the last meeting", href=href("/changes", filters)),
                board_pack_control(filters, as_at),
            ],
            className="page-tools",
        ),
    ]
    if statuses.empty:
        return html.Div(
            [*heading, html.P(f"No priorities were in force on {format_date(as_at)}.", className="page-lede")]
        )
    sparklines = _sparklines(view, filters.district_list, names)
    cards = []
    for status in statuses.to_dict("records"):
        code = status["code"]
        before = (
            previous.loc[code].to_dict() | {"code": code}
            if previous is not None and code in previous.index
            else None
        )
        figure, text = sparklines.get(code, (None, "No headline indicator."))
        cards.append(
            priority_card(
                status,
                href=href(f"/priority/{code}", filters),
                sparkline=figure,
                sparkline_text=text,
                change_text=change_since(before, status, view.previous_meeting),
                graph_config=chart_config(static=True),
            )
        )
    return html.Div(
        [
            *heading,
            _summary(statuses),
            late_note(view.freshness, lambda path: href(path, filters)),
            html.Div(cards, className="priority-grid", id=Ids.GRID),
        ]
    )


def _summary(statuses) -> html.Section:
    counts = statuses["rating"].value_counts()
    items = [
        (str(len(statuses)), noun(len(statuses), "priority", "priorities") + " in force"),
        (str(counts.get(RED, 0)), "Red"),
        (str(counts.get(AMBER, 0)), "Amber"),
        (str(counts.get(GREEN, 0)), "Green"),
        (str(counts.get(NO_DATA, 0)), "Not enough data"),
        (f"{int(statuses['open_actions'].sum()):,}", "open actions"),
        (f"{int(statuses['overdue_actions'].sum()):,}", "overdue actions"),
    ]
    return html.Section(
        [
            html.H2("Summary", className="visually-hidden"),
            html.Ul(
                [
                    html.Li([html.Span(number, className="summary-number"), label], className="summary-item")
                    for number, label in items
                ],
                className="summary-strip list-unstyled",
            ),
        ]
    )


def _sparklines(view: views.OverviewView, districts: list[str] | None, names: dict[str, str]) -> dict:
    """Each priority's headline indicator over the last few years: the whole partnership's, or each
    chosen district's own."""
    indicators = {row["code"]: row for row in view.current.indicators.to_dict("records")}
    series_codes = districts or [WHOLE_PARTNERSHIP]
    names = names | {WHOLE_PARTNERSHIP: "whole partnership"}
    # The frame converted once for every card, not filtered and split card by card.
    valued = view.sparklines[view.sparklines["value"].notna()]
    trends = trend_rows_by_indicator(valued)
    empty = trend_rows(valued.iloc[0:0])
    result = {}
    for status in view.current.priorities.to_dict("records"):
        code = status["headline_indicator_code"]
        if pd.isna(code):  # a priority without indicators yet
            continue
        indicator = indicators[code]
        trend = trends.get(code, empty)
        figure = sparkline_figure(
            trend,
            unit=indicator["unit"],
            frequency=indicator["frequency"],
            target=_target(indicator),
            series_codes=series_codes,
        )
        sentences = [
            _sparkline_text(indicator, trend, series_code, names[series_code]) for series_code in series_codes
        ]
        result[status["code"]] = (figure, " ".join(sentences))
    return result


def _target(indicator: dict) -> float | None:
    return None if pd.isna(indicator["target"]) else float(indicator["target"])


def _sparkline_text(indicator: dict, trend: TrendRows, series_code: str, where: str) -> str:
    """ "Knife crime offences (Fareham): 412 in Q2 2024/25, from 380 in Q2 2021/22." for one series."""
    rows = [i for i, code in enumerate(trend.codes) if code == series_code]
    if not rows:
        return f"{indicator['name']} ({where}): no values in the last {SPARKLINE_YEARS} years."
    first, last = rows[0], rows[-1]
    unit = indicator["unit"]
    latest = f"{format_number(trend.values[last], unit)} in {trend.labels[last]}"
    if trend.starts[first] == trend.starts[last]:
        return f"{indicator['name']} ({where}): {latest}."
    return (
        f"{indicator['name']} ({where}): {latest}, "
        f"from {format_number(trend.values[first], unit)} in {trend.labels[first]}."
    )
