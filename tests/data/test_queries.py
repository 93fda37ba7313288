"""Page queries and progress figures against a real database, on the small hand-made partnership."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import progress, queries, series, views
from data_access.db import session_scope
from data_access.importer import import_frames
from data_access.queries import WHOLE_PARTNERSHIP
from tests import figures
from tests.workbooks import district_stopped_reporting, frame, small_partnership, tracked_by_actions_only

D = dt.date


@pytest.fixture(scope="module")
def loaded(module_databases):
    engine = module_databases()
    import_frames(engine, small_partnership())
    return engine


@pytest.fixture
def session(loaded):
    with session_scope(loaded) as session:
        yield session


def test_priorities_in_force_follow_their_dates(session):
    assert queries.priorities_in_force(session, D(2020, 3, 31))["code"].tolist() == ["violence", "ict"]
    assert queries.priorities_in_force(session, D(2020, 4, 1))["code"].tolist() == ["violence"]
    assert queries.priorities_in_force(session, D(2019, 3, 31)).empty


def test_find_priority_returns_any_priority_or_none(session):
    assert queries.find_priority(session, "ict")["valid_to"] == D(2020, 3, 31)
    assert queries.find_priority(session, "no-such-priority") is None


def test_indicator_values_only_include_periods_ended_by_the_date(session):
    # Q2 2024/25 (July to September) has not ended on 30 September... it ends that day.
    for as_at, starts in (
        (D(2024, 9, 29), [D(2024, 4, 1)]),
        (D(2024, 9, 30), [D(2024, 4, 1), D(2024, 7, 1)]),
    ):
        values = series.series_values(session, as_at, ["knife"], ["D1", "D2", "D3"])
        assert sorted(set(values["period_start"])) == starts
        assert set(values["district_code"]) == {WHOLE_PARTNERSHIP, "D1", "D2", "D3"}


def test_trends_come_by_indicator_and_district_in_the_order_given_then_by_period(session):
    indicators = queries.indicators_for(session, ["violence", "ict"], include_restricted=True)
    order = ["admissions", "referrals", "knife"]
    assert indicators["code"].tolist() != order  # the order given is not the order read
    given = indicators.set_index("code").loc[order].reset_index()
    names = {"D1": "Northtown", "D2": "Southvale"}
    trends = progress.indicator_trends(session, given, D(2024, 12, 1), ["D2", "D1"], names)
    april, july = D(2024, 4, 1), D(2024, 7, 1)
    assert list(
        zip(trends["indicator_code"], trends["series_name"], trends["period_start"], strict=True)
    ) == [
        ("admissions", "Whole partnership", D(2023, 4, 1)),
        ("admissions", "Northtown", D(2023, 4, 1)),
        ("referrals", "Whole partnership", D(2019, 5, 1)),
        ("knife", "Whole partnership", april),
        ("knife", "Whole partnership", july),
        ("knife", "Southvale", april),
        ("knife", "Southvale", july),
        ("knife", "Northtown", april),
        ("knife", "Northtown", july),
    ]
    assert trends["value"].tolist()[-4:] == [40.0, 45.0, 30.0, 35.0]
    assert trends["period_label"].tolist()[:3] == ["2023/24", "2023/24", "May 2019"]
    # A trend of one row is a frame of one row.
    only = progress.indicator_trends(session, given.iloc[1:2], D(2024, 12, 1), [], names)
    assert only[["indicator_code", "series_code", "value", "method"]].values.tolist() == [
        ["referrals", WHOLE_PARTNERSHIP, 1234.0, "supplied"]
    ]


def test_whole_partnership_count_is_summed_only_when_every_district_reported(session):
    trend = figures.trend(session, D(2024, 12, 1), "violence", "knife", ["D1"])

    whole = trend[trend["series_code"] == WHOLE_PARTNERSHIP]
    assert whole["period_label"].tolist() == ["Q1 2024/25", "Q2 2024/25"]
    assert whole["value"].tolist()[0] == 90.0
    assert whole["method"].tolist() == ["sum", "incomplete"]
    assert "2 of 3 districts" in whole["note"].tolist()[1]
    district = trend[trend["series_code"] == "D1"]
    assert (district["series_name"].unique().tolist(), district["value"].tolist()) == (
        ["Northtown"],
        [30.0, 35.0],
    )


def test_supplied_whole_partnership_value_wins(session):
    statuses = figures.indicator_statuses(session, D(2024, 12, 1), "violence").set_index("indicator_code")
    assert statuses.loc["admissions", "latest_method"] == "supplied"
    assert statuses.loc["admissions", "latest_value"] == 40.0


def test_indicator_statuses_per_district_explain_missing_data(session):
    statuses = figures.indicator_statuses(session, D(2024, 12, 1), "violence", ["D3"]).set_index(
        "indicator_code"
    )
    assert statuses.loc["knife", "rating"] == "green"
    assert statuses.loc["knife", "latest_period_label"] == "Q1 2024/25"
    assert statuses.loc["admissions", "rating"] == "no_data"
    assert statuses.loc["admissions", "reason"] == "Not enough data: no values have been reported yet."


def test_action_status_as_at_a_date_comes_from_updates_on_or_before_it(session):
    def status_of(ref, day):
        actions = queries.actions_as_at(session, day, open_only=False).set_index("ref")
        return actions.loc[ref, "status"], actions.loc[ref, "last_update_date"]

    assert status_of("SV-01", D(2024, 2, 1)) == ("not_started", None)
    assert status_of("SV-01", D(2024, 3, 1)) == ("on_track", D(2024, 3, 1))
    assert status_of("SV-01", D(2024, 10, 1)) == ("at_risk", D(2024, 9, 1))
    assert status_of("SV-02", D(2025, 5, 2)) == ("complete", D(2025, 5, 1))
    # Not yet opened on this date.
    assert "SV-02" not in queries.actions_as_at(session, D(2024, 1, 31), open_only=False)["ref"].tolist()


def test_open_action_filters(session):
    day = D(2025, 1, 5)
    assert queries.actions_as_at(session, day)["ref"].tolist() == ["SV-01", "SV-02"]
    assert queries.actions_as_at(session, day, overdue_only=True)["ref"].tolist() == ["SV-01"]
    assert queries.actions_as_at(session, day, partner_codes=["CC"])["ref"].tolist() == ["SV-02"]
    assert queries.actions_as_at(session, day, districts=["D2"])["ref"].tolist() == ["SV-01"]
    assert queries.actions_as_at(session, day, districts=["D1"], include_partnership_wide=False)[
        "ref"
    ].tolist() == ["SV-02"]
    assert queries.actions_as_at(session, day, statuses=["at_risk"])["ref"].tolist() == ["SV-01"]
    assert queries.actions_as_at(session, D(2025, 6, 1))["ref"].tolist() == [
        "SV-01"
    ]  # SV-02 complete by then


def test_action_history_is_newest_first_and_as_at(session):
    history = queries.action_history(session, "SV-01", D(2024, 10, 1))
    assert history["status"].tolist() == ["at_risk", "on_track"]
    assert queries.action_history(session, "SV-01", D(2024, 2, 1)).empty


def test_priority_status_uses_the_board_assessment_when_there_is_one(session):
    before = figures.priority_statuses(session, D(2024, 9, 11)).set_index("code")
    assert before.loc["violence", "rating_source"] == "rollup"
    after = figures.priority_statuses(session, D(2024, 9, 12)).set_index("code")
    assert (after.loc["violence", "rating"], after.loc["violence", "rating_source"]) == ("amber", "board")
    assert after.loc["violence", "reason"] == "Set by the board on 12 Sep 2024."
    assert after.loc["violence", "commentary"] == "Good partnership work."


def test_priority_status_with_a_district_filter_rolls_up_that_district(session):
    statuses = figures.priority_statuses(session, D(2025, 1, 5), ["D2"]).set_index("code")
    row = statuses.loc["violence"]
    assert (row["rating_source"], row["board_rating"]) == ("rollup", "amber")
    # D2: knife green (Q2 45 < 100), admissions no data, SV-01 overdue (partnership-wide).
    assert (row["rating"], row["open_actions"], row["overdue_actions"]) == ("red", 1, 1)
    assert row["reason"] == (
        "Roll-up of 1 indicator and 1 open action: 1 green, 0 amber, 1 red (1 action overdue); 1 indicator lacks data."
    )


def test_district_matrix_marks_districts_without_data(session):
    matrix = figures.district_matrix(session, D(2025, 1, 5)).set_index("district_code")
    assert matrix.loc["D1", "rating"] == "green"  # knife green, SV-02 on its way
    assert bool(matrix.loc["D1", "has_data"])
    before_data = figures.district_matrix(session, D(2024, 1, 20))
    assert not before_data["has_data"].any()
    assert set(before_data["rating"]) == {"no_data"}


def test_latest_assessments_and_meetings(session):
    assert queries.latest_assessments(session, D(2024, 9, 1), ["violence"]).empty
    assert views.overview_view(session, D(2024, 9, 12), None).previous_meeting == D(2024, 6, 13)
    assert queries.list_meetings(session)["date"].tolist() == [D(2024, 9, 12), D(2024, 6, 13)]


def test_blanks_stay_none_in_the_status_frames(engine):
    import_frames(engine, tracked_by_actions_only())
    with session_scope(engine) as session:
        priorities = figures.priority_statuses(session, D(2024, 12, 1)).set_index("code")
        indicators = figures.indicator_statuses(session, D(2024, 12, 1), "violence").set_index(
            "indicator_code"
        )
    assert priorities.loc["new", "headline_indicator_code"] is None
    assert priorities.loc["violence", "headline_indicator_code"] == "knife"
    assert priorities.loc["new", "commentary"] is None
    assert indicators.loc["admissions", "source"] is None
    assert (priorities.loc["new", "open_actions"], priorities.loc["violence", "open_actions"]) == (1, 2)


def test_latest_whole_partnership_value_older_than_the_latest_quarter_is_found_and_rated(engine):
    import_frames(engine, district_stopped_reporting())
    with session_scope(engine) as session:
        statuses = figures.indicator_statuses(session, D(2026, 1, 1), "asb").set_index("indicator_code")
    calls, visits = statuses.loc["calls"], statuses.loc["visits"]
    # Q2 2025/26 is incomplete; Q1 2025/26 (40) is compared with Q1 2024/25 (30), outside the last year.
    assert (calls["latest_period_label"], calls["latest_value"], calls["rating"]) == (
        "Q1 2025/26",
        40.0,
        "red",
    )
    assert (
        calls["reason"]
        == "Q1 2025/26 value of 40 is up 33.3% on Q1 2024/25 (30), a deterioration beyond the 5% tolerance."
    )
    # Five incomplete quarters: the latest whole-partnership value is 15 months before the latest quarter.
    assert (visits["latest_period_label"], visits["latest_value"], visits["rating"]) == (
        "Q1 2024/25",
        60.0,
        "red",
    )


def test_a_value_older_than_the_year_before_the_latest_is_not_forgotten(engine):
    frames = {
        "priorities": frame("priorities", [{"code": "asb", "number": 1, "title": "Anti-social behaviour"}]),
        "indicators": frame(
            "indicators",
            [
                {
                    "code": "survey",
                    "priority": "asb",
                    "name": "Feel safe",
                    "unit": "percent",
                    "good_direction": "up",
                    "frequency": "year",
                }
            ],
        ),
        "indicator_values": frame(
            "indicator_values",
            [
                {"indicator": "survey", "period": D(2022, 4, 1), "value": 71.0},
                {"indicator": "survey", "period": D(2024, 4, 1), "value": 74.0},
            ],
        ),
    }
    import_frames(engine, frames)
    with session_scope(engine) as session:
        status = figures.indicator_statuses(session, D(2026, 1, 1), "asb").iloc[0]
    assert (status["rating"], status["reason"]) == (
        "no_data",
        "Not enough data: no value for 2023/24 to compare 2024/25 with.",
    )
