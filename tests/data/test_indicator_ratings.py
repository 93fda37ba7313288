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
