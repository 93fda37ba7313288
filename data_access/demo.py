"""The demonstration partnership: Hampshire's community safety workbook, built in memory.

``build_demo_workbook()`` returns one DataFrame per sheet of the partnership workbook, in the same shape a
user's upload has, so the importer validates and loads it exactly like a real file.

Where the content comes from
----------------------------
* Priorities, partners, actions and the board's commentary follow five public documents kept as seeds:
  the Hampshire Partnership minutes of 21 March 2019 (the eight 2019 priorities, county lines presentation),
  Hampshire County Council's Cabinet report of 24 November 2020 on the Hampshire Community Safety Strategy
  Group (the seven 2020 priorities, paragraph numbers quoted below as "Cabinet para N"), an LGA board item on
  county lines, the Cambridgeshire Police and Crime Panel report of October 2019 and Essex County Council's
  scrutiny of drug gangs, knife crime and county lines (April 2019).  Actions are what those documents say
  partners committed to; owners, dates, statuses and progress notes are invented for the demonstration.
* Indicator values are demonstration data.  Where a real official figure exists for a district its LEVEL
  anchors the series: police recorded crime for the year ending June 2025 (ONS Table C2, by Community
  Safety Partnership) and alcohol-related hospital admissions (OHID Fingertips indicator 93764).  Trends,
  seasonality, Covid-19 effects and noise are modelled, and every indicator's ``source`` says so.

Everything is deterministic: one fixed seed, a separate random stream per indicator and per action, and no
reference to today's date (the demonstration's "now" is mid-November 2026).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from domain.periods import Frequency, add_months, months_in, periods_between

SEED = 20190311  # the day the Strategy Group agreed its 2019 Strategic Assessment

# The demonstration's "now": progress updates run to this date; the last board meeting is 12 November 2026.
AS_OF = date(2026, 11, 15)
FIRST_PERIOD = date(2018, 4, 1)
# The last complete period of each frequency before November 2026.
LAST_PERIOD: dict[Frequency, date] = {
    "month": date(2026, 10, 1),
    "quarter": date(2026, 7, 1),  # Q2 2026/27
    "year": date(2025, 4, 1),  # 2025/26
}
# Retired 2019 priorities were measured over their own life: 2018/19 and 2019/20.
RETIRED_LAST_PERIOD: dict[Frequency, date] = {
    "month": date(2020, 3, 1),
    "quarter": date(2020, 1, 1),
    "year": date(2019, 4, 1),
}

# Every column of every sheet, in the contract's order.
COLUMNS: dict[str, list[str]] = {
    "districts": ["code", "name"],
    "partners": ["code", "name", "sector"],
    "priorities": [
        "code", "number", "title", "short_title", "description", "lead_partner", "valid_from", "valid_to",
    ],
    "indicators": [
        "code", "priority", "name", "unit", "good_direction", "frequency", "target", "tolerance", "source",
        "description",
    ],
    "indicator_values": [
        "indicator", "period", "value", "district", "lower_ci", "upper_ci", "numerator", "denominator",
        "note",
    ],
    "actions": [
        "ref", "priority", "title", "owner", "due_date", "status", "district", "description", "opened_on",
    ],
    "action_updates": ["ref", "date", "status", "commentary"],
    "assessments": ["priority", "date", "rag", "commentary"],
    "meetings": ["date", "name"],
}  # fmt: skip

# ------------------------------------------------------------------------------------------------------------
# Districts: Hampshire's eleven district and borough councils, keyed by ONS local authority code.
# ------------------------------------------------------------------------------------------------------------
DISTRICTS: list[tuple[str, str]] = [
    ("E07000084", "Basingstoke and Deane"),
    ("E07000085", "East Hampshire"),
    ("E07000086", "Eastleigh"),
    ("E07000087", "Fareham"),
    ("E07000088", "Gosport"),
    ("E07000089", "Hart"),
    ("E07000090", "Havant"),
    ("E07000091", "New Forest"),
    ("E07000092", "Rushmoor"),
    ("E07000093", "Test Valley"),
    ("E07000094", "Winchester"),
]
DISTRICT_CODE = {name: code for code, name in DISTRICTS}

# ------------------------------------------------------------------------------------------------------------
# Partners: the bodies the seeds name.  HCSSG membership from Cabinet para 5; district councils and the fire
# service from the March 2019 attendance list; the voluntary sector from Cabinet paras 35-36; the Children's
# Society from the LGA item.  The Community Rehabilitation Company and the National Probation Service were
# unified into the Probation Service in June 2021.
# ------------------------------------------------------------------------------------------------------------
PARTNERS: list[tuple[str, str, str]] = [
    ("HCC", "Hampshire County Council", "Local authority"),
    ("HCC-AHC", "Hampshire County Council Adults' Health and Care", "Local authority"),
    ("HCC-CS", "Hampshire County Council Children's Services", "Local authority"),
    ("HCC-PH", "Public Health Hampshire", "Health"),
    ("HCC-YOT", "Hampshire Youth Offending Team", "Youth justice"),
    ("HCC-TS", "Hampshire Trading Standards", "Local authority"),
    ("HCC-EP", "Hampshire County Council Emergency Planning", "Local authority"),
    ("HC", "Hampshire Constabulary", "Police"),
    ("HFRS", "Hampshire Fire and Rescue Service", "Fire"),
    ("OPCC", "Office of the Police and Crime Commissioner for Hampshire and the Isle of Wight", "PCC"),
    ("VRU", "Hampshire Violence Reduction Unit", "Partnership"),
    ("NPS", "National Probation Service (Probation Service from June 2021)", "Probation"),
    ("CRC", "Hampshire and Isle of Wight Community Rehabilitation Company", "Probation"),
    ("HMP-WIN", "HMP Winchester", "Prison"),
    ("LCJB", "Hampshire and Isle of Wight Local Criminal Justice Board", "Criminal justice"),
    ("CCG", "Hampshire Clinical Commissioning Group Partnership", "Health"),
    ("NHS-AE", "NHS acute trusts (emergency departments)", "Health"),
    ("SCAS", "South Central Ambulance Service", "Health"),
    ("CMP", "Civilian Military Partnership", "Partnership"),
    ("CFW", "Communities First Wessex", "Voluntary"),
    ("CAH", "Citizens Advice Hampshire", "Voluntary"),
    ("TCS", "The Children's Society", "Voluntary"),
    ("UOW", "University of Winchester", "Education"),
    ("BDBC", "Basingstoke and Deane Borough Council", "Local authority"),
    ("EHDC", "East Hampshire District Council", "Local authority"),
    ("EBC", "Eastleigh Borough Council", "Local authority"),
    ("FBC", "Fareham Borough Council", "Local authority"),
    ("GBC", "Gosport Borough Council", "Local authority"),
    ("HDC", "Hart District Council", "Local authority"),
    ("HBC", "Havant Borough Council", "Local authority"),
    ("NFDC", "New Forest District Council", "Local authority"),
    ("RBC", "Rushmoor Borough Council", "Local authority"),
    ("TVBC", "Test Valley Borough Council", "Local authority"),
    ("WCC", "Winchester City Council", "Local authority"),
]

# ------------------------------------------------------------------------------------------------------------
# Priorities.  2019: the eight agreed in the Strategic Assessment on 11 March 2019 (minutes, 21 March 2019,
# item 2).  2020: the seven of the Community Safety Agreement as updated for 2020-21 (Cabinet paras 6-42).
# Continuing priorities keep one row so their history is unbroken; titles use the current (2020) wording.
# ------------------------------------------------------------------------------------------------------------
AGREEMENT_2019 = date(2019, 3, 11)
AGREEMENT_2020 = date(2020, 4, 1)
RETIRED_ON = date(2020, 3, 31)

PRIORITIES: list[dict[str, object]] = [
    {
        "code": "county-lines",
        "number": 1,
        "title": "The threat of serious organised crime, especially related to the exploitation of children, "
        "including 'county lines' gangs",
        "short_title": "County lines and exploitation",
        "description": "Agreed in March 2019 as 'county lines gangs, serious organised crime and child "
        "exploitation' and kept as priority 1 in 2020. Enforcement against drug networks (Operation "
        "Monument), safeguarding exploited children and vulnerable adults (the Willow Team), and prevention.",
        "lead_partner": "HCC-CS",
        "valid_from": AGREEMENT_2019,
        "valid_to": None,
    },
    {
        "code": "online-vulnerability",
        "number": 2,
        "title": "The increase in vulnerability through information and communications technology and media "
        "channels",
        "short_title": "Online and media vulnerability",
        "description": "2019 priority: the internet is a key thematic threat that helps perpetrators exploit "
        "children. Retired from the agreement in April 2020, when serious violence took its place; online "
        "exploitation work continues under county lines and exploitation.",
        "lead_partner": "HC",
        "valid_from": AGREEMENT_2019,
        "valid_to": RETIRED_ON,
    },
    {
        "code": "serious-violence",
        "number": 2,
        "title": "The increase in serious violence including knife crime affecting young people",
        "short_title": "Serious violence, knife crime",
        "description": "New in 2020, after the Serious Violence Problem Profile and the Violence Reduction "
        "Unit's Response Plan were added to the agreement and approved by the OPCC and the Home Office in "
        "February 2020. The VRU is led by the Director of Public Health.",
        "lead_partner": "VRU",
        "valid_from": AGREEMENT_2020,
        "valid_to": None,
    },
    {
        "code": "mental-health-da-aces",
        "number": 3,
        "title": "The interconnected impacts of mental ill-health, substance misuse, domestic abuse and "
        "adverse childhood experiences",
        "short_title": "Mental health, drugs, DA, ACEs",
        "description": "2019 wording: 'the interconnectedness and impact of mental ill-health, substance "
        "misuse, domestic abuse and adverse childhood experiences'. Overseen through the Mental Wellbeing "
        "Executive, the Domestic Abuse Executive and the Trauma Informed Approaches Board.",
        "lead_partner": "HCC-PH",
        "valid_from": AGREEMENT_2019,
        "valid_to": None,
    },
    {
        "code": "radical-extremism",
        "number": 4,
        "title": "The threat of radical extremism",
        "short_title": "Radical extremism",
        "description": "2019 wording: 'the continuing threat of radical extremism'. Delivered through the "
        "Prevent Partnership Board and the Channel panel, with local situation risk assessments in each "
        "district.",
        "lead_partner": "HCC",
        "valid_from": AGREEMENT_2019,
        "valid_to": None,
    },
    {
        "code": "inclusion-cohesion",
        "number": 5,
        "title": "Ensuring inclusion and cohesion in a changing society",
        "short_title": "Inclusion and cohesion",
        "description": "2019 wording: 'the changing demographics of our communities and the importance of "
        "promoting inclusion and community cohesion'. Shares intelligence on tensions and public perceptions "
        "with the Strategic and Tactical Co-ordinating Groups.",
        "lead_partner": "HCC",
        "valid_from": AGREEMENT_2019,
        "valid_to": None,
    },
    {
        "code": "voluntary-capacity",
        "number": 6,
        "title": "The capacity challenges of voluntary support for vulnerable people",
        "short_title": "Voluntary sector capacity",
        "description": "2019 wording: 'the risks facing the capacity of voluntary support services for "
        "vulnerable people'. Set as a key risk because of austerity; Covid-19 added new pressures on the "
        "sector's resilience and on volunteers.",
        "lead_partner": "HCC",
        "valid_from": AGREEMENT_2019,
        "valid_to": None,
    },
    {
        "code": "positive-activities",
        "number": 7,
        "title": "Creating opportunities for all children to engage in positive activities and to build "
        "aspiration",
        "short_title": "Children's positive activities",
        "description": "2019 wording: 'the importance of engaging all children in positive activities and "
        "building aspiration'. Led by Children's Services; includes school attendance, exclusions and "
        "holiday activities.",
        "lead_partner": "HCC-CS",
        "valid_from": AGREEMENT_2019,
        "valid_to": None,
    },
    {
        "code": "scarce-resources",
        "number": 8,
        "title": "Alignment of scarce resources to focus on vulnerability and repeat victimisation",
        "short_title": "Resources to repeat victims",
        "description": "2019 priority. Retired in April 2020; repeat victimisation is now tracked within the "
        "domestic abuse and exploitation priorities.",
        "lead_partner": "OPCC",
        "valid_from": AGREEMENT_2019,
        "valid_to": RETIRED_ON,
    },
]

# ------------------------------------------------------------------------------------------------------------
# Real figures that anchor the levels of the demonstration series.
# ------------------------------------------------------------------------------------------------------------
# Resident population, all ages: the denominators of OHID Fingertips indicator 93764 for 2023/24 (ONS mid-year
# estimates).  Grown or shrunk by 0.7% a year for other periods.
POPULATION_2023: dict[str, int] = {
    "E07000084": 190198, "E07000085": 128440, "E07000086": 140950, "E07000087": 114155,
    "E07000088": 82385, "E07000089": 101542, "E07000090": 125682, "E07000091": 175398,
    "E07000092": 102908, "E07000093": 134461, "E07000094": 132440,
}  # fmt: skip
POPULATION_GROWTH = 0.007

# Police recorded crime, year ending June 2025, ONS "Police force area data tables", Table C2 (by Community
# Safety Partnership).  Columns: drug offences, possession of weapons offences, violence with injury, total
# recorded crime excluding fraud.
CRIME_YE_JUN_2025: dict[str, tuple[int, int, int, int]] = {
    "E07000085": (157, 57, 659, 5732),  # East Hampshire
    "E07000086": (228, 81, 884, 7951),  # Eastleigh
    "E07000087": (205, 87, 639, 5825),  # Fareham
    "E07000088": (235, 81, 770, 6484),  # Gosport
    "E07000090": (338, 140, 1160, 9789),  # Havant
    "E07000091": (257, 109, 1038, 10066),  # New Forest
    "E07000093": (335, 65, 785, 7306),  # Test Valley
    "E07000094": (419, 61, 826, 7309),  # Winchester
}
# Basingstoke and Deane, Hart and Rushmoor report as one CSP, North Hampshire (E22000374).  The demonstration
# splits it by population weighted by an assumed relative crime rate (Hart lower, Rushmoor higher).
NORTH_HAMPSHIRE_YE_JUN_2025 = (782, 266, 2825, 24011)
NORTH_HAMPSHIRE_WEIGHTS = {"E07000084": 1.0, "E07000089": 0.55, "E07000092": 1.3}

# Admission episodes for alcohol-related conditions (narrow), per 100,000, persons: OHID Fingertips indicator
# 93764, mean of the district values for 2021/22 to 2023/24 (Hart and Rushmoor have no 2022/23 value).
ALCOHOL_ADMISSIONS_RATE: dict[str, float] = {
    "E07000084": 399.7, "E07000085": 330.4, "E07000086": 456.5, "E07000087": 348.5,
    "E07000088": 476.1, "E07000089": 288.7, "E07000090": 408.5, "E07000091": 426.7,
    "E07000092": 388.1, "E07000093": 412.1, "E07000094": 373.7,
}  # fmt: skip


def _crime_anchor(column: int, share: float = 1.0) -> dict[str, float]:
    """Annual count by district for one Table C2 column, North Hampshire split, scaled by ``share``."""
    anchor = {code: counts[column] * share for code, counts in CRIME_YE_JUN_2025.items()}
    weights = {code: POPULATION_2023[code] * w for code, w in NORTH_HAMPSHIRE_WEIGHTS.items()}
    total_weight = sum(weights.values())
    for code, weight in weights.items():
        anchor[code] = NORTH_HAMPSHIRE_YE_JUN_2025[column] * share * weight / total_weight
    return anchor


def _population_anchor(per_thousand: float) -> dict[str, float]:
    """Annual count by district from an illustrative rate per 1,000 residents."""
    return {code: pop * per_thousand / 1000 for code, pop in POPULATION_2023.items()}


DRUGS, WEAPONS, VIOLENCE_WITH_INJURY, TOTAL_CRIME = range(4)

CRIME_SOURCE = (
    "Demonstration data, levels modelled on Hampshire Constabulary recorded crime "
    "(ONS Table C2, year ending June 2025)"
)
ALCOHOL_SOURCE = (
    "Demonstration data, levels modelled on OHID Fingertips indicator 93764 (alcohol-related admissions, "
    "narrow), Hampshire districts 2021/22 to 2023/24"
)
ILLUSTRATIVE_SOURCE = "Demonstration data, illustrative levels (not based on a published series)"

# ------------------------------------------------------------------------------------------------------------
# Indicators: 3 to 5 per priority, the measures such a partnership tracks.
# (code, priority, name, unit, good_direction, frequency, target, tolerance, source, description)
# ------------------------------------------------------------------------------------------------------------
INDICATORS: list[tuple] = [
    # Priority 1: county lines (Cabinet paras 8-14; minutes item 2).
    ("drug-offences", "county-lines", "Drug offences", "count", "none", "month", None, None, CRIME_SOURCE,
     "Police recorded drug offences. Most are found by proactive policing, so a rise can mean more "
     "enforcement rather than more drug activity: read as context."),
    ("county-lines-closed", "county-lines", "County lines deal lines closed", "count", "up", "quarter", 12,
     None, ILLUSTRATIVE_SOURCE,
     "Deal lines closed through Operation Monument and local enforcement, whole county."),
    ("partner-intelligence-reports", "county-lines", "Partner intelligence reports to the Constabulary",
     "count", "up", "quarter", 400, None, ILLUSTRATIVE_SOURCE,
     "Intelligence submitted by partner agencies through the CP1 referral procedure."),
    ("missing-children-episodes", "county-lines", "Missing episodes of children", "count", "down", "quarter",
     None, None, ILLUSTRATIVE_SOURCE,
     "Episodes of children missing from home or care reported to the police, whole county."),
    # Priority 2 (2020): serious violence (Cabinet paras 15-19).
    ("weapons-possession", "serious-violence", "Possession of weapons offences", "count", "down", "month",
     None, None, CRIME_SOURCE, "Police recorded possession of weapons offences, including knives."),
    ("violence-with-injury-rate", "serious-violence", "Violence with injury per 100,000 residents", "rate",
     "down", "quarter", None, None, CRIME_SOURCE,
     "Police recorded violence with injury in the quarter per 100,000 residents (not annualised)."),
    ("sharp-object-admissions", "serious-violence",
     "Hospital admissions for assault with a sharp object, under 25s", "count", "down", "quarter", 20, None,
     ILLUSTRATIVE_SOURCE, "Emergency admissions of residents aged under 25, whole county."),
    ("ae-data-sharing", "serious-violence", "Emergency departments sharing assault data (Cardiff model)",
     "percent", "up", "quarter", 100, None, ILLUSTRATIVE_SOURCE,
     "Share of the five emergency departments serving Hampshire that send anonymised assault data."),
    # Priority 3: mental ill-health, substance misuse, domestic abuse, ACEs (Cabinet paras 20-27).
    ("domestic-abuse", "mental-health-da-aces", "Domestic abuse-related incidents and crimes", "count",
     "down", "month", None, None,
     "Demonstration data, levels set at about 22% of total recorded crime (ONS Table C2, year ending June "
     "2025)",
     "Incidents and crimes flagged as domestic abuse by the Constabulary."),
    ("alcohol-admissions", "mental-health-da-aces", "Admissions for alcohol-related conditions", "rate",
     "down", "year", None, None, ALCOHOL_SOURCE,
     "Hospital admission episodes for alcohol-related conditions (narrow definition) per 100,000 residents, "
     "with 95% confidence intervals."),
    ("drug-treatment-completions", "mental-health-da-aces", "Successful completions of drug treatment",
     "percent", "up", "quarter", 35, None, ILLUSTRATIVE_SOURCE,
     "Adults leaving drug treatment successfully and not returning within six months, as a share of all in "
     "treatment."),
    ("marac-repeat-referrals", "mental-health-da-aces", "Repeat referrals to MARAC", "percent", "down",
     "quarter", 35, None, ILLUSTRATIVE_SOURCE,
     "Cases referred to a multi-agency risk assessment conference within 12 months of a previous referral."),
    ("trauma-informed-training", "mental-health-da-aces", "Staff trained in trauma-informed practice",
     "count", "up", "quarter", 300, None, ILLUSTRATIVE_SOURCE,
     "Front-line staff completing Rockpool trauma-informed training in the quarter."),
    # Priority 4: radical extremism (Cabinet paras 28-30).
    ("channel-referrals", "radical-extremism", "Prevent referrals discussed at Channel panel", "count",
     "none", "quarter", None, None, ILLUSTRATIVE_SOURCE,
     "County-level only. More referrals can mean better awareness as much as more risk: context."),
    ("prevent-referrals-under-18", "radical-extremism", "Prevent referrals aged under 18", "percent", "none",
     "quarter", None, None, ILLUSTRATIVE_SOURCE,
     "Share of Prevent referrals about children, tracking the rise among the younger age group."),
    ("prevent-training", "radical-extremism", "Staff completing Prevent awareness training", "count", "up",
     "quarter", 400, None, ILLUSTRATIVE_SOURCE, "Partner staff completing Prevent training in the quarter."),
    ("local-risk-assessments", "radical-extremism", "Districts with a current local situation risk "
     "assessment", "percent", "up", "quarter", 100, 0.10, ILLUSTRATIVE_SOURCE,
     "District CSPs whose Prevent local situation risk assessment is less than a year old."),
    # Priority 5: inclusion and cohesion (Cabinet paras 31-33).
    ("hate-crimes", "inclusion-cohesion", "Hate crimes", "count", "down", "quarter", None, None,
     "Demonstration data, levels set at about 1.6% of total recorded crime (ONS Table C2, year ending June "
     "2025)", "Police recorded crimes with a hate crime flag."),
    ("community-tension-reports", "inclusion-cohesion", "Community tension reports", "count", "down",
     "month", None, None, ILLUSTRATIVE_SOURCE,
     "Tension reports logged through the Constabulary's community assessment, whole county."),
    ("public-confidence", "inclusion-cohesion",
     "Residents agreeing police and council deal with local concerns", "percent", "up", "quarter", 60, None,
     ILLUSTRATIVE_SOURCE, "From the quarterly public confidence survey, whole county."),
    # Priority 6: voluntary sector capacity (Cabinet paras 34-37).
    ("volunteer-registrations", "voluntary-capacity", "New volunteers registered", "count", "up", "quarter",
     None, None, ILLUSTRATIVE_SOURCE,
     "New volunteers registered through Communities First Wessex and local volunteer centres."),
    ("vcs-organisations-supported", "voluntary-capacity",
     "Voluntary organisations given practical support", "count", "up", "quarter", None, None,
     ILLUSTRATIVE_SOURCE, "Organisations helped to re-open or sustain services for vulnerable people."),
    ("citizens-advice-clients", "voluntary-capacity", "Citizens Advice clients helped", "count", "none",
     "quarter", None, None, ILLUSTRATIVE_SOURCE,
     "Demand on a key voluntary service, rising with financial hardship: context."),
    # Priority 7: positive activities and aspiration (Cabinet paras 38-42).
    ("childrens-social-care-referrals", "positive-activities", "Referrals to children's social care",
     "count", "none", "month", None, None, ILLUSTRATIVE_SOURCE,
     "Referrals received by Hampshire Children's Services. Rising referrals can mean hidden harm coming to "
     "light: context."),
    ("permanent-exclusions", "positive-activities", "Permanent exclusions from school", "count", "down",
     "quarter", None, None, ILLUSTRATIVE_SOURCE, "Permanent exclusions of pupils living in the district."),
    ("first-time-entrants", "positive-activities", "First-time entrants to the youth justice system", "rate",
     "down", "year", 170, None, ILLUSTRATIVE_SOURCE,
     "Young people aged 10 to 17 receiving their first caution or conviction, per 100,000 aged 10 to 17."),
    ("holiday-activity-places", "positive-activities", "Children attending holiday activity schemes",
     "count", "up", "year", 12000, None, ILLUSTRATIVE_SOURCE,
     "Attendances at summer schemes and the DfE-funded holiday activities programme, whole county."),
    # Retired 2019 priority 2: vulnerability through ICT and media (minutes item 2).
    ("online-exploitation-referrals", "online-vulnerability", "Referrals for online child exploitation",
     "count", "down", "quarter", None, None, ILLUSTRATIVE_SOURCE,
     "Referrals where the internet was used to groom or exploit a child."),
    ("online-fraud-reports", "online-vulnerability", "Online fraud reports by residents", "count", "down",
     "month", None, None, ILLUSTRATIVE_SOURCE, "Action Fraud reports of cyber-enabled fraud."),
    ("online-safety-sessions", "online-vulnerability", "School online safety sessions delivered", "count",
     "up", "quarter", 60, None, ILLUSTRATIVE_SOURCE, "Sessions delivered in schools by police and partners."),
    # Retired 2019 priority 8: scarce resources, vulnerability and repeat victimisation (minutes item 2).
    ("repeat-victims", "scarce-resources", "Victims who are repeat victims within 12 months", "percent",
     "down", "quarter", 25, None, ILLUSTRATIVE_SOURCE,
     "Share of victims of crime who had been a victim in the previous 12 months."),
    ("repeat-asb-callers", "scarce-resources", "Repeat callers about anti-social behaviour", "count", "down",
     "quarter", None, None, ILLUSTRATIVE_SOURCE,
     "Callers reporting anti-social behaviour three or more times."),
    ("victim-service-referrals", "scarce-resources", "Referrals to commissioned victim services", "count",
     "up", "quarter", None, None, ILLUSTRATIVE_SOURCE, "Referrals to OPCC-commissioned victim support."),
]  # fmt: skip


# ------------------------------------------------------------------------------------------------------------
# How each indicator's values are modelled.
# ------------------------------------------------------------------------------------------------------------
def _months(first: str, last: str, factor: float) -> dict[str, float]:
    """A multiplier for every month from ``first`` to ``last`` (``YYYY-MM``), inclusive."""
    start, end = date.fromisoformat(first + "-01"), date.fromisoformat(last + "-01")
    return {day.isoformat()[:7]: factor for day in periods_between(start, end, "month")}


# Covid-19: the first national lockdown began on 23 March 2020 and the third ran from January to March 2021.
LOCKDOWN_1 = ("2020-04", "2020-06")
LOCKDOWN_3 = ("2021-01", "2021-03")

# School months: no school in August, less in July and April; used for exclusions and school sessions.
SCHOOL_MONTHS = (1.1, 1.1, 1.1, 0.7, 1.1, 1.1, 0.8, 0.05, 0.9, 1.1, 1.1, 0.9)


@dataclass(frozen=True)
class Series:
    """How one indicator's values are generated.

    ``model`` is one of: ``district_count`` (counts by district), ``district_rate`` (rate per 100,000 with
    numerator and denominator by district), ``whole_count``, ``whole_percent`` (survey percentage),
    ``whole_ratio`` (percentage with numerator and denominator), ``whole_steps`` (numerator follows a
    schedule out of a fixed denominator) and ``alcohol`` (yearly rates with confidence intervals, by district
    and for the whole partnership).
    """

    indicator: str
    model: str
    level: float = 0.0  # per period at ``anchored_on`` (whole count), percent, or rate per 100,000
    annual: Mapping[str, float] = field(default_factory=dict)  # annual count by district at ``anchored_on``
    anchored_on: date = date(2025, 1, 1)  # the middle of the year ending June 2025
    trend: float = 0.0  # per year: a fraction (counts, rates) or percentage points (percentages)
    season: float = 0.0  # amplitude of a yearly cosine swing peaking in ``peak_month``
    peak_month: int = 7
    month_pattern: tuple[float, ...] | None = None  # multiplier by calendar month, instead of the cosine
    shocks: Mapping[str, float] = field(default_factory=dict)  # "YYYY-MM" -> multiplier
    first: date = FIRST_PERIOD
    retired: bool = False  # stop at the end of the 2019 priorities' life
    denominator: float = 0.0  # whole_ratio: typical denominator; whole_steps: fixed denominator
    population_share: float = 1.0  # district_rate: share of residents in the denominator
    spread: float = 0.0  # district_rate with ``level``: districts differ by up to this fraction
    noise: float = 0.0  # whole_percent: standard deviation in percentage points
    steps: Mapping[str, int] = field(default_factory=dict)  # whole_steps: "YYYY-MM" -> numerator from then on
    latest: float | None = None  # the latest whole-partnership value, set exactly (target stories)
    missing: tuple[tuple[str, str | None], ...] = ()  # (period "YYYY-MM", district name or None for all)
    notes: Mapping[tuple[str, str | None], str] = field(default_factory=dict)  # (period, district) -> note


SERIES: list[Series] = [
    # County lines.  Drug offences rose sharply under lockdown (proactive policing of emptier streets).
    # Rushmoor's October 2026 return is missing, so the derived whole for the latest month is incomplete.
    Series("drug-offences", "district_count", annual=_crime_anchor(DRUGS), trend=0.03, season=0.05,
           peak_month=3, shocks={**_months(*LOCKDOWN_1, 1.45), **_months(*LOCKDOWN_3, 1.2)},
           missing=(("2026-10", "Rushmoor"),),
           notes={("2026-10", name): "Provisional" for _, name in DISTRICTS}),
    Series("county-lines-closed", "whole_count", level=12, trend=0.03, first=date(2019, 10, 1), latest=15),
    Series("partner-intelligence-reports", "whole_count", level=440, trend=0.08, latest=512),
    Series("missing-children-episodes", "whole_count", level=1050, trend=-0.01, season=0.06,
           shocks=_months(*LOCKDOWN_1, 0.55)),
    # Serious violence.
    Series("weapons-possession", "district_count", annual=_crime_anchor(WEAPONS), trend=-0.02, season=0.1,
           shocks=_months("2020-05", "2020-06", 1.15),
           notes={("2026-10", name): "Provisional" for _, name in DISTRICTS}),
    Series("violence-with-injury-rate", "district_rate", annual=_crime_anchor(VIOLENCE_WITH_INJURY),
           trend=-0.01, season=0.08, shocks={**_months(*LOCKDOWN_1, 0.72), **_months(*LOCKDOWN_3, 0.82)}),
    Series("sharp-object-admissions", "whole_count", level=24, trend=0.03, shocks=_months(*LOCKDOWN_1, 0.7),
           latest=27),
    Series("ae-data-sharing", "whole_steps", first=date(2020, 7, 1), denominator=5,
           steps={"2020-07": 0, "2020-10": 1, "2021-04": 2, "2021-10": 3, "2022-04": 4, "2023-01": 5}),
    # Mental ill-health, substance misuse, domestic abuse.  Domestic abuse demand rose under lockdown
    # (Cabinet para 23).
    Series("domestic-abuse", "district_count", annual=_crime_anchor(TOTAL_CRIME, 0.22), trend=0.015,
           season=0.06, shocks={**_months(*LOCKDOWN_1, 1.13), **_months(*LOCKDOWN_3, 1.08)},
           notes={("2020-04", name): "Covid-19 lockdown from 23 March 2020" for _, name in DISTRICTS}),
    Series("alcohol-admissions", "alcohol", anchored_on=date(2022, 10, 1), trend=0.015,
           missing=(("2022-04", "Hart"), ("2022-04", "Rushmoor")),
           notes={("2025-04", None): "Provisional"}),
    Series("drug-treatment-completions", "whole_ratio", level=37.5, trend=0.3, denominator=520, latest=38.3),
    Series("marac-repeat-referrals", "whole_ratio", level=33.5, trend=0.5, denominator=460, latest=36.1),
    Series("trauma-informed-training", "whole_count", level=320, first=date(2020, 10, 1), latest=334),
    # Radical extremism.  Channel referrals fell when schools closed, then rose among younger people
    # (Cabinet para 28); the new national referral process arrived in 2020 (para 29).
    Series("channel-referrals", "whole_count", level=58, trend=0.04,
           shocks={**_months(*LOCKDOWN_1, 0.6), **_months("2020-10", "2021-03", 1.2)},
           notes={("2020-10", None): "New national Prevent referral process from October 2020"}),
    Series("prevent-referrals-under-18", "whole_percent", level=44, trend=1.5, noise=2.5),
    Series("prevent-training", "whole_count", level=430, trend=0.02, shocks=_months(*LOCKDOWN_1, 0.4),
           latest=468),
    Series("local-risk-assessments", "whole_steps", first=date(2020, 7, 1), denominator=11,
           steps={"2020-07": 2, "2020-10": 5, "2021-01": 8, "2021-04": 10, "2021-07": 11, "2025-04": 9,
                  "2025-07": 10}),
    # Inclusion and cohesion: tensions around Black Lives Matter (June 2020), EU Exit and the national
    # disorder of August 2024 (Cabinet para 32).  The confidence survey paused for two quarters in 2020.
    Series("hate-crimes", "district_count", annual=_crime_anchor(TOTAL_CRIME, 0.016), trend=0.03,
           shocks={"2020-06": 1.2, "2024-08": 1.35}, missing=(("2019-07", "Gosport"),)),
    Series("community-tension-reports", "whole_count", level=18, first=date(2019, 4, 1),
           shocks={"2020-04": 1.4, "2020-06": 1.8, "2020-12": 1.3, "2024-08": 2.2},
           missing=(("2021-08", None), ("2021-09", None)),
           notes={("2024-08", None): "National disorder, August 2024"}),
    Series("public-confidence", "whole_percent", level=55, trend=-0.8, noise=1.2, latest=51.0,
           missing=(("2020-04", None), ("2020-07", None))),
    # Voluntary capacity: the lockdown surge in volunteering (Cabinet para 35).
    Series("volunteer-registrations", "whole_count", level=520, trend=0.01,
           shocks={**_months(*LOCKDOWN_1, 3.0), **_months("2020-07", "2020-09", 1.6)},
           missing=(("2019-10", None),)),
    Series("vcs-organisations-supported", "whole_count", level=34, first=date(2020, 7, 1),
           shocks=_months("2020-07", "2020-12", 1.6)),
    Series("citizens-advice-clients", "whole_count", level=9800, trend=0.03,
           shocks={**_months(*LOCKDOWN_1, 0.8), **_months("2020-07", "2021-03", 1.15),
                   **_months("2022-10", "2023-03", 1.2)}),
    # Positive activities: referrals 15-20% above the previous year from June 2020 (Cabinet para 41);
    # summer schemes at about 40% of normal in 2020 (para 40).
    Series("childrens-social-care-referrals", "whole_count", level=1250, trend=0.01, season=0.08,
           peak_month=11,
           shocks={"2020-04": 0.72, "2020-05": 0.8, **_months("2020-06", "2021-03", 1.17)},
           notes={("2020-06", None): "Referrals 15-20% above the same month last year from June 2020"}),
    Series("permanent-exclusions", "district_count", annual=_population_anchor(0.14), trend=0.06,
           month_pattern=SCHOOL_MONTHS, shocks={**_months(*LOCKDOWN_1, 0.1), **_months(*LOCKDOWN_3, 0.3)}),
    Series("first-time-entrants", "district_rate", level=145, trend=-0.04, population_share=0.093,
           spread=0.3),
    Series("holiday-activity-places", "whole_count", level=12800, trend=0.01,
           shocks={**_months("2020-04", "2021-03", 0.4), **_months("2021-04", "2022-03", 1.1)},
           latest=13640),
    # Retired 2019 priorities, measured over 2018/19 and 2019/20.
    Series("online-exploitation-referrals", "whole_count", level=85, anchored_on=date(2019, 1, 1),
           trend=0.1, retired=True),
    Series("online-fraud-reports", "whole_count", level=610, anchored_on=date(2019, 1, 1), trend=0.08,
           retired=True),
    Series("online-safety-sessions", "whole_count", level=60, anchored_on=date(2019, 1, 1),
           month_pattern=SCHOOL_MONTHS, retired=True, latest=66),
    Series("repeat-victims", "whole_ratio", level=27.5, anchored_on=date(2019, 1, 1), denominator=2400,
           retired=True, latest=28.4),
    Series("repeat-asb-callers", "district_count", annual=_population_anchor(0.45),
           anchored_on=date(2019, 1, 1), trend=-0.05, retired=True),
    Series("victim-service-referrals", "whole_count", level=3100, anchored_on=date(2019, 1, 1), trend=0.06,
           retired=True),
]  # fmt: skip


# ------------------------------------------------------------------------------------------------------------
# Actions: what the seeds say partners committed to.  Each has a history of dated progress updates; the
# action's status is the status of its latest update.  Districts are given where the work is local.
# ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActionSeed:
    ref: str
    priority: str
    title: str
    owner: str
    district: str | None  # district name, or None for county-wide
    opened_on: str
    due_date: str
    description: str
    # (status, commentary) or (status, commentary, "YYYY-MM-DD"), oldest first.  Undated updates are spaced
    # evenly between opened_on and the final update.
    history: tuple[tuple[str, ...], ...]
    closed_on: str | None = None  # date of the final update of a complete or cancelled action


ACTIONS: list[ActionSeed] = [
    # ---- County lines (minutes item 2; Cabinet paras 8-14; LGA item; Essex scrutiny) ----
    ActionSeed(
        "CL-01", "county-lines", "Deliver ten county lines and child exploitation awareness events",
        "HCC-CS", None, "2019-03-21", "2020-09-30",
        "Ten awareness and training events for front-line staff across Hampshire and the Isle of Wight, "
        "stressing intelligence gathering through the CP1 referral procedure.",
        (("on_track", "Programme agreed with the four local safeguarding boards; first three events booked."),
         ("on_track", "Six of the ten events delivered to about 420 staff from partner agencies."),
         ("at_risk", "Remaining four events postponed when Covid-19 restrictions stopped face-to-face "
                     "training."),
         ("complete", "Final four events delivered online; all ten complete, about three months late.")),
        "2020-12-10"),
    ActionSeed(
        "CL-02", "county-lines", "Embed the CP1 partner intelligence referral procedure", "HC", None,
        "2019-04-01", "2021-03-31",
        "Make it routine for partner agencies to pass intelligence to the Constabulary through the CP1 form, "
        "and report submissions to the board each quarter.",
        (("on_track", "CP1 form and guidance published on partner intranets; district CSPs briefed."),
         ("at_risk", "Submissions from health and education partners remain low; targeted briefings "
                     "arranged."),
         ("on_track", "Partner intelligence reports rising each quarter; health and education submissions "
                      "improving."),
         ("complete", "Procedure embedded; submissions now reported in the board's performance pack.")),
        "2021-03-18"),
    ActionSeed(
        "CL-03", "county-lines",
        "Operation Monument: disrupt county lines supply from London, the West Midlands and Merseyside",
        "HC", None, "2019-10-01", "2027-03-31",
        "Joint enforcement with the Metropolitan, West Midlands and Merseyside forces focused on the 'middle "
        "market', producing arrests and intelligence about other networks and the people they target.",
        (("on_track", "Dedicated team in place; around 80% of the county's lines trade comes from London."),
         ("on_track", "Arrests are securing remands and guilty pleas for supply offences."),
         ("on_track", "Lines closed each quarter holding steady despite changes in how lines operate."),
         ("on_track", "Enforcement continuing; intelligence from arrests passed to district safeguarding "
                      "meetings.")),
    ),
    ActionSeed(
        "CL-04", "county-lines", "Peer review of district tactical co-ordinating and Fortress meetings", "HC",
        None, "2020-09-01", "2021-06-30",
        "Review every district's tactical co-ordination and safeguarding plans for people at risk, for "
        "consistency and quality, and share the outcome with partners.",
        (("on_track", "Review framework agreed; six of eleven districts visited."),
         ("at_risk", "Remaining visits delayed by the January 2021 lockdown."),
         ("complete", "All eleven districts reviewed; report shared with partners.")),
        "2021-07-20"),
    ActionSeed(
        "CL-05", "county-lines", "Willow Team support for children at risk of exploitation in pupil referral "
        "units", "HCC-CS", None, "2020-04-01", "2022-03-31",
        "Use Home Office funding through the VRU to extend the Willow Team's direct work with children "
        "attending pupil referral units.",
        (("on_track", "Two additional Willow Team practitioners recruited with VRU funding."),
         ("on_track", "A practitioner is now attached to every pupil referral unit in the county."),
         ("complete", "Extension delivered and absorbed into the Willow Team's core offer.")),
        "2022-03-15"),
    ActionSeed(
        "CL-06", "county-lines", "Safeguarding plans for high-risk children missing from home or care",
        "HCC-CS", None, "2020-10-01", "2026-06-30",
        "Share intelligence with the MET teams and children's partnerships so every high-risk missing child "
        "has a multi-agency safeguarding plan.",
        (("on_track", "Return-home interview data now shared weekly with the MET teams."),
         ("on_track", "Plans in place for nine in ten high-risk missing children."),
         ("at_risk", "The new case management system has interrupted the data share; plan coverage has "
                     "dropped."),
         ("at_risk", "Past its due date; data share partly restored, full coverage expected by March 2027.")),
    ),
    ActionSeed(
        "CL-07", "county-lines", "Map county lines and local drug networks in north Hampshire", "HC",
        "Basingstoke and Deane", "2019-06-03", "2020-03-31",
        "Profile the lines operating in the north of the county, where county lines activity is "
        "predominant, and brief the district CSPs.",
        (("on_track", "Mapping of lines and organised crime groups under way with the district CSP."),
         ("complete", "Profile finished and briefed to the Basingstoke, Hart and Rushmoor CSPs.")),
        "2020-03-05"),
    ActionSeed(
        "CL-08", "county-lines", "Rushmoor county lines problem-solving plan, including cuckooing", "RBC",
        "Rushmoor", "2021-01-15", "2026-09-30",
        "Protect vulnerable adults whose homes are taken over by dealers ('cuckooing') and disrupt lines "
        "operating in Aldershot and Farnborough.",
        (("on_track", "Problem-solving group formed with housing, police and adult services."),
         ("on_track", "Cuckooing referral route agreed with housing providers."),
         ("at_risk", "Housing officer post vacant; referrals from landlords have slowed."),
         ("off_track", "Plan not refreshed by its due date; the post is still vacant and drug offences in "
                       "the district are rising.")),
    ),
    ActionSeed(
        "CL-09", "county-lines", "Housing and police protocol to spot tenants at risk of cuckooing", "HBC",
        "Havant", "2019-09-02", "2020-12-31",
        "Agree how housing officers and neighbourhood police share concerns about vulnerable tenants "
        "targeted by drug networks.",
        (("on_track", "Draft protocol agreed with the two main housing associations."),
         ("at_risk", "Sign-off delayed while housing staff were redeployed during the first lockdown."),
         ("complete", "Protocol signed and in use; eight tenants safeguarded in its first six months.")),
        "2020-11-26"),
    ActionSeed(
        "CL-10", "county-lines", "Project Gateway: divert young people from exploitation", "HCC-YOT", None,
        "2020-11-02", "2025-03-31",
        "With local children's partnerships, understand the risks driving young people's involvement, break "
        "the cycle and offer positive opportunities.",
        (("on_track", "Referral criteria agreed with the Constabulary and children's partnerships."),
         ("on_track", "First cohort of young people completed the programme."),
         ("on_track", "Evaluation shows fewer repeat arrests among participants than in a matched group."),
         ("complete", "Programme mainstreamed into the Youth Offending Team's prevention offer.")),
        "2025-02-27"),
    ActionSeed(
        "CL-11", "county-lines", "One partnership approach to drug-related harm", "HCC-PH", None,
        "2021-04-01", "2027-03-31",
        "Bring coherence to drug-related harm and risk across enforcement, treatment and prevention.",
        (("on_track", "Drug harm partnership formed with the Constabulary, treatment providers and OPCC."),
         ("on_track", "Joint needs assessment published; shared outcomes framework agreed."),
         ("on_track", "Treatment capacity expanded; partnership reports to the board twice a year.")),
    ),
    ActionSeed(
        "CL-12", "county-lines", "Brief trading standards and district staff on the signs of county lines",
        "HCC-TS", None, "2019-07-01", "2020-06-30",
        "Take awareness beyond children's services to trading standards, community wellbeing and district "
        "council staff who work in communities.",
        (("on_track", "Briefing pack drafted with the Children's Society's regional officer."),
         ("cancelled", "Merged into the online awareness events under CL-01 to avoid duplication.")),
        "2020-05-14"),
    ActionSeed(
        "CL-13", "county-lines", "Safe and Well visits: report signs of cuckooing", "HFRS", None,
        "2019-10-01", "2020-09-30",
        "Train crews carrying out home safety visits to recognise and report signs that a vulnerable "
        "person's home has been taken over.",
        (("on_track", "Crew briefing added to Safe and Well training."),
         ("at_risk", "Home visits limited to high-risk households during the pandemic."),
         ("complete", "All watches briefed; concerns now passed on through the CP1 form.")),
        "2020-10-22"),
    ActionSeed(
        "CL-14", "county-lines", "Support for 16 and 17 year olds at risk of exploitation", "HCC-AHC", None,
        "2026-09-01", "2027-06-30",
        "Young people close to adulthood can fall between children's and adults' services; agree how adult "
        "safeguarding picks up exploited 16 and 17 year olds.",
        (("not_started", "Scope agreed at the September board; lead officer still to be named."),),
    ),
    ActionSeed(
        "CL-15", "county-lines", "Use licensing powers against drug networks in Eastleigh", "EBC",
        "Eastleigh", "2022-01-10", "2023-03-31",
        "Use the council's licensing powers to build more resilient premises and communities.",
        (("on_track", "Licensing and police reviewed premises linked to drug supply."),
         ("complete", "Two licence reviews concluded; conditions added on staff training and CCTV.")),
        "2023-03-09"),
    ActionSeed(
        "CL-16", "county-lines", "Rural county lines awareness for parish councils in East Hampshire",
        "EHDC", "East Hampshire", "2023-09-04", "2024-09-30",
        "Crime has moved into rural areas where awareness is lower; brief parish councils and rural "
        "businesses on the signs to report.",
        (("on_track", "Sessions arranged with the association of local councils."),
         ("on_track", "Twenty parish councils briefed; rural crime officers attending."),
         ("complete", "All parish clusters briefed; reporting guide issued.")),
        "2024-09-12"),
    # ---- Serious violence (Cabinet paras 11, 15-19; Essex scrutiny on knife crime) ----
    ActionSeed(
        "SV-01", "serious-violence", "Serious Violence Problem Profile and VRU Response Plan", "VRU", None,
        "2020-04-01", "2020-12-31",
        "Complete the problem profile and the multi-agency Response Plan for 2021 for Home Office funding.",
        (("on_track", "Problem profile drafted from police, health and education data."),
         ("complete", "Response Plan for 2021 agreed by the Strategy Group and sent to the Home Office.")),
        "2020-11-19"),
    ActionSeed(
        "SV-02", "serious-violence", "Cardiff model: use A&E data to find violence hot-spots", "HCC-PH", None,
        "2020-06-01", "2022-03-31",
        "Work with the police and NHS emergency departments so anonymised A&E data on assaults informs local "
        "problem solving.",
        (("on_track", "Data sharing agreement drafted with the first emergency department."),
         ("at_risk", "Two trusts awaiting information governance approval; the deadline will be missed."),
         ("on_track", "Four of five emergency departments now send data monthly."),
         ("complete", "All five emergency departments sharing data; hot-spot maps issued to district CSPs.")),
        "2023-02-09"),
    ActionSeed(
        "SV-03", "serious-violence",
        "Trauma-informed approach to police encounters with under 25s, including stop and search", "HC",
        None, "2020-09-01", "2022-12-31",
        "Amend practice for police encounters with young people in line with the partners' common "
        "trauma-informed approach.",
        (("on_track", "Guidance drafted with the VRU and a youth panel."),
         ("on_track", "Training delivered to neighbourhood and response teams in the north and east."),
         ("complete", "Approach adopted force-wide; the stop and search scrutiny panel reviews outcomes.")),
        "2022-11-30"),
    ActionSeed(
        "SV-04", "serious-violence", "School-based interventions for children at high risk of violence",
        "HCC-CS", None, "2020-09-01", "2027-07-31",
        "With Police Education Partnership managers, a long-term co-ordinated programme of interventions "
        "in schools for high-risk children.",
        (("on_track", "Programme running in twelve secondary schools.", "2020-12-10"),
         ("at_risk", "Delivery paused in some schools during the spring 2021 lockdown.", "2021-03-25"),
         ("on_track", "Extended to pupil referral units; evaluation partner appointed.", "2022-06-16"),
         ("on_track", "Sixth year of delivery under way in 24 schools.")),
    ),
    ActionSeed(
        "SV-05", "serious-violence", "Young adult rehabilitation serious violence intervention", "NPS", None,
        "2020-10-01", "2022-03-31",
        "Mentoring and rehabilitation for 18 to 25 year olds on probation for violent offences.",
        (("on_track", "Mentoring service commissioned with Home Office funding."),
         ("on_track", "Service continued through probation unification in June 2021."),
         ("complete", "Intervention delivered; 140 young adults supported.")),
        "2022-03-24"),
    ActionSeed(
        "SV-06", "serious-violence", "Community programmes in the Havant violence hot-spot", "VRU", "Havant",
        "2021-01-11", "2023-03-31",
        "Fund local voluntary and community programmes in a priority hot-spot identified by the profile.",
        (("on_track", "Three community groups funded for detached youth work in Leigh Park."),
         ("on_track", "Evening sessions reach about 90 young people a month."),
         ("complete", "Funding period ended; two projects now funded by the borough council.")),
        "2023-03-16"),
    ActionSeed(
        "SV-07", "serious-violence", "Expand youth crime prevention capacity", "HCC-YOT", None, "2020-10-01",
        "2021-09-30", "More youth crime prevention workers, funded through the VRU.",
        (("on_track", "Three prevention workers recruited with Home Office funding."),
         ("complete", "Prevention caseload doubled; the workers are now part of the core team.")),
        "2021-09-09"),
    ActionSeed(
        "SV-08", "serious-violence", "Serious violence skills and knowledge for the front-line workforce",
        "VRU", None, "2021-01-04", "2026-03-31",
        "Develop front-line workforce skills and knowledge across health, education, police and councils.",
        (("on_track", "Training needs analysis complete across health, education and police."),
         ("on_track", "E-learning module launched; 1,900 staff completed it in its first year."),
         ("at_risk", "Face-to-face modules delayed because the trainer's contract lapsed."),
         ("at_risk", "Past its due date; a new provider is being procured, completion expected in "
                     "spring 2027.")),
    ),
    ActionSeed(
        "SV-09", "serious-violence", "Update the problem profile for the impact of Covid-19", "VRU", None,
        "2020-09-01", "2021-03-31",
        "Understand the short and longer-term impacts of Covid-19 on serious violence.",
        (("on_track", "Analysis of lockdown trends in violence and exploitation under way."),
         ("complete", "Updated profile presented; priorities for the 2021-22 plan confirmed.")),
        "2021-04-15"),
    ActionSeed(
        "SV-10", "serious-violence", "Knife crime education in Gosport secondary schools", "HC", "Gosport",
        "2022-09-01", "2024-07-31",
        "Education sessions alongside targeted stop and search, stressing that carrying a knife does not "
        "make anyone safer.",
        (("on_track", "Sessions booked with every Gosport secondary school."),
         ("on_track", "Year 8 and Year 10 pupils reached in the autumn term."),
         ("complete", "Delivered to 2,600 pupils; schools have asked for the sessions to continue.")),
        "2024-07-11"),
    ActionSeed(
        "SV-11", "serious-violence", "Multi-agency process for knife crime prevention orders", "HC", None,
        "2021-06-01", "2022-06-30",
        "Prepare how police, youth justice and probation would use knife crime prevention orders.",
        (("on_track", "Draft process shared with the youth justice service and probation."),
         ("cancelled", "Board agreed to wait for the national pilot's evaluation before a local roll-out.")),
        "2022-05-12"),
    ActionSeed(
        "SV-12", "serious-violence", "Share learning through the Hampshire and Isle of Wight VRU Core Group",
        "OPCC", None, "2020-04-01", "2021-03-31",
        "Use the Core Group to share learning and co-ordinate interventions with the cities and the Isle of "
        "Wight.",
        (("on_track", "Core Group meeting monthly with Portsmouth, Southampton and the Isle of Wight."),
         ("complete", "Shared commissioning calendar and evaluation framework agreed.")),
        "2021-03-11"),
    ActionSeed(
        "SV-13", "serious-violence", "Eastleigh town centre night-time violence plan", "EBC", "Eastleigh",
        "2023-04-03", "2025-03-31", "Licensing, police and town centre partners tackle late-night violence.",
        (("on_track", "Night-time economy plan agreed with licensees and the police."),
         ("at_risk", "Funding for the taxi marshal scheme not yet confirmed."),
         ("complete", "Plan delivered a fortnight late; marshals funded by the business district.")),
        "2025-04-10"),
    ActionSeed(
        "SV-14", "serious-violence", "Knife surrender bins and amnesty in Basingstoke", "HC",
        "Basingstoke and Deane", "2024-01-08", "2024-06-30",
        "Install permanent surrender bins and run an amnesty week with community partners.",
        (("on_track", "Sites agreed with the borough council and two community centres."),
         ("complete", "Three bins installed; 212 weapons surrendered during the amnesty.")),
        "2024-06-13"),
    # ---- Mental ill-health, substance misuse, domestic abuse, ACEs (Cabinet paras 20-27) ----
    ActionSeed(
        "MH-01", "mental-health-da-aces",
        "Set up the Mental Wellbeing Executive, Domestic Abuse Executive and Trauma Informed Approaches "
        "Board",
        "HCC-PH", None, "2019-06-03", "2020-06-30",
        "Strengthen the strategic arrangements for these linked agendas across Hampshire and the Isle of "
        "Wight.",
        (("on_track", "Terms of reference agreed for the three boards."),
         ("at_risk", "First meetings moved online because of Covid-19.", "2020-04-16"),
         ("complete", "All three boards meeting; the trauma board is co-chaired by the Director of Public "
                      "Health and the Assistant Chief Constable.")),
        "2020-07-16"),
    ActionSeed(
        "MH-02", "mental-health-da-aces", "Harmonise domestic abuse referral routes", "HCC-AHC", None,
        "2020-04-01", "2020-12-31",
        "One set of referral mechanisms across Hampshire and the Isle of Wight, led by the Domestic Abuse "
        "Executive.",
        (("on_track", "Single referral form agreed by the Domestic Abuse Executive."),
         ("complete", "Harmonised routes live across all four local authorities and welcomed by the "
                      "Constabulary.")),
        "2020-10-29"),
    ActionSeed(
        "MH-03", "mental-health-da-aces", "Trauma-informed workforce development plan with Rockpool training",
        "HCC-PH", None, "2020-07-01", "2022-03-31",
        "Workforce plan with training by Rockpool funded by Health Education England, and a common language "
        "and branding across agencies.",
        (("on_track", "Plan agreed; Health Education England funding confirmed."),
         ("on_track", "Rockpool courses running monthly; over 600 staff trained."),
         ("complete", "Plan delivered; training now commissioned as business as usual.")),
        "2022-03-03"),
    ActionSeed(
        "MH-04", "mental-health-da-aces", "Combine police, ambulance and children's services data on ACEs",
        "HCC-PH", None, "2020-09-01", "2023-03-31",
        "Look at key risk factors for adverse childhood experiences across the three data sets.",
        (("on_track", "Data sharing agreement signed with the Constabulary and the ambulance service."),
         ("at_risk", "Record matching slower than planned; the analyst post was vacant for four months."),
         ("complete", "Risk factor analysis published and used in the joint strategic needs assessment.")),
        "2023-06-22"),
    ActionSeed(
        "MH-05", "mental-health-da-aces", "Case learning reviews of families' journeys through the domestic "
        "abuse system", "HCC-AHC", None, "2020-09-01", "2021-09-30",
        "Follow families' journeys through the whole system to find where support breaks down.",
        (("on_track", "Four cases selected; practitioners interviewed."),
         ("complete", "Learning briefing issued; three recommendations added to the Executive's plan.")),
        "2021-09-23"),
    ActionSeed(
        "MH-06", "mental-health-da-aces", "Domestic abuse communications for BAME communities", "OPCC", None,
        "2020-10-01", "2021-06-30",
        "Common communications on domestic abuse, including for BAME communities.",
        (("on_track", "Campaign materials co-produced with community organisations."),
         ("complete", "Campaign delivered in six languages through community and faith groups.")),
        "2021-06-10"),
    ActionSeed(
        "MH-07", "mental-health-da-aces", "Domestic abuse perpetrator intervention programme", "OPCC", None,
        "2021-04-01", "2026-03-31",
        "Commission interventions for perpetrators, part of the Domestic Abuse Executive's strategic "
        "approach.",
        (("on_track", "Programme commissioned for medium and high-risk perpetrators."),
         ("at_risk", "Provider capacity below contract; more than 60 people waiting."),
         ("off_track", "Provider gave notice; interim arrangements cover high-risk cases only."),
         ("off_track", "Past its due date; re-procurement under way, new service expected in 2027.")),
    ),
    ActionSeed(
        "MH-08", "mental-health-da-aces", "Keep substance misuse clients in treatment during Covid-19",
        "HCC-PH", None, "2020-05-01", "2021-03-31",
        "Help clients reach in-patient detox under social distancing and move suitable clients from daily to "
        "weekly prescriptions.",
        (("on_track", "Phone and video appointments in place; face-to-face kept for high-risk clients."),
         ("at_risk", "Delays in prescription appointments while pharmacies adapted."),
         ("complete", "Completions maintained; monitored monthly through the treatment contract.")),
        "2021-02-25"),
    ActionSeed(
        "MH-09", "mental-health-da-aces", "Tell the public that mental health services remain open", "CCG",
        None, "2020-06-01", "2020-12-31",
        "Multi-agency drive to promote GPs and Community Wellbeing Centres, so conditions are caught "
        "earlier.",
        (("on_track", "Joint campaign through GPs and Community Wellbeing Centres launched."),
         ("complete", "Campaign finished; contacts with wellbeing centres back to pre-Covid levels.")),
        "2020-12-03"),
    ActionSeed(
        "MH-10", "mental-health-da-aces",
        "Voluntary, community and faith sector seats on the mental health, DA and trauma boards", "CFW", None,
        "2020-11-24", "2021-12-31", "Strong voluntary, community and faith representation on each board.",
        (("on_track", "Nominations invited through the Communities First Wessex network."),
         ("complete", "Two voluntary sector members now sit on each board.")),
        "2021-11-18"),
    ActionSeed(
        "MH-11", "mental-health-da-aces", "Domestic abuse one-stop shop in the New Forest", "NFDC",
        "New Forest", "2022-04-01", "2026-10-31",
        "A weekly drop-in where victims can see housing, police and specialist support in one place.",
        (("on_track", "Venue agreed in Lymington; partners confirmed a rota."),
         ("on_track", "Weekly drop-in open; about 25 people a month seen."),
         ("on_track", "Second site in Totton agreed; its opening will slip past the due date to "
                      "December.")),
    ),
    ActionSeed(
        "MH-12", "mental-health-da-aces", "Managed plans for people on community treatment orders", "CCG",
        None, "2020-10-01", "2021-09-30",
        "Multi-disciplinary plans for the unprecedented number of people on community treatment orders.",
        (("on_track", "Multi-disciplinary review of community treatment orders started."),
         ("cancelled", "Superseded by the Mental Health Partnership Board's community framework.")),
        "2021-05-20"),
    ActionSeed(
        "MH-13", "mental-health-da-aces", "Alcohol brief advice in Gosport", "HCC-PH", "Gosport",
        "2023-05-02", "2025-09-30",
        "Train GP practices and pharmacies in the district with the highest alcohol admissions to give "
        "identification and brief advice.",
        (("on_track", "Training offered to all Gosport GP practices and pharmacies."),
         ("on_track", "Fourteen practices and pharmacies trained."),
         ("complete", "Brief advice now recorded routinely; admissions to be reviewed in a year.")),
        "2025-09-18"),
    ActionSeed(
        "MH-14", "mental-health-da-aces", "Domestic abuse champions in Havant housing teams", "HBC", "Havant",
        "2024-02-05", "2025-06-30", "A trained domestic abuse champion in every housing team.",
        (("on_track", "Champions nominated in each team."),
         ("complete", "Eleven champions trained; referrals from housing to specialist services up.")),
        "2025-06-19"),
    # ---- Radical extremism (Cabinet paras 28-29) ----
    ActionSeed(
        "RE-01", "radical-extremism", "Embed the new national Prevent referral process", "HCC", None,
        "2020-04-01", "2021-03-31", "Bring local referral pathways into line with the national process.",
        (("on_track", "Local pathway mapped against the national process."),
         ("complete", "New process live from October 2020; partners briefed.")),
        "2020-12-17"),
    ActionSeed(
        "RE-02", "radical-extremism", "Local situation risk assessments with every district CSP", "HCC", None,
        "2020-06-01", "2026-03-31",
        "Work with district community safety partners on local situation risk assessments, refreshed yearly.",
        (("on_track", "Template agreed with the Constabulary's Prevent team.", "2020-09-17"),
         ("on_track", "All eleven district assessments completed.", "2021-07-22"),
         ("at_risk", "Annual refresh: ten of eleven districts done; one awaits its counter-terrorism profile "
                     "briefing.", "2025-09-18"),
         ("at_risk", "Past its due date; the last refresh is booked for the December district meeting.")),
    ),
    ActionSeed(
        "RE-03", "radical-extremism", "Share counter-terrorism local profiles with partners", "HC", None,
        "2020-04-01", "2020-12-31", "Effective sharing of counter-terrorism profiles with partners.",
        (("on_track", "Vetted leads named in each district."),
         ("complete", "Profile briefings delivered to all district CSPs.")),
        "2020-11-05"),
    ActionSeed(
        "RE-04", "radical-extremism", "Refresh Prevent awareness training for the workforce", "HCC", None,
        "2020-09-01", "2027-03-31", "Update and drive workforce awareness and training.",
        (("on_track", "Training refreshed for online delivery."),
         ("on_track", "More than 400 staff trained each quarter."),
         ("on_track", "Module updated for the revised national Prevent duty guidance.")),
    ),
    ActionSeed(
        "RE-05", "radical-extremism", "Digital communications on radicalisation for parents and carers",
        "HCC", None, "2021-01-04", "2022-03-31", "Develop digital communications opportunities.",
        (("on_track", "Content co-produced with schools and the Prevent team."),
         ("complete", "Campaign ran on council and police channels; guidance page launched.")),
        "2022-02-10"),
    ActionSeed(
        "RE-06", "radical-extremism", "Channel: respond to the rise in referrals of younger people", "HCC-CS",
        None, "2020-11-24", "2021-09-30",
        "Referrals to the Channel panel of the younger age group have increased steadily.",
        (("on_track", "A Children's Services practitioner now sits on the Channel panel."),
         ("complete", "Support offer for under-18s agreed with schools and the Youth Offending Team.")),
        "2021-10-14"),
    ActionSeed(
        "RE-07", "radical-extremism", "Prevent and release planning with HMP Winchester and probation",
        "HMP-WIN", "Winchester", "2021-04-01", "2022-03-31",
        "Engage specific stakeholders to manage specific risk on release from custody.",
        (("on_track", "Joint release planning meetings set up with probation."),
         ("complete", "Protocol in place for every relevant release.")),
        "2022-03-24"),
    ActionSeed(
        "RE-08", "radical-extremism", "Prevent awareness for community venues in Fareham", "FBC", "Fareham",
        "2023-10-02", "2024-03-31", "Brief staff at community halls and leisure centres on Prevent.",
        (("on_track", "Venue managers' session booked."),
         ("complete", "Staff at nine venues briefed; referral contacts displayed.")),
        "2024-03-14"),
    # ---- Inclusion and cohesion (Cabinet paras 31-33) ----
    ActionSeed(
        "IC-01", "inclusion-cohesion", "Share intelligence on public perceptions and tensions in lockdown",
        "HC", None, "2020-04-01", "2020-09-30",
        "Share information on perceptions and tensions with the Strategic and Tactical Co-ordinating Groups.",
        (("on_track", "Daily and weekly community assessments shared with the co-ordinating groups."),
         ("complete", "Arrangements wound down with the end of the first lockdown; template kept.")),
        "2020-09-24"),
    ActionSeed(
        "IC-02", "inclusion-cohesion", "Combine the Constabulary's Covid-19 consultation with council "
        "engagement", "HCC", None, "2020-11-24", "2021-09-30",
        "Pursue opportunities to combine the police consultation with local authority engagement.",
        (("on_track", "Survey questions aligned with the councils' residents' survey."),
         ("cancelled", "Folded into IC-04 on aligning intelligence and communications.")),
        "2021-06-17"),
    ActionSeed(
        "IC-03", "inclusion-cohesion", "Cohesion planning for the accommodation of asylum seekers", "HCC",
        None, "2020-10-01", "2027-03-31",
        "Respond to current and future cohesion risks around the accommodation of asylum seekers.",
        (("on_track", "Multi-agency forum set up with the Home Office's accommodation provider."),
         ("at_risk", "Short notice of new sites limits community engagement."),
         ("on_track", "Notification protocol agreed; engagement plan in place for each site.")),
    ),
    ActionSeed(
        "IC-04", "inclusion-cohesion", "Align intelligence and communications across community safety "
        "priorities", "HCC", None, "2021-01-04", "2022-03-31",
        "Use intelligence and communications in a more aligned and co-ordinated way across the priorities.",
        (("on_track", "Shared communications calendar in use."),
         ("at_risk", "Information sharing agreement still awaiting two signatures."),
         ("complete", "Agreement signed; quarterly tension and perception briefing now goes to the board.")),
        "2022-04-21"),
    ActionSeed(
        "IC-05", "inclusion-cohesion", "Rough sleeping: safeguarding and cohesion plan for Winchester", "WCC",
        "Winchester", "2020-05-01", "2021-03-31",
        "Support rough sleepers accommodated during lockdown and manage tensions in the city centre.",
        (("on_track", "Everyone accommodated; outreach and health support in place."),
         ("complete", "Move-on plans agreed for all residents; no tension reports in the quarter.")),
        "2021-03-04"),
    ActionSeed(
        "IC-06", "inclusion-cohesion", "Tension monitoring for the end of the EU Exit transition", "HCC-EP",
        None, "2020-10-01", "2021-03-31",
        "Monitor community tensions and port and traffic impacts around the end of the transition period.",
        (("on_track", "Local Resilience Forum reporting cycle agreed."),
         ("complete", "Monitoring completed; no significant tensions reported.")),
        "2021-02-25"),
    ActionSeed(
        "IC-07", "inclusion-cohesion", "Hate crime third-party reporting centres in Basingstoke", "BDBC",
        "Basingstoke and Deane", "2023-06-01", "2026-08-31",
        "Trusted community venues where people can report hate crime without going to the police.",
        (("on_track", "Four venues recruited and trained."),
         ("at_risk", "Two venues withdrew after staff changes."),
         ("off_track", "Past its due date with only two centres open; the council is recruiting new "
                       "venues.")),
    ),
    ActionSeed(
        "IC-08", "inclusion-cohesion", "Cohesion forum with Rushmoor's Nepali and Gurkha community", "RBC",
        "Rushmoor", "2021-09-01", "2022-09-30",
        "With the Civilian Military Partnership, a forum for community leaders to raise concerns early.",
        (("on_track", "Forum launched with community leaders and the Civilian Military Partnership."),
         ("complete", "Forum meets quarterly and now reports to the district CSP.")),
        "2022-09-15"),
    # ---- Voluntary sector capacity (Cabinet paras 34-37) ----
    ActionSeed(
        "VS-01", "voluntary-capacity", "Research the community response to lockdown", "HCC", None,
        "2020-06-01", "2020-10-31",
        "With the University of Winchester and Communities First Wessex, study residents' capacity to help "
        "others and the supply and demand challenges for volunteering.",
        (("on_track", "Survey of residents and community groups completed."),
         ("complete", "Findings published: rapid growth of groups unlikely to last beyond the crisis.")),
        "2020-10-15"),
    ActionSeed(
        "VS-02", "voluntary-capacity", "Practical support for organisations re-opening services", "CFW",
        None, "2020-07-01", "2021-03-31",
        "Help organisations supporting the most vulnerable to re-open safely.",
        (("on_track", "Risk assessment templates and advice line launched."),
         ("on_track", "More than 50 organisations supported in the first quarter."),
         ("complete", "Support continues as part of the core infrastructure contract.")),
        "2021-03-25"),
    ActionSeed(
        "VS-03", "voluntary-capacity", "Recruit and develop specialist volunteers", "CFW", None, "2021-01-04",
        "2027-03-31",
        "More complex need requires specialist volunteers with a longer-term commitment.",
        (("on_track", "Role profiles agreed with domestic abuse and young carers' services."),
         ("at_risk", "Recruitment below plan; fewer volunteers from the traditional age group returning."),
         ("at_risk", "Targeted campaign with employers under way; numbers still below plan.")),
    ),
    ActionSeed(
        "VS-04", "voluntary-capacity", "Give national-scheme volunteers local tasks straight away", "TVBC",
        "Test Valley", "2020-05-01", "2020-12-31",
        "Volunteers who signed up to national schemes lose interest if not given tasks quickly.",
        (("on_track", "Local volunteer centre matching national-scheme volunteers within a week."),
         ("complete", "Over 300 volunteers placed; matching arrangement kept for future emergencies.")),
        "2020-12-10"),
    ActionSeed(
        "VS-05", "voluntary-capacity", "Citizens Advice capacity for financial hardship", "CAH", None,
        "2020-09-01", "2021-09-30",
        "Extra capacity to manage significant increases in demand linked to financial hardship.",
        (("on_track", "Telephone advice line extended with County Council support."),
         ("complete", "Capacity increased by a fifth; waiting times back within standard.")),
        "2021-09-16"),
    ActionSeed(
        "VS-06", "voluntary-capacity", "Wellbeing support for volunteers and unpaid carers", "HCC-AHC", None,
        "2021-02-01", "2022-03-31",
        "Some volunteers have taken on too much and many carers are becoming overwhelmed.",
        (("on_track", "Wellbeing offer designed with carers' organisations."),
         ("complete", "Offer launched; 420 volunteers and carers used it in its first six months.")),
        "2022-03-17"),
    ActionSeed(
        "VS-07", "voluntary-capacity", "Bring the voluntary sector into each priority's arrangements", "HCC",
        None, "2020-11-24", "2026-12-31",
        "Engage the community and voluntary sector in the partnership arrangements under each priority.",
        (("on_track", "Voluntary sector lead named for each priority."),
         ("on_track", "Sector representatives attend five of the seven priority groups.")),
    ),
    ActionSeed(
        "VS-08", "voluntary-capacity", "Volunteer driver scheme in the New Forest", "CFW", "New Forest",
        "2022-03-01", "2023-03-31", "Keep isolated residents connected to services in rural areas.",
        (("on_track", "Scheme relaunched with 40 drivers."),
         ("complete", "Scheme sustainable; funding agreed with the district council.")),
        "2023-03-23"),
    # ---- Positive activities and aspiration (Cabinet paras 13, 38-42; Essex scrutiny on exclusions) ----
    ActionSeed(
        "PA-01", "positive-activities", "Get vulnerable pupils into school during lockdown", "HCC-CS", None,
        "2020-04-01", "2020-07-31",
        "Social workers engage schools so vulnerable pupils can attend.",
        (("on_track", "Social workers contacting schools about every vulnerable pupil."),
         ("complete", "Around 54% of vulnerable pupils attending, one of the highest rates in the country.")),
        "2020-07-16"),
    ActionSeed(
        "PA-02", "positive-activities", "DfE-funded holiday programme for vulnerable families", "HCC-CS",
        None, "2020-07-01", "2021-03-31", "Deliver the DfE-funded holiday programme for vulnerable families.",
        (("on_track", "Programme running alongside the reduced summer schemes."),
         ("complete", "Programme delivered; outcomes report to follow.")),
        "2021-03-18"),
    ActionSeed(
        "PA-03", "positive-activities", "Restore summer schemes in East Hampshire", "EHDC", "East Hampshire",
        "2020-10-01", "2021-09-30", "Summer schemes ran at about 40% of normal activity in 2020.",
        (("on_track", "Providers supported to plan Covid-secure schemes."),
         ("complete", "Summer 2021 schemes back to pre-Covid numbers.")),
        "2021-09-02"),
    ActionSeed(
        "PA-04", "positive-activities", "Staffing for the rise in referrals to children's social care",
        "HCC-CS", None, "2020-09-01", "2021-06-30",
        "Referrals have been 15 to 20% above the previous year since June 2020.",
        (("on_track", "Staffing levels maintained; agency cover approved for front door teams."),
         ("complete", "Demand absorbed; referral timescales within standard.")),
        "2021-06-24"),
    ActionSeed(
        "PA-05", "positive-activities", "Inclusion support to reduce exclusions", "HCC-CS", None,
        "2021-09-01", "2026-07-31",
        "Excluded children remain a concern: support schools to keep children at risk of exclusion in "
        "education.",
        (("on_track", "Inclusion support team working with 30 secondary schools."),
         ("at_risk", "Permanent exclusions rising again after the pandemic."),
         ("off_track", "Past its due date; exclusions still rising, revised plan due to the board.")),
    ),
    ActionSeed(
        "PA-06", "positive-activities", "Home to school transport for pupil referral units", "HCC", None,
        "2020-09-01", "2020-12-31",
        "Home to school transport presented significant challenges as pupils returned.",
        (("at_risk", "Transport capacity limited by distancing rules."),
         ("complete", "Additional vehicles secured; all pupils transported.")),
        "2020-12-10"),
    ActionSeed(
        "PA-07", "positive-activities", "Youth outreach in Fareham", "FBC", "Fareham", "2022-05-03",
        "2026-12-31", "Detached youth work and activities where young people gather.",
        (("on_track", "Outreach team in place three evenings a week."),
         ("on_track", "Sports sessions added in two parks over the summer.")),
    ),
    ActionSeed(
        "PA-08", "positive-activities", "Summer sports programme in Gosport", "GBC", "Gosport", "2019-05-01",
        "2020-03-31", "Free sports sessions for young people over the 2019 summer holidays.",
        (("on_track", "Programme published with local clubs."),
         ("complete", "Over 1,100 attendances across the summer.")),
        "2019-10-17"),
    ActionSeed(
        "PA-09", "positive-activities", "Youth aspiration programme in Hart", "HDC", "Hart", "2024-09-02",
        "2026-08-31", "Mentoring and careers activities for young people not in education or training.",
        (("not_started", "Funding bid submitted."),
         ("not_started", "Funding bid unsuccessful; the council is looking for another source.")),
    ),
    ActionSeed(
        "PA-10", "positive-activities", "Holiday Activities and Food programme", "HCC-CS", None, "2021-04-01",
        "2025-03-31", "Holiday activities with a meal for children eligible for free school meals.",
        (("on_track", "Easter and summer 2021 programmes delivered."),
         ("on_track", "Attendance above target in each of the last two years."),
         ("complete", "Four-year programme delivered.")),
        "2025-03-20"),
    ActionSeed(
        "PA-11", "positive-activities", "Positive activities in Andover", "TVBC", "Test Valley", "2025-04-01",
        "2026-03-31", "Evening activities for young people in Andover town centre.",
        (("on_track", "Youth club sessions restarted."),
         ("complete", "Sessions running twice a week with about 60 young people.")),
        "2026-03-19"),
    # ---- Retired 2019 priority 2: vulnerability through ICT and media (minutes item 2) ----
    ActionSeed(
        "OV-01", "online-vulnerability", "Online safety sessions in schools", "HC", None, "2019-04-01",
        "2020-03-31", "The internet remains a key threat that helps perpetrators exploit children.",
        (("on_track", "Sessions booked in primary and secondary schools."),
         ("complete", "Target number of sessions delivered before schools closed.")),
        "2020-03-12"),
    ActionSeed(
        "OV-02", "online-vulnerability", "Brief partners on technology-enabled grooming", "HCC-CS", None,
        "2019-04-01", "2020-06-30",
        "Children are enticed online with gifts and cash to gain their trust.",
        (("on_track", "Briefing drafted with the Willow Team."),
         ("cancelled", "Priority retired in April 2020; content folded into CL-01.")),
        "2020-04-02"),
    ActionSeed(
        "OV-03", "online-vulnerability", "Online scams awareness for older residents", "HCC-TS", None,
        "2019-06-03", "2020-03-31", "Scam awareness talks to older people's groups.",
        (("on_track", "Talks delivered to 25 groups."),
         ("complete", "Programme complete; materials passed to the county's scams team.")),
        "2020-02-27"),
    # ---- Retired 2019 priority 8: scarce resources and repeat victimisation (minutes item 2) ----
    ActionSeed(
        "SR-01", "scarce-resources", "Map repeat victimisation across partners", "OPCC", None, "2019-04-01",
        "2020-03-31", "Show where repeat victims are so partners can align resources.",
        (("on_track", "Police, housing and health data matched for two districts."),
         ("complete", "County map of repeat victimisation shared with all CSPs.")),
        "2020-03-05"),
    ActionSeed(
        "SR-02", "scarce-resources", "Joint tasking to repeat-victim hot-spots in Eastleigh", "EBC",
        "Eastleigh", "2019-05-01", "2020-06-30", "Direct district CSP resources to repeat-victim hot-spots.",
        (("on_track", "Monthly joint tasking meeting set up."),
         ("cancelled", "Priority retired; tasking continues through the district CSP.")),
        "2020-04-09"),
    ActionSeed(
        "SR-03", "scarce-resources", "Through-the-gate support for repeat offenders leaving HMP Winchester",
        "CRC", "Winchester", "2019-06-03", "2021-06-30",
        "Resettlement support to cut repeat offending and repeat victimisation.",
        (("on_track", "Resettlement workers based in the prison."),
         ("at_risk", "Prison visits restricted during Covid-19."),
         ("cancelled", "Transferred to the unified Probation Service in June 2021.")),
        "2021-06-24"),
]  # fmt: skip

# ------------------------------------------------------------------------------------------------------------
# Board assessments, set at Strategy Group meetings.  Commentary paraphrases the seeds up to November 2020;
# later entries continue the story told by the demonstration indicators and actions.  Inclusion and cohesion
# and voluntary capacity have no board assessment, so the dashboard rolls them up from their indicators.
# (meeting "YYYY-MM", priority, rag, commentary)
# ------------------------------------------------------------------------------------------------------------
ASSESSMENTS: list[tuple[str, str, str, str]] = [
    # County lines.
    ("2019-03", "county-lines", "amber",
     "Agreed as a county-wide priority. Individuals rather than gangs pose the biggest threat; ten awareness "
     "events for front-line staff are planned and a CP1 intelligence referral procedure introduced."),
    ("2019-09", "county-lines", "amber",
     "Drug networks and organised crime groups mapped. Cuckooing of vulnerable adults a growing concern; "
     "partners asked to submit more intelligence."),
    ("2020-06", "county-lines", "amber",
     "Covid-19 has had little impact on county lines business models, which run with changed methods. "
     "National risks: recruiting young people living in the county and targeting 'clean skin' children."),
    ("2020-09", "county-lines", "amber",
     "Operation Monument with the Metropolitan, West Midlands and Merseyside forces is producing arrests and "
     "guilty pleas. About 80% of the trade comes from London; activity is concentrated in the north."),
    ("2020-11", "county-lines", "amber",
     "Peer review of district arrangements under way. Limits on safeguarding powers for children in care "
     "remain a challenge; excluded children a continuing concern."),
    ("2021-11", "county-lines", "amber",
     "Peer review shared with partners and the Willow Team is now in every pupil referral unit. Partner "
     "intelligence reports up by a fifth on 2019 but still short of target."),
    ("2023-11", "county-lines", "green",
     "Partner intelligence reports reached target for the first time. Project Gateway evaluation positive."),
    ("2025-03", "county-lines", "amber",
     "Drug offences rising in the north of the county. Safeguarding plans for high-risk missing children "
     "(CL-06) behind schedule after the case management system change."),
    ("2026-09", "county-lines", "amber",
     "CL-06 passed its due date. Rushmoor's problem-solving plan is at risk while the housing post is "
     "vacant."),
    ("2026-11", "county-lines", "amber",
     "Enforcement remains strong, but two actions are overdue and Rushmoor's October drug offence return is "
     "outstanding. Recovery plans requested for the next meeting."),
    # Serious violence (from April 2020).
    ("2020-06", "serious-violence", "amber",
     "Violence Reduction Unit established, led by the Director of Public Health with the OPCC as accountable "
     "body for Home Office funding. Some interventions paused or changed during lockdown."),
    ("2020-11", "serious-violence", "amber",
     "Response Plan for 2021 agreed: youth crime prevention, Willow Team support in pupil referral units, "
     "school-based interventions, young adult rehabilitation, workforce skills and hot-spot programmes. "
     "Cardiff model data sharing in development."),
    ("2021-06", "serious-violence", "amber",
     "Updated problem profile reflects Covid-19. Cardiff model delayed by information governance approvals."),
    ("2022-09", "serious-violence", "amber",
     "Four of five emergency departments sharing assault data. Trauma-informed approach to stop and search "
     "being rolled out."),
    ("2023-11", "serious-violence", "amber",
     "All emergency departments sharing data. Sharp-object admissions of under-25s drifting above target."),
    ("2024-11", "serious-violence", "amber",
     "Admissions for assault with a sharp object volatile and above target in two of the last three "
     "quarters. Board asked the VRU for a focused review of knife crime affecting young people."),
    ("2025-11", "serious-violence", "red",
     "Possession of weapons offences falling, but sharp-object admissions remain well above target."),
    ("2026-06", "serious-violence", "red",
     "Front-line workforce programme (SV-08) overdue after the trainer contract lapsed."),
    ("2026-11", "serious-violence", "red",
     "Sharp-object admissions of under-25s still above target and SV-08 overdue. VRU to bring a recovery "
     "plan to the next meeting."),
    # Mental ill-health, substance misuse, domestic abuse, ACEs.
    ("2019-03", "mental-health-da-aces", "amber",
     "Agreed as a priority: the interconnected impact of mental ill-health, substance misuse, domestic abuse "
     "and adverse childhood experiences on community safety."),
    ("2019-11", "mental-health-da-aces", "amber",
     "Review of strategic arrangements proposes new executives for mental wellbeing and domestic abuse and a "
     "trauma-informed approaches board."),
    ("2020-06", "mental-health-da-aces", "amber",
     "Substance misuse services continue by phone and video, face to face for high-risk clients; good "
     "engagement of young people through digital channels. More clients accessing alcohol services."),
    ("2020-09", "mental-health-da-aces", "amber",
     "Domestic abuse demand up during Covid-19. Referral routes across Hampshire and the Isle of Wight "
     "harmonised and welcomed by the police."),
    ("2020-11", "mental-health-da-aces", "green",
     "Mental Wellbeing Executive, Domestic Abuse Executive and Trauma Informed Approaches Board in place. "
     "Rockpool workforce training funded by Health Education England."),
    ("2022-03", "mental-health-da-aces", "green",
     "Trauma-informed workforce plan delivered. Drug treatment completions above target."),
    ("2024-06", "mental-health-da-aces", "amber",
     "Perpetrator programme provider below contracted capacity. Alcohol admissions highest in Gosport; brief "
     "advice work started."),
    ("2026-11", "mental-health-da-aces", "amber",
     "Repeat referrals to MARAC just above target. Perpetrator programme (MH-07) off track and overdue."),
    # Radical extremism.
    ("2019-03", "radical-extremism", "green",
     "Agreed as a priority: the continuing threat of radical extremism. Prevent Partnership Board and "
     "Channel panel working well."),
    ("2020-09", "radical-extremism", "green",
     "Prevent Partnership Board and Channel panel have continued to work effectively during Covid-19."),
    ("2020-11", "radical-extremism", "amber",
     "Sustained increase in Channel referrals among the younger age group. New national referral process "
     "being embedded; local situation risk assessments under way with district CSPs."),
    ("2022-06", "radical-extremism", "green",
     "All eleven district risk assessments complete. Prevent training above target."),
    ("2025-06", "radical-extremism", "green",
     "Prevent training above target. Two district risk assessment refreshes outstanding."),
    # Positive activities.
    ("2019-06", "positive-activities", "green",
     "District summer programmes planned. School attendance above the national average."),
    ("2020-06", "positive-activities", "red",
     "Children largely house-bound. Focus on safe return to school; around 54% of vulnerable pupils in "
     "school, one of the highest rates in the country."),
    ("2020-09", "positive-activities", "red",
     "Summer schemes ran at about 40% of normal activity. The DfE-funded programme for vulnerable families "
     "was effective; outcomes yet to be reported."),
    ("2020-11", "positive-activities", "amber",
     "Referrals to children's social care 15 to 20% above last year since June, including teenagers with "
     "serious exploitation. Staffing maintained."),
    ("2021-11", "positive-activities", "amber",
     "Holiday activities back to normal. Exclusions beginning to rise."),
    ("2023-09", "positive-activities", "green",
     "Holiday Activities and Food programme above target; first-time entrants to youth justice falling."),
    ("2025-09", "positive-activities", "amber",
     "Permanent exclusions rising; inclusion support (PA-05) at risk."),
    ("2026-11", "positive-activities", "amber",
     "Holiday activities and first-time entrants on target, but exclusions still rising and PA-05 overdue."),
    # Retired 2019 priorities.
    ("2019-03", "online-vulnerability", "amber",
     "Agreed as a priority. The internet remains a key thematic threat and helps perpetrators exploit "
     "children."),
    ("2019-09", "online-vulnerability", "amber",
     "Online safety sessions in schools on track; online exploitation referrals rising."),
    ("2020-03", "online-vulnerability", "green",
     "Actions delivered. Priority to be retired from April 2020; online exploitation continues under county "
     "lines and exploitation."),
    ("2019-03", "scarce-resources", "amber",
     "Agreed as a priority: align scarce resources to vulnerability and repeat victimisation."),
    ("2019-11", "scarce-resources", "amber",
     "Repeat victimisation map completed for two districts; share of repeat victims above target."),
    ("2020-03", "scarce-resources", "red",
     "Repeat victim share still above target. Priority retired from April 2020; the work moves into the "
     "domestic abuse and exploitation priorities."),
]  # fmt: skip


# ------------------------------------------------------------------------------------------------------------
# Meetings: the Strategy Group was re-established in July 2018 and meets quarterly (Cabinet para 4).
# ------------------------------------------------------------------------------------------------------------
MEETING_NAME = "Hampshire Community Safety Strategy Group"
MEETING_MONTHS = (3, 6, 9, 11)
SPECIAL_MEETINGS = {
    "2018-07": "Hampshire Community Safety Strategy Group (re-established)",
    "2019-03": "Hampshire Community Safety Strategy Group: Strategic Assessment",
    "2020-06": "Hampshire Community Safety Strategy Group (online)",
}


def _second_thursday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 7)


def _meeting_dates() -> dict[str, date]:
    """Meeting date by "YYYY-MM": the second Thursday, except the assessment meeting of 11 March 2019."""
    months = [(2018, 7), (2018, 11)] + [(y, m) for y in range(2019, 2027) for m in MEETING_MONTHS]
    dates = {f"{y}-{m:02d}": _second_thursday(y, m) for y, m in months}
    dates["2019-03"] = AGREEMENT_2019
    return dates


# ------------------------------------------------------------------------------------------------------------
# Generators.
# ------------------------------------------------------------------------------------------------------------
def _rng(*parts: object) -> random.Random:
    """An independent, reproducible random stream (string seeds are hashed with SHA-512, not hash())."""
    return random.Random("-".join(str(part) for part in (SEED, *parts)))


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean < 50:  # Knuth's method
        limit, k, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


def _midpoint(period: date, frequency: Frequency) -> date:
    return period + (add_months(period, months_in(frequency)) - period) / 2


def _month_keys(period: date, frequency: Frequency) -> list[date]:
    return [add_months(period, k) for k in range(months_in(frequency))]


def _shape(series: Series, period: date, frequency: Frequency) -> float:
    """Trend x seasonality x shocks for one period, relative to the anchor level."""
    trend = (1 + series.trend) ** _years_between(series.anchored_on, _midpoint(period, frequency))
    factors = []
    for month in _month_keys(period, frequency):
        if series.month_pattern:
            season = series.month_pattern[month.month - 1]
        else:
            season = 1 + series.season * math.cos(2 * math.pi * (month.month - series.peak_month) / 12)
        factors.append(season * series.shocks.get(month.isoformat()[:7], 1.0))
    return trend * sum(factors) / len(factors)


def _population(code: str, period: date, frequency: Frequency) -> float:
    years = _years_between(date(2023, 7, 1), _midpoint(period, frequency))
    return POPULATION_2023[code] * (1 + POPULATION_GROWTH) ** years


def _byar_interval(count: float, denominator: float, per: float) -> tuple[float, float]:
    """95% confidence interval of a rate by Byar's approximation to the Poisson distribution."""
    z = 1.959964
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3 if count > 0 else 0.0
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return round(lower / denominator * per, 1), round(upper / denominator * per, 1)


