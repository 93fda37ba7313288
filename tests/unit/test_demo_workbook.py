"""The demonstration workbook (CSV files in data_access/demo/workbook) keeps the contract and varies on
purpose; its generated values are reproducible."""

from __future__ import annotations

import ast
import csv
import re
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data_access.demo import AS_OF, DEMO_DIR, WORKBOOK_DIR, generate
from data_access.workbook import SHEETS, SHEETS_BY_NAME, parse_sheet, read_workbook
from domain.periods import is_period_start, period_end, period_label, periods_between

ACTION_STATUSES = {"not_started", "on_track", "at_risk", "off_track", "complete", "cancelled"}
OPEN_STATUSES = ACTION_STATUSES - {"complete", "cancelled"}
OVERDUE_ON = date(2026, 11, 21)
URL_SAFE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NEW_PRIORITY_AGREED = date(2026, 9, 10)


@pytest.fixture(scope="module")
def workbook() -> dict[str, pd.DataFrame]:
    """Every sheet as the importer parses it: dates as dates, numbers as floats, blanks as None."""
    raw_sheets, notices = read_workbook(WORKBOOK_DIR)
    assert notices == []
    frames = {}
    for name, raw in raw_sheets.items():
        records, _, problems = parse_sheet(raw)
        assert problems == [], problems
        columns = SHEETS_BY_NAME[name].column_names
        frames[name] = pd.DataFrame([record.values for record in records], columns=columns, dtype=object)
    return frames


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _in_force(priorities: pd.DataFrame, on: date) -> set[str]:
    return {
        row.code
        for row in priorities.itertuples()
        if row.valid_from <= on and (_blank(row.valid_to) or row.valid_to >= on)
    }


def _latest_whole_value(values: pd.DataFrame) -> float:
    """The latest whole-partnership value: given, or derived from the districts (ratio or sum)."""
    latest = values[values.period == values.period.max()]
    whole = latest[latest.district.isna()]
    if not whole.empty:
        return float(whole.value.iloc[0])
    if latest.numerator.notna().all():
        first = latest.iloc[0]
        scale = first.value / (first.numerator / first.denominator)
        return float(latest.numerator.sum() / latest.denominator.sum() * scale)
    return float(latest.value.sum())


def _rag(value: float, target: float, tolerance: float, direction: str) -> str:
    if direction == "up":
        return "green" if value >= target else "amber" if value >= target * (1 - tolerance) else "red"
    return "green" if value <= target else "amber" if value <= target * (1 + tolerance) else "red"


# ---- The contract ------------------------------------------------------------------------------------------


def test_one_csv_per_sheet_with_every_column_in_contract_order():
    files = sorted(path.name for path in WORKBOOK_DIR.iterdir())
    assert files == sorted(f"{sheet.name}.csv" for sheet in SHEETS)
    for sheet in SHEETS:
        with (WORKBOOK_DIR / f"{sheet.name}.csv").open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == sheet.column_names, sheet.name


def test_files_are_plain_utf8_with_lf_line_ends():
    for path in WORKBOOK_DIR.iterdir():
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), path.name
        assert b"\r\n" not in data and data.endswith(b"\n"), path.name
        data.decode("utf-8")


def test_every_sheet_has_rows_and_the_partnership_names_itself(workbook):
    assert set(workbook) == {sheet.name for sheet in SHEETS}
    assert all(not frame.empty for frame in workbook.values())
    assert workbook["partnership"].to_dict("records") == [
        {
            "name": "Hampshire Community Safety Strategy Group (demonstration data)",
            "short_name": "Hampshire CSSG (demo)",
        }
    ]


def test_required_cells_are_filled_and_natural_keys_unique(workbook):
    for sheet in SHEETS:
        frame = workbook[sheet.name]
        for column in sheet.columns:
            if column.required:
                assert not frame[column.name].map(_blank).any(), f"{sheet.name}.{column.name}"
        if sheet.key:
            keys = frame[list(sheet.key)].astype(str)
            assert not keys.duplicated().any(), f"{sheet.name}: {keys[keys.duplicated()].head()}"


def test_references_resolve(workbook):
    partners = set(workbook["partners"].code)
    districts = set(workbook["districts"].code)
    priorities = set(workbook["priorities"].code)
    indicators = set(workbook["indicators"].code)
    actions = set(workbook["actions"].ref)

    assert set(workbook["priorities"].lead_partner.dropna()) <= partners
    assert set(workbook["indicators"].priority) <= priorities
    assert set(workbook["indicator_values"].indicator) <= indicators
    assert set(workbook["indicator_values"].district.dropna()) <= districts
    assert set(workbook["actions"].priority) <= priorities
    assert set(workbook["actions"].owner) <= partners
    assert set(workbook["actions"].district.dropna()) <= districts
    assert set(workbook["action_updates"].ref) <= actions
    assert set(workbook["assessments"].priority) <= priorities


