"""RAG rules for indicators, actions and priority roll-ups, with the reasons users see."""

from __future__ import annotations

import itertools
import math
from datetime import date

import pandas as pd
import pytest

from domain.rag import (
    AMBER,
    CLOSED,
    GREEN,
    NEUTRAL,
    NO_DATA,
    RATING_WORDS,
    RED,
    ROLLUP_RULE_TEXT,
    Rating,
    action_rating,
    indicator_rating,
    is_overdue,
    priority_rollup,
    rollup_of_counts,
)

NAN = math.nan


def series(*rows: tuple) -> pd.DataFrame:
    """Rows of (period_start, value) or (period_start, value, lower_ci, upper_ci)."""
    full = [row if len(row) == 4 else (*row, NAN, NAN) for row in rows]
    return pd.DataFrame(full, columns=["period_start", "value", "lower_ci", "upper_ci"])


def rate(values: pd.DataFrame, **overrides: object) -> Rating:
    settings: dict[str, object] = {
        "good_direction": "down",
        "target": None,
        "tolerance": 0.05,
        "unit": "count",
        "frequency": "quarter",
    }
    settings.update(overrides)
    return indicator_rating(values, **settings)


Q2_2025 = date(2025, 7, 1)
Q1_2025 = date(2025, 4, 1)
Q2_2024 = date(2024, 7, 1)


# --- indicators: no RAG and no data -----------------------------------------------------------------


def test_good_direction_none_is_neutral_even_with_a_target() -> None:
    rating = rate(series((Q2_2025, 10.0)), good_direction="none", target=5.0)
    assert rating == Rating(NEUTRAL, "Tracked for context; no RAG is set for this indicator.")


def test_no_rows_is_no_data() -> None:
    rating = rate(series())
    assert rating == Rating(NO_DATA, "Not enough data: no values have been reported yet.")


def test_only_nan_values_is_no_data() -> None:
    rating = rate(series((Q2_2025, NAN), (Q2_2024, NAN)), target=100.0)
    assert rating.rating == NO_DATA


def test_unknown_good_direction_is_rejected() -> None:
    with pytest.raises(ValueError, match="good_direction"):
        rate(series((Q2_2025, 1.0)), good_direction="sideways")


# --- indicators: against a target -------------------------------------------------------------------


def test_target_worse_beyond_tolerance_is_red_with_reason() -> None:
    rating = rate(series((Q2_2025, 1234.0)), target=1100.0)
    assert rating == Rating(
        RED,
        "Q2 2025/26 value of 1,234 is above the target of 1,100 (worse by 12.2%, beyond the 5% tolerance).",
    )


def test_target_equal_is_green() -> None:
    rating = rate(series((Q2_2025, 1100.0)), target=1100.0)
    assert rating == Rating(GREEN, "Q2 2025/26 value of 1,100 meets the target of 1,100.")


def test_target_better_is_green_for_down() -> None:
    rating = rate(series((Q2_2025, 900.0)), target=1100.0)
    assert rating == Rating(
        GREEN, "Q2 2025/26 value of 900 is below the target of 1,100 (better than the target)."
    )


def test_target_worse_within_tolerance_is_amber() -> None:
    rating = rate(series((Q2_2025, 1120.0)), target=1100.0)
    assert rating.rating == AMBER
    assert rating.reason == (
        "Q2 2025/26 value of 1,120 is above the target of 1,100 (worse by 1.8%, within the 5% tolerance)."
    )


@pytest.mark.parametrize(
    ("good_direction", "value", "tolerance", "expected"),
    [
        ("down", 105.0, 0.05, AMBER),  # exactly on the boundary
        ("down", 105.01, 0.05, RED),
        ("up", 95.0, 0.05, AMBER),
        ("up", 94.99, 0.05, RED),
        ("down", 107.0, 0.07, AMBER),  # 0.07 * 100 is 7.000000000000001 in floating point
        ("up", 93.0, 0.07, AMBER),
    ],
)
def test_target_tolerance_boundary_is_amber(
    good_direction: str, value: float, tolerance: float, expected: str
) -> None:
    rating = rate(series((Q2_2025, value)), target=100.0, tolerance=tolerance, good_direction=good_direction)
    assert rating.rating == expected


def test_target_with_good_direction_up() -> None:
    assert rate(series((Q2_2025, 80.0)), target=75.0, good_direction="up").rating == GREEN
    red = rate(series((Q2_2025, 60.0)), target=75.0, good_direction="up", unit="percent")
    assert red == Rating(
        RED,
        "Q2 2025/26 value of 60.0% is below the target of 75.0% (worse by 20.0%, beyond the 5% tolerance).",
    )


