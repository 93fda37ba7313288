"""A partnership at the limits a presentation must fit: fifteen priorities with long titles and no short
titles, long commentary, many partners with overdue actions, several districts and a meeting on the day.

Used by the presentation's layout tests and its browser tests (no slide may overflow a 1280x720 screen).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from domain.periods import add_months
from tests.workbooks import frame

D = dt.date
AS_AT = D(2025, 9, 11)  # a meeting date
NEXT_MEETING = D(2025, 12, 11)
DISTRICTS = [
    ("W06000001", "Ynys Môn"),
    ("W06000016", "Rhondda Cynon Taf"),
    ("W06000024", "Merthyr Tudful"),
    ("W06000014", "Bro Morgannwg"),
]
PARTNERS = 12

# Two hundred characters and more, in Welsh and English, as real strategies word their priorities.
LONG_TITLE = (
    "Lleihau trais difrifol a chamfanteisio ar blant a phobl ifanc ym mhob cymuned, including county lines, "
    "cuckooing of vulnerable adults and the criminal exploitation of children missing from home or care"
)
LONG_COMMENTARY = (
    "Gwaith partneriaeth da. The board noted steady progress against most measures but asked for a "
    "recovery plan where the latest quarter fell short of target, a fuller account of the partners' "
    "overdue actions, and an update on the data-sharing agreement with the health board, which is still "
    "awaiting signature by two of the four local authorities. A deep dive is planned for the next meeting."
)


def busy_partnership(priorities: int = 15) -> dict[str, pd.DataFrame]:
    """``priorities`` priorities numbered 1.., each (but the last) with three or four indicators and
    overdue and due-soon actions; the last has neither indicators nor actions."""
    partners = [
        {"code": f"P{n:02d}", "name": f"Cyngor Bwrdeistref Sirol Partner Agency Number {n} and Associates"}
        for n in range(1, PARTNERS + 1)
    ]
    priority_rows, indicators, values, actions, assessments = [], [], [], [], []
    for n in range(1, priorities + 1):
        code = f"p{n:02d}"
        priority_rows.append(
            {"code": code, "number": n, "title": f"{LONG_TITLE} ({n})", "valid_from": D(2020, 4, 1)}
        )
        if n == priorities:
            continue  # tracked by nothing yet: a slide that says so
        assessments.append(
            {
                "priority": code,
                "date": AS_AT,
                "rag": ("red", "amber", "green")[n % 3],
                "commentary": LONG_COMMENTARY,
            }
        )
        for k in range(3 + n % 2):
            indicator = f"{code}-i{k}"
            frequency = ("quarter", "month", "year", "quarter")[k]
            indicators.append(
                {
                    "code": indicator,
                    "priority": code,
                    "name": f"Dangosydd {k + 1}: a long indicator name about exploitation and harm ({n})",
                    "unit": ("count", "percent", "rate", "count")[k],
                    "good_direction": "down" if k != 1 else "up",
                    "frequency": frequency,
                    "target": 100 if k == 0 else None,
                }
            )
            step = {"month": 1, "quarter": 3, "year": 3}[frequency]  # yearly ones are rolling years
            start = D(2021, 1, 1) if frequency != "year" else D(2021, 7, 1)
            period = start
            i = 0
            while add_months(period, 12 if frequency == "year" else step) <= AS_AT:
                for district, _ in DISTRICTS:
                    value = 20 + (i * 7 + n) % 13
                    # Percentages and rates carry what they are made of, so the whole partnership's derive.
                    scale = {1: 100, 2: 100_000}.get(k)
                    parts = {"numerator": value, "denominator": scale} if scale else {}
                    values.append(
                        {"indicator": indicator, "period": period, "district": district, "value": value}
                        | parts
                    )
                period = add_months(period, step)
                i += 1
        for k in range(4):
            owner = partners[(n + k) % PARTNERS]["code"]
            due = AS_AT - dt.timedelta(days=30 * (k + 1)) if k < 2 else AS_AT + dt.timedelta(days=20 * k)
            actions.append(
                {
                    "ref": f"{code.upper()}-{k + 1:02d}",
                    "priority": code,
                    "title": f"Gweithredu: deliver the multi-agency plan for strand {k + 1} across every district "
                    f"and report progress to the board ({n})",
                    "owner": owner,
                    "due_date": due,
                    "status": "at_risk",
                    "district": DISTRICTS[k % len(DISTRICTS)][0] if k % 2 else None,
                    "opened_on": D(2024, 1, 1),
                }
            )
    return {
        "partnership": frame(
            "partnership",
            [
                {
                    "name": "Partneriaeth Diogelwch Cymunedol Cwm Taf Morgannwg a Bro Morgannwg: "
                    "Community Safety Partnership Board",
                    "short_name": "Cwm Taf CSP",
                }
            ],
        ),
        "districts": frame("districts", [{"code": c, "name": name} for c, name in DISTRICTS]),
        "partners": frame("partners", partners),
        "priorities": frame("priorities", priority_rows),
        "indicators": frame("indicators", indicators),
        "indicator_values": frame("indicator_values", values),
        "actions": frame("actions", actions),
        "assessments": frame("assessments", assessments),
        "meetings": frame(
            "meetings",
            [
                {
                    "date": AS_AT,
                    "name": "Bwrdd y Bartneriaeth: quarterly performance and delivery review meeting",
                },
                {"date": NEXT_MEETING, "name": "Bwrdd y Bartneriaeth"},
            ],
        ),
    }
