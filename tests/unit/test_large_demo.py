"""The large synthetic partnership (data_access/demo/large.py) has the shape the issue promises, is the
same every time, and keeps the workbook contract; built without a database."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from data_access.demo import AS_OF, large
from data_access.workbook import SHEETS, parse_frame, raw_sheets_from_frames
from domain.periods import is_period_start, period_end

TINY = large.Size(districts=4, indicators=30, first_year=2025, actions=60)
URL_SAFE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def full() -> dict[str, pd.DataFrame]:
    return large.workbook()


def test_full_size_has_the_promised_shape(full):
    assert len(full["districts"]) == 40
    assert full["districts"]["code"].str.startswith("W06").sum() == 8  # Welsh districts
    assert {"Ynys Wên", "Pen-y-Fâl", "Cwm Tŷ Gwyn"} <= set(full["districts"]["name"])
    assert len(full["priorities"]) == 12
    assert full["priorities"]["short_title"].str.len().max() <= 30  # fits a card
    indicators = full["indicators"]
    assert len(indicators) == 400
    assert indicators.groupby("priority").size().between(33, 34).all()
    assert set(indicators["unit"]) == {"count", "rate", "percent"}
    assert set(indicators["good_direction"]) == {"up", "down", "none"}
    assert indicators.groupby("frequency").size().to_dict() == {"month": 370, "quarter": 20, "year": 10}
    assert 80 <= indicators["target"].notna().sum() <= 160
    assert 2_850_000 <= len(full["indicator_values"]) <= 3_050_000
    assert len(full["actions"]) == 20_000
    assert 95_000 <= len(full["action_updates"]) <= 105_000
    assert {"Police", "Fire and rescue", "Health", "Probation", "Voluntary sector"} <= set(
        full["partners"]["sector"]
    )
    assert any("Police and Crime Commissioner" in name for name in full["partners"]["name"])


def test_values_run_monthly_from_2010_to_the_last_complete_month_with_gaps(full):
    values = full["indicator_values"]
    frequency = full["indicators"].set_index("code")["frequency"]
    monthly = values[values["indicator"].map(frequency) == "month"]
    assert monthly["period"].min() == "2010-01-01" and monthly["period"].max() == "2026-10-01"
    district_level = monthly[monthly["district"].notna()]
    per_period = district_level.groupby(["indicator", "period"]).size()
    assert per_period.max() == 40 and (per_period < 40).sum() > 1_000  # occasional missing district months
    whole = values[values["district"].isna()]
    assert len(whole) > 3_000 and whole["lower_ci"].notna().all()
    assert ((whole["lower_ci"] <= whole["value"]) & (whole["value"] <= whole["upper_ci"])).all()
    ratios = district_level[district_level["numerator"].notna()]
    assert len(ratios) > 500_000 and (ratios["denominator"] > 0).all()


def test_the_same_data_every_time():
    first, again = large.workbook(TINY), large.workbook(TINY)
    for name in first:
        assert_frame_equal(first[name], again[name], obj=name)


def test_tiny_size_keeps_the_contract_and_every_rule_the_importer_checks():
    sheets = large.workbook(TINY)
    assert list(sheets) == [sheet.name for sheet in SHEETS]
    for name, raw in raw_sheets_from_frames(sheets).items():
        parsed, problems = parse_frame(raw)
        assert problems == [], (name, problems[:3])
        assert len(parsed.values) == len(sheets[name]), name
    indicators = sheets["indicators"]
    assert indicators["code"].map(URL_SAFE.match).all() and indicators["code"].str.len().max() <= 60
    frequency = indicators.set_index("code")["frequency"]
    for row in sheets["indicator_values"].drop_duplicates(["indicator", "period"]).itertuples():
        start = date.fromisoformat(row.period)
        assert (
            is_period_start(start, frequency[row.indicator])
            and period_end(start, frequency[row.indicator]) <= AS_OF
        )
    assert set(sheets["indicator_values"]["indicator"]) == set(indicators["code"])


def test_actions_and_updates_tell_a_consistent_story():
    sheets = large.workbook(TINY)
    actions = sheets["actions"].set_index("ref")
    updates = sheets["action_updates"]
    assert (actions["opened_on"] < actions["due_date"]).all()
    assert updates["date"].max() <= AS_OF.isoformat()
    assert (updates["date"].to_numpy() > actions.loc[updates["ref"], "opened_on"].to_numpy()).all()
    latest = updates.sort_values("date").groupby("ref").last()
    assert (latest["status"] == actions.loc[latest.index, "status"]).all()
    assert not updates.duplicated(["ref", "date"]).any()
    assert 0.25 <= actions["district"].notna().mean() <= 0.45


def test_the_benchmark_workbook_holds_exactly_the_rows_asked_for(tmp_path):
    folder = large.write_indicator_values_workbook(tmp_path / "wb", 1_000, TINY)
    values = pd.read_csv(folder / "indicator_values.csv")
    assert len(values) == 1_000
    assert set(values["indicator"]) <= set(pd.read_csv(folder / "indicators.csv")["code"])
    assert sorted(path.name for path in folder.iterdir()) == [
        "districts.csv",
        "indicator_values.csv",
        "indicators.csv",
        "priorities.csv",
    ]


def test_generator_imports_neither_dash_nor_sqlalchemy():
    tree = ast.parse(Path(large.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"dash", "sqlalchemy", "flask"}
