"""The empty template: every sheet's headers and a guide, and it passes the importer's check."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from data_access.importer import import_path
from data_access.template import guide_frame, write_template
from data_access.workbook import GUIDE_SHEET, SHEETS
from domain.vocabulary import ActionStatus, BoardRag, Frequency, GoodDirection, Unit


@pytest.mark.parametrize("name", ["template.xlsx", "template_csv"])
def test_the_template_passes_check_with_every_sheet_empty(engine, tmp_path, name):
    summary = import_path(engine, write_template(tmp_path / name), dry_run=True)

    assert list(summary.sheets) == [sheet.name for sheet in SHEETS]
    assert all(vars(s) == {"inserted": 0, "updated": 0, "unchanged": 0} for s in summary.sheets.values())
    assert any("guide" in notice and "not imported" in notice for notice in summary.notices)


def test_the_xlsx_template_has_headers_in_contract_order_bold_and_frozen(tmp_path):
    workbook = load_workbook(write_template(tmp_path / "template.xlsx"))
    assert workbook.sheetnames == [*(sheet.name for sheet in SHEETS), GUIDE_SHEET]
    for sheet in SHEETS:
        worksheet = workbook[sheet.name]
        assert [cell.value for cell in worksheet[1]] == sheet.column_names
        assert worksheet.max_row == 1
        assert worksheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in worksheet[1])
    guide = workbook[GUIDE_SHEET]
    assert [cell.value for cell in guide[1]] == [
        "sheet",
        "column",
        "required",
        "allowed values",
        "description",
        "example",
    ]


def test_the_csv_template_is_one_file_per_sheet_plus_the_guide(tmp_path):
    folder = write_template(tmp_path / "template")
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [*(f"{sheet.name}.csv" for sheet in SHEETS), f"{GUIDE_SHEET}.csv"]
    )
    header = (folder / "indicator_values.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == ",".join(SHEETS[5].column_names)


def test_the_guide_lists_every_column_with_its_required_flag_description_and_example():
    guide = guide_frame()
    columns = guide[guide["column"] != ""]
    expected = [
        (sheet.name, c.name, "yes" if c.required else "no") for sheet in SHEETS for c in sheet.columns
    ]
    assert list(zip(columns["sheet"], columns["column"], columns["required"], strict=True)) == expected
    assert (columns["description"].str.len() > 10).all()
    assert (columns["example"].str.len() > 0).all()
    sheet_rows = guide[guide["column"] == ""]
    assert sheet_rows["sheet"].tolist() == [sheet.name for sheet in SHEETS]


@pytest.mark.parametrize(
    ("sheet", "column", "vocabulary"),
    [
        ("indicators", "good_direction", GoodDirection),
        ("indicators", "frequency", Frequency),
        ("indicators", "unit", Unit),
        ("actions", "status", ActionStatus),
        ("action_updates", "status", ActionStatus),
        ("assessments", "rag", BoardRag),
    ],
)
def test_the_guide_gives_each_vocabularys_values_with_their_labels(sheet, column, vocabulary):
    guide = guide_frame().set_index(["sheet", "column"])
    allowed = guide.loc[(sheet, column), "allowed values"]
    for member in vocabulary:
        assert f"{member.value} ({member.label})" in allowed
    assert ("another word" in allowed) == (vocabulary is Unit)


def test_the_guide_explains_periods_with_the_year_rule():
    from domain.periods import expected_period_start

    period = guide_frame().set_index(["sheet", "column"]).loc[("indicator_values", "period"), "description"]
    assert expected_period_start("year") in period
    assert "1 Jan, 1 Apr, 1 Jul or 1 Oct" in period
