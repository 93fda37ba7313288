"""Start-up fixtures: fresh empty databases (a SQLite file, a whole PostgreSQL database) and what to
ask of them afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from data_access import db
from data_access.workbook import SHEETS_BY_NAME
from tests.conftest import TEST_DATABASE_URL, dash_registry_kept

NO_SERVER = "TEST_DATABASE_URL is not set: this start-up test needs a PostgreSQL server"
# As in the data tests: PostgreSQL as well as SQLite when a server is set.
BACKENDS = ["sqlite", "server"] if TEST_DATABASE_URL else ["sqlite"]


@pytest.fixture
def fresh_server_database(request) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (not a schema: start-up creates tables in ``public``)."""
    if not TEST_DATABASE_URL:
        pytest.skip(NO_SERVER)
    server_url = make_url(request.getfixturevalue("server_database_url"))
    name = f"csp_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        db.get_engine(url).dispose()
        with admin.connect() as connection:
            # FORCE: a test's proxy or gunicorn may have left a connection behind.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def fresh_database(request, tmp_path) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file, and a PostgreSQL database when one is set."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        yield url
        db.get_engine(url).dispose()
        return
    yield request.getfixturevalue("fresh_server_database")


def head_revision() -> str:
    return ScriptDirectory(str(db.MIGRATIONS_DIR)).get_current_head()


def schema_revisions(url: str) -> list[str]:
    """The rows of alembic_version (one, at head, when the schema was made once); [] without a schema."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        if not inspect(engine).has_table("alembic_version"):
            return []
        with engine.connect() as connection:
            return list(connection.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    """Rows per workbook table; 0 for every table when the schema is missing."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        existing = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            return {
                name: connection.scalar(select(func.count()).select_from(table(name)))
                if name in existing
                else 0
                for name in SHEETS_BY_NAME
            }
    finally:
        engine.dispose()


def demo_row_counts() -> dict[str, int]:
    """Rows per table after one clean load of the demo: one row per workbook row."""
    from data_access.bootstrap import DEMO_WORKBOOK
    from data_access.workbook import read_workbook

    demo, _ = read_workbook(DEMO_WORKBOOK)
    return {name: len(demo[name].rows) if name in demo else 0 for name in SHEETS_BY_NAME}


@pytest.fixture
def app_factory(monkeypatch):
    """``create_app``, with the process's default database and Dash's callback registry put back
    afterwards, both the shared test app's (tests.conftest.dash_registry_kept)."""
    monkeypatch.setattr(db, "_default_database_url", db._default_database_url)
    from app import create_app

    with dash_registry_kept():
        yield create_app
