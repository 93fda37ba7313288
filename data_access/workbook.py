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

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from domain.periods import expected_period_start
from domain.vocabulary import ActionStatus, BoardRag, Frequency, GoodDirection, Unit, _Vocabulary

# Spreadsheet programs run text that starts with these as a formula; exports prefix an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: how it is read, and the words the template's guide shows for it."""

    name: str
    kind: str  # text, int, number, date, choice, flag (yes or blank)
    description: str
    example: str
    required: bool = False
    # The vocabulary whose codes a choice column must hold; for a text column, the values it knows
    # (a unit may be any word, but count, rate and percent are formatted and derived).
    vocabulary: type[_Vocabulary] | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        """The values a choice column accepts (empty for other kinds)."""
        return self.vocabulary.codes() if self.kind == "choice" and self.vocabulary else ()

    def expected(self) -> str:
        """What a cell of this column must hold, in a few words, for reports of a problem with one."""
        what = {
            "text": "text",
            "int": "a whole number",
            "number": "a number",
            "date": "a date as YYYY-MM-DD",
            "choice": f"one of {', '.join(self.choices)}",
            "flag": "yes, or blank for no",
        }[self.kind]
        required = "; required" if self.required else ""
        return f"{what}{required} (e.g. {self.example})" if self.example else f"{what}{required}"

    def allowed_values(self) -> str:
        """The allowed values in words, each with its label: "on_track (On track), ..."."""
        if self.vocabulary is None:
            return ""
        listed = ", ".join(f"{code} ({label})" for code, label in self.vocabulary.labels().items())
        return listed if self.kind == "choice" else f"{listed}, or another word shown as the unit"


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key the import upserts by; empty for a one-row sheet
    single_row: bool = False  # the sheet describes one thing (the partnership), so holds one row at most

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _c(
    name: str,
    description: str,
    example: str,
    kind: str = "text",
    *,
    required: bool = False,
    vocabulary: type[_Vocabulary] | None = None,
) -> Column:
    return Column(name, kind, description, example, required, vocabulary)


_RESTRICTED = (
    "yes keeps this {thing} from the public: only signed-in viewers, officers and admins see it, and "
    "counts shown to the public leave it out. Blank means public."
)
_DISTRICT_BLANK_MEANS = "A district code; blank for the whole partnership."
_PERIOD = (
    "The first day of the period the value covers (YYYY-MM-DD). A month starts on its 1st; a quarter on "
    "1 Jan, 1 Apr, 1 Jul or 1 Oct; a year is any 12 months starting on the 1st of a month (financial, "
    f"calendar, academic or rolling), so its period is {expected_period_start('year')}. Rolling years "
    "published every quarter overlap, which is fine."
)

