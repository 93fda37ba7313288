"""Fixtures shared by every layer of the suite."""

from __future__ import annotations

import os
import secrets
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from data_access import users
from data_access.db import _enable_sqlite_foreign_keys, upgrade_schema
from tests.serving import empty_database

# Set by .ci/run (and by anyone who wants the data tests on PostgreSQL too), e.g.
# postgresql+psycopg://postgres@127.0.0.1:5432/test
TEST_DATABASE_URL = os.getenv("TEST_DATABASE_URL")


def _backends() -> list[str]:
    return ["sqlite", "server"] if TEST_DATABASE_URL else ["sqlite"]


# The dashboard hashes passwords with argon2-cffi's default profile (data_access.users): 0.15-0.2 s a hash
# or a check on two cores, by design.  The suite adds users and signs in hundreds of times, for rules
# (rate limits, sessions, roles) that do not depend on that cost, so it hashes with argon2id at the
# cheapest parameters, argon2-cffi's profile for tests; test_users signs in once at the dashboard's own.
DASHBOARD_PASSWORD_HASHER = users._HASHER


@pytest.fixture(scope="session", autouse=True)
def cheapest_password_hashing() -> Iterator[None]:
    cheapest = PasswordHasher.from_parameters(CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_HASHER", cheapest)
        patch.setattr(users, "_UNKNOWN_USER_HASH", cheapest.hash(secrets.token_hex(16)))
        yield


@pytest.fixture(scope="session")
def server_database_url() -> str:
    """The server database's URL; fails, never skips, when it is set but cannot be reached."""
    assert TEST_DATABASE_URL, "TEST_DATABASE_URL is not set"
    engine = create_engine(TEST_DATABASE_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        pytest.fail(f"TEST_DATABASE_URL is set but unreachable ({TEST_DATABASE_URL}): {error}")
    finally:
        engine.dispose()
    return TEST_DATABASE_URL


@pytest.fixture(scope="session")
def empty_sqlite_database(tmp_path_factory) -> Path:
    """A SQLite file at the newest migration, made once per process: each test's SQLite database is a copy
    (migrating takes a tenth of a second or more, copying the file a millisecond)."""
    return empty_database(tmp_path_factory.mktemp("schema") / "empty.db")


@dataclass(frozen=True)
class MigratedSchema:
    """How to make a PostgreSQL schema at the newest migration on ``server``: run ``statements`` in it, what
    the migrations ran (with their parameters) when they made one from nothing."""

    server: URL
    statements: tuple[tuple[str, Any], ...]


@pytest.fixture(scope="session")
def empty_server_schema(server_database_url) -> MigratedSchema:
    """The migrations' statements, recorded once per process as they make a schema from nothing: run again
    in each test's new schema they make the same one, without alembic's own work (0.1 s of the 0.25 s a
    schema took).  The data version the migrations choose at random is then the same in every schema;
    nothing keys on it alone (a view cache's key has the URL, which names the schema)."""
    server = make_url(server_database_url)
    statements = []

    def record(_connection, _cursor, statement, parameters, _context, _executemany) -> None:
        statements.append((statement, parameters))

    with _new_schema(server) as engine:
        event.listen(engine, "before_cursor_execute", record)
        upgrade_schema(engine)
    return MigratedSchema(server, tuple(statements))


@pytest.fixture(params=_backends())
def engine(request, tmp_path) -> Iterator[Engine]:
    """An empty database at the newest migration: a SQLite file, or a fresh PostgreSQL schema."""
    with _new_database(_origin(request), tmp_path) as engine:
        yield engine


@pytest.fixture(scope="module", params=_backends())
def module_databases(request, tmp_path_factory) -> Iterator[Callable[[], Engine]]:
    """``module_databases()``: an empty database as ``engine`` gives, on this module's backend, kept until
    the module's tests are done: for a partnership that they only read, loaded once (a test that writes
    takes ``engine``)."""
    origin = _origin(request)
    with ExitStack() as databases:
        yield lambda: databases.enter_context(_new_database(origin, tmp_path_factory.mktemp("module")))


def _origin(request) -> Path | MigratedSchema:
    """What a new database of the backend ``request.param`` is made from: a SQLite file to copy, or the
    statements to run in a new schema."""
    if request.param == "sqlite":
        return request.getfixturevalue("empty_sqlite_database")
    return request.getfixturevalue("empty_server_schema")


@contextmanager
def _new_database(origin: Path | MigratedSchema, folder: Path) -> Iterator[Engine]:
    """A copy of the SQLite file ``origin`` in ``folder``, or a new schema made as ``origin`` says; removed
    afterwards."""
    if isinstance(origin, MigratedSchema):
        with _new_schema(origin.server) as engine:
            with engine.begin() as connection:
                for statement, parameters in origin.statements:
                    connection.exec_driver_sql(statement, parameters)
            yield engine
        return
    path = folder / "test.db"
    shutil.copyfile(origin, path)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _new_schema(server: URL) -> Iterator[Engine]:
    """An engine on a new, empty schema on ``server``, dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # The schema is in the URL, so the URL alone (an app's settings, a view cache's key) names the database.
    engine = create_engine(server.update_query_dict({"options": f"-csearch_path={schema}"}))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def dash_registry_kept() -> Iterator[None]:
    """Put Dash's process-wide callback registry back as it was once the block ends.

    Callbacks registered with ``dash.callback`` and ``clientside_callback`` (the pages' own) wait in lists
    kept by the process, and the first app to answer a request takes them all.  A second app made in the
    test process (``create_app`` for another database, a tooling check's bare app) that answers before the
    shared test app took the shared app's callbacks with it: a later browser test then found the data
    page without its clientside size check.  A production process holds one app, so only tests need this.
    """
    from dash import _callback

    callback_map = dict(_callback.GLOBAL_CALLBACK_MAP)
    callback_list = list(_callback.GLOBAL_CALLBACK_LIST)
    inline_scripts = list(_callback.GLOBAL_INLINE_SCRIPTS)
    try:
        yield
    finally:
        _callback.GLOBAL_CALLBACK_MAP.clear()
        _callback.GLOBAL_CALLBACK_MAP.update(callback_map)
        _callback.GLOBAL_CALLBACK_LIST[:] = callback_list
        _callback.GLOBAL_INLINE_SCRIPTS[:] = inline_scripts


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory):
    """The dashboard app on its own SQLite file, seeded with the demo partnership (one per test run:
    Dash Pages registers pages and callbacks process-wide)."""
    from data_access.bootstrap import install_demo
    from data_access.config import Settings

    database = tmp_path_factory.mktemp("dashboard") / "dashboard.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{database}")
        # A database named by DATABASE_URL is never seeded unasked: ask, as `python -m data_access demo` does.
        install_demo(Settings())
        import app as app_module

        yield app_module


# Figures a test measures but must not assert (timings), printed at the end of the run.  A test records
# one with ``record_property(MEASURED, line)``: the report carries it to the process that prints the
# summary, which with several workers (pytest-xdist) is not the one that ran the test.
MEASURED = "measured"
REPORTED_FIGURES: list[str] = []


def pytest_runtest_logreport(report) -> None:
    if report.when == "call":
        REPORTED_FIGURES.extend(value for name, value in report.user_properties if name == MEASURED)


def pytest_terminal_summary(terminalreporter) -> None:
    if REPORTED_FIGURES:
        terminalreporter.section("measured (reported, not asserted)")
        for line in REPORTED_FIGURES:
            terminalreporter.write_line(line)
