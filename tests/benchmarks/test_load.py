"""A bounded load test on loopback: 50 simulated board members browsing for 20 s (LOAD_TEST_SECONDS) against
gunicorn with two workers (on PostgreSQL when TEST_DATABASE_URL is set). No request may fail; the p95 of a
page view is reported at the end of the run, never asserted."""

from __future__ import annotations

import os

import pytest

from benchmarks import server
from benchmarks.dash_client import DashApp, browsing_users
from benchmarks.databases import POSTGRESQL, SQLITE, Database, data_access_command, facts
from benchmarks.stats import median, p95
from tests.conftest import MEASURED, TEST_DATABASE_URL
from tests.startup.conftest import fresh_server_database  # noqa: F401  (fixture)

# 20 s keeps the suite short while every user still opens several pages; LOAD_TEST_SECONDS=300 soaks.
USERS, SECONDS = 50, int(os.getenv("LOAD_TEST_SECONDS", "20"))


@pytest.fixture
def demo_database(request, tmp_path) -> Database:
    if TEST_DATABASE_URL:
        database = Database(POSTGRESQL, "demo", request.getfixturevalue("fresh_server_database"))
    else:
        database = Database(SQLITE, "demo", f"sqlite:///{tmp_path / 'load.db'}")
    completed, _ = data_access_command(database, "demo", timeout=600)
    assert completed.returncode == 0, completed.stderr
    return database


def test_fifty_people_browsing_at_once_get_every_page_without_an_error(
    demo_database, tmp_path, record_property
):
    with server.gunicorn(
        "app:server", {"DATABASE_URL": demo_database.url}, tmp_path / "gunicorn.log"
    ) as served:
        app = DashApp.discover(served.url)
        result = browsing_users(app, facts(demo_database), users=USERS, seconds=SECONDS)
        log = (tmp_path / "gunicorn.log").read_text(errors="replace")

    assert result.errors == 0, result.error_examples
    # Everyone got at least one page: how many more depends on the machine, so it is reported, not asserted.
    assert len(result.milliseconds) >= USERS
    assert "Traceback" not in log, log[-3000:]
    record_property(
        MEASURED,
        f"load test ({demo_database.kind}, {USERS} users browsing {SECONDS} s, gunicorn -w {served.workers}): "
        f"{len(result.milliseconds)} page views, 0 errors, page view median {median(result.milliseconds):.0f} ms, "
        f"p95 {p95(result.milliseconds):.0f} ms",
    )
