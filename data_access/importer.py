"""Validate a workbook against the database and upsert it, all or nothing.

Every problem in the workbook is collected before anything is written; if there is one, the
caller's transaction is rolled back and the database is exactly as it was.

Both stages work on whole columns, so a million-row sheet costs seconds: validation parses each
distinct cell value once and checks references and rules with pandas; writing reads each table's
existing rows with one query, sorts the sheet's rows into inserts, updates and unchanged rows in
pandas, and sends the inserts as one executemany (COPY on PostgreSQL) and the updates as another.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    Engine,
    Float,
    Insert,
    Integer,
    Table,
    Update,
    bindparam,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from data_access.cache import bump_data_version
from data_access.db import session_scope
from data_access.district_tallies import (
    refresh_action_tallies,
    refresh_indicator_tallies,
    refresh_partnership_wide_action_tallies,
)
from data_access.latest_updates import refresh_latest_updates
from data_access.models import (
    DEFAULT_TOLERANCE,
    Action,
    ActionUpdate,
    Assessment,
    Base,
    District,
    DistrictActionTally,
    DistrictIndicatorTally,
    ImportedIndicator,
    ImportedSheet,
    ImportRecord,
    Indicator,
    IndicatorValue,
    Meeting,
    Partner,
    Partnership,
    PartnershipWideActionTally,
    Priority,
    WholePartnershipValue,
)
from data_access.series import refresh_whole_partnership
from data_access.workbook import (
    SHEETS,
    SHEETS_BY_NAME,
    ParsedSheet,
    ParsedWorkbook,
    Problem,
    RawSheet,
    WorkbookError,
    parse_frame,
    raw_sheets_from_frames,
    read_workbook,
)
from domain.periods import expected_period_start, is_period_start, period_end
from domain.vocabulary import ImportChannel

# The id of the only row of a one-row table (the partnership), as its check constraint requires.
SINGLE_ROW_ID = 1
# Bound-parameter lists are chunked: SQLite allows 32,766 parameters a statement, PostgreSQL 65,535.
_CHUNK = 500
# Up to this many keys are looked up with IN (...); beyond it, reading the whole key column is cheaper.
_IN_LIMIT = 1000
# Rows handed to the driver at a time: bounds the memory their Python objects take.
_WRITE_CHUNK = 100_000
_CHUNK = 500


@dataclass(frozen=True)
class Reference:
    """A workbook column that names a row of another table by its natural key."""

    kind: str  # what users call it in messages
    model: type[Base]
    key_attribute: str
    sheet: str  # the sheet that defines such rows


REFERENCES: dict[str, Reference] = {
    "district": Reference("district", District, "code", "districts"),
    "partner": Reference("partner", Partner, "code", "partners"),
    "priority": Reference("priority", Priority, "code", "priorities"),
    "indicator": Reference("indicator", Indicator, "code", "indicators"),
    "action": Reference("action ref", Action, "ref", "actions"),
}


@dataclass(frozen=True)
class Target:
    """How a sheet maps onto its table: workbook column -> (model column, reference kind or None)."""

    model: type[Base]
    columns: dict[str, tuple[str, str | None]]


TARGETS: dict[str, Target] = {
    "partnership": Target(Partnership, {"name": ("name", None), "short_name": ("short_name", None)}),
    "districts": Target(District, {"code": ("code", None), "name": ("name", None)}),
    "partners": Target(Partner, {"code": ("code", None), "name": ("name", None), "sector": ("sector", None)}),
    "priorities": Target(
        Priority,
        {
            "code": ("code", None),
            "number": ("number", None),
            "title": ("title", None),
            "short_title": ("short_title", None),
            "description": ("description", None),
            "lead_partner": ("lead_partner_id", "partner"),
            "valid_from": ("valid_from", None),
            "valid_to": ("valid_to", None),
        },
    ),
    "indicators": Target(
        Indicator,
        {
            "code": ("code", None),
            "priority": ("priority_id", "priority"),
            "name": ("name", None),
            "unit": ("unit", None),
            "good_direction": ("good_direction", None),
            "frequency": ("frequency", None),
            "target": ("target", None),
            "tolerance": ("tolerance", None),
            "source": ("source", None),
            "description": ("description", None),
            "restricted": ("restricted", None),
        },
    ),
    "indicator_values": Target(
        IndicatorValue,
        {
            "indicator": ("indicator_id", "indicator"),
            "district": ("district_id", "district"),
            "period": ("period_start", None),
            "value": ("value", None),
            "lower_ci": ("lower_ci", None),
            "upper_ci": ("upper_ci", None),
            "numerator": ("numerator", None),
            "denominator": ("denominator", None),
            "note": ("note", None),
        },
    ),
    "actions": Target(
        Action,
        {
            "ref": ("ref", None),
            "priority": ("priority_id", "priority"),
            "title": ("title", None),
            "owner": ("owner_partner_id", "partner"),
            "due_date": ("due_date", None),
            "status": ("status", None),
            "district": ("district_id", "district"),
            "description": ("description", None),
            "opened_on": ("opened_on", None),
            "restricted": ("restricted", None),
        },
    ),
    "action_updates": Target(
        ActionUpdate,
        {
            "ref": ("action_id", "action"),
            "date": ("date", None),
            "status": ("status", None),
            "commentary": ("commentary", None),
        },
    ),
    "assessments": Target(
        Assessment,
        {
            "priority": ("priority_id", "priority"),
            "date": ("date", None),
            "rag": ("rag", None),
            "commentary": ("commentary", None),
        },
    ),
    "meetings": Target(Meeting, {"date": ("date", None), "name": ("name", None)}),
}


@dataclass
class SheetSummary:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class SheetWrite:
    """What writing one sheet did: its counts, and the rows behind them (table columns, indexed by
    spreadsheet row), for the import log and for a preview."""

    summary: SheetSummary
    inserted: pd.DataFrame
    # The rows that changed, with every column the sheet gives (keys included) and the ``id`` they change.
    updated: pd.DataFrame
    # The same rows as the database held them before, in the same order (``id`` included).
    before: pd.DataFrame
    unchanged_rows: pd.Index


@dataclass(frozen=True)
class ImportSource:
    """Who or what an import came from, as the import log records it."""

    imported_by: str
    channel: ImportChannel = ImportChannel.COMMAND_LINE
    file_name: str | None = None
    sha256: str | None = None

    @classmethod
    def command_line(cls, path: str | Path | None = None) -> ImportSource:
        """The command line (or a script using this module), run by this machine's user."""
        return cls(
            imported_by=f"command line ({_who_runs_this()})",
            channel=ImportChannel.COMMAND_LINE,
            file_name=Path(path).name if path is not None else None,
            sha256=file_sha256(path) if path is not None else None,
        )


