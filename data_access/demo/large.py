"""A synthetic partnership far bigger than any real one, to measure the dashboard at county scale.

``python -m data_access demo --scale large`` loads it: 40 districts (some Welsh), 65 partner agencies,
12 priorities, 400 indicators with about 3 million values (mostly monthly from January 2010, district by
district), 20,000 actions with about 100,000 progress updates, quarterly board meetings and the board's
assessments. Every figure and name is invented (the partnership is labelled "synthetic data"); the
priorities, agencies and action wording follow the same public documents as the demo partnership.

It is a workbook like any other: ``workbook()`` returns its sheets as DataFrames and
``data_access.bootstrap.install_demo(scale="large")`` hands them to the importer, so it is validated and
bulk-loaded by the same path as a user's upload. Generation is vectorised (numpy) and deterministic: one
seeded random stream and no reference to today, so every build holds the same data. Its "now" is the demo
partnership's, 15 November 2026, so its latest monthly values are for October 2026.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data_access.demo import AS_OF
from data_access.workbook import SHEETS_BY_NAME
from domain.periods import (
    Frequency,
    financial_year_label,
    financial_year_start_year,
    period_end,
    period_start_containing,
    periods_between,
    previous_period_start,
)

if TYPE_CHECKING:
    from data_access.config import Settings
    from data_access.importer import ImportSummary

SEED = 20100101
PARTNERSHIP_NAME = "Marchmoor and Gwenfro Community Safety Partnership (synthetic data)"
PARTNERSHIP_SHORT_NAME = "Marchmoor & Gwenfro CSP (synthetic)"
SOURCE = "Synthetic data for testing at scale (not real figures)"


@dataclass(frozen=True)
class Size:
    """How big to make it; ``FULL`` is the large partnership, smaller sizes are for tests."""

    districts: int = 40
    indicators: int = 400
    first_year: int = 2010  # values run from January of this year to the last period ended by AS_OF
    actions: int = 20_000
    updates_per_action: float = 5.0  # on average, each action has between 1 and 9 updates


FULL = Size()


# ---------------------------------------------------------------------------------------------------------
# Names: invented, in the style of an English shire county with Welsh neighbours.

_ENGLISH_DISTRICTS = (
    "Ashcombe", "Barrowfield", "Brackenridge", "Calder Vale", "Chalkbourne", "Coldharbour", "Dunmere",
    "Eastholt", "Elmstead Heath", "Fenwold", "Foxley Downs", "Greystone", "Hartwell", "Hazelmere Vale",
    "Holmbury", "Kingsford", "Langdon Marsh", "Lowmoor", "Marchbury", "Millbrook and Oakley", "Netherwood",
    "North Tarrant", "Oakenshaw", "Pennock", "Queensmead", "Redbourne Valley", "Saltmarsh", "Stowe Wold",
    "Thornbury Fields", "Upton Marsh", "Wealdon", "Westmarch",
)  # fmt: skip
_WELSH_DISTRICTS = (
    "Ynys Wên", "Aberllwyd", "Dyffryn Tawel", "Caerhedyn", "Llanfair Glyn", "Bro Gwenfro", "Pen-y-Fâl",
    "Cwm Tŷ Gwyn",
)  # fmt: skip

# (code, name, sector); district councils are added for every district.
_AGENCIES = (
    ("MGP", "Marchmoor and Gwenfro Police", "Police"),
    ("OPCC", "Office of the Police and Crime Commissioner for Marchmoor and Gwenfro", "Police and crime commissioner"),
    ("MGFRS", "Marchmoor and Gwenfro Fire and Rescue Service", "Fire and rescue"),
    ("MCC", "Marchmoor County Council", "Local authority"),
    ("MCC-CS", "Marchmoor County Council Children's Services", "Local authority"),
    ("MCC-AS", "Marchmoor County Council Adult Social Care", "Local authority"),
    ("MCC-TS", "Marchmoor Trading Standards", "Local authority"),
    ("MCC-PH", "Public Health Marchmoor", "Health"),
    ("ICB", "NHS Marchmoor Integrated Care Board", "Health"),
    ("GUHB", "Gwenfro University Health Board", "Health"),
    ("PHW", "Public Health Wales (Gwenfro team)", "Health"),
    ("PS", "Probation Service, Marchmoor and Gwenfro", "Probation"),
    ("YJS", "Marchmoor Youth Justice Service", "Local authority"),
    ("VRU", "Marchmoor and Gwenfro Violence Reduction Unit", "Partnership"),
    ("HMP", "HMP Marchmoor", "Prisons"),
    ("DWP", "Department for Work and Pensions (Marchmoor)", "Central government"),
    ("WA", "Marchmoor Women's Aid", "Voluntary sector"),
    ("VS", "Victim Support (Marchmoor and Gwenfro)", "Voluntary sector"),
    ("CAB", "Citizens Advice Marchmoor", "Voluntary sector"),
    ("CVS", "Gwenfro Council for Voluntary Service", "Voluntary sector"),
    ("TCS", "The Children's Society (Marchmoor project)", "Voluntary sector"),
    ("CS", "Crimestoppers (Marchmoor and Gwenfro)", "Voluntary sector"),
    ("HA", "Marchmoor Housing Partnership", "Housing"),
    ("BTP", "British Transport Police (Marchmoor)", "Police"),
    ("NCA", "National Crime Agency liaison", "Police"),
)  # fmt: skip
# The agencies that own most actions, with their weights; district councils share the rest.
_MAIN_OWNERS = {
    "MGP": 8,
    "MCC": 3,
    "MCC-CS": 3,
    "MCC-PH": 2,
    "VRU": 3,
    "PS": 2,
    "YJS": 2,
    "MGFRS": 2,
    "ICB": 2,
}

# Twelve priorities: (code, action-ref prefix, title, short title, lead partner, in force from, measures).
# A measure is (name, unit, good direction); each is also reported for groups of people and places (_FACETS).
_PRIORITIES = (
    ("county-lines", "CL", "Tackle county lines and the criminal exploitation of children", "County lines and exploitation", "MCC-CS", date(2010, 1, 1), (
        ("Children referred as at risk of criminal exploitation", "count", "up"),
        ("Missing episodes of children", "count", "down"),
        ("Cuckooing incidents", "count", "down"),
        ("Drug supply offences", "count", "none"),
        ("Children in care reported missing", "rate", "down"),
        ("Return home interviews within 72 hours", "percent", "up"),
        ("Partner intelligence submissions", "count", "up"),
    )),
    ("serious-violence", "SV", "Reduce serious violence, including knife crime affecting young people", "Serious violence", "VRU", date(2010, 1, 1), (
        ("Knife crime offences", "count", "down"),
        ("Violence with injury", "rate", "down"),
        ("Hospital admissions for assault with a sharp object", "rate", "down"),
        ("Robbery offences", "count", "down"),
        ("Possession of weapons offences", "count", "none"),
        ("Emergency department attendances for assault", "count", "down"),
        ("Young people completing a diversion programme", "percent", "up"),
    )),
    ("domestic-abuse", "DA", "Protect victims of domestic abuse and hold perpetrators to account", "Domestic abuse", "MCC-AS", date(2010, 1, 1), (
        ("Domestic abuse incidents", "count", "none"),
        ("Domestic abuse crimes", "rate", "down"),
        ("Repeat referrals to MARAC", "percent", "down"),
        ("Domestic abuse crimes with an arrest", "percent", "up"),
        ("Protection orders granted", "count", "up"),
        ("Victims supported by an IDVA", "count", "up"),
        ("Stalking and harassment offences", "count", "down"),
    )),
    ("vawg", "VW", "End violence against women and girls", "Violence against women, girls", "OPCC", date(2021, 4, 1), (
        ("Sexual offences", "rate", "down"),
        ("Rape offences charged", "percent", "up"),
        ("Women who feel safe walking alone after dark", "percent", "up"),
        ("Reports of spiking", "count", "down"),
        ("Public sexual harassment reports", "count", "down"),
        ("Night-time economy venues accredited", "count", "up"),
    )),
    ("prevent", "PR", "Stop people being drawn into terrorism and radical extremism", "Radicalisation and extremism", "MGP", date(2010, 1, 1), (
        ("Prevent referrals", "count", "none"),
        ("Channel cases adopted", "count", "none"),
        ("Front-line staff trained in Prevent", "count", "up"),
        ("Referrals assessed within ten working days", "percent", "up"),
        ("Online extremist content referrals", "count", "none"),
        ("Local situation risk assessments completed", "percent", "up"),
    )),
    ("asb", "AS", "Reduce anti-social behaviour and the harm it does to victims", "Anti-social behaviour", "MCC", date(2010, 1, 1), (
        ("Anti-social behaviour incidents", "rate", "down"),
        ("Criminal damage offences", "count", "down"),
        ("Fly-tipping incidents", "count", "down"),
        ("Deliberate fires", "count", "down"),
        ("Community protection warnings issued", "count", "none"),
        ("Repeat anti-social behaviour callers", "percent", "down"),
        ("Community trigger reviews completed on time", "percent", "up"),
    )),
    ("hate-cohesion", "HC", "Build cohesive communities and tackle hate crime", "Hate crime and cohesion", "OPCC", date(2010, 1, 1), (
        ("Racially or religiously aggravated offences", "count", "none"),
        ("Hate crimes with a positive outcome", "percent", "up"),
        ("Residents who say people from different backgrounds get on well", "percent", "up"),
        ("Third-party hate reports", "count", "up"),
        ("Community tension reports", "count", "none"),
        ("Hate incidents against disabled people", "count", "down"),
    )),
    ("drugs-alcohol", "DR", "Reduce the harm caused by drugs and alcohol", "Drugs and alcohol harm", "MCC-PH", date(2010, 1, 1), (
        ("Alcohol-related hospital admissions", "rate", "down"),
        ("Drug-related deaths", "count", "down"),
        ("Adults in drug treatment", "count", "up"),
        ("Successful completions of drug treatment", "percent", "up"),
        ("Naloxone kits issued", "count", "up"),
        ("Drug possession offences", "count", "none"),
        ("Drink-drive offences", "count", "down"),
    )),
    ("reoffending", "RO", "Reduce reoffending and the number of first-time entrants", "Reoffending", "PS", date(2010, 1, 1), (
        ("Proven reoffending", "percent", "down"),
        ("First-time entrants to the youth justice system", "rate", "down"),
        ("People on integrated offender management", "count", "none"),
        ("People housed on release from prison", "percent", "up"),
        ("People in work six weeks after release", "percent", "up"),
        ("Recalls to custody", "count", "down"),
    )),
    ("road-safety", "RS", "Make roads safer for everyone who uses them", "Road safety", "MGFRS", date(2012, 4, 1), (
        ("People killed or seriously injured on the roads", "count", "down"),
        ("Speeding complaints", "count", "down"),
        ("Road traffic collisions attended", "count", "down"),
        ("Uninsured vehicles seized", "count", "up"),
        ("Casualties per billion vehicle miles", "rate", "down"),
        ("Community speed watch sessions held", "count", "up"),
    )),
    ("fraud-cyber", "FC", "Protect people from fraud, scams and online harm", "Fraud and online harm", "MCC-TS", date(2015, 4, 1), (
        ("Fraud reports", "rate", "down"),
        ("Cyber crime reports", "count", "down"),
        ("Doorstep crime victims supported", "count", "up"),
        ("Scam calls blocked", "count", "up"),
        ("Online child sexual abuse referrals", "count", "none"),
        ("Fraud victims contacted within 48 hours", "percent", "up"),
    )),
    ("modern-slavery", "MS", "Identify and support victims of modern slavery and human trafficking", "Modern slavery", "MGP", date(2016, 4, 1), (
        ("National Referral Mechanism referrals", "count", "none"),
        ("Modern slavery offences", "count", "none"),
        ("Labour exploitation visits", "count", "up"),
        ("Victims supported into safe accommodation", "percent", "up"),
        ("Staff trained to spot the signs", "count", "up"),
        ("Modern slavery cases with a charge", "percent", "up"),
    )),
)  # fmt: skip
_FACETS = ("", "under 18s", "18 to 24", "25 to 64", "65 and over", "rural areas")

# Action titles per priority prefix.
_ACTION_STEMS = {
    "CL": ("Deliver county lines awareness training to front-line staff", "Embed the partner intelligence referral form",
           "Agree safeguarding plans for children at risk of exploitation", "Map county lines activity with neighbouring forces",
           "Run return home interviews for every missing child", "Disrupt cuckooing at addresses of concern"),
    "SV": ("Share emergency department assault data (Cardiff model)", "Run knife crime education in secondary schools",
           "Expand the youth diversion programme", "Fund detached youth work in hot-spot areas",
           "Install knife surrender bins", "Agree a trauma-informed approach to stop and search of under-25s"),
    "DA": ("Recommission independent domestic violence advisers", "Train GP practices in domestic abuse referral",
           "Launch a perpetrator behaviour change programme", "Review the MARAC process", "Open a second refuge",
           "Publish a domestic homicide review action plan"),
    "VW": ("Accredit night-time economy venues in safety at night", "Run a bystander intervention campaign",
           "Light and cover dark routes identified by women", "Train licensed door staff in spotting predatory behaviour",
           "Fund specialist sexual violence advisers", "Review how rape reports are handled"),
    "PR": ("Deliver Prevent awareness training to partner staff", "Share counter-terrorism local profiles with partners",
           "Complete local situation risk assessments", "Review Channel panel arrangements",
           "Support schools with online radicalisation guidance", "Test the community tension monitoring process"),
    "AS": ("Introduce a single anti-social behaviour case management system", "Hold community trigger reviews within 28 days",
           "Run a fly-tipping enforcement campaign", "Target deliberate fire setting with youth engagement",
           "Agree a public spaces protection order", "Set up neighbourhood problem-solving panels"),
    "HC": ("Open third-party hate crime reporting centres", "Run a hate crime awareness week",
           "Train staff to record hate incidents consistently", "Fund community cohesion grants",
           "Publish a community tension dashboard for partners", "Work with faith leaders on reassurance"),
    "DR": ("Increase naloxone distribution through pharmacies", "Recommission adult drug and alcohol treatment",
           "Run a drug-related death review panel", "Offer treatment to everyone leaving prison with a drug need",
           "Launch an alcohol identification and brief advice programme", "Introduce a drug testing on arrest scheme"),
    "RO": ("Expand integrated offender management", "Find accommodation for people leaving prison",
           "Set up an employment hub for people on probation", "Run a youth out-of-court disposal panel",
           "Agree a women's diversion scheme", "Review recall decisions with probation"),
    "RS": ("Run community speed watch in rural villages", "Deliver young driver education in colleges",
           "Target drink and drug driving over Christmas", "Improve collision hot-spot junctions",
           "Run a motorcycle safety campaign", "Seize uninsured vehicles through joint operations"),
    "FC": ("Install call blockers for vulnerable residents", "Train bank staff to spot scams (banking protocol)",
           "Run a doorstep crime rapid response service", "Deliver online safety sessions for older people",
           "Share fraud intelligence with trading standards", "Contact every fraud victim within 48 hours"),
    "MS": ("Train front-line staff to spot signs of modern slavery", "Run joint labour exploitation visits",
           "Agree a modern slavery pathway with housing", "Review National Referral Mechanism decisions",
           "Check supply chains in council contracts", "Fund safe accommodation for victims"),
}  # fmt: skip

_COMMENTARY = {
    "not_started": ("Not yet started: waiting for the lead officer to be appointed.", "Start delayed until funding is confirmed.",
                    "Scoping meeting booked with partners."),
    "on_track": ("On track: milestones for the quarter met.", "Partners met and agreed the next steps.",
                 "Progress as planned; first results shared with the board.", "Delivery under way in every district.",
                 "Funding confirmed and staff in post."),
    "at_risk": ("At risk: a key post is vacant.", "Some milestones slipped because of staff absence.",
                "Data sharing agreement still unsigned by one partner.", "Demand higher than planned; capacity stretched."),
    "off_track": ("Off track: funding withdrawn for this year.", "Work paused while the service is recommissioned.",
                  "Partner capacity too low to deliver; recovery plan requested by the board."),
    "complete": ("Complete: delivered as planned.", "Complete: evaluation shared with the board.",
                 "Complete, later than planned; lessons recorded."),
    "cancelled": ("Cancelled: superseded by a county-wide approach.", "Cancelled by the board after funding ended."),
}  # fmt: skip

_ASSESSMENT_COMMENTARY = {
    "green": ("Good progress: indicators improving and actions on track.", "Most actions delivered; keep under review.",
              "Partners report the improvement has held this quarter."),
    "amber": ("Mixed picture: some indicators improving, others not.", "Several actions at risk; the lead partner to report back.",
              "Demand rising faster than capacity; partners asked to review resources."),
    "red": ("Indicators worsening and key actions off track.", "Escalated: the board asked for a recovery plan.",
            "Funding gap puts delivery at risk; raised with the commissioner."),
}  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# The workbook


def workbook(size: Size = FULL) -> dict[str, pd.DataFrame]:
    """Every sheet of the large partnership's workbook, in the contract's column order."""
    rng = np.random.default_rng(SEED)
    districts = _districts(size, rng)
    partners = _partners(districts)
    priorities = _priorities()
    indicators, models = _indicators(size, rng, districts)
    values = _values(size, rng, districts, indicators, models)
    actions, updates = _actions(size, rng, districts, partners)
    meetings = _meetings(size)
    assessments = _assessments(rng, priorities, meetings)
    sheets = {
        "partnership": pd.DataFrame({"name": [PARTNERSHIP_NAME], "short_name": [PARTNERSHIP_SHORT_NAME]}),
        "districts": districts[["code", "name"]],
        "partners": partners,
        "priorities": priorities,
        "indicators": indicators,
        "indicator_values": values,
        "actions": actions,
        "action_updates": updates,
        "assessments": assessments,
        "meetings": meetings,
    }
    return {name: sheet.reindex(columns=SHEETS_BY_NAME[name].column_names) for name, sheet in sheets.items()}


def district_codes(size: Size = FULL) -> set[str]:
    """The large partnership's district codes (cheap: nothing else is generated)."""
    return set(_districts(size, np.random.default_rng(SEED))["code"])


