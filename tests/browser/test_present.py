"""Presentation mode in headless Chromium: every key and button moves between slides with the URL
following, no slide overflows a 1280x720 or 1920x1080 screen (the demo, and fifteen priorities with long
titles), body text is at least 24 px at 1280x720, full screen comes and goes, and axe-core finds nothing."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from data_access import db
from data_access.importer import import_frames
from tests.browser.helpers import console_errors, format_violations, run_axe, set_viewport, wait_for_dash_idle
from tests.busy_partnership import AS_AT as BUSY_AS_AT
from tests.busy_partnership import busy_partnership

pytestmark = pytest.mark.browser

FAREHAM = "E07000087"
MEETING = "2024-09-12"
LATEST_MEETING = "2026-11-12"  # overdue actions, board commentary on every priority
DEMO_SLIDES = 10  # on 12 Sep 2024: title, summary, seven priorities, closing
SCREENS = [(1280, 720), (1920, 1080)]
MIN_CHART_SHARE = 0.3  # of the screen's height: 216 px at 1280x720

_SHOWN_JS = "return [...document.querySelectorAll('.slide')].findIndex(slide => !slide.hidden) + 1"

# How the document and the slide shown measure against the viewport (scroll sizes count clipped content).
_FIT_JS = """
const slide = [...document.querySelectorAll('.slide')].find(s => !s.hidden);
const root = document.documentElement;
return {
    label: slide.getAttribute('aria-label'),
    document: [root.scrollWidth, root.scrollHeight, window.innerWidth, window.innerHeight],
    slide: [slide.scrollWidth, slide.clientWidth, slide.scrollHeight, slide.clientHeight],
    bottom: slide.getBoundingClientRect().bottom,
    controlsTop: document.querySelector('.deck-controls').getBoundingClientRect().top,
};
"""

# The smallest font size of any text a reader sees on the slide shown: its own words (not text kept for
# screen readers only) and, separately, the charts' text.
_TEXT_SIZES_JS = """
const slide = [...document.querySelectorAll('.slide')].find(s => !s.hidden);
const sizes = {body: [], chart: []};
for (const element of slide.querySelectorAll('*')) {
    if (element.closest('.visually-hidden') || element.closest('.js-plotly-plot')) { continue; }
    const ownText = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (ownText) { sizes.body.push([parseFloat(getComputedStyle(element).fontSize), element.textContent.slice(0, 40)]); }
}
for (const text of slide.querySelectorAll('.js-plotly-plot text')) {
    if (text.textContent.trim()) { sizes.chart.push(parseFloat(getComputedStyle(text).fontSize)); }
}
return sizes;
"""


@pytest.fixture
def browser(dash_duo, dashboard):
    dash_duo.serve(dashboard.app)
    return dash_duo


@pytest.fixture
def busy(dash_duo, dashboard, tmp_path):
    """The dashboard on its own database holding fifteen priorities with long titles."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = db.get_engine(url)
    db.upgrade_schema(engine)
    import_frames(engine, busy_partnership(15))
    previous = db._default_database_url
    db.configure(url)
    dash_duo.serve(dashboard.app)
    yield dash_duo
    db.configure(previous)
    engine.dispose()


def open_present(browser, query: str) -> None:
    browser.driver.get(browser.server_url + "/present" + query)
    wait_for_dash_idle(browser.driver, timeout=30)


def press(browser, key: str, *, shift: bool = False) -> None:
    actions = ActionChains(browser.driver)
    if shift:
        actions.key_down(Keys.SHIFT).send_keys(key).key_up(Keys.SHIFT)
    else:
        actions.send_keys(key)
    actions.perform()
    wait_for_dash_idle(browser.driver, timeout=10)


def shown(browser) -> int:
    return browser.driver.execute_script(_SHOWN_JS)


def query(browser) -> str:
    return browser.driver.execute_script("return window.location.search")