def _who_runs_this() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = f"uid {os.getuid()}"
    return f"{user}@{socket.gethostname()}"


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes; of a folder, of its files' names and bytes in name order."""
    path = Path(path)
    digest = hashlib.sha256()
    if path.is_dir():
        for file in sorted(p for p in path.iterdir() if p.is_file()):
            digest.update(file.name.encode() + b"\0")
            digest.update(file.read_bytes())
    else:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@dataclass
class ImportSummary:
    sheets: dict[str, SheetSummary] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    written: bool = True

    def __str__(self) -> str:
        lines = [
            f"{name}: {s.inserted} inserted, {s.updated} updated, {s.unchanged} unchanged"
            for name, s in self.sheets.items()
        ]
        lines.extend(self.notices)
        if not self.written:
            lines.append("Checked only: nothing was written.")
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------


# Sheets whose rows change a whole-partnership series (districts decide whether a sum is complete) or a
# district's indicator tallies.
SERIES_SHEETS = {"districts", "indicators", "indicator_values"}
# Sheets whose rows change an action's latest update, kept on its row (a new action starts without one),
# or a district's action tallies.
ACTION_SHEETS = {"actions", "action_updates"}


def import_path(
    engine: Engine, path: str | Path, *, dry_run: bool = False, source: ImportSource | None = None
) -> ImportSummary:
    """Read the workbook at ``path`` and import it in one transaction (or only check it)."""
    raw_sheets, notices = read_workbook(path)
    if source is None and not dry_run:
        source = ImportSource.command_line(path)
    summary = _import_in_transaction(engine, raw_sheets, dry_run=dry_run, source=source)
    summary.notices[:0] = notices
    return summary