def _value_row(indicator: str, period: date, value: float, district: str | None = None, **extra) -> dict:
    row = dict.fromkeys(COLUMNS["indicator_values"])
    row.update(indicator=indicator, period=period, value=value, district=district, **extra)
    return row


def _series_values(series: Series, frequency: Frequency) -> list[dict]:
    """All value rows of one indicator, before missing values are removed and notes added."""
    rng = _rng("values", series.indicator)
    last = (RETIRED_LAST_PERIOD if series.retired else LAST_PERIOD)[frequency]
    periods = periods_between(series.first, last, frequency)
    per_year = 12 / months_in(frequency)
    rows: list[dict] = []
    code = series.indicator

    if series.model == "district_count":
        for period in periods:
            shape = _shape(series, period, frequency)
            for district, annual in series.annual.items():
                rows.append(_value_row(code, period, _poisson(rng, annual / per_year * shape), district))

    elif series.model == "district_rate":
        multipliers = {d: 1 + rng.uniform(-series.spread, series.spread) for d, _ in DISTRICTS}
        for period in periods:
            shape = _shape(series, period, frequency)
            for district, _ in DISTRICTS:
                denominator = round(_population(district, period, frequency) * series.population_share)
                if series.annual:
                    expected = series.annual[district] / per_year * shape
                else:
                    expected = series.level * multipliers[district] * denominator / 100_000 / per_year * shape
                numerator = _poisson(rng, expected)
                value = round(numerator / denominator * 100_000, 1)
                rows.append(_value_row(code, period, value, district, numerator=numerator,
                                       denominator=denominator))  # fmt: skip

    elif series.model == "alcohol":
        for period in periods:
            shape = _shape(series, period, frequency)
            numerators, denominators = 0.0, 0
            for district, _ in DISTRICTS:
                denominator = round(_population(district, period, frequency))
                expected = ALCOHOL_ADMISSIONS_RATE[district] * denominator / 100_000 * shape
                # Alcohol-related admissions are attributable fractions of episodes, so counts are not whole.
                numerator = round(max(1.0, rng.gauss(expected, math.sqrt(expected))), 1)
                lower, upper = _byar_interval(numerator, denominator, 100_000)
                value = round(numerator / denominator * 100_000, 1)
                rows.append(_value_row(code, period, value, district, lower_ci=lower, upper_ci=upper,
                                       numerator=numerator, denominator=denominator))  # fmt: skip
                numerators += numerator
                denominators += denominator
            # The county figure is published alongside the districts, so it does not need deriving.
            numerators = round(numerators, 1)
            lower, upper = _byar_interval(numerators, denominators, 100_000)
            rows.append(_value_row(code, period, round(numerators / denominators * 100_000, 1), None,
                                   lower_ci=lower, upper_ci=upper, numerator=numerators,
                                   denominator=denominators))  # fmt: skip

    elif series.model == "whole_count":
        for period in periods:
            rows.append(
                _value_row(code, period, _poisson(rng, series.level * _shape(series, period, frequency)))
            )

    elif series.model == "whole_percent":
        for period in periods:
            years = _years_between(series.anchored_on, _midpoint(period, frequency))
            value = series.level + series.trend * years + rng.gauss(0, series.noise)
            rows.append(_value_row(code, period, round(min(100.0, max(0.0, value)), 1)))

    elif series.model == "whole_ratio":
        for period in periods:
            years = _years_between(series.anchored_on, _midpoint(period, frequency))
            share = (series.level + series.trend * years) / 100
            denominator = max(1, round(series.denominator * (1 + rng.gauss(0, 0.05))))
            spread = math.sqrt(denominator * share * (1 - share))
            numerator = min(denominator, max(0, round(rng.gauss(share * denominator, spread))))
            rows.append(_value_row(code, period, round(numerator / denominator * 100, 1),
                                   numerator=numerator, denominator=denominator))  # fmt: skip

    elif series.model == "whole_steps":
        denominator = int(series.denominator)
        numerator = 0
        for period in periods:
            numerator = series.steps.get(period.isoformat()[:7], numerator)
            rows.append(_value_row(code, period, round(numerator / denominator * 100, 1),
                                   numerator=numerator, denominator=denominator))  # fmt: skip

    else:
        raise ValueError(f"unknown model {series.model!r} for {code}")

    if series.latest is not None:
        _set_latest(rows[-1], series.latest)
    return rows


