"""Bulk imports on SQLite and PostgreSQL: the large partnership (at a tiny size) loads through the importer,
problems in big sheets are named by row exactly as in small ones, and nothing is written unless all is well.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text

from data_access.bootstrap import DemoRefused, holds_large_demo, install_demo, load_large_demo
from data_access.config import Settings
from data_access.db import session_scope
from data_access.demo import large
from data_access.importer import import_frames, import_path
from data_access.models import ActionUpdate, IndicatorValue, WholePartnershipValue
from data_access.workbook import WorkbookError
from tests.workbooks import small_partnership

TINY = large.Size(districts=4, indicators=30, first_year=2024, actions=60)  # about 3,400 values


def problems_of(error: pytest.ExceptionInfo[WorkbookError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def row_counts(engine: Engine) -> tuple[int, float, int]:
    """How many values, their total, and how many action updates the database holds."""
    with session_scope(engine) as session:
        values = session.execute(select(func.count(), func.sum(IndicatorValue.value))).one()
        updates = session.scalar(select(func.count()).select_from(ActionUpdate))
    return values[0], values[1], updates


@pytest.fixture
def tiny_large(engine: Engine) -> Engine:
    load_large_demo(engine, TINY)
    return engine


def test_the_large_partnership_loads_through_the_importer_and_again_changes_nothing(engine):
    sheets = large.workbook(TINY)
    first = load_large_demo(engine, TINY)

    assert {name: s.inserted for name, s in first.sheets.items()} == {
        name: len(sheet) for name, sheet in sheets.items()
    }
    assert row_counts(engine)[0] == len(sheets["indicator_values"])
    assert holds_large_demo(engine, TINY)

    again = load_large_demo(engine, TINY)
    assert {name: (s.inserted, s.updated) for name, s in again.sheets.items()} == {
        name: (0, 0) for name in sheets
    }
    assert again.sheets["indicator_values"].unchanged == len(sheets["indicator_values"])


def test_reimport_updates_only_the_values_that_changed(tiny_large):
    values = large.workbook(TINY)["indicator_values"]
    changed = values.copy()
    changed.loc[[5, 500, 1_000], "value"] += 1
    changed.loc[7, "note"] = "Revised"
    before = row_counts(tiny_large)

    summary = import_frames(tiny_large, {"indicator_values": changed})

    sheet = summary.sheets["indicator_values"]
    assert (sheet.inserted, sheet.updated, sheet.unchanged) == (0, 4, len(values) - 4)
    assert row_counts(tiny_large) == (before[0], before[1] + 3, before[2])


def planner_row_counts(engine: Engine) -> dict[str, float]:
    """What PostgreSQL's planner believes each table holds (pg_class.reltuples: -1 when never analysed)."""
    with engine.connect() as connection:
        return {
            table: connection.scalar(
                text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:table)"), {"table": table}
            )
            for table in ("indicator_values", "whole_partnership_values", "actions", "action_updates")
        }


def test_a_bulk_import_refreshes_the_planners_statistics_and_a_small_one_leaves_them(engine):
    load_large_demo(engine, TINY)
    if engine.dialect.name != "postgresql":
        with engine.connect() as connection:  # SQLite keeps statistics only when asked (ANALYZE)
            assert (
                connection.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 0
            )
        return
    values, updates = row_counts(engine)[0], row_counts(engine)[2]
    with session_scope(engine) as session:
        whole = session.scalar(select(func.count()).select_from(WholePartnershipValue))
    # Analysed in the import's own transaction, so its rows are counted: the planner knows the real sizes.
    assert planner_row_counts(engine) == {
        "indicator_values": values,
        "whole_partnership_values": whole,
        "actions": TINY.actions,
        "action_updates": updates,
    }

    revised = large.workbook(TINY)["indicator_values"].iloc[:10].assign(note="Revised")
    import_frames(engine, {"indicator_values": revised})  # 10 of 3,400 values: left to autovacuum
    assert planner_row_counts(engine)["indicator_values"] == values


def test_whole_partnership_values_alone_reimport_unchanged(engine):
    """A blank district keys as the whole partnership on both sides of the comparison."""
    workbook = small_partnership()
    workbook["indicator_values"] = workbook["indicator_values"].query("district.isnull()")
    import_frames(engine, workbook)
    again = import_frames(engine, workbook)
    assert again.sheets["indicator_values"].unchanged == 2 and again.sheets["indicator_values"].inserted == 0


# ----------------------------------------------------------------------------------------------
# Problems in big sheets: named by row, every one listed, nothing written


def big_values_sheet(rows: int = 3_000) -> pd.DataFrame:
    """``rows`` valid district values of the tiny large partnership's monthly indicators, as text (as a
    CSV gives them)."""
    sheets = large.workbook(TINY)
    frequency = sheets["indicators"].set_index("code")["frequency"]
    values = sheets["indicator_values"]
    values = values[(values["indicator"].map(frequency) == "month") & values["district"].notna()]
    values = values.iloc[:rows].reset_index(drop=True)
    return (
        values.astype(object)
        .where(values.notna(), None)
        .map(lambda cell: cell if cell is None or isinstance(cell, str) else str(cell))
    )


