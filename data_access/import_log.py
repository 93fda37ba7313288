"""Reading the import log: every import that wrote to the database, newest first.

Imports record themselves (``importer.record_import``), in their own transaction.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import ImportedSheet, ImportRecord

IMPORT_LOG_COLUMNS = [
    "id",
    "imported_at",
    "imported_by",
    "channel",
    "file_name",
    "sha256",
    "sheets",
    "inserted",
    "updated",
    "unchanged",
]
IMPORT_LOG_SHEET_COLUMNS = [
    "import_id",
    "imported_at",
    "imported_by",
    "channel",
    "file_name",
    "sha256",
    "sheet",
    "inserted",
    "updated",
    "unchanged",
]


def import_log_sheets(session: Session, *, limit: int | None = None) -> pd.DataFrame:
    """One row per sheet of every import (IMPORT_LOG_SHEET_COLUMNS), newest import first, its sheets in
    the order it wrote them; ``limit`` keeps the newest imports only.  ``imported_at`` is a timezone-aware
    UTC timestamp; ``channel`` a domain.vocabulary.ImportChannel code; ``file_name`` and ``sha256`` may
    be None (data that was never a file)."""
    newest = select(ImportRecord.id).order_by(ImportRecord.imported_at.desc(), ImportRecord.id.desc())
    if limit is not None:
        newest = newest.limit(limit)
    imports = newest.subquery()
    statement = (
        select(
            ImportRecord.id.label("import_id"),
            ImportRecord.imported_at,
            ImportRecord.imported_by,
            ImportRecord.channel,
            ImportRecord.file_name,
            ImportRecord.sha256,
            ImportedSheet.sheet,
            ImportedSheet.inserted,
            ImportedSheet.updated,
            ImportedSheet.unchanged,
        )
        .join(imports, imports.c.id == ImportRecord.id)
        .outerjoin(ImportedSheet, ImportedSheet.import_id == ImportRecord.id)
        .order_by(ImportRecord.imported_at.desc(), ImportRecord.id.desc(), ImportedSheet.id)
    )
    result = session.execute(statement)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["imported_at"] = pd.to_datetime(frame["imported_at"], utc=True)
    for column in ("inserted", "updated", "unchanged"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame[IMPORT_LOG_SHEET_COLUMNS]


def import_log(session: Session, *, limit: int | None = None) -> pd.DataFrame:
    """One row per import (IMPORT_LOG_COLUMNS), newest first: ``sheets`` names the sheets it held, in the
    order written, and the counts add up over them."""
    per_sheet = import_log_sheets(session, limit=limit)
    if per_sheet.empty:
        return pd.DataFrame(columns=IMPORT_LOG_COLUMNS)
    grouped = per_sheet.groupby("import_id", sort=False, dropna=False)
    first = grouped[["imported_at", "imported_by", "channel", "file_name", "sha256"]].first()
    totals = grouped[["inserted", "updated", "unchanged"]].sum()
    sheets = grouped["sheet"].agg(lambda names: ", ".join(name for name in names if isinstance(name, str)))
    log = first.join(totals).assign(sheets=sheets).reset_index(names="id")
    return log[IMPORT_LOG_COLUMNS]
