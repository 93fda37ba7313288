"""The actions table a page at a time (data_access.action_table) is the whole table cut, on both databases.

The oracle is the path the page used before it asked for pages: every matching action from
queries.actions_as_at, rated by progress.rate_actions and worded by components.tables.action_rows (what
the grid shows). Counting, searching, filtering and sorting that in Python must give the SQL's pages.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.tables import action_rows as grid_rows
from data_access import progress, queries
from data_access.action_table import (
    COLUMNS,
    ActionSelection,
    ActionTableError,
    action_counts,
    action_rows,
    action_totals,
)
from data_access.bootstrap import load_demo, load_large_demo
from data_access.db import session_scope
from data_access.demo import large
from domain.vocabulary import OPEN_ACTION_STATUSES, ActionStatus, Rating

D = dt.date
EVERY_STATUS = tuple(ActionStatus.codes())
GENERATED = large.Size(districts=4, indicators=4, first_year=2024, actions=120)
SHOWN = ["ref", "priority", "title", "owner", "district", "status", "rag"]  # searched as the grid words them


@pytest.fixture(scope="module")
def generated(module_databases):
    engine = module_databases()
    load_large_demo(engine, GENERATED)
    return engine


def whole_table(session, selection: ActionSelection) -> pd.DataFrame:
    """Every action the selection holds, rated, with the grid's words and the keys the SQL sorts by."""
    actions = queries.actions_as_at(
        session,
        selection.as_at,
        priority_codes=selection.priority_codes,
        partner_codes=selection.partner_codes,
        districts=selection.districts,
        statuses=list(selection.statuses),
        open_only=False,
        overdue_only=selection.overdue_only,
        include_restricted=selection.include_restricted,
    )
    rated = progress.rate_actions(actions, selection.as_at)
    shown = pd.DataFrame(grid_rows(rated), columns=[*SHOWN, "due_date", "overdue"]).drop(
        columns=["due_date", "overdue"]
    )
    return pd.concat([rated.reset_index(drop=True), shown.add_prefix("shown_")], axis=1)


def sort_keys(table: pd.DataFrame) -> dict[str, pd.Series]:
    ratings, statuses = list(Rating.codes()), list(ActionStatus.codes())
    return {
        "ref": table["ref"],
        "priority": table["priority_number"].astype(int),
        "title": table["title"].str.lower(),
        "owner": table["owner_name"].str.lower(),
        "district": table["shown_district"].str.lower(),
        "due_date": table["due_date"],
        "status": table["status"].map(statuses.index),
        "rag": table["rating"].map(ratings.index),
        "last_update": table["last_update_date"],
    }


def expected_order(table: pd.DataFrame, column: str | None, direction: str = "asc") -> list[str]:
    """Refs in the SQL's order: the column (blanks first going up, last going down), then due date, ref."""
    ordered = [ref for _, ref in sorted(zip(table["due_date"], table["ref"], strict=True))]
    if column is None:
        return ordered
    by_ref = dict(zip(table["ref"], sort_keys(table)[column], strict=True))
    blank = [ref for ref in ordered if pd.isna(by_ref[ref])]
    # Python's sort is stable going down as well as up: ties stay in due date and ref order.
    valued = sorted(
        (ref for ref in ordered if not pd.isna(by_ref[ref])),
        key=by_ref.__getitem__,
        reverse=direction == "desc",
    )
    return blank + valued if direction == "asc" else valued + blank


def all_pages(session, selection, size=7, **narrowing) -> tuple[list[str], set[int]]:
    refs, counts, start = [], set(), 0
    while True:
        page = action_rows(session, selection, start=start, end=start + size, **narrowing)
        counts.add(page.matching)
        refs += page.rows["ref"].tolist()
        if len(page.rows) < size:
            return refs, counts
        start += size


