"""Workbooks uploaded in the browser: read in a temporary area, previewed, and imported on confirmation.

An upload goes through the same validation and the same all-or-nothing import as the command line:

* ``read_upload`` turns the uploaded bytes (an ``.xlsx`` workbook, a ``.zip`` of CSV files named after
  the sheets, or one such CSV) into sheets, in a temporary folder removed before it returns;
* ``preview_import`` validates them and, for a valid workbook, writes them inside a transaction that is
  always rolled back, reporting the rows that would be inserted, updated and left unchanged, and the data
  version it saw;
* ``confirm_import`` imports them for real, only if the data is still at that version (``DataChanged``
  otherwise), and records the import in the log.

Nothing uploaded is kept or served back: the bytes live only in the request that carries them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from data_access.cache import data_version
from data_access.db import session_scope
from data_access.importer import (
    REFERENCES,
    TARGETS,
    ImportSource,
    ImportSummary,
    SheetSummary,
    SheetWrite,
    _differs,
    _model_key_columns,
    _Resolver,
    import_workbook,
    validate_workbook,
    write_workbook,
)
from data_access.workbook import (
    SHEETS,
    SHEETS_BY_NAME,
    ParsedWorkbook,
    Problem,
    RawSheet,
    WorkbookError,
    read_workbook,
)

# The suffixes an upload may have; anything else is refused before it is read.
UPLOAD_SUFFIXES = (".xlsx", ".zip", ".csv")
# A zip may expand to at most this many times the upload limit, and hold at most this many files: a
# small file that unpacks to gigabytes (a "zip bomb") is refused before it fills the disk.
ZIP_EXPANSION_LIMIT = 10
ZIP_MAX_FILES = 100
# What a preview lists of each kind of row, per sheet; the counts are always complete.
PREVIEW_ROW_LIMIT = 500

PROBLEM_REPORT_COLUMNS = ["sheet", "row", "column", "value", "problem", "expected"]


class UploadTooLarge(ValueError):
    """An upload over the size limit (``UPLOAD_MAX_MB``)."""

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(
            f"The file is {format_size(size)}; uploads may be at most {format_size(limit)}. "
            "Split the return into smaller files, or ask an administrator to raise UPLOAD_MAX_MB."
        )


def format_size(size: int) -> str:
    """Bytes in the units people read: ``20 MB``, ``812 KB``, ``96 bytes`` (decimal, as file managers show)."""
    if size >= 1_000_000:
        megabytes = size / 1_000_000
        return (
            f"{megabytes:.1f} MB" if megabytes < 10 and not megabytes.is_integer() else f"{megabytes:.0f} MB"
        )
    if size >= 1_000:
        return f"{math.ceil(size / 1_000)} KB"
    return f"{size} bytes"


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------


def read_upload(file_name: str, content: bytes, *, max_bytes: int) -> tuple[dict[str, RawSheet], list[str]]:
    """The sheets of an uploaded file, and notices about anything ignored.

    Raises UploadTooLarge over ``max_bytes``, and WorkbookError (naming the file) for a file that is not
    a workbook.  The bytes are written to a private temporary folder only while they are read.
    """
    if len(content) > max_bytes:
        raise UploadTooLarge(len(content), max_bytes)
    name = PurePosixPath(file_name.replace("\\", "/")).name or "upload"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise _not_a_workbook(name, "is not a workbook: expected an .xlsx file, or a .zip of .csv files")
    with tempfile.TemporaryDirectory(prefix="csp-upload-") as folder:
        if suffix == ".csv":
            return read_workbook(_write(Path(folder) / name, content))
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise _not_a_workbook(
                name, f"is not a readable {suffix} file (it may be damaged, or another format)"
            )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "[Content_Types].xml" in archive.namelist():  # an Excel workbook, whatever its name says
                return read_workbook(_write(Path(folder) / "workbook.xlsx", content))
            if suffix == ".xlsx":
                raise _not_a_workbook(name, "is not a readable .xlsx workbook")
            csv_folder = Path(folder) / "sheets"
            csv_folder.mkdir()
            notices = _extract_csv_files(name, archive, csv_folder, max_bytes * ZIP_EXPANSION_LIMIT)
        sheets, read_notices = read_workbook(csv_folder)
        return sheets, [*notices, *read_notices]


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _not_a_workbook(name: str, message: str) -> WorkbookError:
    return WorkbookError([Problem(name, None, None, message)])


def _extract_csv_files(zip_name: str, archive: zipfile.ZipFile, folder: Path, max_unpacked: int) -> list[str]:
    """Copy the archive's CSV files into ``folder`` under their own names (any folders inside dropped)."""
    notices: list[str] = []
    members = [m for m in archive.infolist() if not m.is_dir() and not _is_system_file(m.filename)]
    if len(members) > ZIP_MAX_FILES:
        raise _not_a_workbook(
            zip_name, f"holds {len(members)} files; a workbook has at most {len(SHEETS)} sheets"
        )
    unpacked = 0
    seen: dict[str, str] = {}
    for member in members:
        base = PurePosixPath(member.filename).name
        if not base.lower().endswith(".csv"):
            notices.append(f"File '{member.filename}' in {zip_name} is not a .csv file and was ignored.")
            continue
        if member.flag_bits & 0x1:
            raise _not_a_workbook(zip_name, f"'{member.filename}' is encrypted; upload it without a password")
        if base.lower() in seen:
            raise _not_a_workbook(
                zip_name, f"holds two files named {base} ('{seen[base.lower()]}' and '{member.filename}')"
            )
        seen[base.lower()] = member.filename
        with archive.open(member) as source, (folder / base).open("wb") as target:
            # Counted as read, not as the archive claims: the sizes in a zip's directory can lie.
            for block in iter(lambda: source.read(1 << 20), b""):
                unpacked += len(block)
                if unpacked > max_unpacked:
                    raise _not_a_workbook(
                        zip_name, f"unpacks to more than {format_size(max_unpacked)}; upload smaller returns"
                    )
                target.write(block)
    if not seen:
        expected = ", ".join(f"{sheet.name}.csv" for sheet in SHEETS)
        raise _not_a_workbook(zip_name, f"holds no .csv files (expected some of {expected})")
    return notices


