"""A cell's tallies as a step function of the date (domain.tallies) are, on every date, what rating each
series and action as at that date gives: the series by the whole-series rule (domain.rag.indicator_rating)
on the values whose period had ended by then, the actions by domain.rag.action_rating."""

from __future__ import annotations

import datetime as dt
import math
import os

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.periods import add_months, period_end
from domain.rag import AMBER, GREEN, RED, action_rating, indicator_rating, is_overdue
from domain.tallies import (
    ACTION_TALLY_COLUMNS,
    EARLIEST,
    INDICATOR_TALLY_COLUMNS,
    action_tallies,
    indicator_tallies,
)
from domain.vocabulary import ActionStatus, GoodDirection

D = dt.date
FIRST = D(2021, 1, 1)
NAN = math.nan
STEP = {"month": 1, "quarter": 3, "year": 3}  # years published every quarter overlap (rolling years)


@st.composite
def indicator_sets(draw) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A few indicators of two priorities, each with values for some of three districts."""
    indicators, values = [], []
    for number in range(draw(st.integers(1, 4))):
        frequency = draw(st.sampled_from(["month", "quarter", "year"]))
        indicators.append(
            {
                "indicator": f"i{number}",
                "priority": draw(st.sampled_from(["p1", "p2"])),
                "good_direction": draw(st.sampled_from(GoodDirection.codes())),
                "target": draw(st.sampled_from([NAN, NAN, 0.0, 10.0, 50.0])),
                "tolerance": draw(st.sampled_from([0.0, 0.05, 0.2])),
                "restricted": draw(st.booleans()),
                "frequency": frequency,
            }
        )
        for district in draw(st.sets(st.sampled_from([1, 2, 3]), max_size=3)):
            count = draw(st.integers(1, 18))
            gaps = draw(st.sets(st.integers(0, count - 1), max_size=count // 2))
            first = add_months(FIRST, draw(st.integers(0, 14)))
            for step in range(count):
                if step in gaps:
                    continue
                start = add_months(first, STEP[frequency] * step)
                value = float(draw(st.sampled_from([0, 8, 10, 11, 20, 50, 52, 60])))
                with_ci = draw(st.booleans())
                values.append(
                    {
                        "indicator": f"i{number}",
                        "district": district,
                        "period_start": start,
                        "period_end": period_end(start, frequency),
                        "value": value,
                        "lower_ci": value - 3 if with_ci else NAN,
                        "upper_ci": value + 3 if with_ci else NAN,
                    }
                )
    return pd.DataFrame(indicators), pd.DataFrame(
        values,
        columns=["indicator", "district", "period_start", "period_end", "value", "lower_ci", "upper_ci"],
    )


def step_on(tallies: pd.DataFrame, day: dt.date, columns: list[str]) -> dict[tuple, tuple]:
    """Each cell's tallies on ``day``: its latest row since on or before it (cells with none left out)."""
    steps = {}
    for row in tallies[tallies["since"] <= day].itertuples(index=False):
        steps[(row.priority, row.district, row.includes_restricted)] = tuple(getattr(row, c) for c in columns)
    return {cell: counts for cell, counts in steps.items() if any(counts)}


def snapshot_on(tallies: pd.DataFrame, day: dt.date, columns: list[str]) -> dict[tuple, tuple]:
    """Every cell's tallies on ``day`` read as the district matrix reads the indicator tallies: the rows
    of the latest date by then, in each layer."""
    snapshot = {}
    for layer, rows in tallies[tallies["since"] <= day].groupby("includes_restricted"):
        latest = rows[rows["since"] == rows["since"].max()]
        for row in latest.itertuples(index=False):
            snapshot[(row.priority, row.district, layer)] = tuple(getattr(row, c) for c in columns)
    return {cell: counts for cell, counts in snapshot.items() if any(counts)}


def counted(cells: dict[tuple, list[int]]) -> dict[tuple, tuple]:
    return {cell: tuple(counts) for cell, counts in cells.items() if any(counts)}


def indicator_oracle(indicators: pd.DataFrame, values: pd.DataFrame, day: dt.date) -> dict[tuple, tuple]:
    cells: dict[tuple, list[int]] = {}
    for indicator in indicators.to_dict("records"):
        mine = values[(values["indicator"] == indicator["indicator"]) & (values["period_end"] <= day)]
        for district, series in mine.groupby("district"):
            rating = indicator_rating(
                series,
                good_direction=indicator["good_direction"],
                target=None if math.isnan(indicator["target"]) else indicator["target"],
                tolerance=indicator["tolerance"],
                unit="count",
                frequency=indicator["frequency"],
            ).rating
            for layer in (False, True):
                if indicator["restricted"] and not layer:
                    continue
                tally = cells.setdefault((indicator["priority"], district, layer), [0, 0, 0, 0])
                for n, counted_rating in enumerate((RED, AMBER, GREEN)):
                    tally[n] += rating == counted_rating
                tally[3] += 1
    return counted(cells)


