"""RAG (red, amber, green) rules for indicators, actions and priorities.

Every rating carries a one-sentence reason in plain English because a board member who sees a red
dot will ask "why?", and the answer must come from the same code that chose the colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from domain.formatting import format_date, format_number, plural
from domain.periods import Frequency, period_label, same_period_previous_year
from domain.vocabulary import CLOSED_ACTION_STATUSES, ActionStatus, GoodDirection, Rating

RED, AMBER, GREEN = Rating.RED.value, Rating.AMBER.value, Rating.GREEN.value
NO_DATA, NEUTRAL, CLOSED = Rating.NO_DATA.value, Rating.NEUTRAL.value, Rating.CLOSED.value
RATING_WORDS = Rating.labels()

GOOD_DIRECTIONS = GoodDirection.codes()
ACTION_STATUSES = ActionStatus.codes()
CLOSED_STATUSES = CLOSED_ACTION_STATUSES

ROLLUP_RULE_TEXT = (
    "When the board has not set a RAG for a priority, it is worked out from the priority's indicators "
    "and open actions, each counting once; indicators tracked only for context or without enough data, "
    "and closed actions, are left out. "
    "The priority is Red when at least a third of the rated items are red, Green when at least two thirds "
    "are green and none is red, and Amber otherwise. "
    "An overdue action always counts as red. "
    "If nothing can be rated yet, the priority shows Not enough data."
)


@dataclass(frozen=True)
class Rating:
    """A RAG rating and the sentence that explains it."""

    rating: str  # one of RED, AMBER, GREEN, NO_DATA, NEUTRAL, CLOSED
    reason: str  # one plain-English sentence, ends with a full stop
    counts: Mapping[str, int] = field(default_factory=dict)  # only for priority roll-ups


# ---------------------------------------------------------------------------------------------------------
# Indicators


def _as_date(value: object) -> date:
    # Timestamps are datetimes, which are dates; compare plain dates so lookups by period never miss.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"period_start must be a date, got {value!r}")


@dataclass(frozen=True)
class Point:
    """One reported value of a series, with its confidence interval (NaN when not given)."""

    value: float
    lower_ci: float = math.nan
    upper_ci: float = math.nan


def _tolerance_text(tolerance: float) -> str:
    """0.05 -> "5%", 0.025 -> "2.5%"."""
    return f"{round(tolerance * 100, 1):g}%"


def _within(gap: float, allowed: float) -> bool:
    """``gap <= allowed``, treating float noise (0.07 * 100 = 7.000000000000001) as equal."""
    return gap <= allowed or math.isclose(gap, allowed, rel_tol=1e-9, abs_tol=1e-12)


def _is_better(latest: float, reference: float, good_direction: str) -> bool:
    return latest > reference if good_direction == "up" else latest < reference


def indicator_rating(
    values: pd.DataFrame,
    *,
    good_direction: str,
    target: float | None,
    tolerance: float,
    unit: str,
    frequency: Frequency,
) -> Rating:
    """Rate one series (one district or the whole partnership) at its latest reported period.

    ``values`` has columns period_start (date), value, lower_ci, upper_ci (floats, NaN when blank), already
    limited to periods that ended on or before the date being viewed, in any order.  Rows without a value
    are ignored.  ``tolerance`` is a fraction (0.05 means 5%).
    """
    # Missing CI columns simply mean no intervals were reported.
    frame = values.reindex(columns=["period_start", "value", "lower_ci", "upper_ci"])
    frame = frame[frame["value"].notna()]
    rows = {
        _as_date(row.period_start): Point(float(row.value), float(row.lower_ci), float(row.upper_ci))
        for row in frame.itertuples(index=False)
    }
    latest_start = max(rows) if rows else None
    return rate_latest(
        latest_start,
        rows.get(latest_start),
        previous=rows.get(same_period_previous_year(latest_start)) if rows else None,
        has_older=len(rows) > 1,
        good_direction=good_direction,
        target=target,
        tolerance=tolerance,
        unit=unit,
        frequency=frequency,
    )


def rate_latest(
    latest_start: date | None,
    latest: Point | None,
    *,
    previous: Point | None,
    has_older: bool,
    good_direction: str,
    target: float | None,
    tolerance: float,
    unit: str,
    frequency: Frequency,
) -> Rating:
    """The rule of ``indicator_rating``, given only what it reads from a series: its latest value and
    that period's start (None when nothing has been reported), the value for the same period a year
    earlier (None when not reported) and whether any value older than the latest was reported.

    Pages ask the database for exactly these (data_access.series), so a rating costs the same whatever
    the length of the history.
    """
    if good_direction not in GOOD_DIRECTIONS:
        raise ValueError(f"good_direction must be one of {GOOD_DIRECTIONS}, got {good_direction!r}")
    if good_direction == "none":
        return Rating(NEUTRAL, "Tracked for context; no RAG is set for this indicator.")
    tolerance = 0.0 if tolerance is None or pd.isna(tolerance) else float(tolerance)
    if tolerance < 0:
        raise ValueError(f"tolerance must not be negative, got {tolerance}")
    if latest is None or latest_start is None:
        return Rating(NO_DATA, "Not enough data: no values have been reported yet.")
    latest_start = _as_date(latest_start)
    latest_label = period_label(latest_start, frequency)
    latest_text = f"{latest_label} value of {format_number(latest.value, unit)}"

    if target is not None and not pd.isna(target):
        return _rate_against_target(latest.value, float(target), tolerance, good_direction, unit, latest_text)

    if not has_older:
        return Rating(NO_DATA, f"Not enough data: only one value ({latest_label}) has been reported.")
    previous_label = period_label(same_period_previous_year(latest_start), frequency)
    if previous is None:
        return Rating(
            NO_DATA, f"Not enough data: no value for {previous_label} to compare {latest_label} with."
        )
    comparison = f"{previous_label} ({format_number(previous.value, unit)})"

    intervals = [latest.lower_ci, latest.upper_ci, previous.lower_ci, previous.upper_ci]
    if not any(pd.isna(bound) for bound in intervals):
        return _rate_by_intervals(latest, previous, good_direction, latest_text, comparison)
    return _rate_by_change(latest.value, previous.value, tolerance, good_direction, latest_text, comparison)


def _rate_against_target(
    value: float, target: float, tolerance: float, good_direction: str, unit: str, latest_text: str
) -> Rating:
    target_text = f"the target of {format_number(target, unit)}"
    if value == target:
        return Rating(GREEN, f"{latest_text} meets {target_text}.")
    side = "above" if value > target else "below"
    if not _is_better(value, target, good_direction):
        gap = abs(value - target)
        allowed = tolerance * abs(target)
        within = _within(gap, allowed)
        if target == 0:
            # A relative gap from zero is undefined, so no tolerance can apply.
            detail = "a target of zero leaves no tolerance"
        else:
            word = "within" if within else "beyond"
            worse_by = f"worse by {gap / abs(target) * 100:.1f}%"
            detail = f"{worse_by}, {word} the {_tolerance_text(tolerance)} tolerance"
        return Rating(AMBER if within else RED, f"{latest_text} is {side} {target_text} ({detail}).")
    return Rating(GREEN, f"{latest_text} is {side} {target_text} (better than the target).")


def _rate_by_intervals(
    latest: Point, previous: Point, good_direction: str, latest_text: str, comparison: str
) -> Rating:
    overlap = latest.lower_ci <= previous.upper_ci and previous.lower_ci <= latest.upper_ci
    if overlap or latest.value == previous.value:
        return Rating(
            AMBER,
            f"{latest_text} shows no significant change from {comparison}; the confidence intervals overlap.",
        )
    direction = "higher" if latest.value > previous.value else "lower"
    if _is_better(latest.value, previous.value, good_direction):
        return Rating(
            GREEN,
            f"{latest_text} is significantly {direction} (better) than {comparison}; "
            "the confidence intervals do not overlap.",
        )
    return Rating(
        RED,
        f"{latest_text} is significantly {direction} (worse) than {comparison}; "
        "the confidence intervals do not overlap.",
    )


def _rate_by_change(
    latest: float, previous: float, tolerance: float, good_direction: str, latest_text: str, comparison: str
) -> Rating:
    tolerance_text = f"the {_tolerance_text(tolerance)} tolerance"
    if latest == previous:
        return Rating(AMBER, f"{latest_text} is unchanged from {comparison}, within {tolerance_text}.")
    better = _is_better(latest, previous, good_direction)
    quality = "an improvement" if better else "a deterioration"
    beyond_rating = GREEN if better else RED
    if previous == 0:
        # A relative change from zero is undefined, so any change counts as beyond tolerance.
        word = "up" if latest > previous else "down"
        return Rating(
            beyond_rating,
            f"{latest_text} is {word} from {comparison}, {quality}; from zero no tolerance applies.",
        )
    change = (latest - previous) / abs(previous)
    word = "up" if change > 0 else "down"
    change_text = f"{word} {abs(change) * 100:.1f}% on {comparison}"
    if _within(abs(change), tolerance):
        return Rating(AMBER, f"{latest_text} is {change_text}, within {tolerance_text}.")
    return Rating(beyond_rating, f"{latest_text} is {change_text}, {quality} beyond {tolerance_text}.")


# Where many values are rated for their colour alone (the district matrix's tallies rate every district
# value as its series' latest: millions at large scale, domain.tallies), building each one's reason
# sentence would cost far more than the rating.  ``latest_ratings`` applies ``rate_latest``'s rule to
# whole columns at once; a test holds the two to the same answer on random and real series.
LATEST_RATING_COLUMNS = [
    "good_direction",
    "target",
    "tolerance",
    "latest_start",
    "value",
    "lower_ci",
    "upper_ci",
    "previous_value",
    "previous_lower_ci",
    "previous_upper_ci",
    "has_older",
]


def latest_ratings(series: pd.DataFrame) -> list[str]:
    """``rate_latest``'s rating of each row, without its reason.

    One row a series, with the columns of LATEST_RATING_COLUMNS: good_direction; target (NaN: none);
    tolerance (NaN: none); latest_start (missing: nothing reported yet); value, lower_ci, upper_ci of the
    latest value; previous_value, previous_lower_ci, previous_upper_ci of the same period a year earlier
    (NaN: not reported, or no interval); has_older.  Raises ValueError where ``rate_latest`` would.
    """
    directions = series["good_direction"].to_numpy(dtype=object)
    unknown = ~pd.Series(directions, dtype=object).isin(GOOD_DIRECTIONS).to_numpy()
    if unknown.any():
        raise ValueError(f"good_direction must be one of {GOOD_DIRECTIONS}, got {directions[unknown][0]!r}")
    neutral = directions == GoodDirection.NONE.value
    up = directions == GoodDirection.UP.value

    def numbers(column: str) -> np.ndarray:
        return pd.to_numeric(series[column]).to_numpy(dtype="float64", na_value=np.nan)

    tolerance = np.nan_to_num(numbers("tolerance"), nan=0.0)
    if (~neutral & (tolerance < 0)).any():
        raise ValueError(f"tolerance must not be negative, got {tolerance[~neutral & (tolerance < 0)][0]}")
    value, lower, upper = numbers("value"), numbers("lower_ci"), numbers("upper_ci")
    previous, previous_lower, previous_upper = (
        numbers("previous_value"),
        numbers("previous_lower_ci"),
        numbers("previous_upper_ci"),
    )
    target = numbers("target")

    def better(latest: np.ndarray, reference: np.ndarray) -> np.ndarray:
        return np.where(up, latest > reference, latest < reference)

    def within(gap: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        # _within: gap <= allowed, or math.isclose(gap, allowed, rel_tol=1e-9, abs_tol=1e-12).
        close = np.abs(gap - allowed) <= np.maximum(1e-9 * np.maximum(np.abs(gap), np.abs(allowed)), 1e-12)
        return (gap <= allowed) | close

    with np.errstate(invalid="ignore", divide="ignore"):
        against_target = np.where(
            value == target,
            GREEN,
            np.where(
                better(value, target),
                GREEN,
                np.where(within(np.abs(value - target), tolerance * np.abs(target)), AMBER, RED),
            ),
        )
        overlap = (lower <= previous_upper) & (previous_lower <= upper)
        by_intervals = np.where(
            overlap | (value == previous), AMBER, np.where(better(value, previous), GREEN, RED)
        )
        beyond = np.where(better(value, previous), GREEN, RED)
        change = np.abs((value - previous) / np.abs(previous))
        by_change = np.where(
            value == previous,
            AMBER,
            np.where(previous == 0, beyond, np.where(within(change, tolerance), AMBER, beyond)),
        )
    intervals = ~(np.isnan(lower) | np.isnan(upper) | np.isnan(previous_lower) | np.isnan(previous_upper))
    reported = series["latest_start"].notna().to_numpy()
    rated = np.select(
        [
            neutral,
            ~reported,
            ~np.isnan(target),
            ~series["has_older"].to_numpy(dtype=bool),
            np.isnan(previous),
            intervals,
        ],
        [NEUTRAL, NO_DATA, against_target, NO_DATA, NO_DATA, by_intervals],
        default=by_change,
    )
    return rated.tolist()


# ---------------------------------------------------------------------------------------------------------
# Actions


def _check_status(status: str) -> None:
    if status not in ACTION_STATUSES:
        raise ValueError(f"status must be one of {ACTION_STATUSES}, got {status!r}")


def is_overdue(status: str, due_date: date | None, as_at: date) -> bool:
    """True when an open action's due date is before ``as_at`` (due today is not yet overdue)."""
    _check_status(status)
    return status not in CLOSED_STATUSES and due_date is not None and due_date < as_at