def _is_system_file(name: str) -> bool:
    """Files an operating system adds to a zip it makes (macOS's __MACOSX folder, hidden files)."""
    path = PurePosixPath(name)
    return path.parts[:1] == ("__MACOSX",) or path.name.startswith(".")


# ----------------------------------------------------------------------------------------------
# The validation report
# ----------------------------------------------------------------------------------------------


def problem_report(problems: list[Problem], raw_sheets: Mapping[str, RawSheet]) -> pd.DataFrame:
    """Every problem as a row of PROBLEM_REPORT_COLUMNS: where it is, the cell's value as uploaded (blank
    when the problem is not one cell's), what is wrong, and what the column expects."""
    rows = []
    for problem in problems:
        rows.append(
            {
                "sheet": problem.sheet,
                "row": problem.row,
                "column": problem.column or "",
                "value": _cell_text(raw_sheets.get(problem.sheet), problem.row, problem.column),
                "problem": problem.message,
                "expected": _expected(problem.sheet, problem.column),
            }
        )
    report = pd.DataFrame(rows, columns=PROBLEM_REPORT_COLUMNS)
    report["row"] = report["row"].astype("Int64")
    return report


def _cell_text(raw: RawSheet | None, row: int | None, column: str | None) -> str:
    if raw is None or row is None or not column or column not in raw.cells or row not in raw.cells.index:
        return ""
    return display_value(raw.cells.at[row, column])


def _expected(sheet_name: str, column_name: str | None) -> str:
    sheet = SHEETS_BY_NAME.get(sheet_name)
    if sheet is None or not column_name or column_name not in sheet.column_names:
        return ""
    column = sheet.column(column_name)
    _, kind = TARGETS[sheet_name].columns.get(column_name, (None, None))
    if kind:
        reference = REFERENCES[kind]
        required = "; required" if column.required else ""
        article = "an" if reference.kind[0] in "aeiou" else "a"
        return f"{article} {reference.kind} in the database or in this workbook's {reference.sheet} sheet{required}"
    return column.expected()


