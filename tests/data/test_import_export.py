"""Workbook import and export against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pandas.testing import assert_frame_equal
from sqlalchemy import Engine, create_engine

from data_access.db import session_scope, upgrade_schema
from data_access.exporter import export_workbook, read_all_sheets, write_frames
from data_access.importer import import_frames, import_path
from data_access.workbook import WorkbookError
from tests.workbooks import frame, small_partnership


def snapshot(engine: Engine) -> dict[str, pd.DataFrame]:
    with session_scope(engine) as session:
        return read_all_sheets(session)


def assert_same_data(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for sheet in left:
        assert_frame_equal(left[sheet], right[sheet], obj=sheet)


def problems_of(error: pytest.ExceptionInfo[WorkbookError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    import_frames(engine, small_partnership())
    return engine


def test_import_inserts_every_sheet_and_resolves_references(engine):
    summary = import_frames(engine, small_partnership())

    assert {name: s.inserted for name, s in summary.sheets.items()} == {
        "partnership": 1,
        "districts": 3,
        "partners": 2,
        "priorities": 2,
        "indicators": 3,
        "indicator_values": 8,
        "actions": 2,
        "action_updates": 3,
        "assessments": 1,
        "meetings": 2,
    }
    data = snapshot(engine)
    assert data["priorities"].set_index("code").loc["violence", "lead_partner"] == "POL"
    whole = data["indicator_values"].query("indicator == 'admissions' and district.isnull()")
    assert whole[["value", "lower_ci", "upper_ci", "note"]].values.tolist() == [
        [40.0, 30.1, 51.2, "Provisional"]
    ]


def test_importing_the_same_workbook_twice_changes_nothing(loaded):
    before = snapshot(loaded)
    summary = import_frames(loaded, small_partnership())

    assert all(s.inserted == 0 and s.updated == 0 for s in summary.sheets.values())
    assert sum(s.unchanged for s in summary.sheets.values()) == 27
    assert_same_data(before, snapshot(loaded))


def test_import_updates_by_natural_key_and_leaves_absent_columns_alone(loaded):
    # A quarterly return: only values and updates, with only some optional columns.
    quarterly_return = {
        "indicator_values": pd.DataFrame(
            {
                "indicator": ["knife", "knife"],
                "period": ["2024-07-01", "2024-10-01"],
                "value": ["36", "1,050"],
                "district": ["D1", "D1"],
            }
        ),
        "action_updates": pd.DataFrame(
            {
                "ref": ["SV-01"],
                "date": ["2024-12-01"],
                "status": ["Off track"],
                "commentary": ["Funding paused."],
            }
        ),
    }
    summary = import_frames(loaded, quarterly_return)

    assert (summary.sheets["indicator_values"].inserted, summary.sheets["indicator_values"].updated) == (1, 1)
    values = snapshot(loaded)["indicator_values"].query("indicator == 'knife' and district == 'D1'")
    assert values[["period", "value"]].values.tolist() == [
        [dt.date(2024, 4, 1), 30.0],
        [dt.date(2024, 7, 1), 36.0],
        [dt.date(2024, 10, 1), 1050.0],
    ]
    updates = snapshot(loaded)["action_updates"].query("ref == 'SV-01'")
    assert updates["status"].tolist() == ["on_track", "at_risk", "off_track"]


def test_tolerance_defaults_whether_blank_or_left_out(engine):
    workbook = small_partnership()
    workbook["indicators"] = workbook["indicators"].drop(columns=["tolerance"])
    import_frames(engine, workbook)
    assert snapshot(engine)["indicators"]["tolerance"].tolist() == [0.05, 0.05, 0.05]

    workbook = small_partnership()  # knife has 0.1; the others are blank cells
    import_frames(engine, workbook)
    assert snapshot(engine)["indicators"]["tolerance"].tolist() == [0.05, 0.1, 0.05]


def test_blank_optional_cell_clears_the_stored_value(loaded):
    edited = small_partnership()
    edited["partners"].loc[0, "sector"] = None
    import_frames(loaded, {"partners": edited["partners"]})
    assert snapshot(loaded)["partners"].set_index("code").loc["POL", "sector"] is None


@pytest.mark.parametrize("suffix", [".xlsx", "_csv"])
def test_export_then_import_into_an_empty_database_gives_identical_data(loaded, tmp_path, suffix):
    path = tmp_path / f"workbook{suffix}"
    with session_scope(loaded) as session:
        counts = export_workbook(session, path)
    assert counts["indicator_values"] == 8

    empty = create_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    upgrade_schema(empty)
    import_path(empty, path)

    assert_same_data(snapshot(loaded), snapshot(empty))


def test_export_neutralises_formulas_in_text_cells(loaded, tmp_path):
    path = tmp_path / "out.xlsx"
    with session_scope(loaded) as session:
        export_workbook(session, path)
    sheet = load_workbook(path)["action_updates"]
    commentary = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in commentary
    assert not any(isinstance(text, str) and text.startswith("=") for text in commentary)


def test_csv_saved_by_excel_with_bom_crlf_and_thousands_separators(engine, tmp_path):
    folder = tmp_path / "return"
    write_frames(small_partnership(), folder)
    values = folder / "indicator_values.csv"
    text = values.read_text(encoding="utf-8-sig").replace("1234", '"1,234"')
    values.write_bytes(("\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")).encode("utf-8"))
    (folder / "readme.txt").write_text("not a sheet")

    import_path(engine, folder)

    referrals = snapshot(engine)["indicator_values"].query("indicator == 'referrals'")
    assert referrals["value"].tolist() == [1234.0]


def test_headers_match_ignoring_case_and_spaces(engine):
    districts = pd.DataFrame({" Code ": ["X1"], "NAME": ["Exton"]})
    import_frames(engine, {"districts": districts})
    assert snapshot(engine)["districts"].values.tolist() == [["X1", "Exton"]]


def test_check_validates_without_writing(engine, tmp_path):
    write_frames(small_partnership(), tmp_path / "wb.xlsx")
    summary = import_path(engine, tmp_path / "wb.xlsx", dry_run=True)
    assert not summary.written
    assert all(len(frame_) == 0 for frame_ in snapshot(engine).values())


# ----------------------------------------------------------------------------------------------
# Bad input: every problem named, nothing written
# ----------------------------------------------------------------------------------------------


def bad_values(**overrides) -> dict[str, pd.DataFrame]:
    row = {"indicator": "knife", "period": "2024-10-01", "value": "12", "district": "D1"} | overrides
    return {"indicator_values": frame("indicator_values", [row])}


@pytest.mark.parametrize(
    ("workbook", "expected"),
    [
        (bad_values(value="n/a"), "indicator_values row 2, value: 'n/a' is not a number"),
        (bad_values(district="D9"), "indicator_values row 2, district: 'D9' is not a known district"),
        (bad_values(indicator="nope"), "indicator_values row 2, indicator: 'nope' is not a known indicator"),
        (bad_values(period="2024-02-30"), "indicator_values row 2, period: '2024-02-30' is not a real date"),
        (
            bad_values(period="01/10/2024"),
            "indicator_values row 2, period: '01/10/2024' is not a date in the form YYYY-MM-DD",
        ),
        (
            bad_values(period="2024-11-01"),
            "indicator_values row 2, period: 2024-11-01 is not a period start for a quarterly indicator",
        ),
        (bad_values(value=None), "indicator_values row 2, value: is required but blank"),
        (bad_values(lower_ci="9", upper_ci="3"), "indicator_values row 2, lower_ci: 9 is above upper_ci 3"),
        (
            {
                "actions": frame(
                    "actions",
                    [
                        {
                            "ref": "X-1",
                            "priority": "violence",
                            "title": "T",
                            "owner": "FIRE",
                            "due_date": "2025-01-01",
                            "status": "done",
                        }
                    ],
                )
            },
            "actions row 2, owner: 'FIRE' is not a known partner",
        ),
        (
            {
                "actions": frame(
                    "actions",
                    [
                        {
                            "ref": "X-1",
                            "priority": "violence",
                            "title": "T",
                            "owner": "POL",
                            "due_date": "2025-01-01",
                            "status": "done",
                        }
                    ],
                )
            },
            "actions row 2, status: 'done' is not one of not_started, on_track, at_risk, off_track, complete, cancelled",
        ),
        (
            {
                "action_updates": frame(
                    "action_updates", [{"ref": "ZZ-9", "date": "2025-01-01", "status": "on_track"}]
                )
            },
            "action_updates row 2, ref: 'ZZ-9' is not a known action ref",
        ),
        (
            {
                "assessments": frame(
                    "assessments", [{"priority": "violence", "date": "2025-01-01", "rag": "purple"}]
                )
            },
            "assessments row 2, rag: 'purple' is not one of red, amber, green",
        ),
        (
            {"districts": pd.DataFrame({"code": ["D1"], "title": ["Northtown"]})},
            "districts row 1: missing required column name (found: code, title)",
        ),
        (
            {
                "meetings": frame(
                    "meetings", [{"date": "2025-01-01", "name": "A"}, {"date": "2025-01-01", "name": "B"}]
                )
            },
            "meetings row 3: duplicate of row 2 (date 2025-01-01)",
        ),
        (
            {"priorities": frame("priorities", [{"code": "p", "number": "1.5", "title": "T"}])},
            "priorities row 2, number: '1.5' is not a whole number",
        ),
        (
            {
                "priorities": frame(
                    "priorities",
                    [
                        {
                            "code": "p",
                            "number": "1",
                            "title": "T",
                            "valid_from": "2021-01-01",
                            "valid_to": "2020-01-01",
                        }
                    ],
                )
            },
            "priorities row 2, valid_to: 2020-01-01 is before valid_from 2021-01-01",
        ),
    ],
    ids=lambda value: None if isinstance(value, dict) else value.split(":")[0],
)
def test_bad_input_is_named_and_nothing_is_written(loaded, workbook, expected):
    before = snapshot(loaded)
    with pytest.raises(WorkbookError) as error:
        import_frames(loaded, workbook)
    assert any(message.startswith(expected) for message in problems_of(error)), problems_of(error)
    assert "nothing was written" in str(error.value)
    assert_same_data(before, snapshot(loaded))


def test_every_problem_is_reported_and_good_rows_are_not_written(loaded):
    before = snapshot(loaded)
    rows = [
        {"indicator": "knife", "period": "2024-10-01", "value": "12", "district": "D1"},
        {"indicator": "knife", "period": "2024-10-01", "value": "n/a", "district": "D2"},
        {"indicator": "knife", "period": "2024-10-01", "value": "14", "district": "Northtown"},
    ]
    with pytest.raises(WorkbookError) as error:
        import_frames(loaded, {"indicator_values": frame("indicator_values", rows)})

    assert problems_of(error) == [
        "indicator_values row 3, value: 'n/a' is not a number",
        "indicator_values row 4, district: 'Northtown' is not a known district "
        "(not in the database nor in this workbook's districts sheet)",
    ]
    assert_same_data(before, snapshot(loaded))


def test_a_failure_while_writing_rolls_everything_back(loaded, monkeypatch):
    """Even an error after some sheets were written leaves the database as it was."""
    import data_access.importer as importer

    before = snapshot(loaded)
    original = importer._upsert_sheet

    def fail_on_actions(session, sheet_name, parsed, resolver):
        if sheet_name == "actions":
            raise RuntimeError("disk full")
        return original(session, sheet_name, parsed, resolver)

    monkeypatch.setattr(importer, "_upsert_sheet", fail_on_actions)
    changed = small_partnership()
    changed["districts"].loc[0, "name"] = "Renamed"
    with pytest.raises(RuntimeError):
        import_frames(loaded, changed)
    assert_same_data(before, snapshot(loaded))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", b"hello", "notes.txt: is not a workbook"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "broken.xlsx: is not a readable .xlsx workbook"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_rejected(loaded, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as error:
        import_path(loaded, path)
    assert problems_of(error)[0].startswith(expected)


def test_a_folder_without_sheets_is_rejected(loaded, tmp_path: Path):
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(WorkbookError) as error:
        import_path(loaded, tmp_path)
    assert "holds no workbook sheets" in problems_of(error)[0]


@pytest.mark.parametrize("sheet", ["meetings", "assessments", "action_updates", "indicator_values"])
def test_a_sheet_with_headers_and_no_rows_imports_as_nothing(loaded, sheet):
    summary = import_frames(loaded, {sheet: frame(sheet, [])})

    assert (summary.sheets[sheet].inserted, summary.sheets[sheet].updated) == (0, 0)
