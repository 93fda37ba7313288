"""Write the demo partnership's indicator values: ``python -m data_access.demo.generate``.

Every other sheet of the demo workbook is kept by hand; only the value series are generated, because ten
thousand plausible figures are easier to model than to type.  How each indicator is modelled is data, in
``series.csv`` (one row per indicator); the real figures that anchor the levels are ``crime.csv`` (ONS Table
C2, police recorded crime by Community Safety Partnership, year ending June 2025) and ``districts.csv``
(population and OHID Fingertips alcohol-related admissions).  Each indicator's frequency comes from the
workbook's own ``indicators.csv``.

The output is deterministic (a fixed seed and one random stream per indicator, no reference to today), so
regenerating gives a byte-identical ``workbook/indicator_values.csv``; a test checks it.
"""

from __future__ import annotations

import csv
import math
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from data_access.demo import DEMO_DIR, WORKBOOK_DIR
from data_access.workbook import SHEETS_BY_NAME
from domain.periods import Frequency, add_months, is_period_start, months_in, periods_between

SEED = 20190311  # the day the Strategy Group agreed its 2019 Strategic Assessment
DEFAULT_ANCHOR = date(2025, 1, 1)  # the middle of the year ending June 2025, which crime.csv covers
CRIME_YEAR_START = date(2024, 7, 1)  # the first day of that year: rolling years are pinned to it
POPULATION_MIDYEAR = date(2023, 7, 1)  # districts.csv holds the mid-2023 population estimates
POPULATION_GROWTH = 0.007  # a year, for other periods
VALUE_COLUMNS = SHEETS_BY_NAME["indicator_values"].column_names


@dataclass(frozen=True)
class Series:
    """One row of series.csv, typed.  Blank cells take the defaults below."""

    indicator: str
    model: str
    first: date
    last: date
    anchor: str = ""  # a crime.csv column, or "population" (then anchor_scale is per 1,000 residents)
    anchor_scale: float = 1.0
    level: float = 0.0  # per period (whole counts), a percentage, or a rate per 100,000
    anchored_on: date = DEFAULT_ANCHOR  # where the trend factor is 1
    trend: float = 0.0  # a year: a fraction (counts, rates) or percentage points (percentages)
    season: float = 0.0  # amplitude of a yearly cosine peaking in peak_month
    peak_month: int = 7
    month_pattern: tuple[float, ...] = ()  # a multiplier per calendar month, instead of the cosine
    shocks: tuple[tuple[str, float], ...] = ()  # ("YYYY-MM", multiplier), later entries winning
    denominator: float = 0.0
    population_share: float = 1.0
    spread: float = 0.0
    noise: float = 0.0
    steps: tuple[tuple[str, int], ...] = ()
    latest: float | None = None  # the latest whole-partnership value, pinned (the target stories)
    missing: tuple[tuple[str, str | None], ...] = ()  # (period "YYYY-MM", district code or None for all)
    note_period: str = ""
    note: str = ""

    @classmethod
    def from_row(cls, row: dict[str, str]) -> Series:
        given = {key: value.strip() for key, value in row.items() if value and value.strip()}
        typed: dict[str, object] = {"indicator": given["indicator"], "model": given["model"]}
        for name in ("first", "last", "anchored_on"):
            if name in given:
                typed[name] = date.fromisoformat(given[name])
        numbers = ("anchor_scale", "level", "trend", "season", "denominator", "population_share", "spread",
                   "noise", "latest")  # fmt: skip
        typed.update({name: float(given[name]) for name in numbers if name in given})
        for name in ("anchor", "note_period", "note"):
            typed[name] = given.get(name, "")
        if "peak_month" in given:
            typed["peak_month"] = int(given["peak_month"])
        typed["month_pattern"] = tuple(float(part) for part in given.get("month_pattern", "").split())
        typed["shocks"] = tuple(_shocks(given.get("shocks", "")))
        typed["steps"] = tuple((m, int(n)) for m, n in (p.split("=") for p in given.get("steps", "").split()))
        typed["missing"] = tuple(
            (period, district or None)
            for period, _, district in (p.partition("@") for p in given.get("missing", "").split())
        )
        return cls(**typed)  # type: ignore[arg-type]