def priority_codes() -> set[str]:
    """The large partnership's priority codes."""
    return {code for code, *_ in _PRIORITIES}


def install(settings: Settings | None = None) -> ImportSummary:
    """Load the large partnership into the configured database (DATABASE_URL), as
    ``python -m data_access demo --scale large`` does; refuses a database holding another partnership."""
    from data_access.bootstrap import install_demo

    return install_demo(settings, scale="large")


def write_indicator_values_workbook(folder: str | Path, rows: int, size: Size = FULL) -> Path:
    """Write a CSV workbook whose ``indicator_values.csv`` holds exactly ``rows`` values, for measuring
    import throughput, with the districts, priorities and indicators sheets the values refer to.

    The values are the large partnership's first ``rows``, indicator by indicator (rates and percentages
    with numerators and denominators, surveys with confidence intervals, a few notes), so importing it into
    an empty database, or again over itself, is a realistic bulk load.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sheets = workbook(size)
    values = sheets["indicator_values"]
    if rows > len(values):
        raise ValueError(f"the large partnership has {len(values):,} values; {rows:,} were asked for")
    values = values.iloc[:rows]
    indicators = sheets["indicators"][sheets["indicators"]["code"].isin(values["indicator"].unique())]
    priorities = sheets["priorities"][sheets["priorities"]["code"].isin(indicators["priority"].unique())]
    priorities = priorities.assign(lead_partner=None)  # the partners sheet is not written
    for name, sheet in (
        ("districts", sheets["districts"]),
        ("priorities", priorities),
        ("indicators", indicators),
        ("indicator_values", values),
    ):
        sheet.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return folder


# ---------------------------------------------------------------------------------------------------------
# Districts, partners, priorities


def _districts(size: Size, rng: np.random.Generator) -> pd.DataFrame:
    welsh = round(size.districts * len(_WELSH_DISTRICTS) / (len(_ENGLISH_DISTRICTS) + len(_WELSH_DISTRICTS)))
    welsh = min(max(welsh, 1), len(_WELSH_DISTRICTS), size.districts - 1)
    english = size.districts - welsh
    if english > len(_ENGLISH_DISTRICTS):
        raise ValueError(f"at most {len(_ENGLISH_DISTRICTS) + len(_WELSH_DISTRICTS)} districts")
    names = [*_ENGLISH_DISTRICTS[:english], *_WELSH_DISTRICTS[:welsh]]
    codes = [f"E07{900001 + i}" for i in range(english)] + [f"W06{900001 + i}" for i in range(welsh)]
    population = np.round(rng.lognormal(np.log(110_000), 0.4, len(names)), -2)
    return pd.DataFrame({"code": codes, "name": names, "population": population})


def _partners(districts: pd.DataFrame) -> pd.DataFrame:
    councils = [
        (
            f"DC-{code}",
            f"{name} {'Council' if code.startswith('W') else 'District Council'}",
            "Local authority",
        )
        for code, name in zip(districts["code"], districts["name"], strict=True)
    ]
    return pd.DataFrame([*_AGENCIES, *councils], columns=["code", "name", "sector"])


def _priorities() -> pd.DataFrame:
    rows = [
        {
            "code": code,
            "number": number,
            "title": title,
            "short_title": short_title,
            "description": f"Synthetic priority {number} of the large test partnership: {short_title.lower()}.",
            "lead_partner": lead,
            "valid_from": start.isoformat(),
        }
        for number, (code, _, title, short_title, lead, start, _) in enumerate(_PRIORITIES, start=1)
    ]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------------
# Indicators and how each one's values are modelled

# The kinds of series, with the share of indicators each takes (the rest are monthly, district by
# district); a whole-partnership survey is a percentage with a confidence interval and no district values.
_SPECIAL_MODELS = (
    ("whole_survey", "percent", "month", 15),
    ("whole_calendar_year", "percent", "year", 3),
    ("rolling_year", "count", "year", 4),
    ("financial_year", "rate", "year", 3),
    ("quarterly", "count", "quarter", 12),
    ("quarterly", "rate", "quarter", 8),
)


def _indicators(
    size: Size, rng: np.random.Generator, districts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicators sheet, and per indicator how its values are modelled."""
    candidates = []
    for code, _, _, _, _, _, measures in _PRIORITIES:
        for facet in _FACETS:
            for name, unit, direction in measures:
                label = f"{name}: {facet}" if facet else name
                candidates.append((code, label, unit, direction, _code(name, facet)))
    # Take indicators round-robin over the priorities, so each has its share.
    by_priority: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for candidate in candidates:
        by_priority.setdefault(candidate[0], []).append(candidate)
    chosen: list[tuple[str, str, str, str, str]] = []
    while len(chosen) < size.indicators:
        progressed = False
        for queue in by_priority.values():
            if queue and len(chosen) < size.indicators:
                chosen.append(queue.pop(0))
                progressed = True
        if not progressed:
            raise ValueError(f"at most {len(candidates)} indicators")
    frame = pd.DataFrame(chosen, columns=["priority", "name", "unit", "good_direction", "code"])
    count = len(frame)

    model = np.full(count, "monthly", dtype=object)
    frequency = np.full(count, "month", dtype=object)
    for kind, unit, kind_frequency, per_400 in _SPECIAL_MODELS:
        wanted = max(1, round(per_400 * count / 400)) if count >= 40 else 1
        free = np.flatnonzero((model == "monthly") & (frame["unit"].to_numpy() == unit))
        picked = rng.choice(free, size=min(wanted, len(free)), replace=False)
        model[picked] = kind
        frequency[picked] = kind_frequency
    frame["frequency"] = frequency
    unit = frame["unit"].to_numpy()

    # Levels: counts per 100,000 residents a month, rates per 100,000 a month, percentages.
    level = np.where(
        unit == "count",
        rng.lognormal(np.log(12), 0.9, count),
        np.where(unit == "rate", rng.lognormal(np.log(40), 0.7, count), rng.uniform(25, 85, count)),
    )
    models = pd.DataFrame(
        {
            "model": model,
            "level": level,
            "trend": rng.normal(0.0, 0.03, count),  # a year: a fraction, or percentage points / 10
            "season": rng.uniform(0.0, 0.2, count),
            "peak_month": rng.integers(1, 13, count),
            "covid": rng.random(count) < 0.4,  # a dip from April to June 2020
            "sample": rng.uniform(40, 400, count),  # a percentage's denominator per district per period
        }
    )

    # Targets for some indicators that have a direction: near the level expected at the end, so that
    # some are met, some nearly met and some missed.
    expected_end = _expected_level(models, unit, districts, years=(AS_OF.year - 2018))
    has_target = (frame["good_direction"].to_numpy() != "none") & (rng.random(count) < 0.35)
    target = np.where(has_target, expected_end * rng.uniform(0.85, 1.15, count), np.nan)
    frame["target"] = np.where(unit == "count", np.round(target), np.round(target, 1))
    frame["tolerance"] = np.where(has_target & (rng.random(count) < 0.3), 0.1, np.nan)
    frame["source"] = SOURCE
    frame["description"] = [
        f"{name}, {'per 100,000 residents' if u == 'rate' else 'as a percentage' if u == 'percent' else 'a count'}; "
        f"{'whole partnership only' if m.startswith('whole') else 'by district'}."
        for name, u, m in zip(frame["name"], unit, model, strict=True)
    ]
    return frame, models


