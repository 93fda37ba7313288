"""One priority: the board's view, every indicator's trend and RAG, and its open partner actions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import dash
import pandas as pd
from dash import (
    MATCH,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate

from components.charts import (
    EMPTY_MESSAGE,
    FigureDict,
    TrendRows,
    chart_config,
    describe_trend,
    trend_figure,
    trend_rows,
    trend_rows_by_indicator,
)
from components.feedback import database_unavailable, not_found, notices
from components.filters import href, to_search
from components.freshness import card_freshness
from components.rag import rag_badge
from components.tables import action_history, data_table, latest_figures, paged_actions_grid
from data_access import action_table, queries, views
from data_access.db import DatabaseUnavailable, session_scope
from data_access.frames import records
from data_access.queries import WHOLE_PARTNERSHIP
from domain.formatting import format_date, format_number, plural
from pages._board_pack import board_pack_control
from pages._common import (
    guarded_layout,
    page_filters,
    page_title,
    rows_for_grid,
    scope_sentence,
    sees_restricted,
)


def _title(code=None, **_query) -> str:
    # From the cached reference view: the tab's title should not read the priority a second time.
    try:
        with session_scope() as session:
            priorities = views.reference_view(session).priorities
    except DatabaseUnavailable:
        priorities = None
    titles = (
        {} if priorities is None else dict(zip(priorities["code"], priorities["short_title"], strict=True))
    )
    return page_title(titles.get(code, "Priority not found"))


dash.register_page(__name__, path_template="/priority/<code>", name="Priority", title=_title, order=1)


class Ids(StrEnum):
    ACTIONS_GRID = "priority-actions-grid"
    ACTIONS_STATUS = "priority-actions-status"
    HISTORY = "priority-action-history"
    AS_AT = "priority-as-at"
    SCOPE = "priority-scope"  # the priority and districts shown, for the callbacks that fill in tables
    # The figures of the charts the browser draws (assets/priority.js), and how many it was given.
    CHARTS = "priority-charts"
    CHARTS_WAITING = "priority-charts-waiting"
    # Pattern-matching ids, one per indicator card: {"type": ..., "indicator": code}.
    TABLE_TOGGLE = "priority-table-toggle"
    TABLE = "priority-table"


# The browser draws every chart (assets/priority.js): the first ones as soon as the page is shown (two
# rows of the grid, the first screen), one at a time; the others when they are about to be scrolled into
# view or the page is printed: a priority with dozens of indicators kept the browser drawing charts nobody
# had scrolled to for seconds (16 s for 34 charts at large scale).
CHARTS_DRAWN_AT_ONCE = 4
TREND_HEIGHT = "320px"

# How far back the trend charts (and their tables) reach: the link's ``years``, kept through filter
# changes like every page parameter. The default, the span of a strategy, is left out of links.
YEARS_PARAM = "years"
# The link's value for each span ("5", "10", "all") and the years it reaches back (None: every year).
TREND_SPANS = {
    ("all" if years is None else str(years)): years for years in (views.PRIORITY_TREND_YEARS, 10, None)
}
DEFAULT_SPAN = str(views.PRIORITY_TREND_YEARS)
SPAN_LABELS = {
    key: "All years" if years is None else f"Last {years} years" for key, years in TREND_SPANS.items()
}


def parse_span(raw) -> tuple[str, str | None]:
    """The trend span chosen by the link's ``years`` (a key of TREND_SPANS), and a notice when the
    link's value was not one of them."""
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    text = (raw or "").strip().lower()
    if not text:
        return DEFAULT_SPAN, None
    if text in TREND_SPANS:
        return text, None
    choices = ", ".join(f"'{key}'" for key in TREND_SPANS)
    return DEFAULT_SPAN, (
        f"'{raw.strip()}' in the link is not a span of years the charts know ({choices}); "
        f"showing the {SPAN_LABELS[DEFAULT_SPAN].lower()}."
    )


