"""Validate a workbook against the database and upsert it, all or nothing.

Every problem in the workbook is collected before anything is written; if there is one, the
caller's transaction is rolled back and the database is exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from data_access.cache import bump_data_version
from data_access.db import session_scope
from data_access.models import (
    DEFAULT_TOLERANCE,
    Action,
    ActionUpdate,
    Assessment,
    Base,
    District,
    Indicator,
    IndicatorValue,
    Meeting,
    Partner,
    Partnership,
    Priority,
)
from data_access.series import refresh_whole_partnership
from data_access.workbook import (
    SHEETS,
    SHEETS_BY_NAME,
    ParsedWorkbook,
    Problem,
    RawSheet,
    Record,
    WorkbookError,
    parse_sheet,
    raw_sheets_from_frames,
    read_workbook,
)
from domain.periods import expected_period_start, is_period_start, period_end

# The id of the only row of a one-row table (the partnership), as its check constraint requires.
SINGLE_ROW_ID = 1
# Bound-parameter lists are chunked: SQLite allows 32,766 parameters a statement, PostgreSQL 65,535.
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


# Sheets whose rows change a whole-partnership series (districts decide whether a sum is complete).
SERIES_SHEETS = {"districts", "indicators", "indicator_values"}


def import_path(engine: Engine, path: str | Path, *, dry_run: bool = False) -> ImportSummary:
    """Read the workbook at ``path`` and import it in one transaction (or only check it)."""
    raw_sheets, notices = read_workbook(path)
    summary = _import_in_transaction(engine, raw_sheets, dry_run=dry_run)
    summary.notices[:0] = notices
    return summary


def import_frames(
    engine: Engine, frames: Mapping[str, pd.DataFrame], *, dry_run: bool = False
) -> ImportSummary:
    """Import a workbook held as DataFrames (the demo partnership, an upload parsed in memory)."""
    return _import_in_transaction(engine, raw_sheets_from_frames(frames), dry_run=dry_run)


def _import_in_transaction(
    engine: Engine, raw_sheets: dict[str, RawSheet], *, dry_run: bool
) -> ImportSummary:
    with session_scope(engine) as session:
        summary = import_workbook(session, raw_sheets, dry_run=dry_run)
        if dry_run:
            session.rollback()
    return summary


def import_workbook(
    session: Session, raw_sheets: dict[str, RawSheet], *, dry_run: bool = False
) -> ImportSummary:
    """Validate every sheet, then upsert them in dependency order within the caller's transaction.

    Raises WorkbookError listing every problem; the caller's transaction must then be rolled back
    (``session_scope`` does), though nothing has been written by then anyway.
    """
    parsed, problems = _parse(raw_sheets)
    resolver = _Resolver(session, parsed)
    problems.extend(resolver.problems)
    problems.extend(_check_rows(parsed, resolver))
    if problems:
        raise WorkbookError(problems)
    summary = ImportSummary(notices=list(parsed.notices), written=not dry_run)
    if dry_run:
        for name, records in parsed.records.items():
            summary.sheets[name] = SheetSummary(unchanged=len(records))
        summary.notices.append(f"{sum(len(r) for r in parsed.records.values())} rows are valid.")
        return summary
    for sheet in SHEETS:
        if sheet.name in parsed.records:
            summary.sheets[sheet.name] = _upsert_sheet(session, sheet.name, parsed, resolver)
    _after_write(session, parsed)
    return summary


def _after_write(session: Session, parsed: ParsedWorkbook) -> None:
    """Keep what is derived from the data in step with it, in the same transaction as the write."""
    if parsed.records.keys() & SERIES_SHEETS:
        refresh_whole_partnership(session.connection())
    bump_data_version(session)


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
        records, present, sheet_problems = parse_sheet(raw)
        problems.extend(sheet_problems)
        parsed.records[sheet.name] = records
        parsed.columns_present[sheet.name] = present
    return parsed, problems


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
        for sheet_name, records in parsed.records.items():
            for column, (_, kind) in TARGETS[sheet_name].columns.items():
                if kind:
                    wanted[kind].update(r.values[column] for r in records if r.values.get(column) is not None)
        for kind, reference in REFERENCES.items():
            key_name = "ref" if kind == "action" else "code"
            defined = (r.values.get(key_name) for r in parsed.records.get(reference.sheet, []))
            self.defined_in_workbook[kind] = {key for key in defined if key is not None}
            self.ids[kind] = self._lookup(reference, wanted[kind])
        for sheet_name, records in parsed.records.items():
            for column, (_, kind) in TARGETS[sheet_name].columns.items():
                if not kind:
                    continue
                for record in records:
                    key = record.values.get(column)
                    if key is not None and not self.is_known(kind, key):
                        self.problems.append(
                            Problem(
                                sheet_name,
                                record.row,
                                column,
                                f"{key!r} is not a known {REFERENCES[kind].kind} "
                                f"(not in the database nor in this workbook's {REFERENCES[kind].sheet} sheet)",
                            )
                        )

    def _lookup(self, reference: Reference, keys: Iterable[Any]) -> dict[Any, int]:
        key_column = getattr(reference.model, reference.key_attribute)
        found: dict[Any, int] = {}
        for chunk in _chunks(sorted(keys)):
            statement = select(key_column, reference.model.id).where(key_column.in_(chunk))
            found.update(self.session.execute(statement).all())
        return found

    def is_known(self, kind: str, key: Any) -> bool:
        return key in self.ids[kind] or key in self.defined_in_workbook[kind]

    def refresh(self, kind: str) -> None:
        """Look up ids for keys this workbook has just written."""
        self.ids[kind].update(self._lookup(REFERENCES[kind], self.defined_in_workbook[kind]))

    def id_for(self, kind: str, key: Any) -> int | None:
        return None if key is None else self.ids[kind][key]

    def indicator_frequencies(self) -> dict[str, str]:
        """Each referenced indicator's frequency, from this workbook where it defines it."""
        if self._frequencies is not None:
            return self._frequencies
        frequencies = {
            code: frequency
            for code, frequency in self._select_in(Indicator.code, Indicator.frequency, self.ids["indicator"])
        }
        for record in self.parsed.records.get("indicators", []):
            code, frequency = record.values.get("code"), record.values.get("frequency")
            if code is not None and frequency is not None:
                frequencies[code] = frequency
        self._frequencies = frequencies
        return frequencies

    def _select_in(self, key_column, value_column, keys: Iterable[Any]) -> list[tuple[Any, Any]]:
        rows: list[tuple[Any, Any]] = []
        for chunk in _chunks(sorted(keys)):
            rows.extend(
                self.session.execute(select(key_column, value_column).where(key_column.in_(chunk))).all()
            )
        return rows


