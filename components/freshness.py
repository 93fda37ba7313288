"""Data freshness in words: every indicator's table (for the /data page), the overview's note of late
indicators, and the line on each indicator card.

Pure functions of the rows of data_access.views.freshness_view (FreshnessView.indicators); links come
from a function the page passes in (``link``: path -> href keeping the filters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from components.tables import UK_DATE, WRAP
from domain.formatting import UK_TIME, format_timestamp, noun
from domain.vocabulary import Frequency, FreshnessState

Link = Callable[[str], str]

NOT_IN_FORCE = "Priority not in force"
BEFORE_THE_LOG = "Before the import log began"
NONE_YET = "None yet"
FREQUENCY_WORDS = {code: label.capitalize() for code, label in Frequency.labels().items()}

# The grid shows a row's own words for a value it sorts by its ISO text (dates sort as text).
_SHOW = {
    "latest_end": "params.data.latest_text",
    "last_imported": "params.data.last_imported_text",
    "expected_start": "params.data.expected_label",
}


def late_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """The rows of indicators that are late and whose priority is in force: the ones to chase."""
    return indicators[indicators["priority_in_force"] & (indicators["state"] == FreshnessState.LATE)]


def late_summary(indicators: pd.DataFrame) -> str:
    """ "2 of 31 indicators are late." over the indicators of priorities in force."""
    in_force = int(indicators["priority_in_force"].sum())
    late = len(late_indicators(indicators))
    return f"{late:,} of {in_force:,} {noun(in_force, 'indicator')} {'is' if late == 1 else 'are'} late."


def status_word(row: Mapping[str, Any]) -> str:
    """The status a table shows: the freshness state's label, or that the priority is not in force
    (nobody chases data for a priority that has ended or not begun)."""
    return row["state_word"] if row["priority_in_force"] else NOT_IN_FORCE


def freshness_rows(indicators: pd.DataFrame) -> list[dict]:
    """Grid rows: text for reading, ISO dates and numbers for sorting. The late ones first, most days
    late at the top, then the other indicators of priorities in force, then those of priorities not in
    force (whose numbers may repeat those in force); otherwise in the view's order."""
    rows = []
    for row in indicators.to_dict("records"):
        in_force = bool(row["priority_in_force"])
        imported = row["last_imported_at"]
        late = in_force and row["state"] == FreshnessState.LATE
        rows.append(
            {
                "indicator_code": row["indicator_code"],
                "priority": f"{row['priority_number']}. {row['priority_short_title']}"
                + ("" if in_force else f" ({NOT_IN_FORCE.lower()})"),
                "indicator": row["name"],
                "frequency": FREQUENCY_WORDS[row["frequency"]],
                "latest_end": _iso(row["latest_end"]),
                "latest_text": f"{row['latest_label']}, {row['latest_age']}"
                if row["latest_label"]
                else NONE_YET,
                # UK local time in ISO order, so sorting the column sorts by time.
                "last_imported": "" if pd.isna(imported) else imported.astimezone(UK_TIME).isoformat(),
                "last_imported_text": format_timestamp(imported) or BEFORE_THE_LOG,
                "status": status_word(row),
                "late": late,
                "expected_start": _iso(row["expected_start"]) if in_force else "",
                "expected_label": row["expected_label"] if in_force else "",
                "due_by": _iso(row["due_by"]) if in_force else "",
                "days_late": int(row["days_late"]) if late else 0,
            }
        )
    return sorted(rows, key=lambda row: (-row["days_late"], row["status"] == NOT_IN_FORCE))


def _iso(day) -> str:
    return "" if day is None or pd.isna(day) else day.isoformat()


def freshness_table(indicators: pd.DataFrame, *, grid_id: str = "freshness-grid") -> html.Div:
    """Every indicator's latest period, its age, when data for it was last imported and whether it is
    late, as a sortable, filterable grid: late ones first (sorted by days late), the status in words."""
    columns = [
        {"field": "priority", "headerName": "Priority", "flex": 2, "minWidth": 150, **WRAP},
        {"field": "indicator", "headerName": "Indicator", "flex": 3, "minWidth": 180, **WRAP},
        {"field": "frequency", "headerName": "Reported", "width": 125, "minWidth": 120, **WRAP},
        {
            "field": "status",
            "headerName": "Status",
            "width": 120,
            "minWidth": 110,
            "cellClassRules": {"freshness-late-cell": "params.data.late"},
            **WRAP,
        },
        {
            "field": "days_late",
            "headerName": "Days late",
            "width": 110,
            "minWidth": 105,
            **WRAP,
            "type": "numericColumn",
            "filter": "agNumberColumnFilter",
            "valueFormatter": {"function": "params.value ? d3.format(',')(params.value) : ''"},
            "sort": "desc",
        },
        {
            "field": "expected_start",
            "headerName": "Period expected next",
            "width": 150,
            "minWidth": 120,
            **WRAP,
        },
        {"field": "due_by", "headerName": "Due by", "width": 125, "minWidth": 115, "valueFormatter": UK_DATE},
        {"field": "latest_end", "headerName": "Latest period", "width": 170, "minWidth": 140, **WRAP},
        {"field": "last_imported", "headerName": "Last imported", "width": 170, "minWidth": 140, **WRAP},
    ]
    for column in columns:
        if column["field"] in _SHOW:
            column["valueFormatter"] = {"function": _SHOW[column["field"]]}
    rows = freshness_rows(indicators)
    return html.Div(
        [
            html.P(
                [
                    late_summary(indicators),
                    " Sort or filter by any column; late indicators come first, most days late at the top.",
                ],
                className="text-body-secondary",
            ),
            dag.AgGrid(
                id=grid_id,
                columnDefs=columns,
                rowData=rows,
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                columnSize="responsiveSizeToFit",
                dashGridOptions={
                    "domLayout": "autoHeight",
                    "pagination": len(rows) > 50,
                    "paginationPageSize": 50,
                    "paginationPageSizeSelector": False,
                    "ensureDomOrder": True,
                },
                getRowId="params.data.indicator_code",
                className="ag-theme-quartz",
                style={"width": "100%"},
            ),
        ]
    )


def late_note(indicators: pd.DataFrame, link: Link) -> html.Details | None:
    """A quiet note for the overview: how many indicators of the priorities in force are late, opening
    to each one (linked to its chart), the period missing and when it was due; None when none is."""
    late = late_indicators(indicators)
    if late.empty:
        return None
    items = [
        html.Li(
            [
                dcc.Link(
                    row["name"],
                    href=link(f"/priority/{row['priority_code']}") + f"#indicator-{row['indicator_code']}",
                ),
                f" ({row['priority_short_title']}): {row['missing']}.",
            ]
        )
        for row in late.to_dict("records")
    ]
    return html.Details(
        [html.Summary(late_summary(indicators)), html.Ul(items, className="mb-0")],
        className="freshness-note",
    )


def card_freshness(row: Mapping[str, Any]) -> list:
    """An indicator card's lines: its latest period and how long ago it ended, and when late (and its
    priority in force) the period missing and its due date in words. Nothing without data: the card
    already says there is no value."""
    if row["state"] == FreshnessState.NO_DATA:
        return []
    lines = [
        html.P(f"Latest data: {row['latest_label']}, {row['latest_age']}.", className="indicator-freshness")
    ]
    if row["state"] == FreshnessState.LATE and row["priority_in_force"]:
        lines.append(
            html.P(
                [html.Strong(f"{FreshnessState.LATE.label}:"), f" {row['missing']}."],
                className="indicator-freshness freshness-late",
            )
        )
    return lines
