"""The app starts while its database is down, and recovers by itself once the database answers: the
schema upgrade (and, for the embedded default, the demo seed) that could not run at start runs then."""

from __future__ import annotations

import time

from sqlalchemy.engine import make_url

from data_access import bootstrap, db
from data_access.bootstrap import DatabasePreparer
from data_access.config import Settings
from data_access.db import DatabaseUnavailable
from tests.startup.conftest import demo_row_counts, head_revision, row_counts, schema_revisions
from tests.startup.proxy import SwitchableProxy

OUTAGE_HEADING = "The dashboard cannot reach its database"
RETRY_SECONDS = 0.5


def shell_text(client) -> str:
    """The shell's layout as served to the browser: the header, filters and any outage banner."""
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def overview_text() -> str:
    from pages import overview
    from tests.callbacks.test_pages import text_of

    return text_of(overview.layout())


def wait_past_retry_interval() -> None:
    time.sleep(RETRY_SECONDS + 0.1)


def test_app_starts_while_postgresql_is_down_and_recovers_without_restart(fresh_server_database, app_factory):
    server = make_url(fresh_server_database)
    proxy = SwitchableProxy((server.host, server.port))
    url = server.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        started = time.monotonic()
        app = app_factory(Settings(database_url=url, database_retry_seconds=RETRY_SECONDS))
        assert time.monotonic() - started < 10
        client = app.server.test_client()

        assert client.get("/").status_code == 200
        assert OUTAGE_HEADING in shell_text(client)
        assert OUTAGE_HEADING in overview_text()
        assert schema_revisions(fresh_server_database) == []

        proxy.switch_on()
        wait_past_retry_interval()
        assert client.get("/").status_code == 200

        assert schema_revisions(fresh_server_database) == [head_revision()]
        assert OUTAGE_HEADING not in shell_text(client)
        # A database named by DATABASE_URL is not seeded unasked: the page renders, empty.
        assert "No priorities were in force" in overview_text()
        assert set(row_counts(fresh_server_database).values()) == {0}
    finally:
        db.get_engine(url).dispose()
        proxy.close()


def test_app_starts_while_the_sqlite_folder_cannot_be_made_and_recovers_with_the_demo(tmp_path, app_factory):
    blocker = tmp_path / "instance"
    blocker.write_text("a file where the database's folder should be")
    database = blocker / "dashboard.db"
    url = f"sqlite:///{database}"
    settings = Settings(database_url=url, embedded_database_url=url, database_retry_seconds=RETRY_SECONDS)

    app = app_factory(settings)
    client = app.server.test_client()
    assert OUTAGE_HEADING in shell_text(client)

    blocker.unlink()
    wait_past_retry_interval()
    assert client.get("/").status_code == 200

    assert schema_revisions(url) == [head_revision()]
    assert row_counts(url) == demo_row_counts()
    assert OUTAGE_HEADING not in shell_text(client)
    assert "Priorities at a glance" in overview_text()
    db.get_engine(url).dispose()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_preparer_retries_at_most_once_per_interval_and_stops_once_ready(monkeypatch):
    attempts: list[float] = []
    clock = FakeClock()
    database_up = False

    def prepare(settings):
        attempts.append(clock.now)
        if not database_up:
            raise DatabaseUnavailable("The database cannot be reached: connection refused")

    monkeypatch.setattr(bootstrap, "prepare_database", prepare)
    preparer = DatabasePreparer(Settings(database_url="sqlite://", database_retry_seconds=5), clock=clock)

    preparer.ensure_ready()
    preparer.ensure_ready()
    clock.now += 4.9
    preparer.ensure_ready()
    assert attempts == [1000.0] and not preparer.ready

    clock.now += 0.1
    preparer.ensure_ready()
    assert attempts == [1000.0, 1005.0] and not preparer.ready

    database_up = True
    clock.now += 5
    preparer.ensure_ready()
    clock.now += 60
    preparer.ensure_ready()
    assert attempts == [1000.0, 1005.0, 1010.0] and preparer.ready