# The contract, in the order sheets must be loaded (each refers only to sheets above it).
SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "partnership",
        "The partnership itself: one row, its name for the dashboard's header and page titles.",
        (
            _c("name", "The partnership's full name.", "Shire Community Safety Partnership", required=True),
            _c("short_name", "A shorter name where space is tight; blank uses the full name.", "Shire CSP"),
        ),
        key=(),
        single_row=True,
    ),
    Sheet(
        "districts",
        "The areas the partnership covers (district, borough or city councils).",
        (
            _c("code", "A short unique code, e.g. the ONS local authority code.", "E07000084", required=True),
            _c("name", "The district's name as people know it.", "Basingstoke and Deane", required=True),
        ),
        key=("code",),
    ),
    Sheet(
        "partners",
        "The agencies in the partnership, which lead priorities and own actions.",
        (
            _c("code", "A short unique code for the agency.", "HC", required=True),
            _c("name", "The agency's name.", "Hampshire Constabulary", required=True),
            _c("sector", "The kind of agency, for grouping.", "Police"),
        ),
        key=("code",),
    ),
    Sheet(
        "priorities",
        "The strategic priorities the partnership has agreed, each in force for a span of dates.",
        (
            _c("code", "A short unique code, used in links: lower case and hyphens.", "serious-violence", required=True),
            _c("number", "The priority's number in the agreement; sets the order.", "2", "int", required=True),
            _c("title", "The priority as the agreement words it.", "Reduce serious violence", required=True),
            _c("short_title", "A title of up to about 30 characters for cards.", "Serious violence"),
            _c("description", "What the priority covers and why it was agreed.", "Agreed in March 2020."),
            _c("lead_partner", "The code of the partner that leads it (partners sheet).", "VRU"),
            _c("valid_from", "The first day it is in force (YYYY-MM-DD); blank means always.", "2020-04-01", "date"),
            _c("valid_to", "The last day it is in force; blank means still in force.", "2025-03-31", "date"),
        ),
        key=("code",),
    ),
    Sheet(
        "indicators",
        "The measures each priority is tracked by (a priority may have none and be tracked by its actions).",
        (
            _c("code", "A short unique code: lower case and hyphens.", "knife-crime", required=True),
            _c("priority", "The code of the priority it measures (priorities sheet).", "serious-violence", required=True),
            _c("name", "What is measured, in a few words.", "Knife crime offences", required=True),
            _c("unit", "What a value counts, which sets how it is shown and added up.", "count", required=True, vocabulary=Unit),
            _c("good_direction", "Which way is better; none for figures tracked only for context.", "down", "choice", required=True, vocabulary=GoodDirection),
            _c("frequency", "How often a value is published: each value covers one such period.", "quarter", "choice", required=True, vocabulary=Frequency),
            _c("target", "The value to reach, in the indicator's unit; blank compares with a year earlier.", "100", "number"),
            _c("tolerance", "How far from the target still counts as amber, as a fraction of it (default 0.05).", "0.1", "number"),
            _c("source", "Where the figures come from.", "Police recorded crime"),
            _c("description", "What the indicator shows and how to read it.", "Offences involving a knife."),
            _c("restricted", _RESTRICTED.format(thing="indicator and its figures"), "yes", "flag"),
        ),
        key=("code",),
    ),
    Sheet(
        "indicator_values",
        "The figures: one row per indicator, period and district (or the whole partnership).",
        (
            _c("indicator", "The code of the indicator (indicators sheet).", "knife-crime", required=True),
            _c("period", _PERIOD, "2025-07-01", "date", required=True),
            _c("value", "The figure for the period, in the indicator's unit.", "42", "number", required=True),
            _c("district", _DISTRICT_BLANK_MEANS, "E07000084"),
            _c("lower_ci", "The lower end of the 95% confidence interval, when published.", "38.2", "number"),
            _c("upper_ci", "The upper end of the 95% confidence interval, when published.", "46.9", "number"),
            _c("numerator", "For a rate or percentage: the count it is worked out from.", "101", "number"),
            _c("denominator", "For a rate or percentage: the population or total it is out of.", "200000", "number"),
            _c("note", "Anything a reader should know about this figure.", "Provisional"),
        ),
        key=("indicator", "district", "period"),
    ),
    Sheet(
        "actions",
        "What partners have committed to do for each priority.",
        (
            _c("ref", "A short unique reference.", "SV-01", required=True),
            _c("priority", "The code of the priority it serves (priorities sheet).", "serious-violence", required=True),
            _c("title", "The action in a sentence.", "Share A&E data on assaults", required=True),
            _c("owner", "The code of the partner that owns it (partners sheet).", "VRU", required=True),
            _c("due_date", "When it is due (YYYY-MM-DD).", "2026-03-31", "date", required=True),
            _c("status", "Its status now; earlier statuses come from action_updates.", "on_track", "choice", required=True, vocabulary=ActionStatus),
            _c("district", "A district code for local work; blank for partnership-wide.", "E07000084"),
            _c("description", "What the action involves.", "Agree data sharing with every emergency department."),
            _c("opened_on", "When it was agreed (YYYY-MM-DD).", "2025-04-01", "date"),
            _c("restricted", _RESTRICTED.format(thing="action and its updates"), "yes", "flag"),
        ),
        key=("ref",),
    ),
    Sheet(
        "action_updates",
        "Dated progress reports on actions: an action's status at a date is its latest update by then.",
        (
            _c("ref", "The action's reference (actions sheet).", "SV-01", required=True),
            _c("date", "The date of the update (YYYY-MM-DD).", "2025-09-11", "date", required=True),
            _c("status", "The action's status at that date.", "at_risk", "choice", required=True, vocabulary=ActionStatus),
            _c("commentary", "What has happened and what is next.", "Two of three hospitals signed up."),
        ),
        key=("ref", "date"),
    ),
    Sheet(
        "assessments",
        "The RAG the board set for a priority at a meeting; it overrides the worked-out roll-up.",
        (
            _c("priority", "The code of the priority (priorities sheet).", "serious-violence", required=True),
            _c("date", "The date the board set it (YYYY-MM-DD), usually a meeting.", "2025-09-11", "date", required=True),
            _c("rag", "The board's rating.", "amber", "choice", required=True, vocabulary=BoardRag),
            _c("commentary", "The board's reasons, shown with the rating.", "Good progress; data sharing late."),
        ),
        key=("priority", "date"),
    ),
    Sheet(
        "meetings",
        "The board's meetings: the dashboard shows what changed since the last one.",
        (
            _c("date", "The meeting's date (YYYY-MM-DD).", "2025-09-11", "date", required=True),
            _c("name", "The meeting's name.", "Strategy Group", required=True),
        ),
        key=("date",),
    ),
)  # fmt: skip
SHEETS_BY_NAME: dict[str, Sheet] = {sheet.name: sheet for sheet in SHEETS}
# The template's sheet that explains every column; a filled-in template may keep it.
GUIDE_SHEET = "guide"


