"""The partnership workbook: its contract, reading it from disk, and parsing its cells.

A workbook is an ``.xlsx`` file with one sheet per table, or a folder of ``<sheet>.csv`` files.
Reading never touches the database; references between sheets and to the database are
resolved by :mod:`data_access.importer`.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from domain.vocabulary import ActionStatus, BoardRag, Frequency, GoodDirection

# Spreadsheet programs run text that starts with these as a formula; exports prefix an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, int, number, date, choice
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key the import upserts by; empty for a one-row sheet
    single_row: bool = False  # the sheet describes one thing (the partnership), so holds one row at most

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _c(name: str, kind: str = "text", required: bool = False, choices: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, required, choices)


# The contract, in the order sheets must be loaded (each refers only to sheets above it).
SHEETS: tuple[Sheet, ...] = (
    Sheet("partnership", (_c("name", required=True), _c("short_name")), key=(), single_row=True),
    Sheet("districts", (_c("code", required=True), _c("name", required=True)), key=("code",)),
    Sheet(
        "partners",
        (_c("code", required=True), _c("name", required=True), _c("sector")),
        key=("code",),
    ),
    Sheet(
        "priorities",
        (
            _c("code", required=True),
            _c("number", "int", required=True),
            _c("title", required=True),
            _c("short_title"),
            _c("description"),
            _c("lead_partner"),
            _c("valid_from", "date"),
            _c("valid_to", "date"),
        ),
        key=("code",),
    ),
    Sheet(
        "indicators",
        (
            _c("code", required=True),
            _c("priority", required=True),
            _c("name", required=True),
            _c("unit", required=True),
            _c("good_direction", "choice", required=True, choices=GoodDirection.codes()),
            _c("frequency", "choice", required=True, choices=Frequency.codes()),
            _c("target", "number"),
            _c("tolerance", "number"),
            _c("source"),
            _c("description"),
        ),
        key=("code",),
    ),
    Sheet(
        "indicator_values",
        (
            _c("indicator", required=True),
            _c("period", "date", required=True),
            _c("value", "number", required=True),
            _c("district"),
            _c("lower_ci", "number"),
            _c("upper_ci", "number"),
            _c("numerator", "number"),
            _c("denominator", "number"),
            _c("note"),
        ),
        key=("indicator", "district", "period"),
    ),
    Sheet(
        "actions",
        (
            _c("ref", required=True),
            _c("priority", required=True),
            _c("title", required=True),
            _c("owner", required=True),
            _c("due_date", "date", required=True),
            _c("status", "choice", required=True, choices=ActionStatus.codes()),
            _c("district"),
            _c("description"),
            _c("opened_on", "date"),
        ),
        key=("ref",),
    ),
    Sheet(
        "action_updates",
        (
            _c("ref", required=True),
            _c("date", "date", required=True),
            _c("status", "choice", required=True, choices=ActionStatus.codes()),
            _c("commentary"),
        ),
        key=("ref", "date"),
    ),
    Sheet(
        "assessments",
        (
            _c("priority", required=True),
            _c("date", "date", required=True),
            _c("rag", "choice", required=True, choices=BoardRag.codes()),
            _c("commentary"),
        ),
        key=("priority", "date"),
    ),
    Sheet("meetings", (_c("date", "date", required=True), _c("name", required=True)), key=("date",)),
)
SHEETS_BY_NAME: dict[str, Sheet] = {sheet.name: sheet for sheet in SHEETS}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a workbook, located as a spreadsheet user would find it."""

    sheet: str
    row: int | None  # as a spreadsheet shows it: the header is row 1; None for the whole sheet
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet if self.row is None else f"{self.sheet} row {self.row}"
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.message}"


class WorkbookError(Exception):
    """A workbook that cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_problem_order)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.\n{lines}")


def _problem_order(problem: Problem) -> tuple[int, int, str]:
    sheet_index = next((i for i, sheet in enumerate(SHEETS) if sheet.name == problem.sheet), -1)
    return (sheet_index, problem.row or 0, problem.column or "")


@dataclass
class RawSheet:
    """A sheet as read: lower-cased header names and rows of cell values, with row numbers."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (spreadsheet row number, {column: cell value})


@dataclass
class Record:
    row: int
    values: dict[str, Any]
    complete: bool = True  # False when some cell could not be parsed


