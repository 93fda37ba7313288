"""Export the whole database as a partnership workbook (.xlsx or a folder of .csv files)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session, aliased

from data_access.models import (
    Action,
    ActionUpdate,
    Assessment,
    District,
    Indicator,
    IndicatorValue,
    Meeting,
    Partner,
    Partnership,
    Priority,
)
from data_access.workbook import SHEETS, neutralise_formula


def _sheet_queries() -> dict[str, Select]:
    """One query per sheet, its columns named and ordered as the workbook contract says."""
    lead = aliased(Partner)
    owner = aliased(Partner)
    return {
        "partnership": select(Partnership.name, Partnership.short_name),
        "districts": select(District.code, District.name).order_by(District.code),
        "partners": select(Partner.code, Partner.name, Partner.sector).order_by(Partner.code),
        "priorities": select(
            Priority.code,
            Priority.number,
            Priority.title,
            Priority.short_title,
            Priority.description,
            lead.code.label("lead_partner"),
            Priority.valid_from,
            Priority.valid_to,
        )
        .outerjoin(lead, Priority.lead_partner_id == lead.id)
        .order_by(Priority.code),
        "indicators": select(
            Indicator.code,
            Priority.code.label("priority"),
            Indicator.name,
            Indicator.unit,
            Indicator.good_direction,
            Indicator.frequency,
            Indicator.target,
            Indicator.tolerance,
            Indicator.source,
            Indicator.description,
            _yes_or_blank(Indicator.restricted),
        )
        .join(Priority, Indicator.priority_id == Priority.id)
        .order_by(Indicator.code),
        "indicator_values": select(
            Indicator.code.label("indicator"),
            IndicatorValue.period_start.label("period"),
            IndicatorValue.value,
            District.code.label("district"),
            IndicatorValue.lower_ci,
            IndicatorValue.upper_ci,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.note,
        )
        .join(Indicator, IndicatorValue.indicator_id == Indicator.id)
        .outerjoin(District, IndicatorValue.district_id == District.id)
        .order_by(Indicator.code, District.code.nulls_first(), IndicatorValue.period_start),
        "actions": select(
            Action.ref,
            Priority.code.label("priority"),
            Action.title,
            owner.code.label("owner"),
            Action.due_date,
            Action.status,
            District.code.label("district"),
            Action.description,
            Action.opened_on,
            _yes_or_blank(Action.restricted),
        )
        .join(Priority, Action.priority_id == Priority.id)
        .join(owner, Action.owner_partner_id == owner.id)
        .outerjoin(District, Action.district_id == District.id)
        .order_by(Action.ref),
        "action_updates": select(Action.ref, ActionUpdate.date, ActionUpdate.status, ActionUpdate.commentary)
        .join(Action, ActionUpdate.action_id == Action.id)
        .order_by(Action.ref, ActionUpdate.date),
        "assessments": select(
            Priority.code.label("priority"), Assessment.date, Assessment.rag, Assessment.commentary
        )
        .join(Priority, Assessment.priority_id == Priority.id)
        .order_by(Priority.code, Assessment.date),
        "meetings": select(Meeting.date, Meeting.name).order_by(Meeting.date),
    }


def _yes_or_blank(flag):
    """A flag as the workbook writes it: "yes", or blank."""
    return case((flag, "yes"), else_=None).label("restricted")


def read_all_sheets(session: Session) -> dict[str, pd.DataFrame]:
    """Every table as the workbook's sheets: natural keys instead of ids, contract column order."""
    frames: dict[str, pd.DataFrame] = {}
    for sheet in SHEETS:
        result = session.execute(_sheet_queries()[sheet.name])
        frames[sheet.name] = pd.DataFrame(result.all(), columns=sheet.column_names, dtype=object)
    return frames


def export_workbook(session: Session, path: str | Path) -> dict[str, int]:
    """Write the database to ``path``: an .xlsx file when it ends so, else a folder of CSVs.

    Returns the number of rows written per sheet.
    """
    frames = read_all_sheets(session)
    write_frames(frames, path)
    return {name: len(frame) for name, frame in frames.items()}


def write_frames(frames: Mapping[str, pd.DataFrame], path: str | Path) -> None:
    """Write sheets to ``path`` with formula-like text neutralised."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        write_xlsx(frames, path)
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            _write_csv(frame, path / f"{name}.csv")


def write_xlsx(frames: Mapping[str, pd.DataFrame], target: Any) -> None:
    """Write an .xlsx workbook to a path or a binary file object."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, frame in frames.items():
        worksheet = workbook.create_sheet(title=name[:31])
        worksheet.append(list(frame.columns))
        # Real date cells in Excel, so users can sort and filter them as dates.
        for row in _safe_rows(frame.itertuples(index=False, name=None), dates_as_text=False):
            worksheet.append(row)
    workbook.save(target)


def _write_csv(frame: pd.DataFrame, file: Path) -> None:
    file.write_bytes(csv_bytes(frame))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A sheet as CSV the way Excel saves it (UTF-8 with BOM, CRLF), formula-like text neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(frame.columns)
    writer.writerows(_safe_rows(frame.itertuples(index=False, name=None), dates_as_text=True))
    # utf-8-sig so Excel opens accented names correctly; the csv module writes CRLF as Excel does.
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """Sheets as an .xlsx file in memory, formula-like text neutralised."""
    buffer = io.BytesIO()
    write_xlsx(frames, buffer)
    return buffer.getvalue()


def _safe_rows(rows: Iterable[tuple], *, dates_as_text: bool) -> Iterable[list[Any]]:
    for row in rows:
        yield [_safe_cell(value, dates_as_text) for value in row]


def _safe_cell(value: Any, dates_as_text: bool) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat() if dates_as_text else value
    if isinstance(value, float) and value.is_integer():
        # 1234.0 reads back as the same number; written as 1234 it is what a person typed.
        return int(value)
    return value
