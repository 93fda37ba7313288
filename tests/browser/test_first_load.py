"""A small first load: plotly.js is loaded only by pages with charts, and it is the vendored partial bundle,
never the full plotly.min.js; AG Grid's code only by pages with a grid; static files are compressed and
versioned ones cached for a year; nothing on a page moves as its data arrives. Asserts what is sent and
drawn, never how long it took."""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs_version
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from shell import DASH_LAZY_PLOTLY_PATH, VERSIONED_ASSET_MAX_AGE
from tests.browser.helpers import console_errors, wait_for_dash_idle

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PARTIAL_BUNDLE = "plotly-basic.min.js"
# The trace types the partial bundle holds (assets/vendor/README.md); the full bundle has dozens more.
PARTIAL_BUNDLE_TRACES = {"scatter", "bar", "pie"}
CHART_PAGES = ["/", "/priority/serious-violence", "/priority/county-lines"]
PAGES_WITHOUT_CHARTS = ["/actions", "/districts"]
PAGES = [*CHART_PAGES, *PAGES_WITHOUT_CHARTS]
# Google's threshold for a "good" cumulative layout shift; the pages measured about 0.07 at most here.
GOOD_LAYOUT_SHIFT = 0.1

# Every layout shift since the page started loading, without one caused by the user's own input.
_LAYOUT_SHIFT_JS = """
const done = arguments[arguments.length - 1];
let total = 0;
const sources = [];
new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) { continue; }
        total += entry.value;
        for (const source of entry.sources) {
            if (source.node && source.node.nodeType === 1) {
                sources.push(source.node.tagName + "#" + source.node.id + "." + source.node.className);
            }
        }
    }
}).observe({type: "layout-shift", buffered: true});
setTimeout(() => done([total, sources]), 200);
"""

