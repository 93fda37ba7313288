"""The frame around every page: header, navigation, the global filter bar, and its URL sync.

The filters (districts and "as at" date) live in the URL query so that they survive moving between
pages, the back button, a reload and a pasted link. The filter bar writes the query; Dash Pages
re-renders the page from it; this module's callback keeps the controls in step with the URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from enum import StrEnum
from pathlib import Path

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from dash.fingerprint import build_fingerprint
from flask import Flask, Response, request

from components.feedback import database_unavailable, notices
from components.filters import Filters, page_params, parse_search, to_search
from data_access import queries, views
from data_access.db import DatabaseUnavailable, session_scope
from domain.formatting import format_date
from pages._common import PRODUCT_NAME
from web import signin
from web.statement import STATEMENT_PATH

LOG = logging.getLogger(__name__)

NAV_ITEMS = (("Overview", "/"), ("Actions", "/actions"), ("Districts", "/districts"))
# Only for those who may upload (officers and admins, or anyone in local mode).
DATA_NAV_ITEM = ("Data", "/data")
WHOLE_PARTNERSHIP_LABEL = "Whole partnership"


class Ids(StrEnum):
    URL = "shell-url"
    DISTRICTS = "shell-districts"
    DISTRICT_SUMMARY = "shell-district-summary"
    CLEAR_DISTRICTS = "shell-clear-districts"
    AS_AT = "shell-as-at"
    MEETING = "shell-meeting"
    TODAY = "shell-today"
    NOTICES = "shell-notices"
    NAV = "shell-nav"


def layout() -> html.Div:
    """The shell; built per page load so new districts and meetings appear without a restart."""
    outage = identity = None
    try:
        with session_scope() as session:
            reference = views.reference_view(session)
        identity, districts, meetings = reference.identity, reference.district_names, reference.meetings
    except DatabaseUnavailable as error:
        districts = meetings = None
        outage = database_unavailable(str(error))
    except Exception:
        # The frame must always render, or the user gets a blank page: e.g. a database that has just
        # come back and whose schema is still being prepared.  The traceback goes to the log.
        LOG.exception("The header and filters could not read the partnership")
        districts = meetings = None
        outage = database_unavailable(
            "The partnership's details could not be read; the error has been logged."
        )
    return html.Div(
        [
            # "callback-nav": a new query from the filter bar tells Dash Pages to re-render the page.
            dcc.Location(id=Ids.URL, refresh="callback-nav"),
            html.A("Skip to main content", href="#main-content", className="skip-link"),
            _header(identity, signin.current_state()),
            _filter_bar(districts, meetings),
            html.Div(
                html.Main(
                    [outage, dash.page_container],
                    id="main-content",
                    tabIndex="-1",
                ),
                className="container-xxl",
            ),
            html.Footer(
                html.Div(
                    [
                        html.P(
                            f"{identity.name if identity else PRODUCT_NAME}. Figures are as at the date chosen "
                            "above: only periods that had ended and action updates made by then are counted.",
                            className="mb-1",
                        ),
                        # A plain link, not dcc.Link: the statement is served outside Dash, open to all.
                        html.P(html.A("Accessibility statement", href=STATEMENT_PATH), className="mb-1"),
                    ],
                    className="container-xxl",
                ),
                className="site-footer",
            ),
        ]
    )


def _header(identity: queries.PartnershipIdentity | None, sign_in: signin.SignInState) -> html.Header:
    """The partnership's own name; a neutral title until a workbook has named it."""
    items = [*NAV_ITEMS, DATA_NAV_ITEM] if sign_in.may_upload else NAV_ITEMS
    nav_links = [dcc.Link(label, href=path, id={"type": Ids.NAV, "path": path}) for label, path in items]
    brand = (
        [identity.name, html.Small(f"{PRODUCT_NAME}: progress dashboard")]
        if identity
        else [PRODUCT_NAME, html.Small("Progress dashboard: no partnership name has been imported yet")]
    )
    return html.Header(
        html.Div(
            [
                dcc.Link(brand, href="/", className="brand"),
                html.Nav(nav_links, className="site-nav", **{"aria-label": "Main"}),
                _account(sign_in),
            ],
            className="container-xxl d-flex flex-wrap align-items-center justify-content-between gap-2 py-2",
        ),
        className="site-header",
    )


