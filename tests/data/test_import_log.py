"""The import log: every import that writes is recorded, with who, how, the file and its counts; an import
that fails, or only checks, leaves no record."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select

from data_access.db import session_scope
from data_access.import_log import IMPORT_LOG_COLUMNS, import_log, import_log_sheets
from data_access.importer import ImportSource, file_sha256, import_frames, import_path
from data_access.models import ImportedIndicator, ImportRecord, Indicator
from data_access.workbook import WorkbookError
from domain.vocabulary import ImportChannel
from tests.workbooks import D, frame, small_partnership

OFFICER = ImportSource(
    imported_by="olivia", channel=ImportChannel.BROWSER, file_name="q2.xlsx", sha256="ab" * 32
)


def indicator_counts(engine, import_id: int) -> dict[str, int]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(Indicator.code, ImportedIndicator.values_written)
            .join(Indicator, Indicator.id == ImportedIndicator.indicator_id)
            .where(ImportedIndicator.import_id == import_id)
        ).all()
    return dict(rows)


def records(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(ImportRecord))


def test_an_import_records_who_how_the_file_and_the_counts_per_sheet(engine):
    before = dt.datetime.now(dt.UTC)
    import_frames(engine, small_partnership(), source=OFFICER)

    with session_scope(engine) as session:
        log = import_log(session)
        sheets = import_log_sheets(session)

    assert list(log.columns) == IMPORT_LOG_COLUMNS
    assert len(log) == 1
    entry = log.iloc[0]
    assert (entry["imported_by"], entry["channel"], entry["file_name"], entry["sha256"]) == (
        "olivia",
        "browser",
        "q2.xlsx",
        "ab" * 32,
    )
    assert before - dt.timedelta(seconds=1) <= entry["imported_at"] <= dt.datetime.now(dt.UTC)
    counts = sheets.set_index("sheet")[["inserted", "updated", "unchanged"]]
    assert counts.loc["indicator_values"].tolist() == [8, 0, 0]
    assert counts.loc["districts"].tolist() == [3, 0, 0]
    assert counts.loc["actions"].tolist() == [2, 0, 0]
    assert list(sheets["sheet"]) == [
        "partnership",
        "districts",
        "partners",
        "priorities",
        "indicators",
        "indicator_values",
        "actions",
        "action_updates",
        "assessments",
        "meetings",
    ]
    assert entry["inserted"] == counts["inserted"].sum()
    # Values written, per indicator: knife 5, admissions 2, referrals 1.
    assert indicator_counts(engine, int(entry["id"])) == {"knife": 5, "admissions": 2, "referrals": 1}


def test_a_second_import_lists_only_the_indicators_whose_values_it_inserted_or_changed(engine):
    import_frames(engine, small_partnership())
    values = frame(
        "indicator_values",
        [
            {"indicator": "knife", "period": D(2024, 4, 1), "value": 31, "district": "D1"},  # changed
            {"indicator": "knife", "period": D(2024, 4, 1), "value": 40, "district": "D2"},  # as it was
            {
                "indicator": "admissions",
                "period": D(2023, 4, 1),
                "value": 50.5,
                "district": "D1",
                "numerator": 101,
                "denominator": 200000,
            },  # fmt: skip
            {"indicator": "referrals", "period": D(2019, 6, 1), "value": 7},  # new
        ],
    )
    summary = import_frames(engine, {"indicator_values": values}, source=OFFICER)

    with session_scope(engine) as session:
        log = import_log(session)
    assert len(log) == 2
    newest = log.iloc[0]
    assert newest["file_name"] == "q2.xlsx" and newest["sheets"] == "indicator_values"
    assert (newest["inserted"], newest["updated"], newest["unchanged"]) == (1, 1, 2)
    assert summary.sheets["indicator_values"].updated == 1
    assert indicator_counts(engine, int(newest["id"])) == {"knife": 1, "referrals": 1}


def test_the_command_line_records_itself_the_file_name_and_its_sha256(engine, tmp_path):
    from data_access.exporter import write_frames

    workbook = tmp_path / "return.xlsx"
    write_frames(small_partnership(), workbook)

    import_path(engine, workbook)

    with session_scope(engine) as session:
        entry = import_log(session).iloc[0]
    assert entry["channel"] == "command_line"
    assert entry["imported_by"].startswith("command line (") and "@" in entry["imported_by"]
    assert entry["file_name"] == "return.xlsx"
    assert entry["sha256"] == hashlib.sha256(workbook.read_bytes()).hexdigest() == file_sha256(workbook)


def test_a_folder_of_csvs_is_hashed_by_its_files_names_and_bytes(tmp_path):
    folder = tmp_path / "return"
    folder.mkdir()
    (folder / "districts.csv").write_text("code,name\nD1,Northtown\n")
    first = file_sha256(folder)
    (folder / "districts.csv").write_text("code,name\nD1,Northtown!\n")
    assert file_sha256(folder) != first
    (folder / "districts.csv").write_text("code,name\nD1,Northtown\n")
    assert file_sha256(folder) == first


def test_a_failed_import_and_a_check_leave_no_record(engine):
    import_frames(engine, small_partnership())
    bad = frame("indicator_values", [{"indicator": "knife", "period": D(2024, 4, 1), "value": "lots"}])

    with pytest.raises(WorkbookError):
        import_frames(engine, {"indicator_values": bad}, source=OFFICER)
    import_frames(engine, small_partnership(), dry_run=True)

    assert records(engine) == 1


def test_the_log_lists_the_newest_import_first_and_limits_to_the_newest(engine):
    import_frames(engine, small_partnership(), source=ImportSource("first"))
    import_frames(engine, {"meetings": small_partnership()["meetings"]}, source=ImportSource("second"))
    import_frames(engine, {"districts": small_partnership()["districts"]}, source=ImportSource("third"))

    with session_scope(engine) as session:
        everything = import_log(session)
        newest_two = import_log(session, limit=2)
        sheets = import_log_sheets(session, limit=1)

    assert list(everything["imported_by"]) == ["third", "second", "first"]
    assert list(newest_two["imported_by"]) == ["third", "second"]
    assert sheets[["imported_by", "sheet", "unchanged"]].values.tolist() == [["third", "districts", 3]]


def test_an_empty_log_has_the_documented_columns(engine):
    with session_scope(engine) as session:
        log = import_log(session)
    assert log.empty and list(log.columns) == IMPORT_LOG_COLUMNS
