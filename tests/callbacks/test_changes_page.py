"""The /changes page and its date chooser called as plain functions, on the partnership built so that
each kind of change happens once between two meetings (tests.workbooks.changes_between_meetings)."""

from __future__ import annotations

import json

import plotly.io as pio
import pytest
from dash import no_update

from tests.callbacks.test_pages import text_of
from tests.serving import serving
from tests.workbooks import changes_between_meetings

AFTER_SUMMER = "2025-08-01"


def nodes(component) -> list[dict]:
    """Every component in a component tree, as JSON, in document order."""
    found = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and "props" in node:
            found.append(node)
            walk(node["props"].get("children"))

    walk(json.loads(pio.to_json(component, validate=False, engine="json")))
    return found


def props_of(component, prop: str) -> list:
    """Every value of ``prop`` in a component tree, in document order."""
    return [node["props"][prop] for node in nodes(component) if prop in node["props"]]


def section_of(component, anchor: str) -> dict:
    """The part of a component tree with the id ``anchor``, as JSON."""
    (section,) = [node for node in nodes(component) if node["props"].get("id") == anchor]
    return section


@pytest.fixture(scope="module")
def pages(dashboard):
    from pages import changes, overview, priority

    return {"changes": changes, "overview": overview, "priority": priority}


@pytest.fixture
def vale(pages, tmp_path):
    with serving(changes_between_meetings(), tmp_path / "vale.db"):
        yield pages


def test_by_default_the_last_two_meetings_are_compared_and_each_change_listed(vale):
    page = vale["changes"].layout(as_at=AFTER_SUMMER)
    text = text_of(page)
    assert "Changes between the 13 Mar 2025 meeting and the 12 Jun 2025 meeting" in text
    assert "Meetings: Spring board on 13 Mar 2025 and Summer board on 12 Jun 2025." in text
    for listed in (
        "Set by the board on 1 Dec 2024.",  # violence, before
        "Set by the board on 20 May 2025.",  # and after
        "Q4 2024/25 value of 130 is above the target of 100",  # knife crime, now red
        "VL-DONE",
        "10 Apr 2025",  # completed on
        "VL-LATE",
        "VL-NEW",
        "Knife crime is up.",
    ):
        assert listed in text, listed
    for absent in ("VL-EARLY", "VL-STALE", "VL-FUTURE", "Q1 2025/26", "Recovering.", "Steady."):
        assert absent not in text, absent
    assert "1 priority changed RAG" in text and "1 new value" in text
    # The chooser shows the two meetings compared.
    assert props_of(page, "value")[:2] == ["2025-03-13", "2025-06-12"]


def test_rag_is_shown_in_words_and_symbols(vale):
    text = text_of(vale["changes"].layout(as_at=AFTER_SUMMER))
    assert "▲ Amber" in text and "✖ Red" in text and "✔ Green" in text


def test_links_go_to_the_priority_keeping_the_filters(vale):
    page = vale["changes"].layout(
        district="D1", as_at=AFTER_SUMMER, **{"from": "2025-03-13", "to": "2025-06-12"}
    )
    links = props_of(page, "href")
    assert "/priority/violence?district=D1&as_at=2025-08-01" in links
    assert "/priority/violence?district=D1&as_at=2025-08-01#indicator-knife" in links


def test_a_district_shows_its_own_changes_and_says_so(vale):
    text = text_of(vale["changes"].layout(district="D1", as_at=AFTER_SUMMER))
    assert "Northtown" in text
    assert "Knife crime offences" in text and "Q4 2024/25 value of 105" in text
    assert "VL-NEW" not in text  # Southvale's
    assert "No new actions were opened." in text


def test_empty_sections_say_so_rather_than_vanish(vale):
    text = text_of(vale["changes"].layout(**{"from": "2025-06-12", "to": "2025-06-12"}))
    for sentence in (
        "No priorities changed RAG.",
        "No indicators changed RAG.",
        "No actions were completed.",
        "No actions became overdue.",
        "No new actions were opened.",
        "No new values became available.",
        "The board recorded no new assessments.",
    ):
        assert sentence in text, sentence


def test_bad_dates_in_the_link_are_named_and_nothing_crashes(vale):
    text = text_of(vale["changes"].layout(**{"from": "2025-13-45", "to": "yesterday"}))
    assert (
        "'2025-13-45' in the link is not a date (YYYY-MM-DD), so there is no first date to compare." in text
    )
    assert (
        "'yesterday' in the link is not a date (YYYY-MM-DD), so there is no second date to compare." in text
    )
    backwards = text_of(vale["changes"].layout(**{"from": "2025-06-12", "to": "2025-03-13"}))
    assert "The first date (12 Jun 2025) is after the second (13 Mar 2025)" in backwards
    assert "Priorities whose RAG changed" not in backwards