# ----------------------------------------------------------------------------------------------
# Preview and confirmation
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetPreview:
    """What importing one sheet would do. ``summary`` counts every row; the frames list at most
    ``row_limit`` rows each, values as text as the workbook would show them:

    * ``inserted``: ``row`` (the spreadsheet row), then the sheet's columns as uploaded;
    * ``updated``: one row per changed cell: ``row``, ``key`` (the row's natural key), ``column``,
      ``before`` and ``after``;
    * ``unchanged``: ``row`` and ``key``.
    """

    sheet: str
    summary: SheetSummary
    inserted: pd.DataFrame
    updated: pd.DataFrame
    unchanged: pd.DataFrame


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do, and the data version it was worked out at (confirm only at that version)."""

    data_version: int
    sheets: tuple[SheetPreview, ...]
    notices: tuple[str, ...]
    row_limit: int

    @property
    def changes_anything(self) -> bool:
        return any(sheet.summary.inserted or sheet.summary.updated for sheet in self.sheets)


def preview_import(
    engine: Engine, raw_sheets: dict[str, RawSheet], *, row_limit: int = PREVIEW_ROW_LIMIT
) -> ImportPreview:
    """Validate the sheets and work out what importing them would change; raises WorkbookError.

    The sheets are written exactly as an import writes them, in a transaction that is then rolled back,
    so the preview sees what the import would (rows that refer to rows the same workbook adds included)
    and nothing is ever kept.  Derived tables, planner statistics and the log are left alone.
    """
    with session_scope(engine) as session:
        try:
            version = data_version(session)
            parsed, resolver = validate_workbook(session, raw_sheets)
            written = write_workbook(session, parsed, resolver)
            sheets = tuple(
                _sheet_preview(session, name, write, parsed, resolver, row_limit)
                for name, write in written.items()
            )
        finally:
            session.rollback()
    return ImportPreview(version, sheets, tuple(parsed.notices), row_limit)


def confirm_import(
    engine: Engine, raw_sheets: dict[str, RawSheet], *, source: ImportSource, expected_version: int
) -> ImportSummary:
    """Import the sheets, all or nothing, if the data is still at ``expected_version``.

    Raises DataChanged (another import came first: preview again) or WorkbookError.
    """
    with session_scope(engine) as session:
        return import_workbook(session, raw_sheets, source=source, expected_version=expected_version)


def _sheet_preview(
    session, name: str, write: SheetWrite, parsed: ParsedWorkbook, resolver: _Resolver, row_limit: int
) -> SheetPreview:
    sheet = SHEETS_BY_NAME[name]
    values = parsed.sheets[name].values
    shown_columns = [column for column in sheet.column_names if column in parsed.sheets[name].present]

    inserted = values.loc[write.inserted.index[:row_limit], shown_columns].map(display_value)
    inserted.insert(0, "row", inserted.index.astype("int64"))

    keys = _key_texts(name, values)
    unchanged_rows = write.unchanged_rows[:row_limit]
    unchanged = pd.DataFrame(
        {"row": unchanged_rows.astype("int64"), "key": keys.reindex(unchanged_rows).tolist()}
    )

    return SheetPreview(
        sheet=name,
        summary=write.summary,
        inserted=inserted.reset_index(drop=True),
        updated=_changed_cells(session, name, write, keys, resolver, row_limit),
        unchanged=unchanged,
    )


def _key_texts(name: str, values: pd.DataFrame) -> pd.Series:
    """Each row's natural key as one text ("CL-01 · BAS · 2026-07-01"), indexed by spreadsheet row."""
    sheet = SHEETS_BY_NAME[name]
    if sheet.single_row or not sheet.key:
        return pd.Series(name, index=values.index)
    parts = [values[column].map(display_value) for column in sheet.key if column in values]
    return pd.Series([" · ".join(filter(None, row)) for row in zip(*parts, strict=True)], index=values.index)


def _changed_cells(
    session, name: str, write: SheetWrite, keys: pd.Series, resolver: _Resolver, row_limit: int
) -> pd.DataFrame:
    """One row per cell an update changes, in sheet row order, at most ``row_limit`` rows of the sheet."""
    after = write.updated.iloc[:row_limit]
    before = write.before.iloc[:row_limit]
    key_columns = set(_model_key_columns(name))
    cells: list[dict[str, Any]] = []
    changes: dict[str, np.ndarray] = {}
    for column, (model_column, _) in TARGETS[name].columns.items():
        if model_column in key_columns or model_column not in after:
            continue
        differs = _differs(after[model_column].to_numpy(), before[model_column].to_numpy())
        if differs.any():
            changes[column] = differs
    labels = {
        column: _id_labels(session, kind, resolver, after[model_column], before[model_column])
        for column, (model_column, kind) in TARGETS[name].columns.items()
        if column in changes and kind
    }
    for position, row in enumerate(after.index.tolist()):
        for column, differs in changes.items():
            if not differs[position]:
                continue
            model_column, _ = TARGETS[name].columns[column]
            old, new = before[model_column].iat[position], after[model_column].iat[position]
            if column in labels:
                old, new = labels[column].get(old), labels[column].get(new)
            cells.append(
                {
                    "row": int(row),
                    "key": keys.get(row, ""),
                    "column": column,
                    "before": display_value(old),
                    "after": display_value(new),
                }
            )
    return pd.DataFrame(cells, columns=["row", "key", "column", "before", "after"])


def _id_labels(session, kind: str, resolver: _Resolver, *id_columns: pd.Series) -> dict[Any, str]:
    """Database id -> natural key for the ids in ``id_columns`` (what a user recognises them by)."""
    labels = {float(identifier): key for key, identifier in resolver.ids[kind].items()}
    wanted = {float(i) for column in id_columns for i in column.dropna().tolist()} - labels.keys()
    if wanted:
        reference = REFERENCES[kind]
        key_column = getattr(reference.model, reference.key_attribute)
        statement = select(reference.model.id, key_column).where(
            reference.model.id.in_(sorted(int(i) for i in wanted))
        )
        labels.update({float(identifier): key for identifier, key in session.execute(statement)})
    return labels


def display_value(value: Any) -> str:
    """A cell's value as text, as the workbook would show it: blank for nothing, whole numbers without a
    point, dates as YYYY-MM-DD, flags as yes or no."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