def import_frames(
    engine: Engine,
    frames: Mapping[str, pd.DataFrame],
    *,
    dry_run: bool = False,
    source: ImportSource | None = None,
) -> ImportSummary:
    """Import a workbook held as DataFrames (the demo partnership, an upload parsed in memory)."""
    return _import_in_transaction(engine, raw_sheets_from_frames(frames), dry_run=dry_run, source=source)


def _import_in_transaction(
    engine: Engine, raw_sheets: dict[str, RawSheet], *, dry_run: bool, source: ImportSource | None
) -> ImportSummary:
    with session_scope(engine) as session:
        summary = import_workbook(session, raw_sheets, dry_run=dry_run, source=source)
        if dry_run:
            session.rollback()
    return summary


def import_workbook(
    session: Session,
    raw_sheets: dict[str, RawSheet],
    *,
    dry_run: bool = False,
    source: ImportSource | None = None,
    expected_version: int | None = None,
) -> ImportSummary:
    """Validate every sheet, then upsert them in dependency order within the caller's transaction.

    Raises WorkbookError listing every problem; the caller's transaction must then be rolled back
    (``session_scope`` does), though nothing has been written by then anyway.  The import is recorded
    in the import log as coming from ``source`` (by default, the command line).  With
    ``expected_version`` (the data version a preview was made at), raises DataChanged, before anything
    is written, when another import has changed the data since.
    """
    if not dry_run:
        # First, so imports run one at a time: the new version's row stays locked until this
        # transaction ends (PostgreSQL's row lock; SQLite's write lock), so a second import waits here
        # and then validates against what the first one wrote.  A rollback restores the old version.
        bump_data_version(session, expected=expected_version)
    parsed, resolver = validate_workbook(session, raw_sheets)
    summary = ImportSummary(notices=list(parsed.notices), written=not dry_run)
    if dry_run:
        for name, sheet in parsed.sheets.items():
            summary.sheets[name] = SheetSummary(unchanged=len(sheet.values))
        summary.notices.append(f"{sum(len(s.values) for s in parsed.sheets.values())} rows are valid.")
        return summary
    written = write_workbook(session, parsed, resolver)
    summary.sheets.update({name: write.summary for name, write in written.items()})
    _after_write(session, parsed, summary.sheets)
    record_import(session, source or ImportSource.command_line(), written)
    return summary


def validate_workbook(session: Session, raw_sheets: dict[str, RawSheet]) -> tuple[ParsedWorkbook, _Resolver]:
    """Parse and check every sheet against the contract and the database; raises WorkbookError."""
    parsed, problems = _parse(raw_sheets)
    resolver = _Resolver(session, parsed)
    problems.extend(resolver.problems)
    problems.extend(_check_rows(parsed, resolver))
    if problems:
        raise WorkbookError(problems)
    return parsed, resolver


def record_import(session: Session, source: ImportSource, written: Mapping[str, SheetWrite]) -> ImportRecord:
    """Add the import to the import log, in its own transaction: a failed import leaves no record."""
    record = ImportRecord(
        imported_at=dt.datetime.now(dt.UTC),
        imported_by=source.imported_by[:200],
        channel=source.channel.value,
        file_name=source.file_name[:255] if source.file_name else None,
        sha256=source.sha256,
        sheets=[
            ImportedSheet(
                sheet=name,
                inserted=write.summary.inserted,
                updated=write.summary.updated,
                unchanged=write.summary.unchanged,
            )
            for name, write in written.items()
        ],
    )
    session.add(record)
    session.flush()
    values = written.get("indicator_values")
    if values is not None:
        indicator_ids = pd.concat([values.inserted["indicator_id"], values.updated["indicator_id"]])
        counts = indicator_ids.astype("int64").value_counts().sort_index()
        if len(counts):
            session.execute(
                insert(ImportedIndicator),
                [
                    {"import_id": record.id, "indicator_id": int(indicator), "values_written": int(count)}
                    for indicator, count in counts.items()
                ],
            )
    return record