def _ignored_notice(kind: str, shown: str, name: str) -> str:
    if name == GUIDE_SHEET:
        return f"{kind} '{shown}' is the template's guide to the columns; it is not imported."
    if kind == "Sheet":
        return f"Sheet '{shown}' is not part of the workbook contract and was ignored."
    return f"File '{shown}' is not named after a workbook sheet and was ignored."


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
    """A sheet as read: lower-cased header names and its non-blank rows of cells.

    ``cells`` has one column per named header column (the last, where a name is repeated) holding the
    cells exactly as read (text from a CSV; numbers, dates or text from ``.xlsx`` or DataFrames), and is
    indexed by the row number a spreadsheet shows (the header is row 1). Blank rows are left out.
    """

    name: str
    header: list[str]
    cells: pd.DataFrame

    @property
    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """Each row as (spreadsheet row number, {column: cell}), blank cells as None."""
        cells = self.cells.astype(object)
        cells = cells.where(cells.notna(), None)
        return list(zip(cells.index.tolist(), cells.to_dict("records"), strict=True))


@dataclass
class Record:
    row: int
    values: dict[str, Any]
    complete: bool = True  # False when some cell could not be parsed


@dataclass
class ParsedSheet:
    """A sheet's typed values, one row per record, indexed by spreadsheet row number.

    ``values`` has a column for each contract column the sheet has: text, choice and reference columns
    hold str or None, numbers are float64 (NaN for blank), whole numbers int or None, dates
    ``datetime.date`` or None. Rows whose key repeats an earlier row's are left out (reported as
    duplicates); rows with a cell that could not be parsed stay, that cell blank, with ``complete``
    False, so the references in their other cells are still checked.
    """

    name: str
    values: pd.DataFrame
    complete: np.ndarray
    present: set[str]

    def records(self) -> list[Record]:
        """The rows as records (blanks as None), for code that works a row at a time."""
        values = self.values.astype(object)
        values = values.where(values.notna(), None)
        return [
            Record(row, cells, bool(complete))
            for row, cells, complete in zip(
                values.index.tolist(), values.to_dict("records"), self.complete.tolist(), strict=True
            )
        ]


