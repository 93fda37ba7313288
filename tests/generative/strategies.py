"""Hypothesis strategies for random *valid* partnerships, as workbook sheets (DataFrames).

A partnership is drawn the way real ones differ from the demo: one district or forty; three to fifteen
priorities, some only in force for a while; priorities with no indicators, no actions, or neither;
indicators with no values yet; every unit, good direction and frequency, including calendar,
financial, academic and overlapping rolling years; targets, confidence intervals, numerators and
denominators or none; whole-partnership and district values, with districts missing some periods;
actions with and without a district and updates; no meetings or assessments, or some; Welsh and
accented names and 200-character titles.  Everything stays valid for the workbook contract (unique
codes, resolvable references, period starts valid for the frequency, lower_ci <= upper_ci,
denominator > 0), so an import always succeeds and any failure is the dashboard's.

Bulk numbers come from a Hypothesis-controlled ``random.Random`` so a forty-district partnership
does not need thousands of separate draws.
"""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
from hypothesis import strategies as st

from domain.periods import add_months
from domain.vocabulary import ActionStatus, BoardRag, GoodDirection
from tests.workbooks import frame

D = dt.date

# Every date a partnership holds falls in these years, so "before any data" and "after everything"
# are fixed dates the tests can use.
FIRST_DAY = D(2021, 1, 1)
LAST_DAY = D(2027, 12, 31)
BEFORE_ANY_DATA = D(2020, 6, 30)
AFTER_EVERYTHING = D(2031, 1, 1)

PLACES = (
    "Ynys Môn",
    "Rhondda Cynon Taf",
    "Merthyr Tudful",
    "Bro Morgannwg",
    "Sir Gâr",
    "Pen-y-bont ar Ogwr",
    "Château-Gontier",
    "Ŵyr",
    "Caerffili",
    "Wrecsam",
    "Pen-y-bont",
    "Sir Ddinbych",
    "Powys",
    "Blaenau Gwent",
    "Torfaen",
    "Ceredigion",
)
WORDS = (
    "reduce",
    "serious",
    "violence",
    "domestic",
    "abuse",
    "exploitation",
    "county",
    "lines",
    "trais",
    "difrifol",
    "cam-drin",
    "domestig",
    "ŵyr",
    "ŷd",
    "â",
    "ê",
    "î",
    "ô",
    "û",
    "ï",
    "ë",
    "Môn",
    "Gâr",
    "café",
    "naïve",
    "A&E",
    "partners'",
)
UNITS = ("count", "rate", "percent", "days")
# Months a yearly indicator's years may start on: calendar, financial, academic, and any other.
YEAR_START_MONTHS = (1, 4, 9, 7, 10)
TITLE_MAX = 200


def _trimmed(text: str) -> str:
    """Text as the importer keeps it: surrounding spaces removed."""
    return text.strip()


