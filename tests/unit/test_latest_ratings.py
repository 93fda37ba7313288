"""latest_ratings, the column-at-a-time rating, gives rate_latest's rating for any series."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.rag import (
    AMBER,
    GREEN,
    LATEST_RATING_COLUMNS,
    NEUTRAL,
    NO_DATA,
    RED,
    Point,
    latest_ratings,
    rate_latest,
)

NAN = math.nan
# Few distinct numbers, so ties, zeros and values at a tolerance's very edge come up often: 1.045 is 5%
# below 1.1, though in floating point the gap (0.05500000000000016) is a hair over 5% of 1.1.
NUMBERS = st.sampled_from([0.0, 1.0, 1.045, 1.1, 1.155, 95.0, 100.0, 105.0, 107.0, -4.0, NAN])
BOUNDS = st.sampled_from([NAN, 0.0, 90.0, 96.0, 98.0, 102.0, 104.0, 120.0])


@st.composite
def series_rows(draw) -> dict:
    reported = draw(st.booleans())
    return {
        "good_direction": draw(st.sampled_from(["up", "down", "none"])),
        "target": draw(st.one_of(st.just(NAN), NUMBERS)),
        "tolerance": draw(st.sampled_from([NAN, 0.0, 0.05, 0.07, 0.1, 1.0])),
        "latest_start": date(2024, 4, 1) if reported else None,
        "value": draw(NUMBERS) if reported else NAN,
        "lower_ci": draw(BOUNDS) if reported else NAN,
        "upper_ci": draw(BOUNDS) if reported else NAN,
        "previous_value": draw(NUMBERS) if reported else NAN,
        "previous_lower_ci": draw(BOUNDS) if reported else NAN,
        "previous_upper_ci": draw(BOUNDS) if reported else NAN,
        "has_older": draw(st.booleans()) if reported else False,
    }


def scalar_rating(row: dict) -> str:
    """rate_latest for one row, read as data_access.progress reads a series."""
    reported = row["latest_start"] is not None
    previous = None
    if reported and not math.isnan(row["previous_value"]):
        previous = Point(row["previous_value"], row["previous_lower_ci"], row["previous_upper_ci"])
    return rate_latest(
        row["latest_start"],
        Point(row["value"], row["lower_ci"], row["upper_ci"]) if reported else None,
        previous=previous,
        has_older=row["has_older"],
        good_direction=row["good_direction"],
        target=None if math.isnan(row["target"]) else row["target"],
        tolerance=row["tolerance"],
        unit="count",
        frequency="quarter",
    ).rating


@settings(max_examples=200)
@given(st.lists(series_rows(), min_size=1, max_size=30))
def test_latest_ratings_agree_with_rate_latest(rows):
    frame = pd.DataFrame(rows, columns=LATEST_RATING_COLUMNS)
    assert latest_ratings(frame) == [scalar_rating(row) for row in rows]


def test_latest_ratings_cover_every_rule():
    """One series per branch of the rule, so a change to any of them shows here by name."""
    base = dict.fromkeys(LATEST_RATING_COLUMNS, NAN) | {
        "good_direction": "down",
        "latest_start": date(2024, 4, 1),
        "value": 100.0,
        "has_older": True,
    }
    rows = [
        base | {"good_direction": "none"},  # tracked for context
        base | {"latest_start": None},  # nothing reported
        base | {"target": 100.0},  # meets the target
        base | {"target": 95.0, "tolerance": 0.1},  # worse, within tolerance
        base | {"target": 95.0, "tolerance": 0.01},  # worse, beyond tolerance
        base | {"has_older": False},  # a single value
        base,  # no value a year before
        base
        | {"previous_value": 120.0, "lower_ci": 90.0, "upper_ci": 110.0}
        | {"previous_lower_ci": 115.0, "previous_upper_ci": 125.0},  # significantly better
        base | {"previous_value": 100.0, "tolerance": 0.05},  # unchanged
        base | {"previous_value": 0.0},  # up from zero: worse
        base | {"previous_value": 102.0, "tolerance": 0.05},  # better, within tolerance
        # Exactly at the tolerance, though a hair over it in floating point: within.
        base | {"value": 1.045, "target": 1.1, "tolerance": 0.05, "good_direction": "up"},
        base | {"value": 1.155, "previous_value": 1.1, "tolerance": 0.05},
    ]
    frame = pd.DataFrame(rows, columns=LATEST_RATING_COLUMNS)
    assert latest_ratings(frame) == [
        NEUTRAL,
        NO_DATA,
        GREEN,
        AMBER,
        RED,
        NO_DATA,
        NO_DATA,
        GREEN,
        AMBER,
        RED,
        AMBER,
        AMBER,
        AMBER,
    ]
    assert latest_ratings(frame) == [scalar_rating(row) for row in rows]


@pytest.mark.parametrize(
    ("change", "message"),
    [({"good_direction": "sideways"}, "good_direction"), ({"tolerance": -0.1}, "tolerance")],
)
def test_latest_ratings_refuse_what_rate_latest_refuses(change, message):
    row = dict.fromkeys(LATEST_RATING_COLUMNS, NAN) | {"good_direction": "up", "has_older": False} | change
    with pytest.raises(ValueError, match=message):
        latest_ratings(pd.DataFrame([row], columns=LATEST_RATING_COLUMNS))
