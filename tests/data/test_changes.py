"""What changed between two meetings (views.changes_view), on a partnership built so that each kind of
change happens exactly once, beside things that must not be listed (tests.workbooks)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import queries, views
from data_access.db import session_scope
from data_access.importer import import_frames
from data_access.queries import WHOLE_PARTNERSHIP
from domain.changes import ChangePeriodError
from tests import figures
from tests.workbooks import SPRING_MEETING, SUMMER_MEETING, changes_between_meetings, frame, with_rows

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


def test_the_default_pair_is_the_last_two_meetings_on_or_before_the_date(session):
    assert views.default_changes_dates(session, D(2025, 8, 1)) == (SPRING_MEETING, SUMMER_MEETING)
    assert views.default_changes_dates(session, SUMMER_MEETING) == (SPRING_MEETING, SUMMER_MEETING)
    assert views.default_changes_dates(session, D(2025, 6, 11)) == (D(2024, 12, 5), SPRING_MEETING)
    assert views.default_changes_dates(session, D(2025, 1, 1)) is None


def test_meetings_are_named_and_other_dates_are_not(session):
    view = views.changes_view(session, SPRING_MEETING, SUMMER_MEETING, None)
    assert (view.since, view.until) == (SPRING_MEETING, SUMMER_MEETING)
    assert (view.since_meeting_name, view.until_meeting_name) == ("Spring board", "Summer board")
    other = views.changes_view(session, D(2025, 3, 1), D(2025, 6, 30), None)
    assert (other.since_meeting_name, other.until_meeting_name) == (None, None)


def test_each_change_between_the_meetings_is_listed_once_for_the_whole_partnership(session):
    view = views.changes_view(session, SPRING_MEETING, SUMMER_MEETING, None)

    assert view.priority_changes.to_dict("records") == [
        {
            "code": "violence",
            "number": 1,
            "title": "Reduce serious violence",
            "short_title": "Violence",
            "rag_before": "amber",
            "reason_before": "Set by the board on 1 Dec 2024.",
            "rag_after": "red",
            "reason_after": "Set by the board on 20 May 2025.",
        }
    ]

    indicator = view.indicator_changes.to_dict("records")
    assert indicator == [
        {
            "priority_code": "violence",
            "priority_number": 1,
            "priority_short_title": "Violence",
            "indicator_code": "knife",
            "indicator_name": "Knife crime offences",
            "series_code": WHOLE_PARTNERSHIP,
            "series_name": "Whole partnership",
            "rag_before": "green",
            "reason_before": "Q3 2024/25 value of 90 is below the target of 100 (better than the target).",
            "rag_after": "red",
            "reason_after": "Q4 2024/25 value of 130 is above the target of 100 "
            "(worse by 30.0%, beyond the 10% tolerance).",
        }
    ]

    completed = view.actions_completed
    assert completed["ref"].tolist() == ["VL-DONE"]
    assert completed.iloc[0][["status_before", "status", "completed_on", "owner", "district"]].tolist() == [
        "on_track",
        "complete",
        D(2025, 4, 10),
        "Vale County Council",
        "Northtown",
    ]

    overdue = view.actions_became_overdue
    assert overdue["ref"].tolist() == ["VL-LATE"]
    assert overdue.iloc[0][["status", "due_date", "district", "priority_title"]].tolist() == [
        "on_track",
        D(2025, 5, 31),
        "Whole partnership",
        "Reduce serious violence",
    ]

    new = view.new_actions
    assert new["ref"].tolist() == ["VL-NEW"]
    assert new.iloc[0][["opened_on", "owner", "district", "due_date"]].tolist() == [
        D(2025, 4, 20),
        "Vale County Council",
        "Southvale",
        D(2025, 12, 31),
    ]

    assert view.new_data[
        ["indicator_code", "series_name", "period_start", "period_label", "value", "number"]
    ].to_dict("records") == [
        {
            "indicator_code": "knife",
            "series_name": "Whole partnership",
            "period_start": D(2025, 1, 1),
            "period_label": "Q4 2024/25",
            "value": "130",
            "number": 130.0,
        }
    ]

    assert view.new_commentary.to_dict("records") == [
        {
            "priority_code": "violence",
            "priority_number": 1,
            "priority_title": "Reduce serious violence",
            "date": D(2025, 5, 20),
            "rag": "red",
            "commentary": "Knife crime is up.",
        }
    ]


def test_priority_ratings_are_the_overviews(session):
    view = views.changes_view(session, SPRING_MEETING, SUMMER_MEETING, ["D1"])
    before = figures.priority_statuses(session, SPRING_MEETING, ["D1"]).set_index("code").loc["violence"]
    after = figures.priority_statuses(session, SUMMER_MEETING, ["D1"]).set_index("code").loc["violence"]
    change = view.priority_changes.set_index("code").loc["violence"]
    assert (change["rag_before"], change["reason_before"]) == (before["rating"], before["reason"])
    assert (change["rag_after"], change["reason_after"]) == (after["rating"], after["reason"])


def test_districts_filter_lists_the_chosen_districts_own_changes(session):
    view = views.changes_view(session, SPRING_MEETING, SUMMER_MEETING, ["D1"])
    assert view.districts == ("D1",)

    # Northtown's roll-up: knife green and 3 of 4 actions green (one overdue) -> amber; then knife amber
    # and two overdue actions -> red.
    assert view.priority_changes[["code", "rag_before", "rag_after"]].values.tolist() == [
        ["violence", "amber", "red"]
    ]
    assert view.indicator_changes[
        ["indicator_code", "series_code", "series_name", "rag_before", "rag_after"]
    ].values.tolist() == [["knife", "D1", "Northtown", "green", "amber"]]
    assert view.new_data[["series_code", "period_label", "value"]].values.tolist() == [
        ["D1", "Q4 2024/25", "105"]
    ]
    # Northtown's and partnership-wide actions; Southvale's new action is not in view.
    assert view.actions_completed["ref"].tolist() == ["VL-DONE"]
    assert view.actions_became_overdue["ref"].tolist() == ["VL-LATE"]
    assert view.new_actions.empty
    # The board's commentary is for the whole partnership, whatever the districts.
    assert view.new_commentary["date"].tolist() == [D(2025, 5, 20)]

    southvale = views.changes_view(session, SPRING_MEETING, SUMMER_MEETING, ["D2"])
    assert southvale.new_actions["ref"].tolist() == ["VL-NEW"]
    assert southvale.actions_completed.empty
    assert southvale.indicator_changes.empty  # Southvale's knife crime stayed green (50, then 25)


def test_a_period_ending_on_the_first_date_is_not_new_and_one_ending_on_the_second_is(session):
    # Q4 2024/25 ends on 31 Mar 2025.
    assert views.changes_view(session, D(2025, 3, 31), D(2025, 6, 30), None).new_data[
        "period_label"
    ].tolist() == ["Q1 2025/26"]
    assert views.changes_view(session, D(2025, 3, 30), D(2025, 3, 31), None).new_data[
        "period_label"
    ].tolist() == ["Q4 2024/25"]


def test_the_same_date_twice_shows_no_change(session):
    view = views.changes_view(session, SUMMER_MEETING, SUMMER_MEETING, None)
    for name in (
        "priority_changes",
        "indicator_changes",
        "actions_completed",
        "actions_became_overdue",
        "new_actions",
        "new_data",
        "new_commentary",
    ):
        assert getattr(view, name).empty, name


def test_each_way_an_action_can_change_without_a_status_on_the_first_date_is_found(engine):
    """The actions are narrowed to candidates before any status is worked out (queries.action_changes):
    one reopened after its due date, one that falls due with no update at all, and one with no opening
    date whose first update comes between the meetings are each still found."""

    def action(ref: str, due: dt.date, opened: dt.date | None = None) -> dict:
        return {"ref": ref, "priority": "violence", "title": ref, "owner": "POL", "due_date": due,
                "opened_on": opened, "status": "on_track"}  # fmt: skip

    def update(ref: str, day: dt.date, status: str) -> dict:
        return {"ref": ref, "date": day, "status": status, "commentary": None}

    frames = with_rows(
        changes_between_meetings(),
        "actions",
        [
            action("VL-REOPENED", D(2025, 1, 31), D(2024, 11, 1)),
            action("VL-NO-UPDATES", D(2025, 4, 30), D(2024, 11, 1)),
            action("VL-UNDATED", D(2025, 12, 31)),
            action("VL-UNDATED-LATER", D(2026, 3, 31)),  # first update after the summer meeting
        ],
    )
    frames = with_rows(
        frames,
        "action_updates",
        [
            update("VL-REOPENED", D(2025, 1, 20), "complete"),
            update("VL-REOPENED", D(2025, 5, 1), "at_risk"),
            update("VL-UNDATED", D(2025, 4, 2), "on_track"),
            update("VL-UNDATED-LATER", D(2025, 7, 15), "on_track"),
        ],
    )
    import_frames(engine, frames)
    with session_scope(engine) as session:
        view = views.changes_view(session, SPRING_MEETING, SUMMER_MEETING, None)
        candidates = queries.action_changes(session, SPRING_MEETING, SUMMER_MEETING)

    # The query keeps its promise of every action opened after the first date, by its first update
    # when it has no opening date, even one the second date comes before (domain.changes leaves it out).
    assert "VL-UNDATED-LATER" in candidates["ref"].tolist()
    assert view.actions_completed["ref"].tolist() == ["VL-DONE"]
    assert view.actions_became_overdue["ref"].tolist() == ["VL-REOPENED", "VL-NO-UPDATES", "VL-LATE"]
    assert view.new_actions[["ref", "opened_on"]].to_dict("records") == [
        {"ref": "VL-NEW", "opened_on": D(2025, 4, 20)},
        {"ref": "VL-UNDATED", "opened_on": D(2025, 4, 2)},
    ]


def test_a_first_date_after_the_second_is_refused_with_both_dates(session):
    with pytest.raises(ChangePeriodError) as refused:
        views.changes_view(session, SUMMER_MEETING, SPRING_MEETING, None)
    assert str(refused.value) == (
        "The first date (12 Jun 2025) is after the second (13 Mar 2025): choose an earlier date to compare from."
    )


def test_priorities_that_came_into_force_or_ended_show_the_missing_side_as_none(engine):
    frames = with_rows(
        changes_between_meetings(),
        "priorities",
        [
            {"code": "online", "number": 3, "title": "Online harm", "valid_to": D(2025, 3, 31)},
            {"code": "cohesion", "number": 4, "title": "Cydlyniant cymunedol", "valid_from": D(2025, 4, 1)},
        ],
    )
    import_frames(engine, frames)
    with session_scope(engine) as session:
        changes = views.changes_view(session, SPRING_MEETING, SUMMER_MEETING, None).priority_changes
    rows = changes.set_index("code")[["rag_before", "rag_after", "reason_before", "reason_after"]]
    assert changes["code"].tolist() == ["violence", "online", "cohesion"]
    assert rows.loc["online", "rag_before"] == "no_data" and rows.loc["online", "rag_after"] is None
    assert rows.loc["online", "reason_after"] is None
    assert rows.loc["cohesion", "rag_before"] is None and rows.loc["cohesion", "reason_before"] is None
    assert rows.loc["cohesion", "rag_after"] == "no_data"


def test_without_meetings_any_two_dates_can_be_compared(engine):
    frames = {sheet: rows for sheet, rows in changes_between_meetings().items() if sheet != "meetings"}
    import_frames(engine, frames)
    with session_scope(engine) as session:
        assert views.default_changes_dates(session, D(2025, 8, 1)) is None
        view = views.changes_view(session, D(2025, 3, 1), D(2025, 6, 1), None)
    assert (view.since_meeting_name, view.until_meeting_name) == (None, None)
    assert view.actions_completed["ref"].tolist() == ["VL-DONE"]
    assert view.new_commentary["commentary"].tolist() == ["Knife crime is up."]


def test_an_empty_partnership_has_nothing_to_list(engine):
    import_frames(engine, {"districts": frame("districts", [{"code": "D1", "name": "Northtown"}])})
    with session_scope(engine) as session:
        view = views.changes_view(session, D(2025, 3, 1), D(2025, 6, 1), ["D1"])
    assert view.priority_changes.empty and view.new_data.empty and view.new_actions.empty
    assert "rag_after" in view.priority_changes.columns
    assert "period_label" in view.new_data.columns
