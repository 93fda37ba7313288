"""The changes between two meetings, as accessible HTML: a summary of counts and one section per kind.

Pure functions of data_access.views.ChangesView's frames; links come from a function the page passes in
(``link``: path -> href keeping the filters), so these never read the URL or a session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
from dash import dcc, html

from components.rag import rag_badge
from components.tables import STATUS_WORDS
from domain.formatting import format_date, noun

Link = Callable[[str], str]

# Long lists fold away beyond this many rows, so the other sections stay within reach.  A folded list is
# sent empty and filled in when first opened: at large scale the lists ran to thousands of rows (17,000
# components, 2.7 MB) that most readers never open.
FOLD_AFTER_ROWS = 50


@dataclass(frozen=True)
class Section:
    """One kind of change: its anchor, heading, the count's words, what an empty list says and, for a
    list that can be folded, what its rows are called ("Show all 1,020 new values")."""

    anchor: str
    heading: str
    singular: str
    plural: str
    empty: str
    row: str | None = None  # None: never folded
    rows: str | None = None

    def folds(self, count: int) -> bool:
        """Whether a list of ``count`` rows is folded away (and so filled in only when opened)."""
        return self.row is not None and count > FOLD_AFTER_ROWS

    def fold_label(self, count: int) -> str:
        return f"Show all {count:,} {noun(count, self.row or '', self.rows)}"


PRIORITIES = Section(
    "priority-changes",
    "Priorities whose RAG changed",
    "priority changed RAG",
    "priorities changed RAG",
    "No priorities changed RAG.",
    row="priority",
    rows="priorities",
)
INDICATORS = Section(
    "indicator-changes",
    "Indicators whose RAG changed",
    "indicator changed RAG",
    "indicators changed RAG",
    "No indicators changed RAG.",
    row="indicator change",
)
COMPLETED = Section(
    "actions-completed",
    "Actions completed",
    "action completed",
    "actions completed",
    "No actions were completed.",
    row="action",
)
OVERDUE = Section(
    "actions-overdue",
    "Actions that became overdue",
    "action became overdue",
    "actions became overdue",
    "No actions became overdue.",
    row="action",
)
NEW_ACTIONS = Section(
    "new-actions", "New actions", "new action", "new actions", "No new actions were opened.", row="action"
)
NEW_DATA = Section(
    "new-data", "New data", "new value", "new values", "No new values became available.", row="new value"
)
COMMENTARY = Section(
    "new-commentary",
    "New board commentary",
    "board assessment",
    "board assessments",
    "The board recorded no new assessments.",
)
SECTIONS = (PRIORITIES, INDICATORS, COMPLETED, OVERDUE, NEW_ACTIONS, NEW_DATA, COMMENTARY)
SECTIONS_BY_ANCHOR = {section.anchor: section for section in SECTIONS}

NEW_DATA_NOTE = (
    "Values are listed by the period they cover: those whose period ended between the two dates. Figures "
    "for older periods that arrived late are not listed; the import log on the Data page records when each "
    "file was imported and what it changed."
)


def changes_summary(counts: dict[Section, int]) -> html.Section:
    """How many of each kind of change, each linking to its section."""
    return html.Section(
        [
            html.H2("Summary", className="visually-hidden", id="changes-summary-heading"),
            html.Ul(
                [
                    html.Li(
                        html.A(
                            [
                                html.Span(f"{count:,}", className="summary-number"),
                                section.singular if count == 1 else section.plural,
                            ],
                            href=f"#{section.anchor}",
                        ),
                        className="summary-item",
                    )
                    for section, count in counts.items()
                ],
                className="summary-strip list-unstyled changes-summary",
            ),
        ],
        **{"aria-labelledby": "changes-summary-heading"},
    )


def changes_section(section: Section, body, count: int, note: str | None = None) -> html.Section:
    """A section with its heading and count; ``body`` is shown only when there is something to list."""
    heading_id = f"{section.anchor}-heading"
    return html.Section(
        [
            html.H2(
                [section.heading, html.Span(f" ({count:,})", className="text-body-secondary")], id=heading_id
            ),
            html.P(note, className="text-body-secondary") if note else None,
            body if count else html.P(section.empty, className="empty-section"),
        ],
        id=section.anchor,
        className="changes-section",
        **{"aria-labelledby": heading_id},
    )


def _rag(rating: str | None, reason: str | None, missing: str) -> list:
    if rating is None:
        return [html.Span(missing, className="fst-italic")]
    return [rag_badge(rating, size="sm"), " ", reason]


def folded(section: Section, count: int, toggle_id: dict, body_id: dict) -> html.Details:
    """A long list folded away, empty until opened: the page fills ``body_id`` with the table when the
    summary (``toggle_id``) is first clicked, which Enter and Space on it also do."""
    return html.Details(
        [
            html.Summary(section.fold_label(count), id=toggle_id),
            html.Div(html.P("Loading the table…", className="mb-0"), id=body_id),
        ],
        className="data-table",
    )


def _table(caption: str, headers: Sequence[str], rows: list[list]) -> html.Div:
    """A plain table whose first cell in each row heads that row."""
    table = html.Table(
        [
            html.Caption(caption, className="visually-hidden"),
            html.Thead(html.Tr([html.Th(header, scope="col") for header in headers])),
            html.Tbody(
                [
                    html.Tr([html.Th(row[0], scope="row"), *(html.Td(cell) for cell in row[1:])])
                    for row in rows
                ]
            ),
        ],
        className="table table-sm table-striped changes-table align-top",
    )
    return html.Div(table, className="table-responsive")


def _priority_link(code: str, label: str, link: Link) -> dcc.Link:
    return dcc.Link(label, href=link(f"/priority/{code}"))


def _indicator_cell(row: dict, link: Link) -> list:
    """The indicator, linked to its chart on its priority's page, and which priority it serves."""
    return [
        dcc.Link(
            row["indicator_name"],
            href=link(f"/priority/{row['priority_code']}") + f"#indicator-{row['indicator_code']}",
        ),
        html.Span(
            f"Priority {row['priority_number']}: {row['priority_short_title']}",
            className="d-block small text-body-secondary fw-normal",
        ),
    ]


