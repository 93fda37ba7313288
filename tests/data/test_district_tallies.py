"""What is read from the tallies every import keeps (data_access.district_tallies) is what is worked out
series by series and action by action, on both databases: the district matrix, and each priority's open
actions by RAG for the whole partnership or some districts (what every priority roll-up counts).

The oracle is how they were made before the tallies: every indicator in every district rated by the
full rule with its reason (progress.indicator_statuses), every action's status looked up as at the date
(queries.action_counts) and rated (domain.rag.action_rag), each cell rolled up from those
(progress._Rollups).  They must agree on the demo and large partnerships, and after any sequence of
imports that changes what the tallies are made of: an indicator's target, tolerance, direction, priority
or restriction, a value a year before an existing one, an action's status, district or dates, a new
update.
"""

from __future__ import annotations

import datetime as dt
import os
import random

import pandas as pd
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, select

from data_access import db, progress, queries
from data_access.bootstrap import load_demo, load_large_demo
from data_access.db import session_scope
from data_access.demo import large
from data_access.district_tallies import PRIORITY_ACTION_TALLY_COLUMNS, priority_action_tallies
from data_access.importer import import_frames
from data_access.models import (
    Base,
    DataVersion,
    DistrictActionTally,
    DistrictIndicatorTally,
    PartnershipWideActionTally,
)
from domain.periods import add_months
from domain.rag import AMBER, GREEN, RATING_WORDS, RED, action_rag
from domain.vocabulary import CLOSED_ACTION_STATUSES, ActionStatus, GoodDirection
from tests.generative.strategies import AFTER_EVERYTHING, BEFORE_ANY_DATA, FIRST_DAY, LAST_DAY, partnerships
from tests.workbooks import frame, small_partnership, with_rows

D = dt.date
SMALL_LARGE = large.Size(districts=5, indicators=40, first_year=2022, actions=40)


