"""Freshness in words: the /data grid's rows, the overview's note and an indicator card's lines, from
inline freshness rows judged by the domain rule."""

from __future__ import annotations

import datetime as dt

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from components.freshness import card_freshness, freshness_rows, freshness_table, late_note
from data_access.queries import FRESHNESS_INPUT_COLUMNS
from domain.freshness import judge_indicators
from tests.callbacks.test_pages import text_of

D = dt.date
AS_AT = D(2026, 11, 21)
IMPORTED = pd.Timestamp("2026-07-01T11:00Z")  # midday in London (BST)


def indicators() -> pd.DataFrame:
    """Four indicators as freshness_view holds them: late, on time, no data yet, and late under a
    priority that is no longer in force."""
    # fmt: off
    inputs = pd.DataFrame(
        [
            ("violence", 1, "Violence", True, "knife", "Knife crime", "quarter", D(2026, 1, 1), D(2025, 10, 1), IMPORTED),
            ("violence", 1, "Violence", True, "ae", "A&E assaults", "month", D(2026, 9, 1), D(2026, 8, 1), IMPORTED),
            ("violence", 1, "Violence", True, "new", "Not reported yet", "year", None, None, pd.NaT),
            ("ict", 2, "ICT", False, "online", "Online harm", "month", D(2019, 5, 1), None, pd.NaT),
        ],
        columns=FRESHNESS_INPUT_COLUMNS,
    )
    # fmt: on
    inputs["last_imported_at"] = pd.to_datetime(inputs["last_imported_at"], utc=True)
    return judge_indicators(inputs, AS_AT)


def test_grid_rows_say_everything_in_words_and_sort_by_iso_text():
    rows = {row["indicator_code"]: row for row in freshness_rows(indicators())}
    assert rows["knife"] == {
        "indicator_code": "knife",
        "priority": "1. Violence",
        "indicator": "Knife crime",
        "frequency": "Quarterly",
        "latest_end": "2026-03-31",
        "latest_text": "Q4 2025/26, ended 7 months ago",
        "last_imported": "2026-07-01T12:00:00+01:00",
        "last_imported_text": "1 Jul 2026, 12:00",
        "status": "Late",
        "late": True,
        "expected_start": "2026-04-01",
        "expected_label": "Q1 2026/27",
        "due_by": "2026-08-29",
        "days_late": 84,
    }
    assert (rows["ae"]["status"], rows["ae"]["days_late"], rows["ae"]["latest_text"]) == (
        "On time",
        0,
        "Sep 2026, ended 7 weeks ago",
    )
    assert (rows["ae"]["expected_label"], rows["ae"]["due_by"]) == ("Oct 2026", "2026-12-15")
    new = rows["new"]
    assert (new["status"], new["latest_text"], new["latest_end"], new["last_imported_text"]) == (
        "No data yet",
        "None yet",
        "",
        "Before the import log began",
    )
    # Nobody chases data for a priority no longer in force: not late, nothing expected.
    online = rows["online"]
    assert (online["priority"], online["status"], online["late"], online["days_late"], online["due_by"]) == (
        "2. ICT (priority not in force)",
        "Priority not in force",
        False,
        0,
        "",
    )


def test_rows_put_the_late_ones_first_and_priorities_not_in_force_last():
    reversed_rows = freshness_rows(indicators().iloc[::-1])
    assert [row["indicator_code"] for row in reversed_rows] == ["knife", "new", "ae", "online"]


def test_the_table_counts_the_late_ones_and_sorts_them_first():
    table = freshness_table(indicators(), grid_id="data-freshness")
    grid = table.children[1]
    assert isinstance(grid, dag.AgGrid) and grid.id == "data-freshness"
    assert grid.rowData == freshness_rows(indicators())
    columns = {column["field"]: column for column in grid.columnDefs}
    assert columns["days_late"]["sort"] == "desc"
    assert columns["latest_end"]["valueFormatter"] == {"function": "params.data.latest_text"}
    assert text_of(table.children[0]).startswith("1 of 3 indicators is late.")


def test_the_overview_note_lists_each_late_indicator_with_its_missing_period_and_links_to_it():
    note = late_note(indicators(), lambda path: f"{path}?as_at=2026-11-21")
    assert isinstance(note, html.Details)
    assert text_of(note.children[0]) == "1 of 3 indicators is late."
    (item,) = note.children[1].children
    link = item.children[0]
    assert isinstance(link, dcc.Link) and link.href == "/priority/violence?as_at=2026-11-21#indicator-knife"
    assert text_of(item) == (
        "Knife crime  (Violence): no value yet for Q1 2026/27, due by 29 Aug 2026 (84 days late)."
    )


def test_no_note_when_nothing_in_force_is_late():
    on_time = indicators()
    on_time = on_time[on_time["indicator_code"] != "knife"]
    assert late_note(on_time, lambda path: path) is None


def test_an_indicator_card_says_how_old_its_latest_data_is_and_when_it_is_late():
    rows = indicators().set_index("indicator_code", drop=False)
    assert text_of(card_freshness(rows.loc["ae"].to_dict())) == "Latest data: Sep 2026, ended 7 weeks ago."
    late = card_freshness(rows.loc["knife"].to_dict())
    assert [text_of(line) for line in late] == [
        "Latest data: Q4 2025/26, ended 7 months ago.",
        "Late:  no value yet for Q1 2026/27, due by 29 Aug 2026 (84 days late).",
    ]
    assert "freshness-late" in late[1].className
    assert card_freshness(rows.loc["new"].to_dict()) == []
    assert (
        text_of(card_freshness(rows.loc["online"].to_dict())) == "Latest data: May 2019, ended 7 years ago."
    )