@dataclass
class ParsedWorkbook:
    """Typed records per sheet, plus which optional columns each sheet actually had."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    columns_present: dict[str, set[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------


def read_workbook(path: str | Path) -> tuple[dict[str, RawSheet], list[str]]:
    """Read an ``.xlsx`` file or a folder of ``.csv`` files.

    Returns the recognised sheets and notices about anything ignored. Raises WorkbookError for a
    path that is not a workbook at all.
    """
    path = Path(path)
    if not path.exists():
        raise WorkbookError([Problem(str(path), None, None, "no such file or folder")])
    if path.is_dir():
        return _read_csv_folder(path)
    if path.suffix.lower() == ".csv":
        # A single CSV is accepted when it is named after a sheet (e.g. indicator_values.csv).
        return _read_csv_files([path])
    if path.suffix.lower() in (".xlsx", ".xlsm") or zipfile.is_zipfile(path):
        return _read_xlsx(path)
    raise WorkbookError(
        [
            Problem(
                path.name, None, None, "is not a workbook: expected an .xlsx file or a folder of .csv files"
            )
        ]
    )


def raw_sheets_from_frames(frames: Mapping[str, pd.DataFrame]) -> dict[str, RawSheet]:
    """Treat DataFrames (one per sheet, e.g. the demo partnership) exactly like a file read from disk."""
    sheets: dict[str, RawSheet] = {}
    for name, frame in frames.items():
        rows = [list(frame.columns), *frame.astype(object).itertuples(index=False, name=None)]
        sheets[name.strip().lower()] = _raw_sheet(name, rows)
    return sheets


def _read_xlsx(path: Path) -> tuple[dict[str, RawSheet], list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a corrupt or foreign file
        raise WorkbookError(
            [Problem(path.name, None, None, f"is not a readable .xlsx workbook ({type(error).__name__})")]
        ) from error
    sheets: dict[str, RawSheet] = {}
    notices: list[str] = []
    try:
        for worksheet in workbook.worksheets:
            name = worksheet.title.strip().lower()
            if name not in SHEETS_BY_NAME:
                notices.append(
                    f"Sheet '{worksheet.title}' is not part of the workbook contract and was ignored."
                )
                continue
            sheets[name] = _raw_sheet(name, worksheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    return sheets, notices


def _read_csv_folder(folder: Path) -> tuple[dict[str, RawSheet], list[str]]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    return _read_csv_files(files, folder=folder)


def _read_csv_files(files: list[Path], folder: Path | None = None) -> tuple[dict[str, RawSheet], list[str]]:
    sheets: dict[str, RawSheet] = {}
    notices: list[str] = []
    for file in files:
        name = file.stem.strip().lower()
        if name not in SHEETS_BY_NAME:
            notices.append(f"File '{file.name}' is not named after a workbook sheet and was ignored.")
            continue
        try:
            # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark; newline="" handles CRLF.
            with file.open(encoding="utf-8-sig", newline="") as handle:
                sheets[name] = _raw_sheet(name, csv.reader(handle))
        except UnicodeDecodeError as error:
            raise WorkbookError(
                [Problem(name, None, None, f"{file.name} is not UTF-8 text (save it as 'CSV UTF-8')")]
            ) from error
    if not sheets:
        where = folder.name if folder else files[0].name if files else "folder"
        expected = ", ".join(f"{sheet.name}.csv" for sheet in SHEETS)
        raise WorkbookError(
            [Problem(where, None, None, f"holds no workbook sheets (expected some of {expected})")]
        )
    return sheets, notices


def _raw_sheet(name: str, rows: Iterable[Iterable[Any]]) -> RawSheet:
    iterator = iter(rows)
    header: list[str] = []
    for header_row in iterator:
        header = [_header_name(cell) for cell in header_row]
        break
    raw_rows: list[tuple[int, dict[str, Any]]] = []
    for row_number, row in enumerate(iterator, start=2):
        cells = list(row)
        if all(_is_blank(cell) for cell in cells):
            continue
        values = {column: cells[i] if i < len(cells) else None for i, column in enumerate(header) if column}
        raw_rows.append((row_number, values))
    while header and not header[-1]:
        header.pop()
    return RawSheet(name, header, raw_rows)


def _header_name(cell: Any) -> str:
    return "" if cell is None else str(cell).strip().lower()


def _is_blank(cell: Any) -> bool:
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and not cell.strip()


# ----------------------------------------------------------------------------------------------
# Parsing cells
# ----------------------------------------------------------------------------------------------

_NUMBER_PATTERN = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")
_ISO_DATE_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message says what was expected."""


