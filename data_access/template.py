"""An empty partnership workbook to fill in: every sheet's headers, and a guide to every column.

``python -m data_access template PATH`` writes it: an ``.xlsx`` file when PATH ends so, otherwise a folder
of CSV files.  Everything it says comes from the contract in :mod:`data_access.workbook`, so the template
and the importer cannot disagree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data_access.exporter import write_frames
from data_access.workbook import GUIDE_SHEET, SHEETS

GUIDE_COLUMNS = ["sheet", "column", "required", "allowed values", "description", "example"]
# Characters, for the guide's columns in Excel; long descriptions wrap instead of stretching the sheet.
_GUIDE_WIDTHS = {
    "sheet": 18,
    "column": 16,
    "required": 10,
    "allowed values": 44,
    "description": 80,
    "example": 30,
}
_MAX_WIDTH = 60


def guide_frame() -> pd.DataFrame:
    """One row per sheet (its purpose, column left blank) followed by one row per column, in contract order."""
    rows: list[list[str]] = []
    for sheet in SHEETS:
        rows.append([sheet.name, "", "", "", sheet.description, ""])
        for column in sheet.columns:
            rows.append(
                [
                    sheet.name,
                    column.name,
                    "yes" if column.required else "no",
                    column.allowed_values(),
                    column.description,
                    column.example,
                ]
            )
    return pd.DataFrame(rows, columns=GUIDE_COLUMNS, dtype=object)


def template_frames() -> dict[str, pd.DataFrame]:
    """Every sheet of the contract with its headers and no rows, then the guide."""
    frames = {sheet.name: pd.DataFrame(columns=sheet.column_names, dtype=object) for sheet in SHEETS}
    frames[GUIDE_SHEET] = guide_frame()
    return frames


def write_template(path: str | Path) -> Path:
    """Write the template to ``path`` (``.xlsx`` when it ends so, else a folder of CSVs); return the path."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path)
    else:
        write_frames(template_frames(), path)
    return path


def _write_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    examples = {sheet.name: {c.name: c.example for c in sheet.columns} for sheet in SHEETS}
    for name, frame in template_frames().items():
        worksheet = workbook.create_sheet(title=name)
        worksheet.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            worksheet.append(list(row))
        worksheet.freeze_panes = "A2"  # the header stays in view while scrolling
        for index, header in enumerate(frame.columns, start=1):
            worksheet.cell(row=1, column=index).font = Font(bold=True)
            if name == GUIDE_SHEET:
                width = _GUIDE_WIDTHS[header]
            else:
                width = min(_MAX_WIDTH, max(len(header), len(examples[name][header])) + 4)
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if name == GUIDE_SHEET:
            for cells in worksheet.iter_rows(min_row=2):
                for cell in cells:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if not cells[1].value:  # a sheet's own row: its name and purpose
                    cells[0].font = Font(bold=True)
    workbook.save(path)