@dataclass
class ParsedWorkbook:
    """Typed values per sheet, plus notices about anything ignored."""

    sheets: dict[str, ParsedSheet] = field(default_factory=dict)
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
    """Treat DataFrames (one per sheet, e.g. the demo partnership) exactly like a file read from disk.

    Columns keep their dtypes, so numbers and dates held as such are read without a trip through text.
    """
    sheets: dict[str, RawSheet] = {}
    for name, frame in frames.items():
        header = [_header_name(column) for column in frame.columns]
        body = frame.set_axis(range(frame.shape[1]), axis="columns").reset_index(drop=True)
        sheets[name.strip().lower()] = _raw_sheet_from_table(name, header, body)
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
                notices.append(_ignored_notice("Sheet", worksheet.title, name))
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
            notices.append(_ignored_notice("File", file.name, name))
            continue
        try:
            sheets[name] = _read_csv(name, file)
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


def _read_csv(name: str, file: Path) -> RawSheet:
    """One CSV as Excel saves it: utf-8-sig (Excel's "CSV UTF-8" starts with a byte-order mark), CRLF or LF.

    pandas' C parser reads every cell as text, blank lines kept so row numbers stay those a spreadsheet
    shows. It refuses a row with more cells than the first; the csv module reads any shape, so such a
    file (and an empty one) is read with it instead, to the same result.
    """
    try:
        table = pd.read_csv(
            file,
            header=None,
            dtype=object,
            na_filter=False,  # "NA" or "null" in a cell is text, as in the csv module
            skip_blank_lines=False,
            encoding="utf-8-sig",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            return _raw_sheet(name, csv.reader(handle))
    header = [_header_name(cell) for cell in table.iloc[0]] if len(table) else []
    body = table.iloc[1:].reset_index(drop=True)
    return _raw_sheet_from_table(name, header, body)


def _raw_sheet(name: str, rows: Iterable[Iterable[Any]]) -> RawSheet:
    """A sheet from rows of cells, the first being the header."""
    iterator = iter(rows)
    header: list[str] = []
    for header_row in iterator:
        header = [_header_name(cell) for cell in header_row]
        break
    rows_read = [list(row) for row in iterator]
    width = max((len(row) for row in rows_read), default=0)
    # Short rows (a CSV line that stops early, or a blank one) end in blank cells.
    body = pd.DataFrame([row + [None] * (width - len(row)) for row in rows_read], dtype=object)
    return _raw_sheet_from_table(name, header, body)


def _raw_sheet_from_table(name: str, header: list[str], body: pd.DataFrame) -> RawSheet:
    """``body``: the rows under the header, columns by position, row i being spreadsheet row i + 2."""
    keep = ~_blank_rows(body)
    body = body[keep]
    row_numbers = np.flatnonzero(keep) + 2
    # A repeated header name: the last such column wins, as when rows were read into dicts.
    positions = {column: i for i, column in enumerate(header) if column}
    index = pd.Index(row_numbers, name="row")
    cells = pd.DataFrame(
        {column: _column_at(body, i, index) for column, i in positions.items()},
        index=index,
    )
    while header and not header[-1]:
        header.pop()
    return RawSheet(name.strip().lower(), header, cells)


def _column_at(body: pd.DataFrame, position: int, index: pd.Index) -> pd.Series:
    """The cells at ``position`` (blank beyond the last cell), keeping their dtype; text stays object."""
    if position not in body.columns:
        return pd.Series(None, index=index, dtype=object)
    cells = body[position]
    if _is_typed(cells):
        return cells.set_axis(index)
    return pd.Series(cells.to_numpy(dtype=object), index=index, dtype=object)


def _is_typed(cells: pd.Series) -> bool:
    """True for a column of numbers, booleans or timestamps, whose only blank cells are missing values."""
    dtype = cells.dtype
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)


