"""Pages on small hand-made partnerships unlike the demo: each test pins a bug the generative test found."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.callbacks.test_pages import text_of
from tests.serving import serving
from tests.workbooks import tracked_by_actions_only

D = dt.date


@pytest.fixture(scope="module")
def pages(dashboard):
    from pages import actions, districts, overview, priority

    return {"overview": overview, "priority": priority, "actions": actions, "districts": districts}


def test_overview_shows_a_priority_tracked_only_by_its_actions(pages, tmp_path):
    with serving(tracked_by_actions_only(), tmp_path / "p.db"):
        page = text_of(pages["overview"].layout(as_at="2024-12-01"))
    assert "Cyfiawnder i Ynys Môn" in page
    assert "No headline indicator." in page
    assert "Knife crime offences (whole partnership)" in page  # the other priority keeps its sparkline


def test_priority_page_says_when_an_indicator_has_no_source(pages, tmp_path):
    with serving(tracked_by_actions_only(), tmp_path / "p.db"):
        page = text_of(pages["priority"].layout(code="violence", as_at="2024-12-01"))
    assert "Source: Test data." in page  # knife crime
    assert "Source: not recorded." in page  # admissions: none given
    assert "nan" not in page.lower().split()