def parse_text(cell: Any) -> str | None:
    if _is_blank(cell):
        return None
    text = str(cell).strip()
    # Undo the apostrophe our export puts before formula-like text, so round trips are exact.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def parse_number(cell: Any) -> float | None:
    if _is_blank(cell):
        return None
    if isinstance(cell, bool):
        raise CellError(f"{cell!r} is not a number")
    if isinstance(cell, int | float):
        if math.isinf(cell):
            raise CellError(f"{cell!r} is not a finite number")
        return float(cell)
    text = str(cell).strip()
    if not _NUMBER_PATTERN.match(text):
        raise CellError(f"{text!r} is not a number")
    return float(text.replace(",", ""))


def parse_int(cell: Any) -> int | None:
    number = parse_number(cell)
    if number is None:
        return None
    if not number.is_integer():
        raise CellError(f"{cell!r} is not a whole number")
    return int(number)


def parse_date(cell: Any) -> dt.date | None:
    if _is_blank(cell):
        return None
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time(0, 0):
            raise CellError(f"{cell.isoformat(sep=' ')!r} is a date and time; expected a date (YYYY-MM-DD)")
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    match = _ISO_DATE_PATTERN.match(text)
    if not match:
        raise CellError(f"{text!r} is not a date in the form YYYY-MM-DD")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise CellError(f"{text!r} is not a real date") from error


def parse_choice(cell: Any, choices: tuple[str, ...]) -> str | None:
    text = parse_text(cell)
    if text is None:
        return None
    # Be forgiving about how people type a status: "On track", "on-track" and "ON_TRACK" all mean on_track.
    normalised = re.sub(r"[\s-]+", "_", text.lower())
    if normalised not in choices:
        raise CellError(f"{text!r} is not one of {', '.join(choices)}")
    return normalised


_PARSERS: Mapping[str, Callable[[Any], Any]] = {
    "text": parse_text,
    "int": parse_int,
    "number": parse_number,
    "date": parse_date,
}


def parse_sheet(raw: RawSheet) -> tuple[list[Record], set[str], list[Problem]]:
    """Parse a raw sheet against its contract: types, required cells and duplicate keys."""
    sheet = SHEETS_BY_NAME[raw.name]
    problems: list[Problem] = []
    present = set(raw.header) & set(sheet.column_names)
    missing = [c.name for c in sheet.columns if c.required and c.name not in present]
    if missing:
        found = ", ".join(name for name in raw.header if name) or "no columns"
        problems.append(
            Problem(
                sheet.name,
                1,
                None,
                f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {found})",
            )
        )
        return [], present, problems

    records: list[Record] = []
    seen_keys: dict[tuple, int] = {}
    for index, (row_number, cells) in enumerate(raw.rows):
        if sheet.single_row and index > 0:
            first_row = raw.rows[0][0]
            problems.append(
                Problem(
                    sheet.name,
                    row_number,
                    None,
                    f"the {sheet.name} sheet holds one row; this is another (row {first_row} is the first)",
                )
            )
            continue
        values: dict[str, Any] = {}
        row_ok = True
        for column in sheet.columns:
            if column.name not in present:
                continue
            cell = cells.get(column.name)
            try:
                if column.kind == "choice":
                    value = parse_choice(cell, column.choices)
                else:
                    value = _PARSERS[column.kind](cell)
            except CellError as error:
                problems.append(Problem(sheet.name, row_number, column.name, str(error)))
                row_ok = False
                continue
            if value is None and column.required:
                problems.append(Problem(sheet.name, row_number, column.name, "is required but blank"))
                row_ok = False
            values[column.name] = value
        if not row_ok:
            # Kept so references in its other cells are still checked; never written, since the
            # workbook now has a problem.
            records.append(Record(row_number, values, complete=False))
            continue
        key = tuple(values.get(name) for name in sheet.key)
        if key in seen_keys:
            shown = ", ".join(f"{name} {_show(values.get(name))}" for name in sheet.key)
            problems.append(
                Problem(sheet.name, row_number, None, f"duplicate of row {seen_keys[key]} ({shown})")
            )
            continue
        seen_keys[key] = row_number
        records.append(Record(row_number, values))
    return records, present, problems


def _show(value: Any) -> str:
    if value is None:
        return "(blank)"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def neutralise_formula(text: str) -> str:
    """Make text that a spreadsheet would run as a formula display as plain text instead."""
    if text and text[0] in FORMULA_PREFIXES:
        return "'" + text
    return text
