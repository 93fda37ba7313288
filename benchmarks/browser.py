"""Cold first loads in headless Chromium: time until the page is ready, and bytes transferred.

Each load starts a new browser with a fresh profile and the cache disabled. "Ready" is the first of two
consecutive polls (every 10 ms, inside the page) at which: the document has loaded, Dash has hydrated
and has no callback requested, queued or running, nothing is marked loading, the page router (if any)
has rendered content, and every graph has been drawn by plotly.js (``.main-svg`` present), including the
chart boxes a page's own script draws with the page (``data-draw="with-page"``). The time is the page's
own clock (``performance.now()``, from the start of navigation). Bytes are every response's
``encodedDataLength`` from Chrome's DevTools network events: compressed bodies plus headers, as on the
wire.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# See /work/shared/BROWSER.md: headless on a closed network, no background traffic.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1920,1080",
)

# Why Dash is still busy, or null when the page has loaded, the renderer has hydrated the layout, no
# callback is requested, queued or running, no component is loading, the page content has rendered and
# every graph has been drawn by plotly.js, by dcc.Graph or by a page's own script (assets/priority.js draws
# a priority's first charts into boxes marked data-draw="with-page", and marks them data-drawn once drawn).
# A grid whose code is still loading (assets/ag_grid_on_demand.js) is busy too. The browser tests wait on
# the same function (tests/browser/helpers.py). The pending-callback test
# mirrors dash.testing.dash_page.DashPageMixin.redux_state_rqs.
DASH_BUSY_JS = """
function dashBusy() {
    if (document.readyState !== "complete") { return "document " + document.readyState; }
    if (!window.store || !window.store.getState) { return "no Dash store yet"; }
    const state = window.store.getState();
    if (state.appLifecycle !== "HYDRATED") { return "app " + state.appLifecycle; }
    if (state.isLoading) { return "isLoading"; }
    const callbacks = Object.assign({}, state.callbacks);
    delete callbacks.stored;
    delete callbacks.completed;
    const pending = [].concat(...Object.values(callbacks));
    if (pending.length) { return pending.length + " callback(s) pending"; }
    if (document.querySelector('[data-dash-is-loading="true"], ._dash-loading, ._dash-loading-callback')) {
        return "component loading";
    }
    const content = document.getElementById("_pages_content");
    if (content && !content.childElementCount) { return "page content not rendered"; }
    if (document.querySelector("[data-grid-loading]")) { return "grid code loading"; }
    if (document.querySelector(".dash-graph--pending")) { return "graph pending"; }
    // A chart box that a page's own script draws with the page (assets/priority.js), not yet drawn.
    if (document.querySelector('[data-draw="with-page"]:not([data-drawn])')) {
        return "chart waiting to be drawn";
    }
    for (const graph of document.querySelectorAll(".dash-graph")) {
        if (!graph.matches(".js-plotly-plot") && !graph.querySelector(".js-plotly-plot")) {
            return "graph waiting for plotly.js";
        }
    }
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
        if (!gd._fullLayout || !gd.querySelector(".main-svg")) { return "graph not drawn"; }
        if (gd._promises && gd._promises.length) { return "graph still drawing"; }
    }
    return null;
}
"""

_READY_JS = (
    DASH_BUSY_JS
    + """
const done = arguments[arguments.length - 1];
const timeout = arguments[0];
let firstIdle = null;
function poll() {
    const reason = dashBusy();
    const now = performance.now();
    if (reason === null) {
        if (firstIdle !== null) {
            done({ready_ms: firstIdle, graphs: document.querySelectorAll(".js-plotly-plot").length});
            return;
        }
        firstIdle = now;
    } else {
        firstIdle = null;
        if (now > timeout) { done({error: "not ready after " + Math.round(now) + " ms: " + reason}); return; }
    }
    setTimeout(poll, 10);
}
poll();
"""
)


def chromium_missing() -> str | None:
    """Why a browser cannot be used here, or None."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    return f"{' and '.join(missing)} not installed" if missing else None


def chromium_version() -> str:
    if chromium_missing():
        return "not installed"
    completed = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=False)
    # "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)": the version is enough.
    return completed.stdout.split(" built on ")[0].removeprefix("Chromium ").strip() or "unknown"


@dataclass(frozen=True)
class Load:
    url: str
    ready_ms: float
    transferred_bytes: int
    requests: int
    graphs: int


def cold_load(url: str, timeout_ms: float = 120_000) -> Load:
    """Load ``url`` once in a new headless Chromium with a fresh profile and no cache."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="csp-benchmark-profile-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.set_page_load_timeout(timeout_ms / 1000)
        driver.set_script_timeout(timeout_ms / 1000 + 5)
        driver.get(url)
        outcome = driver.execute_async_script(_READY_JS, timeout_ms)
        if "error" in outcome:
            raise TimeoutError(f"{url}: {outcome['error']}")
        transferred, requests = _network_totals(driver.get_log("performance"))
        return Load(url, float(outcome["ready_ms"]), transferred, requests, int(outcome["graphs"]))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _network_totals(entries: list[dict]) -> tuple[int, int]:
    """Bytes on the wire and the number of finished requests over HTTP(S), from DevTools network events.

    Chromium's own pages (``chrome://`` resources of the first, blank tab) and ``data:`` URLs are not
    network traffic and are left out.
    """
    urls: dict[str, str] = {}
    finished: dict[str, int] = {}
    for entry in entries:
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.responseReceived":
            urls.setdefault(params["requestId"], params["response"]["url"])
        elif message["method"] == "Network.loadingFinished":
            finished[params["requestId"]] = int(params.get("encodedDataLength", 0))
    over_http = [
        size for request, size in finished.items() if urls.get(request, "").startswith(("http:", "https:"))
    ]
    return sum(over_http), len(over_http)