def _shocks(text: str) -> Iterator[tuple[str, float]]:
    """ "2020-04..2020-06=1.45 2024-08=2.2" -> one (month, multiplier) per month."""
    for part in text.split():
        months, factor = part.split("=")
        first, _, last = months.partition("..")
        start, end = date.fromisoformat(first + "-01"), date.fromisoformat((last or first) + "-01")
        for month in periods_between(start, end, "month"):
            yield month.isoformat()[:7], float(factor)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------------------------------------------------
# The real figures that anchor levels.
# ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Anchors:
    districts: list[dict[str, str]]  # districts.csv rows, in code order
    crime: list[dict[str, str]]  # crime.csv rows, one per Community Safety Partnership

    def population(self, code: str, period: date, frequency: Frequency) -> float:
        row = next(row for row in self.districts if row["district"] == code)
        years = _years_between(POPULATION_MIDYEAR, _midpoint(period, frequency))
        return int(row["population_2023"]) * (1 + POPULATION_GROWTH) ** years

    def annual(self, series: Series) -> dict[str, float]:
        """The annual count by district the series is anchored on, in the order its streams are drawn."""
        if series.anchor == "population":
            return {
                r["district"]: int(r["population_2023"]) * series.anchor_scale / 1000 for r in self.districts
            }
        annual: dict[str, float] = {}
        for partnership in self.crime:
            count = int(partnership[series.anchor]) * series.anchor_scale
            members = [row for row in self.districts if row["csp_code"] == partnership["csp_code"]]
            if len(members) == 1:
                annual[members[0]["district"]] = count
                continue
            # A CSP of several districts (North Hampshire) is split by population weighted by an assumed
            # relative crime rate, since ONS publishes only the CSP's total.
            weights = {r["district"]: int(r["population_2023"]) * float(r["crime_weight"]) for r in members}
            total = sum(weights.values())
            annual.update({code: count * weight / total for code, weight in weights.items()})
        return annual


# ------------------------------------------------------------------------------------------------------------
# Models: each returns an indicator's value rows for its periods.
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


def _shape(series: Series, period: date, frequency: Frequency) -> float:
    """Trend x seasonality x shocks for one period, relative to the anchor level."""
    trend = (1 + series.trend) ** _years_between(series.anchored_on, _midpoint(period, frequency))
    shocks = dict(series.shocks)
    factors = []
    for month in (add_months(period, k) for k in range(months_in(frequency))):
        if series.month_pattern:
            season = series.month_pattern[month.month - 1]
        else:
            season = 1 + series.season * math.cos(2 * math.pi * (month.month - series.peak_month) / 12)
        factors.append(season * shocks.get(month.isoformat()[:7], 1.0))
    return trend * sum(factors) / len(factors)


def _byar_interval(count: float, denominator: float, per: float) -> tuple[float, float]:
    """95% confidence interval of a rate by Byar's approximation to the Poisson distribution."""
    z = 1.959964
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3 if count > 0 else 0.0
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return round(lower / denominator * per, 1), round(upper / denominator * per, 1)


def _row(indicator: str, period: date, value: float, district: str | None = None, **extra: object) -> dict:
    return dict.fromkeys(VALUE_COLUMNS) | {"indicator": indicator, "period": period, "value": value,
                                          "district": district, **extra}  # fmt: skip


Model = Callable[[Series, Frequency, Anchors, random.Random], list[dict]]


def district_count(series: Series, frequency: Frequency, anchors: Anchors, rng: random.Random) -> list[dict]:
    per_year = 12 / months_in(frequency)
    rows = []
    for period in periods_between(series.first, series.last, frequency):
        shape = _shape(series, period, frequency)
        for district, annual in anchors.annual(series).items():
            rows.append(_row(series.indicator, period, _poisson(rng, annual / per_year * shape), district))
    return rows