def _set_latest(row: dict, value: float) -> None:
    """Pin the latest whole-partnership value (keeping numerator / denominator consistent with it)."""
    if row["denominator"] is not None:
        row["numerator"] = round(value / 100 * row["denominator"])
        row["value"] = round(row["numerator"] / row["denominator"] * 100, 1)
    else:
        row["value"] = value if isinstance(row["value"], float) else round(value)


def _indicator_values() -> list[dict]:
    frequencies = {row[0]: row[5] for row in INDICATORS}
    rows: list[dict] = []
    for series in SERIES:
        missing = {(period, DISTRICT_CODE[name] if name else None) for period, name in series.missing}
        notes = {(period, DISTRICT_CODE[name] if name else None): note
                 for (period, name), note in series.notes.items()}  # fmt: skip
        for row in _series_values(series, frequencies[series.indicator]):
            key = (row["period"].isoformat()[:7], row["district"])
            if key in missing or (key[0], None) in missing:
                continue
            row["note"] = notes.get(key)
            rows.append(row)
    return rows


def _actions_and_updates() -> tuple[list[dict], list[dict]]:
    actions: list[dict] = []
    updates: list[dict] = []
    for seed in ACTIONS:
        opened, due = date.fromisoformat(seed.opened_on), date.fromisoformat(seed.due_date)
        if seed.closed_on:
            end = date.fromisoformat(seed.closed_on)
        else:  # open actions were last updated a few days to a few weeks before "now"
            end = AS_OF - timedelta(days=_rng("action", seed.ref).randint(3, 40))
        span = (end - opened).days
        count = len(seed.history)
        for k, (status, commentary, *dated) in enumerate(seed.history):
            when = (
                date.fromisoformat(dated[0])
                if dated
                else opened + timedelta(days=round(span * (k + 1) / count))
            )
            updates.append({"ref": seed.ref, "date": when, "status": status, "commentary": commentary})
        actions.append({
            "ref": seed.ref,
            "priority": seed.priority,
            "title": seed.title,
            "owner": seed.owner,
            "due_date": due,
            "status": seed.history[-1][0],
            "district": DISTRICT_CODE[seed.district] if seed.district else None,
            "description": seed.description,
            "opened_on": opened,
        })  # fmt: skip
    return actions, updates


