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


def test_an_indicator_whose_values_all_came_before_the_span_says_so_not_that_it_has_none(pages, tmp_path):
    # Online harm referrals: one value, May 2019; the priority was retired in March 2020.
    with serving(tracked_by_actions_only(), tmp_path / "p.db"):
        recent = text_of(pages["priority"].layout(code="ict", as_at="2024-12-01"))
        every = text_of(pages["priority"].layout(code="ict", as_at="2024-12-01", years="all"))
        before = text_of(pages["priority"].layout(code="ict", as_at="2019-12-01"))
        unreported = text_of(pages["priority"].layout(code="ict", as_at="2019-04-01"))
    assert (
        "Online harm referrals: no values in the last 5 years; “All years” shows the earlier ones." in recent
    )
    assert "No values reported by this date" not in recent
    assert "Online harm referrals, whole partnership: 1,234 in May 2019, the only value reported." in every
    assert "1,234 in May 2019, the only value reported." in before  # within five years of its date
    # Before the value was reported there is nothing, in any span.
    assert "Online harm referrals: no values reported by this date." in unreported
    assert "shows the earlier ones" not in unreported
