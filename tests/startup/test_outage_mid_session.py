"""The database goes away while the dashboard is in use: its connections are ended by the server, or the
network to it is cut. Pages say so, /healthz answers 503, and both recover by themselves."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from data_access import db
from data_access.config import Settings
from data_access.importer import import_frames
from tests.startup.proxy import SwitchableProxy
from tests.startup.test_outage_recovery import (
    OUTAGE_HEADING,
    overview_text,
    shell_text,
)
from tests.workbooks import small_partnership

PRIORITY_TITLE = "Serious violence"


def end_every_connection_to(database_url: str) -> int:
    """pg_terminate_backend on every other session of the database, as a restart or an admin would."""
    url = make_url(database_url)
    admin = create_engine(url.set(host="127.0.0.1", port=5432), poolclass=NullPool)
    try:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": url.database},
                ).all()
            )
    finally:
        admin.dispose()


def test_connections_ended_by_postgresql_are_replaced_without_the_user_noticing(
    fresh_server_database, app_factory
):
    app = app_factory(Settings(database_url=fresh_server_database))
    import_frames(db.get_engine(fresh_server_database), small_partnership())
    client = app.server.test_client()
    assert PRIORITY_TITLE in overview_text()

    assert end_every_connection_to(fresh_server_database) >= 1

    assert OUTAGE_HEADING not in shell_text(client)
    assert PRIORITY_TITLE in overview_text()
    assert client.get("/healthz").status_code == 200


def test_a_cut_network_shows_the_banner_and_the_pages_come_back_by_themselves(
    fresh_server_database, app_factory
):
    server = make_url(fresh_server_database)
    proxy = SwitchableProxy((server.host, server.port))
    proxy.switch_on()
    url = server.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        app = app_factory(Settings(database_url=url, database_retry_seconds=0.5))
        import_frames(db.get_engine(url), small_partnership())
        client = app.server.test_client()
        assert PRIORITY_TITLE in overview_text()

        proxy.switch_off()
        assert OUTAGE_HEADING in shell_text(client)
        assert OUTAGE_HEADING in overview_text()
        assert client.get("/healthz").status_code == 503

        proxy.switch_on()
        assert OUTAGE_HEADING not in shell_text(client)
        assert PRIORITY_TITLE in overview_text()
        assert client.get("/healthz").status_code == 200
    finally:
        db.get_engine(url).dispose()
        proxy.close()
