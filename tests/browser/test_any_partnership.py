"""A partnership unlike the demo, in headless Chromium: one district with a Welsh name, a priority tracked
only by its actions, and police recorded crime published as rolling years every quarter. Every page
reads right, has no console errors and no axe-core violations."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from data_access import db
from data_access.importer import import_frames
from tests.browser.helpers import console_errors, format_violations, run_axe, wait_for_dash_idle
from tests.workbooks import D, frame

pytestmark = pytest.mark.browser

ANGLESEY = "W06000001"
AS_AT = "2025-11-21"
# Year ending Mar 2024 to year ending Jun 2025, published every quarter: six overlapping years.
ROLLING_YEAR_STARTS = [
    D(2023, 4, 1),
    D(2023, 7, 1),
    D(2023, 10, 1),
    D(2024, 1, 1),
    D(2024, 4, 1),
    D(2024, 7, 1),
]


def one_district_partnership() -> dict:
    return {
        "partnership": frame(
            "partnership",
            [{"name": "Partneriaeth Diogelwch Cymunedol Ynys Môn", "short_name": "Diogelwch Môn"}],
        ),
        "districts": frame("districts", [{"code": ANGLESEY, "name": "Ynys Môn"}]),
        "partners": frame(
            "partners",
            [
                {"code": "NWP", "name": "Heddlu Gogledd Cymru", "sector": "Police"},
                {"code": "IOACC", "name": "Cyngor Sir Ynys Môn", "sector": "Local authority"},
            ],
        ),
        "priorities": frame(
            "priorities",
            [
                {
                    "code": "trais",
                    "number": 1,
                    "title": "Lleihau trais difrifol",
                    "short_title": "Trais difrifol",
                },
                {
                    "code": "cydlyniant",
                    "number": 2,
                    "title": "Cydlyniant cymunedol: a new priority tracked by its actions so far",
                    "short_title": "Cydlyniant cymunedol",
                },
            ],
        ),
        "indicators": frame(
            "indicators",
            [
                {
                    "code": "violence-ye",
                    "priority": "trais",
                    "name": "Violence against the person (rolling year)",
                    "unit": "count",
                    "good_direction": "down",
                    "frequency": "year",
                    "source": "ONS Table C2 style, test data",
                }
            ],
        ),
        "indicator_values": frame(
            "indicator_values",
            [
                {"indicator": "violence-ye", "district": ANGLESEY, "period": start, "value": 2000 - 20 * i}
                for i, start in enumerate(ROLLING_YEAR_STARTS)
            ],
        ),
        "actions": frame(
            "actions",
            [
                {
                    "ref": "CC-01",
                    "priority": "cydlyniant",
                    "title": "Cynnal fforwm cymunedol ym mhob ward",
                    "owner": "IOACC",
                    "due_date": D(2025, 6, 30),
                    "status": "on_track",
                },
                {
                    "ref": "CC-02",
                    "priority": "cydlyniant",
                    "title": "Map community tensions with the police",
                    "owner": "NWP",
                    "due_date": D(2026, 3, 31),
                    "status": "at_risk",
                    "district": ANGLESEY,
                },
            ],
        ),
    }


@pytest.fixture
def one_district(dashboard, tmp_path):
    """The dashboard pointed at its own database holding the one-district partnership."""
    url = f"sqlite:///{tmp_path / 'mon.db'}"
    engine = db.get_engine(url)
    db.upgrade_schema(engine)
    import_frames(engine, one_district_partnership())
    previous = db._default_database_url
    db.configure(url)
    yield dashboard
    db.configure(previous)
    engine.dispose()


def test_a_one_district_partnership_reads_right_on_every_page(dash_duo, one_district):
    dash_duo.serve(one_district.app)
    driver = dash_duo.driver

    def open_page(path: str) -> str:
        driver.get(dash_duo.server_url + path)
        wait_for_dash_idle(driver, timeout=30)
        violations = run_axe(driver)
        assert violations == [], f"{path}: {format_violations(violations)}"
        # Words as a reader meets them, whatever line breaks the layout puts between them.
        return " ".join(driver.find_element(By.TAG_NAME, "body").text.split())

    overview = open_page(f"/?as_at={AS_AT}")
    assert "Partneriaeth Diogelwch Cymunedol Ynys Môn" in overview
    assert "Trais difrifol" in overview and "Cydlyniant cymunedol" in overview
    assert "No meetings recorded" in overview  # the meeting picker says why it is empty
    assert "2 priorities in force" in overview
    assert driver.title == "Overview – Diogelwch Môn"

    actions_only = open_page(f"/priority/cydlyniant?as_at={AS_AT}")
    assert "No indicators are recorded for this priority." in actions_only
    assert "No indicators yet: this priority is tracked by its actions." in actions_only
    assert "2 open actions, 1 overdue." in actions_only

    rolling = open_page(f"/priority/trais?district={ANGLESEY}&as_at={AS_AT}")
    # The district's own latest figure in words, with its rolling-year period as ONS labels it.
    assert "1,900" in rolling and "year ending Jun 2025" in rolling
    assert "the year ending June 2024 (1,980)" in rolling  # the same 12 months a year earlier
    ticks = driver.execute_script("return document.querySelector('.js-plotly-plot').layout.xaxis.ticktext")
    assert ticks[-1] == "year ending Jun 2025"

    assert "Ynys Môn" in open_page(f"/districts?as_at={AS_AT}")
    assert "Map community tensions with the police" in open_page(f"/actions?as_at={AS_AT}")
    assert console_errors(dash_duo) == []
