"""Small hand-made partnerships for tests, as workbook sheets (DataFrames)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.workbook import SHEETS_BY_NAME

D = dt.date


def frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """A sheet with every contract column, blank where a row does not say."""
    columns = SHEETS_BY_NAME[sheet].column_names
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns, dtype=object)


def small_partnership() -> dict[str, pd.DataFrame]:
    """Three districts, two priorities (one retired), indicators of each kind, actions with history."""
    return {
        "partnership": frame(
            "partnership", [{"name": "Shire Community Safety Partnership", "short_name": "Shire CSP"}]
        ),
        "districts": frame(
            "districts",
            [
                {"code": "D1", "name": "Northtown"},
                {"code": "D2", "name": "Southvale"},
                {"code": "D3", "name": "Eastmoor"},
            ],
        ),
        "partners": frame(
            "partners",
            [
                {"code": "POL", "name": "Shire Constabulary", "sector": "Police"},
                {"code": "CC", "name": "Shire County Council", "sector": "Local authority"},
            ],
        ),
        "priorities": frame(
            "priorities",
            [
                {
                    "code": "violence",
                    "number": 1,
                    "title": "Reduce serious violence",
                    "short_title": "Serious violence",
                    "lead_partner": "POL",
                    "valid_from": D(2019, 4, 1),
                },
                {
                    "code": "ict",
                    "number": 2,
                    "title": "Vulnerability through ICT",
                    "valid_from": D(2019, 4, 1),
                    "valid_to": D(2020, 3, 31),
                },
            ],
        ),
        "indicators": frame(
            "indicators",
            [
                {
                    "code": "knife",
                    "priority": "violence",
                    "name": "Knife crime offences",
                    "unit": "count",
                    "good_direction": "down",
                    "frequency": "quarter",
                    "target": 100,
                    "tolerance": 0.1,
                    "source": "Test data",
                },
                {
                    "code": "admissions",
                    "priority": "violence",
                    "name": "Admissions for assault",
                    "unit": "rate",
                    "good_direction": "down",
                    "frequency": "year",
                },
                {
                    "code": "referrals",
                    "priority": "ict",
                    "name": "Online harm referrals",
                    "unit": "count",
                    "good_direction": "none",
                    "frequency": "month",
                },
            ],
        ),
        "indicator_values": frame(
            "indicator_values",
            [
                {"indicator": "knife", "period": D(2024, 4, 1), "value": 30, "district": "D1"},
                {"indicator": "knife", "period": D(2024, 4, 1), "value": 40, "district": "D2"},
                {"indicator": "knife", "period": D(2024, 4, 1), "value": 20, "district": "D3"},
                {"indicator": "knife", "period": D(2024, 7, 1), "value": 35, "district": "D1"},
                {"indicator": "knife", "period": D(2024, 7, 1), "value": 45, "district": "D2"},
                {
                    "indicator": "admissions",
                    "period": D(2023, 4, 1),
                    "value": 50.5,
                    "district": "D1",
                    "numerator": 101,
                    "denominator": 200000,
                },
                {
                    "indicator": "admissions",
                    "period": D(2023, 4, 1),
                    "value": 40.0,
                    "lower_ci": 30.1,
                    "upper_ci": 51.2,
                    "note": "Provisional",
                },
                {"indicator": "referrals", "period": D(2019, 5, 1), "value": 1234},
            ],
        ),
        "actions": frame(
            "actions",
            [
                {
                    "ref": "SV-01",
                    "priority": "violence",
                    "title": "Share A&E data (Cardiff model)",
                    "owner": "POL",
                    "due_date": D(2024, 12, 31),
                    "status": "at_risk",
                    "opened_on": D(2024, 1, 15),
                },
                {
                    "ref": "SV-02",
                    "priority": "violence",
                    "title": "Youth outreach in Northtown",
                    "owner": "CC",
                    "due_date": D(2025, 6, 30),
                    "status": "complete",
                    "district": "D1",
                    "opened_on": D(2024, 2, 1),
                },
            ],
        ),
        "action_updates": frame(
            "action_updates",
            [
                {
                    "ref": "SV-01",
                    "date": D(2024, 3, 1),
                    "status": "on_track",
                    "commentary": "Data sharing agreed.",
                },
                {"ref": "SV-01", "date": D(2024, 9, 1), "status": "at_risk", "commentary": '=HYPERLINK("x")'},
                {"ref": "SV-02", "date": D(2025, 5, 1), "status": "complete", "commentary": "Delivered."},
            ],
        ),
        "assessments": frame(
            "assessments",
            [
                {
                    "priority": "violence",
                    "date": D(2024, 9, 12),
                    "rag": "amber",
                    "commentary": "Good partnership work.",
                }
            ],
        ),
        "meetings": frame(
            "meetings",
            [
                {"date": D(2024, 6, 13), "name": "Strategy Group"},
                {"date": D(2024, 9, 12), "name": "Strategy Group"},
            ],
        ),
    }


def with_rows(frames: dict[str, pd.DataFrame], sheet: str, rows: list[dict]) -> dict[str, pd.DataFrame]:
    """``frames`` with ``rows`` added to ``sheet``."""
    return frames | {sheet: pd.concat([frames[sheet], frame(sheet, rows)], ignore_index=True)}


def tracked_by_actions_only() -> dict[str, pd.DataFrame]:
    """The small partnership plus a new priority with an action but no indicators yet."""
    frames = with_rows(
        small_partnership(),
        "priorities",
        [{"code": "new", "number": 3, "title": "Cyfiawnder i Ynys Môn", "valid_from": D(2024, 4, 1)}],
    )
    return with_rows(
        frames,
        "actions",
        [
            {
                "ref": "NEW-01",
                "priority": "new",
                "title": "Agree a plan",
                "owner": "CC",
                "due_date": D(2025, 3, 31),
                "status": "on_track",
            }
        ],
    )


def district_stopped_reporting() -> dict[str, pd.DataFrame]:
    """Two districts; Southvale stops reporting two quarterly counts, so their latest quarters are
    incomplete and the latest whole-partnership value is older than the latest quarter."""
    both = [("D1", 10), ("D2", 20)]
    values = [
        # "calls": complete in Q1 2024/25 and Q1 2025/26, then only Northtown in Q2 2025/26.
        *({"indicator": "calls", "period": D(2024, 4, 1), "district": d, "value": v} for d, v in both),
        *({"indicator": "calls", "period": D(2025, 4, 1), "district": d, "value": v + 5} for d, v in both),
        {"indicator": "calls", "period": D(2025, 7, 1), "district": "D1", "value": 11},
        # "visits": complete in Q1 2023/24 and Q1 2024/25, then only Northtown for five quarters.
        *({"indicator": "visits", "period": D(2023, 4, 1), "district": d, "value": v} for d, v in both),
        *({"indicator": "visits", "period": D(2024, 4, 1), "district": d, "value": v * 2} for d, v in both),
        *(
            {"indicator": "visits", "period": period, "district": "D1", "value": 9}
            for period in (D(2024, 7, 1), D(2024, 10, 1), D(2025, 1, 1), D(2025, 4, 1), D(2025, 7, 1))
        ),
    ]
    indicator = {"priority": "asb", "unit": "count", "good_direction": "down", "frequency": "quarter"}
    return {
        "districts": frame(
            "districts", [{"code": "D1", "name": "Northtown"}, {"code": "D2", "name": "Southvale"}]
        ),
        "priorities": frame("priorities", [{"code": "asb", "number": 1, "title": "Anti-social behaviour"}]),
        "indicators": frame(
            "indicators",
            [
                indicator | {"code": "calls", "name": "Calls"},
                indicator | {"code": "visits", "name": "Visits"},
            ],
        ),
        "indicator_values": frame("indicator_values", values),
    }


# The two meetings compared in changes_between_meetings(), and the meetings around them.
SPRING_MEETING = D(2025, 3, 13)
SUMMER_MEETING = D(2025, 6, 12)


def changes_between_meetings() -> dict[str, pd.DataFrame]:
    """A partnership in which, between the spring and summer meetings, each kind of change happens
    exactly once for the whole partnership, beside things that must not be listed.

    Between 13 Mar and 12 Jun 2025: the board moves "violence" from amber to red (its one new
    assessment); knife crime (target 100) goes from green (Q3 2024/25: 90) to red (Q4: 130), the one new
    whole-partnership value; VL-DONE is completed on 10 Apr; VL-LATE (due 31 May) becomes overdue;
    VL-NEW opens on 20 Apr, in Southvale. Not changes: VL-EARLY was completed before the spring
    meeting, VL-STALE was already overdue, VL-FUTURE opens after the summer meeting, Q1 2025/26 ends
    after it, the December and July assessments fall outside, and the context-only indicator
    "admissions" has no RAG. In Northtown alone, knife crime goes from green (40) to amber (105).
    """
    on_track = {"status": "on_track"}
    return {
        "partnership": frame("partnership", [{"name": "Vale Community Safety Partnership"}]),
        "districts": frame(
            "districts", [{"code": "D1", "name": "Northtown"}, {"code": "D2", "name": "Southvale"}]
        ),
        "partners": frame(
            "partners",
            [
                {"code": "POL", "name": "Vale Police", "sector": "Police"},
                {"code": "CC", "name": "Vale County Council", "sector": "Local authority"},
            ],
        ),
        "priorities": frame(
            "priorities",
            [
                {
                    "code": "violence",
                    "number": 1,
                    "title": "Reduce serious violence",
                    "short_title": "Violence",
                },
                {"code": "asb", "number": 2, "title": "Tackle anti-social behaviour"},
            ],
        ),
        "indicators": frame(
            "indicators",
            [
                {
                    "code": "knife",
                    "priority": "violence",
                    "name": "Knife crime offences",
                    "unit": "count",
                    "good_direction": "down",
                    "frequency": "quarter",
                    "target": 100,
                    "tolerance": 0.1,
                },
                {
                    "code": "admissions",
                    "priority": "violence",
                    "name": "Admissions for assault",
                    "unit": "count",
                    "good_direction": "none",
                    "frequency": "month",
                },
            ],
        ),
        "indicator_values": frame(
            "indicator_values",
            [
                *(
                    {"indicator": "knife", "period": period, "value": value}
                    for period, value in ((D(2024, 10, 1), 90), (D(2025, 1, 1), 130), (D(2025, 4, 1), 95))
                ),
                *(
                    {"indicator": "knife", "period": period, "value": value, "district": district}
                    for period, district, value in (
                        (D(2024, 10, 1), "D1", 40),
                        (D(2024, 10, 1), "D2", 50),
                        (D(2025, 1, 1), "D1", 105),
                        (D(2025, 1, 1), "D2", 25),
                    )
                ),
                {"indicator": "admissions", "period": D(2025, 2, 1), "value": 12},
                {"indicator": "admissions", "period": D(2025, 7, 1), "value": 14},
            ],
        ),
        "actions": frame(
            "actions",
            [
                {
                    "ref": "VL-DONE",
                    "priority": "violence",
                    "title": "Train door staff",
                    "owner": "CC",
                    "district": "D1",
                    "due_date": D(2025, 9, 30),
                    "opened_on": D(2024, 11, 1),
                    **on_track,
                },
                {
                    "ref": "VL-EARLY",
                    "priority": "violence",
                    "title": "Map hotspots",
                    "owner": "POL",
                    "due_date": D(2025, 3, 31),
                    "opened_on": D(2024, 11, 1),
                    **on_track,
                },
                {
                    "ref": "VL-LATE",
                    "priority": "violence",
                    "title": "Publish the violence plan",
                    "owner": "POL",
                    "due_date": D(2025, 5, 31),
                    "opened_on": D(2024, 11, 1),
                    **on_track,
                },
                {
                    "ref": "VL-STALE",
                    "priority": "violence",
                    "title": "Review CCTV coverage",
                    "owner": "CC",
                    "due_date": D(2025, 1, 31),
                    "opened_on": D(2024, 6, 1),
                    **on_track,
                },
                {
                    "ref": "VL-NEW",
                    "priority": "violence",
                    "title": "Street pastors in Southvale",
                    "owner": "CC",
                    "district": "D2",
                    "due_date": D(2025, 12, 31),
                    "opened_on": D(2025, 4, 20),
                    **on_track,
                },
                {
                    "ref": "VL-FUTURE",
                    "priority": "violence",
                    "title": "Evaluate the plan",
                    "owner": "POL",
                    "due_date": D(2026, 3, 31),
                    "opened_on": D(2025, 7, 1),
                    **on_track,
                },
            ],
        ),
        "action_updates": frame(
            "action_updates",
            [
                {"ref": "VL-DONE", "date": D(2025, 1, 5), "status": "on_track", "commentary": "Booked."},
                {
                    "ref": "VL-DONE",
                    "date": D(2025, 4, 10),
                    "status": "complete",
                    "commentary": "All trained.",
                },
                {"ref": "VL-EARLY", "date": D(2025, 2, 1), "status": "complete", "commentary": "Mapped."},
                {"ref": "VL-LATE", "date": D(2025, 1, 5), "status": "on_track", "commentary": "Drafting."},
                {"ref": "VL-STALE", "date": D(2025, 1, 5), "status": "on_track", "commentary": "Surveying."},
            ],
        ),
        "assessments": frame(
            "assessments",
            [
                {"priority": "violence", "date": D(2024, 12, 1), "rag": "amber", "commentary": "Steady."},
                {
                    "priority": "violence",
                    "date": D(2025, 5, 20),
                    "rag": "red",
                    "commentary": "Knife crime is up.",
                },
                {"priority": "violence", "date": D(2025, 7, 1), "rag": "amber", "commentary": "Recovering."},
            ],
        ),
        "meetings": frame(
            "meetings",
            [
                {"date": D(2024, 12, 5), "name": "Winter board"},
                {"date": SPRING_MEETING, "name": "Spring board"},
                {"date": SUMMER_MEETING, "name": "Summer board"},
                {"date": D(2025, 9, 11), "name": "Autumn board"},
            ],
        ),
    }


def as_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """The sheets as an .xlsx file's bytes, as a spreadsheet program would save them."""
    from data_access.exporter import xlsx_bytes

    return xlsx_bytes(frames)


def as_zip(
    frames: dict[str, pd.DataFrame], *, folder: str = "", extra: dict[str, bytes] | None = None
) -> bytes:
    """The sheets as a .zip of CSV files named after them (inside ``folder``), plus any ``extra`` files."""
    import io
    import zipfile

    from data_access.exporter import csv_bytes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, sheet in frames.items():
            archive.writestr(f"{folder}{name}.csv", csv_bytes(sheet))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()
