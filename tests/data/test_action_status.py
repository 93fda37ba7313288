"""An action's status as at a date, read by indexed look-ups per action, is the README's rule.

queries.actions_as_at and queries.action_counts find each action's latest update by a date with an
ORDER BY ... LIMIT 1 look-up per action (so a page reads only its own actions' updates). An oracle
check: the straightforward computation from every update in Python gives the same status, last update
and counts, on the demo and on a generated large-scale partnership, at dates before, between and after
the updates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest
from sqlalchemy import select

from data_access import queries
from data_access.bootstrap import load_demo, load_large_demo
from data_access.db import session_scope
from data_access.demo import large
from data_access.importer import import_frames
from data_access.models import Action, ActionUpdate, District, Priority
from domain.vocabulary import ActionStatus
from tests.workbooks import frame, small_partnership

D = dt.date
GENERATED = large.Size(districts=5, indicators=10, first_year=2023, actions=300)


def straightforward(session, as_at: dt.date) -> pd.DataFrame:
    """Every action opened by ``as_at``, with the README's rule applied to all of its updates: the latest
    update on or before the date; no updates at all: the recorded status; only later ones: not started."""
    actions = pd.DataFrame(
        session.execute(
            select(
                Action.id,
                Action.ref,
                Action.status,
                Action.opened_on,
                Action.due_date,
                Priority.code,
                District.code,
            )
            .join(Priority, Action.priority_id == Priority.id)
            .outerjoin(District, Action.district_id == District.id)
        ).all(),
        columns=["id", "ref", "recorded", "opened_on", "due_date", "priority_code", "district_code"],
        dtype=object,
    )
    updates = pd.DataFrame(
        session.execute(
            select(ActionUpdate.action_id, ActionUpdate.date, ActionUpdate.status, ActionUpdate.commentary)
        ).all(),
        columns=["action_id", "date", "status", "commentary"],
    )
    rows = []
    for action in actions.to_dict("records"):
        if action["opened_on"] is not None and action["opened_on"] > as_at:
            continue
        own = updates[updates["action_id"] == action["id"]]
        by_then = own[own["date"] <= as_at].sort_values("date")
        if not by_then.empty:
            latest = by_then.iloc[-1]
            status, date, commentary = latest["status"], latest["date"], latest["commentary"]
        else:
            status = action["recorded"] if own.empty else ActionStatus.NOT_STARTED.value
            date = commentary = None
        rows.append(
            action | {"status": status, "last_update_date": date, "last_update_commentary": commentary}
        )
    return pd.DataFrame(rows, dtype=object)


def assert_statuses_agree(engine, dates) -> None:
    with session_scope(engine) as session:
        codes = queries.all_priorities(session)["code"].drop_duplicates().tolist()
        for as_at in dates:
            expected = straightforward(session, as_at).set_index("ref").sort_index()
            found = (
                queries.actions_as_at(session, as_at, open_only=False, include_restricted=True)
                .set_index("ref")
                .sort_index()
            )
            assert found.index.tolist() == expected.index.tolist(), as_at
            for column in ("status", "last_update_date", "last_update_commentary"):
                assert found[column].tolist() == expected[column].tolist(), (as_at, column)

            counts = queries.action_counts(session, as_at, priority_codes=codes, include_restricted=True)
            tallied = Counter(
                (row["priority_code"], row["district_code"], row["status"], row["due_date"] < as_at)
                for row in expected.to_dict("records")
            )
            assert {
                (row.priority_code, row.district_code, row.status, row.past_due): row.actions
                for row in counts.itertuples(index=False)
            } == dict(tallied), as_at


@pytest.mark.parametrize("as_at", [D(2023, 12, 31), D(2024, 9, 30), D(2025, 6, 1), D(2030, 1, 1)])
def test_on_the_demo_each_actions_status_as_at_a_date_is_the_rules(engine, as_at):
    load_demo(engine)
    assert_statuses_agree(engine, [as_at])


def test_on_a_generated_partnership_each_actions_status_as_at_a_date_is_the_rules(engine):
    load_large_demo(engine, GENERATED)
    with session_scope(engine) as session:
        update_dates = sorted(set(session.scalars(select(ActionUpdate.date))))
    # Before any update, on update days themselves, the day before one, and after all of them.
    chosen = update_dates[:: max(1, len(update_dates) // 4)]
    dates = [
        update_dates[0] - dt.timedelta(days=1),
        *chosen,
        chosen[-1] - dt.timedelta(days=1),
        update_dates[-1],
    ]
    assert_statuses_agree(engine, dates)


def test_each_import_keeps_the_latest_update_kept_on_the_action_right(engine):
    """Pages read an action's status from its latest update kept on its row (data_access.latest_updates)
    for any date on or after that update: a later import that adds a newer update, changes the latest one
    or adds an action without updates must leave every status as the rules give it."""
    import_frames(engine, small_partnership())
    dates = [D(2024, 2, 1), D(2024, 3, 1), D(2024, 10, 1), D(2025, 5, 1), D(2025, 6, 1), D(2027, 1, 1)]
    assert_statuses_agree(engine, dates)

    def update(ref: str, day: dt.date, status: str) -> dict:
        return {"ref": ref, "date": day, "status": status, "commentary": f"{status} on {day}"}

    # Only updates: SV-01 gets a newer one, SV-02's latest (complete) is corrected to off track.
    import_frames(
        engine,
        {
            "action_updates": frame(
                "action_updates",
                [update("SV-01", D(2025, 2, 1), "complete"), update("SV-02", D(2025, 5, 1), "off_track")],
            )
        },
    )
    assert_statuses_agree(engine, [*dates, D(2025, 2, 1), D(2025, 1, 31)])
    with session_scope(engine) as session:
        kept = dict(session.execute(select(Action.ref, Action.latest_update_status)).all())
    assert kept["SV-01"] == "complete" and kept["SV-02"] == "off_track"

    # Only actions: a new one has no update, so its recorded status, at any date.
    import_frames(
        engine,
        {
            "actions": frame(
                "actions",
                [
                    {
                        "ref": "SV-03",
                        "priority": "violence",
                        "title": "Map hotspots",
                        "owner": "CC",
                        "due_date": D(2026, 3, 31),
                        "status": "at_risk",
                    }
                ],  # fmt: skip
            )
        },
    )
    assert_statuses_agree(engine, [*dates, D(2026, 4, 1)])