def counts_as_tallies(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """queries.action_counts rows (actions by status and past_due) as the tallies of each cell named by
    ``keys``: its open actions rated red, amber and green (domain.rag.action_rag), and how many of them
    are overdue (open and past due). Closed actions count for nothing."""
    overdue = ~counts["status"].isin(CLOSED_ACTION_STATUSES) & counts["past_due"].astype(bool)
    ratings = [action_rag(status, late) for status, late in zip(counts["status"], overdue, strict=True)]
    tallied = counts[keys].assign(
        **{
            name: counts["actions"].where([rating == wanted for rating in ratings], 0)
            for name, wanted in (("red", RED), ("amber", AMBER), ("green", GREEN))
        },
        overdue=counts["actions"].where(overdue, 0),
    )
    return tallied.groupby(keys, as_index=False)[["red", "amber", "green", "overdue"]].sum()


def matrix_series_by_series(session, as_at: dt.date, include_restricted: bool) -> pd.DataFrame:
    """progress.district_matrix's frame for every priority, worked out without the tallies."""
    names = queries.district_names(session)
    priorities = queries.all_priorities(session).drop_duplicates("code")
    codes = priorities["code"].tolist()
    if not codes or not names:
        return pd.DataFrame(columns=progress.DISTRICT_MATRIX_COLUMNS)
    indicators = queries.indicators_for(session, codes, include_restricted=include_restricted)
    statuses = progress.indicator_statuses(session, as_at, indicators, list(names), names)
    counts = queries.action_counts(
        session,
        as_at,
        priority_codes=codes,
        districts=list(names),
        include_partnership_wide=False,
        include_restricted=include_restricted,
    )
    rollups = progress._Rollups(
        statuses,
        counts_as_tallies(counts, ["priority_code", "district_code"]),
        ["priority_code", "series_code"],
        ["priority_code", "district_code"],
    )
    rows = []
    for code in codes:
        for district_code, district_name in names.items():
            rollup = rollups.rollup((code, district_code))
            rows.append(
                {
                    "priority_code": code,
                    "district_code": district_code,
                    "district_name": district_name,
                    "rating": rollup.rating,
                    "rating_word": RATING_WORDS[rollup.rating],
                    "reason": rollup.reason,
                    "has_data": rollups.has_data((code, district_code)),
                }
            )
    return pd.DataFrame(rows, columns=progress.DISTRICT_MATRIX_COLUMNS)


def assert_same_matrix(engine: Engine, dates) -> int:
    """The matrix from the tallies is the one worked out series by series, for the public and for
    everyone, at each date; the number of cells compared."""
    compared = 0
    with session_scope(engine) as session:
        names = queries.district_names(session)
        priorities = queries.all_priorities(session).drop_duplicates("code")
        for as_at in dates:
            for include_restricted in (False, True):
                expected = matrix_series_by_series(session, as_at, include_restricted)
                tallied = progress.district_matrix(
                    session, as_at, priorities, names, include_restricted=include_restricted
                )
                pd.testing.assert_frame_equal(
                    tallied, expected, check_dtype=False, obj=f"matrix as at {as_at}, {include_restricted=}"
                )
                compared += len(tallied)
    return compared


def assert_same_priority_tallies(engine: Engine, dates) -> int:
    """Each priority's open actions by RAG read from the tallies (priority_action_tallies, every date in one
    statement) are those of its actions rated one by one, for the whole partnership, one district, all
    but one, and none (partnership-wide actions only), for the public and for everyone; the number of
    priorities and dates compared that have an open action."""
    compared = 0
    with session_scope(engine) as session:
        codes = queries.all_priorities(session).drop_duplicates("code")["code"].tolist()
        names = list(queries.district_names(session))
        for districts in (None, names[:1], names[1:], []):
            for include_restricted in (False, True):
                tallied = priority_action_tallies(
                    session, dates, codes, districts, include_restricted=include_restricted
                )
                expected = pd.concat(
                    [
                        counts_as_tallies(
                            queries.action_counts(
                                session,
                                as_at,
                                priority_codes=codes,
                                districts=districts,
                                include_restricted=include_restricted,
                            ),
                            ["priority_code"],
                        ).assign(as_at=as_at)
                        for as_at in dates
                    ]
                )[PRIORITY_ACTION_TALLY_COLUMNS]

                def open_only(frame: pd.DataFrame) -> pd.DataFrame:
                    # A priority without open actions at a date may have a row of noughts, or none.
                    kept = frame[frame[["red", "amber", "green"]].sum(axis=1) > 0]
                    return kept.sort_values(["as_at", "priority_code"], ignore_index=True)

                pd.testing.assert_frame_equal(
                    open_only(tallied),
                    open_only(expected),
                    check_dtype=False,
                    obj=f"open actions by RAG for {districts=}, {include_restricted=}",
                )
                compared += len(open_only(tallied))
    return compared


def test_on_the_demo_the_tallied_matrix_is_the_one_rated_series_by_series(engine):
    load_demo(engine)
    dates = [D(2019, 3, 31), D(2022, 6, 30), D(2024, 12, 1), D(2025, 9, 30), D(2030, 1, 1)]
    assert assert_same_matrix(engine, dates) > 0
    assert assert_same_priority_tallies(engine, dates) > 0


def test_on_a_large_partnership_the_tallied_matrix_is_the_one_rated_series_by_series(engine):
    load_large_demo(engine, SMALL_LARGE)
    with session_scope(engine) as session:
        meetings = queries.list_meetings(session)["date"].tolist()
    dates = [D(2022, 1, 1), *meetings[:: max(1, len(meetings) // 4)]]
    assert assert_same_matrix(engine, dates) > 0
    assert assert_same_priority_tallies(engine, dates) > 0


def _months(first: dt.date, count: int) -> list[dt.date]:
    return [add_months(first, n) for n in range(count)]


def series_out_of_step() -> dict:
    """Districts whose latest value is not their indicator's newest period, stale or never reporting,
    and rolling years published every quarter."""
    values = [
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


def test_series_behind_their_indicators_newest_period_are_tallied_as_rated(engine):
    import_frames(engine, series_out_of_step())
    dates = [D(2023, 7, 31), D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 1), D(2025, 6, 30)]
    assert assert_same_matrix(engine, dates) == 4 * len(dates) * 2


def test_actions_are_tallied_from_the_very_day_they_open_change_and_fall_overdue(engine):
    # The small partnership's SV-01 (partnership-wide) opens on 15 Jan 2024, is updated on 1 Mar and 1 Sep
    # and falls due on 31 Dec; SV-02 (in D1) opens on 1 Feb 2024 and closes on 1 May 2025. A restricted
    # partnership-wide action joins them. Each of those days, and the day before, is compared.
    import_frames(
        engine,
        with_rows(
            small_partnership(),
            "actions",
            [
                {
                    "ref": "SV-03",
                    "priority": "violence",
                    "title": "Restricted case review",
                    "owner": "POL",
                    "due_date": D(2024, 6, 30),
                    "status": "on_track",
                    "opened_on": D(2024, 3, 1),
                    "restricted": "yes",
                }
            ],
        ),
    )
    changes = [D(2024, 1, 15), D(2024, 2, 1), D(2024, 3, 1), D(2024, 7, 1), D(2024, 9, 1), D(2025, 1, 1)]
    dates = sorted({day + dt.timedelta(days=shift) for day in [*changes, D(2025, 5, 1)] for shift in (-1, 0)})
    assert assert_same_priority_tallies(engine, dates) > 0


def test_a_downgrade_drops_the_tallies_and_an_upgrade_builds_them_again(engine):
    load_demo(engine)

    def tallies() -> list:
        with engine.connect() as connection:
            return [
                connection.execute(select(model).order_by(*model.__table__.primary_key.columns)).all()
                for model in (DistrictIndicatorTally, DistrictActionTally, PartnershipWideActionTally)
            ]

    before = tallies()
    assert all(before)
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    with engine.connect() as connection:
        for model in (DistrictIndicatorTally, DistrictActionTally, PartnershipWideActionTally):
            assert not engine.dialect.has_table(connection, model.__tablename__)
    db.upgrade_schema(engine)
    assert tallies() == before


# ---------------------------------------------------------------------------------------------------------
# Any partnership, then imports that change what the tallies are made of


def later_import(frames: dict[str, pd.DataFrame], rng: random.Random) -> dict[str, pd.DataFrame]:
    """A workbook changing some of ``frames``' indicators, values, actions and updates, as a later return
    or a corrected definition would."""
    sheets: dict[str, pd.DataFrame] = {}
    priority_codes = frames["priorities"]["code"].tolist()
    indicators = frames["indicators"].to_dict("records")
    changed = [row for row in indicators if rng.random() < 0.5]
    for row in changed:
        row["target"] = rng.choice((None, 0, rng.randint(1, 5000)))
        row["tolerance"] = rng.choice((None, 0, 0.05, 0.5))
        row["good_direction"] = rng.choice(GoodDirection.codes())
        row["restricted"] = rng.choice((None, "yes"))
        if rng.random() < 0.3:
            row["priority"] = rng.choice(priority_codes)
    if changed:
        sheets["indicators"] = frame("indicators", changed)
    values = frames["indicator_values"].to_dict("records")
    district_values = [row for row in values if row["district"] is not None]
    new_values = []
    for row in rng.sample(district_values, min(len(district_values), rng.randint(0, 8))):
        # A value a year before one already there (the same period of the year: still a valid start),
        # or a corrected value.
        earlier = rng.random() < 0.6
        new_values.append(
            {
                **row,
                "period": add_months(row["period"], -12) if earlier else row["period"],
                "value": rng.choice((0, rng.randint(0, 200))),
                "lower_ci": None,
                "upper_ci": None,
                "numerator": None,
                "denominator": None,
            }
        )
    if new_values:
        sheets["indicator_values"] = frame(
            "indicator_values",
            list({(v["indicator"], v["district"], v["period"]): v for v in new_values}.values()),
        )
    actions = frames["actions"].to_dict("records")
    moved = [row for row in actions if rng.random() < 0.4]
    district_codes = frames["districts"]["code"].tolist()
    for row in moved:
        row["status"] = rng.choice(ActionStatus.codes())
        row["restricted"] = rng.choice((None, "yes"))
        row["district"] = rng.choice((None, *district_codes))
        row["due_date"] = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
        row["opened_on"] = rng.choice((None, row["opened_on"]))
    if moved:
        sheets["actions"] = frame("actions", moved)
    updates = [
        {
            "ref": row["ref"],
            "date": FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days)),
            "status": rng.choice(ActionStatus.codes()),
        }
        for row in actions
        if rng.random() < 0.4
    ]
    if updates:
        sheets["action_updates"] = frame(
            "action_updates", list({(u["ref"], u["date"]): u for u in updates}.values())
        )
    return sheets


def restricted_some(frames: dict[str, pd.DataFrame], rng: random.Random) -> dict[str, pd.DataFrame]:
    """``frames`` with some indicators and actions restricted."""
    frames = dict(frames)
    for sheet in ("indicators", "actions"):
        rows = frames[sheet].to_dict("records")
        for row in rows:
            row["restricted"] = "yes" if rng.random() < 0.3 else None
        frames[sheet] = frame(sheet, rows)
    return frames


def _emptied(engine: Engine) -> None:
    """Every table emptied but the data version (one database for all of a test's examples)."""
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != DataVersion.__tablename__:
                connection.execute(delete(table))
        assert connection.scalar(select(func.count()).select_from(DistrictIndicatorTally)) == 0


@settings(
    max_examples=int(os.getenv("GENERATIVE_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(
    frames=partnerships(),
    seed=st.integers(0, 2**32 - 1),
    days=st.lists(st.dates(FIRST_DAY, LAST_DAY), min_size=1, max_size=3),
)
def test_after_any_imports_the_tallies_are_what_is_rated_series_by_series(engine, frames, seed, days):
    _emptied(engine)
    rng = random.Random(seed)
    dates = [BEFORE_ANY_DATA, *days, AFTER_EVERYTHING]
    import_frames(engine, restricted_some(frames, rng))
    assert_same_matrix(engine, dates)
    assert_same_priority_tallies(engine, dates)
    for _ in range(2):
        changes = later_import(frames, rng)
        if changes:
            import_frames(engine, changes)
        assert_same_matrix(engine, dates)
        assert_same_priority_tallies(engine, dates)