def _frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    # object dtype keeps cells exactly as built: dates as datetime.date, blanks as None, ints as ints.
    return pd.DataFrame([[row.get(column) for column in COLUMNS[sheet]] for row in rows],
                        columns=COLUMNS[sheet], dtype=object)  # fmt: skip


def build_demo_workbook() -> dict[str, pd.DataFrame]:
    """Build the demonstration partnership: one DataFrame per workbook sheet, every column in contract order.

    Cells are ``datetime.date`` for dates, int or float for numbers, str for text and None for blanks.
    The result is the same on every call.
    """
    meetings = _meeting_dates()
    actions, updates = _actions_and_updates()
    indicators = [dict(zip(COLUMNS["indicators"], row, strict=True)) for row in INDICATORS]
    return {
        "districts": _frame("districts", [{"code": c, "name": n} for c, n in DISTRICTS]),
        "partners": _frame("partners", [{"code": c, "name": n, "sector": s} for c, n, s in PARTNERS]),
        "priorities": _frame("priorities", PRIORITIES),
        "indicators": _frame("indicators", indicators),
        "indicator_values": _frame("indicator_values", _indicator_values()),
        "actions": _frame("actions", actions),
        "action_updates": _frame("action_updates", updates),
        "assessments": _frame("assessments", [
            {"priority": priority, "date": meetings[month], "rag": rag, "commentary": commentary}
            for month, priority, rag, commentary in ASSESSMENTS
        ]),
        "meetings": _frame("meetings", [
            {"date": day, "name": SPECIAL_MEETINGS.get(month, MEETING_NAME)}
            for month, day in meetings.items()
        ]),
    }  # fmt: skip