def _blank_rows(body: pd.DataFrame) -> np.ndarray:
    """True for rows whose every cell is blank; typed columns are checked first, as they are quickest."""
    blank = np.ones(len(body), dtype=bool)
    for column in sorted(body.columns, key=lambda c: not _is_typed(body[c])):
        candidates = np.flatnonzero(blank)
        if not candidates.size:
            break
        cells = body[column].iloc[candidates]
        if _is_typed(cells):
            blank[candidates] = cells.isna().to_numpy()
        else:
            blank[candidates] = [_is_blank(cell) for cell in cells.astype(object)]
    return blank


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


_YES = frozenset({"yes", "y", "true", "1", "restricted"})
_NO = frozenset({"no", "n", "false", "0"})


def parse_flag(cell: Any) -> bool:
    """yes (or y, true, 1) is True; blank (or no) is False."""
    if _is_blank(cell):
        return False
    if isinstance(cell, bool):
        return cell
    text = str(cell).strip().lower()
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        text = str(int(cell)) if float(cell).is_integer() else text
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"{str(cell).strip()!r} is not yes or blank")


_PARSERS: Mapping[str, Callable[[Any], Any]] = {
    "text": parse_text,
    "flag": parse_flag,
    "int": parse_int,
    "number": parse_number,
    "date": parse_date,
}


def parse_sheet(raw: RawSheet) -> tuple[list[Record], set[str], list[Problem]]:
    """Parse a raw sheet against its contract, as records (see ``parse_frame``)."""
    parsed, problems = parse_frame(raw)
    return parsed.records(), parsed.present, problems


def parse_frame(raw: RawSheet) -> tuple[ParsedSheet, list[Problem]]:
    """Parse a raw sheet against its contract: types, required cells and duplicate keys.

    Works a column at a time: each distinct cell value is parsed once by the cell parsers above, so
    every problem reads exactly as those parsers word it, whatever the size of the sheet.
    """
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
        empty = pd.DataFrame(index=pd.Index([], dtype="int64", name="row"))
        return ParsedSheet(sheet.name, empty, np.ones(0, dtype=bool), present), problems

    cells = raw.cells
    if sheet.single_row and len(cells) > 1:
        first_row = int(cells.index[0])
        problems.extend(
            Problem(
                sheet.name,
                row_number,
                None,
                f"the {sheet.name} sheet holds one row; this is another (row {first_row} is the first)",
            )
            for row_number in cells.index[1:].tolist()
        )
        cells = cells.iloc[:1]

    row_numbers = cells.index.to_numpy()
    complete = np.ones(len(cells), dtype=bool)
    columns: dict[str, pd.Series] = {}
    for column in sheet.columns:
        if column.name not in present:
            continue
        values, errors = _parse_column(column, cells[column.name])
        failed = pd.notna(errors)
        problems.extend(
            Problem(sheet.name, int(row_number), column.name, message)
            for row_number, message in zip(row_numbers[failed].tolist(), errors[failed].tolist(), strict=True)
        )
        complete &= ~failed
        if column.required:
            blank = values.isna().to_numpy() & ~failed
            problems.extend(
                Problem(sheet.name, int(row_number), column.name, "is required but blank")
                for row_number in row_numbers[blank].tolist()
            )
            complete &= ~blank
        columns[column.name] = values
    values = pd.DataFrame(columns, index=cells.index)

    if sheet.key:
        duplicate = _duplicate_rows(values, complete, sheet)
        for row_number, first in duplicate.items():
            shown = ", ".join(
                f"{name} {_show(_cell(values.get(name, {}).get(row_number)))}" for name in sheet.key
            )
            problems.append(Problem(sheet.name, row_number, None, f"duplicate of row {first} ({shown})"))
        if duplicate:
            keep = ~values.index.isin(list(duplicate))
            values, complete = values[keep], complete[keep]
    return ParsedSheet(sheet.name, values, complete, present), problems


