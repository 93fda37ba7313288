"""Rolling years published every quarter: overlapping periods of one indicator, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.db import session_scope
from data_access.importer import import_frames
from data_access.queries import WHOLE_PARTNERSHIP
from tests import figures
from tests.workbooks import frame

D = dt.date
STARTS = [D(2023, 4, 1), D(2023, 7, 1), D(2023, 10, 1), D(2024, 1, 1), D(2024, 4, 1), D(2024, 7, 1)]
NORTH = [100, 110, 120, 130, 140, 150]
SOUTH = [50, 55, 60, 65, 70, 75]
LABELS = [
    "2023/24",
    "year ending Jun 2024",
    "year ending Sep 2024",
    "2024",
    "2024/25",
    "year ending Jun 2025",
]


def rolling_years() -> dict:
    values = [
        {"indicator": "crimes", "period": start, "district": district, "value": value}
        for district, series in (("D1", NORTH), ("D2", SOUTH))
        for start, value in zip(STARTS, series, strict=True)
    ]
    return {
        "districts": frame(
            "districts", [{"code": "D1", "name": "Northtown"}, {"code": "D2", "name": "Southvale"}]
        ),
        "priorities": frame("priorities", [{"code": "crime", "number": 1, "title": "Reduce crime"}]),
        "indicators": frame(
            "indicators",
            [
                {
                    "code": "crimes",
                    "priority": "crime",
                    "name": "Recorded crimes (rolling year)",
                    "unit": "count",
                    "good_direction": "down",
                    "frequency": "year",
                }
            ],
        ),
        "indicator_values": frame("indicator_values", values),
    }


@pytest.fixture(scope="module")
def loaded(module_databases):
    engine = module_databases()
    import_frames(engine, rolling_years())
    return engine


@pytest.fixture
def session(loaded):
    with session_scope(loaded) as session:
        yield session


def test_whole_partnership_sums_only_the_same_twelve_months(session):
    trend = figures.trend(session, D(2025, 6, 30), "crime", "crimes", ["D1"])
    partnership = trend[trend["series_code"] == WHOLE_PARTNERSHIP]
    assert partnership["period_start"].tolist() == STARTS
    assert partnership["value"].tolist() == [n + s for n, s in zip(NORTH, SOUTH, strict=True)]
    assert set(partnership["method"]) == {"sum"}
    assert partnership["period_label"].tolist() == LABELS
    assert partnership["value"].tolist() == [150, 165, 180, 195, 210, 225]
    assert trend[trend["series_code"] == "D1"]["value"].tolist() == NORTH


def test_rag_compares_the_year_ending_june_with_the_year_ending_june_before(session):
    status = figures.indicator_statuses(session, D(2025, 6, 30), "crime").iloc[0]
    assert (status["latest_period_label"], status["latest_value"], status["rating"]) == (
        "year ending Jun 2025",
        225.0,
        "red",
    )
    assert status["reason"] == (
        "year ending Jun 2025 value of 225 is up 36.4% on year ending Jun 2024 (165), "
        "a deterioration beyond the 5% tolerance."
    )


def test_the_year_ending_june_counts_once_it_has_ended(session):
    before = figures.indicator_statuses(session, D(2025, 6, 29), "crime").iloc[0]
    assert (before["latest_period_label"], before["latest_value"]) == ("2024/25", 210.0)
    assert before["reason"].startswith("2024/25 value of 210 is up 40.0% on 2023/24 (150)")
    trend = figures.trend(session, D(2025, 6, 29), "crime", "crimes")
    assert trend["period_label"].tolist() == LABELS[:-1]

    on_the_day = figures.indicator_statuses(session, D(2025, 6, 30), "crime").iloc[0]
    assert on_the_day["latest_period"] == D(2024, 7, 1)
