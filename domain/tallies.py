"""How many of a district's indicators and actions for a priority have each RAG, from each date on.

The district matrix rolls up, for every priority in every district, that district's indicator series
and actions as at the date viewed.  Neither changes on most days:

* a series' RAG as at a date is that of its latest value whose period had ended by then, and that
  value's rating depends only on itself, the value for the same period a year earlier and the
  indicator's definition, none of which depend on the date viewed.  So each value is rated once, as
  its series' latest (``domain.rag.latest_ratings``), and the series takes that rating from the last
  day of the value's period until the last day of its next one;
* an action's RAG as at a date (``domain.rag.action_rag``) changes only on the day it opens, on the
  day of one of its updates and on the day after it falls due.

Adding up those changes, cell by cell, gives each cell's tallies as a step function of the date: a row
for each date on which any tally changes, holding the tallies from that date until the next row's.  A
page then reads one row per cell, not a rating per series or a status per action.

Every tally is kept twice, for the public (restricted indicators and actions left out) and for roles
that see everything, so a roll-up shown to the public cannot give restricted items away.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from domain.periods import same_period_previous_year
from domain.rag import AMBER, GREEN, LATEST_RATING_COLUMNS, RED, action_rag, latest_ratings
from domain.vocabulary import CLOSED_ACTION_STATUSES, ActionStatus

# What a step that holds from the beginning starts on: an action without an opening date counts on any
# date, however early.
EARLIEST = dt.date.min

CELL_COLUMNS = ["priority", "district", "includes_restricted", "since"]
INDICATOR_TALLIES = ["red", "amber", "green", "reported"]
ACTION_TALLIES = ["red", "amber", "green", "overdue"]
INDICATOR_TALLY_COLUMNS = [*CELL_COLUMNS, *INDICATOR_TALLIES]
ACTION_TALLY_COLUMNS = [*CELL_COLUMNS, *ACTION_TALLIES]

# The ratings a roll-up counts, in the order of the tallies' first columns.
_COUNTED = (RED, AMBER, GREEN)


def indicator_tallies(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Each cell's indicator tallies as a step function of the date viewed.

    ``values``: district values, one row each, columns indicator, district (any keys), period_start,
    period_end (dates), value, lower_ci, upper_ci (NaN: no interval).  ``indicators``: one row per
    indicator, columns indicator (the key ``values`` uses), priority, good_direction, target (NaN:
    none), tolerance, restricted (bool).

    Columns of the result (INDICATOR_TALLY_COLUMNS): priority, district, includes_restricted (False:
    the public's tallies), since (a date), red, amber, green (series whose latest value by the date has
    that rating) and reported (series with any value by the date, neutral ones included), as on every
    date from ``since`` until the cell's next row.  A cell has no row before its first value, and from
    then on one on every date on which any cell's tallies change (a period ends on the last day of a
    month, so there are at most twelve such dates a year): the rows of the latest such date by a date
    are the whole matrix as at that date, read at once.  By cell then date.

    A series' latest value by a date is its value with the latest start whose period had ended by then
    (its period_end on or before the date), as data_access.series reads it.
    """
    if values.empty:
        return _empty(INDICATOR_TALLY_COLUMNS)
    values = values.sort_values(["indicator", "district", "period_start"], kind="stable", ignore_index=True)
    definitions = indicators.set_index("indicator")
    at = definitions.index.get_indexer(values["indicator"])
    first = _first_of_run(values["indicator"].to_numpy(), values["district"].to_numpy())
    previous = _year_before(values, first)
    rated = pd.DataFrame(
        {
            "good_direction": definitions["good_direction"].to_numpy(dtype=object)[at],
            "target": definitions["target"].to_numpy(dtype="float64")[at],
            "tolerance": definitions["tolerance"].to_numpy(dtype="float64")[at],
            "latest_start": values["period_start"],
            "value": values["value"].to_numpy(dtype="float64"),
            "lower_ci": values["lower_ci"].to_numpy(dtype="float64"),
            "upper_ci": values["upper_ci"].to_numpy(dtype="float64"),
            "previous_value": previous["value"],
            "previous_lower_ci": previous["lower_ci"],
            "previous_upper_ci": previous["upper_ci"],
            # Without the year-before value the rating is "not enough data" whether or not an older one was
            # reported (only the reason says which), so whether it was reported is all that matters here.
            "has_older": ~np.isnan(previous["value"]),
        },
        columns=LATEST_RATING_COLUMNS,
    )
    ratings = np.array(latest_ratings(rated), dtype=object)
    counted = np.column_stack(
        [*((ratings == rating).astype("int64") for rating in _COUNTED), np.ones(len(ratings), "int64")]
    )
    # From the last day of its period a value's rating replaces the one before it in its series; the
    # series counts as reported from its first value on.
    changes = pd.DataFrame(
        {
            "priority": definitions["priority"].to_numpy()[at],
            "district": values["district"].to_numpy(),
            "restricted": definitions["restricted"].to_numpy(dtype=bool)[at],
            "day": _days(values["period_end"]),
            **_changes(counted, first, INDICATOR_TALLIES),
        }
    )
    return _steps(changes, INDICATOR_TALLIES, every_cell=True)


