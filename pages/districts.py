"""Districts: each priority's RAG in each district, from that district's own data."""

from __future__ import annotations

import datetime as dt

import dash
from dash import dcc, html

from components.feedback import database_unavailable
from components.filters import Filters, to_search
from components.rag import rag_badge_link
from data_access import views
from data_access.db import DatabaseUnavailable, session_scope
from domain.rag import ROLLUP_RULE_TEXT
from pages._common import guarded_layout, page_filters, page_title, scope_sentence, sees_restricted

dash.register_page(
    __name__, path="/districts", name="Districts", title=lambda: page_title("Districts"), order=3
)


@guarded_layout
def layout(district=None, as_at=None, **_other_query):
    try:
        with session_scope() as session:
            filters, today = page_filters(session, district=district, as_at=as_at)
            as_at_date = filters.as_at_or(today)
            view = views.districts_view(session, as_at_date, include_restricted=sees_restricted())
            priorities, matrix = view.priorities, view.matrix
            scope = scope_sentence(session, Filters(as_at=filters.as_at), as_at_date)
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    return html.Div(
        [
            html.H1("Priorities by district", className="page-title"),
            html.P(scope, className="scope-line"),
            html.P(
                "Each cell rolls up that district's own indicator values and the actions in that district; "
                "partnership-wide actions and board assessments are on the priority pages. Select a cell to open "
                "the priority for that district.",
                className="page-lede",
            ),
            _matrix_table(priorities, matrix, filters, as_at_date)
            if not matrix.empty
            else html.P("No priorities or districts to show for this date."),
            html.Details(
                [html.Summary("How a cell's RAG is worked out"), html.P(ROLLUP_RULE_TEXT, className="mt-2")],
                className="data-table mt-3",
            ),
        ]
    )


def _matrix_table(priorities, matrix, filters, as_at: dt.date) -> html.Div:
    # Plain dicts for the loop, from plain lists: a large partnership's matrix has hundreds of cells, and
    # pandas hands out a text column's values one at a time far more slowly.
    columns = ["district_code", "priority_code", "rating", "reason", "has_data"]
    cells = {
        (cell["district_code"], cell["priority_code"]): cell
        for cell in (
            dict(zip(columns, row, strict=True))
            for row in zip(*(matrix[column].tolist() for column in columns), strict=True)
        )
    }
    districts = matrix[["district_code", "district_name"]].drop_duplicates()
    in_force = priorities.to_dict("records")
    highlighted = set(filters.districts)
    header = html.Tr(
        [html.Th("District", scope="col")]
        + [
            html.Th([html.Span(f"{p['number']}. "), p["short_title"]], scope="col", title=p["title"])
            for p in in_force
        ]
    )
    rows = []
    for district in districts.to_dict("records"):
        code = district["district_code"]
        # Every link in the row keeps the same filters: the query string is made once a row.
        search = to_search((code,), filters.as_at)
        row_cells = [html.Th(district["district_name"], scope="row")]
        for priority in in_force:
            cell = cells[(code, priority["code"])]
            label = f"{priority['short_title']} in {district['district_name']}. {cell['reason']}"
            link = f"/priority/{priority['code']}{search}"
            row_cells.append(
                html.Td(
                    rag_badge_link(cell["rating"], href=link, screen_reader_text=label, title=cell["reason"])
                    if cell["has_data"]
                    else dcc.Link(
                        ["No data", html.Span(f" {label}", className="visually-hidden")],
                        href=link,
                        title=cell["reason"],
                        className="no-data-cell",
                    )
                )
            )
        rows.append(html.Tr(row_cells, className="table-active" if code in highlighted else None))
    return html.Div(
        html.Table(
            [
                html.Caption("RAG of each priority in force, by district", className="visually-hidden"),
                html.Thead(header),
                html.Tbody(rows),
            ],
            className="district-matrix",
        ),
        className="matrix-wrap",
    )
