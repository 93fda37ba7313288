"""/changes in headless Chromium, on a partnership built so that each kind of change happens once between
two meetings: the right items are listed, choosing another meeting updates the link and the page, and
axe-core finds nothing."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.helpers import console_errors, format_violations, run_axe, wait_for_dash_idle
from tests.serving import serving
from tests.workbooks import changes_between_meetings

pytestmark = pytest.mark.browser


@pytest.fixture
def vale(dash_duo, dashboard, tmp_path):
    with serving(changes_between_meetings(), tmp_path / "vale.db"):
        dash_duo.serve(dashboard.app)
        yield dash_duo


def read_page(browser, path: str | None = None) -> str:
    """The page's words as a reader meets them, after an audit that must find nothing."""
    if path is not None:
        browser.driver.get(browser.server_url + path)
    wait_for_dash_idle(browser.driver, timeout=30)
    violations = run_axe(browser.driver)
    assert violations == [], format_violations(violations)
    return " ".join(browser.driver.find_element(By.TAG_NAME, "body").text.split())


def section_text(browser, anchor: str) -> str:
    return " ".join(browser.driver.find_element(By.ID, anchor).text.split())


def test_changes_lists_what_changed_between_the_two_meetings(vale):
    page = read_page(vale, "/changes?as_at=2025-08-01")
    assert "Changes between the 13 Mar 2025 meeting and the 12 Jun 2025 meeting" in page

    priorities = section_text(vale, "priority-changes")
    assert "1. Violence" in priorities and "▲ Amber" in priorities and "✖ Red" in priorities
    indicators = section_text(vale, "indicator-changes")
    assert "Knife crime offences" in indicators and "Q4 2024/25 value of 130" in indicators
    assert section_text(vale, "actions-completed").count("VL-") == 1 and "VL-DONE" in page
    assert "VL-LATE" in section_text(vale, "actions-overdue")
    assert "VL-NEW" in section_text(vale, "new-actions")
    new_data = section_text(vale, "new-data")
    assert "Q4 2024/25 130" in new_data and "Q1 2025/26" not in new_data
    commentary = section_text(vale, "new-commentary")
    assert "Knife crime is up." in commentary and "Recovering." not in commentary
    for absent in ("VL-EARLY", "VL-STALE", "VL-FUTURE"):
        assert absent not in page

    # A link from a priority keeps the filters.
    link = vale.driver.find_element(By.CSS_SELECTOR, "#priority-changes a")
    assert link.get_attribute("href").endswith("/priority/violence?as_at=2025-08-01")
    assert console_errors(vale) == []


def test_choosing_another_meeting_updates_the_link_and_the_page(vale):
    read_page(vale, "/changes?district=D1&as_at=2025-08-01")
    Select(vale.driver.find_element(By.ID, "changes-from")).select_by_value("2024-12-05")
    WebDriverWait(vale.driver, 10).until(lambda driver: "from=2024-12-05" in driver.current_url)
    assert vale.driver.execute_script("return window.location.search") == (
        "?district=D1&as_at=2025-08-01&from=2024-12-05&to=2025-06-12"
    )
    # The heading is replaced as the page re-renders: a heading found just before that is stale, so ask again.
    WebDriverWait(vale.driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda driver: "the 5 Dec 2024 meeting" in driver.find_element(By.TAG_NAME, "h1").text
    )
    page = read_page(vale)
    assert "Northtown" in page
    # Since December, Northtown's knife crime went from no data to amber, through two new quarters.
    indicators = section_text(vale, "indicator-changes")
    assert "Northtown ? Not enough data" in indicators and "▲ Amber Q4 2024/25 value of 105" in indicators
    new_data = section_text(vale, "new-data")
    assert (
        "Q3 2024/25 40" in new_data and "Q4 2024/25 105" in new_data and "Whole partnership" not in new_data
    )
    assert "VL-NEW" not in page  # Southvale's, not in view
    assert console_errors(vale) == []


def test_a_folded_list_opens_from_the_keyboard_and_is_filled_in(vale, monkeypatch):
    from selenium.webdriver.common.keys import Keys

    from components import changes as sections

    monkeypatch.setattr(sections, "FOLD_AFTER_ROWS", 0)  # every list folds: this partnership's are short
    read_page(vale, "/changes?as_at=2025-08-01")
    assert section_text(vale, "new-data").endswith("Show all 1 new value")
    summary = vale.driver.find_element(By.CSS_SELECTOR, "#new-data details > summary")
    vale.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", summary
    )
    vale.driver.switch_to.active_element.send_keys(Keys.ENTER)
    vale.wait_for_contains_text("#new-data details[open] tbody", "Q4 2024/25")
    read_page(vale)  # axe-clean with the table open too
    new_data = section_text(vale, "new-data")
    assert "Q4 2024/25 130" in new_data and "Loading the table" not in new_data
    # The other folds stay closed.
    assert "VL-DONE" not in section_text(vale, "actions-completed")
    assert console_errors(vale) == []