def test_tolerances_are_fractions(workbook):
    tolerances = workbook["indicators"].tolerance.dropna()
    assert ((tolerances > 0) & (tolerances < 1)).all()


def test_periods_are_valid_starts_and_ended_by_the_demo_date(workbook):
    frequency = dict(zip(workbook["indicators"].code, workbook["indicators"].frequency, strict=True))
    for row in workbook["indicator_values"].itertuples():
        row_frequency = frequency[row.indicator]
        assert is_period_start(row.period, row_frequency), (row.indicator, row.period)
        assert date(2018, 1, 1) <= row.period, (row.indicator, row.period)
        assert period_end(row.period, row_frequency) < AS_OF, (row.indicator, row.period)


def test_the_dataset_is_district_codes_and_real_ons_codes(workbook):
    districts = dict(zip(workbook["districts"].code, workbook["districts"].name, strict=True))
    assert len(districts) == 11
    assert districts["E07000084"] == "Basingstoke and Deane"
    assert districts["E07000094"] == "Winchester"
    assert all(re.fullmatch(r"E070000(8[4-9]|9[0-4])", code) for code in districts)


def test_codes_are_url_safe_and_short_titles_fit_cards(workbook):
    for code in [*workbook["priorities"].code, *workbook["indicators"].code]:
        assert URL_SAFE.match(code), code
    assert workbook["priorities"].short_title.map(len).max() <= 30


# ---- The generated values: reproducible, fast, free of the web and database layers -------------------------


def test_regenerating_the_values_gives_a_byte_identical_file(tmp_path):
    target = tmp_path / "indicator_values.csv"
    started = time.perf_counter()
    generate.main([str(target)])
    assert time.perf_counter() - started < 2.0
    assert target.read_bytes() == (WORKBOOK_DIR / "indicator_values.csv").read_bytes()


def test_every_indicator_has_a_series_and_every_series_an_indicator(workbook):
    with (DEMO_DIR / "series.csv").open(encoding="utf-8", newline="") as handle:
        series = [row["indicator"] for row in csv.DictReader(handle)]
    assert sorted(series) == sorted(workbook["indicators"].code)