_STATUS_RATINGS = {
    "off_track": (RED, "Marked off track"),
    "at_risk": (AMBER, "Marked at risk"),
    "on_track": (GREEN, "Marked on track"),
    "not_started": (GREEN, "Not started yet"),
}


def action_rag(status: str, overdue: bool) -> str:
    """An action's rating alone (no reason): what a count of actions by RAG needs."""
    if status in CLOSED_STATUSES:
        return CLOSED
    return RED if overdue else _STATUS_RATINGS[status][0]


def action_rating(status: str, due_date: date | None, as_at: date) -> Rating:
    """Rate an action on ``as_at``: closed, overdue (red), or by its reported status."""
    _check_status(status)
    due_text = format_date(due_date)
    if status in CLOSED_STATUSES:
        word = "complete" if status == "complete" else "cancelled"
        was_due = f" (was due {due_text})" if due_date is not None else ""
        return Rating(CLOSED, f"Closed: {word}{was_due}.")
    if is_overdue(status, due_date, as_at):
        return Rating(RED, f"Overdue: was due {due_text} and is not complete.")
    rating, status_text = _STATUS_RATINGS[status]
    if due_date is None:
        due_phrase = "no due date is set"
    elif due_date == as_at:
        due_phrase = f"due today ({due_text})"
    else:
        due_phrase = f"due {due_text}"
    return Rating(rating, f"{status_text}; {due_phrase}.")