def _parse_column(column: Column, cells: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A column's typed values and, per row, the problem with its cell (None where it parsed)."""
    if column.kind in ("number", "int") and _is_plain_numeric(cells):
        return _parse_numeric_column(column, cells)
    if column.kind == "choice":
        choices = column.choices

        def parse(cell: Any) -> Any:
            return parse_choice(cell, choices)
    else:
        parse = _PARSERS[column.kind]
    objects = cells.astype(object)
    inferred = infer_dtype(objects, skipna=True)
    homogeneous = inferred in ("string", "empty", "date") or (
        inferred == "datetime" and pd.api.types.is_datetime64_dtype(cells.dtype)
    )
    if homogeneous:
        # One type throughout, so equal cells parse alike: parse each distinct value once.
        codes, distinct = pd.factorize(objects)
        parsed, errors = _parse_each(distinct, parse)
        values = _take(parsed, codes)
        messages = _take(errors, codes)
    else:
        # Mixed types (e.g. 1 and True, which compare equal but parse differently): cell by cell.
        values, messages = _parse_each(objects.to_numpy(), parse)
    if column.kind == "number":
        return pd.Series(values, index=cells.index, dtype=object).astype("float64"), messages
    if column.kind == "flag":
        # Blank cells are never handed to the parser (see _take): a blank flag is "no".
        flags = pd.Series(values, index=cells.index, dtype=object)
        return flags.where(flags.notna(), False).astype(bool), messages
    return pd.Series(values, index=cells.index, dtype=object), messages


def _parse_numeric_column(column: Column, cells: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Numbers held as numbers: only infinities, and fractions in a whole-number column, are wrong."""
    numbers = cells.astype("float64")
    wrong = np.isinf(numbers.to_numpy())
    if column.kind == "int":
        wrong |= numbers.notna().to_numpy() & (numbers.to_numpy() % 1 != 0)
    messages = np.full(len(cells), None, dtype=object)
    parse = _PARSERS[column.kind]
    for position in np.flatnonzero(wrong):
        try:
            parse(_cell(cells.iloc[position]))
        except CellError as error:
            messages[position] = str(error)
    numbers = numbers.mask(wrong)
    if column.kind == "number":
        return numbers, messages
    whole = [None if math.isnan(number) else int(number) for number in numbers.tolist()]
    return pd.Series(whole, index=cells.index, dtype=object), messages


def _is_plain_numeric(cells: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype)


def _parse_each(cells: Iterable[Any], parse: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
    values: list[Any] = []
    messages: list[str | None] = []
    for cell in cells:
        try:
            values.append(parse(cell))
            messages.append(None)
        except CellError as error:
            values.append(None)
            messages.append(str(error))
    return _objects(values), _objects(messages)


def _objects(items: list[Any]) -> np.ndarray:
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def _take(distinct: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``distinct[codes]``, None where the code is -1 (a missing cell)."""
    return np.append(distinct, None)[codes]


def _duplicate_rows(values: pd.DataFrame, complete: np.ndarray, sheet: Sheet) -> dict[int, int]:
    """{row number: the row number of the first complete row with the same key}, for complete rows."""
    # A key column the sheet leaves out (an optional district) is blank in every row.
    keys = values.reindex(columns=list(sheet.key)).loc[complete]
    repeated = keys.duplicated(keep="first")
    if not repeated.any():
        return {}
    first_rows = keys.index.to_series().groupby([keys[c] for c in sheet.key], dropna=False).transform("first")
    return {int(row): int(first) for row, first in first_rows[repeated.to_numpy()].items()}


def _cell(value: Any) -> Any:
    """A parsed value as the cell parsers return it: None for blank, Python types otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


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
