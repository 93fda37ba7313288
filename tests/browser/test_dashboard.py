"""The dashboard in headless Chromium, on the demo partnership: navigation keeps the filters, the
filters redraw the charts, a pasted link restores them, unknown pages say so, and every page is
free of console errors and axe-core violations."""

from __future__ import annotations

import urllib.request
from urllib.error import HTTPError

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.helpers import (
    console_errors,
    format_violations,
    run_axe,
    wait_for_dash_idle,
    wait_for_grid_rows,
)

pytestmark = pytest.mark.browser

FAREHAM, GOSPORT = "E07000087", "E07000088"
MEETING = "2024-09-12"
PAGES = [
    "/",
    f"/priority/serious-violence?as_at={MEETING}",
    f"/priority/mental-health-da-aces?district={FAREHAM},{GOSPORT}",
    "/actions",
    "/districts",
    f"/changes?district={FAREHAM},{GOSPORT}&from=2024-03-14&to={MEETING}",
    "/priority/no-such-priority",
]


@pytest.fixture
def browser(dash_duo, dashboard):
    dash_duo.serve(dashboard.app)
    return dash_duo


def open_page(browser, path: str) -> None:
    browser.driver.get(browser.server_url + path)
    wait_for_dash_idle(browser.driver, timeout=30)


def current_query(browser) -> str:
    return browser.driver.execute_script("return window.location.search")


def trace_names(browser, index: int = 0) -> list[str]:
    return browser.driver.execute_script(
        "return document.querySelectorAll('.js-plotly-plot')[arguments[0]].data.map(t => t.name)", index
    )


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_console_errors_and_no_axe_violations(browser, path):
    open_page(browser, path)
    violations = run_axe(browser.driver)
    assert violations == [], format_violations(violations)
    errors = [
        e for e in console_errors(browser) if "no-such-priority" not in e["message"]
    ]  # its 404 is the point
    assert errors == []


def test_overview_to_priority_and_back_keeps_the_filters(browser):
    open_page(browser, f"/?district={FAREHAM}&as_at={MEETING}")
    assert "Fareham, as at 12 Sep 2024." in browser.find_element(".scope-line").text

    browser.driver.find_element(By.CSS_SELECTOR, "#priority-card-county-lines").click()
    browser.wait_for_contains_text(".page-title", "Priority 1:")
    wait_for_dash_idle(browser.driver, timeout=30)
    assert current_query(browser) == f"?district={FAREHAM}&as_at={MEETING}"
    assert "Fareham, as at 12 Sep 2024." in browser.find_element(".scope-line").text

    browser.driver.back()
    browser.wait_for_contains_text(".page-title", "Priorities at a glance")
    wait_for_dash_idle(browser.driver, timeout=30)
    assert current_query(browser) == f"?district={FAREHAM}&as_at={MEETING}"
    assert browser.find_element("#shell-district-summary").text == "Fareham"
    assert browser.find_element("#shell-as-at").get_attribute("value") == MEETING


def test_choosing_a_district_redraws_the_trend(browser):
    open_page(browser, f"/priority/serious-violence?as_at={MEETING}")
    assert "Fareham" not in trace_names(browser, 2)

    browser.find_element("#shell-district-summary").click()
    browser.driver.find_element(By.CSS_SELECTOR, f"input[value='{FAREHAM}']").click()
    browser.wait_for_contains_text(".scope-line", "Fareham, as at 12 Sep 2024.")
    wait_for_dash_idle(browser.driver, timeout=30)

    assert current_query(browser) == f"?district={FAREHAM}&as_at={MEETING}"
    assert "Fareham" in trace_names(browser, 2)


def test_a_pasted_link_restores_the_filters(browser):
    open_page(browser, f"/actions?district={FAREHAM},{GOSPORT},XX&as_at={MEETING}")
    assert browser.find_element("#shell-district-summary").text == "Fareham, Gosport"
    assert browser.find_element("#shell-as-at").get_attribute("value") == MEETING
    assert browser.find_element("#shell-meeting").get_attribute("value") == MEETING
    assert "District code 'XX'" in browser.find_element("#shell-notices").text
    assert "Fareham and Gosport, as at 12 Sep 2024." in browser.find_element(".scope-line").text

    # A reload keeps everything.
    browser.driver.refresh()
    wait_for_dash_idle(browser.driver, timeout=30)
    assert browser.find_element("#shell-district-summary").text == "Fareham, Gosport"


