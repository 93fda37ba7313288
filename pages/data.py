"""Data: upload a return (validated, previewed, then confirmed), the import log, and data freshness.

Officers and admins use it once users exist; anyone while the dashboard runs with no users.  An uploaded
file travels only in the requests that carry it: it is read in a temporary folder that is removed at once,
nothing is written before the officer confirms, and nothing uploaded is ever served back.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from enum import StrEnum

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from components import uploads as upload_components
from components.feedback import database_unavailable
from components.freshness import freshness_table
from data_access import import_log, uploads, views
from data_access.cache import DataChanged
from data_access.config import Settings
from data_access.db import DatabaseUnavailable, get_engine, session_scope
from data_access.exporter import csv_bytes, xlsx_bytes
from data_access.importer import ImportSource
from data_access.template import template_frames
from data_access.workbook import WorkbookError
from domain.formatting import file_slug, format_date
from domain.freshness import FRESHNESS_RULE_TEXT
from domain.vocabulary import ImportChannel
from pages._common import guarded_layout, page_filters, page_title, sees_restricted
from web import signin

dash.register_page(__name__, path="/data", name="Data", title=lambda: page_title("Data"), order=6)

# Imports the log lists on the page; the download has them all.
LOG_ROWS_SHOWN = 50
# Where a successful import suggests looking.
AFTER_IMPORT_LINKS = (("the overview", "/"), ("partner actions", "/actions"), ("districts", "/districts"))


class Ids(StrEnum):
    UPLOAD = "data-upload"
    LIMIT = "data-upload-limit"
    FILE = "data-file"
    SIZE_NOTICE = "data-size-notice"
    STATUS = "data-status"
    RESULT = "data-result"
    PREVIEWED = "data-previewed"
    CSRF = "data-csrf"
    CONFIRM_AREA = "data-confirm-area"
    CONFIRM = "data-confirm"
    OUTCOME = "data-outcome"
    REPORT_GRID = "data-report-grid"
    REPORT_DOWNLOAD = "data-report-download-button"
    TEMPLATE_BUTTON = "data-template-button"
    LOG = "data-log"
    LOG_BUTTON = "data-log-button"
    DOWNLOAD = "data-download"
    PREVIEW_GRIDS = "data-preview"
    FRESHNESS = "data-freshness"


@guarded_layout
def layout(district=None, as_at=None, **_other_query):
    state = signin.current_state()
    if not state.may_upload:
        return _not_allowed(state)
    limit = Settings().upload_max_bytes
    try:
        with session_scope() as session:
            log = import_log.import_log(session, limit=LOG_ROWS_SHOWN)
            filters, today = page_filters(session, district=district, as_at=as_at)
            as_at_date = filters.as_at_or(today)
            freshness = views.freshness_view(session, as_at_date, include_restricted=sees_restricted())
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    return html.Div(
        [
            dcc.Store(id=Ids.LIMIT, data={"bytes": limit, "text": uploads.format_size(limit)}),
            dcc.Store(id=Ids.FILE),
            dcc.Store(id=Ids.PREVIEWED),
            # The session's token: a confirmation must carry it, as the sign-in and sign-out forms do.
            dcc.Store(id=Ids.CSRF, data=signin.csrf_token()),
            dcc.Download(id=Ids.DOWNLOAD),
            html.H1("Data", className="page-title"),
            html.P(
                "Upload a quarterly return, see exactly what is wrong with it or what it will change, and "
                "confirm. See when each indicator last had data.",
                className="page-lede",
            ),
            _upload_section(limit),
            _log_section(log, may_download=state.may_download_import_log),
            _freshness_section(freshness, as_at_date, today),
        ]
    )


def _not_allowed(state: signin.SignInState) -> html.Div:
    who = (
        f"You are signed in as {state.user_name} ({state.role.value})."
        if state.user_name and state.role
        else "You are not signed in as an officer."
    )
    return html.Div(
        [
            html.H1("Data", className="page-title"),
            dbc.Alert(
                [
                    html.P("Uploading data and its log are for officers and admins.", className="mb-1"),
                    html.P([who, " Ask an admin if you need to upload returns."], className="mb-0"),
                ],
                color="info",
            ),
        ]
    )


def _upload_section(limit: int) -> html.Section:
    return html.Section(
        [
            html.H2("Upload a return", className="h4", id="upload-heading"),
            html.P(
                [
                    "An Excel workbook (.xlsx) with sheets named as in the template, or a .zip of CSV files "
                    "named after the sheets (for example indicator_values.csv). It may hold only the sheets "
                    f"you are updating. At most {uploads.format_size(limit)}. ",
                ],
                id="upload-help",
            ),
            html.Div(
                dbc.Button(
                    "Download an empty template (.xlsx)",
                    id=Ids.TEMPLATE_BUTTON,
                    color="primary",
                    outline=True,
                ),
                className="mb-3",
            ),
            dcc.Upload(
                html.Div(
                    [
                        html.Span("Choose a file", className="btn btn-primary me-2"),
                        html.Span("or drag and drop it here", className="upload-hint"),
                    ]
                ),
                id=Ids.UPLOAD,
                accept=",".join(uploads.UPLOAD_SUFFIXES),
                multiple=False,
                className="upload-drop",
                className_active="upload-drop upload-drop-active",
            ),
            html.Div(id=Ids.SIZE_NOTICE, role="alert", className="mt-2"),
            html.P(id=Ids.STATUS, role="status", className="visually-hidden"),
            dcc.Loading(html.Div(id=Ids.RESULT, className="mt-3"), type="default", delay_show=300),
            html.Div(
                [
                    dbc.Button(
                        "Confirm: import this file", id=Ids.CONFIRM, color="primary", className="me-2"
                    ),
                    html.Span(
                        "Imports it all or nothing. The preview was worked out against the data as it was then; "
                        "if someone else imports first, you will be asked to check again.",
                        className="small text-body-secondary",
                    ),
                ],
                id=Ids.CONFIRM_AREA,
                hidden=True,
                className="confirm-area my-3",
            ),
            dcc.Loading(html.Div(id=Ids.OUTCOME, className="mt-3"), type="default", delay_show=300),
        ],
        className="mb-5",
        **{"aria-labelledby": "upload-heading"},
    )


def _freshness_section(freshness: views.FreshnessView, as_at: dt.date, today: dt.date) -> html.Section:
    when = "today" if as_at == today else f"as at {format_date(as_at)}"
    return html.Section(
        [
            html.H2("Data freshness", className="h4", id="freshness-heading"),
            html.P(
                "Every indicator's latest period, when data for it was last imported, and whether it is "
                f"behind its frequency, {when}."
            ),
            html.Details(
                [html.Summary("How lateness is judged"), html.P(FRESHNESS_RULE_TEXT, className="mt-2")],
                className="mb-2",
            ),
            freshness_table(freshness.indicators, grid_id=Ids.FRESHNESS),
        ],
        className="mb-5",
        **{"aria-labelledby": "freshness-heading"},
    )


def _log_section(log: pd.DataFrame, *, may_download: bool) -> html.Section:
    download = (
        dbc.Button(
            "Download the whole import log (CSV)",
            id=Ids.LOG_BUTTON,
            color="primary",
            outline=True,
        )
        if may_download
        else None
    )
    return html.Section(
        [
            html.H2("Import log", className="h4", id="log-heading"),
            html.P(
                f"Every import from this page or the command line, newest first (the latest {LOG_ROWS_SHOWN} "
                "are listed here)."
            ),
            html.Div(download, className="mb-2"),
            html.Div(upload_components.import_log_table(log), id=Ids.LOG),
        ],
        className="mb-5",
        **{"aria-labelledby": "log-heading"},
    )


# An upload over the limit is refused in the browser, before its bytes are sent: the server would
# otherwise receive them only to refuse them (check_upload refuses them too).
clientside_callback(
    """
    function (contents, fileName, limit) {
        if (!contents) { return [window.dash_clientside.no_update, ""]; }
        const data = contents.slice(contents.indexOf(",") + 1);
        const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
        const size = Math.floor(data.length * 3 / 4) - padding;
        if (size <= limit.bytes) { return [{name: fileName, contents: contents}, ""]; }
        // As data_access.uploads.format_size writes sizes.
        let shown = size + " bytes";
        if (size >= 1e6) {
            const megabytes = size / 1e6;
            const oneDecimal = megabytes < 10 && !Number.isInteger(megabytes);
            shown = (oneDecimal ? megabytes.toFixed(1) : megabytes.toFixed(0)) + " MB";
        } else if (size >= 1e3) {
            shown = Math.ceil(size / 1e3) + " KB";
        }
        return [null, "The file is " + shown + "; uploads may be at most " + limit.text +
            ". Split the return into smaller files, or ask an administrator to raise UPLOAD_MAX_MB."];
    }
    """,
    Output(Ids.FILE, "data"),
    Output(Ids.SIZE_NOTICE, "children"),
    Input(Ids.UPLOAD, "contents"),
    State(Ids.UPLOAD, "filename"),
    State(Ids.LIMIT, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(Ids.RESULT, "children"),
    Output(Ids.STATUS, "children"),
    Output(Ids.PREVIEWED, "data"),
    Output(Ids.CONFIRM_AREA, "hidden"),
    Output(Ids.OUTCOME, "children"),
    Input(Ids.FILE, "data"),
    prevent_initial_call=True,
)
def check_upload(file):
    """Validate an uploaded file and preview what importing it would change; writes nothing."""
    if not signin.current_state().may_upload:
        return _refused("Uploading data is for officers and admins.")
    if not file:
        return None, "", None, True, None
    name = file.get("name") or "upload"
    try:
        content = _decode(file.get("contents"))
        raw_sheets, notices = uploads.read_upload(name, content, max_bytes=Settings().upload_max_bytes)
    except (ValueError, uploads.UploadTooLarge) as error:
        return _refused(str(error))
    except WorkbookError as error:
        return _report(name, error, {})
    return _preview(name, content, raw_sheets, notices)


def _preview(name: str, content: bytes, raw_sheets, notices, *, before=None):
    try:
        preview = uploads.preview_import(get_engine(), raw_sheets)
    except WorkbookError as error:
        return _report(name, error, raw_sheets)
    # The version as text: it is a 62-bit number, and JavaScript's numbers keep only 53 bits exactly.
    previewed = {
        "name": name,
        "sha256": uploads.sha256_of(content),
        "data_version": str(preview.data_version),
    }
    shown = upload_components.import_preview(
        preview, file_name=name, notices=[*notices, *preview.notices], grid_id_prefix=Ids.PREVIEW_GRIDS
    )
    status = f"{name} is valid. Check the preview, then confirm to import it."
    return [before, shown] if before else shown, status, previewed, False, None


def _report(name: str, error: WorkbookError, raw_sheets):
    report = uploads.problem_report(error.problems, raw_sheets)
    shown = upload_components.validation_report(Ids.REPORT_GRID, Ids.REPORT_DOWNLOAD, report, file_name=name)
    count = len(report)
    status = (
        f"{name} cannot be imported: {count} problem{'s' if count != 1 else ''} found. Nothing was written."
    )
    return shown, status, None, True, None


def _refused(message: str):
    return upload_components.refused_upload(message), message, None, True, None


def _decode(contents: str | None) -> bytes:
    """The bytes of a data URL as dcc.Upload gives them ("data:<type>;base64,<data>")."""
    if not contents or "," not in contents:
        raise ValueError("The file could not be read from the browser. Choose it again.")
    try:
        return base64.b64decode(contents.partition(",")[2], validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("The file could not be read from the browser. Choose it again.") from error


@callback(
    Output(Ids.OUTCOME, "children", allow_duplicate=True),
    Output(Ids.RESULT, "children", allow_duplicate=True),
    Output(Ids.STATUS, "children", allow_duplicate=True),
    Output(Ids.PREVIEWED, "data", allow_duplicate=True),
    Output(Ids.CONFIRM_AREA, "hidden", allow_duplicate=True),
    Output(Ids.LOG, "children"),
    Input(Ids.CONFIRM, "n_clicks"),
    State(Ids.FILE, "data"),
    State(Ids.PREVIEWED, "data"),
    State(Ids.CSRF, "data"),
    prevent_initial_call=True,
    running=[(Output(Ids.CONFIRM, "disabled"), True, False)],
)
def confirm_upload(n_clicks, file, previewed, csrf):
    """Import the previewed file, all or nothing, if the data is as it was when it was previewed."""
    if not n_clicks:
        return (no_update,) * 6
    state = signin.current_state()
    if not state.may_upload:
        return _not_imported("Uploading data is for officers and admins.")
    if not csrf or csrf != signin.csrf_token():
        return _not_imported(
            "Your session has changed since this page was opened. Reload the page and upload again."
        )
    if not file or not previewed:
        return _not_imported("Upload a file and check its preview first.")
    name = file.get("name") or "upload"
    try:
        content = _decode(file.get("contents"))
        sha256 = uploads.sha256_of(content)
        if sha256 != previewed.get("sha256"):
            return _not_imported(
                "This is not the file that was previewed. Upload it again to see its preview."
            )
        raw_sheets, notices = uploads.read_upload(name, content, max_bytes=Settings().upload_max_bytes)
        source = ImportSource(
            imported_by=state.user_name or "local mode (no sign-in)",
            channel=ImportChannel.BROWSER,
            file_name=name,
            sha256=sha256,
        )
        summary = uploads.confirm_import(
            get_engine(), raw_sheets, source=source, expected_version=int(previewed["data_version"])
        )
    except (ValueError, uploads.UploadTooLarge) as error:
        return _not_imported(str(error))
    except WorkbookError as error:
        shown, status, *_ = _report(name, error, {})
        return None, shown, status, None, True, no_update
    except DataChanged:
        result, status, previewed_again, hidden, _ = _preview(
            name, content, raw_sheets, notices, before=upload_components.data_changed_notice()
        )
        return (
            None,
            result,
            f"Not imported: the data changed after your preview. {status}",
            previewed_again,
            hidden,
            no_update,
        )
    status = f"Imported {name}."
    outcome = upload_components.import_done(name, summary, links=AFTER_IMPORT_LINKS)
    return outcome, None, status, None, True, _log_now()


def _not_imported(message: str):
    return upload_components.refused_upload(message), no_update, message, no_update, no_update, no_update


def _log_now():
    with session_scope() as session:
        return upload_components.import_log_table(import_log.import_log(session, limit=LOG_ROWS_SHOWN))


@callback(
    Output(Ids.DOWNLOAD, "data"),
    Input(Ids.REPORT_DOWNLOAD, "n_clicks"),
    State(Ids.REPORT_GRID, "rowData"),
    prevent_initial_call=True,
)
def download_report(n_clicks, rows):
    """The validation report as CSV (from the rows on screen: nothing is read again)."""
    if not n_clicks or not rows:
        return no_update
    report = pd.DataFrame(rows, columns=uploads.PROBLEM_REPORT_COLUMNS)
    return dcc.send_bytes(csv_bytes(report), f"problems-{dt.date.today().isoformat()}.csv")


@callback(
    Output(Ids.DOWNLOAD, "data", allow_duplicate=True),
    Input(Ids.TEMPLATE_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
def download_template(n_clicks):
    """The empty workbook with its guide to every column, as the command line's ``template`` writes it."""
    if not n_clicks:
        return no_update
    return dcc.send_bytes(xlsx_bytes(template_frames()), "partnership-workbook-template.xlsx")


@callback(
    Output(Ids.DOWNLOAD, "data", allow_duplicate=True),
    Input(Ids.LOG_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
def download_log(n_clicks):
    """The whole import log, a row per sheet of each import, with full SHA-256s: admins only."""
    if not n_clicks or not signin.current_state().may_download_import_log:
        return no_update
    with session_scope() as session:
        log = import_log.import_log_sheets(session)
    log["imported_at"] = log["imported_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dcc.send_bytes(csv_bytes(log), f"import-log-{file_slug(dt.date.today().isoformat())}.csv")