def action_tallies(actions: pd.DataFrame, updates: pd.DataFrame) -> pd.DataFrame:
    """Each cell's action tallies as a step function of the date viewed.

    ``actions``: one row per action in a district, columns action (any key), priority, district,
    restricted (bool), opened_on (a date, None: counted on any date), due_date, status (its recorded
    status).  ``updates``: columns action, date, status.

    As at a date, an action counts once it has opened (opened_on on or before the date); its status is
    that of its latest update on or before the date, its recorded status when it has no updates at all,
    and not started when all its updates come later; it is overdue when open and due before the date.

    Columns of the result (ACTION_TALLY_COLUMNS): priority, district, includes_restricted, since (a
    date; EARLIEST for actions counted from the beginning), red, amber, green (open actions with that
    rating) and overdue (open actions past their due date), as on every date from ``since`` until the
    cell's next row.  One row per date on which a tally changes, by cell then date.
    """
    if actions.empty:
        return _empty(ACTION_TALLY_COLUMNS)
    actions = actions.reset_index(drop=True)
    opened = _days(pd.Series([EARLIEST if pd.isna(day) else day for day in actions["opened_on"].tolist()]))
    due = _days(actions["due_date"])
    update_position = pd.Index(actions["action"]).get_indexer(updates["action"])
    known = update_position >= 0
    updates = pd.DataFrame(
        {
            "position": update_position[known],
            "day": _days(updates["date"])[known],
            "status": updates["status"].to_numpy(dtype=object)[known],
        }
    )
    # The days on which an action's RAG may change: when it opens, each later update, the day after it
    # falls due.  Updates on or before the opening are read on the opening day itself.
    events = pd.DataFrame(
        {
            "position": np.concatenate([actions.index, updates["position"], actions.index]),
            "day": np.concatenate([opened, updates["day"], due + 1]),
        }
    )
    events = events[events["day"].to_numpy() >= opened[events["position"].to_numpy()]]
    events = events.drop_duplicates().sort_values(["position", "day"], ignore_index=True)
    position = events["position"].to_numpy()
    status = _status_on(actions["status"].to_numpy(dtype=object), updates, events)
    overdue = ~np.isin(status, list(CLOSED_ACTION_STATUSES)) & (due[position] < events["day"].to_numpy())
    ratings = np.array([action_rag(s, o) for s, o in zip(status.tolist(), overdue.tolist(), strict=True)])
    counted = np.column_stack(
        [*((ratings == rating).astype("int64") for rating in _COUNTED), overdue.astype("int64")]
    )
    changes = pd.DataFrame(
        {
            "priority": actions["priority"].to_numpy()[position],
            "district": actions["district"].to_numpy()[position],
            "restricted": actions["restricted"].to_numpy(dtype=bool)[position],
            "day": events["day"].to_numpy(),
            **_changes(counted, _first_of_run(position), ACTION_TALLIES),
        }
    )
    # Closed actions count for nothing in a roll-up, so their rating is tallied nowhere.
    return _steps(changes, ACTION_TALLIES)


def _status_on(recorded: np.ndarray, updates: pd.DataFrame, events: pd.DataFrame) -> np.ndarray:
    """Each event's action's status on its day: that of its latest update by then, its recorded status
    when it has no updates at all, not started when its updates all come later."""
    found = (
        pd.merge_asof(
            events.reset_index().sort_values("day", kind="stable"),
            updates.sort_values("day", kind="stable"),
            on="day",
            by="position",
            direction="backward",
        )
        .set_index("index")["status"]
        .sort_index()
    )
    has_updates = np.zeros(len(recorded), dtype=bool)
    has_updates[updates["position"].to_numpy()] = True
    position = events["position"].to_numpy()
    looked_up = found.fillna(ActionStatus.NOT_STARTED.value).to_numpy(dtype=object)
    return np.where(has_updates[position], looked_up, recorded[position])


def _days(dates) -> np.ndarray:
    """Dates (Python dates, or numpy or pandas datetimes) as day numbers, for arithmetic in numpy."""
    values = np.asarray(dates)
    if values.dtype == object:
        values = np.array(values.tolist(), dtype="datetime64[D]")
    return values.astype("datetime64[D]").astype("int64")