def _expected_level(
    models: pd.DataFrame, unit: np.ndarray, districts: pd.DataFrame, years: int
) -> np.ndarray:
    """Roughly the whole-partnership value an indicator's model gives ``years`` after 2018."""
    growth = (1 + models["trend"].to_numpy()) ** years
    per_period = np.where(models["model"].isin(["rolling_year", "financial_year"]), 12, 1)
    per_period = np.where(models["model"] == "quarterly", 3, per_period)
    total_population = districts["population"].sum()
    count_level = models["level"].to_numpy() * total_population / 100_000 * per_period * growth
    rate_level = models["level"].to_numpy() * per_period * growth
    percent_level = np.clip(models["level"].to_numpy() + 10 * models["trend"].to_numpy() * years, 2, 98)
    return np.where(unit == "count", count_level, np.where(unit == "rate", rate_level, percent_level))


def _code(measure: str, facet: str) -> str:
    """A URL-safe code of at most 60 characters (the column's width), unique per measure and facet."""
    suffix = f"-{_slug(facet)}" if facet else ""
    return _slug(measure)[: 60 - len(suffix)].rstrip("-") + suffix


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------------------------------------------------
# Values


def _latest_ended(start: date, step: Frequency, covers: Frequency) -> date:
    """Step back from ``start`` a period of ``step`` at a time to the first period covering ``covers``
    that has ended by AS_OF (a period counts once it has ended)."""
    while period_end(start, covers) > AS_OF:
        start = previous_period_start(start, step)
    return start


