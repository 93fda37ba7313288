"""Progress figures for the pages: indicator trends and RAG, priority RAG, the district matrix.

Queries come from :mod:`data_access.queries`; the rules come from :mod:`domain` (pure functions),
so every figure a page shows is computed here the same way for every page.

Scope: without a district filter, indicators are rated on their whole-partnership series (supplied,
or derived from districts where valid) and a priority shows the board's latest assessment when
there is one. With a district filter, indicators are rated per chosen district and a priority's
RAG is the roll-up for those districts (the board's assessment, which is for the whole
partnership, is returned alongside for context).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from data_access import queries
from data_access.queries import WHOLE_PARTNERSHIP
from domain.derive import combine_with_supplied, derive_whole_partnership
from domain.formatting import format_date
from domain.periods import period_label
from domain.rag import (
    NEUTRAL,
    NO_DATA,
    RATING_WORDS,
    Rating,
    action_rating,
    indicator_rating,
    is_overdue,
    priority_rollup,
)

WHOLE_PARTNERSHIP_NAME = "Whole partnership"

TREND_COLUMNS = [
    "series_code",
    "series_name",
    "period_start",
    "period_label",
    "value",
    "lower_ci",
    "upper_ci",
    "method",
    "note",
]


def _records_frame(records: list[dict], columns: Sequence[str], numbers: Sequence[str]) -> pd.DataFrame:
    """Records as a frame in which a blank stays None, as the docstrings promise.

    pandas would otherwise turn None into NaN in any column that also holds text (its string dtype),
    and NaN is truthy: "no headline indicator" or "no source" would read as a value.
    """
    frame = pd.DataFrame(records, columns=list(columns), dtype=object)
    for column in numbers:
        frame[column] = pd.to_numeric(frame[column])
    return frame


def whole_partnership_series(values: pd.DataFrame, district_codes: Sequence[str], unit: str) -> pd.DataFrame:
    """One indicator's whole-partnership series from its stored values (see domain.derive).

    ``values``: rows of queries.indicator_values for one indicator. Columns as
    domain.derive.combine_with_supplied: period_start, value, lower_ci, upper_ci, numerator,
    denominator, method ("supplied", "sum", "ratio", "incomplete", "none"), note.
    """
    is_whole = values["district_code"] == WHOLE_PARTNERSHIP
    if is_whole.all():
        # Nothing to derive (most county-level indicators): skip the derivation's frame building.
        return (
            values.loc[
                :, ["period_start", "value", "lower_ci", "upper_ci", "numerator", "denominator", "note"]
            ]
            .assign(method="supplied", note=values["note"].fillna("Supplied whole-partnership value."))[
                [
                    "period_start",
                    "value",
                    "lower_ci",
                    "upper_ci",
                    "numerator",
                    "denominator",
                    "method",
                    "note",
                ]
            ]
            .reset_index(drop=True)
        )
    supplied = values.loc[
        is_whole, ["period_start", "value", "lower_ci", "upper_ci", "numerator", "denominator", "note"]
    ]
    district_rows = values.loc[
        ~is_whole, ["period_start", "district_code", "value", "numerator", "denominator"]
    ]
    derived = derive_whole_partnership(district_rows, district_codes=district_codes, unit=unit)
    return combine_with_supplied(supplied.reset_index(drop=True), derived)


def _series_for(
    values: pd.DataFrame, series_code: str, district_codes: Sequence[str], unit: str
) -> pd.DataFrame:
    """Columns period_start, value, lower_ci, upper_ci, method, note for one series of one indicator."""
    if series_code == WHOLE_PARTNERSHIP:
        return whole_partnership_series(values, district_codes, unit)
    rows = values[values["district_code"] == series_code]
    return rows.assign(method="supplied")[["period_start", "value", "lower_ci", "upper_ci", "method", "note"]]


def indicator_trend(
    session: Session,
    indicator: dict,
    as_at: dt.date,
    districts: Sequence[str] | None,
    *,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """The trend of one indicator: the whole partnership and each chosen district.

    ``indicator``: a row of queries.indicators_for as a dict. Columns: series_code
    (WHOLE_PARTNERSHIP or a district code), series_name, period_start, period_label, value (NaN where
    the whole-partnership value could not be derived), lower_ci, upper_ci, method, note.
    Whole partnership first, then districts in the order given; periods ascending.
    """
    all_districts = queries.list_districts(session)
    names = dict(zip(all_districts["code"], all_districts["name"], strict=True))
    values = queries.indicator_values(session, [indicator["code"]], as_at, since=since)
    parts = []
    for series_code in [WHOLE_PARTNERSHIP, *(districts or [])]:
        series = _series_for(values, series_code, list(names), indicator["unit"])
        parts.append(
            series.assign(
                series_code=series_code,
                series_name=names.get(series_code, WHOLE_PARTNERSHIP_NAME),
                period_label=[period_label(p, indicator["frequency"]) for p in series["period_start"]],
            )
        )
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=TREND_COLUMNS)
    return pd.concat(parts, ignore_index=True)[TREND_COLUMNS]


INDICATOR_STATUS_COLUMNS = [
    "indicator_code",
    "priority_code",
    "name",
    "unit",
    "frequency",
    "good_direction",
    "target",
    "tolerance",
    "source",
    "description",
    "series_code",
    "series_name",
    "latest_period",
    "latest_period_label",
    "latest_value",
    "latest_method",
    "rating",
    "rating_word",
    "reason",
]


def indicator_statuses(
    session: Session,
    as_at: dt.date,
    priority_codes: Sequence[str],
    districts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The latest value and RAG of every indicator of the given priorities.

    Without ``districts``: one row per indicator for the whole partnership. With them: one row per
    indicator and chosen district. Columns: indicator_code, priority_code, name, unit, frequency,
    good_direction, target, tolerance, source, description, series_code, series_name,
    latest_period (None without data), latest_period_label, latest_value (NaN without data),
    latest_method, rating (domain.rag constant), rating_word, reason.
    """
    indicators = queries.indicators_for(session, priority_codes)
    if indicators.empty:
        return pd.DataFrame(columns=INDICATOR_STATUS_COLUMNS)
    all_districts = queries.list_districts(session)
    names = dict(zip(all_districts["code"], all_districts["name"], strict=True))
    series_codes = list(districts) if districts else [WHOLE_PARTNERSHIP]
    series_by_key = _rating_series(session, indicators, as_at, series_codes, list(names))
    records = []
    for indicator in indicators.to_dict("records"):
        for series_code in series_codes:
            series = series_by_key[(indicator["code"], series_code)]
            rating = _rate(indicator, series)
            latest = series.dropna(subset=["value"]).tail(1)
            has_latest = not latest.empty
            latest_period = latest["period_start"].iloc[0] if has_latest else None
            records.append(
                {
                    **{column: indicator[column] for column in queries.INDICATOR_COLUMNS if column != "code"},
                    "indicator_code": indicator["code"],
                    "series_code": series_code,
                    "series_name": names.get(series_code, WHOLE_PARTNERSHIP_NAME),
                    "latest_period": latest_period,
                    "latest_period_label": period_label(latest_period, indicator["frequency"])
                    if has_latest
                    else "",
                    "latest_value": float(latest["value"].iloc[0]) if has_latest else float("nan"),
                    "latest_method": latest["method"].iloc[0] if has_latest else "",
                    "rating": rating.rating,
                    "rating_word": RATING_WORDS[rating.rating],
                    "reason": rating.reason,
                }
            )
    return _records_frame(records, INDICATOR_STATUS_COLUMNS, ["target", "tolerance", "latest_value"])


