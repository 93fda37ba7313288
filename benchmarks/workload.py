"""The import measurement's workbook: an ``indicator_values`` sheet of a given size and the small sheets
it needs (the partnership, its districts, one priority, the indicators), as a folder of CSV files.

If the data layer offers its own generator (``data_access.demo.large.write_indicator_values_workbook(
folder, rows)``), that is used instead, so the figure follows the project's own large data.
"""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import numpy as np
import pandas as pd

DISTRICTS = 20
FIRST_YEAR = 2010
MONTHS = 16 * 12  # monthly values, 2010 to 2025
PROJECT_MODULE = "data_access.demo.large"
PROJECT_FUNCTIONS = ("write_indicator_values_workbook", "write_import_workbook")


def project_generator() -> tuple[str, object] | None:
    """The data layer's own generator and its name, or None while it has none."""
    try:
        module = importlib.import_module(PROJECT_MODULE)
    except ImportError:
        return None
    for name in PROJECT_FUNCTIONS:
        if callable(getattr(module, name, None)):
            return f"{PROJECT_MODULE}.{name}", getattr(module, name)
    return None


def write_import_workbook(folder: Path, rows: int) -> str:
    """Write the workbook into ``folder`` (created); says whose generator wrote it."""
    folder.mkdir(parents=True, exist_ok=True)
    found = project_generator()
    if found is not None:
        name, generator = found
        generator(folder, rows)
        return name
    _write_own(folder, rows)
    return f"{__name__}._write_own"


def _write_own(folder: Path, rows: int) -> None:
    series_per_indicator = DISTRICTS + 1  # each district and the whole partnership
    indicators = max(1, math.ceil(rows / (series_per_indicator * MONTHS)))
    district_codes = [f"B{number:08d}" for number in range(1, DISTRICTS + 1)]
    indicator_codes = [f"benchmark-{number:04d}" for number in range(1, indicators + 1)]

    pd.DataFrame(
        {"name": ["Benchmark partnership (synthetic data)"], "short_name": ["Benchmark (synthetic)"]}
    ).to_csv(folder / "partnership.csv", index=False)
    pd.DataFrame({"code": district_codes, "name": [f"District {c[-2:]}" for c in district_codes]}).to_csv(
        folder / "districts.csv", index=False
    )
    pd.DataFrame(
        {"code": ["benchmark"], "number": [1], "title": ["Benchmark priority"], "short_title": ["Benchmark"]}
    ).to_csv(folder / "priorities.csv", index=False)
    pd.DataFrame(
        {
            "code": indicator_codes,
            "priority": "benchmark",
            "name": [f"Benchmark indicator {n}" for n in range(1, indicators + 1)],
            "unit": "count",
            "good_direction": "down",
            "frequency": "month",
            "target": "",
            "tolerance": "",
        }
    ).to_csv(folder / "indicators.csv", index=False)

    # Row r: indicator r // (series * months), then district (blank first: the whole partnership), then month.
    index = np.arange(rows)
    month = index % MONTHS
    series = (index // MONTHS) % series_per_indicator
    indicator = index // (MONTHS * series_per_indicator)
    years = FIRST_YEAR + month // 12
    periods = pd.to_datetime({"year": years, "month": month % 12 + 1, "day": 1}).dt.strftime("%Y-%m-%d")
    district_column = np.array(["", *district_codes], dtype=object)[series]
    rng = np.random.default_rng(20240401)
    base = np.where(series == 0, 400.0, 20.0)
    values = np.round(base * (1 + 0.2 * np.sin(month / 6 + indicator)) + rng.integers(0, 10, rows), 0)
    pd.DataFrame(
        {
            "indicator": np.array(indicator_codes, dtype=object)[indicator],
            "period": periods,
            "value": values,
            "district": district_column,
            "lower_ci": "",
            "upper_ci": "",
            "numerator": "",
            "denominator": "",
            "note": "",
        }
    ).to_csv(folder / "indicator_values.csv", index=False)
