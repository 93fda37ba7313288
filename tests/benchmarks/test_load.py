"""A bounded load test on loopback: 50 simulated board members browsing for 60 s against gunicorn with
two workers (on PostgreSQL when TEST_DATABASE_URL is set). No request may fail; the p95 of a page view
is reported at the end of the run, never asserted."""

from __future__ import annotations

import pytest

from benchmarks import server
from benchmarks.dash_client import DashApp, browsing_users
from benchmarks.databases import POSTGRESQL, SQLITE, Database, data_access_command, facts
from benchmarks.stats import median, p95
from tests.conftest import REPORTED_FIGURES, TEST_DATABASE_URL
from tests.startup.conftest import fresh_server_database  # noqa: F401  (fixture)

USERS, SECONDS = 50, 60


@pytest.fixture
def demo_database(request, tmp_path) -> Database:
    if TEST_DATABASE_URL:
        database = Database(POSTGRESQL, "demo", request.getfixturevalue("fresh_server_database"))
    else:
        database = Database(SQLITE, "demo", f"sqlite:///{tmp_path / 'load.db'}")
    completed, _ = data_access_command(database, "demo", timeout=600)
    assert completed.returncode == 0, completed.stderr
    return database


def test_fifty_people_browsing_for_a_minute_get_every_page_without_an_error(demo_database, tmp_path):
    with server.gunicorn(
        "app:server", {"DATABASE_URL": demo_database.url}, tmp_path / "gunicorn.log"
    ) as served:
        app = DashApp.discover(served.url)
        result = browsing_users(app, facts(demo_database), users=USERS, seconds=SECONDS)
        log = (tmp_path / "gunicorn.log").read_text(errors="replace")

    assert result.errors == 0, result.error_examples
    # Each person views a page every few seconds: far fewer would mean the server stalled.
    assert len(result.milliseconds) >= USERS * SECONDS / 10
    assert "Traceback" not in log, log[-3000:]
    REPORTED_FIGURES.append(
        f"load test ({demo_database.kind}, {USERS} users browsing {SECONDS} s, gunicorn -w {served.workers}): "
        f"{len(result.milliseconds)} page views, 0 errors, page view median {median(result.milliseconds):.0f} ms, "
        f"p95 {p95(result.milliseconds):.0f} ms"
    )