def _series_periods(size: Size, model: str) -> tuple[list[date], int]:
    """The period starts of a model's series, from January of the first year, and months per period."""
    first = date(size.first_year, 1, 1)
    if model in ("monthly", "whole_survey"):
        return periods_between(
            first, _latest_ended(period_start_containing(AS_OF, "month"), "month", "month"), "month"
        ), 1
    quarter = period_start_containing(AS_OF, "quarter")
    if model == "quarterly":
        return periods_between(first, _latest_ended(quarter, "quarter", "quarter"), "quarter"), 3
    if model == "rolling_year":  # years ending every quarter, as the ONS publishes recorded crime
        return periods_between(first, _latest_ended(quarter, "quarter", "year"), "quarter"), 12
    month = 4 if model == "financial_year" else 1
    last = _latest_ended(date(AS_OF.year, month, 1), "year", "year")
    return periods_between(date(size.first_year, month, 1), last, "year"), 12


def _values(
    size: Size,
    rng: np.random.Generator,
    districts: pd.DataFrame,
    indicators: pd.DataFrame,
    models: pd.DataFrame,
) -> pd.DataFrame:
    """Every indicator's values, sorted by indicator (in sheet order), period and district."""
    parts = []
    for model in (
        "monthly",
        "quarterly",
        "rolling_year",
        "financial_year",
        "whole_survey",
        "whole_calendar_year",
    ):
        chosen = np.flatnonzero(models["model"].to_numpy() == model)
        if not chosen.size:
            continue
        periods, months = _series_periods(size, model)
        series = _SeriesGroup(indicators.iloc[chosen], models.iloc[chosen], chosen, periods, months)
        parts.append(
            _whole_values(rng, series)
            if model.startswith("whole")
            else _district_values(rng, series, districts)
        )
    values = pd.concat(parts, ignore_index=True)
    order = np.argsort(values.pop("order").to_numpy(), kind="stable")
    return values.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class _SeriesGroup:
    """Indicators whose values share periods: their rows of the sheet, their models, their positions."""

    indicators: pd.DataFrame
    models: pd.DataFrame
    positions: np.ndarray
    periods: list[date]
    months: int  # months per period

    @property
    def years(self) -> np.ndarray:
        """Each period's start in years since 2018 (where trends are anchored)."""
        return np.array([(p.year - 2018) + (p.month - 1) / 12 for p in self.periods])

    @property
    def period_text(self) -> np.ndarray:
        return np.array([p.isoformat() for p in self.periods], dtype=object)

    def time_factors(self) -> np.ndarray:
        """Trend, season and the spring 2020 dip for each (indicator, period)."""
        models = self.models
        trend = (1 + models["trend"].to_numpy()[:, None]) ** self.years[None, :]
        season = np.ones_like(trend)
        if self.months == 1:
            month = np.array([p.month for p in self.periods])
            phase = 2 * np.pi * (month[None, :] - models["peak_month"].to_numpy()[:, None]) / 12
            season = 1 + models["season"].to_numpy()[:, None] * np.cos(phase)
        lockdown = np.array([date(2020, 4, 1) <= p <= date(2020, 6, 1) for p in self.periods]) & (
            self.months == 1
        )
        dip = np.where(models["covid"].to_numpy()[:, None] & lockdown[None, :], 0.7, 1.0)
        return trend * season * dip


