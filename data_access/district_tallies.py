"""Each district's tallies for each priority as a step function of the date, kept by every import.

The district matrix rolls up every priority in every district as at any date: at large scale 16,000
indicator series and 20,000 actions, rated afresh for each date.  Their ratings change only on a few
dates (a period's last day, an action's opening, update or due date), so every import that writes
indicators, values, actions or updates rebuilds, in its own transaction, each cell's tallies from each
such date on (``domain.tallies``), and the matrix reads one row per cell for the date it shows
(``district_tallies``): the same roll-ups, whatever the length of the history or the number of series.

Imports only insert or change rows (they never delete), and every write to what a tally is made of goes
through an import, so the tables are never out of step with the data; a migration builds them for data
that was there before them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, Integer, and_, delete, false, func, insert, literal, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from data_access.frames import read_frame, read_numbers, rows_frame
from data_access.models import (
    Action,
    ActionUpdate,
    District,
    DistrictActionTally,
    DistrictIndicatorTally,
    Indicator,
    IndicatorValue,
    Priority,
)
from domain.tallies import action_tallies, indicator_tallies
from domain.vocabulary import GoodDirection

# Rows handed to the driver at a time: bounds the memory their Python objects take.
_WRITE_CHUNK = 50_000


def refresh_indicator_tallies(connection: Connection) -> int:
    """Rebuild ``district_indicator_tallies`` from every district value, in the caller's transaction.

    Every indicator at once: an import may change an indicator's target, tolerance, direction, priority
    or restriction as well as its values, and any of those changes ratings across its whole history.
    Returns the number of rows written.
    """
    indicators = _read(
        connection,
        select(
            Indicator.id.label("indicator"),
            Indicator.priority_id.label("priority"),
            Indicator.good_direction,
            Indicator.target,
            Indicator.tolerance,
            Indicator.restricted,
        ),
    ).astype({"target": "float64", "tolerance": "float64"})
    # Millions of rows at large scale: read as numbers only, dates as day numbers.
    values = read_numbers(
        connection,
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.district_id,
            _DayNumber(IndicatorValue.period_start),
            _DayNumber(IndicatorValue.period_end),
            IndicatorValue.value,
            IndicatorValue.lower_ci,
            IndicatorValue.upper_ci,
        ).where(IndicatorValue.district_id.is_not(None)),
    )
    values = pd.DataFrame(
        {
            "indicator": values[:, 0].astype("int64"),
            "district": values[:, 1].astype("int64"),
            "period_start": values[:, 2].astype("int64").astype("datetime64[D]"),
            "period_end": values[:, 3].astype("int64").astype("datetime64[D]"),
            "value": values[:, 4],
            "lower_ci": values[:, 5],
            "upper_ci": values[:, 6],
        }
    )
    return _replace(connection, DistrictIndicatorTally, indicator_tallies(values, indicators))


def refresh_action_tallies(connection: Connection) -> int:
    """Rebuild ``district_action_tallies`` from every district action and its updates, in the caller's
    transaction.  Returns the number of rows written."""
    actions = _read(
        connection,
        select(
            Action.id.label("action"),
            Action.priority_id.label("priority"),
            Action.district_id.label("district"),
            Action.restricted,
            Action.opened_on,
            Action.due_date,
            Action.status,
        ).where(Action.district_id.is_not(None)),
    )
    updates = _read(
        connection,
        select(ActionUpdate.action_id.label("action"), ActionUpdate.date, ActionUpdate.status)
        .join(Action, Action.id == ActionUpdate.action_id)
        .where(Action.district_id.is_not(None)),
    )
    return _replace(connection, DistrictActionTally, action_tallies(actions, updates))


class _DayNumber(FunctionElement):
    """A date as the number of days since 1970-01-01, so millions of dates are read as numbers."""

    type = Integer()
    inherit_cache = True
    name = "day_number"


@compiles(_DayNumber, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    # SQLAlchemy stores a SQLite Date as ISO text; julianday() of a date is a whole day plus a half.
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(_DayNumber, "postgresql")
def _day_number_postgresql(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)} - DATE '1970-01-01')"


def _read(connection: Connection, statement) -> pd.DataFrame:
    result = connection.execute(statement)
    return rows_frame(result.all(), list(result.keys()))


def _tally_columns(model) -> list:
    """A tallies table's tallies, in its columns' order."""
    return [column for column in model.__table__.columns if not column.primary_key]


def _replace(connection: Connection, model, tallies: pd.DataFrame) -> int:
    """Replace every row of ``model`` with ``tallies`` (domain.tallies' columns)."""
    connection.execute(delete(model))
    names = {"priority": "priority_id", "district": "district_id"}
    columns = {
        names.get(name, name): (
            tallies[name].tolist()
            if name in ("includes_restricted", "since")
            else tallies[name].astype(int).tolist()
        )
        for name in tallies.columns
    }
    keys = list(columns)
    rows = [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    for start in range(0, len(rows), _WRITE_CHUNK):
        connection.execute(insert(model), rows[start : start + _WRITE_CHUNK])
    return len(rows)


DISTRICT_TALLY_COLUMNS = [
    "priority_code",
    "district_code",
    "indicators",
    "indicators_red",
    "indicators_amber",
    "indicators_green",
    "indicators_reported",
    "actions_red",
    "actions_amber",
    "actions_green",
    "actions_overdue",
]


def district_tallies(
    session: Session,
    as_at: dt.date,
    priority_codes: Sequence[str],
    *,
    include_restricted: bool = False,
) -> pd.DataFrame:
    """Each of the given priorities' tallies in every district as at ``as_at``, in one statement, whatever
    the number of series or actions behind them: the indicator tallies are one date's rows, the action
    tallies a look-up per cell.

    Counts the district's own indicator series and actions (not partnership-wide ones); restricted ones
    only with ``include_restricted``.  Columns: priority_code, district_code, indicators (the priority's
    indicators that can be rated: not tracked for context only), indicators_red, indicators_amber,
    indicators_green (series whose latest value by the date has that rating), indicators_reported (series
    with any value by the date, context-only ones included), actions_red, actions_amber, actions_green
    (open actions by rating), actions_overdue: all integers, 0 where there is nothing.  One row per
    priority and district, in no particular order.
    """
    if not priority_codes:
        return pd.DataFrame(columns=DISTRICT_TALLY_COLUMNS)
    layer = true() if include_restricted else false()
    rateable = (
        select(Indicator.priority_id, func.count().label("indicators"))
        .where(Indicator.good_direction != GoodDirection.NONE.value)
        .group_by(Indicator.priority_id)
    )
    if not include_restricted:
        rateable = rateable.where(Indicator.restricted.is_(False))
    rateable = rateable.subquery("rateable")
    cells = (
        select(
            Priority.id.label("priority_id"),
            Priority.code.label("priority_code"),
            District.id.label("district_id"),
            District.code.label("district_code"),
        )
        .join(District, literal(True))
        .where(Priority.code.in_(list(priority_codes)))
    )
    actions = DistrictActionTally

    def latest_action_step(priority_id, district_id, *columns):
        # ORDER BY ... LIMIT 1: one seek into the table's key (priority, district, layer, since) per cell.
        return (
            select(*columns)
            .where(
                actions.priority_id == priority_id,
                actions.district_id == district_id,
                actions.includes_restricted == layer,
                actions.since <= as_at,
            )
            .order_by(actions.since.desc())
            .limit(1)
        )

    if session.get_bind().dialect.name == "postgresql":
        # Each cell's latest action step, tallies and all, in one index scan (LATERAL).
        cells = cells.subquery("cells")
        action_step = latest_action_step(
            cells.c.priority_id, cells.c.district_id, *_tally_columns(actions)
        ).lateral("action_step")
        joined = cells.outerjoin(action_step, true())
    else:
        # SQLite has no LATERAL: each cell's latest since, looked up once (a materialised CTE), then that
        # step's row by its key.
        cells = (
            cells.add_columns(
                latest_action_step(Priority.id, District.id, actions.since).scalar_subquery().label("since")
            )
            .cte("cells")
            .prefix_with("MATERIALIZED")
        )
        action_step = actions.__table__.alias("action_step")
        joined = cells.outerjoin(
            action_step,
            and_(
                action_step.c.priority_id == cells.c.priority_id,
                action_step.c.district_id == cells.c.district_id,
                action_step.c.includes_restricted == layer,
                action_step.c.since == cells.c.since,
            ),
        )
    # The whole matrix's indicator tallies as at the date are the rows of the latest date by then.
    indicators = DistrictIndicatorTally
    snapshot = (
        select(func.max(indicators.since))
        .where(indicators.includes_restricted == layer, indicators.since <= as_at)
        .scalar_subquery()
    )
    joined = joined.outerjoin(
        indicators,
        and_(
            indicators.includes_restricted == layer,
            indicators.since == snapshot,
            indicators.priority_id == cells.c.priority_id,
            indicators.district_id == cells.c.district_id,
        ),
    ).outerjoin(rateable, rateable.c.priority_id == cells.c.priority_id)

    def counted(column):
        return func.coalesce(column, literal(0))

    statement = select(
        cells.c.priority_code,
        cells.c.district_code,
        counted(rateable.c.indicators),
        *(counted(getattr(indicators, name)) for name in ("red", "amber", "green", "reported")),
        *(counted(action_step.c[name]) for name in ("red", "amber", "green", "overdue")),
    ).select_from(joined)
    # Every count is coalesced to a whole number in SQL, so pandas reads the columns as int64 itself.
    return read_frame(session, statement, DISTRICT_TALLY_COLUMNS)