@guarded_layout
def layout(code=None, district=None, as_at=None, years=None, **_other_query):
    span, span_notice = parse_span(years)
    try:
        with session_scope() as session:
            filters, today = page_filters(session, district=district, as_at=as_at)
            as_at_date = filters.as_at_or(today)
            view = (
                views.priority_view(
                    session,
                    code,
                    as_at_date,
                    filters.district_list,
                    include_restricted=sees_restricted(),
                    trend_years=TREND_SPANS[span],
                )
                if code
                else None
            )
            if view is None:
                return not_found(
                    f"There is no priority with the code '{code}'. It may have been renamed or removed."
                )
            scope = scope_sentence(session, filters, as_at_date)
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    return _priority_page(view, filters, as_at_date, scope, span, span_notice)


def _priority_page(
    view: views.PriorityView, filters, as_at: dt.date, scope: str, span: str, span_notice: str | None
):
    priority = view.priority
    return html.Div(
        [
            dcc.Store(id=Ids.AS_AT, data=as_at.isoformat()),
            dcc.Store(
                id=Ids.SCOPE,
                data={"priority": priority["code"], "districts": list(filters.districts), "span": span},
            ),
            dcc.Link("← All priorities", href=href("/", filters), className="d-inline-block mt-3"),
            html.H1(
                [html.Span(f"Priority {priority['number']}: "), priority["title"]], className="page-title"
            ),
            html.P(scope, className="scope-line"),
            html.Div(
                [
                    dcc.Link(
                        ["Present", html.Span(" this priority's slide", className="visually-hidden")],
                        # Opens on this priority's slide (pages/present.py works out which it is).
                        href="/present"
                        + to_search(filters.districts, filters.as_at, {"priority": priority["code"]}),
                        className="btn btn-outline-primary present-link",
                    ),
                    dcc.Link("Changes since the last meeting", href=href("/changes", filters)),
                    board_pack_control(filters, as_at),
                ],
                className="page-tools",
            ),
            _validity_notice(priority, as_at),
            _status_panel(view.status, priority, filters),
            _indicators_section(view, filters, span, span_notice),
            _actions_section(view.open_actions),
        ]
    )


def _validity_notice(priority: dict, as_at: dt.date):
    start, end = priority["valid_from"], priority["valid_to"]
    if (start is None or start <= as_at) and (end is None or end >= as_at):
        return None
    span = f"from {format_date(start)}" if start else ""
    span += f" to {format_date(end)}" if end else " onwards"
    return html.Div(
        f"This priority was not in force on {format_date(as_at)}: it was agreed {span.strip()}.",
        className="alert alert-info py-2",
    )


def _status_panel(status: dict, priority: dict, filters) -> html.Section:
    board = None
    if status["assessed_on"] is not None:
        board = html.Div(
            [
                html.H3("The board's latest assessment", className="mt-3"),
                html.P(
                    [
                        rag_badge(status["board_rating"], size="sm"),
                        f" set by the board on {format_date(status['assessed_on'])}.",
                    ]
                ),
                html.Blockquote(
                    status["commentary"] or "No commentary was recorded.", className="border-start ps-3"
                ),
            ]
        )
    explanation = (
        "The RAG is the board's own assessment."
        if status["rating_source"] == "board"
        else "The board has not set a RAG for this view, so it is worked out from the indicators and actions below."
    )
    indicator_counts = (
        "No indicators yet: this priority is tracked by its actions. "
        if pd.isna(status["headline_indicator_code"])
        else f"Indicators: {status['indicators_green']} green, {status['indicators_amber']} amber, "
        f"{status['indicators_red']} red, {status['indicators_no_data']} without enough data. "
    )
    counts = f"{indicator_counts}Open actions: {status['open_actions']}, of which {status['overdue_actions']} overdue."
    lead = priority["lead_partner_name"]
    return html.Section(
        [
            html.H2("Status", id="status-heading"),
            html.Div(rag_badge(status["rating"], size="lg"), className="mb-2"),
            html.P(status["reason"], className="fs-5 mb-1"),
            html.P([explanation, " ", counts], className="text-body-secondary mb-1"),
            html.P(f"Lead partner: {lead}." if lead else "No lead partner recorded.", className="mb-0"),
            board,
        ],
        className="panel",
        **{"aria-labelledby": "status-heading"},
    )


