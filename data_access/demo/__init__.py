"""The demonstration partnership: a complete partnership workbook kept as CSV files in ``workbook/``.

It is loaded by the same importer as any user's workbook (``data_access.bootstrap.load_demo``) and is the
worked example a new partnership can copy.  Only ``workbook/indicator_values.csv`` is generated, by
``python -m data_access.demo.generate`` from ``series.csv``; see README.md in this folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
WORKBOOK_DIR = DEMO_DIR / "workbook"

# The demonstration's "now": progress updates run to this date; the last board meeting is 12 November 2026.
AS_OF = dt.date(2026, 11, 15)
