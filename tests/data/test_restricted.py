"""Restricted indicators and actions: for the public role, restricting an item is exactly as if it had
never been imported, in every view, count and roll-up; anyone else sees it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, event

from data_access import action_table, queries, views
from data_access.db import _enable_sqlite_foreign_keys, session_scope, upgrade_schema
from data_access.importer import import_frames
from tests.workbooks import small_partnership

D = dt.date
RESTRICTED_INDICATOR, RESTRICTED_ACTION = "knife", "SV-01"
AS_AT_DATES = [D(2024, 12, 1), D(2025, 6, 30)]
DISTRICTS = [None, ["D1"], ["D1", "D2"]]


def restricted_partnership() -> dict[str, pd.DataFrame]:
    frames = small_partnership()
    for sheet, key, code in (
        ("indicators", "code", RESTRICTED_INDICATOR),
        ("actions", "ref", RESTRICTED_ACTION),
    ):
        marked = frames[sheet].copy()
        marked["restricted"] = (marked[key] == code).map({True: "yes", False: None})
        frames[sheet] = marked
    return frames


def without_restricted_items() -> dict[str, pd.DataFrame]:
    """The same partnership with the restricted items (and what hangs off them) never imported."""
    frames = small_partnership()
    frames["indicators"] = frames["indicators"][frames["indicators"]["code"] != RESTRICTED_INDICATOR]
    frames["indicator_values"] = frames["indicator_values"][
        frames["indicator_values"]["indicator"] != RESTRICTED_INDICATOR
    ]
    frames["actions"] = frames["actions"][frames["actions"]["ref"] != RESTRICTED_ACTION]
    frames["action_updates"] = frames["action_updates"][frames["action_updates"]["ref"] != RESTRICTED_ACTION]
    return frames


@pytest.fixture(scope="module")
def restricted(module_databases) -> Engine:
    engine = module_databases()
    import_frames(engine, restricted_partnership())
    return engine


@pytest.fixture(scope="module")
def never_imported(tmp_path_factory) -> Engine:
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('oracle') / 'oracle.db'}")
    event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    upgrade_schema(engine)
    import_frames(engine, without_restricted_items())
    yield engine
    engine.dispose()


def public_and_oracle(restricted_engine, oracle_engine, read):
    with session_scope(restricted_engine) as public, session_scope(oracle_engine) as oracle:
        return read(public, False), read(oracle, True)


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        left.reset_index(drop=True), right.reset_index(drop=True), check_dtype=False
    )


@pytest.mark.parametrize("as_at", AS_AT_DATES)
@pytest.mark.parametrize("districts", DISTRICTS)
def test_the_public_sees_every_view_as_if_the_restricted_items_had_never_been_imported(
    restricted, never_imported, as_at, districts
):
    def statuses(session, include):
        view = views.statuses_view(session, as_at, districts, include_restricted=include)
        return view.priorities, view.indicator_statuses

    (public_priorities, public_indicators), (oracle_priorities, oracle_indicators) = public_and_oracle(
        restricted, never_imported, statuses
    )
    same(public_priorities, oracle_priorities)
    same(public_indicators, oracle_indicators)

    def priority(session, include):
        view = views.priority_view(session, "violence", as_at, districts, include_restricted=include)
        grid = action_table.action_rows(
            session,
            views.open_actions_selection("violence", as_at, districts or (), include_restricted=include),
            start=0,
            end=1000,
        )
        return view.status, view.open_actions, view.indicators, view.trends, grid.rows

    public, oracle = public_and_oracle(restricted, never_imported, priority)
    assert public[:2] == oracle[:2]  # the status, and how many open actions and how many overdue
    for public_frame, oracle_frame in zip(public[2:], oracle[2:], strict=True):
        same(public_frame, oracle_frame)

    public_matrix, oracle_matrix = public_and_oracle(
        restricted,
        never_imported,
        lambda s, include: views.districts_view(s, as_at, include_restricted=include).matrix,
    )
    same(public_matrix, oracle_matrix)

    # The two databases were imported at different moments; everything else about freshness agrees.
    public_freshness, oracle_freshness = public_and_oracle(
        restricted,
        never_imported,
        lambda s, include: views.freshness_view(s, as_at, include_restricted=include).indicators.drop(
            columns="last_imported_at"
        ),
    )
    same(public_freshness, oracle_freshness)

    public_actions, oracle_actions = public_and_oracle(
        restricted,
        never_imported,
        lambda s, include: queries.actions_as_at(
            s, as_at, districts=districts, open_only=False, include_restricted=include
        ),
    )
    same(public_actions, oracle_actions)


def test_everyone_else_sees_the_restricted_items_and_the_two_views_are_cached_apart(restricted):
    with session_scope(restricted) as session:
        public = views.priority_view(session, "violence", D(2024, 12, 1), None)
        viewer = views.priority_view(session, "violence", D(2024, 12, 1), None, include_restricted=True)
        history = queries.action_history(session, RESTRICTED_ACTION, D(2025, 6, 30), include_restricted=True)
        hidden_history = queries.action_history(session, RESTRICTED_ACTION, D(2025, 6, 30))
        public_rows, viewer_rows = (
            set(
                action_table.action_rows(
                    session,
                    views.open_actions_selection("violence", D(2024, 12, 1), (), include_restricted=include),
                    start=0,
                    end=1000,
                ).rows["ref"]
            )
            for include in (False, True)
        )

    assert RESTRICTED_INDICATOR in set(viewer.indicators["code"]) - set(public.indicators["code"])
    assert RESTRICTED_ACTION in viewer_rows - public_rows
    assert viewer.open_actions.actions - public.open_actions.actions == len(viewer_rows - public_rows)
    assert not history.empty and hidden_history.empty


def test_restricted_takes_yes_or_blank_and_names_anything_else(engine):
    from data_access.workbook import WorkbookError

    frames = restricted_partnership()
    frames["actions"].loc[frames["actions"]["ref"] == "SV-02", "restricted"] = "secret"
    with pytest.raises(WorkbookError, match=r"actions.*restricted.*'secret' is not yes or blank"):
        import_frames(engine, frames)


@pytest.mark.parametrize("districts", DISTRICTS)
def test_the_changes_between_two_dates_leave_restricted_items_out_for_the_public(
    restricted, never_imported, districts
):
    def read(session, include):
        view = views.changes_view(
            session, D(2024, 6, 1), D(2025, 6, 30), districts, include_restricted=include
        )
        return [getattr(view, field) for field in FRAMES_OF_CHANGES]

    public, oracle = public_and_oracle(restricted, never_imported, read)
    for public_frame, oracle_frame in zip(public, oracle, strict=True):
        same(public_frame, oracle_frame)


FRAMES_OF_CHANGES = (
    "priority_changes",
    "indicator_changes",
    "actions_completed",
    "actions_became_overdue",
    "new_actions",
    "new_data",
    "new_commentary",
)


@pytest.mark.parametrize("districts", DISTRICTS)
def test_the_slides_leave_restricted_items_out_for_the_public(restricted, never_imported, districts):
    def read(session, include):
        view = views.presentation_view(session, D(2025, 6, 30), districts, include_restricted=include)
        return [view.statuses.priorities, view.charts, view.trends, view.actions]

    public, oracle = public_and_oracle(restricted, never_imported, read)
    for public_frame, oracle_frame in zip(public, oracle, strict=True):
        same(public_frame, oracle_frame)