def _dates(days: np.ndarray) -> list[dt.date]:
    return days.astype("datetime64[D]").tolist()


def _first_of_run(*keys: np.ndarray) -> np.ndarray:
    """True for each row (sorted by ``keys``) whose keys differ from the row before's: the first of a run."""
    first = np.ones(len(keys[0]), dtype=bool)
    first[1:] = np.logical_or.reduce([key[1:] != key[:-1] for key in keys])
    return first


def _changes(counted: np.ndarray, first: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    """How each tally changes at each row of a sorted run of rows (one run per series or action): a row
    adds what it counts and takes away what the row before it in its run counted."""
    before = np.vstack([np.zeros((1, counted.shape[1]), dtype="int64"), counted[:-1]])
    before[first] = 0
    return {name: counted[:, n] - before[:, n] for n, name in enumerate(names)}


def _year_before(values: pd.DataFrame, first: np.ndarray) -> dict[str, np.ndarray]:
    """For each value (sorted by series and start; ``first`` marks each series' first), the same series'
    value, lower_ci and upper_ci for the same period a year earlier: NaN where it was not reported."""
    days = _days(values["period_start"])
    starts = np.unique(days)
    year_before = _days([same_period_previous_year(start) for start in _dates(starts)])
    wanted_days = year_before[np.searchsorted(starts, days)]
    # One sorted integer key per value (series number, then day), so a look-up is a binary search.
    series = np.cumsum(first) - 1
    low = min(days.min(), wanted_days.min())
    span = max(days.max(), wanted_days.max()) - low + 1
    keys = series * span + (days - low)
    wanted = series * span + (wanted_days - low)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = keys[at] == wanted
    return {
        column: np.where(found, values[column].to_numpy(dtype="float64")[at], np.nan)
        for column in ("value", "lower_ci", "upper_ci")
    }


def _steps(changes: pd.DataFrame, tallies: list[str], *, every_cell: bool = False) -> pd.DataFrame:
    """Changes (columns priority, district, restricted, day and a change to each tally) as each cell's
    tallies from each date on, for the public and for everyone.

    ``every_cell``: a row for every cell (from its first change on) on each date on which any cell's
    tallies change, so the rows of one date are the whole matrix's tallies until the next.
    """
    layers = []
    for includes_restricted in (False, True):
        chosen = changes if includes_restricted else changes[~changes["restricted"].to_numpy()]
        summed = chosen.groupby(["priority", "district", "day"], sort=True)[tallies].sum()
        # A day on which every change cancels out leaves the tallies as they were: no step.
        summed = summed[(summed.to_numpy() != 0).any(axis=1)]
        steps = summed.groupby(level=["priority", "district"], sort=False).cumsum().reset_index()
        if every_cell and not steps.empty:
            steps = _carried_forward(steps, tallies)
        layers.append(
            pd.DataFrame(
                {
                    "priority": steps["priority"],
                    "district": steps["district"],
                    "includes_restricted": includes_restricted,
                    "since": _dates(steps["day"].to_numpy()),
                    **{name: steps[name] for name in tallies},
                }
            )
        )
    return pd.concat(layers, ignore_index=True)


def _carried_forward(steps: pd.DataFrame, tallies: list[str]) -> pd.DataFrame:
    """Each cell's steps (columns priority, district, day and the tallies) carried forward to every later
    day on which any cell has a step: a row per cell and such day, from the cell's first step on."""
    cell, cells = pd.MultiIndex.from_arrays([steps["priority"], steps["district"]]).factorize()
    day, days = pd.factorize(steps["day"], sort=True)
    grid = np.full((len(days), len(cells), len(tallies)), np.nan)
    grid[day, cell] = steps[tallies].to_numpy(dtype="float64")
    # For each day and cell, the latest day by then on which the cell has a step (0 before its first).
    stepped = np.where(np.isnan(grid[:, :, 0]), 0, np.arange(len(days))[:, None])
    latest = np.maximum.accumulate(stepped, axis=0)
    filled = grid[latest, np.arange(len(cells))[None, :]]
    on_day, of_cell = np.nonzero(~np.isnan(filled[:, :, 0]))
    order = np.lexsort((on_day, of_cell))
    on_day, of_cell = on_day[order], of_cell[order]
    return pd.DataFrame(
        {
            "priority": cells.get_level_values(0).to_numpy()[of_cell],
            "district": cells.get_level_values(1).to_numpy()[of_cell],
            "day": np.asarray(days)[on_day],
            **{name: filled[on_day, of_cell, n].astype("int64") for n, name in enumerate(tallies)},
        }
    )


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