def test_target_uses_latest_value_of_unsorted_input_and_ignores_nan_rows() -> None:
    values = series((Q2_2025, NAN), (Q2_2024, 2000.0), (Q1_2025, 1000.0), (date(2024, 10, 1), 1500.0))
    rating = rate(values, target=1100.0)
    assert rating.rating == GREEN
    assert rating.reason.startswith("Q1 2025/26 value of 1,000 ")


def test_target_of_zero_allows_no_tolerance() -> None:
    rating = rate(series((Q2_2025, 2.0)), target=0.0)
    assert rating == Rating(
        RED, "Q2 2025/26 value of 2 is above the target of 0 (a target of zero leaves no tolerance)."
    )


def test_nan_target_falls_back_to_previous_year() -> None:
    rating = rate(series((Q2_2025, 90.0), (Q2_2024, 100.0)), target=NAN)
    assert rating.rating == GREEN
    assert "on Q2 2024/25 (100)" in rating.reason


# --- indicators: against the same period last year --------------------------------------------------


def test_without_target_better_beyond_tolerance_is_green() -> None:
    rating = rate(series((Q2_2025, 90.0), (Q2_2024, 100.0)))
    assert rating == Rating(
        GREEN,
        "Q2 2025/26 value of 90 is down 10.0% on Q2 2024/25 (100), an improvement beyond the 5% tolerance.",
    )


def test_without_target_worse_beyond_tolerance_is_red() -> None:
    rating = rate(series((Q2_2025, 110.0), (Q2_2024, 100.0)))
    assert rating == Rating(
        RED,
        "Q2 2025/26 value of 110 is up 10.0% on Q2 2024/25 (100), a deterioration beyond the 5% tolerance.",
    )


def test_without_target_good_direction_up() -> None:
    assert rate(series((Q2_2025, 110.0), (Q2_2024, 100.0)), good_direction="up").rating == GREEN
    assert rate(series((Q2_2025, 90.0), (Q2_2024, 100.0)), good_direction="up").rating == RED


@pytest.mark.parametrize("latest", [95.0, 100.0, 105.0, 103.0])
def test_without_target_change_within_tolerance_is_amber(latest: float) -> None:
    assert rate(series((Q2_2025, latest), (Q2_2024, 100.0))).rating == AMBER


def test_without_target_within_tolerance_reason() -> None:
    rating = rate(series((Q2_2025, 103.0), (Q2_2024, 100.0)))
    assert rating.reason == "Q2 2025/26 value of 103 is up 3.0% on Q2 2024/25 (100), within the 5% tolerance."


def test_without_target_negative_previous_uses_its_magnitude() -> None:
    # From -100 to -90 is a rise of 10% of the magnitude; with "down" good that is worse.
    assert rate(series((Q2_2025, -90.0), (Q2_2024, -100.0))).rating == RED


def test_previous_value_zero_any_change_is_beyond_tolerance() -> None:
    worse = rate(series((Q2_2025, 1.0), (Q2_2024, 0.0)))
    assert worse == Rating(
        RED,
        "Q2 2025/26 value of 1 is up from Q2 2024/25 (0), a deterioration; from zero no tolerance applies.",
    )
    assert rate(series((Q2_2025, 1.0), (Q2_2024, 0.0)), good_direction="up").rating == GREEN


def test_previous_value_zero_and_unchanged_is_amber() -> None:
    rating = rate(series((Q2_2025, 0.0), (Q2_2024, 0.0)))
    assert rating == Rating(
        AMBER, "Q2 2025/26 value of 0 is unchanged from Q2 2024/25 (0), within the 5% tolerance."
    )


def test_overlapping_confidence_intervals_are_amber_even_for_a_large_change() -> None:
    values = series((Q2_2025, 60.0, 45.0, 75.0), (Q2_2024, 40.0, 30.0, 50.0))
    rating = rate(values, unit="rate")
    assert rating == Rating(
        AMBER,
        "Q2 2025/26 value of 60.0 shows no significant change from Q2 2024/25 (40.0); "
        "the confidence intervals overlap.",
    )


def test_intervals_that_only_touch_count_as_overlapping() -> None:
    values = series((Q2_2025, 60.0, 50.0, 70.0), (Q2_2024, 40.0, 30.0, 50.0))
    assert rate(values, unit="rate").rating == AMBER


def test_separate_confidence_intervals_worse_is_red() -> None:
    values = series((Q2_2025, 60.0, 55.0, 65.0), (Q2_2024, 40.0, 35.0, 45.0))
    rating = rate(values, unit="rate")
    assert rating == Rating(
        RED,
        "Q2 2025/26 value of 60.0 is significantly higher (worse) than Q2 2024/25 (40.0); "
        "the confidence intervals do not overlap.",
    )


