"""The district matrix's ratings without reasons (progress.indicator_ratings) are the full rule's ratings.

The matrix rates every indicator in every district column by column (domain.rag.latest_ratings); the
pages that explain a rating build it series by series with its reason (progress.indicator_statuses).
An oracle check: both, on the demo and on a small large-scale partnership at dates before, during and
after their data (and on every generated partnership: tests/generative/test_any_partnership.py), give
every series the same rating and the same latest period.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from data_access import progress, queries
from data_access.bootstrap import load_demo, load_large_demo
from data_access.db import session_scope
from data_access.demo import large
from data_access.importer import import_frames
from tests.workbooks import frame

D = dt.date
SMALL_LARGE = large.Size(districts=5, indicators=40, first_year=2022, actions=40)
KEYS = ["indicator_code", "series_code"]


def assert_same_ratings(engine: Engine, dates) -> int:
    """Compare the two for every indicator of every priority (in force or not) in every district; the
    number of series compared."""
    compared = 0
    with session_scope(engine) as session:
        districts = list(queries.district_names(session))
        codes = queries.all_priorities(session)["code"].drop_duplicates().tolist()
        indicators = queries.indicators_for(session, codes, include_restricted=True)
        for as_at in dates:
            full = progress.indicator_statuses(session, as_at, indicators, districts, {})
            ratings = progress.indicator_ratings(session, as_at, indicators, districts)
            pd.testing.assert_frame_equal(
                ratings[[*KEYS, "priority_code", "rating"]],
                full[[*KEYS, "priority_code", "rating"]],
                check_dtype=False,
                obj=f"ratings as at {as_at}",
            )
            assert ratings["latest_period"].tolist() == full["latest_period"].tolist()
            compared += len(ratings)
    return compared


def test_on_the_demo_every_series_has_the_full_rules_rating(engine):
    load_demo(engine)
    dates = [D(2019, 3, 31), D(2022, 6, 30), D(2024, 12, 1), D(2025, 9, 30), D(2030, 1, 1)]
    # 35 indicators in 11 districts at each date: all the rules' branches come up.
    assert assert_same_ratings(engine, dates) == 35 * 11 * len(dates)


def test_on_a_large_partnership_every_series_has_the_full_rules_rating(engine):
    load_large_demo(engine, SMALL_LARGE)
    with session_scope(engine) as session:
        meetings = queries.list_meetings(session)["date"].tolist()
    assert assert_same_ratings(engine, [D(2022, 1, 1), *meetings[:: max(1, len(meetings) // 4)]]) > 0


def test_without_indicators_or_districts_there_is_nothing_to_rate(engine):
    load_demo(engine)
    with session_scope(engine) as session:
        indicators = queries.indicators_for(session, ["county-lines"])
        assert progress.indicator_ratings(session, D(2025, 1, 1), indicators, []).empty
        assert progress.indicator_ratings(session, D(2025, 1, 1), indicators.iloc[0:0], ["fareham"]).empty


def _months(first: dt.date, count: int) -> list[dt.date]:
    return [
        D(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1) for n in range(count)
    ]


def series_out_of_step() -> dict:
    """Districts whose latest value is not their indicator's newest period: the matrix reads the newest
    period for every district at once and must look these up one by one."""
    values = [
        # Up to date, with a year-before value for every month; its newest month is February 2024,
        # whose year-before period ends on the 28th of February 2023.
        *(
            {"indicator": "crimes", "period": p, "district": "D1", "value": 100 + n}
            for n, p in enumerate(_months(D(2022, 1, 1), 26))
        ),
        # Stale: stopped in June 2023.
        *(
            {"indicator": "crimes", "period": p, "district": "D2", "value": 80 - n}
            for n, p in enumerate(_months(D(2022, 1, 1), 18))
        ),
        # Only the newest month, with no year-before value.
        {"indicator": "crimes", "period": D(2024, 2, 1), "district": "D4", "value": 5},
        # D3 never reports. The partnership's own value is newer than any district's.
        {"indicator": "crimes", "period": D(2024, 3, 1), "district": None, "value": 400},
        # Rolling years published every quarter (overlapping periods), one district a quarter behind.
        *(
            {"indicator": "rolling", "period": p, "district": d, "value": v}
            for d, v in (("D1", 10), ("D2", 20))
            for p in (D(2021, 4, 1), D(2022, 1, 1), D(2022, 4, 1), D(2022, 7, 1), D(2023, 1, 1))
        ),
        {"indicator": "rolling", "period": D(2023, 4, 1), "district": "D1", "value": 7},
    ]
    indicator = {"priority": "crime", "unit": "count", "good_direction": "down"}
    return {
        "districts": frame("districts", [{"code": f"D{n}", "name": f"District {n}"} for n in range(1, 5)]),
        "priorities": frame("priorities", [{"code": "crime", "number": 1, "title": "Reduce crime"}]),
        "indicators": frame(
            "indicators",
            [
                {**indicator, "code": "crimes", "name": "Crimes", "frequency": "month"},
                {**indicator, "code": "rolling", "name": "Crimes (rolling year)", "frequency": "year"},
            ],
        ),
        "indicator_values": frame("indicator_values", values),
    }


def test_series_behind_their_indicators_newest_period_have_the_full_rules_rating(engine):
    import_frames(engine, series_out_of_step())
    dates = [D(2023, 7, 31), D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 1), D(2025, 6, 30)]
    assert assert_same_ratings(engine, dates) == 2 * 4 * len(dates)
    with session_scope(engine) as session:
        indicators = queries.indicators_for(session, ["crime"])
        ratings = progress.indicator_ratings(session, D(2024, 3, 1), indicators, ["D1", "D2", "D3", "D4"])
    latest = ratings.set_index(KEYS)["latest_period"].to_dict()
    # The cases the test is for did come up.
    assert latest[("crimes", "D1")] == D(2024, 2, 1)
    assert latest[("crimes", "D2")] == D(2023, 6, 1)
    assert latest[("crimes", "D3")] is None
    assert latest[("rolling", "D2")] == D(2023, 1, 1)
