"""Progress figures for the pages: indicator trends and RAG, priority RAG, the district matrix.

Values come from :mod:`data_access.series` and :mod:`data_access.queries` (one statement per concern,
never one per indicator); the rules come from :mod:`domain` (pure functions), so every figure a page
shows is computed here the same way for every page.

Scope: without a district filter, indicators are rated on their whole-partnership series (supplied,
or derived from districts where valid) and a priority shows the board's latest assessment when
there is one. With a district filter, indicators are rated per chosen district and a priority's
RAG is the roll-up for those districts (the board's assessment, which is for the whole
partnership, is returned alongside for context).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from data_access import queries, series
from data_access.district_tallies import DISTRICT_TALLY_COLUMNS, district_tallies, priority_action_tallies
from data_access.queries import WHOLE_PARTNERSHIP
from domain.formatting import format_date
from domain.periods import period_label
from domain.rag import (
    AMBER,
    GREEN,
    NEUTRAL,
    NO_DATA,
    RATING_WORDS,
    RED,
    Point,
    Rating,
    action_rating,
    latest_ratings,
    rate_latest,
    rollup_of_counts,
)
from domain.vocabulary import CLOSED_ACTION_STATUSES

WHOLE_PARTNERSHIP_NAME = "Whole partnership"
ROLLUP_RATINGS = (RED, AMBER, GREEN)

TREND_COLUMNS = [
    "indicator_code",
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


def _records_frame(
    records: list[dict] | Mapping[str, list], columns: Sequence[str], numbers: Sequence[str]
) -> pd.DataFrame:
    """Records (or lists by column) as a frame in which a blank stays None, as the docstrings promise.

    pandas would otherwise turn None into NaN in any column that also holds text (its string dtype),
    and NaN is truthy: "no headline indicator" or "no source" would read as a value.
    """
    frame = pd.DataFrame(records, columns=list(columns), dtype=object)
    for column in numbers:
        frame[column] = pd.to_numeric(frame[column])
    return frame


def indicator_trends(
    session: Session,
    indicators: pd.DataFrame,
    as_at: dt.date,
    districts: Sequence[str] | None,
    names: Mapping[str, str],
    *,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """The trends of the given indicators (rows of queries.indicators_for): the whole partnership and
    each chosen district, in two statements whatever the number of indicators.

    Columns: indicator_code, series_code (WHOLE_PARTNERSHIP or a district code), series_name,
    period_start, period_label, value (NaN where the whole-partnership value could not be derived),
    lower_ci, upper_ci, method, note. For each indicator in the order given: the whole partnership
    first, then districts in the order given; periods ascending.
    """
    values = series.series_value_columns(
        session, as_at, indicators["code"].tolist(), list(districts or []), since=since
    )
    count = len(values["period_start"])
    if not count:
        return pd.DataFrame(columns=TREND_COLUMNS)
    indicator_order = {code: index for index, code in enumerate(indicators["code"])}
    series_order = {code: index for index, code in enumerate([WHOLE_PARTNERSHIP, *(districts or [])])}

    # The page's order as positions, sorted by numpy on whole numbers (lexsort is stable, so rows that
    # tie keep the order read), and each column taken in that order as a plain list: sorting a frame
    # of a large priority's 5,500 rows and building a second frame from it cost more than reading them.
    def positions(values_: list, position_of) -> np.ndarray:
        return np.fromiter(map(position_of, values_), dtype=np.int64, count=count)

    order = np.lexsort(  # the last key sorts first
        (
            positions(values["period_start"], dt.date.toordinal),
            positions(values["district_code"], series_order.__getitem__),
            positions(values["indicator_code"], indicator_order.__getitem__),
        )
    ).tolist()
    # itemgetter of several positions gives a tuple of the items; of one position, the item alone.
    take = itemgetter(*order) if count > 1 else lambda column: (column[order[0]],)

    def ordered(name: str) -> list:
        return list(take(values[name]))

    frequencies = dict(zip(indicators["code"], indicators["frequency"], strict=True))
    indicator_codes = ordered("indicator_code")
    district_codes = ordered("district_code")
    starts = ordered("period_start")
    series_names = {code: names.get(code, WHOLE_PARTNERSHIP_NAME) for code in series_order}
    return pd.DataFrame(
        {
            "indicator_code": indicator_codes,
            "series_code": district_codes,
            "series_name": [series_names[code] for code in district_codes],
            "period_start": starts,
            "period_label": [
                period_label(start, frequencies[code])
                for start, code in zip(starts, indicator_codes, strict=True)
            ],
            # None (no value) is NaN, as series_values gives it.
            **{name: np.array(ordered(name), dtype="float64") for name in ("value", "lower_ci", "upper_ci")},
            "method": ordered("method"),
            "note": ordered("note"),
        },
        columns=TREND_COLUMNS,
    )


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
    indicators: pd.DataFrame,
    districts: Sequence[str] | None,
    names: Mapping[str, str],
) -> pd.DataFrame:
    """The latest value and RAG of each of the given indicators (rows of queries.indicators_for).

    Without ``districts``: one row per indicator for the whole partnership. With them: one row per
    indicator and chosen district. Columns: indicator_code, priority_code, name, unit, frequency,
    good_direction, target, tolerance, source, description, series_code, series_name,
    latest_period (None without data), latest_period_label, latest_value (NaN without data),
    latest_method, rating (domain.rag constant), rating_word, reason.
    """
    if indicators.empty:
        return pd.DataFrame(columns=INDICATOR_STATUS_COLUMNS)
    points = series.latest_points(
        session, as_at, indicators["code"].tolist(), list(districts) if districts else None
    )
    return statuses_from_points(indicators, series_codes_of(districts), points, names)


def series_codes_of(districts: Sequence[str] | None) -> list[str]:
    """The series in view: each chosen district's, or the whole partnership's without districts."""
    return list(districts) if districts else [WHOLE_PARTNERSHIP]


def statuses_from_points(
    indicators: pd.DataFrame, series_codes: Sequence[str], points: pd.DataFrame, names: Mapping[str, str]
) -> pd.DataFrame:
    """``indicator_statuses`` of the given indicators in the given series, from their rows of
    series.latest_points (rows of other indicators or series are ignored): each series' rating with its
    reason, for pages that show them.  One row per indicator and series, indicators in the order given."""
    if indicators.empty:
        return pd.DataFrame(columns=INDICATOR_STATUS_COLUMNS)
    # Plain lists and tuples, column by column: pandas hands out a text column's values one at a time far
    # more slowly, and a large partnership's page rates 400 indicators in each of several series.
    by_series = {
        (point.indicator_code, point.district_code): point
        for point in map(
            _LatestPoint._make,
            zip(*(points[column].tolist() for column in _LatestPoint._fields), strict=True),
        )
    }
    definitions = {column: indicators[column].tolist() for column in queries.INDICATOR_COLUMNS}
    columns: dict[str, list] = {column: [] for column in INDICATOR_STATUS_COLUMNS}
    for row in range(len(indicators)):
        indicator = {column: values[row] for column, values in definitions.items()}
        for series_code in series_codes:
            point = by_series.get((indicator["code"], series_code))
            rating = _rate(indicator, point)
            for column in queries.INDICATOR_COLUMNS:
                if column != "code":
                    columns[column].append(indicator[column])
            columns["indicator_code"].append(indicator["code"])
            columns["series_code"].append(series_code)
            columns["series_name"].append(names.get(series_code, WHOLE_PARTNERSHIP_NAME))
            columns["latest_period"].append(point.latest_start if point else None)
            columns["latest_period_label"].append(
                period_label(point.latest_start, indicator["frequency"]) if point else ""
            )
            columns["latest_value"].append(point.value if point else float("nan"))
            columns["latest_method"].append(point.method if point else "")
            columns["rating"].append(rating.rating)
            columns["rating_word"].append(RATING_WORDS[rating.rating])
            columns["reason"].append(rating.reason)
    return _records_frame(columns, INDICATOR_STATUS_COLUMNS, ["target", "tolerance", "latest_value"])


# A row of series.latest_points, as indicator_statuses reads it.
_LatestPoint = namedtuple("_LatestPoint", series.LATEST_POINT_COLUMNS)


INDICATOR_RATING_COLUMNS = ["indicator_code", "priority_code", "series_code", "latest_period", "rating"]


def ratings_from_points(
    indicators: pd.DataFrame, series_codes: Sequence[str], points: pd.DataFrame
) -> pd.DataFrame:
    """The ratings of the given indicators in the given series (district codes, or WHOLE_PARTNERSHIP),
    from their rows of series.latest_points (rows of other indicators or series are ignored), column by
    column without reasons (domain.rag.latest_ratings): what a roll-up counts.

    Columns: INDICATOR_RATING_COLUMNS (indicator_code, priority_code, series_code, latest_period,
    rating). One row per indicator and series, in the order given.
    """
    if indicators.empty or not series_codes:
        return pd.DataFrame(columns=INDICATOR_RATING_COLUMNS)
    series_codes = list(series_codes)
    # Every indicator (in the order given) in every series, as positions in one grid rather than merges
    # on text keys: 16,000 series at large scale. A series without a point keeps the blanks.
    per_indicator = len(series_codes)
    size = len(indicators) * per_indicator
    rows = {code: n for n, code in enumerate(indicators["code"].tolist())}
    columns = {code: n for n, code in enumerate(series_codes)}
    wanted = [
        n
        for n, (indicator, series_code) in enumerate(
            zip(points["indicator_code"].tolist(), points["district_code"].tolist(), strict=True)
        )
        if indicator in rows and series_code in columns
    ]
    if len(wanted) < len(points):
        points = points.iloc[wanted]
    at = np.fromiter(
        (
            rows[indicator] * per_indicator + columns[series_code]
            for indicator, series_code in zip(
                points["indicator_code"].tolist(), points["district_code"].tolist(), strict=True
            )
        ),
        dtype=np.intp,
        count=len(points),
    )

    def spread(column: str, blank, dtype) -> np.ndarray:
        grid = np.full(size, blank, dtype=dtype)
        grid[at] = points[column].to_numpy(dtype=dtype)
        return grid

    def repeated(column: str, dtype=object) -> np.ndarray:
        return np.repeat(indicators[column].to_numpy(dtype=dtype), per_indicator)

    latest_start = spread("latest_start", None, object)
    every_series = pd.DataFrame(
        {
            "good_direction": repeated("good_direction"),
            "target": np.repeat(pd.to_numeric(indicators["target"]).to_numpy(dtype="float64"), per_indicator),
            "tolerance": np.repeat(
                pd.to_numeric(indicators["tolerance"]).to_numpy(dtype="float64"), per_indicator
            ),
            "latest_start": latest_start,
            **{column: spread(column, np.nan, "float64") for column in series.LATEST_POINT_NUMBERS},
            "has_older": spread("has_older", False, bool),
        }
    )
    return pd.DataFrame(
        {
            "indicator_code": repeated("code"),
            "priority_code": repeated("priority_code"),
            "series_code": np.tile(np.array(series_codes, dtype=object), len(indicators)),
            "latest_period": latest_start,
            "rating": latest_ratings(every_series),
        },
        columns=INDICATOR_RATING_COLUMNS,
    )


def _rate(indicator: dict, point) -> Rating:
    """The indicator's RAG from a row of series.latest_points (None: nothing reported yet)."""
    target = indicator["target"]
    latest = previous = None
    if point is not None:
        latest = Point(point.value, point.lower_ci, point.upper_ci)
        if not np.isnan(point.previous_value):
            previous = Point(point.previous_value, point.previous_lower_ci, point.previous_upper_ci)
    return rate_latest(
        point.latest_start if point is not None else None,
        latest,
        previous=previous,
        has_older=bool(point.has_older) if point is not None else False,
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
        for status, due in zip(actions["status"].tolist(), actions["due_date"].tolist(), strict=True)
    ]
    overdue = ~actions["status"].isin(CLOSED_ACTION_STATUSES) & (actions["due_date"] < as_at)
    return actions.assign(
        rating=[r.rating for r in ratings],
        rating_word=[RATING_WORDS[r.rating] for r in ratings],
        reason=[r.reason for r in ratings],
        overdue=overdue.astype(bool),
    )


