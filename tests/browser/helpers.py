"""Helpers for the real-browser tests: wait for Dash, audit with axe-core, read the console, screenshot.

Each takes a selenium WebDriver (``dash_duo.driver``); ``console_errors`` also accepts ``dash_duo`` itself.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

from selenium.common.exceptions import JavascriptException
from selenium.webdriver.remote.webdriver import WebDriver

from benchmarks.browser import DASH_BUSY_JS

AXE_SOURCE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"

# WCAG 2.2 AA as councils are held to it (Public Sector Bodies Accessibility Regulations), plus axe's
# best-practice rules (landmarks, one h1, ...) that catch most real problems on dashboards.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")

# True when Dash is idle (benchmarks.browser.DASH_BUSY_JS, which the benchmark's cold loads wait on too),
# else what is still busy.
_DASH_IDLE_JS = DASH_BUSY_JS + "const reason = dashBusy(); return reason === null ? true : reason;"

# True when no graph is mid-redraw and every graph without a fixed width matches its container's width.
_GRAPHS_FIT_JS = """
if (document.querySelector(".dash-graph--pending")) { return false; }
for (const gd of document.querySelectorAll(".js-plotly-plot")) {
    if (!gd._fullLayout) { return false; }
    const fixedWidth = gd.layout && gd.layout.width;
    if (!fixedWidth && Math.abs(gd._fullLayout.width - gd.clientWidth) > 1) { return false; }
}
return true;
"""


_GRID_ROWS_LOADED_JS = """
const rows = [...document.querySelectorAll(`#${arguments[0]} .ag-center-cols-container .ag-row`)];
return rows.length > 0 && !rows.some(row => row.classList.contains("ag-row-loading"));
"""


def wait_for_dash_idle(driver: WebDriver, timeout: float = 20, poll: float = 0.05) -> None:
    """Block until Dash has nothing pending and every graph has drawn, seen on two polls in a row.

    Two consecutive idle polls guard against the instant between one callback finishing and the
    chained callback it triggers being requested. Raises TimeoutError naming what was still busy
    (a page with a fast ``dcc.Interval`` never goes idle: disable the interval in the test's app).
    """
    deadline = time.monotonic() + timeout
    idle_polls = 0
    status: Any = "not checked"
    while True:
        status = driver.execute_script(_DASH_IDLE_JS)
        idle_polls = idle_polls + 1 if status is True else 0
        if idle_polls >= 2:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"Dash still busy after {timeout}s: {status}")
        time.sleep(poll)


def wait_for_grid_rows(driver: WebDriver, grid_id: str, timeout: float = 20) -> None:
    """Block until Dash is idle with the AG Grid ``grid_id`` showing rows it has loaded (none a placeholder).

    A grid in the infinite row model asks the server for its rows once it has been drawn, so Dash can look
    idle (nothing pending yet) while the grid still shows empty loading rows.
    """
    deadline = time.monotonic() + timeout
    while True:
        wait_for_dash_idle(driver, timeout=max(1.0, deadline - time.monotonic()))
        if driver.execute_script(_GRID_ROWS_LOADED_JS, grid_id):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"The rows of #{grid_id} were still loading after {timeout}s")
        time.sleep(0.05)


def run_axe(driver: WebDriver, context: str = "document") -> list[dict[str, Any]]:
    """Run axe-core on the current page (or the CSS selector ``context``) and return its violations."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_SOURCE_PATH.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}}
    target = "document" if context == "document" else "document.querySelector(arguments[1])"
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        f"""
        const done = arguments[arguments.length - 1];
        axe.run({target}, arguments[0])
            .then(results => done({{violations: results.violations}}))
            .catch(error => done({{error: String(error)}}));
        """,
        options,
        context,
    )
    if "error" in result:
        raise JavascriptException(f"axe.run failed: {result['error']}")
    return result["violations"]


def format_violations(violations: list[dict[str, Any]], max_nodes: int = 3) -> str:
    """Describe axe violations for an assertion message: rule, impact, help, the first few elements."""
    if not violations:
        return "no accessibility violations"
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        nodes = violation.get("nodes", [])
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}] {violation.get('help')} "
            f"({len(nodes)} element(s)) {violation.get('helpUrl', '')}"
        )
        for node in nodes[:max_nodes]:
            lines.append(f"    at {node.get('target')}: {node.get('html', '')[:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + " ".join(summary.split()))
        if len(nodes) > max_nodes:
            lines.append(f"    ... and {len(nodes) - max_nodes} more")
    return "\n".join(lines)


def console_errors(dash_duo_or_driver: Any) -> list[dict[str, Any]]:
    """Return the SEVERE entries of the browser console log (errors, failed requests such as 404s).

    Chromedriver hands out each log entry once: a second call only returns entries logged since the
    first, and ``dash_duo.get_logs()`` afterwards no longer sees the ones returned here.
    """
    driver = getattr(dash_duo_or_driver, "driver", dash_duo_or_driver)
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def set_viewport(driver: WebDriver, width: int, height: int, settle_timeout: float = 2) -> None:
    """Resize the window so the viewport (not the outer window) is ``width`` x ``height``, then settle.

    Settling waits for responsive graphs to redraw at the new width (dcc.Graph debounces its resize) and
    then for Dash to go idle. A graph with a fixed width never "fits", so that case costs ``settle_timeout``.
    """
    before = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(width, height)
    inner_width, inner_height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if (inner_width, inner_height) != (width, height):
        driver.set_window_size(2 * width - inner_width, 2 * height - inner_height)
    if before == [width, height]:
        return
    time.sleep(0.2)
    deadline = time.monotonic() + settle_timeout
    while not driver.execute_script(_GRAPHS_FIT_JS) and time.monotonic() < deadline:
        time.sleep(0.05)
    if driver.execute_script("return document.getElementById('_dash-config') !== null"):
        wait_for_dash_idle(
            driver
        )  # pages served outside Dash (sign-in, the statement) have nothing to wait for


def screenshot(driver: WebDriver, path: str | Path, width: int, height: int, full_page: bool = False) -> Path:
    """Save a PNG of the page in a ``width`` x ``height`` viewport; ``full_page`` captures below the fold too."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    set_viewport(driver, width, height)
    if not full_page:
        driver.save_screenshot(str(path))
        return path
    page_width, page_height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": max(width, page_width), "height": page_height, "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