def _account(sign_in: signin.SignInState) -> html.Div:
    """Who is signed in, with a sign-out button; or that the dashboard runs open with no users."""
    if sign_in.local_mode:
        return html.Div(
            html.P(
                [
                    html.Strong("No sign-in: local mode."),
                    " Anyone who can open this address sees everything.",
                ],
                className="account-notice mb-0",
            ),
            className="account",
        )
    if sign_in.public_visitor:
        return html.Div(
            html.P(
                ["Public view. ", html.A("Sign in", href=signin.LOGIN_PATH), " to see everything."],
                className="mb-0",
            ),
            className="account",
        )
    if sign_in.user_name is None:
        return html.Div(className="account")
    return html.Div(
        [
            html.P(
                ["Signed in as ", html.Strong(sign_in.user_name), f" ({sign_in.role.value})"],
                className="mb-0",
            ),
            # A plain form: sign-out works without JavaScript and carries the session's token.
            html.Form(
                [
                    dcc.Input(type="hidden", name=signin.CSRF_FIELD, value=signin.csrf_token()),
                    html.Button("Sign out", type="submit", className="btn btn-sm btn-outline-light"),
                ],
                method="post",
                action=signin.LOGOUT_PATH,
            ),
        ],
        className="account d-flex align-items-center gap-2",
    )


def _filter_bar(districts, meetings) -> html.Section:
    district_options = (
        [] if districts is None else [{"label": name, "value": code} for code, name in districts.items()]
    )
    meeting_options = []
    if meetings is not None:
        meeting_options = [
            {"label": f"{format_date(d)} – {name}", "value": d.isoformat()}
            for d, name in zip(meetings["date"], meetings["name"], strict=True)
        ]
    return html.Section(
        html.Div(
            [
                html.H2("Filters", className="visually-hidden", id="filters-heading"),
                html.Div(
                    [
                        html.Div(
                            [
                                html.Span("Districts", className="filter-label", id="district-filter-label"),
                                html.Details(
                                    [
                                        html.Summary(
                                            WHOLE_PARTNERSHIP_LABEL,
                                            id=Ids.DISTRICT_SUMMARY,
                                            **{"aria-describedby": "district-filter-label"},
                                        ),
                                        html.Fieldset(
                                            [
                                                html.Legend(
                                                    "Show these districts (none chosen: the whole partnership)",
                                                    className="fs-6 fw-bold",
                                                ),
                                                dbc.Checklist(
                                                    id=Ids.DISTRICTS, options=district_options, value=[]
                                                ),
                                                dbc.Button(
                                                    "Clear: whole partnership",
                                                    id=Ids.CLEAR_DISTRICTS,
                                                    color="link",
                                                    className="px-0",
                                                ),
                                            ],
                                            className="district-panel",
                                        ),
                                    ],
                                    className="district-picker",
                                ),
                            ],
                        ),
                        html.Div(
                            [
                                html.Label("As at", htmlFor=Ids.AS_AT),
                                dbc.Input(id=Ids.AS_AT, type="date", debounce=True, style={"width": "11rem"}),
                            ]
                        ),
                        html.Div(
                            [
                                html.Label("Meeting", htmlFor=Ids.MEETING),
                                dbc.Select(
                                    id=Ids.MEETING,
                                    options=meeting_options,
                                    value="",
                                    placeholder="Choose a meeting date"
                                    if meeting_options
                                    else "No meetings recorded",
                                    disabled=not meeting_options,
                                ),
                            ]
                        ),
                        html.Div(
                            dbc.Button("Today", id=Ids.TODAY, color="secondary", outline=True),
                            className="align-self-end",
                        ),
                    ],
                    className="d-flex flex-wrap gap-3 align-items-start",
                ),
                html.Div(id=Ids.NOTICES, className="filter-notices", role="status"),
            ],
            className="container-xxl py-2",
        ),
        className="filter-bar",
        **{"aria-labelledby": "filters-heading"},
    )


