"""Uploaded workbooks: read from their bytes, previewed without writing, confirmed only at the data version
the preview saw."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from data_access.cache import DataChanged, data_version
from data_access.db import session_scope
from data_access.importer import ImportSource, import_frames
from data_access.models import ImportRecord, IndicatorValue
from data_access.uploads import (
    PROBLEM_REPORT_COLUMNS,
    UploadTooLarge,
    confirm_import,
    format_size,
    preview_import,
    problem_report,
    read_upload,
)
from data_access.workbook import WorkbookError
from domain.vocabulary import ImportChannel
from tests.workbooks import D, as_xlsx, as_zip, frame, small_partnership

LIMIT = 20_000_000
OFFICER = ImportSource("olivia", ImportChannel.BROWSER, "q3.xlsx", "cd" * 32)


def quarterly_return() -> dict[str, pd.DataFrame]:
    """A return that adds a new indicator with its values, changes a value and an action, and repeats a
    value as it is."""
    return {
        "indicators": frame(
            "indicators",
            [
                {
                    "code": "robbery",
                    "priority": "violence",
                    "name": "Personal robbery",
                    "unit": "count",
                    "good_direction": "down",
                    "frequency": "quarter",
                }
            ],
        ),
        "indicator_values": frame(
            "indicator_values",
            [
                {"indicator": "knife", "period": D(2024, 4, 1), "value": 33, "district": "D1"},  # was 30
                {"indicator": "knife", "period": D(2024, 4, 1), "value": 40, "district": "D2"},  # as it was
                {"indicator": "robbery", "period": D(2024, 7, 1), "value": 12, "district": "D1"},  # new
            ],
        ),
        "actions": frame(
            "actions",
            [
                {
                    "ref": "SV-01",
                    "priority": "violence",
                    "title": "Share A&E data (Cardiff model)",
                    "owner": "CC",  # was POL
                    "due_date": D(2025, 3, 31),  # was 2024-12-31
                    "status": "at_risk",
                    "opened_on": D(2024, 1, 15),
                }
            ],
        ),
    }


def snapshot(engine) -> tuple:
    """Everything an import may change that a preview must not: values, actions, the version, the log."""
    with session_scope(engine) as session:
        values = session.execute(
            text(
                "SELECT indicator_id, district_id, period_start, value FROM indicator_values ORDER BY 1, 2, 3"
            )
        ).all()
        actions = session.execute(
            text("SELECT ref, owner_partner_id, due_date FROM actions ORDER BY ref")
        ).all()
        indicators = session.scalar(text("SELECT count(*) FROM indicators"))
        log = session.scalar(select(func.count()).select_from(ImportRecord))
        return values, actions, indicators, log, data_version(session)


@pytest.fixture
def loaded(engine):
    import_frames(engine, small_partnership())
    return engine


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------


def test_an_xlsx_workbook_is_read_from_its_bytes():
    sheets, notices = read_upload("Q3 return.xlsx", as_xlsx(quarterly_return()), max_bytes=LIMIT)
    assert set(sheets) == {"indicators", "indicator_values", "actions"}
    assert notices == []
    assert sheets["indicator_values"].cells["indicator"].tolist() == ["knife", "knife", "robbery"]


def test_a_zip_of_csvs_is_read_folders_and_system_files_ignored_other_files_noticed():
    content = as_zip(
        quarterly_return(),
        folder="Q3 return/",
        extra={"__MACOSX/Q3 return/._actions.csv": b"\x00\x01", "Q3 return/notes.docx": b"PK"},
    )
    sheets, notices = read_upload("q3.zip", content, max_bytes=LIMIT)
    assert set(sheets) == {"indicators", "indicator_values", "actions"}
    assert notices == ["File 'Q3 return/notes.docx' in q3.zip is not a .csv file and was ignored."]


def test_a_single_csv_named_after_a_sheet_is_read():
    content = as_zip(quarterly_return())
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        values = archive.read("indicator_values.csv")
    sheets, _ = read_upload("indicator_values.csv", values, max_bytes=LIMIT)
    assert list(sheets) == ["indicator_values"]


def test_an_xlsx_renamed_zip_is_still_read_as_a_workbook():
    sheets, _ = read_upload("return.zip", as_xlsx(quarterly_return()), max_bytes=LIMIT)
    assert "actions" in sheets


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("return.pdf", b"%PDF-1.7", "is not a workbook: expected an .xlsx file, or a .zip of .csv files"),
        ("return.xlsx", b"not a zip at all", "is not a readable .xlsx file"),
        ("return.zip", as_zip({}, extra={"readme.txt": b"hello"}), "holds no .csv files"),
        ("return.xlsx", as_zip(small_partnership()), "is not a readable .xlsx workbook"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_naming_it(name, content, message):
    with pytest.raises(WorkbookError) as refused:
        read_upload(name, content, max_bytes=LIMIT)
    [problem] = refused.value.problems
    assert problem.sheet == name
    assert message in problem.message


def test_two_files_with_the_same_name_in_a_zip_are_refused():
    content = as_zip(
        {"districts": small_partnership()["districts"]},
        extra={"copy/districts.csv": b"code,name\nD9,Nowhere\n"},
    )
    with pytest.raises(WorkbookError, match="two files named districts.csv"):
        read_upload("q3.zip", content, max_bytes=LIMIT)


def test_an_upload_over_the_limit_is_refused_with_its_size_and_the_limit():
    with pytest.raises(UploadTooLarge) as refused:
        read_upload("big.xlsx", b"x" * 2_500_001, max_bytes=2_000_000)
    assert str(refused.value).startswith("The file is 2.5 MB; uploads may be at most 2 MB.")
    assert "UPLOAD_MAX_MB" in str(refused.value)


def test_a_zip_that_unpacks_to_far_more_than_the_limit_is_refused():
    bomb = as_zip({}, extra={"indicator_values.csv": b"indicator,period,value\n" + b"0" * 5_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(WorkbookError, match="unpacks to more than 1 MB"):
        read_upload("q3.zip", bomb, max_bytes=100_000)


def test_sizes_read_as_people_write_them():
    assert [format_size(n) for n in (96, 1_000, 812_345, 2_000_000, 2_500_001, 20_000_000)] == [
        "96 bytes",
        "1 KB",
        "813 KB",
        "2 MB",
        "2.5 MB",
        "20 MB",
    ]


# ------------------------------------------------------------------------------------------------
# The validation report
# ------------------------------------------------------------------------------------------------


def test_the_report_names_sheet_row_column_value_problem_and_expectation(loaded):
    bad = {
        "indicator_values": frame(
            "indicator_values",
            [
                {"indicator": "knife", "period": D(2024, 4, 1), "value": "lots", "district": "D1"},
                {"indicator": "knife", "period": D(2024, 7, 1), "value": 5, "district": "NOWHERE"},
            ],
        )
    }
    sheets, _ = read_upload("bad.xlsx", as_xlsx(bad), max_bytes=LIMIT)
    with pytest.raises(WorkbookError) as refused:
        preview_import(loaded, sheets)

    report = problem_report(refused.value.problems, sheets)

    assert list(report.columns) == PROBLEM_REPORT_COLUMNS
    assert report[["sheet", "row", "column", "value"]].values.tolist() == [
        ["indicator_values", 2, "value", "lots"],
        ["indicator_values", 3, "district", "NOWHERE"],
    ]
    assert report["problem"].tolist()[0] == "'lots' is not a number"
    assert report["expected"].tolist() == [
        "a number; required (e.g. 42)",
        "a district in the database or in this workbook's districts sheet",
    ]


def test_a_whole_sheet_problem_has_no_row_value_or_expectation():
    sheets, _ = read_upload(
        "bad.zip", as_zip({}, extra={"districts.csv": b"name\nNorthtown\n"}), max_bytes=LIMIT
    )
    with pytest.raises(WorkbookError) as refused:
        from data_access.importer import _parse

        _, problems = _parse(sheets)
        raise WorkbookError(problems)
    report = problem_report(refused.value.problems, sheets)
    assert report[["sheet", "row", "column", "value", "expected"]].values.tolist() == [
        ["districts", 1, "", "", ""]
    ]
    assert "missing required column code" in report["problem"].iloc[0]


# ------------------------------------------------------------------------------------------------
# Preview and confirmation
# ------------------------------------------------------------------------------------------------


def test_the_preview_lists_new_changed_and_unchanged_rows_and_writes_nothing(loaded):
    before = snapshot(loaded)
    sheets, _ = read_upload("q3.xlsx", as_xlsx(quarterly_return()), max_bytes=LIMIT)

    preview = preview_import(loaded, sheets)

    assert snapshot(loaded) == before
    assert preview.data_version == before[-1]
    by_sheet = {sheet.sheet: sheet for sheet in preview.sheets}
    assert list(by_sheet) == ["indicators", "indicator_values", "actions"]
    values = by_sheet["indicator_values"]
    assert (values.summary.inserted, values.summary.updated, values.summary.unchanged) == (1, 1, 1)
    # The new indicator's value refers to a row only this workbook adds, and still previews.
    assert values.inserted[["row", "indicator", "period", "value", "district"]].values.tolist() == [
        [4, "robbery", "2024-07-01", "12", "D1"]
    ]
    assert values.updated.values.tolist() == [[2, "knife · D1 · 2024-04-01", "value", "30", "33"]]
    assert values.unchanged.values.tolist() == [[3, "knife · D2 · 2024-04-01"]]
    # A changed reference shows the codes people know, before and after, though the workbook never names
    # the old one.
    actions = by_sheet["actions"]
    assert actions.updated.values.tolist() == [
        [2, "SV-01", "owner", "POL", "CC"],
        [2, "SV-01", "due_date", "2024-12-31", "2025-03-31"],
    ]
    assert by_sheet["indicators"].summary.inserted == 1
    assert preview.changes_anything


def test_a_preview_lists_at_most_the_row_limit_but_counts_every_row(loaded):
    values = frame(
        "indicator_values",
        [{"indicator": "referrals", "period": D(2020, month, 1), "value": month} for month in range(1, 13)],
    )
    sheets, _ = read_upload("q.zip", as_zip({"indicator_values": values}), max_bytes=LIMIT)
    preview = preview_import(loaded, sheets, row_limit=5)
    [sheet] = preview.sheets
    assert sheet.summary.inserted == 12
    assert sheet.inserted["row"].tolist() == [2, 3, 4, 5, 6]


def test_a_file_holding_what_the_database_holds_changes_nothing(loaded):
    sheets, _ = read_upload("same.xlsx", as_xlsx(small_partnership()), max_bytes=LIMIT)
    preview = preview_import(loaded, sheets)
    assert not preview.changes_anything
    assert sum(sheet.summary.unchanged for sheet in preview.sheets) == sum(
        len(f) for f in small_partnership().values()
    )


def test_confirming_at_the_previewed_version_imports_and_records_the_upload(loaded):
    sheets, _ = read_upload("q3.xlsx", as_xlsx(quarterly_return()), max_bytes=LIMIT)
    preview = preview_import(loaded, sheets)

    summary = confirm_import(loaded, sheets, source=OFFICER, expected_version=preview.data_version)

    assert summary.sheets["indicator_values"].inserted == 1
    with session_scope(loaded) as session:
        assert session.scalar(select(func.count()).select_from(IndicatorValue)) == 9
        record = session.scalars(select(ImportRecord).order_by(ImportRecord.id.desc())).first()
        assert (record.imported_by, record.channel, record.file_name) == ("olivia", "browser", "q3.xlsx")
        assert data_version(session) != preview.data_version


def test_confirming_after_another_import_is_refused_and_writes_nothing(loaded):
    sheets, _ = read_upload("q3.xlsx", as_xlsx(quarterly_return()), max_bytes=LIMIT)
    preview = preview_import(loaded, sheets)
    # Someone else imports in between.
    import_frames(loaded, {"meetings": frame("meetings", [{"date": D(2025, 1, 9), "name": "Extra meeting"}])})
    between = snapshot(loaded)

    with pytest.raises(DataChanged):
        confirm_import(loaded, sheets, source=OFFICER, expected_version=preview.data_version)

    assert snapshot(loaded) == between
    # Previewed again, it can be confirmed.
    again = preview_import(loaded, sheets)
    confirm_import(loaded, sheets, source=OFFICER, expected_version=again.data_version)


def test_the_first_upload_into_an_empty_database_can_be_confirmed(engine):
    sheets, _ = read_upload("all.xlsx", as_xlsx(small_partnership()), max_bytes=LIMIT)
    preview = preview_import(engine, sheets)
    assert preview.data_version == snapshot(engine)[-1]
    confirm_import(engine, sheets, source=OFFICER, expected_version=preview.data_version)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(IndicatorValue)) == 8