_GRAPHS_JS = """
return [...document.querySelectorAll(".js-plotly-plot")].map(gd => ({
    drawn: Boolean(gd._fullLayout && gd.querySelector(".main-svg")),
    types: (gd._fullData || []).map(trace => trace.type),
}));
"""


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/assets/[^"]+)"', html)


def asset_file(url: str) -> str:
    """``vendor/x.js`` for ``/assets/vendor/x.js?m=123``."""
    return url.removeprefix("/assets/").split("?")[0]


def test_vendored_bundle_is_the_plotly_js_version_plotly_py_expects():
    header = (ASSETS / "vendor" / PARTIAL_BUNDLE).read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in header


def test_no_page_links_plotly_js_and_dash_loads_the_partial_bundle_when_a_chart_needs_it(dashboard):
    client = dashboard.server.test_client()
    html = client.get("/").text
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts
    assert not [url for url in scripts if "plotly" in url]

    response = client.get("/" + DASH_LAZY_PLOTLY_PATH, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == (ASSETS / "vendor" / PARTIAL_BUNDLE).read_bytes()
    # Dash's URL carries no version: the browser asks again each time and is told nothing changed.
    assert response.cache_control.no_cache
    again = client.get(
        "/" + DASH_LAZY_PLOTLY_PATH,
        headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_ag_grid_s_code_is_not_linked_but_named_for_loading_when_a_grid_is_shown(dashboard):
    client = dashboard.server.test_client()
    html = client.get("/").text
    assert not [url for url in re.findall(r'<script src="([^"]+)"', html) if "dash_ag_grid" in url]
    data = re.search(r'<script id="on-demand-scripts" type="application/json">([^<]+)</script>', html)
    url = json.loads(data.group(1))["dash_ag_grid"]
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert b"window.dash_ag_grid=" in gzip.decompress(response.data)
    assert response.cache_control.max_age == VERSIONED_ASSET_MAX_AGE


def test_versioned_assets_are_gzipped_and_cached_for_a_year(dashboard):
    client = dashboard.server.test_client()
    urls = asset_urls(client.get("/").text)
    assert {"vendor/bootstrap.min.css", "dashboard.css", "priority.js"} <= set(map(asset_file, urls))
    for url in urls:
        assert "?m=" in url, url
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["Content-Encoding"] == "gzip", url
        assert gzip.decompress(response.data) == (ASSETS / asset_file(url)).read_bytes()
        cache = response.cache_control
        assert (cache.public, cache.max_age, cache.immutable, cache.no_cache) == (
            True,
            VERSIONED_ASSET_MAX_AGE,
            True,
            None,
        ), url


def test_dash_component_suites_are_gzipped_and_cached_for_a_year(dashboard):
    client = dashboard.server.test_client()
    scripts = re.findall(r'<script src="(/_dash-component-suites/[^"]+)"', client.get("/").text)
    assert scripts
    for url in scripts:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.headers["Content-Encoding"] == "gzip", url
        assert response.cache_control.max_age == VERSIONED_ASSET_MAX_AGE, url


def test_an_unversioned_asset_is_revalidated_not_downloaded_again(dashboard):
    client = dashboard.server.test_client()
    first = client.get("/assets/dashboard.css", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.cache_control.no_cache
    again = client.get(
        "/assets/dashboard.css",
        headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304


@pytest.fixture
def browser(dash_duo, dashboard):
    dash_duo.serve(dashboard.app)
    return dash_duo


def open_cold(browser, path: str) -> None:
    """Load ``path`` with an empty cache, so every file is fetched as on a first visit."""
    browser.driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    browser.driver.get(browser.server_url + path)
    wait_for_dash_idle(browser.driver, timeout=30)


def requested_urls(browser) -> list[str]:
    return browser.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


@pytest.mark.browser
def test_every_chart_draws_with_the_partial_bundle(browser):
    for path in CHART_PAGES:
        open_cold(browser, path)
        requested = [url for url in requested_urls(browser) if "plotly" in url]
        assert [url.split("?")[0] for url in requested] == [
            browser.server_url + "/" + DASH_LAZY_PLOTLY_PATH
        ], path
        assert browser.driver.execute_script("return Plotly.version") == get_plotlyjs_version()
        traces = browser.driver.execute_script("return Object.keys(Plotly.PlotSchema.get().traces)")
        assert set(traces) == PARTIAL_BUNDLE_TRACES, path

        graphs = browser.driver.execute_script(_GRAPHS_JS)
        assert graphs, path
        for graph in graphs:
            assert graph["drawn"], path
            assert graph["types"], f"{path}: a chart without traces"
            assert set(graph["types"]) == {"scatter"}, path
        assert console_errors(browser) == [], path


@pytest.mark.browser
def test_a_page_without_charts_never_downloads_plotly_js(browser):
    for path in PAGES_WITHOUT_CHARTS:
        open_cold(browser, path)
        assert not [url for url in requested_urls(browser) if "plotly" in url], path
        assert browser.driver.execute_script("return typeof window.Plotly") == "undefined", path
        assert console_errors(browser) == [], path


@pytest.mark.browser
def test_ag_grid_s_code_loads_only_on_pages_with_a_grid(browser):
    for path in ["/", "/districts"]:
        open_cold(browser, path)
        assert not [url for url in requested_urls(browser) if "dash_ag_grid" in url], path
    for path, grid in [("/actions", "actions-grid"), ("/priority/county-lines", "priority-actions-grid")]:
        open_cold(browser, path)
        assert [url for url in requested_urls(browser) if "dash_ag_grid.v" in url], path
        browser.wait_for_element(f"#{grid} .ag-row")
        # The library's functions answer through the stand-in Dash renders (assets/ag_grid_on_demand.js).
        rows = browser.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "dash_ag_grid.getApiAsync(arguments[0]).then(api => done(api.getDisplayedRowCount()));",
            grid,
        )
        rendered = browser.driver.find_elements(By.CSS_SELECTOR, f"#{grid} .ag-center-cols-container .ag-row")
        assert rows >= len(rendered) > 0, path
        assert console_errors(browser) == [], path


@pytest.mark.browser
def test_a_grid_whose_code_cannot_load_says_so_in_its_place(browser):
    driver = browser.driver
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*dash_ag_grid.v*"]})
    try:
        open_cold(browser, "/actions")
        browser.wait_for_text_to_equal(
            "#actions-grid", "The table could not be loaded. Check the connection and reload the page."
        )
        assert driver.find_element(By.ID, "actions-grid").get_attribute("role") == "alert"
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        console_errors(browser)  # the blocked request's own error, expected here
    # Reloaded with the code reachable again, the page shows its grid.
    open_cold(browser, "/actions")
    browser.wait_for_element("#actions-grid .ag-row")
    assert console_errors(browser) == []


# Each indicator card's chart: drawn, and with what traces; or a box still waiting to be drawn.
_CARD_CHARTS_JS = """
return [...document.querySelectorAll(".indicator-grid article figure")].map(figure => {
    const gd = figure.querySelector(".js-plotly-plot");
    const drawn = Boolean(gd && gd._fullLayout && gd.querySelector(".main-svg"));
    return {drawn: drawn, waiting: Boolean(figure.querySelector("[data-chart]:not(.js-plotly-plot)")),
            types: drawn ? gd._fullData.map(trace => trace.type) : []};
});
"""


@pytest.mark.browser
def test_a_priority_s_later_charts_draw_when_scrolled_to_and_before_printing(browser):
    """The first charts come with the page; the rest are drawn as they near the window, or all at once
    when the page is printed, each into a box kept at its height."""
    from pages.priority import CHARTS_DRAWN_AT_ONCE  # registers the page: only once the app exists

    path = "/priority/serious-violence"
    open_cold(browser, path)
    cards = browser.driver.execute_script(_CARD_CHARTS_JS)
    assert len(cards) > CHARTS_DRAWN_AT_ONCE, "the demo priority needs more indicators than are drawn at once"
    assert [card["drawn"] for card in cards] == [index < CHARTS_DRAWN_AT_ONCE for index in range(len(cards))]
    assert all(card["waiting"] for card in cards[CHARTS_DRAWN_AT_ONCE:])

    last = browser.driver.find_elements(By.CSS_SELECTOR, ".indicator-grid article")[-1]
    browser.driver.execute_script("arguments[0].scrollIntoView()", last)
    browser.wait_for_element(".indicator-grid article:last-child .js-plotly-plot .main-svg")
    cards = browser.driver.execute_script(_CARD_CHARTS_JS)
    assert all(card["drawn"] and set(card["types"]) == {"scatter"} for card in cards), cards

    open_cold(browser, path)
    # Drawn in the beforeprint handler itself, before the browser lays out the printed pages.
    browser.driver.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert all(card["drawn"] for card in browser.driver.execute_script(_CARD_CHARTS_JS))
    assert console_errors(browser) == []


@pytest.mark.browser
def test_nothing_moves_as_a_page_s_data_arrives(browser):
    for path in PAGES:
        open_cold(browser, path)
        shift, sources = browser.driver.execute_async_script(_LAYOUT_SHIFT_JS)
        assert shift < GOOD_LAYOUT_SHIFT, f"{path}: layout shift {shift:.3f} from {sorted(set(sources))}"


@pytest.mark.browser
def test_a_trend_chart_downloads_as_png(browser):
    open_cold(browser, "/priority/serious-violence")
    chart = browser.driver.find_element(By.CSS_SELECTOR, ".indicator-grid .js-plotly-plot")
    # The modebar shows on hover, as it does for a user.
    ActionChains(browser.driver).move_to_element(chart).perform()
    chart.find_element(By.CSS_SELECTOR, ".modebar-btn[aria-label*='PNG' i]").click()
    png = _first_file(Path(browser.download_path), "*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert console_errors(browser) == []


def _first_file(folder: Path, pattern: str, timeout: float = 10) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing matching {pattern} was downloaded: {sorted(folder.iterdir())}")