def district_rolling_year(series: Series, _: Frequency, anchors: Anchors, rng: random.Random) -> list[dict]:
    """Years ending every quarter, as ONS publishes recorded crime: each the sum of four modelled quarters,
    the year ending June 2025 equal to the published count."""
    rows = []
    for district, annual in anchors.annual(series).items():
        quarters = {
            start: _poisson(rng, annual / 4 * _shape(series, start, "quarter"))
            for start in periods_between(series.first, add_months(series.last, 9), "quarter")
        }
        pinned = [add_months(CRIME_YEAR_START, months) for months in (0, 3, 6, 9)]
        quarters[pinned[-1]] = max(0, round(annual) - sum(quarters[start] for start in pinned[:-1]))
        for start in periods_between(series.first, series.last, "quarter"):
            total = sum(quarters[add_months(start, months)] for months in (0, 3, 6, 9))
            rows.append(_row(series.indicator, start, total, district))
    return rows


def district_rate(series: Series, frequency: Frequency, anchors: Anchors, rng: random.Random) -> list[dict]:
    per_year = 12 / months_in(frequency)
    codes = [row["district"] for row in anchors.districts]
    multipliers = {code: 1 + rng.uniform(-series.spread, series.spread) for code in codes}
    annual = anchors.annual(series) if series.anchor else {}
    rows = []
    for period in periods_between(series.first, series.last, frequency):
        shape = _shape(series, period, frequency)
        for code in codes:
            denominator = round(anchors.population(code, period, frequency) * series.population_share)
            if annual:
                expected = annual[code] / per_year * shape
            else:
                expected = series.level * multipliers[code] * denominator / 100_000 / per_year * shape
            numerator = _poisson(rng, expected)
            rows.append(_row(series.indicator, period, round(numerator / denominator * 100_000, 1), code,
                             numerator=numerator, denominator=denominator))  # fmt: skip
    return rows


def alcohol(series: Series, frequency: Frequency, anchors: Anchors, rng: random.Random) -> list[dict]:
    """Yearly rates with confidence intervals by district, and the county figure published beside them."""
    rows = []
    for period in periods_between(series.first, series.last, frequency):
        shape = _shape(series, period, frequency)
        numerators, denominators = 0.0, 0
        for row in anchors.districts:
            denominator = round(anchors.population(row["district"], period, frequency))
            expected = float(row["alcohol_admissions_rate"]) * denominator / 100_000 * shape
            # Alcohol-related admissions are attributable fractions of episodes, so counts are not whole.
            numerator = round(max(1.0, rng.gauss(expected, math.sqrt(expected))), 1)
            lower, upper = _byar_interval(numerator, denominator, 100_000)
            rows.append(_row(series.indicator, period, round(numerator / denominator * 100_000, 1), row["district"],
                             lower_ci=lower, upper_ci=upper, numerator=numerator, denominator=denominator))  # fmt: skip
            numerators += numerator
            denominators += denominator
        numerators = round(numerators, 1)
        lower, upper = _byar_interval(numerators, denominators, 100_000)
        rows.append(_row(series.indicator, period, round(numerators / denominators * 100_000, 1), None,
                         lower_ci=lower, upper_ci=upper, numerator=numerators, denominator=denominators))  # fmt: skip
    return rows


def whole_count(series: Series, frequency: Frequency, _: Anchors, rng: random.Random) -> list[dict]:
    return [
        _row(series.indicator, period, _poisson(rng, series.level * _shape(series, period, frequency)))
        for period in periods_between(series.first, series.last, frequency)
    ]