def test_unknown_priority_gets_the_not_found_page_and_http_404(browser):
    open_page(browser, "/priority/no-such-priority")
    assert browser.find_element(".page-title").text == "Page not found"
    with pytest.raises(HTTPError) as error:
        urllib.request.urlopen(browser.server_url + "/priority/no-such-priority")
    assert error.value.code == 404

    browser.driver.find_element(By.LINK_TEXT, "Back to the overview of all priorities").click()
    browser.wait_for_contains_text(".page-title", "Priorities at a glance")


def test_action_history_opens_from_the_keyboard(browser):
    from selenium.webdriver.common.keys import Keys

    open_page(browser, "/priority/serious-violence")
    wait_for_grid_rows(browser.driver, "priority-actions-grid")
    cells = "#priority-actions-grid .ag-row[row-index='{}'] .ag-cell"
    first_cell = browser.driver.find_element(By.CSS_SELECTOR, cells.format(0))
    ref = first_cell.text
    # As a keyboard user arriving in the grid: the cell takes focus, Space selects its row.
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", first_cell
    )
    browser.driver.switch_to.active_element.send_keys(Keys.SPACE)
    browser.wait_for_contains_text("#priority-action-history", f"History of {ref}")

    browser.driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    second_ref = browser.driver.find_element(By.CSS_SELECTOR, cells.format(1)).text
    browser.driver.switch_to.active_element.send_keys(Keys.SPACE)
    browser.wait_for_contains_text("#priority-action-history", f"History of {second_ref}")


def test_the_late_data_note_opens_from_the_keyboard_and_late_pages_pass_axe(browser):
    from selenium.webdriver.common.keys import Keys

    # The demo's November 2026 monthly values were due by 14 Jan 2027.
    open_page(browser, "/?as_at=2027-01-20")
    summary = browser.driver.find_element(By.CSS_SELECTOR, ".freshness-note > summary")
    assert summary.text == "5 of 29 indicators are late."
    browser.driver.execute_script("arguments[0].focus()", summary)
    browser.driver.switch_to.active_element.send_keys(Keys.ENTER)
    items = browser.driver.find_elements(By.CSS_SELECTOR, ".freshness-note[open] li")
    assert len(items) == 5 and all(item.is_displayed() for item in items)
    violations = run_axe(browser.driver)
    assert violations == [], format_violations(violations)

    open_page(browser, "/priority/serious-violence?as_at=2027-01-20")
    late = browser.driver.find_elements(By.CSS_SELECTOR, ".freshness-late")
    assert [line.text for line in late] == [
        "Late: no value yet for Nov 2026, due by 14 Jan 2027 (6 days late)."
    ]
    violations = run_axe(browser.driver)
    assert violations == [], format_violations(violations)


def test_an_indicator_table_opens_from_the_keyboard_and_closes_on_a_filter_change(browser):
    from selenium.webdriver.common.keys import Keys

    open_page(browser, f"/priority/serious-violence?as_at={MEETING}")
    summary = browser.driver.find_elements(By.CSS_SELECTOR, ".indicator-grid details > summary")[1]
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", summary
    )
    browser.driver.switch_to.active_element.send_keys(Keys.ENTER)
    browser.wait_for_contains_text(".indicator-grid details[open] tbody", "Whole partnership")
    wait_for_dash_idle(browser.driver, timeout=30)
    opened = browser.driver.find_elements(By.CSS_SELECTOR, ".indicator-grid details[open]")
    assert len(opened) == 1 and "Loading the table" not in opened[0].text
    assert len(opened[0].find_elements(By.CSS_SELECTOR, "tbody tr")) > 1
    violations = run_axe(browser.driver)
    assert violations == [], format_violations(violations)

    # A new filter redraws the page with every table closed, to be filled for the new view when opened.
    browser.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    browser.find_element("#shell-district-summary").click()
    browser.driver.find_element(By.CSS_SELECTOR, f"input[value='{FAREHAM}']").click()
    browser.wait_for_contains_text(".scope-line", "Fareham, as at 12 Sep 2024.")
    wait_for_dash_idle(browser.driver, timeout=30)
    assert browser.driver.find_elements(By.CSS_SELECTOR, ".indicator-grid details[open]") == []