def _after_write(session: Session, parsed: ParsedWorkbook, written: Mapping[str, SheetSummary]) -> None:
    """Keep what is derived from the data in step with it, in the same transaction as the write."""
    changed_rows = {
        TARGETS[name].model.__table__: summary.inserted + summary.updated for name, summary in written.items()
    }
    if parsed.sheets.keys() & SERIES_SHEETS:
        changed_rows[WholePartnershipValue.__table__] = refresh_whole_partnership(session.connection())
        changed_rows[DistrictIndicatorTally.__table__] = refresh_indicator_tallies(session.connection())
    if parsed.sheets.keys() & ACTION_SHEETS:
        refresh_latest_updates(session.connection())
        changed_rows[DistrictActionTally.__table__] = refresh_action_tallies(session.connection())
        changed_rows[PartnershipWideActionTally.__table__] = refresh_partnership_wide_action_tallies(
            session.connection()
        )
    _refresh_planner_statistics(session, changed_rows)


# An import that writes at least this share of a table's rows refreshes its statistics at once; smaller
# ones are left to autovacuum, as PostgreSQL's own autovacuum_analyze_scale_factor (0.1) does.
ANALYZE_SHARE = 0.1


def _refresh_planner_statistics(session: Session, changed_rows: Mapping[Table, int]) -> None:
    """On PostgreSQL, ANALYZE each table the import changed a good share of, before pages query it.

    The planner sizes every join from these statistics.  Straight after a bulk load they still describe
    the empty table (or nothing at all: autovacuum gets to it only later), and it then chose nested
    loops over thousands of actions that made the large partnership's priority page take 15 s instead of
    50 ms.  ANALYZE samples a fixed number of rows (about a second for 3 million values) and may run in
    the import's transaction: it counts the transaction's own new rows, and its statistics become
    visible with them.  SQLite plans without statistics unless asked to keep them, so it is left alone.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    preparer = session.get_bind().dialect.identifier_preparer
    for table, rows in changed_rows.items():
        if rows <= 0:
            continue
        # reltuples: the row count the planner believes; -1 before the table was ever analysed.
        known = session.scalar(
            text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"),
            {"name": preparer.format_table(table)},
        )
        if known is None or known < 0 or rows >= ANALYZE_SHARE * known:
            session.execute(text(f"ANALYZE {preparer.format_table(table)}"))


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------


def _parse(raw_sheets: dict[str, RawSheet]) -> tuple[ParsedWorkbook, list[Problem]]:
    parsed = ParsedWorkbook()
    problems: list[Problem] = []
    for sheet in SHEETS:
        raw = raw_sheets.get(sheet.name)
        if raw is None:
            continue
        parsed_sheet, sheet_problems = parse_frame(raw)
        problems.extend(sheet_problems)
        parsed.sheets[sheet.name] = parsed_sheet
    return parsed, problems


def _reference_columns(parsed: ParsedWorkbook) -> Iterator[tuple[str, str, str, pd.Series]]:
    """(sheet, column, reference kind, values) for every reference column the workbook's sheets have."""
    for sheet_name, sheet in parsed.sheets.items():
        for column, (_, kind) in TARGETS[sheet_name].columns.items():
            if kind and column in sheet.values:
                yield sheet_name, column, kind, sheet.values[column]