def _district_values(rng: np.random.Generator, series: _SeriesGroup, districts: pd.DataFrame) -> pd.DataFrame:
    """Counts; rates per 100,000 residents; percentages: each with the numerator and denominator it is
    worked out from, so the whole partnership's value can be derived."""
    count, n_periods, n_districts = len(series.indicators), len(series.periods), len(districts)
    shape = (count, n_periods, n_districts)
    unit = series.indicators["unit"].to_numpy()[:, None, None]
    level = series.models["level"].to_numpy()[:, None, None]
    population = districts["population"].to_numpy()[None, None, :]
    years = series.years[None, :, None]
    # Each district runs a little above or below the county on each indicator.
    local = rng.lognormal(0.0, 0.25, (count, 1, n_districts))

    mean = level * population / 100_000 * series.months * series.time_factors()[:, :, None] * local
    events = rng.poisson(np.broadcast_to(mean, shape)).astype("float64")
    residents = np.broadcast_to(np.round(population * 1.005**years), shape)
    trend = series.models["trend"].to_numpy()[:, None, None]
    share = np.clip(level / 100 * local + trend * years / 10, 0.02, 0.98)
    sample = series.models["sample"].to_numpy()[:, None, None] * series.months
    asked = np.maximum(1, rng.poisson(np.broadcast_to(sample, shape))).astype("float64")
    agreed = rng.binomial(asked.astype("int64"), np.broadcast_to(share, shape)).astype("float64")

    is_count, is_rate = unit == "count", unit == "rate"
    value = np.where(
        is_count,
        events,
        np.where(is_rate, np.round(events / residents * 100_000, 1), np.round(agreed / asked * 100, 1)),
    )
    numerator = np.where(is_count, np.nan, np.where(is_rate, events, agreed))
    denominator = np.where(is_count, np.nan, np.where(is_rate, residents, asked))

    # Occasional missing district months; and for a few counts the latest period lacks a district, so the
    # whole partnership's latest value cannot be derived.
    keep = rng.random(shape) >= 0.0025
    late = np.flatnonzero((rng.random(count) < 0.05) & (unit[:, 0, 0] == "count"))
    keep[late, -1, rng.integers(0, n_districts, len(late))] = False
    kept = np.flatnonzero(keep.reshape(-1))
    i, p, d = np.unravel_index(kept, shape)
    note = np.full(len(kept), None, dtype=object)
    note[(p == n_periods - 1) & (unit[i, 0, 0] == "rate")] = "Provisional"
    return pd.DataFrame(
        {
            "indicator": series.indicators["code"].to_numpy(dtype=object)[i],
            "period": series.period_text[p],
            "value": value.reshape(-1)[kept],
            "district": districts["code"].to_numpy(dtype=object)[d],
            "lower_ci": np.nan,
            "upper_ci": np.nan,
            "numerator": numerator.reshape(-1)[kept],
            "denominator": denominator.reshape(-1)[kept],
            "note": pd.Series(note, dtype=object),
            "order": series.positions[i],
        }
    )