def test_one_date_given_takes_the_other_from_the_meetings_or_the_as_at_date(vale):
    text = text_of(vale["changes"].layout(as_at=AFTER_SUMMER, **{"to": "2025-06-12"}))
    assert "between the 13 Mar 2025 meeting and the 12 Jun 2025 meeting" in text
    text = text_of(vale["changes"].layout(as_at=AFTER_SUMMER, **{"from": "2025-03-13"}))
    assert "between the 13 Mar 2025 meeting and 1 Aug 2025" in text


def test_without_meetings_any_two_dates_can_be_chosen(pages, tmp_path):
    frames = {sheet: rows for sheet, rows in changes_between_meetings().items() if sheet != "meetings"}
    with serving(frames, tmp_path / "none.db"):
        page = pages["changes"].layout(as_at="2025-06-12")
    text = text_of(page)
    assert "Fewer than two meetings are recorded, so any two dates can be compared." in text
    assert "No meeting is recorded before 12 Jun 2025, so this compares the 3 months before it." in text
    assert "Changes between 12 Mar 2025 and 12 Jun 2025" in text
    assert props_of(page, "type").count("date") == 2
    assert "VL-DONE" in text


def test_choosing_dates_writes_them_into_the_link_keeping_the_filters(pages):
    choose = pages["changes"].compare_search
    assert choose("?district=D1&as_at=2025-08-01", "2024-12-05", "2025-06-12") == (
        "?district=D1&as_at=2025-08-01&from=2024-12-05&to=2025-06-12"
    )
    assert (
        choose("?from=2024-12-05&to=2025-06-12", "2025-03-13", "2025-06-12")
        == "?from=2025-03-13&to=2025-06-12"
    )
    assert choose("?from=2025-03-13&to=2025-06-12", "2025-03-13", "2025-06-12") is no_update
    assert choose("", "", "2025-06-12") is no_update  # a date input being cleared


def test_overview_and_priority_pages_link_here_keeping_the_filters(vale):
    expected = "/changes?district=D1&as_at=2025-08-01"
    assert expected in props_of(vale["overview"].layout(district="D1", as_at=AFTER_SUMMER), "href")
    priority = vale["priority"].layout(code="violence", district="D1", as_at=AFTER_SUMMER)
    assert expected in props_of(priority, "href")


def test_a_long_list_is_folded_empty_and_filled_in_when_first_opened(vale, monkeypatch):
    from components import changes as sections
    from tests.callbacks.test_pages import table_rows

    page_module = vale["changes"]
    unfolded = page_module.layout(as_at=AFTER_SUMMER)
    # Every list counts as long: this partnership's have a row each.
    monkeypatch.setattr(sections, "FOLD_AFTER_ROWS", 0)
    page = page_module.layout(as_at=AFTER_SUMMER)
    text = text_of(page)

    # The page sends the counts and the folds' labels, not the rows.
    assert "1 priority changed RAG" in text and "1 new value" in text
    for label in (
        "Show all 1 priority",
        "Show all 1 indicator change",
        "Show all 1 action",
        "Show all 1 new value",
    ):
        assert label in text, label
    assert not table_rows(page) and "VL-DONE" not in text and "Loading the table…" in text
    assert "Knife crime is up." in text  # the board's commentary is never folded

    (scope,) = [data for data in props_of(page, "data") if isinstance(data, dict) and "since" in data]
    assert scope == {"since": "2025-03-13", "until": "2025-06-12", "district": "", "as_at": AFTER_SUMMER}

    def opened(anchor: str, clicks: int = 1):
        toggle = {"type": page_module.Ids.FOLD_TOGGLE, "section": anchor}
        return page_module.show_folded_list(clicks, toggle, scope)

    # Opened, each list is the table the page shows when it is short, its links keeping the filters.
    anchors = ("priority-changes", "indicator-changes", "actions-completed", "actions-overdue", "new-actions")
    for anchor in (*anchors, "new-data"):
        shown_when_short = table_rows(section_of(unfolded, anchor))
        assert shown_when_short and table_rows(opened(anchor)) == shown_when_short, anchor
        assert props_of(opened(anchor), "href") == props_of(section_of(unfolded, anchor), "href"), anchor
    assert table_rows(opened("new-data")) == [
        ["Knife crime offences Priority 1: Violence", "Whole partnership", "Q4 2024/25", "130"]
    ]
    assert "VL-DONE" in text_of(opened("actions-completed"))
    # Folding it again and reopening it sends nothing: the table is already there.
    assert opened("new-data", clicks=2) is no_update and opened("new-data", clicks=3) is no_update
    assert opened("no-such-section") is no_update
