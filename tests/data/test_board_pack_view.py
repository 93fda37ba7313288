"""The board pack's view (views.board_pack_view): what the PDF shows, for the filters, date and role."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import views
from data_access.db import session_scope
from data_access.importer import import_frames
from data_access.queries import WHOLE_PARTNERSHIP
from tests.data.test_restricted import RESTRICTED_ACTION, RESTRICTED_INDICATOR, restricted_partnership
from tests.workbooks import SPRING_MEETING, SUMMER_MEETING, changes_between_meetings

D = dt.date


@pytest.fixture(scope="module")
def loaded(module_databases):
    engine = module_databases()
    import_frames(engine, changes_between_meetings())
    return engine


@pytest.fixture
def session(loaded):
    with session_scope(loaded) as session:
        yield session


def test_on_a_meeting_date_the_pack_names_the_meeting_and_compares_it_with_the_one_before(session):
    pack = views.board_pack_view(session, SUMMER_MEETING, None)
    assert pack.meeting_name == "Summer board"
    assert pack.identity.name == "Vale Community Safety Partnership"
    assert pack.district_names == {}
    assert (pack.changes.since, pack.changes.until) == (SPRING_MEETING, SUMMER_MEETING)
    assert pack.changes.actions_completed["ref"].tolist() == ["VL-DONE"]
    assert pack.statuses.priorities["code"].tolist() == ["violence", "asb"]


def test_between_meetings_there_is_no_meeting_name_and_the_last_two_meetings_are_compared(session):
    pack = views.board_pack_view(session, D(2025, 8, 1), None)
    assert pack.meeting_name is None
    assert (pack.changes.since, pack.changes.until) == (SPRING_MEETING, SUMMER_MEETING)


def test_before_a_second_meeting_there_are_no_changes_to_show(session):
    assert views.board_pack_view(session, D(2025, 1, 1), None).changes is None


def test_open_actions_trends_and_whole_partnership_figures_are_the_dates(session):
    pack = views.board_pack_view(session, SUMMER_MEETING, None)
    # Open on 12 Jun 2025, by due date: VL-STALE and VL-LATE are overdue; VL-DONE and VL-EARLY are
    # complete; VL-FUTURE opens in July.
    assert pack.actions["ref"].tolist() == ["VL-STALE", "VL-LATE", "VL-NEW"]
    assert pack.actions["overdue"].tolist() == [True, True, False]
    knife = pack.trends[pack.trends["indicator_code"] == "knife"]
    assert knife["value"].tolist() == [90, 130]  # Q1 2025/26 ends after the meeting
    assert set(pack.whole_partnership["series_code"]) == {WHOLE_PARTNERSHIP}


def test_districts_keep_their_chosen_order_and_the_whole_partnership_stays_for_context(session):
    pack = views.board_pack_view(session, SUMMER_MEETING, ["D2", "D1"])
    assert pack.district_names == {"D2": "Southvale", "D1": "Northtown"}
    assert set(pack.statuses.indicator_statuses["series_code"]) == {"D1", "D2"}
    whole = pack.whole_partnership.set_index("indicator_code")
    assert whole.loc["knife", "series_code"] == WHOLE_PARTNERSHIP
    assert whole.loc["knife", "latest_value"] == 130


def test_restricted_items_are_left_out_unless_the_role_may_see_them(engine):
    import_frames(engine, restricted_partnership())
    with session_scope(engine) as session:
        public = views.board_pack_view(session, D(2024, 12, 1), None)
        viewer = views.board_pack_view(session, D(2024, 12, 1), None, include_restricted=True)
    assert RESTRICTED_INDICATOR not in set(public.trends["indicator_code"])
    assert RESTRICTED_INDICATOR not in set(public.whole_partnership["indicator_code"])
    assert RESTRICTED_ACTION not in set(public.actions["ref"])
    assert RESTRICTED_INDICATOR in set(viewer.whole_partnership["indicator_code"])
    assert RESTRICTED_ACTION in set(viewer.actions["ref"])