def _whole_values(rng: np.random.Generator, series: _SeriesGroup) -> pd.DataFrame:
    """A survey percentage for the whole partnership, with its 95% confidence interval."""
    count, n_periods = len(series.indicators), len(series.periods)
    level = series.models["level"].to_numpy()[:, None] / 100
    trend = series.models["trend"].to_numpy()[:, None]
    share = np.clip(level + trend * series.years[None, :] / 10, 0.02, 0.98)
    respondents = np.broadcast_to(np.round(rng.uniform(800, 2500, (count, 1))), (count, n_periods))
    observed = rng.binomial(respondents.astype("int64"), share) / respondents
    margin = 1.96 * np.sqrt(observed * (1 - observed) / respondents)
    i, p = np.unravel_index(np.arange(count * n_periods), (count, n_periods))
    blank = pd.Series(None, index=range(len(i)), dtype=object)
    return pd.DataFrame(
        {
            "indicator": series.indicators["code"].to_numpy(dtype=object)[i],
            "period": series.period_text[p],
            "value": np.round(observed * 100, 1).reshape(-1),
            "district": blank,
            "lower_ci": np.round((observed - margin) * 100, 1).reshape(-1),
            "upper_ci": np.round((observed + margin) * 100, 1).reshape(-1),
            "numerator": np.nan,
            "denominator": np.nan,
            "note": blank,
            "order": series.positions[i],
        }
    )