def _check_rows(parsed: ParsedWorkbook, resolver: _Resolver) -> list[Problem]:
    """Rules that involve more than one cell."""
    problems: list[Problem] = []
    for record in parsed.records.get("priorities", []):
        start, end = record.values.get("valid_from"), record.values.get("valid_to")
        if start and end and end < start:
            problems.append(
                Problem(
                    "priorities",
                    record.row,
                    "valid_to",
                    f"{end.isoformat()} is before valid_from {start.isoformat()}",
                )
            )
    for record in parsed.records.get("indicators", []):
        tolerance = record.values.get("tolerance")
        if tolerance is not None and tolerance < 0:
            problems.append(
                Problem(
                    "indicators",
                    record.row,
                    "tolerance",
                    f"{tolerance:g} is negative; expected a fraction such as 0.05",
                )
            )
    if "indicator_values" in parsed.records:
        frequencies = resolver.indicator_frequencies()
        for record in parsed.records["indicator_values"]:
            problems.extend(_check_indicator_value(record, frequencies))
    return problems


def _check_indicator_value(record: Record, frequencies: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    values = record.values
    frequency = frequencies.get(values.get("indicator"))
    period: dt.date | None = values.get("period")
    if frequency and period and not is_period_start(period, frequency):
        problems.append(
            Problem(
                "indicator_values",
                record.row,
                "period",
                f"{period.isoformat()} is not a period start for a {frequency}ly indicator "
                f"(expected {expected_period_start(frequency)})",
            )
        )
    lower, upper = values.get("lower_ci"), values.get("upper_ci")
    if lower is not None and upper is not None and lower > upper:
        problems.append(
            Problem("indicator_values", record.row, "lower_ci", f"{lower:g} is above upper_ci {upper:g}")
        )
    denominator = values.get("denominator")
    if denominator is not None and denominator <= 0:
        problems.append(
            Problem("indicator_values", record.row, "denominator", f"{denominator:g} must be greater than 0")
        )
    return problems


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------


def _upsert_sheet(
    session: Session, sheet_name: str, parsed: ParsedWorkbook, resolver: _Resolver
) -> SheetSummary:
    target = TARGETS[sheet_name]
    present = parsed.columns_present[sheet_name]
    rows = [_to_row(sheet_name, record, present, resolver) for record in parsed.records[sheet_name]]
    key_columns = _model_key_columns(sheet_name)
    existing = _existing_rows(session, target.model, key_columns, rows, list(rows[0]) if rows else [])
    summary = SheetSummary()
    to_insert: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for row in rows:
        key = tuple(row[c] for c in key_columns)
        current = existing.get(key)
        if current is None:
            to_insert.append(row)
        elif any(current[column] != value for column, value in row.items()):
            to_update.append({"id": current["id"], **row})
        else:
            summary.unchanged += 1
    if to_insert:
        session.execute(insert(target.model), to_insert)
    if to_update:
        session.execute(update(target.model), to_update)
    summary.inserted, summary.updated = len(to_insert), len(to_update)
    for kind, reference in REFERENCES.items():
        if reference.sheet == sheet_name:
            resolver.refresh(kind)
    return summary


def _to_row(sheet_name: str, record: Record, present: set[str], resolver: _Resolver) -> dict[str, Any]:
    """A table row from a workbook record: references resolved, absent optional columns left out."""
    row: dict[str, Any] = {}
    for column, (model_column, kind) in TARGETS[sheet_name].columns.items():
        if column not in present:
            continue
        value = record.values.get(column)
        row[model_column] = resolver.id_for(kind, value) if kind else value
    # A blank tolerance cell means the default; an absent column is left to the model's default.
    if sheet_name == "indicators" and "tolerance" in row and row["tolerance"] is None:
        row["tolerance"] = DEFAULT_TOLERANCE
    if SHEETS_BY_NAME[sheet_name].single_row:
        # The one row of its table: an import updates it rather than adding another.
        row["id"] = SINGLE_ROW_ID
    if sheet_name == "indicator_values":
        frequency = resolver.indicator_frequencies()[record.values["indicator"]]
        row["period_end"] = period_end(row["period_start"], frequency)
    return row


def _model_key_columns(sheet_name: str) -> tuple[str, ...]:
    sheet = SHEETS_BY_NAME[sheet_name]
    if sheet.single_row:
        return ("id",)
    return tuple(TARGETS[sheet_name].columns[name][0] for name in sheet.key)


def _existing_rows(
    session: Session,
    model: type[Base],
    key_columns: tuple[str, ...],
    rows: list[dict[str, Any]],
    columns: list[str],
) -> dict[tuple, dict[str, Any]]:
    """Current rows with the same natural keys, fetched by their first key column in chunks."""
    if not rows:
        return {}
    first = key_columns[0]
    selected = [model.id, *(getattr(model, c) for c in dict.fromkeys([*key_columns, *columns]))]
    existing: dict[tuple, dict[str, Any]] = {}
    key_set = {tuple(row[c] for c in key_columns) for row in rows}
    for chunk in _chunks(sorted({row[first] for row in rows})):
        statement = select(*selected).where(getattr(model, first).in_(chunk))
        for mapping in session.execute(statement).mappings():
            key = tuple(mapping[c] for c in key_columns)
            if key in key_set:
                existing[key] = dict(mapping)
    return existing


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
