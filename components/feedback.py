"""Messages a page shows instead of, or above, its content: notices, outages, not found."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html


def notices(messages: Sequence[str]) -> list:
    """Warnings about the link (an unknown district, a bad date), each in its own alert."""
    return [dbc.Alert(message, color="warning", className="py-2 mb-2") for message in messages]


def database_unavailable(detail: str | None = None) -> html.Div:
    """The banner shown when the database cannot be reached: what happened and what to do."""
    return html.Div(
        dbc.Alert(
            [
                html.H2("The dashboard cannot reach its database", className="h5 alert-heading"),
                html.P(
                    "Figures cannot be shown right now. Nothing has been lost: try again in a few minutes, "
                    "and if this continues tell the partnership's data officer.",
                    className="mb-0",
                ),
                html.P(detail, className="small mt-2 mb-0 text-body-secondary") if detail else None,
            ],
            color="danger",
            className="mt-3",
        ),
        role="alert",
    )


def not_found(message: str, back_href: str = "/") -> html.Div:
    """A proper not-found page with a way back to the overview."""
    return html.Div(
        [
            html.H1("Page not found", className="page-title"),
            html.P(message, className="page-lede"),
            dcc.Link("Back to the overview of all priorities", href=back_href, className="btn btn-primary"),
        ],
        className="py-3",
    )


def page_failed() -> html.Div:
    """Shown inside the usual header and filters when a page could not be built; the log has the details."""
    return html.Div(
        dbc.Alert(
            [
                # The page's only heading, so it is the level-one heading a screen reader jumps to.
                html.H1("This page could not be shown", className="h5 alert-heading"),
                html.P(
                    "Something went wrong while working out this page's figures. The details have been written "
                    "to the dashboard's log for the partnership's data officer. The other pages still work, and "
                    "this one may work for another date or other districts.",
                    className="mb-2",
                ),
                dcc.Link("Back to the overview of all priorities", href="/", className="alert-link"),
            ],
            color="danger",
            className="mt-3",
        ),
        role="alert",
    )