def test_separate_confidence_intervals_better_is_green() -> None:
    values = series((Q2_2025, 60.0, 55.0, 65.0), (Q2_2024, 40.0, 35.0, 45.0))
    rating = rate(values, unit="rate", good_direction="up")
    assert rating.rating == GREEN
    assert "significantly higher (better)" in rating.reason


def test_separate_intervals_beat_a_change_within_tolerance() -> None:
    # A 2% fall is within tolerance, but narrow intervals show it is a real change.
    values = series((Q2_2025, 98.0, 97.9, 98.1), (Q2_2024, 100.0, 99.9, 100.1))
    assert rate(values, good_direction="down").rating == GREEN


def test_intervals_on_only_one_row_fall_back_to_relative_change() -> None:
    values = series((Q2_2025, 60.0, 45.0, 75.0), (Q2_2024, 40.0))
    rating = rate(values, unit="rate")
    assert rating.rating == RED
    assert "up 50.0% on Q2 2024/25 (40.0)" in rating.reason


def test_only_one_value_is_no_data() -> None:
    rating = rate(series((date(2025, 9, 1), 12.0), (date(2024, 9, 1), NAN)), frequency="month")
    assert rating == Rating(NO_DATA, "Not enough data: only one value (Sep 2025) has been reported.")


def test_missing_comparison_period_is_no_data() -> None:
    rating = rate(series((Q2_2025, 12.0), (Q1_2025, 10.0), (date(2024, 10, 1), 9.0)))
    assert rating == Rating(NO_DATA, "Not enough data: no value for Q2 2024/25 to compare Q2 2025/26 with.")


def test_comparison_uses_same_period_last_year_not_previous_period() -> None:
    values = series((Q1_2025, 200.0), (Q2_2025, 100.0), (Q2_2024, 120.0))
    rating = rate(values)
    assert rating.rating == GREEN
    assert "on Q2 2024/25 (120)" in rating.reason


def test_yearly_and_timestamp_periods() -> None:
    values = series((pd.Timestamp(2024, 4, 1), 50.0), (pd.Timestamp(2023, 4, 1), 40.0))
    rating = rate(values, frequency="year", good_direction="up", tolerance=0.1)
    assert rating.rating == GREEN
    assert rating.reason.startswith("2024/25 value of 50 is up 25.0% on 2023/24 (40)")


def test_every_reason_is_one_sentence() -> None:
    ratings = [
        rate(series((Q2_2025, 1234.0)), target=1100.0),
        rate(series((Q2_2025, 90.0), (Q2_2024, 100.0))),
        rate(series((Q2_2025, 90.0))),
        action_rating("at_risk", date(2025, 9, 30), date(2025, 9, 1)),
        priority_rollup([GREEN], [RED]),
    ]
    for rating in ratings:
        assert rating.reason.endswith(".")
        assert rating.reason.count(". ") == 0
        assert rating.rating in RATING_WORDS


# --- actions ----------------------------------------------------------------------------------------

AS_AT = date(2025, 10, 15)


def test_past_due_open_action_is_overdue_and_red() -> None:
    rating = action_rating("on_track", date(2025, 9, 30), AS_AT)
    assert rating == Rating(RED, "Overdue: was due 30 Sep 2025 and is not complete.")
    assert is_overdue("on_track", date(2025, 9, 30), AS_AT) is True


def test_due_today_is_not_overdue() -> None:
    rating = action_rating("on_track", AS_AT, AS_AT)
    assert rating == Rating(GREEN, "Marked on track; due today (15 Oct 2025).")
    assert is_overdue("on_track", AS_AT, AS_AT) is False


@pytest.mark.parametrize("status", ["complete", "cancelled"])
def test_closed_even_when_past_due(status: str) -> None:
    rating = action_rating(status, date(2025, 1, 1), AS_AT)
    assert rating == Rating(CLOSED, f"Closed: {status} (was due 1 Jan 2025).")
    assert is_overdue(status, date(2025, 1, 1), AS_AT) is False


@pytest.mark.parametrize(
    ("status", "expected", "reason"),
    [
        ("off_track", RED, "Marked off track; due 1 Dec 2025."),
        ("at_risk", AMBER, "Marked at risk; due 1 Dec 2025."),
        ("on_track", GREEN, "Marked on track; due 1 Dec 2025."),
        ("not_started", GREEN, "Not started yet; due 1 Dec 2025."),
    ],
)
def test_open_action_rated_by_status(status: str, expected: str, reason: str) -> None:
    assert action_rating(status, date(2025, 12, 1), AS_AT) == Rating(expected, reason)


def test_action_without_due_date_is_never_overdue() -> None:
    assert action_rating("at_risk", None, AS_AT) == Rating(AMBER, "Marked at risk; no due date is set.")
    assert is_overdue("at_risk", None, AS_AT) is False


