"""Indicator series in SQL: the stored whole-partnership series, and what a RAG or a chart reads from any series.

A *series* is one indicator for one district, or for the whole partnership.  District series are the
``indicator_values`` rows of that district.  The whole partnership's series is kept in its own table,
``whole_partnership_values``, rebuilt in every import's transaction by ``refresh_whole_partnership``
from the supplied and district values (the rules are ``domain.derive``'s).  Pages therefore read both
kinds the same way, with indexed look-ups whose cost does not grow with the length of the history:

* ``latest_points``: per series, its latest value by a date, the value a year before it and whether any
  older value exists: everything ``domain.rag.rate_latest`` needs;
* ``series_values``: the values for the charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
from sqlalchemy import (
    BindParameter,
    Connection,
    Result,
    Select,
    String,
    and_,
    bindparam,
    case,
    delete,
    exists,
    insert,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Date

from data_access.frames import read_frame
from data_access.models import District, Indicator, IndicatorValue, WholePartnershipValue
from data_access.statements import listed
from domain.derive import combine_all, derive_all
from domain.periods import add_months, months_in

WHOLE_PARTNERSHIP = ""  # the district code of the whole partnership's series in the frames below


# ----------------------------------------------------------------------------------------------
# A year before a period, in either database's date arithmetic
# ----------------------------------------------------------------------------------------------


class _YearBefore(FunctionElement):
    """The same date twelve months earlier (period starts are 1st of the month, so this is exact)."""

    type = Date()
    inherit_cache = True
    name = "year_before"


@compiles(_YearBefore, "sqlite")
def _year_before_sqlite(element, compiler, **kw):
    # SQLAlchemy stores a SQLite Date as ISO text, which date() reads and writes.
    return f"date({compiler.process(element.clauses, **kw)}, '-12 months')"


@compiles(_YearBefore, "postgresql")
def _year_before_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) - INTERVAL '12 months' AS DATE)"


# ----------------------------------------------------------------------------------------------
# Rebuilding the whole partnership's series
# ----------------------------------------------------------------------------------------------

_NUMBERS = ["value", "lower_ci", "upper_ci", "numerator", "denominator"]


def refresh_whole_partnership(connection: Connection) -> int:
    """Rebuild ``whole_partnership_values`` from ``indicator_values``, in the caller's transaction.

    Every indicator at once: which districts exist decides whether a sum is complete, so an import of
    districts alone changes every derived value.  Returns the number of rows written.
    """
    units = dict(connection.execute(select(Indicator.id, Indicator.unit)).all())
    district_ids = list(connection.scalars(select(District.id)))
    values = pd.DataFrame(
        connection.execute(
            select(
                IndicatorValue.indicator_id,
                IndicatorValue.district_id,
                IndicatorValue.period_start,
                IndicatorValue.period_end,
                *(getattr(IndicatorValue, column) for column in _NUMBERS),
                IndicatorValue.note,
            )
        ).all(),
        columns=["indicator", "district_code", "period_start", "period_end", *_NUMBERS, "note"],
    )
    connection.execute(delete(WholePartnershipValue))
    if values.empty:
        return 0
    values[_NUMBERS] = values[_NUMBERS].astype("float64")
    is_whole = values["district_code"].isna()
    derived = derive_all(values[~is_whole], district_codes=district_ids, units=units)
    series = combine_all(values[is_whole], derived)
    ends = values.drop_duplicates(["indicator", "period_start"]).set_index(["indicator", "period_start"])
    series["period_end"] = (
        ends["period_end"].reindex(pd.MultiIndex.from_frame(series[["indicator", "period_start"]])).to_numpy()
    )
    rows = [
        {
            "indicator_id": int(row.indicator),
            "period_start": row.period_start,
            "period_end": row.period_end,
            **{column: _or_none(getattr(row, column)) for column in _NUMBERS},
            "method": row.method,
            "note": row.note,
        }
        for row in series.itertuples(index=False)
    ]
    connection.execute(insert(WholePartnershipValue), rows)
    return len(rows)


def _or_none(number: float) -> float | None:
    return None if np.isnan(number) else float(number)


# ----------------------------------------------------------------------------------------------
# Reading series
# ----------------------------------------------------------------------------------------------


FREQUENCIES = ("month", "quarter", "year")


def _latest_start_ended_by(as_at: dt.date, frequency: str) -> dt.date:
    """The latest period start whose period (of ``frequency``) had ended by ``as_at``.

    A period starting on the 1st of a month ends the day before ``add_months(start, n)``, so it has ended
    by ``as_at`` exactly when ``start <= add_months(as_at + 1 day, -n)``.  Comparing starts lets one
    index on (indicator, district, period_start) serve every look-up below.
    """
    return add_months(as_at + dt.timedelta(days=1), -months_in(frequency))


def _ended_by(start_column, frequency_column, as_at: dt.date | str):
    """Whether the period starting at ``start_column`` (of ``frequency_column``) had ended by ``as_at``; a
    name instead of a date: by the date whose bounds are the parameters ``ended_by_values`` gives it."""

    def bound(frequency: str):
        if isinstance(as_at, str):
            return bindparam(f"{as_at}_{frequency}", type_=Date())
        return literal(_latest_start_ended_by(as_at, frequency), Date())

    return start_column <= case(
        *((frequency_column == frequency, bound(frequency)) for frequency in ("month", "quarter")),
        else_=bound("year"),
    )


def ended_by_values(name: str, as_at: dt.date) -> dict[str, dt.date]:
    """The parameters of ``_ended_by(..., name)`` for the date ``as_at``."""
    return {f"{name}_{frequency}": _latest_start_ended_by(as_at, frequency) for frequency in FREQUENCIES}


LATEST_POINT_COLUMNS = [
    "indicator_code",
    "district_code",
    "latest_start",
    "value",
    "lower_ci",
    "upper_ci",
    "method",
    "previous_value",
    "previous_lower_ci",
    "previous_upper_ci",
    "has_older",
]
# The columns of LATEST_POINT_COLUMNS that are numbers: float64, NaN without a value.
LATEST_POINT_NUMBERS = (
    "value",
    "lower_ci",
    "upper_ci",
    "previous_value",
    "previous_lower_ci",
    "previous_upper_ci",
)


def latest_points(
    session: Session,
    as_at: dt.date,
    indicator_codes: Sequence[str],
    district_codes: Sequence[str] | None,
) -> pd.DataFrame:
    """For each series with a value by ``as_at``: what its RAG needs, in one statement.

    ``district_codes`` None: the whole partnership's series (district_code WHOLE_PARTNERSHIP); else those
    districts' own.  Columns: indicator_code, district_code, latest_start (the latest period with a value
    that had ended by ``as_at``), value, lower_ci, upper_ci, method ("supplied" or how it was derived),
    previous_value, previous_lower_ci, previous_upper_ci (the same period a year earlier; NaN when not
    reported), has_older (any value before the latest).  Series without a value have no row.
    """
    if not indicator_codes or (district_codes is not None and not district_codes):
        return pd.DataFrame(columns=LATEST_POINT_COLUMNS)
    # latest_points_at's statement for one date, built once.
    return latest_points_at(session, [as_at], indicator_codes, district_codes).drop(columns="as_at")


def latest_points_at(
    session: Session,
    dates: Sequence[dt.date],
    indicator_codes: Sequence[str],
    district_codes: Sequence[str] | None,
) -> pd.DataFrame:
    """``latest_points`` as at each of ``dates``, in one statement: a page comparing two dates (the
    overview and the changes page: now and a meeting) reads both at once.

    Columns: as_at (one of ``dates``), then LATEST_POINT_COLUMNS as ``latest_points`` gives them for that
    date. Series without a value by a date have no row for it.
    """
    dates = list(dict.fromkeys(dates))
    if not dates or not indicator_codes or (district_codes is not None and not district_codes):
        return _points_frame(pd.DataFrame(columns=["as_at", *LATEST_POINT_COLUMNS]))
    params: dict[str, object] = {"indicator_codes": list(indicator_codes)}
    if district_codes is not None:
        params["district_codes"] = list(district_codes)
    for position, as_at in enumerate(dates):
        params[f"as_at_{position}"] = as_at
        for frequency in FREQUENCIES:
            params[f"ended_by_{position}_{frequency}"] = _latest_start_ended_by(as_at, frequency)
    statement = _points_at_statement(len(dates), district_codes is not None)
    return _points_frame(read_frame(session, statement, ["as_at", *LATEST_POINT_COLUMNS], params=params))


@cache
def _points_at_statement(dates: int, by_district: bool) -> Select:
    """latest_points_at's statement for that many dates, built once: its parameters are the indicator
    codes, the district codes (``by_district``), and each date (as_at_N) with the latest period start
    ended by it for each frequency (ended_by_N_FREQUENCY). Building it took as long as running it for a
    small partnership."""
    # Each date's bound for each frequency, so one look-up per series and date serves every date.
    bounds = union_all(
        *(
            select(
                bindparam(f"as_at_{position}", type_=Date()).label("as_at"),
                literal(frequency).label("frequency"),
                bindparam(f"ended_by_{position}_{frequency}", type_=Date()).label("ended_by"),
            )
            for position in range(dates)
            for frequency in FREQUENCIES
        )
    ).subquery("bounds")
    indicator_codes = bindparam("indicator_codes", expanding=True)
    if by_district:
        table = IndicatorValue
        series = _district_series(indicator_codes, bindparam("district_codes", expanding=True))
    else:
        table = WholePartnershipValue
        series = select(
            Indicator.id.label("indicator_id"),
            Indicator.code.label("indicator_code"),
            Indicator.frequency,
            literal(WHOLE_PARTNERSHIP).label("district_code"),
        ).where(Indicator.code.in_(indicator_codes))
    undated = series.subquery("undated")
    dated = select(undated, bounds.c.as_at, bounds.c.ended_by).join(
        bounds, bounds.c.frequency == undated.c.frequency
    )
    return _latest_by_series(table, dated.subquery("series"))


def _points_frame(frame: pd.DataFrame) -> pd.DataFrame:
    # Column by column: pandas converts several columns assigned at once far more slowly (0.9 ms
    # against 0.3 for a priority's points, read twice by a priority page with districts).
    for column in LATEST_POINT_NUMBERS:
        frame[column] = frame[column].to_numpy(dtype="float64")  # None (no value) is NaN
    frame["has_older"] = frame["has_older"].to_numpy(dtype=bool)
    return frame


def _district_series(
    indicator_codes: Sequence[str] | BindParameter, district_codes: Sequence[str] | BindParameter
) -> Select:
    """Every given indicator in every given district: indicator_id, indicator_code, frequency,
    district_id, district_code. The codes are lists, or expanding parameters of a statement built once."""
    return (
        select(
            Indicator.id.label("indicator_id"),
            Indicator.code.label("indicator_code"),
            Indicator.frequency,
            District.id.label("district_id"),
            District.code.label("district_code"),
        )
        .join(District, District.code.in_(listed(district_codes)))
        .where(Indicator.code.in_(listed(indicator_codes)))
    )


def _latest_by_series(table, series) -> Select:
    """latest_points_at's select for the ``series`` (a subquery of _district_series' columns, or of the
    whole partnership's without district_id, with the columns as_at and ended_by: the date, and the latest
    period start that had ended by it for the series' frequency), one index look-up per series and date
    for its latest period. The select starts with as_at."""
    if table is WholePartnershipValue:
        same_series = lambda row, series_: row.indicator_id == series_.c.indicator_id  # noqa: E731
        valued = lambda row: row.value.is_not(None)  # noqa: E731
    else:
        same_series = lambda row, series_: and_(  # noqa: E731
            row.indicator_id == series_.c.indicator_id, row.district_id == series_.c.district_id
        )
        valued = lambda row: literal(True)  # noqa: E731
    candidate = aliased(table)
    # ORDER BY ... LIMIT 1 rather than max(): both databases then read one index entry per series,
    # where max() with the date condition walked the series' whole history in SQLite.
    latest_start = (
        select(candidate.period_start)
        .where(
            same_series(candidate, series),
            valued(candidate),
            candidate.period_start <= series.c.ended_by,
        )
        .order_by(candidate.period_start.desc())
        .limit(1)
        .scalar_subquery()
    )
    identity = [series.c.indicator_id, series.c.indicator_code, series.c.district_code, series.c.as_at]
    if table is IndicatorValue:
        identity.append(series.c.district_id)
    # Materialised, so the look-up runs once per series, not once for each join that reads it.
    latest = select(*identity, latest_start.label("latest_start")).cte("latest").prefix_with("MATERIALIZED")
    current, previous, older = aliased(table), aliased(table), aliased(table)
    # A value a year before the latest is an older one: only a series without one is looked up for any
    # (CASE evaluates only the branch it takes, in both databases), and most series have one.
    has_older = case(
        (previous.value.is_not(None), True),
        else_=exists().where(
            same_series(older, latest), valued(older), older.period_start < latest.c.latest_start
        ),
    )
    return (
        select(
            latest.c.as_at,
            latest.c.indicator_code,
            latest.c.district_code,
            latest.c.latest_start,
            current.value,
            current.lower_ci,
            current.upper_ci,
            current.method if table is WholePartnershipValue else literal("supplied"),
            previous.value,
            previous.lower_ci,
            previous.upper_ci,
            has_older,
        )
        .join(current, and_(same_series(current, latest), current.period_start == latest.c.latest_start))
        .outerjoin(
            previous,
            and_(
                same_series(previous, latest),
                previous.period_start == _YearBefore(latest.c.latest_start),
                valued(previous),
            ),
        )
    )


SERIES_COLUMNS = [
    "indicator_code",
    "district_code",
    "period_start",
    "value",
    "lower_ci",
    "upper_ci",
    "method",
    "note",
]


def series_values(
    session: Session,
    as_at: dt.date,
    indicator_codes: Sequence[str],
    district_codes: Sequence[str],
    *,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """The charts' values: the whole partnership's series and the given districts' own, by ``as_at``.

    Columns: indicator_code, district_code (WHOLE_PARTNERSHIP for the whole partnership), period_start,
    value (NaN where no whole-partnership value could be derived), lower_ci, upper_ci, method, note.
    In no particular order: its caller (progress.indicator_trends) puts them in the page's order, and
    a large priority page sorted 20,000 rows twice.
    """
    columns = series_value_columns(session, as_at, indicator_codes, district_codes, since=since)
    if not columns["period_start"]:
        return pd.DataFrame([], columns=SERIES_COLUMNS).astype(dict.fromkeys(_SERIES_NUMBERS, "float64"))
    for name in _SERIES_NUMBERS:
        columns[name] = np.array(columns[name], dtype="float64")  # None (no value) is NaN
    return pd.DataFrame(columns, columns=SERIES_COLUMNS)


_SERIES_NUMBERS = ("value", "lower_ci", "upper_ci")


def series_value_columns(
    session: Session,
    as_at: dt.date,
    indicator_codes: Sequence[str],
    district_codes: Sequence[str],
    *,
    since: dt.date | None = None,
) -> dict[str, list]:
    """``series_values``' rows as one list per column (SERIES_COLUMNS), as read: a number without a value
    is None.  For a caller that puts the rows in an order of its own before it builds a frame
    (progress.indicator_trends), so that the rows are not made into a frame twice."""
    columns: dict[str, list] = {name: [] for name in SERIES_COLUMNS}
    if not indicator_codes:
        return columns
    params: dict[str, object] = {"indicator_codes": list(indicator_codes), **ended_by_values("as_at", as_at)}
    if since is not None:
        params["since"] = since
    connection = session.connection()
    whole = connection.execute(_series_statement(False, since is not None), params)
    _extend(columns, whole, district_code=WHOLE_PARTNERSHIP)
    if district_codes:
        params["district_codes"] = list(district_codes)
        districts = connection.execute(_series_statement(True, since is not None), params)
        _extend(columns, districts, method="supplied")
    columns["period_start"] = _dates(columns["period_start"])
    return columns


def _extend(columns: dict[str, list], result: Result, **same_in_every_row: object) -> None:
    """Add a result's rows to ``columns`` (lists by name): the columns it selects by their labels, the
    others the value given for every row (a statement that selects a constant gets it back on each row,
    a new object each time)."""
    rows = result.all()
    if not rows:
        return
    selected = dict(zip(result.keys(), zip(*rows, strict=True), strict=True))
    for name, values in columns.items():
        values.extend(selected[name] if name in selected else [same_in_every_row[name]] * len(rows))


def _dates(values: list) -> list[dt.date]:
    """Period starts read as their text (SQLite) or as dates (PostgreSQL) as dates, each distinct one
    converted once: SQLAlchemy's conversion of each row's text was a fifth of reading a large priority's
    trends (5,500 rows, a few hundred periods)."""
    dates = {
        value: value if isinstance(value, dt.date) else dt.date.fromisoformat(value) for value in set(values)
    }
    return [dates[value] for value in values]


@cache
def _series_statement(districts: bool, since: bool) -> Select:
    """series_values' statement for the whole partnership, or for ``districts``, built once
    (data_access.statements): parameters indicator_codes, district_codes (``districts``), since
    (``since``) and the bounds of as_at (ended_by_values). Columns labelled as SERIES_COLUMNS, without
    district_code for the whole partnership and without method (always "supplied") for districts;
    period_start as the database gives it (``_dates``)."""
    table = IndicatorValue if districts else WholePartnershipValue
    statement = select(
        Indicator.code.label("indicator_code"),
        *([District.code.label("district_code")] if districts else []),
        # Without SQLAlchemy's conversion of each row (_dates converts each period once).
        type_coerce(table.period_start, String).label("period_start"),
        table.value.label("value"),
        table.lower_ci.label("lower_ci"),
        table.upper_ci.label("upper_ci"),
        *([] if districts else [table.method.label("method")]),
        table.note.label("note"),
    ).join(Indicator, Indicator.id == table.indicator_id)
    if districts:
        statement = statement.join(District, District.id == table.district_id).where(
            District.code.in_(bindparam("district_codes", expanding=True))
        )
    statement = statement.where(
        Indicator.code.in_(bindparam("indicator_codes", expanding=True)),
        _ended_by(table.period_start, Indicator.frequency, "as_at"),
    )
    if since:
        statement = statement.where(table.period_start >= bindparam("since", type_=Date()))
    return statement


NEW_VALUE_COLUMNS = ["indicator_code", "district_code", "period_start", "value"]


def values_ended_between(
    session: Session,
    since: dt.date,
    until: dt.date,
    indicator_codes: Sequence[str],
    district_codes: Sequence[str] | None,
) -> pd.DataFrame:
    """The values that became available between two dates: their period had ended by ``until`` but not
    by ``since``, the rule ``latest_points`` and ``series_values`` apply to one date.

    ``district_codes`` None: the whole partnership's series (district_code WHOLE_PARTNERSHIP; periods
    whose whole-partnership value could not be derived are left out); else those districts' own.
    Columns: indicator_code, district_code, period_start, value. Ordered by indicator code, district
    code, then period.
    """
    if not indicator_codes or (district_codes is not None and not district_codes):
        return pd.DataFrame(columns=NEW_VALUE_COLUMNS).astype({"value": "float64"})
    params: dict[str, object] = {
        "indicator_codes": list(indicator_codes),
        **ended_by_values("until", until),
        **ended_by_values("since", since),
    }
    if district_codes is not None:
        params["district_codes"] = list(district_codes)
    statement = _ended_between_statement(district_codes is not None)
    frame = read_frame(session, statement, NEW_VALUE_COLUMNS, params=params)
    # Sorted here rather than in SQL, as in series_values.
    return frame.astype({"value": "float64"}).sort_values(
        ["indicator_code", "district_code", "period_start"], ignore_index=True
    )


@cache
def _ended_between_statement(by_district: bool) -> Select:
    """values_ended_between's statement, built once (data_access.statements): parameters
    indicator_codes, district_codes (``by_district``), and the bounds of since and until (ended_by_values)."""
    if by_district:
        table = IndicatorValue
        statement = (
            select(Indicator.code, District.code, table.period_start, table.value)
            .join(District, District.id == table.district_id)
            .where(District.code.in_(bindparam("district_codes", expanding=True)))
        )
    else:
        table = WholePartnershipValue
        statement = select(Indicator.code, literal(WHOLE_PARTNERSHIP), table.period_start, table.value).where(
            table.value.is_not(None)
        )
    return statement.join(Indicator, Indicator.id == table.indicator_id).where(
        Indicator.code.in_(bindparam("indicator_codes", expanding=True)),
        _ended_by(table.period_start, Indicator.frequency, "until"),
        ~_ended_by(table.period_start, Indicator.frequency, "since"),
    )