def test_generator_imports_neither_dash_nor_sqlalchemy():
    for module in (generate.__file__, DEMO_DIR / "__init__.py"):
        tree = ast.parse(Path(module).read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        assert not imported & {"dash", "dash_bootstrap_components", "sqlalchemy", "flask"}, module


# ---- Priorities: eight in 2019, seven in 2020, one changed -------------------------------------------------


def test_priority_sets_of_2019_and_2020(workbook):
    priorities = workbook["priorities"]
    assert len(_in_force(priorities, date(2019, 6, 1))) == 8
    assert len(_in_force(priorities, date(2020, 6, 1))) == 7
    assert len(_in_force(priorities, date(2026, 9, 1))) == 7
    assert len(_in_force(priorities, date(2026, 11, 1))) == 8


def test_a_priority_changed_between_2019_and_2020(workbook):
    priorities = workbook["priorities"].set_index("code")
    retired = priorities[priorities.valid_to.map(lambda d: not _blank(d))]
    assert (retired.valid_to == date(2020, 3, 31)).all() and len(retired) == 2
    new = priorities[priorities.valid_from == date(2020, 4, 1)]
    assert list(new.index) == ["serious-violence"]
    # The new priority takes number 2, which the retired ICT priority held in 2019.
    assert new.number.iloc[0] in set(retired.number)
    continuing = priorities[priorities.valid_from == date(2019, 3, 11)].drop(retired.index)
    assert len(continuing) == 6 and continuing.valid_to.map(_blank).all()


def test_a_new_priority_agreed_at_a_recent_meeting_is_tracked_only_by_its_actions(workbook):
    priorities = workbook["priorities"].set_index("code")
    assert priorities.loc["modern-slavery", "valid_from"] == NEW_PRIORITY_AGREED
    assert NEW_PRIORITY_AGREED in set(workbook["meetings"].date)
    assert "modern-slavery" not in set(workbook["indicators"].priority)
    actions = workbook["actions"][workbook["actions"].priority == "modern-slavery"]
    assert actions.ref.tolist() == ["MS-01", "MS-02", "MS-03", "MS-04"]
    assert (actions.opened_on == NEW_PRIORITY_AGREED).all()
    assert sorted(actions.status) == ["at_risk", "not_started", "on_track", "on_track"]


# ---- Indicators --------------------------------------------------------------------------------------------


def test_three_to_five_indicators_per_priority_except_the_new_one(workbook):
    counts = workbook["indicators"].groupby("priority").size()
    assert set(counts.index) == set(workbook["priorities"].code) - {"modern-slavery"}
    assert counts.between(3, 5).all(), counts.to_dict()
    assert len(workbook["indicators"]) == 35


def test_every_indicator_is_labelled_demonstration_data(workbook):
    assert workbook["indicators"].source.str.startswith("Demonstration data").all()
    assert workbook["indicators"].source.str.contains("ONS Table C2").any()


def test_every_indicator_has_values_and_row_count_is_reasonable(workbook):
    values = workbook["indicator_values"]
    assert set(values.indicator) == set(workbook["indicators"].code)
    assert len(values) == 5_881


def test_targets_met_near_and_missed(workbook):
    values = workbook["indicator_values"]
    rags = {}
    for row in workbook["indicators"].itertuples():
        if _blank(row.target) or row.good_direction == "none":
            continue
        tolerance = 0.05 if _blank(row.tolerance) else row.tolerance
        latest = _latest_whole_value(values[values.indicator == row.code])
        rags[row.code] = _rag(latest, row.target, tolerance, row.good_direction)
    assert {"green", "amber", "red"} <= set(rags.values()), rags
    assert rags["marac-repeat-referrals"] == "amber"
    assert rags["local-risk-assessments"] == "amber"  # only within its wider 10% tolerance
    assert rags["sharp-object-admissions"] == "red"
    assert rags["public-confidence"] == "red"
    assert rags["partner-intelligence-reports"] == "green"
    no_target = workbook["indicators"].target.map(_blank)
    assert no_target.sum() >= 10  # compared year on year instead


def test_a_neutral_indicator_and_a_confidence_interval(workbook):
    indicators = workbook["indicators"].set_index("code")
    assert indicators.loc["channel-referrals", "good_direction"] == "none"
    values = workbook["indicator_values"]
    with_ci = values[values.lower_ci.notna() & values.upper_ci.notna()]
    assert not with_ci.empty
    assert (with_ci.lower_ci <= with_ci.value).all() and (with_ci.value <= with_ci.upper_ci).all()


def test_whole_only_district_only_and_rates_with_numerators(workbook):
    values = workbook["indicator_values"]
    has_district = values.groupby("indicator").district.apply(lambda s: s.notna().any())
    has_whole = values.groupby("indicator").district.apply(lambda s: s.isna().any())
    assert not has_district["channel-referrals"]
    assert (has_district & ~has_whole).sum() >= 3  # the dashboard derives the whole
    assert (~has_district & has_whole).sum() >= 10
    rates = values[values.indicator == "violence-with-injury-rate"]
    assert rates.district.notna().all()
    derived = rates.numerator / rates.denominator * 100_000
    assert ((derived - rates.value).abs() < 0.051).all()


def test_latest_period_of_a_count_misses_a_district(workbook):
    values = workbook["indicator_values"]
    incomplete = []
    for code, rows in values[values.district.notna()].groupby("indicator"):
        per_period = rows.groupby("period").district.nunique()
        if per_period.iloc[-1] < per_period.max():
            incomplete.append(code)
    assert "drug-offences" in incomplete


def test_some_periods_are_missing(workbook):
    frequency = dict(zip(workbook["indicators"].code, workbook["indicators"].frequency, strict=True))
    gaps = []
    for code, rows in workbook["indicator_values"].groupby("indicator"):
        present = sorted(set(rows.period))
        expected = periods_between(present[0], present[-1], frequency[code])
        if len(present) < len(expected):
            gaps.append(code)
    assert len(gaps) >= 2, gaps


def test_series_cover_2018_to_the_last_complete_period(workbook):
    values = workbook["indicator_values"]
    drug = values[values.indicator == "drug-offences"]
    assert drug.period.min() == date(2018, 4, 1) and drug.period.max() == date(2026, 10, 1)
    assert values[values.indicator == "alcohol-admissions"].period.max() == date(2025, 4, 1)
    assert values[values.indicator == "sharp-object-admissions"].period.max() == date(2026, 7, 1)


def test_a_rolling_year_published_every_quarter_anchored_on_ons_table_c2(workbook):
    indicator = workbook["indicators"].set_index("code").loc["violence-against-the-person"]
    assert (indicator.frequency, indicator.unit, indicator.priority) == ("year", "count", "serious-violence")
    values = workbook["indicator_values"].query("indicator == 'violence-against-the-person'")
    assert values.district.notna().all() and values.district.nunique() == 11
    periods = sorted(set(values.period))
    assert periods == periods_between(date(2018, 4, 1), date(2025, 7, 1), "quarter")
    assert period_label(periods[-1], "year") == "year ending Jun 2026"
    assert period_end(periods[1], "year") > periods[2]  # the years overlap
    year_ending_june_2025 = values[values.period == date(2024, 7, 1)].set_index("district").value
    # Violence against the person in Table C2 for the eight CSPs that are single districts.
    published = {
        "E07000085": 2421, "E07000086": 3383, "E07000087": 2391, "E07000088": 2967,
        "E07000090": 4366, "E07000091": 3711, "E07000093": 2877, "E07000094": 2830,
    }  # fmt: skip
    assert {code: year_ending_june_2025[code] for code in published} == published
    north_hampshire = year_ending_june_2025[["E07000084", "E07000089", "E07000092"]].sum()
    assert abs(north_hampshire - 9870) <= 1  # the CSP's count, split between its districts


def test_a_calendar_year_indicator(workbook):
    indicator = workbook["indicators"].set_index("code").loc["drug-misuse-deaths"]
    assert indicator.frequency == "year"
    values = workbook["indicator_values"].query("indicator == 'drug-misuse-deaths'")
    assert values.district.isna().all()
    assert [period_label(period, "year") for period in values.period] == [str(y) for y in range(2018, 2026)]


def test_some_values_carry_notes(workbook):
    notes = workbook["indicator_values"].note.dropna()
    assert "Provisional" in set(notes)
    assert notes.map(lambda note: isinstance(note, str) and note.strip() != "").all()


# ---- Actions and their updates -----------------------------------------------------------------------------


def test_enough_actions_with_a_spread_of_statuses(workbook):
    actions = workbook["actions"]
    assert len(actions) >= 45
    assert {"complete", "cancelled", "at_risk", "off_track", "on_track", "not_started"} <= set(actions.status)
    assert (actions.opened_on <= actions.due_date).all()
    assert actions.ref.map(lambda ref: re.fullmatch(r"[A-Z]{2}-\d{2}", ref) is not None).all()


def test_about_a_third_of_actions_are_local(workbook):
    share = workbook["actions"].district.notna().mean()
    assert 0.25 <= share <= 0.45, share


def test_several_open_actions_are_overdue(workbook):
    actions = workbook["actions"]
    overdue = actions[actions.status.isin(OPEN_STATUSES) & (actions.due_date < OVERDUE_ON)]
    assert len(overdue) >= 4, overdue.ref.tolist()


def test_status_is_the_latest_update_and_updates_fall_in_the_action_window(workbook):
    actions = workbook["actions"].set_index("ref")
    updates = workbook["action_updates"]
    per_action = updates.groupby("ref").size()
    assert set(per_action.index) == set(actions.index)
    assert per_action.between(1, 5).all()
    latest = updates.sort_values("date").groupby("ref").last()
    assert (latest.status == actions.status.loc[latest.index]).all()
    opened = actions.opened_on.loc[updates.ref].to_numpy()
    assert (updates.date.to_numpy() >= opened).all()
    assert (updates.date <= AS_OF).all()
    assert updates.commentary.map(lambda text: isinstance(text, str) and len(text) > 10).all()


# ---- Assessments and meetings ------------------------------------------------------------------------------


def test_meetings_are_quarterly_from_july_2018_to_november_2026(workbook):
    dates = sorted(workbook["meetings"].date)
    assert (dates[0].year, dates[0].month) == (2018, 7)
    assert (dates[-1].year, dates[-1].month) == (2026, 11)
    assert date(2019, 3, 11) in dates  # the Strategic Assessment meeting in the minutes
    gaps = [(later - earlier).days for earlier, later in zip(dates, dates[1:], strict=False)]
    assert max(gaps) <= 130 and min(gaps) >= 50


def test_assessments_fall_on_meetings_while_the_priority_is_in_force(workbook):
    meetings = set(workbook["meetings"].date)
    priorities = workbook["priorities"]
    for row in workbook["assessments"].itertuples():
        assert row.date in meetings, row
        assert row.priority in _in_force(priorities, row.date), row


def test_some_priorities_in_force_have_no_board_assessment(workbook):
    current = _in_force(workbook["priorities"], date(2026, 11, 15))
    assessed = set(workbook["assessments"].priority)
    assert len(current - assessed) >= 2
    assert len(current & assessed) >= 4
