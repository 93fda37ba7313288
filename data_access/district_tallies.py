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
from functools import cache

import pandas as pd
from sqlalchemy import (
    CompoundSelect,
    Connection,
    Date,
    Integer,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal,
    select,
    true,
    union_all,
)
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
    PartnershipWideActionTally,
    Priority,
)
from domain.tallies import ACTION_TALLIES, action_tallies, indicator_tallies
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
    return _replace(connection, DistrictActionTally, _action_tallies(connection, in_a_district=True))


# What the partnership-wide actions' cells are keyed by in domain.tallies, whose cells have a district.
_NO_DISTRICT = 0


def refresh_partnership_wide_action_tallies(connection: Connection) -> int:
    """Rebuild ``partnership_wide_action_tallies`` from every action in no district and its updates, in the
    caller's transaction.  Returns the number of rows written."""
    tallies = _action_tallies(connection, in_a_district=False)
    return _replace(connection, PartnershipWideActionTally, tallies.drop(columns="district"))


def _action_tallies(connection: Connection, *, in_a_district: bool) -> pd.DataFrame:
    """domain.tallies.action_tallies of the actions in a district (``in_a_district``) or in none (their
    district _NO_DISTRICT)."""
    placed = Action.district_id.is_not(None) if in_a_district else Action.district_id.is_(None)
    actions = _read(
        connection,
        select(
            Action.id.label("action"),
            Action.priority_id.label("priority"),
            func.coalesce(Action.district_id, _NO_DISTRICT).label("district"),
            Action.restricted,
            Action.opened_on,
            Action.due_date,
            Action.status,
        ).where(placed),
    )
    updates = _read(
        connection,
        select(ActionUpdate.action_id.label("action"), ActionUpdate.date, ActionUpdate.status)
        .join(Action, Action.id == ActionUpdate.action_id)
        .where(placed),
    )
    return action_tallies(actions, updates)


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


PRIORITY_ACTION_TALLY_COLUMNS = ["as_at", "priority_code", *ACTION_TALLIES]


def priority_action_tallies(
    session: Session,
    dates: Sequence[dt.date],
    priority_codes: Sequence[str],
    districts: Sequence[str] | None = None,
    *,
    include_restricted: bool = False,
) -> pd.DataFrame:
    """How many of each priority's open actions were rated red, amber and green, and how many were overdue,
    as at each of ``dates``: those in ``districts`` (None: in every district) and the partnership-wide ones,
    as queries.actions_as_at chooses them; restricted ones only with ``include_restricted``.

    What a priority's roll-up counts, read from the tallies every import keeps: a look-up per district,
    priority and date, however many actions and updates lie behind them (working out every action's
    status as at two dates took 30-50 ms at large scale). Columns: PRIORITY_ACTION_TALLY_COLUMNS (the
    tallies as integers); a priority with no open action at a date may have no row for it.
    """
    dates = list(dict.fromkeys(dates))
    if not dates or not priority_codes:
        return pd.DataFrame(columns=PRIORITY_ACTION_TALLY_COLUMNS)
    params: dict[str, object] = {"priority_codes": list(priority_codes)}
    if districts is not None:
        params["districts"] = list(districts)
    params |= {f"as_at_{position}": as_at for position, as_at in enumerate(dates)}
    statement = _priority_action_tallies_statement(
        len(dates), districts is not None, include_restricted, session.get_bind().dialect.name == "postgresql"
    )
    frame = read_frame(session, statement, PRIORITY_ACTION_TALLY_COLUMNS, params=params)
    # A row from the districts' tallies and one from the partnership-wide ones, for each priority and date.
    summed = frame.groupby(["as_at", "priority_code"], as_index=False, sort=False)[ACTION_TALLIES].sum()
    return summed.astype(dict.fromkeys(ACTION_TALLIES, "int64"))


@cache
def _priority_action_tallies_statement(
    dates: int, by_district: bool, include_restricted: bool, lateral: bool
) -> CompoundSelect:
    """priority_action_tallies' statement for that many dates (parameters as_at_0, as_at_1...), built once
    (data_access.statements); its other parameters are priority_codes and, ``by_district``, districts.

    Each cell (a priority in a district, or its partnership-wide actions) reads its latest step by each
    date: with ``lateral`` (PostgreSQL), tallies and all in one index scan; otherwise (SQLite has no
    LATERAL) its latest ``since`` is looked up once, in a materialised CTE, then that step's row by its
    key, as district_tallies does. (PostgreSQL, given the CTE, hashed the whole tallies table instead.)
    """
    layer = true() if include_restricted else false()
    priority_codes = bindparam("priority_codes", expanding=True)
    sums = []
    for tallies, in_a_district in ((DistrictActionTally, True), (PartnershipWideActionTally, False)):
        for position in range(dates):
            as_at = bindparam(f"as_at_{position}", type_=Date())
            cells = select(
                as_at.label("as_at"),
                Priority.id.label("priority_id"),
                Priority.code.label("priority_code"),
                *([District.id.label("district_id")] if in_a_district else []),
            ).where(Priority.code.in_(priority_codes))
            if in_a_district:
                chosen = District.code.in_(bindparam("districts", expanding=True)) if by_district else true()
                cells = cells.join(District, chosen)
            cells = cells.subquery("cells")

            def latest_step(*columns, cells=cells, tallies=tallies, in_a_district=in_a_district, as_at=as_at):
                same_cell = [tallies.priority_id == cells.c.priority_id]
                if in_a_district:
                    same_cell.append(tallies.district_id == cells.c.district_id)
                return (
                    select(*columns)
                    .where(*same_cell, tallies.includes_restricted == layer, tallies.since <= as_at)
                    .order_by(tallies.since.desc())
                    .limit(1)
                )

            if lateral:
                step = latest_step(*(getattr(tallies, name) for name in ACTION_TALLIES)).lateral("step")
                joined = cells.join(step, true())
            else:
                looked_up = (
                    select(cells, latest_step(tallies.since).scalar_subquery().label("since"))
                    .cte(f"{tallies.__tablename__}_{position}")
                    .prefix_with("MATERIALIZED")
                )
                step = tallies.__table__.alias("step")
                key = [
                    step.c.priority_id == looked_up.c.priority_id,
                    step.c.includes_restricted == layer,
                    step.c.since == looked_up.c.since,
                ]
                if in_a_district:
                    key.append(step.c.district_id == looked_up.c.district_id)
                cells, joined = looked_up, looked_up.join(step, and_(*key))
            sums.append(
                select(
                    cells.c.as_at, cells.c.priority_code, *(func.sum(step.c[name]) for name in ACTION_TALLIES)
                )
                .select_from(joined)
                .group_by(cells.c.as_at, cells.c.priority_code)
            )
    return union_all(*sums)
