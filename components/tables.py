"""Tables: the actions grid (sortable, filterable), action history, and plain data tables."""

from __future__ import annotations

from collections.abc import Sequence

import dash_ag_grid as dag
import pandas as pd
from dash import html

from components.rag import RATING_SYMBOLS, rag_badge
from domain.formatting import format_date, format_number
from domain.rag import RATING_WORDS
from domain.vocabulary import OVERDUE_WORD, PARTNERSHIP_WIDE, ActionStatus

STATUS_WORDS = ActionStatus.labels()

# Long text wraps within its cell and header rather than widening the grid.
WRAP = {"wrapText": True, "autoHeight": True, "wrapHeaderText": True, "autoHeaderHeight": True}
# The same in a grid whose rows all have one height (the infinite row model's): text wraps within it.
WRAP_IN_ROW = {key: value for key, value in WRAP.items() if key != "autoHeight"}

# Dates go to the grid as ISO text so they sort correctly, and are shown the UK way.
UK_DATE = {
    "function": "params.value ? d3.timeFormat('%-d %b %Y')(d3.timeParse('%Y-%m-%d')(params.value)) : ''"
}


_ACTION_ROW_COLUMNS = [
    "ref",
    "priority_number",
    "priority_short_title",
    "title",
    "owner_name",
    "district_name",
    "due_date",
    "status",
    "rating",
    "overdue",
    "reason",
    "last_update_date",
    "last_update_commentary",
]


def action_rows(actions: pd.DataFrame) -> list[dict]:
    """Grid rows from a rated actions frame (data_access.progress.rate_actions)."""
    # Only the columns shown, as plain lists: a large partnership's table holds thousands of actions,
    # and pandas' records would box every value of every column.
    columns = [actions[name].tolist() for name in _ACTION_ROW_COLUMNS]
    rows = []
    for values in zip(*columns, strict=True):
        action = dict(zip(_ACTION_ROW_COLUMNS, values, strict=True))
        rating = action["rating"]
        rows.append(
            {
                "ref": action["ref"],
                "priority": f"{action['priority_number']}. {action['priority_short_title']}",
                "title": action["title"],
                "owner": action["owner_name"],
                "district": action["district_name"] or PARTNERSHIP_WIDE,
                "due_date": action["due_date"].isoformat(),
                "status": STATUS_WORDS[action["status"]],
                "rag": f"{RATING_SYMBOLS[rating]} {OVERDUE_WORD if action['overdue'] else RATING_WORDS[rating]}",
                "rating": rating,
                "reason": action["reason"],
                "overdue": "Yes" if action["overdue"] else "No",
                "last_update": format_date(action["last_update_date"])
                if action["last_update_date"]
                else "None yet",
                "last_commentary": action["last_update_commentary"] or "",
            }
        )
    return rows


# What the grid's column filters may ask the server for (data_access.action_table: text and dates). The
# priority, owner, status and RAG columns have none: a page's own filters choose them.
_TEXT_FILTER = {
    "filter": "agTextColumnFilter",
    "filterParams": {
        "filterOptions": [
            "contains",
            "notContains",
            "equals",
            "notEqual",
            "startsWith",
            "endsWith",
            "blank",
            "notBlank",
        ],
        "maxNumConditions": 2,
    },
}
_DATE_FILTER = {
    "filter": "agDateColumnFilter",
    "filterParams": {
        "filterOptions": ["equals", "notEqual", "lessThan", "greaterThan", "inRange", "blank", "notBlank"],
        "maxNumConditions": 2,
    },
}
_NO_FILTER = {"filter": False}

# Rows in the infinite row model all have one height (the grid places rows it has not loaded yet): three
# lines of wrapped text; a longer title, priority or owner is whole in its tooltip.
PAGED_ROW_HEIGHT = 66