def test_searching_the_actions_table_narrows_it_in_the_browser(browser):
    open_page(browser, "/actions")
    wait_for_grid_rows(browser.driver, "actions-grid")
    rows = "#actions-grid .ag-center-cols-container .ag-row"
    before = browser.driver.execute_script(
        "return dash_ag_grid.getApi('actions-grid').getDisplayedRowCount()"
    )
    # Refs read in one step each time: the grid may draw its rows again between finding a cell and reading it.
    refs_shown = "return [...document.querySelectorAll(arguments[0])].map(row => row.querySelector(\"[col-id='ref']\").textContent)"
    first_ref = browser.driver.execute_script(refs_shown, f"{rows}[row-index='0']")[0]
    search = browser.driver.find_element(By.ID, "actions-search")
    search.send_keys(first_ref)
    browser.wait_for_contains_text("#actions-search-status", f'1 of these matches "{first_ref}".')
    assert browser.driver.execute_script(refs_shown, rows) == [first_ref]
    assert before > 1
    assert not console_errors(browser)


def test_the_actions_grid_pages_sorts_and_follows_the_filters_through_the_server(browser):
    """The grid holds one page of rows at a time, asked of the server: paging, sorting by a column and the
    page's filters each bring the right rows."""
    open_page(browser, "/actions")
    driver = browser.driver
    summary = "#actions-grid .ag-paging-row-summary-panel"
    shown_js = (
        "return [...document.querySelectorAll('#actions-grid .ag-center-cols-container .ag-row')]"
        ".filter(row => !row.classList.contains('ag-row-loading'))"
        ".sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
        ".map(row => [...row.querySelectorAll('[col-id=ref], [col-id=priority]')].map(c => c.textContent))"
    )
    for box in driver.find_elements(By.CSS_SELECTOR, "#actions-status input:not(:checked)"):
        box.click()
    count = driver.find_element(By.ID, "actions-count")
    WebDriverWait(driver, 10).until(lambda _: int(count.text.split()[0]) > 25)
    total = int(count.text.split()[0])
    browser.wait_for_text_to_equal(summary, f"1 to 25 of {total}")
    first_page = driver.execute_script(shown_js)
    assert len(first_page) == 25

    # From the keyboard, as AG Grid's page buttons are reached by Tab.
    driver.find_element(By.CSS_SELECTOR, "#actions-grid .ag-paging-button[aria-label='Next Page']").send_keys(
        Keys.ENTER
    )
    browser.wait_for_text_to_equal(summary, f"26 to 50 of {total}")
    WebDriverWait(driver, 10).until(lambda _: len(driver.execute_script(shown_js)) == 25)
    assert not {ref for ref, _ in driver.execute_script(shown_js)} & {ref for ref, _ in first_page}

    driver.find_element(By.CSS_SELECTOR, "#actions-grid .ag-header-cell[col-id='ref']").send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(
        lambda _: (refs := [ref for ref, _ in driver.execute_script(shown_js)]) and refs == sorted(refs)
    )

    priority = Select(driver.find_element(By.ID, "actions-priority"))
    priority.select_by_value(
        next(
            o.get_attribute("value") for o in priority.options if o.get_attribute("value") not in ("", "all")
        )
    )
    chosen = priority.first_selected_option.text
    WebDriverWait(driver, 10).until(
        lambda _: (rows := driver.execute_script(shown_js)) and {p for _, p in rows} == {chosen}
    )
    shown = int(count.text.split()[0])
    assert 0 < shown < total
    browser.wait_for_contains_text(summary, f"of {shown}")
    assert not console_errors(browser)


def test_a_district_cells_symbol_is_drawn_and_left_out_of_its_name(browser):
    """The matrix's badge links draw the badge's symbol with the stylesheet, with empty alternative text:
    seen beside the word, not read out (the link's text, which screen readers read, has no symbol)."""
    from components.rag import RATING_SYMBOLS

    open_page(browser, f"/districts?as_at={MEETING}")
    cells = browser.driver.execute_script(
        "return [...document.querySelectorAll('.district-matrix a.rag-badge-link')].map(a => "
        "[a.className, getComputedStyle(a, '::before').content, a.textContent])"
    )
    assert cells
    for class_name, content, text in cells:
        rating = next(
            name[4:] for name in class_name.split() if name.startswith("rag-") and name[4:] in RATING_SYMBOLS
        )
        assert content == f'"{RATING_SYMBOLS[rating]}" / ""'
        assert RATING_SYMBOLS[rating] not in text