def test_each_key_moves_between_slides_and_the_url_follows(browser):
    open_present(browser, f"?district={FAREHAM}&as_at={MEETING}")
    # Arriving tidies the link: the slide number first, the filters exactly as they were.
    assert shown(browser) == 1 and query(browser) == f"?slide=1&district={FAREHAM}&as_at={MEETING}"
    for key, shift, expected in [
        (Keys.ARROW_RIGHT, False, 2),
        (Keys.PAGE_DOWN, False, 3),
        (Keys.SPACE, False, 4),
        (Keys.ARROW_LEFT, False, 3),
        (Keys.PAGE_UP, False, 2),
        (Keys.END, False, DEMO_SLIDES),
        (Keys.ARROW_RIGHT, False, DEMO_SLIDES),  # nothing after the last slide
        (Keys.SPACE, True, DEMO_SLIDES - 1),  # Shift+Space goes back, as in slide software
        (Keys.HOME, False, 1),
        (Keys.ARROW_LEFT, False, 1),  # nothing before the first
    ]:
        press(browser, key, shift=shift)
        assert shown(browser) == expected, (key, shift)
        assert query(browser) == f"?slide={expected}&district={FAREHAM}&as_at={MEETING}", key
    press(browser, Keys.END)
    live = browser.find_element("#present-live").get_attribute("textContent")
    assert live == f"Slide {DEMO_SLIDES} of {DEMO_SLIDES}: Overdue actions by partner"
    assert browser.find_element("#present-counter").text == f"Slide {DEMO_SLIDES} of {DEMO_SLIDES}"
    assert browser.find_element("#present-next").get_attribute("aria-disabled") == "true"
    assert console_errors(browser) == []


def test_buttons_move_from_the_keyboard_with_visible_focus_and_a_reload_keeps_the_slide(browser):
    open_present(browser, f"?as_at={MEETING}")
    driver = browser.driver
    next_button = driver.find_element(By.ID, "present-next")
    for _ in range(6):  # Leave presentation, Full screen, Previous, Next: all on the keyboard's way
        press(browser, Keys.TAB)
        if driver.switch_to.active_element == next_button:
            break
    assert driver.switch_to.active_element == next_button
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", next_button)
    assert outline != "none"
    press(browser, Keys.ENTER)
    assert shown(browser) == 2
    press(browser, Keys.SPACE)  # presses the focused button once: one slide, not two
    assert shown(browser) == 3
    driver.find_element(By.ID, "present-previous").click()
    wait_for_dash_idle(driver, timeout=10)
    assert shown(browser) == 2 and query(browser) == f"?slide=2&as_at={MEETING}"

    driver.refresh()
    wait_for_dash_idle(driver, timeout=30)
    assert shown(browser) == 2

    # The priority page's link opens that priority's slide, and leaving returns with the filters.
    driver.get(browser.server_url + f"/priority/serious-violence?as_at={MEETING}")
    wait_for_dash_idle(driver, timeout=30)
    driver.find_element(By.CSS_SELECTOR, ".present-link").click()
    browser.wait_for_element(".slide-deck")
    wait_for_dash_idle(driver, timeout=30)
    assert shown(browser) == 4 and query(browser) == f"?slide=4&as_at={MEETING}"
    assert driver.find_element(By.CSS_SELECTOR, ".site-header").is_displayed() is False
    driver.find_element(By.ID, "present-leave").click()
    browser.wait_for_contains_text(".page-title", "Priorities at a glance")
    assert query(browser) == f"?as_at={MEETING}"
    assert console_errors(browser) == []


def test_a_bad_slide_number_opens_the_first_slide_with_a_notice(browser):
    open_present(browser, f"?slide=42&as_at={MEETING}")
    assert shown(browser) == 1
    notice = browser.find_element("#present-notices")
    assert f"There is no slide 42: this presentation has {DEMO_SLIDES} slides." in notice.text
    assert query(browser) == f"?slide=1&as_at={MEETING}"
    press(browser, Keys.ARROW_RIGHT)
    assert not notice.is_displayed()  # it goes once the presenter moves on


