"""Real-browser test set-up: Debian's headless Chromium driven through Dash's ``dash_duo`` fixture.

See /work/shared/BROWSER.md for why each flag is here. A plain ``pytest`` works: headless mode is switched
on below, and Chromium is installed on first use when it is missing and we are root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from dash.testing.application_runners import BaseDashRunner
from selenium.webdriver.chrome.options import Options

# The benchmark's cold loads use the same browser with the same flags (see BROWSER.md for why each).
from benchmarks.browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS

INSTALL_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install_browser.sh"

# dash_duo starts each test's server on the next of its ports, counted from 58050 in every process, so two
# pytest-xdist workers would take the same ports: a server whose port is taken stops at once, and dash_duo
# may already have found the other worker's server answering there.  Each worker counts from its own block.
PORTS_PER_WORKER = 500


# One directory per run holding each browser's fresh profile; removed when pytest exits.
_profiles_root: Path | None = None


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