class _Resolver:
    """Maps natural keys named in the workbook to database ids, reporting unknown ones.

    A key resolves when the database holds it or the same workbook defines it; ids for the latter
    are looked up again after their sheet has been written.
    """

    def __init__(self, session: Session, parsed: ParsedWorkbook):
        self.session = session
        self.parsed = parsed
        self.problems: list[Problem] = []
        self._frequencies: dict[str, str] | None = None
        self.ids: dict[str, dict[Any, int]] = {}
        self.defined_in_workbook: dict[str, set[Any]] = {}
        wanted: dict[str, set[Any]] = {kind: set() for kind in REFERENCES}
        for _, _, kind, values in _reference_columns(parsed):
            wanted[kind].update(values.dropna().unique().tolist())
        for kind, reference in REFERENCES.items():
            key_name = "ref" if kind == "action" else "code"
            defining = parsed.sheets.get(reference.sheet)
            defined = defining.values.get(key_name) if defining is not None else None
            self.defined_in_workbook[kind] = set() if defined is None else set(defined.dropna().tolist())
            self.ids[kind] = self._lookup(reference, wanted[kind])
        for sheet_name, column, kind, values in _reference_columns(parsed):
            known = [*self.ids[kind], *self.defined_in_workbook[kind]]
            unknown = values.notna() & ~values.isin(known)
            for row, key in values[unknown].items():
                self.problems.append(
                    Problem(
                        sheet_name,
                        int(row),
                        column,
                        f"{key!r} is not a known {REFERENCES[kind].kind} "
                        f"(not in the database nor in this workbook's {REFERENCES[kind].sheet} sheet)",
                    )
                )

    def _lookup(self, reference: Reference, keys: Iterable[Any]) -> dict[Any, int]:
        key_column = getattr(reference.model, reference.key_attribute)
        return dict(_select_by_keys(self.session, key_column, reference.model.id, keys))

    def refresh(self, kind: str) -> None:
        """Look up ids for keys this workbook has just written."""
        self.ids[kind].update(self._lookup(REFERENCES[kind], self.defined_in_workbook[kind]))

    def ids_for(self, kind: str, keys: pd.Series) -> pd.Series:
        """The ids of a column of keys, as float64 (NaN where the key is blank)."""
        return keys.map(self.ids[kind]).astype("float64")

    def indicator_frequencies(self) -> dict[str, str]:
        """Each referenced indicator's frequency, from this workbook where it defines it."""
        if self._frequencies is not None:
            return self._frequencies
        frequencies = dict(
            _select_by_keys(self.session, Indicator.code, Indicator.frequency, self.ids["indicator"])
        )
        indicators = self.parsed.sheets.get("indicators")
        if indicators is not None and {"code", "frequency"} <= set(indicators.values.columns):
            defined = indicators.values[["code", "frequency"]].dropna()
            frequencies.update(zip(defined["code"].tolist(), defined["frequency"].tolist(), strict=True))
        self._frequencies = frequencies
        return frequencies


def _select_by_keys(session: Session, key_column, value_column, keys: Iterable[Any]) -> list[tuple[Any, Any]]:
    """(key, value) for the given keys: IN (...) for a few, the whole column for many."""
    keys = sorted(keys)
    if not keys:
        return []
    if len(keys) > _IN_LIMIT:
        wanted = set(keys)
        rows = session.execute(select(key_column, value_column)).all()
        return [(key, value) for key, value in rows if key in wanted]
    rows: list[tuple[Any, Any]] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        rows.extend(session.execute(select(key_column, value_column).where(key_column.in_(chunk))).all())
    return rows


def _check_rows(parsed: ParsedWorkbook, resolver: _Resolver) -> list[Problem]:
    """Rules that involve more than one cell."""
    problems: list[Problem] = []
    priorities = _values(parsed, "priorities", "valid_from", "valid_to")
    if priorities is not None:
        both = priorities.dropna()
        for row, start, end in zip(both.index, both["valid_from"], both["valid_to"], strict=True):
            if end < start:
                problems.append(
                    Problem(
                        "priorities",
                        int(row),
                        "valid_to",
                        f"{end.isoformat()} is before valid_from {start.isoformat()}",
                    )
                )
    indicators = _values(parsed, "indicators", "tolerance")
    if indicators is not None:
        negative = indicators["tolerance"] < 0
        for row, tolerance in indicators.loc[negative, "tolerance"].items():
            problems.append(
                Problem(
                    "indicators",
                    int(row),
                    "tolerance",
                    f"{float(tolerance):g} is negative; expected a fraction such as 0.05",
                )
            )
    if "indicator_values" in parsed.sheets:
        problems.extend(
            _check_indicator_values(parsed.sheets["indicator_values"], resolver.indicator_frequencies())
        )
    return problems


def _values(parsed: ParsedWorkbook, sheet: str, *columns: str) -> pd.DataFrame | None:
    """The sheet's values in ``columns``, or None when the workbook lacks the sheet or a column."""
    if sheet not in parsed.sheets or not set(columns) <= set(parsed.sheets[sheet].values.columns):
        return None
    return parsed.sheets[sheet].values[list(columns)]