def _span_choice(priority_code: str, filters, span: str) -> html.Nav:
    """Links choosing how far back the charts reach, the current one marked for every reader."""
    choices = []
    for key, label in SPAN_LABELS.items():
        if key == span:
            # The span shown is not a link to itself; it is marked as the current one for screen readers.
            choices.append(html.Span(label, className="btn btn-sm btn-primary", **{"aria-current": "true"}))
            continue
        extra = {} if key == DEFAULT_SPAN else {YEARS_PARAM: key}
        choices.append(
            dcc.Link(
                label,
                href=f"/priority/{priority_code}" + to_search(filters.districts, filters.as_at, extra),
                className="btn btn-sm btn-outline-primary",
            )
        )
    return html.Nav(
        [html.Span("Trends over:", className="me-2"), html.Div(choices, className="btn-group")],
        className="span-choice mb-3",
        **{"aria-label": "How far back the trend charts reach"},
    )


def _indicators_section(view: views.PriorityView, filters, span: str, span_notice: str | None):
    if view.indicator_statuses.empty:
        body = html.P("No indicators are recorded for this priority.")
    else:
        # Every frame converted once for the whole page, not once per indicator: a large partnership's
        # priority has dozens of indicators, each with a long history.
        whole_by_code = {record["indicator_code"]: record for record in records(view.whole_partnership)}
        statuses: dict[str, list[dict]] = {}
        for record in records(view.indicator_statuses):
            statuses.setdefault(record["indicator_code"], []).append(record)
        trends = trend_rows_by_indicator(view.trends)
        freshness = {record["indicator_code"]: record for record in records(view.freshness)}
        empty = trend_rows(view.trends.iloc[0:0])
        # An indicator whose values all came before the span is not one with no values.
        before_span = (
            None
            if TREND_SPANS[span] is None
            else f"No values in the {SPAN_LABELS[span].lower()}; “{SPAN_LABELS['all']}” shows the earlier ones"
        )
        cards, waiting = [], {}
        for index, (indicator_code, rows) in enumerate(statuses.items()):
            card, figure = _indicator_card(
                whole_by_code[indicator_code] | {"code": indicator_code},
                rows,
                trends.get(indicator_code, empty),
                freshness[indicator_code],
                draw_now=index < CHARTS_DRAWN_AT_ONCE,
                before_span=before_span,
            )
            cards.append(card)
            waiting[indicator_code] = figure
        body = html.Div(
            [
                dcc.Store(id=Ids.CHARTS, data={"config": chart_config(), "figures": waiting}),
                dcc.Store(id=Ids.CHARTS_WAITING),
                html.Div(cards, className="indicator-grid"),
            ]
        )
    choice = None if view.indicator_statuses.empty else _span_choice(view.priority["code"], filters, span)
    return html.Section(
        [
            html.H2("Indicators", id="indicators-heading", className="h4 mt-4"),
            *notices([span_notice] if span_notice else []),
            choice,
            body,
        ],
        **{"aria-labelledby": "indicators-heading"},
    )