def selections(session, as_at: dt.date) -> list[ActionSelection]:
    districts = list(queries.district_names(session))
    priorities = queries.all_priorities(session)["code"].drop_duplicates().tolist()
    partners = queries.actions_as_at(session, as_at, open_only=False)["owner_code"].drop_duplicates()
    return [
        ActionSelection(as_at, OPEN_ACTION_STATUSES),
        ActionSelection(as_at, EVERY_STATUS, include_restricted=True),
        ActionSelection(as_at, OPEN_ACTION_STATUSES, overdue_only=True),
        ActionSelection(as_at, ("complete", "at_risk"), priority_codes=tuple(priorities[:1])),
        ActionSelection(as_at, EVERY_STATUS, partner_codes=tuple(partners[:1])),
        ActionSelection(as_at, EVERY_STATUS, districts=tuple(districts[:1]) or None),
        ActionSelection(as_at, ()),
    ]


@pytest.mark.parametrize("as_at", [D(2024, 6, 30), D(2025, 6, 1), D(2026, 11, 21)])
def test_totals_and_pages_are_the_whole_table_counted_and_cut(generated, as_at):
    with session_scope(generated) as session:
        for selection in selections(session, as_at):
            table = whole_table(session, selection)
            totals = action_totals(session, selection)
            assert totals.actions == len(table), selection
            assert totals.overdue == int(table["overdue"].sum()), selection
            counts = action_counts(session, selection)
            assert (counts.actions, counts.overdue) == (totals.actions, totals.overdue), selection
            expected = (
                table.groupby("owner_name")
                .agg(actions=("ref", "size"), overdue=("overdue", "sum"))
                .reset_index()
                .astype({"actions": "int64", "overdue": "int64"})
                .sort_values(["overdue", "actions", "owner_name"], ascending=[False, False, True])
                .reset_index(drop=True)
            )
            pd.testing.assert_frame_equal(totals.by_owner, expected, check_dtype=False)

            refs, counts = all_pages(session, selection)
            assert refs == expected_order(table, None), selection
            assert counts == {len(table)}
            page = action_rows(session, selection, start=0, end=50)
            assert page.rows.columns.tolist() == [c for c in queries.ACTION_COLUMNS if c != "description"]
            whole = table.set_index("ref").loc[page.rows["ref"]]
            for column in (
                "status",
                "last_update_date",
                "last_update_commentary",
                "owner_name",
                "district_name",
            ):
                assert page.rows[column].tolist() == whole[column].tolist(), column


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_each_column_sorts_as_the_grid_shows_it(generated, column, direction):
    with session_scope(generated) as session:
        selection = ActionSelection(D(2025, 6, 1), EVERY_STATUS)
        table = whole_table(session, selection)
        refs, _ = all_pages(session, selection, size=40, sort=[(column, direction)])
        assert refs == expected_order(table, column, direction)


def test_searching_matches_every_word_in_what_the_grid_shows(generated):
    with session_scope(generated) as session:
        selection = ActionSelection(D(2025, 6, 1), EVERY_STATUS)
        table = whole_table(session, selection)
        first = table.iloc[0]
        searches = [
            first["ref"],
            first["ref"].lower(),
            first["owner_name"].split()[0].upper(),
            "overdue",
            "Partnership-wide",
            "on track",
            "risk",
            f"{first['priority_number']}.",
            "closed",
            "100%",
            "no_such_word anything",
        ]
        for search in searches:
            words = [w.casefold() for w in search.split()]
            texts = table[[f"shown_{c}" for c in SHOWN]].astype(str).agg(" | ".join, axis=1).str.casefold()
            matching = table[[all(w in text for w in words) for text in texts]]
            refs, counts = all_pages(session, selection, size=30, search=search)
            assert refs == expected_order(matching, None), search
            assert counts == {len(matching)}, search