@callback(
    Output(Ids.URL, "search"),
    Output(Ids.DISTRICTS, "value"),
    Output(Ids.AS_AT, "value"),
    Output(Ids.MEETING, "value"),
    Output(Ids.DISTRICT_SUMMARY, "children"),
    Output(Ids.NOTICES, "children"),
    Input(Ids.URL, "search"),
    Input(Ids.DISTRICTS, "value"),
    Input(Ids.AS_AT, "value"),
    Input(Ids.MEETING, "value"),
    Input(Ids.TODAY, "n_clicks"),
    Input(Ids.CLEAR_DISTRICTS, "n_clicks"),
    State(Ids.DISTRICTS, "options"),
    State(Ids.MEETING, "options"),
)
def sync_filters(
    search, chosen_districts, as_at_text, meeting, _today, _clear, district_options, meeting_options
):
    """Keep the URL query and the filter controls in step, whichever of them changed."""
    return apply_filter_change(
        ctx.triggered_id,
        search,
        chosen_districts,
        as_at_text,
        meeting,
        names={option["value"]: option["label"] for option in district_options or []},
        meeting_dates={option["value"] for option in meeting_options or []},
    )


def apply_filter_change(
    trigger, search, chosen_districts, as_at_text, meeting, *, names, meeting_dates
) -> tuple:
    """The new URL query (or no_update) and control values after ``trigger`` changed.

    Returns (search, districts, as_at, meeting, district summary, notices) for sync_filters.
    """
    current = parse_search(search, names)
    if trigger in (None, Ids.URL):
        filters, messages = current, list(current.notices)
    else:
        filters, messages = _filters_from_controls(
            trigger, current, chosen_districts, as_at_text, meeting, names
        )
    # A page's own parameters (the slide shown, the meetings compared) stay as they were.
    new_search = to_search(filters.districts, filters.as_at, extra=page_params(search))
    as_at_value = filters.as_at.isoformat() if filters.as_at else dt.date.today().isoformat()
    meeting_value = as_at_value if filters.as_at and as_at_value in meeting_dates else ""
    # A link is never rewritten on arrival: the notice explains what was ignored, and rewriting
    # would add a history entry that the back button returns to.
    changed_by_user = trigger not in (None, Ids.URL)
    return (
        new_search if changed_by_user and new_search != (search or "") else no_update,
        list(filters.districts),
        as_at_value,
        meeting_value,
        _district_summary(filters.districts, names),
        notices(messages),
    )


def _filters_from_controls(
    trigger, current: Filters, chosen, as_at_text, meeting, names
) -> tuple[Filters, list[str]]:
    districts = current.districts
    as_at = current.as_at
    messages: list[str] = []
    if trigger == Ids.DISTRICTS:
        # Keep the partnership's own order (by name), not the order of clicking.
        districts = tuple(code for code in names if code in set(chosen or []))
    elif trigger == Ids.CLEAR_DISTRICTS:
        districts = ()
    elif trigger == Ids.TODAY:
        as_at = None
    elif trigger == Ids.MEETING and meeting:
        as_at = dt.date.fromisoformat(meeting)
    elif trigger == Ids.AS_AT:
        try:
            as_at = dt.date.fromisoformat(as_at_text) if as_at_text else None
        except ValueError:
            messages.append(f"'{as_at_text}' is not a date; the date was not changed.")
        if as_at == dt.date.today():
            as_at = None  # today is the default; keep links short and "live"
    return Filters(districts, as_at), messages


