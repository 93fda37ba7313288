"""The data page's pieces: the validation report, the preview of an import, its outcome, and the log.

Pure functions: frames and dataclasses from data_access.uploads and data_access.import_log in, Dash
components out.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.tables import WRAP, data_table
from domain.formatting import format_timestamp, plural
from domain.vocabulary import ImportChannel

# Rows a grid shows a page at a time; a longer report or preview pages rather than growing without end.
GRID_PAGE_SIZE = 20


def report_grid(grid_id: str, report: pd.DataFrame, *, file_name: str) -> dag.AgGrid:
    """The validation report: every problem, sortable and filterable, exportable as CSV."""
    columns = [
        {"field": "sheet", "headerName": "Sheet", "width": 140, "minWidth": 110},
        {"field": "row", "headerName": "Row", "width": 85, "minWidth": 70, "type": "numericColumn"},
        {"field": "column", "headerName": "Column", "width": 130, "minWidth": 100},
        {"field": "value", "headerName": "Value", "flex": 1, "minWidth": 110, **WRAP},
        {"field": "problem", "headerName": "Problem", "flex": 3, "minWidth": 220, **WRAP},
        {"field": "expected", "headerName": "Expected", "flex": 2, "minWidth": 160, **WRAP},
    ]
    rows = report.astype(object).where(report.notna(), None).to_dict("records")
    return _grid(grid_id, columns, rows, csv_name=f"problems-in-{file_name}.csv")


def validation_report(grid_id: str, download_id: str, report: pd.DataFrame, *, file_name: str) -> html.Div:
    """What is wrong with an uploaded file, and that nothing can be imported until it is put right."""
    count = len(report)
    return html.Div(
        [
            dbc.Alert(
                [
                    html.H2(
                        f"{file_name} cannot be imported: {plural(count, 'problem')} found",
                        className="h5 alert-heading",
                    ),
                    html.P(
                        "Nothing has been written. Put each problem right in the file, then upload it again. "
                        "Rows are numbered as your spreadsheet numbers them (the header is row 1).",
                        className="mb-0",
                    ),
                ],
                color="danger",
                className="mb-2",
            ),
            html.Div(
                dbc.Button("Download the problems (CSV)", id=download_id, color="primary", outline=True),
                className="mb-2",
            ),
            report_grid(grid_id, report, file_name=file_name),
        ],
        className="validation-report",
    )


def refused_upload(message: str) -> dbc.Alert:
    """A file refused before it could be read (too large, not a workbook)."""
    return dbc.Alert(
        [
            html.H2("This file cannot be used", className="h5 alert-heading"),
            html.P(message, className="mb-0"),
        ],
        color="danger",
    )


def import_preview(preview, *, file_name: str, notices: Sequence[str], grid_id_prefix: str) -> html.Div:
    """What confirming would change, sheet by sheet: counts, then the rows themselves.

    ``preview`` is a data_access.uploads.ImportPreview.
    """
    summary_rows = pd.DataFrame(
        [
            {
                "sheet": sheet.sheet,
                "inserted": f"{sheet.summary.inserted:,}",
                "updated": f"{sheet.summary.updated:,}",
                "unchanged": f"{sheet.summary.unchanged:,}",
            }
            for sheet in preview.sheets
        ]
    )
    heading = (
        f"{file_name} is valid: check what it will change, then confirm"
        if preview.changes_anything
        else f"{file_name} is valid, and the database already holds everything in it"
    )
    return html.Div(
        [
            dbc.Alert(
                [
                    html.H2(heading, className="h5 alert-heading"),
                    html.P(
                        "Nothing has been written yet. Confirm below to import it; the import is all or nothing.",
                        className="mb-0",
                    ),
                ],
                color="success",
                className="mb-3",
            ),
            *[dbc.Alert(notice, color="warning", className="py-2 mb-2") for notice in notices],
            data_table(
                summary_rows,
                [
                    ("sheet", "Sheet"),
                    ("inserted", "New rows"),
                    ("updated", "Changed rows"),
                    ("unchanged", "Unchanged"),
                ],
                caption="Rows per sheet that the import will add, change and leave as they are",
            ),
            *[
                _sheet_details(sheet, preview.row_limit, f"{grid_id_prefix}-{sheet.sheet}")
                for sheet in preview.sheets
            ],
        ],
        className="import-preview",
    )


def _sheet_details(sheet, row_limit: int, grid_id: str) -> html.Details:
    summary = sheet.summary
    parts = []
    if summary.inserted:
        parts.append(
            _part(
                f"New rows ({summary.inserted:,})",
                summary.inserted,
                row_limit,
                _grid(f"{grid_id}-new", _columns(sheet.inserted), _records(sheet.inserted)),
            )
        )
    if summary.updated:
        parts.append(
            _part(
                f"Changed rows ({summary.updated:,}): each changed value, before and after",
                summary.updated,
                row_limit,
                _grid(
                    f"{grid_id}-changed",
                    [
                        {"field": "row", "headerName": "Row", "width": 85, "type": "numericColumn"},
                        {"field": "key", "headerName": "Row's key", "flex": 2, "minWidth": 160, **WRAP},
                        {"field": "column", "headerName": "Column", "width": 140},
                        {"field": "before", "headerName": "Before", "flex": 2, "minWidth": 120, **WRAP},
                        {"field": "after", "headerName": "After", "flex": 2, "minWidth": 120, **WRAP},
                    ],
                    _records(sheet.updated),
                ),
            )
        )
    if summary.unchanged:
        # Listed for completeness, folded away: what matters is what changes.
        parts.append(
            html.Details(
                [
                    html.Summary(f"Unchanged rows ({summary.unchanged:,})", className="fw-bold"),
                    _part(
                        None,
                        summary.unchanged,
                        row_limit,
                        _grid(
                            f"{grid_id}-unchanged",
                            [
                                {"field": "row", "headerName": "Row", "width": 85, "type": "numericColumn"},
                                {"field": "key", "headerName": "Row's key", "flex": 1, **WRAP},
                            ],
                            _records(sheet.unchanged),
                        ),
                    ),
                ],
                className="mt-2",
            )
        )
    counts = (
        f"{plural(summary.inserted, 'new row')}, {plural(summary.updated, 'changed row')}, "
        f"{summary.unchanged:,} unchanged"
    )
    return html.Details(
        [html.Summary([html.Strong(sheet.sheet), f": {counts}"]), html.Div(parts or html.P("No rows."))],
        className="preview-sheet mb-2",
        # A sheet that changes something starts open; one that changes nothing stays out of the way.
        open=bool(summary.inserted or summary.updated),
    )


def _part(title: str, count: int, row_limit: int, grid) -> html.Div:
    shown = (
        html.P(
            f"The first {row_limit:,} of {count:,} are listed.", className="small text-body-secondary mb-1"
        )
        if count > row_limit
        else None
    )
    return html.Div([html.H3(title, className="h6 fw-bold mt-2"), shown, grid], className="mb-3")


def _columns(frame: pd.DataFrame) -> list[dict]:
    return [
        {"field": name, "headerName": "Row" if name == "row" else name, "minWidth": 90, "flex": 1, **WRAP}
        for name in frame.columns
    ]


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _grid(grid_id: str, columns: list[dict], rows: list[dict], *, csv_name: str | None = None) -> dag.AgGrid:
    options = {
        "domLayout": "autoHeight",
        "pagination": len(rows) > GRID_PAGE_SIZE,
        "paginationPageSize": GRID_PAGE_SIZE,
        "paginationPageSizeSelector": False,
        "ensureDomOrder": True,
        "enableCellTextSelection": True,
    }
    return dag.AgGrid(
        id=grid_id,
        columnDefs=columns,
        rowData=rows,
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        columnSize="responsiveSizeToFit",
        dashGridOptions=options,
        csvExportParams={"fileName": csv_name} if csv_name else None,
        className="ag-theme-quartz",
        style={"width": "100%"},
    )


def import_done(file_name: str, summary, *, links: Sequence[tuple[str, str]]) -> dbc.Alert:
    """The outcome of a confirmed import: counts per sheet, and where to see the new data."""
    lines = [
        html.Li(
            f"{name}: {plural(counts.inserted, 'new row')}, {plural(counts.updated, 'changed row')}, "
            f"{counts.unchanged:,} unchanged"
        )
        for name, counts in summary.sheets.items()
    ]
    return dbc.Alert(
        [
            html.H2(f"Imported {file_name}", className="h5 alert-heading"),
            html.Ul(lines, className="mb-2"),
            html.P(
                ["Every page shows the new data now: ", *_link_list(links), "."],
                className="mb-0",
            ),
        ],
        color="success",
    )


def _link_list(links: Sequence[tuple[str, str]]) -> list:
    items: list = []
    for position, (label, href) in enumerate(links):
        if position:
            items.append(", " if position < len(links) - 1 else " and ")
        items.append(html.A(label, href=href))
    return items


def data_changed_notice() -> dbc.Alert:
    """Confirmation refused: another import changed the data after this file was previewed."""
    return dbc.Alert(
        [
            html.H2("Not imported: the data changed after your preview", className="h5 alert-heading"),
            html.P(
                "Someone else imported data since you previewed this file, so the preview may no longer be what "
                "the import would do. Nothing has been written. The preview below has been worked out again "
                "against the data as it is now: check it, then confirm.",
                className="mb-0",
            ),
        ],
        color="warning",
    )


def import_log_table(log: pd.DataFrame) -> html.Div:
    """The import log (data_access.import_log.import_log), newest first."""
    if log.empty:
        return html.P(
            "No imports recorded yet. Data loaded before the import log began is not listed.",
            className="text-body-secondary",
        )
    channels = ImportChannel.labels()
    shown = pd.DataFrame(
        {
            "when": [format_timestamp(moment) for moment in log["imported_at"]],
            "by": log["imported_by"],
            "how": log["channel"].map(channels),
            "file": log["file_name"].fillna("(no file)"),
            "sha256": [value[:12] + "…" if isinstance(value, str) else "" for value in log["sha256"]],
            "sheets": log["sheets"],
            "rows": [
                f"{inserted:,} new, {updated:,} changed, {unchanged:,} unchanged"
                for inserted, updated, unchanged in zip(
                    log["inserted"], log["updated"], log["unchanged"], strict=True
                )
            ],
        }
    )
    return data_table(
        shown,
        [
            ("when", "When (UK time)"),
            ("by", "By"),
            ("how", "How"),
            ("file", "File"),
            ("sha256", "SHA-256 (start)"),
            ("sheets", "Sheets"),
            ("rows", "Rows"),
        ],
        caption="Imports, newest first",
    )