# ---------------------------------------------------------------------------------------------------------
# Priorities


def _tally(ratings: Iterable[str], allowed: set[str], kind: str) -> dict[str, int]:
    tally = dict.fromkeys(allowed, 0)
    for rating in ratings:
        if rating not in allowed:
            raise ValueError(f"{kind} rating must be one of {sorted(allowed)}, got {rating!r}")
        tally[rating] += 1
    return tally


def priority_rollup(
    indicator_ratings: Iterable[str], action_ratings: Iterable[str], overdue_actions: int = 0
) -> Rating:
    """Roll indicator and action ratings up into a priority RAG, for when the board has not set one.

    Indicators rated red, amber or green and open actions rated red, amber or green each count once;
    neutral and no-data indicators and closed actions are left out (no-data indicators are mentioned in
    the reason).  Red when at least a third of the rated items are red; green when at least two thirds
    are green and none is red; amber otherwise; not enough data when nothing is rated.  Overdue actions
    are already red (see ``action_rating``); ``overdue_actions`` is reported, not counted again.
    """
    return rollup_of_counts(
        _tally(indicator_ratings, {RED, AMBER, GREEN, NO_DATA, NEUTRAL}, "Indicator"),
        _tally(action_ratings, {RED, AMBER, GREEN, CLOSED}, "Action"),
        overdue_actions,
    )


