"""Real-browser test set-up: Debian's headless Chromium driven through Dash's ``dash_duo`` fixture.

See /work/shared/BROWSER.md for why each flag is here. A plain ``pytest`` works: headless mode is switched
on below, and Chromium is installed on first use when it is missing and we are root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from dash.testing.application_runners import BaseDashRunner
from dash.testing.composite import DashComposite
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.remote.webdriver import WebDriver

# The benchmark's cold loads use the same browser with the same flags (see BROWSER.md for why each).
from benchmarks.browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS

INSTALL_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install_browser.sh"

# dash_duo starts each test's server on the next of its ports, counted from 58050 in every process, so two
# pytest-xdist workers would take the same ports: a server whose port is taken stops at once, and dash_duo
# may already have found the other worker's server answering there.  Each worker counts from its own block.
PORTS_PER_WORKER = 500


# One directory per run holding each browser's fresh profile; removed when pytest exits.
_profiles_root: Path | None = None

# This worker's Chromium, kept from one test to the next (see dash_duo below), and its window's size at start.
_chromium: WebDriver | None = None
_first_window_size: dict[str, int] = {}


def _browser_missing() -> list[str]:
    return [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]


def pytest_configure(config: pytest.Config) -> None:
    # dash_duo opens a visible window unless --headless is given; with no display it then hangs for
    # 30 s and reports a misleading timeout. Always headless, so a plain `pytest` works.
    if hasattr(config.option, "headless"):
        config.option.headless = True
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    BaseDashRunner._next_port += PORTS_PER_WORKER * int(worker.removeprefix("gw"))


def pytest_unconfigure(config: pytest.Config) -> None:
    _quit_chromium()
    if _profiles_root is not None:
        shutil.rmtree(_profiles_root, ignore_errors=True)


def pytest_setup_options() -> Options:
    """Chrome options for dash_duo (Dash's plugin uses the first result of this hook)."""
    global _profiles_root
    if _profiles_root is None:
        _profiles_root = Path(tempfile.mkdtemp(prefix="csp-browser-tests-"))
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='profile-', dir=_profiles_root)}")
    # Note: dash.testing's Browser._get_chrome narrows this to SEVERE after the hook; a plain
    # webdriver.Chrome(options=...) built from these options keeps every level.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture(scope="session", autouse=True)
def chromium_installed() -> None:
    """Install Chromium once per run if it is missing (as root); fail, not skip, if it still is."""
    missing = _browser_missing()
    if not missing:
        return
    output = ""
    if os.geteuid() == 0:
        result = subprocess.run(
            ["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, check=False, timeout=1800
        )
        output = (result.stdout + result.stderr)[-3000:]
        missing = _browser_missing()
    if missing:
        pytest.fail(
            f"Browser tests need {' and '.join(missing)}. Install them with `sudo {INSTALL_SCRIPT}` "
            f"(apt-get install chromium chromium-driver fonts-liberation).\n{output}",
            pytrace=False,
        )


@pytest.fixture
def dash_duo(request, dash_thread_server, tmp_path) -> Iterator[DashComposite]:
    """Dash's ``dash_duo`` (dash.testing.plugin), on this worker's one Chromium: starting a browser took 1 to
    1.5 s of every browser test and quitting it 0.3 s more.  Each test finds it as a new one would be, as
    far as a page can tell: no cookies, an empty cache, no blocked addresses, the window at its first size,
    nothing left in the console log and downloads going to the test's own folder.  Every test's server has
    a port of its own, so what a page keeps in the browser's storage (per origin) never reaches another."""
    download_path = tmp_path / "download"
    download_path.mkdir()
    with _OnThisWorkersChromium(
        server=dash_thread_server,
        browser=request.config.getoption("webdriver"),
        headless=request.config.getoption("headless"),
        options=request.config.hook.pytest_setup_options(),
        download_path=str(download_path),
    ) as composite:
        yield composite


class _OnThisWorkersChromium(DashComposite):
    def serve(self, app) -> None:
        """Start ``app``'s server without opening a page, for a test that opens its own first:
        ``start_server`` opens "/", and with the wait for it to settle that took a second or more."""
        self.start_server(app, navigate=False)
        self._url = self.server.url  # what server_url gives (its setter opens the page)

    def _get_chrome(self) -> WebDriver:
        global _chromium
        if _chromium is not None:
            try:
                _as_new(_chromium, self.download_path)
                return _chromium
            except WebDriverException:
                _quit_chromium()
        _chromium = super()._get_chrome()
        _first_window_size.update(_chromium.get_window_size())
        return _chromium

    def __exit__(self, exc_type, exc_val, traceback) -> None:
        # Leave the page before the test's server stops; a browser that cannot is not given to another test.
        try:
            self.driver.get("about:blank")
        except WebDriverException:
            _quit_chromium()


def _as_new(driver: WebDriver, download_path: str) -> None:
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    driver.set_window_size(_first_window_size["width"], _first_window_size["height"])
    driver.get_log("browser")  # what the test before left unread
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_path})


def _quit_chromium() -> None:
    global _chromium
    if _chromium is not None:
        with contextlib.suppress(WebDriverException):  # one that has died cannot be asked to quit
            _chromium.quit()
        _chromium = None