def _rating_series(
    session: Session,
    indicators: pd.DataFrame,
    as_at: dt.date,
    series_codes: list[str],
    district_codes: list[str],
) -> dict[tuple[str, str], pd.DataFrame]:
    """Each (indicator code, series code)'s values as at ``as_at``, as far back as its RAG needs.

    Each indicator's latest period and the year before it are read first: all a RAG needs when the
    series has a value in that latest period.  When it has not (a district missed it, or not every
    district reported so no whole-partnership value could be derived), its latest value and the one a
    year before that are older; and with a single value in the window, the reason depends on whether
    older ones exist.  Those indicators' whole history is read, in one more query.
    """
    units = dict(zip(indicators["code"], indicators["unit"], strict=True))

    def build(values: pd.DataFrame, codes) -> dict[tuple[str, str], pd.DataFrame]:
        by_indicator = dict(tuple(values.groupby("indicator_code", sort=False)))
        empty = values.iloc[0:0]
        return {
            (code, series_code): _series_for(
                by_indicator.get(code, empty), series_code, district_codes, units[code]
            )
            for code in codes
            for series_code in series_codes
        }

    recent = queries.indicator_values(session, list(units), as_at, recent_only=True)
    series = build(recent, units)
    latest_periods = recent.groupby("indicator_code")["period_start"].max().to_dict()
    short = [
        code
        for code in units
        if code in latest_periods
        and any(_needs_history(series[(code, s)], latest_periods[code]) for s in series_codes)
    ]
    if short:
        series |= build(queries.indicator_values(session, short, as_at), short)
    return series


