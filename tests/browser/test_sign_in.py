"""Sign-in in a real browser, under the Content-Security-Policy: the form, the pages behind it, sign-out,
the accessibility statement, and every page usable at 320 CSS pixels wide (WCAG reflow)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from data_access.db import get_engine, session_scope
from data_access.users import add_user, remove_user
from tests.browser.helpers import console_errors, format_violations, run_axe, set_viewport, wait_for_dash_idle

pytestmark = pytest.mark.browser

PASSWORD = "a long enough passphrase"
PAGES = ["/", "/priority/serious-violence", "/actions", "/districts"]
# Wide content may scroll inside these (data tables and the district matrix), never the page itself.
SCROLLERS = ".ag-root-wrapper, .table-scroll, .matrix-wrap"


@pytest.fixture
def signed_in_required(dashboard):
    """A user on the shared demo database, removed afterwards so the other browser tests run open."""
    engine = get_engine()  # the shared app configured the process default: its demo database
    with session_scope(engine) as session:
        add_user(session, "chair", "admin", PASSWORD)
    yield
    with session_scope(engine) as session:
        remove_user(session, "chair")


@pytest.fixture
def browser(dash_duo, dashboard):
    dash_duo.serve(dashboard.app)
    return dash_duo


def assert_accessible(driver):
    violations = run_axe(driver)
    assert violations == [], format_violations(violations)


def test_a_board_member_signs_in_reaches_the_page_they_asked_for_and_signs_out(browser, signed_in_required):
    driver = browser.driver
    driver.get(browser.server_url + "/actions?as_at=2024-09-12")

    assert driver.current_url.startswith(browser.server_url + "/login?next=")
    assert_accessible(driver)
    driver.find_element(By.ID, "name").send_keys("chair")
    driver.find_element(By.ID, "password").send_keys("not the password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "The name or password is not right." in driver.find_element(By.ID, "sign-in-error").text
    assert_accessible(driver)

    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for_dash_idle(driver, timeout=30)
    assert driver.current_url == browser.server_url + "/actions?as_at=2024-09-12"
    assert "Signed in as chair (admin)" in driver.find_element(By.CSS_SELECTOR, ".site-header").text
    assert_accessible(driver)
    # Nothing the dashboard runs is refused by its own Content-Security-Policy.
    assert console_errors(browser) == []

    driver.find_element(By.XPATH, "//button[normalize-space()='Sign out']").click()
    assert "You have signed out." in driver.find_element(By.TAG_NAME, "main").text
    driver.get(browser.server_url + "/districts")
    assert "/login?next=/districts" in driver.current_url


def test_without_users_the_header_says_local_mode(browser):
    browser.driver.get(browser.server_url + "/")
    wait_for_dash_idle(browser.driver)
    assert "No sign-in: local mode." in browser.driver.find_element(By.CSS_SELECTOR, ".site-header").text


def test_the_accessibility_statement_is_reachable_from_every_page_and_passes_axe(browser):
    browser.driver.get(browser.server_url + "/")
    wait_for_dash_idle(browser.driver)
    link = browser.driver.find_element(By.LINK_TEXT, "Accessibility statement")
    assert link.get_attribute("href") == browser.server_url + "/accessibility"
    browser.driver.get(link.get_attribute("href"))
    assert browser.driver.find_element(By.TAG_NAME, "h1").text == "Accessibility statement"
    assert_accessible(browser.driver)


@pytest.mark.parametrize("path", [*PAGES, "/accessibility", "/login"])
def test_every_page_reflows_at_320_css_pixels_without_sideways_scrolling(browser, path, request):
    driver = browser.driver
    if path == "/login":
        # Without users /login sends the browser on to the overview; with one it shows the form to check.
        request.getfixturevalue("signed_in_required")
    set_viewport(driver, 320, 640)
    try:
        driver.get(browser.server_url + path)
        # The sign-in form and the statement are plain HTML; every other page is measured once it has drawn,
        # since a page still rendering can be caught between two widths.
        if driver.execute_script("return document.getElementById('react-entry-point') !== null"):
            wait_for_dash_idle(driver, timeout=30)
        elif path == "/login":
            assert driver.find_element(By.ID, "name").is_displayed()
        overflowing = driver.execute_script(
            """
            const scrollers = arguments[0];
            const width = document.documentElement.clientWidth;  // without the vertical scroll bar
            return [...document.querySelectorAll('body *')]
                .filter(el => el.closest(scrollers) === null)
                .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; })
                .slice(0, 5)
                .map(el => el.tagName + '.' + el.className + ' right=' + Math.round(el.getBoundingClientRect().right));
            """,
            SCROLLERS,
        )
        page_width = driver.execute_script("return document.documentElement.scrollWidth")
        client_width = driver.execute_script("return document.documentElement.clientWidth")
        assert overflowing == [] and page_width <= client_width, (page_width, client_width, overflowing)
    finally:
        set_viewport(driver, 1280, 1024)
