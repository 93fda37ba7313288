"""Every partner action across priorities: filter, count by partner, download."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from components.feedback import database_unavailable
from components.tables import STATUS_WORDS, data_table, paged_actions_grid
from data_access import action_table, progress, queries, views
from data_access.db import DatabaseUnavailable, session_scope
from data_access.exporter import csv_bytes, xlsx_bytes
from domain.formatting import file_slug, format_date
from domain.vocabulary import OPEN_ACTION_STATUSES, PARTNERSHIP_WIDE
from pages._common import (
    guarded_layout,
    page_filters,
    page_title,
    rows_for_grid,
    scope_sentence,
    sees_restricted,
)

dash.register_page(
    __name__, path="/actions", name="Actions", title=lambda: page_title("Partner actions"), order=2
)

ALL = "all"
PAGE_SIZE = 25
SEARCH_PAUSE_MS = 300
OPEN_STATUSES = list(OPEN_ACTION_STATUSES)
DOWNLOAD_COLUMNS = {
    "ref": "ref",
    "priority_number": "priority_number",
    "priority_title": "priority",
    "title": "action",
    "owner_name": "owner",
    "district_name": "district",
    "due_date": "due_date",
    "status": "status",
    "rating_word": "rag",
    "overdue": "overdue",
    "reason": "reason",
    "last_update_date": "last_update",
    "last_update_commentary": "last_commentary",
}


class Ids(StrEnum):
    SCOPE = "actions-scope"
    PRIORITY = "actions-priority"
    PARTNER = "actions-partner"
    STATUS = "actions-status"
    OVERDUE = "actions-overdue"
    COUNT = "actions-count"
    PARTNER_COUNTS = "actions-partner-counts"
    TABLE = "actions-table"
    GRID = "actions-grid"
    DOWNLOAD_CSV = "actions-download-csv"
    DOWNLOAD_XLSX = "actions-download-xlsx"
    DOWNLOAD = "actions-download"
    SEARCH = "actions-search"
    SEARCH_STATUS = "actions-search-status"
    EMPTY = "actions-empty"
    REFRESHED = "actions-grid-refreshed"


@guarded_layout
def layout(district=None, as_at=None, **_other_query):
    try:
        with session_scope() as session:
            filters, today = page_filters(session, district=district, as_at=as_at)
            as_at_date = filters.as_at_or(today)
            reference = views.reference_view(session)
            scope = scope_sentence(session, filters, as_at_date)
        identity, priorities, partners = reference.identity, reference.priorities, reference.partners
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    priority_options = [{"label": "All priorities", "value": ALL}] + [
        {"label": f"{row['number']}. {row['short_title']}", "value": row["code"]}
        for row in priorities.to_dict("records")
    ]
    partner_options = [{"label": "All partners", "value": ALL}] + [
        {"label": row["name"], "value": row["code"]} for row in partners.to_dict("records")
    ]
    return html.Div(
        [
            dcc.Store(
                id=Ids.SCOPE,
                data={
                    "districts": list(filters.districts),
                    "as_at": as_at_date.isoformat(),
                    "partnership": identity.short_name if identity else "",
                },
            ),
            html.H1("Partner actions", className="page-title"),
            html.P(scope, className="scope-line"),
            html.Section(
                [
                    html.H2("Filter actions", className="visually-hidden", id="action-filters-heading"),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label("Priority", html_for=Ids.PRIORITY),
                                    dbc.Select(id=Ids.PRIORITY, options=priority_options, value=ALL),
                                ],
                                md=4,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("Owner", html_for=Ids.PARTNER),
                                    dbc.Select(id=Ids.PARTNER, options=partner_options, value=ALL),
                                ],
                                md=4,
                            ),
                            dbc.Col(
                                [
                                    html.Span("Overdue", className="form-label d-block"),
                                    dbc.Switch(id=Ids.OVERDUE, label="Only overdue actions", value=False),
                                ],
                                md=4,
                            ),
                        ],
                        className="g-3",
                    ),
                    html.Fieldset(
                        [
                            html.Legend("Status", className="form-label fs-6 mb-1"),
                            dbc.Checklist(
                                id=Ids.STATUS,
                                options=[
                                    {"label": label, "value": code} for code, label in STATUS_WORDS.items()
                                ],
                                value=OPEN_STATUSES,
                                inline=True,
                            ),
                        ],
                        className="mt-3",
                    ),
                ],
                className="panel",
                **{"aria-labelledby": "action-filters-heading"},
            ),
            html.Div(
                [
                    html.P(id=Ids.COUNT, className="fw-bold mb-0", role="status"),
                    html.Div(
                        [
                            dbc.Button("Download CSV", id=Ids.DOWNLOAD_CSV, color="primary", outline=True),
                            dbc.Button("Download Excel", id=Ids.DOWNLOAD_XLSX, color="primary", outline=True),
                        ],
                        className="d-flex gap-2 download-buttons",
                    ),
                ],
                className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2",
            ),
            dcc.Download(id=Ids.DOWNLOAD),
            html.Div(
                [
                    dbc.Label("Search the table", html_for=Ids.SEARCH, className="mb-0"),
                    dbc.Input(
                        id=Ids.SEARCH,
                        type="search",
                        placeholder="Words in any column, e.g. county lines",
                        # Each search asks the server: wait for a pause in the typing.
                        debounce=SEARCH_PAUSE_MS,
                        style={"maxWidth": "28rem"},
                    ),
                    html.Span(id=Ids.SEARCH_STATUS, role="status", className="text-body-secondary"),
                ],
                className="d-flex flex-wrap align-items-center gap-2 mb-2",
            ),
            html.Div(paged_actions_grid(Ids.GRID, show_priority=True, page_size=PAGE_SIZE), id=Ids.TABLE),
            html.Div(id=Ids.EMPTY),
            dcc.Store(id=Ids.REFRESHED),
            html.Section(
                [
                    html.H2("Actions by owner", className="h4 mt-4", id="partner-counts-heading"),
                    html.Div(id=Ids.PARTNER_COUNTS),
                ],
                **{"aria-labelledby": "partner-counts-heading"},
            ),
        ]
    )


def filtered_actions(
    scope: dict, priority: str, partner: str, statuses: list[str], overdue_only: bool
) -> pd.DataFrame:
    """The actions matching the page's filters, rated, as at the page's date: what a download holds."""
    chosen = selection(scope, priority, partner, statuses, overdue_only)
    with session_scope() as session:
        actions = queries.actions_as_at(
            session,
            chosen.as_at,
            priority_codes=chosen.priority_codes,
            partner_codes=chosen.partner_codes,
            districts=chosen.districts,
            statuses=list(chosen.statuses),
            open_only=False,
            overdue_only=chosen.overdue_only,
            include_restricted=chosen.include_restricted,
        )
    return progress.rate_actions(actions, chosen.as_at)


def selection(
    scope: dict, priority: str, partner: str, statuses: list[str], overdue_only: bool
) -> action_table.ActionSelection:
    """The actions the page's filters choose, as the data layer's table reads them."""
    return action_table.ActionSelection(
        as_at=dt.date.fromisoformat(scope["as_at"]),
        statuses=tuple(statuses or ()),
        priority_codes=None if priority == ALL else (priority,),
        partner_codes=None if partner == ALL else (partner,),
        districts=tuple(scope["districts"]) or None,
        overdue_only=bool(overdue_only),
        include_restricted=sees_restricted(),
    )


@callback(
    Output(Ids.COUNT, "children"),
    Output(Ids.PARTNER_COUNTS, "children"),
    Output(Ids.TABLE, "hidden"),
    Output(Ids.EMPTY, "children"),
    Input(Ids.PRIORITY, "value"),
    Input(Ids.PARTNER, "value"),
    Input(Ids.STATUS, "value"),
    Input(Ids.OVERDUE, "value"),
    State(Ids.SCOPE, "data"),
)
def update_actions(priority, partner, statuses, overdue_only, scope):
    """The count of actions the filters choose and the counts by owner; the grid asks for its own rows."""
    try:
        with session_scope() as session:
            totals = action_table.action_totals(
                session, selection(scope, priority, partner, statuses, overdue_only)
            )
    except DatabaseUnavailable as error:
        return "", None, True, database_unavailable(str(error))
    count = (
        f"{totals.actions:,} action{'s' if totals.actions != 1 else ''} shown, {totals.overdue:,} overdue."
    )
    if not totals.actions:
        return count, html.P("No actions match these filters."), True, "No actions match these filters."
    return count, partner_counts(totals.by_owner), False, None


@callback(
    Output(Ids.GRID, "getRowsResponse"),
    Output(Ids.SEARCH_STATUS, "children"),
    Input(Ids.GRID, "getRowsRequest"),
    State(Ids.PRIORITY, "value"),
    State(Ids.PARTNER, "value"),
    State(Ids.STATUS, "value"),
    State(Ids.OVERDUE, "value"),
    State(Ids.SEARCH, "value"),
    State(Ids.SCOPE, "data"),
)
def serve_rows(request, priority, partner, statuses, overdue_only, search, scope):
    """The rows the grid asks for (a page of them), searched, filtered and sorted by the server."""
    if not request:
        raise PreventUpdate
    answer, problem = rows_for_grid(
        request, selection(scope, priority, partner, statuses, overdue_only), search=search or ""
    )
    return answer, problem or narrowed_status(answer["rowCount"], search, request.get("filterModel") or {})


def narrowed_status(matching: int, search: str | None, column_filters: dict) -> str:
    """What the search box and the column filters leave, in words; nothing when neither is in use."""
    words = (search or "").strip()
    if not words and not column_filters:
        return ""
    verb = "matches" if matching == 1 else "match"
    if words and column_filters:
        return f'{matching:,} of these {verb} "{words}" and the column filters.'
    if words:
        return f'{matching:,} of these {verb} "{words}".'
    return f"{matching:,} of these {'passes' if matching == 1 else 'pass'} the column filters."


def partner_counts(by_owner: pd.DataFrame):
    """Actions per owner among those shown: how many, how many overdue (action_table.ActionTotals)."""
    counts = by_owner.assign(
        actions=by_owner["actions"].map("{:,}".format), overdue=by_owner["overdue"].map("{:,}".format)
    )
    return data_table(
        counts,
        [("owner_name", "Owner"), ("actions", "Actions shown"), ("overdue", "Overdue")],
        caption="Actions shown, by owner",
    )


# Pure presentation, so in the browser: when the filters or the search change, the grid goes back to its
# first page and asks the server for its rows again (serve_rows reads the filters as they now are). Before
# AG Grid's code has loaded there is no grid to tell, and it asks for its rows once it has.
clientside_callback(
    f"""function () {{
        let api = null;
        try {{
            api = window.dash_ag_grid.getApi("{Ids.GRID}");
        }} catch (notReady) {{
            return window.dash_clientside.no_update;
        }}
        api.paginationGoToFirstPage();
        api.purgeInfiniteCache();
        return Date.now();
    }}""",
    Output(Ids.REFRESHED, "data"),
    Input(Ids.PRIORITY, "value"),
    Input(Ids.PARTNER, "value"),
    Input(Ids.STATUS, "value"),
    Input(Ids.OVERDUE, "value"),
    Input(Ids.SEARCH, "value"),
    prevent_initial_call=True,
)


@callback(
    Output(Ids.DOWNLOAD, "data"),
    Input(Ids.DOWNLOAD_CSV, "n_clicks"),
    Input(Ids.DOWNLOAD_XLSX, "n_clicks"),
    State(Ids.PRIORITY, "value"),
    State(Ids.PARTNER, "value"),
    State(Ids.STATUS, "value"),
    State(Ids.OVERDUE, "value"),
    State(Ids.SCOPE, "data"),
    prevent_initial_call=True,
)
def download_actions(_csv_clicks, _xlsx_clicks, priority, partner, statuses, overdue_only, scope):
    """The filtered table as CSV or Excel, formula-safe (text starting = + - @ is neutralised)."""
    actions = filtered_actions(scope, priority, partner, statuses, overdue_only)
    table = download_frame(actions)
    if dash.ctx.triggered_id == Ids.DOWNLOAD_XLSX:
        return dcc.send_bytes(xlsx_bytes({"actions": table}), download_file_name(scope, "xlsx"))
    return dcc.send_bytes(csv_bytes(table), download_file_name(scope, "csv"))


def download_file_name(scope: dict, extension: str) -> str:
    """The partnership's name in the file name, so a download keeps its context in a mailbox."""
    return (
        file_slug(f"{scope.get('partnership', '')} partner actions as at {scope['as_at']}") + f".{extension}"
    )


def download_frame(actions: pd.DataFrame) -> pd.DataFrame:
    """The columns users get in a download, named plainly, statuses in words."""
    table = actions.reindex(columns=list(DOWNLOAD_COLUMNS)).rename(columns=DOWNLOAD_COLUMNS)
    table["status"] = table["status"].map(STATUS_WORDS)
    table["overdue"] = table["overdue"].map({True: "Yes", False: "No"})
    table["district"] = table["district"].fillna(PARTNERSHIP_WIDE)
    table["last_update"] = [format_date(d) if d else "" for d in table["last_update"]]
    return table