def _district_summary(districts: tuple[str, ...], names: dict[str, str]) -> str:
    if not districts:
        return WHOLE_PARTNERSHIP_LABEL
    if len(districts) <= 2:
        return ", ".join(names[code] for code in districts)
    return f"{len(districts)} districts"


@callback(
    Output({"type": Ids.NAV, "path": dash.ALL}, "href"),
    Output({"type": Ids.NAV, "path": dash.ALL}, "className"),
    Output({"type": Ids.NAV, "path": dash.ALL}, "children"),
    Input(Ids.URL, "search"),
    Input(Ids.URL, "pathname"),
    State({"type": Ids.NAV, "path": dash.ALL}, "id"),
)
def keep_filters_in_navigation(search, pathname, link_ids):
    """Navigation links carry the current filters; the current section is marked, in words too."""
    section = "/" + (pathname or "/").strip("/").split("/")[0]
    current = {"/priority": "/"}.get(section, section)
    labels = dict((path, label) for label, path in (*NAV_ITEMS, DATA_NAV_ITEM))
    return (
        [link["path"] + (search or "") for link in link_ids],
        ["active" if link["path"] == current else "" for link in link_ids],
        [
            [labels[link["path"]], html.Span(" (current section)", className="visually-hidden")]
            if link["path"] == current
            else labels[link["path"]]
            for link in link_ids
        ],
    )


_PRIORITY_PATH = re.compile(r"^/priority/([^/]+)/?$")

# Dash serves the assets folder through this blueprint endpoint, and writes each asset's URL with
# "?m=<modification time>", so an edited file gets a new URL.
DASH_ASSETS_ENDPOINT = "_dash_assets.static"
# A year: the longest lifetime caches honour, for URLs that change whenever their file does.
VERSIONED_ASSET_MAX_AGE = 365 * 24 * 60 * 60


# The endpoints Dash serves its pages from (Dash names them after their rules); other routes, such as
# /login and /healthz, answer for themselves.
DASH_PAGE_ENDPOINTS = frozenset({"/", "/<path:path>"})


def install_http_status(server: Flask) -> None:
    """Answer a direct load of an unknown path or priority with HTTP 404 (the page says so too)."""

    @server.after_request
    def not_found_status(response: Response) -> Response:
        if (
            request.endpoint not in DASH_PAGE_ENDPOINTS
            or request.method != "GET"
            or response.status_code != 200
            or response.mimetype != "text/html"
        ):
            return response
        if not is_known_page(request.path):
            response.status_code = 404
        return response


def is_known_page(path: str) -> bool:
    """True for a page of the dashboard, including a priority whose code exists."""
    normalised = "/" + path.strip("/")
    if normalised in {page["path"] for page in dash.page_registry.values() if "<" not in page["path"]}:
        return True
    match = _PRIORITY_PATH.match(normalised)
    if not match:
        return False
    try:
        with session_scope() as session:
            return queries.find_priority(session, match.group(1)) is not None
    except DatabaseUnavailable:
        return True  # the page itself explains the outage; a 404 would mislead


def static_files_server(import_name: str) -> Flask:
    """The Flask server for the Dash app, with Flask-Compress set up for the assets folder.

    Flask streams static files, and Flask-Compress's defaults serve a stream with zstd, brotli or
    deflate but never gzip (a gzip-only client or proxy got plotly.js uncompressed). They also rewrite
    a streamed file's ETag ("...:zstd") without answering conditional requests for it, so revalidating
    an asset downloaded it in full every time; listing the assets endpoint answers them with a 304.
    """
    server = Flask(import_name)
    server.config.update(
        COMPRESS_ALGORITHM_STREAMING=["zstd", "br", "gzip", "deflate"],
        COMPRESS_STREAMING_ENDPOINT_CONDITIONAL=["static", DASH_ASSETS_ENDPOINT],
    )
    return server