def check_every_slide_fits(browser, query_string: str) -> int:
    """Open the deck at each screen size and step through every slide, checking that nothing overflows,
    the charts are drawn and (at 1280x720) text is large enough. Returns the number of slides."""
    driver = browser.driver
    problems = []
    count = 0
    for width, height in SCREENS:
        open_present(browser, query_string)
        set_viewport(driver, width, height)
        count = driver.execute_script("return document.querySelectorAll('.slide').length")
        for number in range(1, count + 1):
            if number > 1:
                press(browser, Keys.ARROW_RIGHT)
            time.sleep(0.05)  # a graph drawn by this move settles its size
            wait_for_dash_idle(driver, timeout=10)
            fit = driver.execute_script(_FIT_JS)
            where = f"{width}x{height} {fit['label']}"
            doc_width, doc_height, view_width, view_height = fit["document"]
            if doc_width > view_width or doc_height > view_height:
                problems.append(f"{where}: the page scrolls ({fit['document']})")
            scroll_width, client_width, scroll_height, client_height = fit["slide"]
            if scroll_width > client_width or scroll_height > client_height:
                problems.append(f"{where}: the slide overflows ({fit['slide']})")
            if fit["bottom"] > fit["controlsTop"] + 1:
                problems.append(f"{where}: the slide runs under the controls")
            graphs = driver.execute_script(
                "const s=[...document.querySelectorAll('.slide')].find(s=>!s.hidden);"
                "return [...s.querySelectorAll('.js-plotly-plot')].map(g => [Boolean("
                "g._fullLayout && g.querySelector('.main-svg') && Object.keys(g.layout || {}).length),"
                "g.getBoundingClientRect().height])"
            )
            if not all(drawn for drawn, _ in graphs):  # still empty, or drawn without its figure
                problems.append(f"{where}: a chart was not drawn ({graphs})")
            # Text squeezing a chart to a sliver would fit the slide and still fail the room.
            if any(tall < height * MIN_CHART_SHARE for _, tall in graphs):
                problems.append(f"{where}: a chart is squeezed ({graphs})")
            if (width, height) == (1280, 720):
                sizes = driver.execute_script(_TEXT_SIZES_JS)
                small = [(size, text) for size, text in sizes["body"] if size < 24]
                if small:
                    problems.append(f"{where}: text below 24 px: {small[:3]}")
                if sizes["chart"] and min(sizes["chart"]) < 20:
                    problems.append(f"{where}: chart text below 20 px ({min(sizes['chart'])})")
    assert problems == [], "\n".join(problems)
    return count


def test_no_demo_slide_overflows_at_1280x720_or_1920x1080(browser):
    assert check_every_slide_fits(browser, f"?as_at={LATEST_MEETING}") == 11
    # Three districts draw their own lines and legends; an unknown one adds a notice above the slide.
    check_every_slide_fits(browser, f"?district={FAREHAM},E07000088,E07000084,XX&as_at={LATEST_MEETING}")
    assert console_errors(browser) == []


def test_fifteen_priorities_with_long_titles_fit_every_slide(busy):
    assert check_every_slide_fits(busy, f"?as_at={BUSY_AS_AT.isoformat()}") == 18
    assert console_errors(busy) == []


def test_full_screen_comes_and_goes_and_the_slide_still_fits(browser):
    open_present(browser, f"?slide=3&as_at={LATEST_MEETING}")
    driver = browser.driver
    button = driver.find_element(By.ID, "present-fullscreen")
    assert button.text == "Full screen" and button.get_attribute("aria-pressed") == "false"
    button.click()
    browser.wait_for_text_to_equal("#present-fullscreen", "Exit full screen")
    assert driver.execute_script("return document.fullscreenElement === document.documentElement")
    assert button.get_attribute("aria-pressed") == "true"
    # Escape is the browser's own; a script cannot press it, so leave as Escape does.
    driver.execute_script("document.exitFullscreen()")
    browser.wait_for_text_to_equal("#present-fullscreen", "Full screen")
    wait_for_dash_idle(driver, timeout=10)
    press(browser, Keys.ARROW_RIGHT)
    assert shown(browser) == 4
    fit = driver.execute_script(_FIT_JS)
    assert fit["slide"][2] <= fit["slide"][3]
    # Leaving the presentation leaves full screen too: the other pages are not made for it.
    button.click()
    browser.wait_for_text_to_equal("#present-fullscreen", "Exit full screen")
    driver.find_element(By.ID, "present-leave").click()
    browser.wait_for_contains_text(".page-title", "Priorities at a glance")
    assert driver.execute_script("return document.fullscreenElement") is None
    assert console_errors(browser) == []


def test_charts_grow_with_the_screen(browser):
    open_present(browser, f"?slide=3&as_at={LATEST_MEETING}")
    driver = browser.driver
    font_sizes = "return [...document.querySelectorAll('.slide:not([hidden]) .js-plotly-plot')].map(g => g.layout.font.size)"
    set_viewport(driver, 1280, 720)
    time.sleep(0.3)  # the redraw waits for the size to settle
    wait_for_dash_idle(driver, timeout=10)
    assert driver.execute_script(font_sizes) == [20, 20, 20]
    set_viewport(driver, 1920, 1080)
    time.sleep(0.3)
    wait_for_dash_idle(driver, timeout=10)
    assert driver.execute_script(font_sizes) == [30, 30, 30]  # as the slide's text: 24 px to 36 px
    assert console_errors(browser) == []


@pytest.mark.parametrize("slide", [1, 2, 4, DEMO_SLIDES + 1])
def test_presentation_has_no_axe_violations(browser, slide):
    open_present(browser, f"?slide={slide}&district={FAREHAM}&as_at={LATEST_MEETING}")
    violations = run_axe(browser.driver)
    assert violations == [], format_violations(violations)
    assert console_errors(browser) == []