class _Rollups:
    """Each cell's roll-up (domain.rag.priority_rollup) from its indicators' ratings and its actions'
    tallies, so a loop over priorities reads numbers, not frames: a large partnership has thousands of
    series.

    ``statuses``: indicator_statuses rows (or ratings_from_points'); ``actions``: rows of the cells' open
    actions rated red, amber and green, and overdue (columns red, amber, green, overdue, as
    district_tallies.priority_action_tallies gives them; a cell may have several rows, which add up, or
    none). A cell is keyed by the values of ``indicator_keys`` in ``statuses`` and of ``action_keys`` in
    ``actions`` (the same cell, named by each frame's columns), e.g. ("priority_code",) in both, or a
    priority and a district; callers name a cell by its one value, or by a tuple of several.
    """

    def __init__(
        self, statuses: pd.DataFrame, actions: pd.DataFrame, indicator_keys: list[str], action_keys: list[str]
    ):
        # Tallied from plain lists rather than grouped by pandas: grouping on text columns cost more than
        # counting them.
        def lists(frame: pd.DataFrame, keys: list[str]) -> list[list]:
            return [frame[key].tolist() for key in keys]

        cells = list(zip(*lists(statuses, indicator_keys), strict=True))
        self._indicators = Counter(
            (*cell, rating) for cell, rating in zip(cells, statuses["rating"].tolist(), strict=True)
        )
        self._actions: Counter = Counter()
        self._overdue: Counter = Counter()
        columns = [*action_keys, "red", "amber", "green", "overdue"]
        for *cell, red, amber, green, overdue in zip(*lists(actions, columns), strict=True):
            for rating, count in ((RED, red), (AMBER, amber), (GREEN, green)):
                self._actions[(*cell, rating)] += int(count)
            self._overdue[tuple(cell)] += int(overdue)
        valued = statuses["latest_period"].notna().tolist()
        self._with_values = {cell for cell, has_value in zip(cells, valued, strict=True) if has_value}

    def _key(self, cell) -> tuple:
        return cell if isinstance(cell, tuple) else (cell,)

    def _tally(self, tallies: Counter, cell, rating: str) -> int:
        return tallies[(*self._key(cell), rating)]

    def rollup(self, cell) -> Rating:
        # From the tallies themselves, not lists of ratings counted again; neutral indicators and closed
        # actions count for nothing.
        return rollup_of_counts(
            {r: self._tally(self._indicators, cell, r) for r in (NO_DATA, *ROLLUP_RATINGS)},
            {r: self._tally(self._actions, cell, r) for r in ROLLUP_RATINGS},
            self.overdue(cell),
        )

    def overdue(self, cell) -> int:
        return self._overdue[self._key(cell)]

    def open_actions(self, cell) -> int:
        return sum(self._tally(self._actions, cell, r) for r in ROLLUP_RATINGS)

    def has_data(self, cell) -> bool:
        """A rated or valued indicator series, or an open action, for the cell."""
        return self._key(cell) in self._with_values or self.open_actions(cell) > 0


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
    priorities: pd.DataFrame,
    districts: Sequence[str] | None,
    names: Mapping[str, str],
    *,
    indicators: pd.DataFrame | None = None,
    include_restricted: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The given priorities (rows of queries.priorities_in_force) with their RAG, reason and the counts
    behind it, and the indicator statuses they were rolled up from (``indicator_statuses``).

    ``indicators``: the priorities' rows of queries.indicators_for, when the caller has them already
    (read with the same ``include_restricted``). Without ``include_restricted`` restricted indicators and
    actions count for nothing, so a roll-up shown to the public cannot give them away.
    Priority columns: the queries.PRIORITY_COLUMNS, then rating (domain.rag constant), rating_word,
    reason, rating_source ("board" or "rollup"), assessed_on and commentary (the board's latest
    assessment on or before ``as_at``, None without one), board_rating (that assessment's RAG, None
    without), open_actions, overdue_actions, indicators_red/amber/green/no_data,
    headline_indicator_code (the first rated indicator by code, else the first indicator; None
    without indicators). In the priorities' order.
    """
    if priorities.empty:
        return pd.DataFrame(columns=PRIORITY_STATUS_COLUMNS), pd.DataFrame(columns=INDICATOR_STATUS_COLUMNS)
    if indicators is None:
        indicators = queries.indicators_for(
            session, priorities["code"].tolist(), include_restricted=include_restricted
        )
    [rated] = priority_statuses_at(
        session,
        [as_at],
        [priorities],
        districts,
        indicators=indicators,
        include_restricted=include_restricted,
    )
    return rated.priorities, statuses_from_points(indicators, series_codes_of(districts), rated.points, names)


@dataclass(frozen=True)
class RatedPriorities:
    """The priorities in force at one date with their RAG (``priority_statuses_at``).

    ``priorities``: PRIORITY_STATUS_COLUMNS, as ``priority_statuses`` gives them. ``ratings``:
    INDICATOR_RATING_COLUMNS, every indicator of those priorities in every series in view, the
    roll-ups' input, without reasons. ``points``: series.LATEST_POINT_COLUMNS, the series' latest values
    behind the ratings, from which ``statuses_from_points`` gives any of them with its reason.
    """

    as_at: dt.date
    priorities: pd.DataFrame
    ratings: pd.DataFrame
    points: pd.DataFrame


def priority_statuses_at(
    session: Session,
    dates: Sequence[dt.date],
    priorities: Sequence[pd.DataFrame],
    districts: Sequence[str] | None,
    *,
    indicators: pd.DataFrame,
    include_restricted: bool = False,
) -> list[RatedPriorities]:
    """The priorities in force at each of ``dates`` (``priorities[i]``: rows of
    queries.priorities_in_force at ``dates[i]``) with their RAG, as ``priority_statuses`` works them out.

    Each concern is read once for every date: the series' latest values (series.latest_points_at), the
    open actions' tallies (district_tallies.priority_action_tallies) and the board's assessments, so the overview and the
    changes page, which compare two dates, do not read everything twice. Indicators are rated column by
    column (``ratings_from_points``): a page works out the reasons of the ones it shows.
    ``indicators``: rows of queries.indicators_for of every priority at any of the dates (read with the
    same ``include_restricted``).
    """
    codes = list(dict.fromkeys(code for frame in priorities for code in frame["code"].tolist()))
    series_codes = series_codes_of(districts)
    indicators = indicators[indicators["priority_code"].isin(codes)]
    dates = list(dates)
    if codes:
        points = series.latest_points_at(
            session, dates, indicators["code"].tolist(), list(districts) if districts else None
        )
        actions = priority_action_tallies(
            session, dates, codes, districts, include_restricted=include_restricted
        )
        assessments = queries.latest_assessments_at(session, dates, codes)
    rated = []
    for as_at, in_force in zip(dates, priorities, strict=True):
        if in_force.empty:
            rated.append(
                RatedPriorities(
                    as_at,
                    pd.DataFrame(columns=PRIORITY_STATUS_COLUMNS),
                    pd.DataFrame(columns=INDICATOR_RATING_COLUMNS),
                    pd.DataFrame(columns=series.LATEST_POINT_COLUMNS),
                )
            )
            continue
        on_date = points[points["as_at"] == as_at].drop(columns="as_at").reset_index(drop=True)
        ratings = ratings_from_points(
            indicators[indicators["priority_code"].isin(in_force["code"])], series_codes, on_date
        )
        records = _priority_records(
            in_force,
            ratings,
            actions[actions["as_at"] == as_at],
            {
                row["priority_code"]: row
                for row in assessments[assessments["as_at"] == as_at].to_dict("records")
            },
            board_rates=not districts,
        )
        rated.append(RatedPriorities(as_at, records, ratings, on_date))
    return rated


def _priority_records(
    priorities: pd.DataFrame,
    ratings: pd.DataFrame,
    actions: pd.DataFrame,
    assessments: dict,
    *,
    board_rates: bool,
) -> pd.DataFrame:
    """PRIORITY_STATUS_COLUMNS for ``priorities`` from their indicators' ``ratings`` (INDICATOR_RATING_COLUMNS),
    their open ``actions``' tallies (district_tallies.priority_action_tallies) and the board's latest ``assessments`` by priority code,
    which set the RAG when ``board_rates`` (for the whole partnership, not for districts)."""
    rollups = _Rollups(ratings, actions, ["priority_code"], ["priority_code"])
    headlines = _headlines(ratings)
    records = []
    for priority in priorities.to_dict("records"):
        code = priority["code"]
        rollup = rollups.rollup(code)
        board = assessments.get(code)
        use_board = board is not None and board_rates
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
                "open_actions": rollups.open_actions(code),
                "overdue_actions": rollups.overdue(code),
                "indicators_red": rollup.counts["indicators_red"],
                "indicators_amber": rollup.counts["indicators_amber"],
                "indicators_green": rollup.counts["indicators_green"],
                "indicators_no_data": rollup.counts["indicators_no_data"],
                "headline_indicator_code": headlines.get(code),
            }
        )
    return _records_frame(records, PRIORITY_STATUS_COLUMNS, _PRIORITY_STATUS_NUMBERS)


def _board_reason(board: dict) -> str:
    return f"Set by the board on {format_date(board['date'])}."


def _headlines(statuses: pd.DataFrame) -> dict[str, str]:
    """Each priority's headline indicator: its first rated indicator in ``statuses``' order, else its first
    indicator (a priority without indicators has none)."""
    # One pass over plain lists: two pandas groupings cost a priority page a millisecond for a few rows.
    first: dict[str, str] = {}
    first_rated: dict[str, str] = {}
    unrated = (NEUTRAL, NO_DATA)
    for priority, indicator, rating in zip(
        statuses["priority_code"].tolist(),
        statuses["indicator_code"].tolist(),
        statuses["rating"].tolist(),
        strict=True,
    ):
        first.setdefault(priority, indicator)
        if rating not in unrated:
            first_rated.setdefault(priority, indicator)
    return {str(code): str(indicator) for code, indicator in (first | first_rated).items()}


DISTRICT_MATRIX_COLUMNS = [
    "priority_code",
    "district_code",
    "district_name",
    "rating",
    "rating_word",
    "reason",
    "has_data",
]


def district_matrix(
    session: Session,
    as_at: dt.date,
    priorities: pd.DataFrame,
    names: Mapping[str, str],
    *,
    include_restricted: bool = False,
) -> pd.DataFrame:
    """The roll-up RAG of each of the given priorities for each district, from that district's own data.

    A district's cell counts its district-level indicator values and the actions in that district
    (not partnership-wide ones, which would make every cell alike); restricted ones only with
    ``include_restricted``. Columns: priority_code,
    district_code, district_name, rating, rating_word, reason, has_data (False when the district
    has neither a rated indicator nor an open action for the priority). Districts in ``names`` order.

    Read from the tallies every import keeps (data_access.district_tallies): one row per cell, however
    many series and actions are behind it.
    """
    if priorities.empty or not names:
        return pd.DataFrame(columns=DISTRICT_MATRIX_COLUMNS)
    codes = priorities["code"].tolist()
    tallies = district_tallies(session, as_at, codes, include_restricted=include_restricted)
    cells = {
        (row[0], row[1]): row
        for row in zip(*(tallies[column].tolist() for column in DISTRICT_TALLY_COLUMNS), strict=True)
    }
    columns: dict[str, list] = {column: [] for column in DISTRICT_MATRIX_COLUMNS}
    for code in codes:
        for district_code, district_name in names.items():
            cell = cells.get((code, district_code))
            (indicators, red, amber, green, reported, actions_red, actions_amber, actions_green, overdue) = (
                cell[2:] if cell else (0,) * 9
            )
            rollup = rollup_of_counts(
                {RED: red, AMBER: amber, GREEN: green, NO_DATA: indicators - red - amber - green},
                {RED: actions_red, AMBER: actions_amber, GREEN: actions_green},
                overdue,
            )
            columns["priority_code"].append(code)
            columns["district_code"].append(district_code)
            columns["district_name"].append(district_name)
            columns["rating"].append(rollup.rating)
            columns["rating_word"].append(RATING_WORDS[rollup.rating])
            columns["reason"].append(rollup.reason)
            # A valued indicator series (rated or not) or an open action.
            columns["has_data"].append(reported > 0 or actions_red + actions_amber + actions_green > 0)
    return pd.DataFrame(columns, columns=DISTRICT_MATRIX_COLUMNS)