def install_asset_caching(server: Flask) -> None:
    """Let browsers keep a versioned asset (its URL carries ``?m=``) for a year without asking again.

    Other asset URLs keep Flask's ``no-cache``: the browser revalidates them, cheaply, with a 304.
    Dash's own component suites already carry a version in their path and are cached for a year.
    """

    @server.after_request
    def cache_versioned_assets(response: Response) -> Response:
        if (
            request.endpoint == DASH_ASSETS_ENDPOINT
            and "m" in request.args
            and response.status_code in (200, 304)
        ):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = VERSIONED_ASSET_MAX_AGE
            response.cache_control.immutable = True
        return response


# Dash links plotly.js lazily: its renderer fetches it from this path (under the app's prefix) when the
# first dcc.Graph mounts, so a page without a chart never downloads or runs it.  Dash would answer with the
# full 4.8 MB plotly.min.js of the plotly package; install_partial_plotly answers with the partial bundle.
DASH_LAZY_PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"


def install_partial_plotly(app: dash.Dash, bundle: Path) -> None:
    """Serve ``bundle`` (the vendored partial plotly.js) where Dash's renderer loads plotly.js on demand.

    Linking it as an asset made every page download and run it (0.4 MB compressed, about 120 ms of
    script) before Dash could start drawing, charts or none. Its URL is Dash's and carries no version,
    so the browser revalidates it (a 304 while unchanged; the ETag is the file's content).
    """
    body = bundle.read_bytes()
    etag = hashlib.sha256(body).hexdigest()[:32]

    def partial_plotly() -> Response:
        response = Response(body, mimetype="application/javascript")
        response.set_etag(etag)
        response.cache_control.no_cache = True
        # Flask-Compress compresses it and then answers If-None-Match (with its ":br"-style ETag).
        return response

    # More specific than Dash's own /_dash-component-suites/<package>/<path> rule, so it wins.
    app.server.add_url_rule(
        app.config.requests_pathname_prefix + DASH_LAZY_PLOTLY_PATH, "partial_plotly", partial_plotly
    )


AG_GRID_BUNDLE = "dash_ag_grid.min.js"


def load_ag_grid_on_demand(app: dash.Dash) -> str:
    """Leave AG Grid's main bundle out of every page's scripts, for assets/ag_grid_on_demand.js to load
    when a page first shows a grid; returns the data element, for the index page, that names its URL.

    The bundle (1.3 MB, 0.36 MB compressed, and about 50 ms of script) held up every page's first paint,
    with or without a grid. Dash still serves it under its versioned URL, cached for a year.
    """
    # The package's own resource list (module state, shared by every app in the process; marking it
    # again is harmless). Dash's "lazy" means registered, so served, but never linked.
    for resource in dag._js_dist:
        if resource.get("relative_package_path") == AG_GRID_BUNDLE:
            resource["async"] = "lazy"
    modified = int((Path(dag.__file__).parent / AG_GRID_BUNDLE).stat().st_mtime)
    url = (
        f"{app.config.requests_pathname_prefix}_dash-component-suites/dash_ag_grid/"
        f"{build_fingerprint(AG_GRID_BUNDLE, dag.__version__, modified)}"
    )
    # A data block, not a script: it runs nothing, so the Content-Security-Policy need not allow it.
    return (
        f'<script id="on-demand-scripts" type="application/json">{json.dumps({"dash_ag_grid": url})}</script>'
    )


def versioned_asset_url(assets_folder: Path, relative_path: str) -> str:
    """The URL Dash would give ``assets_folder/relative_path`` (``?m=`` its modification time), for
    a file listed by hand, such as Bootstrap, which must come before the stylesheets Dash finds."""
    modified = (assets_folder / relative_path).stat().st_mtime
    return f"/assets/{relative_path}?m={modified}"