def _indicator_card(
    indicator: dict,
    rows: list[dict],
    trend: TrendRows,
    freshness: dict,
    *,
    draw_now: bool,
    before_span: str | None,
) -> tuple[html.Article, FigureDict]:
    """The indicator's card, and its chart's figure, which the browser draws into the card's box.
    ``before_span``: what an empty chart says when the indicator has values, all before the span shown
    (None when the span is every year)."""
    code = indicator["code"]
    target = None if pd.isna(indicator["target"]) else float(indicator["target"])
    reported = indicator["latest_period"] is not None or any(row["latest_period"] is not None for row in rows)
    empty_message = before_span if before_span and reported else EMPTY_MESSAGE
    figure = trend_figure(
        trend,
        name=indicator["name"],
        unit=indicator["unit"],
        frequency=indicator["frequency"],
        good_direction=indicator["good_direction"],
        target=target,
        tolerance=float(indicator["tolerance"]),
        empty_message=empty_message,
    )
    description = describe_trend(
        trend,
        name=indicator["name"],
        unit=indicator["unit"],
        frequency=indicator["frequency"],
        target=target,
        empty_message=empty_message,
    )
    heading_id = f"indicator-{code}"
    description_id = f"indicator-{code}-description"
    target_text = f"Target: {format_number(target, indicator['unit'])}." if target is not None else ""
    # The box the chart will be drawn into, at the chart's height, so nothing moves when it is.
    chart = html.Div(
        className="lazy-chart",
        style={"height": TREND_HEIGHT},
        **{"data-chart": code, "data-draw": "with-page" if draw_now else "when-near"},
    )
    article = html.Article(
        [
            html.H3(indicator["name"], id=heading_id),
            *_latest_figures(indicator, rows, target_text),
            *card_freshness(freshness),
            html.Figure(
                [
                    chart,
                    html.Figcaption(description, id=description_id, className="chart-description"),
                ],
                className="mb-1",
            ),
            # The table is filled in when first opened (show_trend_table): a page of 34 indicators with
            # 16 years of monthly values would otherwise send 20,000 rows nobody asked for.
            html.Details(
                [
                    html.Summary(
                        f"Show {indicator['name']} as a table",
                        id={"type": Ids.TABLE_TOGGLE, "indicator": code},
                    ),
                    # Text with no paragraph of its own (a card has dozens of components already): it
                    # reads and sits as the paragraph did, without margins.
                    html.Div("Loading the table…", id={"type": Ids.TABLE, "indicator": code}),
                ],
                className="data-table mb-2",
            ),
            html.P(
                [
                    f"Source: {indicator['source'] or 'not recorded'}. ",
                    f"Reported {indicator['frequency']}ly. ",
                    indicator["description"] or "",
                ],
                className="indicator-meta mb-0",
            ),
        ],
        className="panel mb-0",
        **{"aria-labelledby": heading_id},
    )
    return article, figure


def _latest_figures(whole_partnership: dict, rows: list[dict], target_text: str) -> list:
    """The latest value, period, RAG and reason in words: the whole partnership's, or with districts
    chosen each district's own, with the whole partnership's beside them for context.  The card's own
    children, not wrapped in a box of their own: every component costs a large page's 34 cards their
    building and sending, and an unstyled box draws nothing."""
    unit = whole_partnership["unit"]
    districts = [row for row in rows if row["series_code"] != WHOLE_PARTNERSHIP]
    if not districts:
        latest = (
            f"{format_number(whole_partnership['latest_value'], unit)} in {whole_partnership['latest_period_label']}"
            if whole_partnership["latest_period"] is not None
            else "No value reported yet"
        )
        return [
            html.P(
                [html.Span(latest, className="indicator-latest"), f" (whole partnership). {target_text}"],
                className="mb-1",
            ),
            html.P(
                [rag_badge(whole_partnership["rating"], size="sm"), " ", whole_partnership["reason"]],
                className="mb-2",
            ),
        ]
    return [
        latest_figures(
            [*districts, whole_partnership | {"series_name": "Whole partnership", "context": True}],
            unit=unit,
            label=f"{whole_partnership['name']}: latest value and RAG for each chosen district",
        ),
        html.P(target_text, className="mb-2") if target_text else None,
    ]


def _trend_table(trend: pd.DataFrame, indicator: dict):
    if trend.empty:
        return html.P("No values reported by this date.")
    table = trend.assign(
        value_text=[format_number(v, indicator["unit"]) if not pd.isna(v) else "–" for v in trend["value"]],
        interval=[
            f"{format_number(lo, indicator['unit'])} to {format_number(hi, indicator['unit'])}"
            if not (pd.isna(lo) or pd.isna(hi))
            else ""
            for lo, hi in zip(trend["lower_ci"], trend["upper_ci"], strict=True)
        ],
        note_text=trend["note"].fillna(""),
    ).iloc[::-1]
    columns = [("series_name", "Area"), ("period_label", "Period"), ("value_text", "Value")]
    if table["interval"].any():
        columns.append(("interval", "95% confidence interval"))
    columns.append(("note_text", "Note"))
    return data_table(table, columns, caption=f"{indicator['name']}: values by period, newest first")