@st.composite
def titles(draw, *, max_size: int = TITLE_MAX) -> str:
    """A title of Welsh, accented and English words; sometimes exactly ``max_size`` characters."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    text = " ".join(words)
    if draw(st.integers(0, 3)) == 0:
        while len(text) < max_size:
            text += " " + " ".join(words)
        text = text[:max_size].rstrip()
        text += "ŵ" * (max_size - len(text))
    return _trimmed(text[:max_size]) or "ŷ"


@st.composite
def district_counts(draw) -> int:
    """One, forty, or a few: the extremes are drawn often so they are always tried."""
    return draw(st.one_of(st.just(1), st.just(40), st.integers(1, 6)))


@st.composite
def priority_counts(draw) -> int:
    return draw(st.one_of(st.just(3), st.just(15), st.integers(3, 7)))


def _month_start(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    months = (last.year - first.year) * 12 + last.month - first.month
    return add_months(first.replace(day=1), rng.randint(0, months))


def _day(rng: random.Random, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


@st.composite
def period_starts(draw, frequency: str) -> list[dt.date]:
    """The periods an indicator has values for (possibly none): consecutive, with some gaps."""
    count = draw(st.integers(0, 8))
    if count == 0:
        return []
    if frequency == "month":
        first, step = draw(st.dates(D(2022, 1, 1), D(2025, 6, 1))).replace(day=1), 1
    elif frequency == "quarter":
        first = D(draw(st.integers(2022, 2025)), draw(st.sampled_from((1, 4, 7, 10))), 1)
        step = 3
    else:
        kind = draw(st.sampled_from(("fixed", "rolling")))
        first = D(draw(st.integers(2021, 2024)), draw(st.sampled_from(YEAR_START_MONTHS)), 1)
        # Rolling years published every quarter overlap: 1 Jan, 1 Apr, 1 Jul, 1 Oct for one indicator.
        step = 3 if kind == "rolling" else 12
        if kind == "rolling":
            count = draw(st.integers(4, 9))
    starts = [add_months(first, step * i) for i in range(count)]
    gaps = draw(st.sets(st.integers(0, count - 1), max_size=count // 3))
    return [start for i, start in enumerate(starts) if i not in gaps]


def _value_row(rng, indicator: dict, period: dt.date, district: str | None, with_ratio, with_ci) -> dict:
    unit = indicator["unit"]
    row = {"indicator": indicator["code"], "period": period, "district": district}
    if unit == "count":
        row["value"] = rng.choice((0, rng.randint(0, 40), rng.randint(0, 5000)))
    elif with_ratio:
        denominator = rng.randint(1, 250_000)
        numerator = rng.randint(0, max(1, denominator // 5))
        scale = {"rate": 100_000, "percent": 100}.get(unit, 1)
        row |= {
            "numerator": numerator,
            "denominator": denominator,
            "value": round(numerator / denominator * scale, 2),
        }
    else:
        row["value"] = round(rng.uniform(0, 120), rng.choice((0, 1, 2)))
    if with_ci:
        row["lower_ci"] = round(row["value"] - rng.uniform(0, 15), 2)
        row["upper_ci"] = round(row["value"] + rng.uniform(0, 15), 2)
    return row


@st.composite
def indicator_values(draw, indicator: dict, district_codes: list[str]) -> list[dict]:
    """Values of one indicator: whole partnership, districts, or both; some districts missing."""
    starts = draw(period_starts(indicator["frequency"]))
    if not starts:
        return []
    scope = draw(st.sampled_from(("whole", "districts", "both")))
    with_ratio = indicator["unit"] != "count" and draw(st.booleans())
    with_ci = draw(st.booleans())
    rng = draw(st.randoms(use_true_random=False))
    # Sometimes a district stops reporting for good, leaving the latest periods incomplete.
    dropout = draw(st.one_of(st.none(), st.tuples(st.sampled_from(district_codes), st.sampled_from(starts))))
    rows = []
    for period in starts:
        if scope in ("whole", "both") and (scope == "whole" or rng.random() < 0.5):
            rows.append(_value_row(rng, indicator, period, None, with_ratio, with_ci))
        if scope in ("districts", "both"):
            # Most periods are complete; some miss a district or several.
            missing = (
                set()
                if rng.random() < 0.6
                else set(rng.sample(district_codes, rng.randint(1, 3) if len(district_codes) > 3 else 1))
            )
            rows.extend(
                _value_row(rng, indicator, period, code, with_ratio, with_ci)
                for code in district_codes
                if code not in missing and not (dropout and code == dropout[0] and period >= dropout[1])
            )
    return rows


@st.composite
def indicators(draw, priority_code: str, index: int) -> dict:
    frequency = draw(st.sampled_from(("month", "quarter", "year")))
    unit = draw(st.sampled_from(UNITS))
    target = draw(st.one_of(st.none(), st.just(0), st.integers(1, 5000)))
    return {
        "code": f"{priority_code}-i{index}",
        "priority": priority_code,
        "name": draw(titles(max_size=120)),
        "unit": unit,
        "good_direction": draw(st.sampled_from(GoodDirection.codes())),
        "frequency": frequency,
        "target": target,
        "tolerance": draw(st.sampled_from((None, 0, 0.05, 0.1))),
        "source": draw(st.one_of(st.none(), st.sampled_from(PLACES))),
    }


@st.composite
def actions(draw, priority_code: str, index: int, partner_codes, district_codes) -> tuple[dict, list[dict]]:
    """One action and its dated updates (possibly none)."""
    rng = draw(st.randoms(use_true_random=False))
    ref = f"{priority_code.upper()}-{index:02d}"
    opened_on = draw(st.one_of(st.none(), st.dates(FIRST_DAY, D(2025, 12, 31))))
    action = {
        "ref": ref,
        "priority": priority_code,
        "title": draw(titles()),
        "owner": rng.choice(partner_codes),
        "due_date": _day(rng),
        "status": draw(st.sampled_from(ActionStatus.codes())),
        "district": draw(st.one_of(st.none(), st.sampled_from(district_codes))),
        "opened_on": opened_on,
    }
    update_days = draw(st.sets(st.dates(FIRST_DAY, LAST_DAY), max_size=3))
    updates = [
        {
            "ref": ref,
            "date": day,
            "status": rng.choice(ActionStatus.codes()),
            "commentary": rng.choice((None, "Wedi'i gwblhau.", "Progress at Château-Gontier ŵ ŷ.")),
        }
        for day in sorted(update_days)
    ]
    return action, updates


@st.composite
def priorities(draw, index: int, partner_codes) -> dict:
    code = f"p{index:02d}"
    window = draw(st.sampled_from(("always", "from", "to", "between")))
    valid_from = draw(st.dates(D(2019, 1, 1), D(2026, 1, 1))) if window in ("from", "between") else None
    valid_to = draw(st.dates(D(2022, 1, 1), D(2028, 1, 1))) if window in ("to", "between") else None
    if valid_from and valid_to and valid_to < valid_from:
        valid_from, valid_to = valid_to, valid_from
    return {
        "code": code,
        "number": index + 1,
        "title": draw(titles()),
        "short_title": draw(st.one_of(st.none(), titles(max_size=60))),
        "lead_partner": draw(st.one_of(st.none(), st.sampled_from(partner_codes))),
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


@st.composite
def partnerships(draw) -> dict[str, pd.DataFrame]:
    """A random valid partnership as workbook sheets (sheet name -> DataFrame of contract columns)."""
    n_districts = draw(district_counts())
    district_codes = [f"W06{i:06d}" for i in range(1, n_districts + 1)]
    districts = [
        {
            "code": code,
            "name": f"{PLACES[i % len(PLACES)]}" + (f" {i // len(PLACES) + 1}" if i >= len(PLACES) else ""),
        }
        for i, code in enumerate(district_codes)
    ]
    partner_codes = [f"PT{i}" for i in range(draw(st.integers(1, 4)))]
    partners = [
        {"code": code, "name": f"Partner {PLACES[i]}", "sector": None} for i, code in enumerate(partner_codes)
    ]

    priority_rows, indicator_rows, value_rows, action_rows, update_rows, assessment_rows = (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    for index in range(draw(priority_counts())):
        priority = draw(priorities(index, partner_codes))
        priority_rows.append(priority)
        # Indicators, actions, both or neither: a new priority is often tracked by its actions only.
        has = draw(st.sampled_from(("neither", "indicators", "actions", "both", "both")))
        if has in ("indicators", "both"):
            for i in range(draw(st.integers(1, 2))):
                indicator = draw(indicators(priority["code"], i))
                indicator_rows.append(indicator)
                value_rows.extend(draw(indicator_values(indicator, district_codes)))
        if has in ("actions", "both"):
            for j in range(draw(st.integers(1, 3))):
                action, updates = draw(actions(priority["code"], j, partner_codes, district_codes))
                action_rows.append(action)
                update_rows.extend(updates)
        for day in sorted(draw(st.sets(st.dates(FIRST_DAY, LAST_DAY), max_size=2))):
            assessment_rows.append(
                {
                    "priority": priority["code"],
                    "date": day,
                    "rag": draw(st.sampled_from(BoardRag.codes())),
                    "commentary": draw(st.one_of(st.none(), titles())),
                }
            )
    meetings = [
        {"date": day, "name": "Bwrdd Diogelwch Cymunedol"}
        for day in sorted(draw(st.sets(st.dates(FIRST_DAY, LAST_DAY), max_size=3)))
    ]
    # A partnership that has named itself, with or without a short name, or one that has not yet.
    named = draw(
        st.one_of(
            st.just([]),
            st.builds(
                lambda name, short: [{"name": name, "short_name": short}],
                titles(),
                st.one_of(st.none(), titles(max_size=40)),
            ),
        )
    )
    return {
        "partnership": frame("partnership", named),
        "districts": frame("districts", districts),
        "partners": frame("partners", partners),
        "priorities": frame("priorities", priority_rows),
        "indicators": frame("indicators", indicator_rows),
        "indicator_values": frame("indicator_values", value_rows),
        "actions": frame("actions", action_rows),
        "action_updates": frame("action_updates", update_rows),
        "assessments": frame("assessments", assessment_rows),
        "meetings": frame("meetings", meetings),
    }