def paged_actions_grid(
    grid_id: str, *, show_priority: bool, page_size: int = 25, rows: int | None = None
) -> dag.AgGrid:
    """Partner actions (owner, district, due date, status, RAG with overdue in words, last update) in a grid
    that asks the server for each page as it is shown (its getRowsRequest, answered through
    getRowsResponse with action_rows), sorted and filtered there: a partnership's table may be too large to
    send whole. ``rows``: how many rows the table will hold, when known, so the grid keeps their room while
    they come.
    """
    # Minimum widths add up to fit a 1024-pixel tablet; long text wraps instead of scrolling sideways.
    columns = [
        {"field": "ref", "headerName": "Ref", "width": 100, "minWidth": 90, **_TEXT_FILTER},
        {
            "field": "title",
            "headerName": "Action",
            "flex": 3,
            "minWidth": 160,
            "tooltipField": "title",
            **WRAP_IN_ROW,
            **_TEXT_FILTER,
        },
        {
            "field": "owner",
            "headerName": "Owner",
            "flex": 2,
            "minWidth": 120,
            "tooltipField": "owner",
            **WRAP_IN_ROW,
            **_NO_FILTER,
        },
        {
            "field": "district",
            "headerName": "District",
            "flex": 1,
            "minWidth": 125,
            **WRAP_IN_ROW,
            **_TEXT_FILTER,
        },
        {
            "field": "due_date",
            "headerName": "Due",
            "width": 125,
            "minWidth": 115,
            "valueFormatter": UK_DATE,
            "sort": "asc",
            **_DATE_FILTER,
        },
        {
            "field": "status",
            "headerName": "Status",
            "width": 105,
            "minWidth": 90,
            **WRAP_IN_ROW,
            **_NO_FILTER,
        },
        {
            "field": "rag",
            "headerName": "RAG",
            "width": 120,
            "minWidth": 100,
            "tooltipField": "reason",
            # A row still on its way has no data.
            "cellClassRules": {
                f"rag-cell rag-{r}": f"params.data && params.data.rating == '{r}'" for r in RATING_WORDS
            },
            **_NO_FILTER,
        },
        {
            "field": "last_update",
            "headerName": "Last update",
            "width": 115,
            "minWidth": 95,
            **WRAP_IN_ROW,
            **_DATE_FILTER,
        },
    ]
    if show_priority:
        columns.insert(
            1,
            {
                "field": "priority",
                "headerName": "Priority",
                "flex": 2,
                "minWidth": 160,
                "tooltipField": "priority",
                **WRAP_IN_ROW,
                **_NO_FILTER,
            },
        )
    return dag.AgGrid(
        id=grid_id,
        columnDefs=columns,
        rowModelType="infinite",
        defaultColDef={"sortable": True, "resizable": True},
        columnSize="responsiveSizeToFit",
        dashGridOptions={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "domLayout": "autoHeight",
            "pagination": True,
            "paginationPageSize": page_size,
            "paginationPageSizeSelector": False,
            "cacheBlockSize": page_size,
            "infiniteInitialRowCount": page_size if rows is None else max(1, min(rows, page_size)),
            "rowHeight": PAGED_ROW_HEIGHT,
            "tooltipShowDelay": 300,
            "ensureDomOrder": True,
        },
        getRowId="params.data.ref",
        className="ag-theme-quartz",
        style={"width": "100%"},
    )


def action_history(ref: str, title: str, history: pd.DataFrame) -> html.Div:
    """One action's dated updates, newest first."""
    if history.empty:
        body = html.P("No updates had been recorded by this date.")
    else:
        body = html.Ol(
            [
                html.Li(
                    [
                        html.Strong(format_date(row["date"])),
                        f" – {STATUS_WORDS[row['status']]}",
                        html.Br(),
                        row["commentary"] or "(no commentary)",
                    ],
                    className="mb-2",
                )
                for row in history.to_dict("records")
            ],
            className="mb-0",
        )
    return html.Div([html.H3(f"History of {ref}: {title}", className="h6 fw-bold"), body])


def data_table(frame: pd.DataFrame, columns: Sequence[tuple[str, str]], *, caption: str) -> html.Div:
    """A plain, accessible table: (column, header) pairs; values already formatted as text.

    Wrapped in a box that scrolls sideways on a narrow screen; the box is focusable and named, so a
    keyboard user can scroll it too.
    """
    table = html.Table(
        [
            html.Caption(caption, className="visually-hidden"),
            html.Thead(html.Tr([html.Th(header, scope="col") for _, header in columns])),
            html.Tbody(
                [html.Tr([html.Td(row[column]) for column, _ in columns]) for row in frame.to_dict("records")]
            ),
        ],
        className="table table-sm table-striped table-compact",
    )
    return html.Div(table, className="table-scroll", tabIndex="0", role="region", **{"aria-label": caption})


def latest_figures(rows: Sequence[dict], *, unit: str, label: str) -> html.Ul:
    """Each area's latest value with its period, then its RAG and reason, in words (no hovering).

    ``rows`` are rows of data_access.progress.indicator_statuses (series_name, latest_period,
    latest_value, latest_period_label, rating, reason); a row with ``context`` true is marked as shown
    for context (the whole partnership beside chosen districts).  A list, not a table, so it fits a
    narrow indicator card and a screen reader hears each area as one item.
    """
    items = []
    for row in rows:
        has_value = row["latest_period"] is not None
        latest = (
            f"{format_number(row['latest_value'], unit)} in {row['latest_period_label']}"
            if has_value
            else "no value reported yet"
        )
        area = [html.Strong(row["series_name"])]
        if row.get("context"):
            area.append(html.Span(" (for context)", className="text-body-secondary"))
        # The area's line is the item's own text, and the RAG line a block after it, which starts a
        # line of its own: a box around the first line would draw the same and cost a component.
        items.append(
            html.Li(
                [
                    *area,
                    ": ",
                    html.Span(latest, className="indicator-latest"),
                    html.Div([rag_badge(row["rating"], size="sm"), " ", row["reason"]], className="small"),
                ],
                className="latest-figure",
            )
        )
    return html.Ul(items, className="list-unstyled latest-figures mb-2", **{"aria-label": label})
