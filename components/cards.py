"""Overview cards: one per priority, readable in ten seconds and on a shared screen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import dcc, html

from components.charts import FigureDict
from components.rag import rag_badge
from domain.formatting import format_date, noun
from domain.rag import AMBER, GREEN, RED

_ORDER = {RED: 0, AMBER: 1, GREEN: 2}


def priority_card(
    status: Mapping[str, Any],
    *,
    href: str,
    sparkline: FigureDict | None,
    sparkline_text: str,
    change_text: str | None,
    graph_config: dict,
) -> html.Article:
    """A priority's card: number and title, RAG with reason, headline trend, actions, change.

    ``status`` is a row of data_access.progress.priority_statuses.
    """
    rating = status["rating"]
    heading_id = f"priority-card-{status['code']}"
    source = (
        f"Set by the board on {format_date(status['assessed_on'])}"
        if status["rating_source"] == "board"
        else "Worked out from indicators and actions"
    )
    overdue = int(status["overdue_actions"])
    facts = [
        html.Li(
            [
                html.Strong(str(int(status["open_actions"]))),
                " open ",
                noun(int(status["open_actions"]), "action"),
            ]
        ),
        html.Li(
            [html.Strong(str(overdue)), " overdue"], className="text-danger fw-bold" if overdue else None
        ),
    ]
    return html.Article(
        [
            html.H2(
                dcc.Link(
                    [html.Span(f"{status['number']}.", className="priority-number"), status["short_title"]],
                    href=href,
                    id=heading_id,
                ),
            ),
            html.Div([rag_badge(rating, size="lg")], className="d-flex align-items-center gap-2"),
            html.P(
                [status["reason"], " ", html.Span(f"({source}.)", className="text-body-secondary")]
                if status["rating_source"] == "rollup"
                else status["reason"],
                className="reason",
            ),
            _sparkline(status, sparkline, sparkline_text, graph_config),
            html.Ul(facts, className="card-facts"),
            html.P(change_text, className="change-note mb-0") if change_text else None,
            dcc.Link(
                ["Open priority ", html.Span(status["short_title"], className="visually-hidden")],
                href=href,
                className="card-link",
            ),
        ],
        className=f"priority-card card-{rating}",
        **{"aria-labelledby": heading_id},
    )


def _sparkline(status, figure: FigureDict | None, text: str, graph_config: dict):
    if figure is None:
        return html.P(text, className="sparkline-caption")
    return html.Figure(
        [
            html.Div(
                dcc.Graph(figure=figure, config=graph_config, style={"height": "60px"}),
                **{"aria-hidden": "true"},
            ),
            html.Figcaption(text, className="sparkline-caption"),
        ],
        className="mb-0",
    )


def change_since(previous: Mapping[str, Any] | None, current: Mapping[str, Any], meeting_date) -> str | None:
    """ "Was Amber at the 12 Sep 2024 meeting; now Red (worse)." or None when there was no meeting."""
    if meeting_date is None:
        return None
    when = f"the {format_date(meeting_date)} meeting"
    if previous is None:
        return f"Not in force at {when}."
    before, now = previous["rating"], current["rating"]
    if before == now:
        return f"No change since {when} ({previous['rating_word']})."
    direction = ""
    if before in _ORDER and now in _ORDER:
        direction = " (better)" if _ORDER[now] > _ORDER[before] else " (worse)"
    return f"Was {previous['rating_word']} at {when}; now {current['rating_word']}{direction}."