def _check_indicator_values(sheet: ParsedSheet, frequencies: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    values = sheet.values
    if values.empty:  # a sheet missing a required column has no rows to check
        return problems
    frequency = values["indicator"].map(frequencies)
    period = values["period"]
    starts = _per_distinct(is_period_start, period, frequency)
    wrong = starts.eq(False).to_numpy()  # None (not False) where the period or frequency is unknown
    for row, start, row_frequency in zip(values.index[wrong], period[wrong], frequency[wrong], strict=True):
        problems.append(
            Problem(
                "indicator_values",
                int(row),
                "period",
                f"{start.isoformat()} is not a period start for a {row_frequency}ly indicator "
                f"(expected {expected_period_start(row_frequency)})",
            )
        )
    if {"lower_ci", "upper_ci"} <= set(values.columns):
        above = values["lower_ci"] > values["upper_ci"]
        for row, lower, upper in zip(
            values.index[above], values.loc[above, "lower_ci"], values.loc[above, "upper_ci"], strict=True
        ):
            problems.append(
                Problem(
                    "indicator_values",
                    int(row),
                    "lower_ci",
                    f"{float(lower):g} is above upper_ci {float(upper):g}",
                )
            )
    if "denominator" in values.columns:
        not_positive = values["denominator"] <= 0
        for row, denominator in values.loc[not_positive, "denominator"].items():
            problems.append(
                Problem(
                    "indicator_values",
                    int(row),
                    "denominator",
                    f"{float(denominator):g} must be greater than 0",
                )
            )
    return problems


def _per_distinct(function: Callable[..., Any], *columns: pd.Series) -> pd.Series:
    """``function`` applied row by row to ``columns``, computed once per distinct combination of values;
    None where any of them is blank."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, distinct = pd.factorize(column)
        combined = combined * (len(distinct) + 1) + codes + 1
    _, first_rows, inverse = np.unique(combined, return_index=True, return_inverse=True)
    results = np.empty(len(first_rows), dtype=object)
    for index, position in enumerate(first_rows.tolist()):
        arguments = [column.iat[position] for column in columns]
        results[index] = None if any(pd.isna(argument) for argument in arguments) else function(*arguments)
    return pd.Series(results[inverse.reshape(-1)], index=columns[0].index, dtype=object)


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------


def write_workbook(session: Session, parsed: ParsedWorkbook, resolver: _Resolver) -> dict[str, SheetWrite]:
    """Write every sheet of a validated workbook, in dependency order, in the caller's transaction.

    The one place an import changes the database: anything that must change with the data (derived
    tables, a data version) belongs at the end of this function, inside the same transaction.
    """
    written: dict[str, SheetWrite] = {}
    for sheet in SHEETS:
        if sheet.name in parsed.sheets:
            written[sheet.name] = _upsert_sheet(session, sheet.name, parsed, resolver)
    return written


def _upsert_sheet(
    session: Session, sheet_name: str, parsed: ParsedWorkbook, resolver: _Resolver
) -> SheetWrite:
    """Insert the sheet's new rows and update its changed ones, each as one set-based statement."""
    table: Table = TARGETS[sheet_name].model.__table__  # type: ignore[assignment]
    rows = _table_rows(sheet_name, parsed.sheets[sheet_name], resolver)
    key_columns = _model_key_columns(sheet_name)
    existing = _existing_rows(session, table, rows, key_columns)
    write = _sort_rows(table, rows, existing, key_columns)
    _insert_rows(session, table, write.inserted)
    # An update sets only the columns that may differ; the natural key is what found the row.
    _update_rows(session, table, write.updated.drop(columns=[name for name in key_columns if name != "id"]))
    for kind, reference in REFERENCES.items():
        if reference.sheet == sheet_name:
            resolver.refresh(kind)
    return write


def _table_rows(sheet_name: str, sheet: ParsedSheet, resolver: _Resolver) -> pd.DataFrame:
    """Table rows from a sheet's values: references resolved, absent optional columns left out."""
    columns: dict[str, pd.Series] = {}
    for column, (model_column, kind) in TARGETS[sheet_name].columns.items():
        if column not in sheet.present:
            continue
        values = sheet.values[column]
        columns[model_column] = resolver.ids_for(kind, values) if kind else values
    rows = pd.DataFrame(columns, index=sheet.values.index)
    # A blank tolerance cell means the default; an absent column is left to the model's default.
    if sheet_name == "indicators" and "tolerance" in rows:
        rows["tolerance"] = rows["tolerance"].fillna(DEFAULT_TOLERANCE)
    if SHEETS_BY_NAME[sheet_name].single_row:
        # The one row of its table: an import updates it rather than adding another.
        rows["id"] = SINGLE_ROW_ID
    if sheet_name == "indicator_values":
        frequency = sheet.values["indicator"].map(resolver.indicator_frequencies())
        rows["period_end"] = _per_distinct(period_end, rows["period_start"], frequency)
    return rows


def _model_key_columns(sheet_name: str) -> tuple[str, ...]:
    sheet = SHEETS_BY_NAME[sheet_name]
    if sheet.single_row:
        return ("id",)
    return tuple(TARGETS[sheet_name].columns[name][0] for name in sheet.key)


def _existing_rows(
    session: Session, table: Table, rows: pd.DataFrame, key_columns: tuple[str, ...]
) -> pd.DataFrame:
    """The table's current rows that may share a natural key with ``rows``, in one query.

    Narrowed by the first key column (IN, when there are few distinct values) and by the range of any
    date in the key (a quarterly return reads one quarter of a long history); the exact match is made
    in pandas.
    """
    selected = [table.c.id, *(table.c[name] for name in rows.columns if name != "id")]
    statement = select(*selected)
    first = key_columns[0]
    keys = rows[first].dropna().unique().tolist()
    if len(keys) <= _IN_LIMIT:
        statement = statement.where(table.c[first].in_(keys))
    for name in key_columns:
        if isinstance(table.c[name].type, Date):
            dates = rows[name].dropna()
            if not dates.empty:  # an empty sheet (headers only) has no range to narrow by
                statement = statement.where(table.c[name].between(dates.min(), dates.max()))
    result = session.execute(statement)
    names = list(result.keys())
    # Built a column at a time, a slice of rows at a time (pandas inspects every Row object when handed
    # the rows themselves, and all the Rows at once take gigabytes), typed by the table rather than by
    # inference, so a column of NULLs still compares as numbers or dates.
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for batch in result.partitions(_WRITE_CHUNK):
        for name, values in zip(names, zip(*batch, strict=True), strict=True):
            parts[name].append(_typed(table.c[name], values))
    return pd.DataFrame(
        {
            name: np.concatenate(arrays) if arrays else _typed(table.c[name], ())
            for name, arrays in parts.items()
        },
        columns=names,
    )


def _typed(column: Column, values: Sequence[Any]) -> np.ndarray:
    """Database values as the sheet's rows hold them: numbers as float64 (NaN for NULL), the rest objects."""
    if isinstance(column.type, Integer | Float):
        return np.array(values, dtype="float64")
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _sort_rows(
    table: Table, rows: pd.DataFrame, existing: pd.DataFrame, key_columns: tuple[str, ...]
) -> SheetWrite:
    """Split ``rows`` into rows to insert, rows to update (with the id of the row they change, and that
    row as it is) and rows already as the workbook has them."""
    if existing.empty:
        updated = rows.iloc[:0].assign(id=pd.Series(dtype="int64"))
        return SheetWrite(SheetSummary(inserted=len(rows)), rows, updated, existing, rows.index[:0])
    matched = pd.merge(
        _merge_keys(table, rows, key_columns).assign(_position=np.arange(len(rows))),
        _merge_keys(table, existing, key_columns).assign(_existing=np.arange(len(existing))),
        on=list(key_columns),
        how="inner",
    )
    new = np.ones(len(rows), dtype=bool)
    new[matched["_position"].to_numpy()] = False
    mine = rows.iloc[matched["_position"].to_numpy()]
    theirs = existing.iloc[matched["_existing"].to_numpy()]
    compared = [name for name in rows.columns if name not in key_columns]
    changed = np.zeros(len(matched), dtype=bool)
    for name in compared:
        changed |= _differs(mine[name].to_numpy(), theirs[name].to_numpy())
    # The single-row table's key is the id itself; assigning it again changes nothing there.
    updated = mine.loc[changed, [*key_columns, *compared]].assign(id=theirs["id"].to_numpy()[changed])
    summary = SheetSummary(
        inserted=int(new.sum()), updated=int(changed.sum()), unchanged=int((~changed).sum())
    )
    return SheetWrite(summary, rows[new], updated, theirs[changed], mine.index[~changed])


def _merge_keys(table: Table, frame: pd.DataFrame, key_columns: tuple[str, ...]) -> pd.DataFrame:
    """The key columns in a form that merges exactly: ids as integers with 0 for blank (no id is 0),
    as the natural-key index folds a blank district to 0."""
    keys = {}
    for name in key_columns:
        values = frame[name]
        if isinstance(table.c[name].type, Integer):
            keys[name] = values.astype("float64").fillna(0).astype("int64").to_numpy()
        else:
            keys[name] = values.astype(object).to_numpy()
    return pd.DataFrame(keys)


def _differs(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """True where two columns' values differ, blanks (None or NaN) being equal to each other."""
    blank_mine, blank_theirs = pd.isna(mine), pd.isna(theirs)
    equal = np.zeros(len(mine), dtype=bool)
    both = ~blank_mine & ~blank_theirs
    equal[both] = mine[both] == theirs[both]
    return ~(equal | (blank_mine & blank_theirs))


def _insert_rows(session: Session, table: Table, rows: pd.DataFrame) -> None:
    """Insert ``rows``: an executemany of insert(), or one COPY on PostgreSQL."""
    if rows.empty:
        return
    rows = _with_defaults(table, rows)
    chunks = (_driver_columns(table, chunk) for chunk in _chunked(rows))
    if session.get_bind().dialect.name == "postgresql":
        _copy_rows(session, table, list(rows.columns), chunks)
    else:
        for columns in chunks:
            _executemany(session, insert(table), columns)


def _update_rows(session: Session, table: Table, rows: pd.DataFrame) -> None:
    """Update changed rows by id: an executemany of a bound update()."""
    if rows.empty:
        return
    statement = update(table).where(table.c.id == bindparam("row_id"))
    for chunk in _chunked(rows):
        columns = _driver_columns(table, chunk)
        # The id is bound under another name: a parameter named after a column would be SET too.
        columns["row_id"] = columns.pop("id")
        _executemany(session, statement, columns)


def _chunked(rows: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """Slices of ``rows``, so only one slice at a time exists as Python objects for the driver."""
    for start in range(0, len(rows), _WRITE_CHUNK):
        yield rows.iloc[start : start + _WRITE_CHUNK]


def _with_defaults(table: Table, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the model's scalar default for each column the sheet left out (COPY applies none)."""
    defaults = {
        column.name: column.default.arg
        for column in table.columns
        if column.name not in rows.columns and column.default is not None and column.default.is_scalar
    }
    return rows.assign(**defaults) if defaults else rows


def _driver_columns(table: Table, rows: pd.DataFrame) -> dict[str, list[Any]]:
    """Each column as a list of the values the driver is sent: None for blank, ints for integer columns,
    ISO text for dates (as SQLAlchemy stores them in SQLite; PostgreSQL reads them as dates)."""
    columns: dict[str, list[Any]] = {}
    for name in rows.columns:
        values = rows[name]
        column_type = table.c[name].type
        if isinstance(column_type, Date):
            values = _per_distinct(dt.date.isoformat, values)
        elif isinstance(column_type, Integer) and pd.api.types.is_float_dtype(values.dtype):
            values = values.astype("Int64")
        columns[name] = values.astype(object).where(values.notna(), None).tolist()
    return columns


def _executemany(session: Session, statement: Insert | Update, columns: dict[str, list[Any]]) -> None:
    """Run ``statement`` once per row through the driver's executemany, in the session's transaction.

    The statement is compiled by SQLAlchemy once; the rows go to the driver as they are, without
    SQLAlchemy's per-row parameter processing, which took longer than the database's own work.
    """
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect, column_keys=list(columns))
    if compiled.positiontup is not None:  # SQLite's qmark style: tuples in the statement's order
        parameters: list[Any] = list(zip(*(columns[name] for name in compiled.positiontup), strict=True))
    else:  # psycopg's pyformat style: a dictionary per row
        names = list(columns)
        parameters = [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    connection.exec_driver_sql(compiled.string, parameters)


def _copy_rows(
    session: Session, table: Table, names: list[str], chunks: Iterable[dict[str, list[Any]]]
) -> None:
    """COPY rows into ``table`` through the session's own connection, so inside its transaction."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(name) for name in names)
    )
    driver_connection = session.connection().connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for columns in chunks:
            for row in zip(*(columns[name] for name in names), strict=True):
                copy.write_row(row)