@settings(max_examples=int(os.getenv("GENERATIVE_EXAMPLES", "40")), deadline=None)
@given(data=indicator_sets(), days=st.lists(st.dates(D(2020, 6, 1), D(2027, 1, 1)), min_size=1, max_size=6))
def test_indicator_tallies_are_the_whole_series_rule_on_every_date(data, days):
    indicators, values = data
    tallies = indicator_tallies(values, indicators)
    assert list(tallies.columns) == INDICATOR_TALLY_COLUMNS
    period_ends = values["period_end"].tolist()
    columns = ["red", "amber", "green", "reported"]
    for day in [*days, *period_ends, *(end - dt.timedelta(days=1) for end in period_ends)]:
        expected = indicator_oracle(indicators, values, day)
        assert step_on(tallies, day, columns) == expected, day
        # Every cell has a row on each date on which any cell's tallies change: one date's rows are all.
        assert snapshot_on(tallies, day, columns) == expected, day


@st.composite
def action_sets(draw) -> tuple[pd.DataFrame, pd.DataFrame]:
    actions, updates = [], []
    for number in range(draw(st.integers(1, 6))):
        actions.append(
            {
                "action": number,
                "priority": draw(st.sampled_from(["p1", "p2"])),
                "district": draw(st.sampled_from([1, 2])),
                "restricted": draw(st.booleans()),
                "opened_on": draw(st.one_of(st.none(), st.dates(D(2022, 1, 1), D(2023, 12, 31)))),
                "due_date": draw(st.dates(D(2022, 1, 1), D(2024, 12, 31))),
                "status": draw(st.sampled_from(ActionStatus.codes())),
            }
        )
        for day in draw(st.sets(st.dates(D(2021, 6, 1), D(2025, 6, 1)), max_size=4)):
            updates.append(
                {"action": number, "date": day, "status": draw(st.sampled_from(ActionStatus.codes()))}
            )
    return pd.DataFrame(actions), pd.DataFrame(updates, columns=["action", "date", "status"])


def action_oracle(actions: pd.DataFrame, updates: pd.DataFrame, day: dt.date) -> dict[tuple, tuple]:
    cells: dict[tuple, list[int]] = {}
    for action in actions.to_dict("records"):
        if action["opened_on"] is not None and action["opened_on"] > day:
            continue
        mine = updates[updates["action"] == action["action"]]
        if mine.empty:
            status = action["status"]
        else:
            by_then = mine[mine["date"] <= day].sort_values("date")
            status = by_then["status"].iloc[-1] if len(by_then) else ActionStatus.NOT_STARTED.value
        rating = action_rating(status, action["due_date"], day).rating
        overdue = is_overdue(status, action["due_date"], day)
        for layer in (False, True):
            if action["restricted"] and not layer:
                continue
            tally = cells.setdefault((action["priority"], action["district"], layer), [0, 0, 0, 0])
            for n, counted_rating in enumerate((RED, AMBER, GREEN)):
                tally[n] += rating == counted_rating
            tally[3] += overdue
    return counted(cells)


@settings(max_examples=int(os.getenv("GENERATIVE_EXAMPLES", "40")), deadline=None)
@given(data=action_sets(), days=st.lists(st.dates(D(2021, 1, 1), D(2026, 1, 1)), min_size=1, max_size=6))
def test_action_tallies_are_each_actions_rating_on_every_date(data, days):
    actions, updates = data
    tallies = action_tallies(actions, updates)
    assert list(tallies.columns) == ACTION_TALLY_COLUMNS
    edges = [
        *updates["date"].tolist(),
        *(day for day in actions["opened_on"].tolist() if day is not None),
        *actions["due_date"].tolist(),
    ]
    for day in [
        *days,
        *edges,
        *(edge + dt.timedelta(days=1) for edge in edges),
        *(e - dt.timedelta(days=1) for e in edges),
    ]:
        assert step_on(tallies, day, ["red", "amber", "green", "overdue"]) == action_oracle(
            actions, updates, day
        ), day


def test_an_action_without_an_opening_date_counts_from_the_beginning():
    actions = pd.DataFrame(
        [
            {
                "action": 1,
                "priority": "p",
                "district": 1,
                "restricted": False,
                "opened_on": None,
                "due_date": D(2024, 3, 31),
                "status": "on_track",
            }
        ]
    )
    tallies = action_tallies(actions, pd.DataFrame(columns=["action", "date", "status"]))
    steps = tallies[~tallies["includes_restricted"]][["since", "red", "green", "overdue"]]
    # Green until its due date has passed, then red and overdue.
    assert steps.values.tolist() == [[EARLIEST, 0, 1, 0], [D(2024, 4, 1), 1, 0, 1]]


def test_nothing_to_tally():
    assert indicator_tallies(
        pd.DataFrame(
            columns=["indicator", "district", "period_start", "period_end", "value", "lower_ci", "upper_ci"]
        ),
        pd.DataFrame(
            columns=["indicator", "priority", "good_direction", "target", "tolerance", "restricted"]
        ),
    ).empty
    assert action_tallies(
        pd.DataFrame(
            columns=["action", "priority", "district", "restricted", "opened_on", "due_date", "status"]
        ),
        pd.DataFrame(columns=["action", "date", "status"]),
    ).empty