def test_unknown_status_is_rejected() -> None:
    with pytest.raises(ValueError, match="status"):
        action_rating("done", date(2025, 12, 1), AS_AT)
    with pytest.raises(ValueError, match="status"):
        is_overdue("done", date(2025, 12, 1), AS_AT)


# --- priority roll-up -------------------------------------------------------------------------------


def test_rollup_example_counts_and_reason() -> None:
    rating = priority_rollup(
        [GREEN, GREEN, AMBER, RED, NO_DATA, NEUTRAL],
        [GREEN, GREEN, GREEN, AMBER, AMBER, RED, CLOSED],
        overdue_actions=1,
    )
    assert rating.rating == AMBER  # 2 of 10 red is under a third; 5 of 10 green is under two thirds
    assert rating.reason == (
        "Roll-up of 4 indicators and 6 open actions: 5 green, 3 amber, 2 red (1 action overdue); "
        "1 indicator lacks data."
    )
    assert rating.counts == {
        "indicators_red": 1,
        "indicators_amber": 1,
        "indicators_green": 2,
        "indicators_no_data": 1,
        "actions_red": 1,
        "actions_amber": 2,
        "actions_green": 3,
        "actions_overdue": 1,
    }


def test_rollup_exactly_one_third_red_is_red() -> None:
    assert priority_rollup([RED, GREEN, GREEN], []).rating == RED
    assert priority_rollup([RED, GREEN], [RED, GREEN, GREEN, GREEN]).rating == RED  # 2 of 6


def test_rollup_just_under_one_third_red_is_amber() -> None:
    assert priority_rollup([RED, GREEN, GREEN, GREEN], []).rating == AMBER


def test_rollup_exactly_two_thirds_green_without_red_is_green() -> None:
    rating = priority_rollup([GREEN, GREEN], [AMBER])
    assert rating == Rating(
        GREEN,
        "Roll-up of 2 indicators and 1 open action: 2 green, 1 amber, 0 red.",
        rating.counts,
    )


def test_rollup_just_under_two_thirds_green_is_amber() -> None:
    assert priority_rollup([GREEN, GREEN, GREEN], [AMBER, AMBER]).rating == AMBER  # 3 of 5


def test_rollup_any_red_prevents_green() -> None:
    assert priority_rollup([GREEN] * 9, [RED]).rating == AMBER


def test_rollup_all_green_actions_only() -> None:
    rating = priority_rollup([], [GREEN, CLOSED])
    assert rating.rating == GREEN
    assert rating.reason == "Roll-up of 1 open action: 1 green, 0 amber, 0 red."


def test_rollup_nothing_rated_is_no_data() -> None:
    rating = priority_rollup([NO_DATA, NO_DATA, NEUTRAL], [CLOSED])
    assert rating.rating == NO_DATA
    assert rating.reason == (
        "Not enough data: no indicator or open action has a RAG rating yet; 2 indicators lack data."
    )
    assert rating.counts["indicators_no_data"] == 2
    assert (
        priority_rollup([], []).reason == "Not enough data: no indicator or open action has a RAG rating yet."
    )


def test_rollup_accepts_generators_and_rejects_unknown_ratings() -> None:
    assert priority_rollup((r for r in [RED]), iter([])).rating == RED
    with pytest.raises(ValueError, match="Indicator"):
        priority_rollup([CLOSED], [])
    with pytest.raises(ValueError, match="Action"):
        priority_rollup([], ["purple"])


def test_rollup_rule_text_is_plain_sentences() -> None:
    assert 2 <= ROLLUP_RULE_TEXT.count(". ") + 1 <= 4
    assert "a third" in ROLLUP_RULE_TEXT
    assert "two thirds" in ROLLUP_RULE_TEXT


def test_a_rollup_of_counts_is_the_rollup_of_that_many_ratings():
    """The district matrix rolls its cells up from tallies (rollup_of_counts): the same RAG, reason and
    counts as priority_rollup given that many ratings, neutral indicators and closed actions included."""
    for red, amber, green, no_data, neutral in itertools.product(
        range(3), range(3), range(3), range(2), range(2)
    ):
        for actions_red, actions_green, closed, overdue in [(0, 0, 0, 0), (1, 2, 1, 1), (2, 0, 3, 2)]:
            indicators = (
                [RED] * red + [AMBER] * amber + [GREEN] * green + [NO_DATA] * no_data + [NEUTRAL] * neutral
            )
            actions = [RED] * actions_red + [GREEN] * actions_green + [CLOSED] * closed
            tallied = rollup_of_counts(
                {RED: red, AMBER: amber, GREEN: green, NO_DATA: no_data, NEUTRAL: neutral},
                {RED: actions_red, GREEN: actions_green, CLOSED: closed},
                overdue,
            )
            assert tallied == priority_rollup(indicators, actions, overdue)
