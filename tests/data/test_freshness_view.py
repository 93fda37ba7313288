"""The freshness view against a real database: each indicator's latest period by the date, the period
before it, its last import and its state, on a small partnership with an indicator of each kind."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import delete, select

from data_access import views
from data_access.db import session_scope
from data_access.importer import import_frames
from data_access.models import ImportedIndicator, ImportRecord, Indicator
from tests.workbooks import D, frame, small_partnership, with_rows

COLUMNS = [
    "indicator_code",
    "priority_in_force",
    "latest_start",
    "previous_start",
    "latest_label",
    "state",
    "expected_label",
    "due_by",
    "days_late",
]


def partnership() -> dict[str, pd.DataFrame]:
    """The small partnership (knife crime quarterly, admissions yearly by financial year, online harm
    referrals monthly under a priority retired in March 2020), plus recorded crime in rolling years
    published quarterly, a restricted monthly indicator and one with no values yet."""
    frames = with_rows(
        small_partnership(),
        "indicators",
        [
            {
                "code": "crime",
                "priority": "violence",
                "name": "Recorded crime, rolling year",
                "unit": "count",
                "good_direction": "down",
                "frequency": "year",
            },
            {
                "code": "secret",
                "priority": "violence",
                "name": "Covert tasking",
                "unit": "count",
                "good_direction": "none",
                "frequency": "month",
                "restricted": "yes",
            },
            {
                "code": "new",
                "priority": "violence",
                "name": "Not reported yet",
                "unit": "count",
                "good_direction": "none",
                "frequency": "quarter",
            },
        ],
    )
    return with_rows(
        frames,
        "indicator_values",
        [
            # The years ending June and September 2024, one district each.
            {"indicator": "crime", "period": D(2023, 7, 1), "value": 5000, "district": "D1"},
            {"indicator": "crime", "period": D(2023, 10, 1), "value": 5100, "district": "D2"},
            # The year ending December 2024 ends after the dates below but one.
            {"indicator": "crime", "period": D(2024, 1, 1), "value": 5200},
            {"indicator": "secret", "period": D(2024, 10, 1), "value": 3},
        ],
    )


def freshness(engine, as_at, *, include_restricted=False) -> pd.DataFrame:
    with session_scope(engine) as session:
        return views.freshness_view(session, as_at, include_restricted=include_restricted).indicators


def rows(frame: pd.DataFrame) -> list[list]:
    return frame[COLUMNS].values.tolist()


@pytest.fixture(scope="module")
def loaded(module_databases):
    engine = module_databases()
    import_frames(engine, partnership())
    return engine


def test_each_indicator_by_priority_with_its_latest_period_and_state(loaded):
    as_at = D(2024, 12, 1)
    # fmt: off
    assert rows(freshness(loaded, as_at)) == [
        # Admissions: 2023/24 ended 31 Mar 2024; 2024/25 is due by 31 Mar 2025 + 125 days.
        ["admissions", True, D(2023, 4, 1), None, "2023/24", "on_time", "2024/25", D(2025, 8, 3), 0],
        # Rolling years three months apart: the year ending December 2024 (labelled as the calendar
        # year it is) is expected next.
        ["crime", True, D(2023, 10, 1), D(2023, 7, 1), "year ending Sep 2024", "on_time", "2024", D(2025, 5, 5), 0],
        # Q2 2024/25 (one district reported) is the latest; Q3 is due 60 days after 31 Dec.
        ["knife", True, D(2024, 7, 1), D(2024, 4, 1), "Q2 2024/25", "on_time", "Q3 2024/25", D(2025, 3, 1), 0],
        ["new", True, None, None, "", "no_data", "", None, 0],
        # June 2019 was due by 14 Aug 2019: the retired priority's indicator is late, the view says so.
        ["referrals", False, D(2019, 5, 1), None, "May 2019", "late", "Jun 2019", D(2019, 8, 14), 1936],
    ]
    # fmt: on
    late = freshness(loaded, as_at).set_index("indicator_code").loc["referrals"]
    assert (late["priority_short_title"], late["latest_age"], late["missing"]) == (
        "Vulnerability through ICT",
        "ended 5 years ago",
        "no value yet for Jun 2019, due by 14 Aug 2019 (1,936 days late)",
    )


def test_only_periods_ended_by_the_date_count_and_the_due_date_is_the_last_day_on_time(loaded):
    # Q2 2024/25 ends on 30 Sep: the day before, Q1 is the latest and Q2 is expected.
    knife = freshness(loaded, D(2024, 9, 29)).set_index("indicator_code").loc["knife"]
    assert (knife["latest_start"], knife["previous_start"], knife["expected_label"]) == (
        D(2024, 4, 1),
        None,
        "Q2 2024/25",
    )
    # The year ending December 2024 counts from 31 Dec 2024; then the one ending March 2025 (the
    # financial year 2024/25) is expected.
    crime = freshness(loaded, D(2024, 12, 31)).set_index("indicator_code").loc["crime"]
    assert (crime["latest_label"], crime["expected_label"], crime["due_by"]) == (
        "2024",
        "2024/25",
        D(2025, 8, 3),
    )
    due_day = freshness(loaded, D(2025, 3, 1)).set_index("indicator_code").loc["knife"]
    day_after = freshness(loaded, D(2025, 3, 2)).set_index("indicator_code").loc["knife"]
    assert (due_day["state"], due_day["days_late"], due_day["missing"]) == ("on_time", 0, "")
    assert (day_after["state"], day_after["days_late"], day_after["missing"]) == (
        "late",
        1,
        "no value yet for Q3 2024/25, due by 1 Mar 2025 (1 day late)",
    )


def test_restricted_indicators_only_for_those_who_may_see_them(loaded):
    as_at = D(2024, 12, 1)
    assert "secret" not in set(freshness(loaded, as_at)["indicator_code"])
    secret = freshness(loaded, as_at, include_restricted=True).set_index("indicator_code").loc["secret"]
    assert (secret["latest_label"], secret["state"], secret["due_by"]) == (
        "Oct 2024",
        "on_time",
        D(2025, 1, 14),
    )


def test_last_imported_is_the_latest_import_that_wrote_the_indicators_values(engine):
    import_frames(engine, partnership())
    import_frames(
        engine,
        {
            "indicator_values": frame(
                "indicator_values", [{"indicator": "knife", "period": D(2024, 10, 1), "value": 95}]
            )
        },
    )
    with session_scope(engine) as session:
        first, second = session.scalars(select(ImportRecord.imported_at).order_by(ImportRecord.id)).all()
        # Data loaded before the import log began has no record in it.
        admissions = session.scalar(select(Indicator.id).where(Indicator.code == "admissions"))
        session.execute(delete(ImportedIndicator).where(ImportedIndicator.indicator_id == admissions))
    imported = freshness(engine, D(2025, 1, 1)).set_index("indicator_code")["last_imported_at"]

    def utc(moment: dt.datetime) -> pd.Timestamp:
        return pd.Timestamp(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).tz_convert("UTC")

    assert second > first.replace(tzinfo=second.tzinfo)
    assert imported["knife"] == utc(second)
    assert imported["crime"] == imported["referrals"] == utc(first)
    assert pd.isna(imported["admissions"]) and pd.isna(imported["new"])
    assert str(imported.dtype) == "datetime64[us, UTC]"


def test_the_overview_and_priority_views_carry_their_own_indicators_freshness(loaded):
    with session_scope(loaded) as session:
        overview = views.overview_view(session, D(2024, 12, 1), ["D1"], include_restricted=True)
        priority = views.priority_view(session, "violence", D(2024, 12, 1), None)
        retired = views.priority_view(session, "ict", D(2024, 12, 1), None)
    # Districts do not change freshness; the retired priority's indicator is not on the overview.
    assert overview.freshness["indicator_code"].tolist() == ["admissions", "crime", "knife", "new", "secret"]
    assert overview.freshness["indicator_code"].tolist() == overview.current.indicators["code"].tolist()
    assert priority.freshness["indicator_code"].tolist() == ["admissions", "crime", "knife", "new"]
    assert retired.freshness[["indicator_code", "state"]].values.tolist() == [["referrals", "late"]]


@pytest.mark.parametrize("include_restricted", [False, True])
@pytest.mark.parametrize("as_at", [D(2020, 3, 1), D(2024, 12, 1), D(2025, 9, 1)])
def test_one_priority_s_freshness_is_its_rows_of_every_indicator_s(loaded, as_at, include_restricted):
    everything = freshness(loaded, as_at, include_restricted=include_restricted)
    for code in ("violence", "ict", "no-such-priority"):
        with session_scope(loaded) as session:
            own = views.freshness_view(
                session, as_at, include_restricted=include_restricted, priority_code=code
            ).indicators
        expected = everything[everything["priority_code"] == code].reset_index(drop=True)
        pd.testing.assert_frame_equal(own, expected, check_dtype=False)