def with_problems(values: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The sheet with a problem of each kind planted at known rows, and the messages expected (the sheet's
    row N is DataFrame position N - 2)."""
    values = values.copy()
    indicator, period, district = values.loc[0, ["indicator", "period", "district"]]
    values.loc[1_498, "value"] = "n/a"
    values.loc[2_198, "district"] = "X99"
    values.loc[2_997, "indicator"] = "no-such-indicator"
    values.loc[1_000, ["indicator", "period", "district"]] = [indicator, period, district]
    values.loc[2_498, "period"] = "2025-02-30"
    values.loc[2_598, "period"] = "2025-03-15"
    values.loc[2_700, ["lower_ci", "upper_ci"]] = ["9", "3"]
    return values, [
        "indicator_values row 1002: duplicate of row 2 "
        f"(indicator {indicator!r}, district {district!r}, period {period})",
        "indicator_values row 1500, value: 'n/a' is not a number",
        "indicator_values row 2200, district: 'X99' is not a known district "
        "(not in the database nor in this workbook's districts sheet)",
        "indicator_values row 2500, period: '2025-02-30' is not a real date",
        "indicator_values row 2600, period: 2025-03-15 is not a period start for a monthly indicator "
        "(expected the first day of a month)",
        "indicator_values row 2702, lower_ci: 9 is above upper_ci 3",
        "indicator_values row 2999, indicator: 'no-such-indicator' is not a known indicator "
        "(not in the database nor in this workbook's indicators sheet)",
    ]


def test_every_problem_in_a_big_sheet_is_named_by_row_and_nothing_is_written(tiny_large):
    values, expected = with_problems(big_values_sheet())
    values["value"] = values["value"].where(values.index != 3, "1,000,000")  # a valid change, not written
    before = row_counts(tiny_large)

    with pytest.raises(WorkbookError) as error:
        import_frames(tiny_large, {"indicator_values": values})

    assert problems_of(error) == expected
    assert "nothing was written" in str(error.value)
    assert row_counts(tiny_large) == before


def test_a_big_csv_reports_the_same_problems(tiny_large, tmp_path):
    values, expected = with_problems(big_values_sheet())
    folder = tmp_path / "return"
    folder.mkdir()
    values.to_csv(folder / "indicator_values.csv", index=False)
    before = row_counts(tiny_large)

    with pytest.raises(WorkbookError) as error:
        import_path(tiny_large, folder)

    assert problems_of(error) == expected
    assert row_counts(tiny_large) == before


def test_typed_columns_are_checked_like_text(engine):
    """DataFrames with float and datetime columns (as a generator hands them) get the same messages."""
    workbook = small_partnership()
    values = workbook["indicator_values"].iloc[:5].copy()
    values["value"] = pd.to_numeric(values["value"]).astype("float64")
    values.loc[2, "value"] = np.inf
    values["period"] = pd.to_datetime(values["period"])
    values.loc[4, "period"] = pd.Timestamp("2024-07-01 10:30")
    with pytest.raises(WorkbookError) as error:
        import_frames(engine, workbook | {"indicator_values": values})
    assert problems_of(error) == [
        "indicator_values row 4, value: inf is not a finite number",
        "indicator_values row 6, period: '2024-07-01 10:30:00' is a date and time; expected a date (YYYY-MM-DD)",
    ]


def test_nullable_integer_and_float_columns_import_like_any_other(engine):
    workbook = small_partnership()
    workbook["priorities"]["number"] = pd.array([1, 2], dtype="Int64")
    values = workbook["indicator_values"]
    values["value"] = pd.array(pd.to_numeric(values["value"]), dtype="Float64")
    values["lower_ci"] = pd.array(pd.to_numeric(values["lower_ci"]), dtype="Float64")  # mostly <NA>
    summary = import_frames(engine, workbook)
    assert summary.sheets["indicator_values"].inserted == len(values)
    assert import_frames(engine, small_partnership()).sheets["indicator_values"].unchanged == len(values)


def test_duplicates_are_found_among_thousands_of_action_updates(tiny_large):
    updates = large.workbook(TINY)["action_updates"]
    repeated = pd.concat([updates, updates.iloc[[10]]], ignore_index=True)
    before = row_counts(tiny_large)
    with pytest.raises(WorkbookError) as error:
        import_frames(tiny_large, {"action_updates": repeated})
    ref, date = updates.at[10, "ref"], updates.at[10, "date"]
    assert problems_of(error) == [
        f"action_updates row {len(updates) + 2}: duplicate of row 12 (ref {ref!r}, date {date})"
    ]
    assert row_counts(tiny_large) == before


# ----------------------------------------------------------------------------------------------
# The command's refusal


def test_the_large_demo_refuses_a_database_holding_another_partnership(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'other.db'}")
    install_demo(settings)  # the ordinary demo: another partnership, as far as the large one is concerned
    with pytest.raises(DemoRefused, match="not the large demo"):
        install_demo(settings, scale="large")