# ---------------------------------------------------------------------------------------------------------
# Actions and their progress updates


def _actions(
    size: Size, rng: np.random.Generator, districts: pd.DataFrame, partners: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Actions spread over the priorities and years, about a third of them local to a district, and their
    dated progress updates: the latest update's status is the action's status."""
    count = size.actions
    today = AS_OF.toordinal()
    priority = rng.permutation(np.arange(count) % len(_PRIORITIES))
    prefix = np.array([p[1] for p in _PRIORITIES], dtype=object)[priority]
    number = pd.Series(priority).groupby(priority).cumcount().to_numpy() + 1
    in_force = np.array([max(p[5], date(size.first_year, 1, 1)).toordinal() for p in _PRIORITIES])[priority]
    opened = in_force + np.floor(rng.random(count) * (today - 30 - in_force)).astype("int64")
    due = opened + rng.integers(60, 731, count)

    # Statuses: most actions due in the past are closed, some are overdue; the rest are in progress.
    roll = rng.random(count)
    past = due < today
    status = np.select(
        [past & (roll < 0.72), past & (roll < 0.8), past & (roll < 0.88), past & (roll < 0.95), past],
        ["complete", "cancelled", "at_risk", "off_track", "on_track"],
        default=np.select(
            [roll < 0.08, roll < 0.6, roll < 0.8, roll < 0.9],
            ["not_started", "on_track", "at_risk", "off_track"],
            "complete",
        ),
    ).astype(object)

    local = rng.random(count) < 0.35
    district = rng.integers(0, len(districts), count)
    district_code = np.where(local, districts["code"].to_numpy(dtype=object)[district], None)
    owners = np.array([*_MAIN_OWNERS, *(f"DC-{code}" for code in districts["code"])], dtype=object)
    weights = np.array([*_MAIN_OWNERS.values(), *([0.5] * len(districts))], dtype="float64")
    owner = rng.choice(owners, size=count, p=weights / weights.sum())
    owner = np.where(
        local & (rng.random(count) < 0.5), "DC-" + districts["code"].to_numpy(dtype=object)[district], owner
    )

    stem = rng.integers(0, 6, count)
    opened_dates = [date.fromordinal(int(day)) for day in opened]
    titles = [
        f"{_ACTION_STEMS[code][index]} in {districts['name'].iat[place]}"
        if is_local
        else f"{_ACTION_STEMS[code][index]} ({financial_year_label(financial_year_start_year(day))})"
        for code, index, is_local, place, day in zip(prefix, stem, local, district, opened_dates, strict=True)
    ]
    actions = pd.DataFrame(
        {
            "ref": [f"{code}-{n:05d}" for code, n in zip(prefix, number, strict=True)],
            "priority": np.array([p[0] for p in _PRIORITIES], dtype=object)[priority],
            "title": titles,
            "owner": owner,
            "due_date": _iso_days(due),
            "status": status,
            "district": pd.Series(district_code, dtype=object),
            "description": [
                f"Agreed in {day:%B %Y}; the owner reports progress to the board each quarter."
                for day in opened_dates
            ],
            "opened_on": _iso_days(opened),
        }
    )
    actions = actions.iloc[np.lexsort((number, priority))].reset_index(drop=True)
    return actions, _updates(size, rng, actions)


def _updates(size: Size, rng: np.random.Generator, actions: pd.DataFrame) -> pd.DataFrame:
    """Between one and nine updates per action, on distinct days from the day after it opened to its last
    update: the day it closed, or a recent one for an action still open."""
    count = len(actions)
    today = AS_OF.toordinal()
    opened = np.array([date.fromisoformat(day).toordinal() for day in actions["opened_on"]])
    due = np.array([date.fromisoformat(day).toordinal() for day in actions["due_date"]])
    status = actions["status"].to_numpy(dtype=object)
    closed = np.isin(status, ["complete", "cancelled"])
    last = np.where(
        closed, np.minimum(due + rng.integers(-30, 60, count), today), today - rng.integers(0, 21, count)
    )
    per_action = 1 + rng.binomial(8, (size.updates_per_action - 1) / 8, count)
    span = last - opened  # at least 9 days, as actions open at least 30 days before AS_OF and run 60 or more
    per_action = np.minimum(per_action, span)

    action = np.repeat(np.arange(count), per_action)
    first = np.cumsum(per_action) - per_action
    position = np.arange(len(action)) - first[action]
    # Strictly increasing days: cumulative random gaps scaled to the span, plus the update's position.
    gaps = rng.exponential(size=len(action))
    running = np.cumsum(gaps)
    running -= np.repeat(running[first] - gaps[first], per_action)
    fraction = running / np.repeat(running[first + per_action - 1], per_action)
    day = (
        opened[action]
        + 1
        + np.floor(fraction * (span[action] - per_action[action])).astype("int64")
        + position
    )

    final = position == per_action[action] - 1
    earlier = rng.choice(
        np.array(["on_track", "at_risk", "off_track", "not_started"], dtype=object),
        size=len(action),
        p=[0.6, 0.25, 0.1, 0.05],
    )
    update_status = np.where(final | (status[action] == "not_started"), status[action], earlier)
    pick = rng.integers(0, 1_000, len(action))
    commentary = [_COMMENTARY[s][k % len(_COMMENTARY[s])] for s, k in zip(update_status, pick, strict=True)]
    return pd.DataFrame(
        {
            "ref": actions["ref"].to_numpy(dtype=object)[action],
            "date": _iso_days(day),
            "status": update_status,
            "commentary": commentary,
        }
    )


def _meetings(size: Size) -> pd.DataFrame:
    """The board meets quarterly, on the second Thursday of February, May, August and November."""
    dates = []
    for year in range(size.first_year, AS_OF.year + 1):
        for month in (2, 5, 8, 11):
            first = date(year, month, 1)
            meeting = first + timedelta(days=(3 - first.weekday()) % 7 + 7)
            if meeting <= AS_OF:
                dates.append(meeting)
    return pd.DataFrame(
        {
            "date": [d.isoformat() for d in dates],
            "name": "Marchmoor and Gwenfro Community Safety Partnership Board",
        }
    )


def _assessments(rng: np.random.Generator, priorities: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    """The board's RAG for most priorities in force at most meetings."""
    rows = []
    for meeting in meetings["date"]:
        for code, start in zip(priorities["code"], priorities["valid_from"], strict=True):
            if start <= meeting and rng.random() < 0.8:
                rag = rng.choice(["green", "amber", "red"], p=[0.3, 0.5, 0.2])
                comment = _ASSESSMENT_COMMENTARY[rag][int(rng.integers(0, 3))]
                rows.append({"priority": code, "date": meeting, "rag": rag, "commentary": comment})
    return pd.DataFrame(rows, columns=["priority", "date", "rag", "commentary"])


def _iso_days(ordinals: np.ndarray) -> np.ndarray:
    """Day numbers (date.toordinal) as ISO dates, converting each distinct day once."""
    distinct, inverse = np.unique(ordinals, return_inverse=True)
    text = np.array([date.fromordinal(int(day)).isoformat() for day in distinct], dtype=object)
    return text[inverse.reshape(-1)]