def rollup_of_counts(
    indicators: Mapping[str, int], actions: Mapping[str, int], overdue_actions: int = 0
) -> Rating:
    """``priority_rollup`` from how many indicators and actions have each rating (a rating not given counts
    none), for callers that tally them already: a large district matrix rolls up hundreds of cells."""
    indicators = {rating: int(indicators.get(rating, 0)) for rating in (RED, AMBER, GREEN, NO_DATA)}
    actions = {rating: int(actions.get(rating, 0)) for rating in (RED, AMBER, GREEN)}
    counts = {
        "indicators_red": indicators[RED],
        "indicators_amber": indicators[AMBER],
        "indicators_green": indicators[GREEN],
        "indicators_no_data": indicators[NO_DATA],
        "actions_red": actions[RED],
        "actions_amber": actions[AMBER],
        "actions_green": actions[GREEN],
        "actions_overdue": overdue_actions,
    }
    rated_indicators = indicators[RED] + indicators[AMBER] + indicators[GREEN]
    rated_actions = actions[RED] + actions[AMBER] + actions[GREEN]
    rated = rated_indicators + rated_actions
    red = indicators[RED] + actions[RED]
    amber = indicators[AMBER] + actions[AMBER]
    green = indicators[GREEN] + actions[GREEN]

    no_data_note = ""
    if indicators[NO_DATA]:
        verb = "lacks" if indicators[NO_DATA] == 1 else "lack"
        no_data_note = f"; {plural(indicators[NO_DATA], 'indicator')} {verb} data"

    if rated == 0:
        return Rating(
            NO_DATA,
            f"Not enough data: no indicator or open action has a RAG rating yet{no_data_note}.",
            counts,
        )

    # Whole-number comparisons keep "exactly a third" exact.
    if red * 3 >= rated:
        rating = RED
    elif red == 0 and green * 3 >= rated * 2:
        rating = GREEN
    else:
        rating = AMBER

    parts = []
    if rated_indicators:
        parts.append(plural(rated_indicators, "indicator"))
    if rated_actions:
        parts.append(plural(rated_actions, "open action"))
    overdue_note = f" ({plural(overdue_actions, 'action')} overdue)" if overdue_actions else ""
    tally = f"{green} green, {amber} amber, {red} red"
    reason = f"Roll-up of {' and '.join(parts)}: {tally}{overdue_note}{no_data_note}."
    return Rating(rating, reason, counts)
