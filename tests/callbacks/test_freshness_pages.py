"""Data freshness on the pages, called as plain functions on the demo partnership: the overview's note
of late indicators and each indicator card's age and lateness."""

from __future__ import annotations

import pytest

from tests.callbacks.test_pages import MEETING, text_of

# The demo's latest monthly values are for October 2026, so November 2026's were due by 14 Jan 2027.
AFTER_NOVEMBER_WAS_DUE = "2027-01-20"


@pytest.fixture(scope="module")
def pages(dashboard):
    from pages import overview, priority

    return {"overview": overview, "priority": priority}


def test_the_overview_notes_the_late_indicators_of_the_priorities_in_force(pages):
    page = text_of(pages["overview"].layout(as_at=AFTER_NOVEMBER_WAS_DUE))
    assert "5 of 29 indicators are late." in page
    weapons = (
        "Possession of weapons offences  (Serious violence, knife crime): no value yet for Nov 2026, due by "
        "14 Jan 2027 (6 days late)."
    )
    assert weapons in page
    # In priority order, as the cards below: county lines (1) before serious violence (2).
    assert page.index("Drug offences  (County lines") < page.index(weapons)
    # The priorities retired in 2020 have indicators without data since; nobody chases them.
    assert "Online fraud reports" not in page


def test_no_note_while_everything_is_on_time(pages):
    page = text_of(pages["overview"].layout(as_at=MEETING))
    assert "are late" not in page and "is late" not in page


def test_an_indicator_card_says_how_old_its_latest_data_is_and_when_it_is_late(pages):
    page = text_of(pages["priority"].layout(code="serious-violence", as_at=AFTER_NOVEMBER_WAS_DUE))
    assert "Latest data: Q2 2026/27, ended 3 months ago." in page
    assert "Latest data: year ending Jun 2026, ended 6 months ago." in page
    assert "Late:  no value yet for Nov 2026, due by 14 Jan 2027 (6 days late)." in page
    on_time = text_of(pages["priority"].layout(code="serious-violence", as_at="2026-11-21"))
    assert "Latest data: Oct 2026, ended 3 weeks ago." in on_time and "Late:" not in on_time
