"""Small summaries of timings: median and 90th percentile (nearest rank), in the report's units."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile: the value ``fraction`` of the samples are at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def p90(values: Sequence[float]) -> float | None:
    return percentile(values, 0.9)


def p95(values: Sequence[float]) -> float | None:
    return percentile(values, 0.95)