def _needs_history(series: pd.DataFrame, latest_period: dt.date) -> bool:
    """True when a series read over the recent window cannot be rated from it alone: it has no value
    in the latest period, or only one value (whether older ones exist changes the reason)."""
    valued = series.loc[series["value"].notna(), "period_start"]
    return len(valued) < 2 or max(valued) != latest_period


def _rate(indicator: dict, series: pd.DataFrame) -> Rating:
    target = indicator["target"]
    return indicator_rating(
        series[["period_start", "value", "lower_ci", "upper_ci"]],
        good_direction=indicator["good_direction"],
        target=None if pd.isna(target) else float(target),
        tolerance=float(indicator["tolerance"]),
        unit=indicator["unit"],
        frequency=indicator["frequency"],
    )


def rate_actions(actions: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """Add rating, rating_word, reason and overdue columns to a queries.actions_as_at frame."""
    ratings = [
        action_rating(status, due, as_at)
        for status, due in zip(actions["status"], actions["due_date"], strict=True)
    ]
    return actions.assign(
        rating=[r.rating for r in ratings],
        rating_word=[RATING_WORDS[r.rating] for r in ratings],
        reason=[r.reason for r in ratings],
        overdue=[
            is_overdue(status, due, as_at)
            for status, due in zip(actions["status"], actions["due_date"], strict=True)
        ],
    )


PRIORITY_STATUS_COLUMNS = [
    *queries.PRIORITY_COLUMNS,
    "rating",
    "rating_word",
    "reason",
    "rating_source",
    "assessed_on",
    "commentary",
    "board_rating",
    "open_actions",
    "overdue_actions",
    "indicators_red",
    "indicators_amber",
    "indicators_green",
    "indicators_no_data",
    "headline_indicator_code",
]


_PRIORITY_STATUS_NUMBERS = [
    "number",
    "open_actions",
    "overdue_actions",
    "indicators_red",
    "indicators_amber",
    "indicators_green",
    "indicators_no_data",
]


def priority_statuses(
    session: Session,
    as_at: dt.date,
    districts: Sequence[str] | None = None,
    *,
    priority_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every priority in force on ``as_at`` (or the named ones, whatever their dates) with its RAG,
    reason and the counts behind it.

    Columns: the queries.PRIORITY_COLUMNS, then rating (domain.rag constant), rating_word, reason,
    rating_source ("board" or "rollup"), assessed_on and commentary (the board's latest assessment
    on or before ``as_at``, None without one), board_rating (that assessment's RAG, None without),
    open_actions, overdue_actions, indicators_red/amber/green/no_data, headline_indicator_code (the
    first rated indicator by code, else the first indicator; None without indicators).
    In priority order.
    """
    if priority_codes is None:
        priorities = queries.priorities_in_force(session, as_at)
    else:
        priorities = queries.priorities_by_code(session, priority_codes)
    if priorities.empty:
        return pd.DataFrame(columns=PRIORITY_STATUS_COLUMNS)
    codes = priorities["code"].tolist()
    indicators = indicator_statuses(session, as_at, codes, districts)
    actions = rate_actions(
        queries.actions_as_at(session, as_at, priority_codes=codes, districts=districts), as_at
    )
    assessments = queries.latest_assessments(session, as_at, codes).set_index("priority_code")
    records = []
    for priority in priorities.to_dict("records"):
        code = priority["code"]
        own_indicators = indicators[indicators["priority_code"] == code]
        own_actions = actions[actions["priority_code"] == code]
        rollup = priority_rollup(
            own_indicators["rating"], own_actions["rating"], int(own_actions["overdue"].sum())
        )
        board = assessments.loc[code].to_dict() if code in assessments.index else None
        use_board = board is not None and not districts
        rating = board["rag"] if use_board else rollup.rating
        records.append(
            {
                **priority,
                "rating": rating,
                "rating_word": RATING_WORDS[rating],
                "reason": _board_reason(board) if use_board else rollup.reason,
                "rating_source": "board" if use_board else "rollup",
                "assessed_on": board["date"] if board else None,
                "commentary": board["commentary"] if board else None,
                "board_rating": board["rag"] if board else None,
                "open_actions": len(own_actions),
                "overdue_actions": int(own_actions["overdue"].sum()),
                "indicators_red": rollup.counts["indicators_red"],
                "indicators_amber": rollup.counts["indicators_amber"],
                "indicators_green": rollup.counts["indicators_green"],
                "indicators_no_data": rollup.counts["indicators_no_data"],
                "headline_indicator_code": _headline(own_indicators),
            }
        )
    return _records_frame(records, PRIORITY_STATUS_COLUMNS, _PRIORITY_STATUS_NUMBERS)


def _board_reason(board: dict) -> str:
    return f"Set by the board on {format_date(board['date'])}."


def _headline(indicators: pd.DataFrame) -> str | None:
    if indicators.empty:
        return None
    rated = indicators[~indicators["rating"].isin([NEUTRAL, NO_DATA])]
    chosen = rated if not rated.empty else indicators
    return str(chosen["indicator_code"].iloc[0])


DISTRICT_MATRIX_COLUMNS = [
    "priority_code",
    "district_code",
    "district_name",
    "rating",
    "rating_word",
    "reason",
    "has_data",
]


def district_matrix(session: Session, as_at: dt.date) -> pd.DataFrame:
    """The roll-up RAG of each priority in force for each district, from that district's own data.

    A district's cell counts its district-level indicator values and the actions in that district
    (not partnership-wide ones, which would make every cell alike). Columns: priority_code,
    district_code, district_name, rating, rating_word, reason, has_data (False when the district
    has neither a rated indicator nor an open action for the priority).
    """
    priorities = queries.priorities_in_force(session, as_at)
    all_districts = queries.list_districts(session)
    if priorities.empty or all_districts.empty:
        return pd.DataFrame(columns=DISTRICT_MATRIX_COLUMNS)
    codes = priorities["code"].tolist()
    district_codes = all_districts["code"].tolist()
    indicators = indicator_statuses(session, as_at, codes, district_codes)
    actions = rate_actions(
        queries.actions_as_at(
            session, as_at, priority_codes=codes, districts=district_codes, include_partnership_wide=False
        ),
        as_at,
    )
    indicator_groups = dict(tuple(indicators.groupby(["priority_code", "series_code"], sort=False)))
    action_groups = dict(tuple(actions.groupby(["priority_code", "district_code"], sort=False)))
    empty_indicators, empty_actions = indicators.iloc[0:0], actions.iloc[0:0]
    records = []
    for code in codes:
        for district in all_districts.to_dict("records"):
            own_indicators = indicator_groups.get((code, district["code"]), empty_indicators)
            own_actions = action_groups.get((code, district["code"]), empty_actions)
            rollup = priority_rollup(
                own_indicators["rating"], own_actions["rating"], int(own_actions["overdue"].sum())
            )
            records.append(
                {
                    "priority_code": code,
                    "district_code": district["code"],
                    "district_name": district["name"],
                    "rating": rollup.rating,
                    "rating_word": RATING_WORDS[rollup.rating],
                    "reason": rollup.reason,
                    "has_data": bool(own_indicators["latest_period"].notna().any()) or not own_actions.empty,
                }
            )
    return pd.DataFrame(records, columns=DISTRICT_MATRIX_COLUMNS)