TEXT_CASES = [
    ("title", {"filterType": "text", "type": "contains", "filter": "IN"}, lambda t: t["title"].str.lower().str.contains("in")),
    ("title", {"filterType": "text", "type": "notContains", "filter": "in"}, lambda t: ~t["title"].str.lower().str.contains("in")),
    ("ref", {"filterType": "text", "type": "startsWith", "filter": "x"}, lambda t: t["ref"].str.lower().str.startswith("x")),
    ("ref", {"filterType": "text", "type": "endsWith", "filter": "1"}, lambda t: t["ref"].str.endswith("1")),
    ("district", {"filterType": "text", "type": "equals", "filter": "partnership-wide"}, lambda t: t["district_name"].isna()),
    ("district", {"filterType": "text", "type": "notEqual", "filter": "partnership-wide"}, lambda t: t["district_name"].notna()),
    ("title", {"filterType": "text", "type": "blank"}, lambda t: t["title"] == ""),
    ("title", {"filterType": "text", "type": "notBlank"}, lambda t: t["title"] != ""),
    ("due_date", {"filterType": "date", "type": "lessThan", "dateFrom": "2025-06-01 00:00:00"}, lambda t: t["due_date"] < D(2025, 6, 1)),
    ("due_date", {"filterType": "date", "type": "greaterThan", "dateFrom": "2025-06-01 00:00:00"}, lambda t: t["due_date"] > D(2025, 6, 1)),
    ("due_date", {"filterType": "date", "type": "inRange", "dateFrom": "2025-01-01 00:00:00", "dateTo": "2025-12-31 00:00:00"}, lambda t: (t["due_date"] > D(2025, 1, 1)) & (t["due_date"] < D(2025, 12, 31))),
    ("last_update", {"filterType": "date", "type": "blank"}, lambda t: t["last_update_date"].isna()),
    ("last_update", {"filterType": "date", "type": "notBlank"}, lambda t: t["last_update_date"].notna()),
    (
        "ref",
        {"filterType": "text", "operator": "OR", "conditions": [
            {"filterType": "text", "type": "startsWith", "filter": "a"},
            {"filterType": "text", "type": "endsWith", "filter": "2"},
        ]},
        lambda t: t["ref"].str.lower().str.startswith("a") | t["ref"].str.endswith("2"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("column", "model", "keep"), TEXT_CASES)
def test_column_filters_keep_what_the_grid_filter_would(generated, column, model, keep):
    with session_scope(generated) as session:
        selection = ActionSelection(D(2025, 6, 1), EVERY_STATUS)
        table = whole_table(session, selection)
        kept = table[keep(table).fillna(False).astype(bool)]
        refs, counts = all_pages(session, selection, size=50, column_filters={column: model})
        assert refs == expected_order(kept, None)
        assert counts == {len(kept)}


@settings(max_examples=30, deadline=None)
@given(
    column=st.sampled_from([None, *COLUMNS]),
    direction=st.sampled_from(["asc", "desc"]),
    start=st.integers(0, 130),
    size=st.integers(1, 60),
    statuses=st.sets(st.sampled_from(EVERY_STATUS)),
)
def test_any_page_of_any_order_is_that_slice_of_the_whole_table(
    demo_engine, column, direction, start, size, statuses
):
    with session_scope(demo_engine) as session:
        selection = ActionSelection(D(2026, 11, 21), tuple(sorted(statuses)), include_restricted=True)
        table = whole_table(session, selection)
        sort = [] if column is None else [(column, direction)]
        page = action_rows(session, selection, start=start, end=start + size, sort=sort)
        assert page.rows["ref"].tolist() == expected_order(table, column, direction)[start : start + size]
        assert page.matching == len(table)


@pytest.fixture(scope="module")
def demo_engine(module_databases):
    engine = module_databases()
    load_demo(engine)
    return engine


@pytest.mark.parametrize(
    ("narrowing", "named"),
    [
        ({"sort": [("description", "asc")]}, "'description'"),
        ({"sort": [("ref", "sideways")]}, "'sideways'"),
        ({"column_filters": {"owner": {"filterType": "text", "type": "contains", "filter": "x"}}}, "'owner'"),
        ({"column_filters": {"title": {"filterType": "text", "type": "fuzzy", "filter": "x"}}}, "'fuzzy'"),
        (
            {"column_filters": {"due_date": {"filterType": "date", "type": "equals", "dateFrom": "soon"}}},
            "'soon'",
        ),
    ],
)
def test_a_request_the_table_cannot_answer_is_refused_naming_what(demo_engine, narrowing, named):
    with session_scope(demo_engine) as session, pytest.raises(ActionTableError, match=named):
        action_rows(session, ActionSelection(D(2026, 11, 21), EVERY_STATUS), start=0, end=10, **narrowing)
