"""The presentation's view against a real database: which charts each slide draws, and which actions are
overdue or due soon, on the small hand-made partnership."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from data_access import queries, views
from data_access.bootstrap import load_large_demo
from data_access.db import session_scope
from data_access.demo import large
from data_access.importer import import_frames
from data_access.models import Action
from domain.actions import is_due_soon
from domain.rag import is_overdue
from tests.workbooks import D, small_partnership, with_rows

DECEMBER = D(2024, 12, 1)


def presentation(engine, as_at, districts=None) -> views.PresentationView:
    with session_scope(engine) as session:
        return views.presentation_view(session, as_at, districts)


@pytest.fixture(scope="module")
def loaded(module_databases):
    engine = module_databases()
    import_frames(engine, small_partnership())
    return engine


def test_a_slide_draws_the_headline_indicator_first_then_the_others_in_order(loaded):
    view = presentation(loaded, DECEMBER)
    # Indicators are in code order (admissions, knife); knife crime is the only one rated, so it heads.
    assert view.statuses.priorities.loc[0, "headline_indicator_code"] == "knife"
    assert view.charts.values.tolist() == [["violence", "knife"], ["violence", "admissions"]]
    assert set(view.trends["indicator_code"]) == {"knife", "admissions"}
    assert view.trends.loc[view.trends["indicator_code"] == "knife", "value"].dropna().tolist() == [90.0]


def test_at_most_three_charts_a_slide():
    priorities = pd.DataFrame({"code": ["a", "b", "c"], "headline_indicator_code": ["a3", None, None]})
    indicators = pd.DataFrame(
        {"code": ["a1", "a2", "a3", "a4", "b1"], "priority_code": ["a", "a", "a", "a", "b"]}
    )
    charts = views.slide_charts(priorities, indicators)
    assert charts.values.tolist() == [["a", "a3"], ["a", "a1"], ["a", "a2"], ["b", "b1"]]


def test_without_a_later_meeting_due_soon_is_28_days(loaded):
    view = presentation(loaded, DECEMBER)
    assert view.next_meeting is None and view.due_soon_until == D(2024, 12, 29)
    assert view.actions.empty  # SV-01 is due on 31 Dec 2024: beyond the window
    assert view.meeting_name is None


def test_due_soon_runs_to_the_next_meeting(engine):
    import_frames(
        engine,
        with_rows(small_partnership(), "meetings", [{"date": D(2025, 1, 9), "name": "Strategy Group"}]),
    )
    view = presentation(engine, DECEMBER)
    assert view.next_meeting == D(2025, 1, 9) and view.due_soon_until == D(2025, 1, 9)
    assert view.actions[["ref", "overdue", "due_soon"]].values.tolist() == [["SV-01", False, True]]
    assert presentation(engine, D(2024, 9, 12)).meeting_name == "Strategy Group"


def test_overdue_actions_and_districts(loaded):
    late = presentation(loaded, D(2025, 1, 15))
    assert late.actions[["ref", "owner_name", "overdue", "due_soon"]].values.tolist() == [
        ["SV-01", "Shire Constabulary", True, False]
    ]
    # SV-01 is partnership-wide, so a district's presentation lists it too; its charts draw the
    # district's own series, or the whole partnership's where the district reported nothing.
    district = presentation(loaded, D(2025, 1, 15), ["D1"])
    assert district.actions["ref"].tolist() == ["SV-01"]
    series = district.trends.groupby("indicator_code")["series_code"].agg(set).to_dict()
    assert series == {"knife": {"D1"}, "admissions": {"D1"}}
    eastmoor = presentation(loaded, D(2025, 1, 15), ["D3"])  # knife crime only in Q1 2024/25
    series = eastmoor.trends.groupby("indicator_code")["series_code"].agg(set).to_dict()
    assert series == {"knife": {"D3"}, "admissions": {""}}


def test_the_actions_asked_of_sql_are_exactly_the_overdue_and_due_soon_ones(engine):
    """presentation_view asks SQL only for actions due by the end of "due soon" (queries.actions_as_at's
    due_by); on a generated partnership they are exactly the open actions the rules call overdue or due
    soon, at dates before, among and after their due dates."""
    load_large_demo(engine, large.Size(districts=4, indicators=6, first_year=2023, actions=300))
    with session_scope(engine) as session:
        due_dates = sorted(set(session.scalars(select(Action.due_date))))
        for as_at in [due_dates[0], due_dates[len(due_dates) // 2], due_dates[-1], D(2030, 1, 1)]:
            view = views.presentation_view(session, as_at, None)
            every_open = queries.actions_as_at(
                session, as_at, priority_codes=view.statuses.priorities["code"]
            )
            expected = [
                ref
                for ref, status, due in every_open[["ref", "status", "due_date"]].itertuples(index=False)
                if is_overdue(status, due, as_at) or is_due_soon(status, due, as_at, view.due_soon_until)
            ]
            assert view.actions["ref"].tolist() == expected, as_at
            assert expected or as_at == D(2030, 1, 1)  # the dates chosen have some


def test_open_actions_due_by_are_actions_as_at_with_only_what_a_slide_says(engine):
    """queries.open_actions_due_by leaves out the commentary and description a slide never shows, and
    actions closed by their latest update without working out their status: the same actions, in the
    same order and with the same status, as actions_as_at asked for open actions due by the date."""
    load_large_demo(engine, large.Size(districts=4, indicators=6, first_year=2023, actions=300))
    with session_scope(engine) as session:
        codes = queries.all_priorities(session)["code"].tolist()
        districts = queries.district_names(session)
        due_dates = sorted(set(session.scalars(select(Action.due_date))))
        for as_at in [D(2022, 1, 1), due_dates[0], due_dates[len(due_dates) // 2], due_dates[-1]]:
            for chosen in (None, list(districts)[:1]):
                until = as_at + (due_dates[-1] - due_dates[0]) / 4
                every = queries.actions_as_at(
                    session,
                    as_at,
                    priority_codes=codes,
                    districts=chosen,
                    due_by=until,
                    include_restricted=True,
                )
                listed = queries.open_actions_due_by(
                    session, as_at, until, priority_codes=codes, districts=chosen, include_restricted=True
                )
                pd.testing.assert_frame_equal(
                    listed, every[queries.DEADLINE_COLUMNS], obj=f"{as_at} {chosen}"
                )
                assert len(listed) or as_at == D(2022, 1, 1)