def priority_changes_table(changes: pd.DataFrame, before: str, after: str, link: Link) -> html.Div:
    """Each priority's RAG and reason at both dates (``before``/``after`` name the dates in headers)."""
    rows = [
        [
            _priority_link(row["code"], f"{row['number']}. {row['short_title']}", link),
            _rag(row["rag_before"], row["reason_before"], "Not in force"),
            _rag(row["rag_after"], row["reason_after"], "No longer in force"),
        ]
        for row in changes.to_dict("records")
    ]
    return _table(
        "Priorities whose RAG changed, with the RAG and reason at each date",
        ["Priority", f"RAG at {before}", f"RAG at {after}"],
        rows,
    )


def indicator_changes_table(changes: pd.DataFrame, before: str, after: str, link: Link) -> html.Div:
    """Each indicator and area whose RAG changed, linking to the indicator on its priority's page."""
    rows = [
        [
            _indicator_cell(row, link),
            row["series_name"],
            _rag(row["rag_before"], row["reason_before"], "Not rated"),
            _rag(row["rag_after"], row["reason_after"], "Not rated"),
        ]
        for row in changes.to_dict("records")
    ]
    return _table(
        "Indicators whose RAG changed, by area, with the RAG and reason at each date",
        ["Indicator", "Area", f"RAG at {before}", f"RAG at {after}"],
        rows,
    )


def actions_table(
    actions: pd.DataFrame,
    caption: str,
    link: Link,
    *,
    status_header: str,
    date_column: str,
    date_header: str,
    no_date: str = "Not recorded",
) -> html.Div:
    """Actions with their priority, owner, district, due date and status (as at the second date), and
    one more date (completed or opened)."""
    rows = [
        [
            row["ref"],
            row["title"],
            _priority_link(
                row["priority_code"], f"{row['priority_number']}. {row['priority_short_title']}", link
            ),
            row["owner"],
            row["district"],
            format_date(row["due_date"]),
            STATUS_WORDS[row["status"]],
            format_date(row[date_column]) if row[date_column] is not None else no_date,
        ]
        for row in actions.to_dict("records")
    ]
    return _table(
        caption,
        ["Ref", "Action", "Priority", "Owner", "District", "Due", status_header, date_header],
        rows,
    )


def new_data_table(values: pd.DataFrame, link: Link) -> html.Div:
    """Each newly available value: indicator (linked), area, period and value in its unit."""
    rows = [
        [
            _indicator_cell(row, link),
            row["series_name"],
            row["period_label"],
            row["value"],
        ]
        for row in values.to_dict("records")
    ]
    return _table(
        "Values that became available between the two dates, by indicator and area",
        ["Indicator", "Area", "Period", "Value"],
        rows,
    )


def commentary_list(assessments: pd.DataFrame, link: Link) -> html.Ol:
    """The board's new assessments, oldest first: priority, date, RAG and commentary."""
    return html.Ol(
        [
            html.Li(
                [
                    html.H3(
                        _priority_link(
                            row["priority_code"], f"{row['priority_number']}. {row['priority_title']}", link
                        ),
                        className="h6 mb-1",
                    ),
                    html.P(
                        [
                            rag_badge(row["rag"], size="sm"),
                            f" set by the board on {format_date(row['date'])}.",
                        ],
                        className="mb-1",
                    ),
                    html.Blockquote(
                        row["commentary"] or "No commentary was recorded.", className="border-start ps-3 mb-0"
                    ),
                ],
                className="commentary-item",
            )
            for row in assessments.to_dict("records")
        ],
        className="list-unstyled commentary-list",
    )