def _actions_section(open_actions: action_table.ActionCounts) -> html.Section:
    summary = f"{plural(open_actions.actions, 'open action')}, {open_actions.overdue:,} overdue."
    return html.Section(
        [
            html.H2("Outstanding partner actions", id="actions-heading", className="h4 mt-4"),
            html.P(
                [
                    summary,
                    " Sort by any column, or filter by ref, action, district or date; select a row to see "
                    "that action's history.",
                ],
                className="text-body-secondary",
            ),
            # The grid asks for its rows a page at a time (serve_action_rows).
            paged_actions_grid(Ids.ACTIONS_GRID, show_priority=False, rows=open_actions.actions)
            if open_actions.actions
            else html.P("No open actions for this priority in this view."),
            html.P(id=Ids.ACTIONS_STATUS, role="status", className="mb-0"),
            html.Div(
                html.P("Select an action in the table to see its history."),
                id=Ids.HISTORY,
                className="panel mt-3",
                role="region",
                **{"aria-live": "polite", "aria-label": "Action history"},
            ),
        ],
        **{"aria-labelledby": "actions-heading"},
    )


@callback(
    Output(Ids.ACTIONS_GRID, "getRowsResponse"),
    Output(Ids.ACTIONS_STATUS, "children"),
    Input(Ids.ACTIONS_GRID, "getRowsRequest"),
    State(Ids.AS_AT, "data"),
    State(Ids.SCOPE, "data"),
)
def serve_action_rows(request, as_at_iso, scope):
    """The page of the priority's open actions the grid asks for, sorted and filtered by the server."""
    if not request:
        raise PreventUpdate
    chosen = views.open_actions_selection(
        scope["priority"],
        dt.date.fromisoformat(as_at_iso),
        scope["districts"],
        include_restricted=sees_restricted(),
    )
    answer, problem = rows_for_grid(request, chosen)
    return answer, problem or ""


# Drawing the charts is pure presentation: the browser does it (assets/priority.js).
clientside_callback(
    ClientsideFunction(namespace="priority", function_name="watch"),
    Output(Ids.CHARTS_WAITING, "data"),
    Input(Ids.CHARTS, "data"),
)


@callback(
    Output(Ids.HISTORY, "children"),
    Input(Ids.ACTIONS_GRID, "selectedRows"),
    State(Ids.AS_AT, "data"),
    prevent_initial_call=True,
)
def show_action_history(selected_rows, as_at_iso):
    """Show the selected action's dated updates, as at the page's date."""
    if not selected_rows:
        return html.P("Select an action in the table to see its history.")
    row = selected_rows[0]
    try:
        with session_scope() as session:
            history = queries.action_history(
                session, row["ref"], dt.date.fromisoformat(as_at_iso), include_restricted=sees_restricted()
            )
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    return action_history(row["ref"], row["title"], history)


@callback(
    Output({"type": Ids.TABLE, "indicator": MATCH}, "children"),
    Input({"type": Ids.TABLE_TOGGLE, "indicator": MATCH}, "n_clicks"),
    State({"type": Ids.TABLE_TOGGLE, "indicator": MATCH}, "id"),
    State(Ids.AS_AT, "data"),
    State(Ids.SCOPE, "data"),
    prevent_initial_call=True,
)
def show_trend_table(clicks, toggle_id, as_at_iso, scope):
    """Tabulate an indicator's values each time its table is opened (an odd number of clicks on its
    summary: clicks, Enter and Space all toggle it), for the page's date and districts."""
    if not clicks or clicks % 2 == 0:
        return no_update
    try:
        with session_scope() as session:
            table = views.indicator_table_view(
                session,
                scope["priority"],
                toggle_id["indicator"],
                dt.date.fromisoformat(as_at_iso),
                scope["districts"],
                include_restricted=sees_restricted(),
                trend_years=TREND_SPANS[scope.get("span", DEFAULT_SPAN)],  # pages sent before spans had none
            )
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    if table is None:
        return html.P("This indicator is no longer part of this priority.", className="mb-0")
    return _trend_table(table.trend.drop(columns="indicator_code"), table.indicator)
