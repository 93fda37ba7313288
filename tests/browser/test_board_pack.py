"""The "Download board pack" control in headless Chromium: the button is disabled and says it is working
while the PDF is made, then says what was downloaded, and the page stays free of axe-core violations."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from pages._board_pack import BUSY_LABEL, BUTTON_LABEL, Ids
from tests.browser.helpers import console_errors, format_violations, run_axe, wait_for_dash_idle

pytestmark = pytest.mark.browser

MEETING = "2024-09-12"


@pytest.fixture
def browser(dash_duo, dashboard):
    dash_duo.serve(dashboard.app)
    return dash_duo


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.05)


@pytest.mark.parametrize("path", [f"/?as_at={MEETING}", f"/priority/serious-violence?as_at={MEETING}"])
def test_the_button_works_from_the_keyboard_and_says_what_it_downloaded(browser, path):
    driver = browser.driver
    driver.get(browser.server_url + path)
    wait_for_dash_idle(driver, timeout=30)
    button = driver.find_element(By.ID, Ids.BUTTON)
    assert button.text == BUTTON_LABEL
    button.send_keys("\n")  # Enter, as a keyboard user presses it
    wait_for(lambda: button.get_attribute("disabled") is not None, timeout=10)
    assert button.text == BUSY_LABEL
    status = driver.find_element(By.ID, Ids.STATUS)
    wait_for(lambda: "downloaded" in status.text)
    assert "hampshire-cssg-demo-board-pack-as-at-2024-09-12.pdf" in status.text
    wait_for(lambda: button.get_attribute("disabled") is None, timeout=10)
    assert button.text == BUTTON_LABEL
    violations = run_axe(driver)
    assert violations == [], format_violations(violations)
    assert console_errors(browser) == []
