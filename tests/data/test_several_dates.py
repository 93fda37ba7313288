"""Pages that compare two dates (the overview: now and the last meeting; the changes page: two meetings)
read each concern once for both. Each date's share of such a read is exactly what reading that date alone
gives, and the roll-ups made from it are the ones the full rules give, on the small hand-made
partnership, the demo and a small large-scale one, at dates before, during and after their data.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import event

from data_access import progress, queries, series, views
from data_access.bootstrap import load_demo, load_large_demo
from data_access.cache import VIEWS
from data_access.db import session_scope
from data_access.demo import large
from data_access.district_tallies import priority_action_tallies
from data_access.importer import import_frames
from tests.workbooks import small_partnership

D = dt.date
SMALL_LARGE = large.Size(districts=5, indicators=40, first_year=2022, actions=40)


def _load(engine, partnership: str) -> list[dt.date]:
    """Load a partnership; the dates to read it at."""
    if partnership == "small":
        import_frames(engine, small_partnership())
        return [D(2019, 3, 31), D(2020, 3, 31), D(2024, 6, 13), D(2024, 9, 12), D(2024, 12, 1), D(2026, 1, 1)]
    if partnership == "demo":
        load_demo(engine)
        return [
            D(2019, 3, 31),
            D(2022, 6, 30),
            D(2024, 12, 1),
            D(2025, 9, 30),
            D(2026, 11, 12),
            D(2030, 1, 1),
        ]
    load_large_demo(engine, SMALL_LARGE)
    with session_scope(engine) as session:
        meetings = queries.list_meetings(session)["date"].tolist()
    return [D(2021, 1, 1), *meetings[:: max(1, len(meetings) // 4)]]


def _district_choices(session) -> list[list[str] | None]:
    codes = list(queries.district_names(session))
    return [None, codes[:1], codes[1:3]]


def _by_key(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, ignore_index=True)


@pytest.fixture(scope="module", params=["small", "demo", "large"])
def partnership(request, module_databases):
    engine = module_databases()
    return engine, _load(engine, request.param)


def test_each_dates_share_of_a_read_is_what_reading_it_alone_gives(partnership):
    engine, dates = partnership
    pairs = list(zip(dates, dates[1:], strict=False))
    with session_scope(engine) as session:
        codes = queries.all_priorities(session)["code"].tolist()
        indicators = queries.indicators_for(session, codes, include_restricted=True)["code"].tolist()
        for districts in _district_choices(session):
            for pair in pairs:
                points = series.latest_points_at(session, list(pair), indicators, districts)
                tallies = priority_action_tallies(
                    session, list(pair), codes, districts, include_restricted=True
                )
                in_force = queries.priorities_in_force_at(session, list(pair))
                assessments = queries.latest_assessments_at(session, list(pair), codes)
                for position, as_at in enumerate(pair):
                    alone = series.latest_points(session, as_at, indicators, districts)
                    shared = points[points["as_at"] == as_at].drop(columns="as_at")
                    keys = ["indicator_code", "district_code"]
                    pd.testing.assert_frame_equal(
                        _by_key(shared, keys), _by_key(alone, keys), check_dtype=False, obj=f"points {as_at}"
                    )
                    keys = ["priority_code"]
                    shared = tallies[tallies["as_at"] == as_at].drop(columns="as_at")
                    tallied_alone = priority_action_tallies(
                        session, [as_at], codes, districts, include_restricted=True
                    ).drop(columns="as_at")
                    pd.testing.assert_frame_equal(
                        _by_key(shared, keys),
                        _by_key(tallied_alone, keys),
                        check_dtype=False,
                        obj=f"actions {as_at}",
                    )
                    pd.testing.assert_frame_equal(
                        in_force[position],
                        queries.priorities_in_force(session, as_at),
                        obj=f"priorities {as_at}",
                    )
                    pd.testing.assert_frame_equal(
                        assessments[assessments["as_at"] == as_at]
                        .drop(columns="as_at")
                        .reset_index(drop=True),
                        queries.latest_assessments(session, as_at, codes),
                        obj=f"assessments {as_at}",
                    )


def test_roll_ups_count_what_the_full_rules_rate(partnership, monkeypatch):
    """Each indicator is rated column by column for the roll-up: the rating its reason gives, and the
    open and overdue actions counted in SQL are the actions the priority page lists."""
    monkeypatch.setattr(VIEWS, "max_bytes", 0)
    engine, dates = partnership
    with session_scope(engine) as session:
        for districts in _district_choices(session):
            for view, as_at in zip(
                views.statuses_views(session, dates, districts, include_restricted=True), dates, strict=True
            ):
                keys = ["indicator_code", "series_code"]
                full = view.indicator_statuses
                pd.testing.assert_frame_equal(
                    view.indicator_ratings[[*keys, "priority_code", "latest_period", "rating"]],
                    full[[*keys, "priority_code", "latest_period", "rating"]],
                    check_dtype=False,
                    obj=f"ratings as at {as_at}",
                )
                for status in view.priorities.to_dict("records"):
                    rated = full[full["priority_code"] == status["code"]]["rating"].value_counts()
                    for rating in ("red", "amber", "green", "no_data"):
                        assert status[f"indicators_{rating}"] == rated.get(rating, 0)
                    actions = progress.rate_actions(
                        queries.actions_as_at(
                            session,
                            as_at,
                            priority_codes=[status["code"]],
                            districts=districts,
                            include_restricted=True,
                        ),
                        as_at,
                    )
                    assert status["open_actions"] == len(actions)
                    assert status["overdue_actions"] == int(actions["overdue"].sum())


def test_two_dates_cost_the_statements_of_one(engine, monkeypatch):
    """Now and the last meeting are read together: as many statements as for one date."""
    monkeypatch.setattr(VIEWS, "max_bytes", 0)
    import_frames(engine, small_partnership())
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with session_scope(engine) as session:
        views.reference_view(session)
        for dates in ([D(2024, 12, 1)], [D(2024, 12, 1), D(2024, 9, 12)]):
            for districts in (None, ["D1", "D2"]):
                statements.clear()
                one = views.statuses_views(session, dates, districts, include_restricted=True)
                assert len(one) == len(dates)
                if len(dates) == 1:
                    alone = len(statements)
                else:
                    assert len(statements) == alone, statements


def test_a_view_already_kept_is_not_read_again(engine):
    import_frames(engine, small_partnership())
    VIEWS.clear()
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        with session_scope(engine) as session:
            views.reference_view(session)
            statements.clear()
            [kept] = views.statuses_views(session, [D(2024, 9, 12)], None)
            one_date = len(statements)
            statements.clear()
            now, meeting = views.statuses_views(session, [D(2024, 12, 1), D(2024, 9, 12)], None)
            # The kept view is used as it is, and only the other date is read.
            assert meeting is kept
            assert len(statements) == one_date
            assert now.priorities["code"].tolist() == ["violence"]
    finally:
        VIEWS.clear()