def whole_percent(series: Series, frequency: Frequency, _: Anchors, rng: random.Random) -> list[dict]:
    rows = []
    for period in periods_between(series.first, series.last, frequency):
        years = _years_between(series.anchored_on, _midpoint(period, frequency))
        value = series.level + series.trend * years + rng.gauss(0, series.noise)
        rows.append(_row(series.indicator, period, round(min(100.0, max(0.0, value)), 1)))
    return rows


def whole_ratio(series: Series, frequency: Frequency, _: Anchors, rng: random.Random) -> list[dict]:
    rows = []
    for period in periods_between(series.first, series.last, frequency):
        years = _years_between(series.anchored_on, _midpoint(period, frequency))
        share = (series.level + series.trend * years) / 100
        denominator = max(1, round(series.denominator * (1 + rng.gauss(0, 0.05))))
        spread = math.sqrt(denominator * share * (1 - share))
        numerator = min(denominator, max(0, round(rng.gauss(share * denominator, spread))))
        rows.append(_row(series.indicator, period, round(numerator / denominator * 100, 1),
                         numerator=numerator, denominator=denominator))  # fmt: skip
    return rows


def whole_steps(series: Series, frequency: Frequency, _: Anchors, __: random.Random) -> list[dict]:
    """A numerator that moves on given dates out of a fixed denominator (e.g. 10 of 11 districts)."""
    denominator, numerator, steps = int(series.denominator), 0, dict(series.steps)
    rows = []
    for period in periods_between(series.first, series.last, frequency):
        numerator = steps.get(period.isoformat()[:7], numerator)
        rows.append(_row(series.indicator, period, round(numerator / denominator * 100, 1),
                         numerator=numerator, denominator=denominator))  # fmt: skip
    return rows


MODELS: dict[str, Model] = {model.__name__: model for model in (
    district_count, district_rolling_year, district_rate, alcohol, whole_count, whole_percent, whole_ratio,
    whole_steps,
)}  # fmt: skip


def _pin_latest(row: dict, value: float) -> None:
    """Pin the latest whole-partnership value (keeping numerator / denominator consistent with it)."""
    if row["denominator"] is not None:
        row["numerator"] = round(value / 100 * row["denominator"])
        row["value"] = round(row["numerator"] / row["denominator"] * 100, 1)
    else:
        row["value"] = value if isinstance(row["value"], float) else round(value)


def indicator_values(demo_dir: Path = DEMO_DIR) -> list[dict]:
    """Every value row of the demo, sorted as the exporter sorts them."""
    workbook = demo_dir / WORKBOOK_DIR.name
    frequencies = {row["code"]: row["frequency"] for row in read_csv(workbook / "indicators.csv")}
    anchors = Anchors(read_csv(demo_dir / "districts.csv"), read_csv(demo_dir / "crime.csv"))
    rows: list[dict] = []
    for series in map(Series.from_row, read_csv(demo_dir / "series.csv")):
        frequency = frequencies[series.indicator]
        for day in (series.first, series.last):
            if not is_period_start(day, frequency):
                raise ValueError(f"series.csv: {series.indicator} {day} is not a {frequency} start")
        generated = MODELS[series.model](series, frequency, anchors, _rng("values", series.indicator))
        if series.latest is not None:
            _pin_latest(generated[-1], series.latest)
        missing = set(series.missing)
        for row in generated:
            month = row["period"].isoformat()[:7]
            if (month, row["district"]) in missing or (month, None) in missing:
                continue
            row["note"] = series.note if month == series.note_period else None
            rows.append(row)
    return sorted(
        rows, key=lambda r: (r["indicator"], r["district"] is not None, r["district"] or "", r["period"])
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 12.0 is written as a person types it
    return str(value)


def write_sheet(path: Path, columns: list[str], rows: list[dict]) -> None:
    """A workbook sheet as UTF-8 CSV with LF line ends, the form the repository keeps."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or [WORKBOOK_DIR / "indicator_values.csv"])[0])
    rows = indicator_values()
    write_sheet(target, VALUE_COLUMNS, rows)
    print(f"Wrote {len(rows)} indicator values to {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
