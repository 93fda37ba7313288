"""An app of its own per test, on a fresh database holding a small partnership, so users added here
never reach the rest of the suite's shared dashboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from data_access.config import Settings
from data_access.db import get_engine, session_scope
from data_access.importer import import_frames
from data_access.users import add_user
from tests.startup.conftest import app_factory  # noqa: F401  (fixture)
from tests.workbooks import small_partnership

PASSWORD = "a long enough passphrase"


@pytest.fixture
def app_database(engine) -> Iterator[str]:
    """The URL of a database at the newest migration for one test's app (the data tests' ``engine``: a
    SQLite file, or a schema of its own on the server, which unlike a whole database is dropped without
    the server writing a checkpoint); the app's engine for that URL is closed afterwards."""
    url = engine.url.render_as_string(hide_password=False)
    yield url
    get_engine(url).dispose()


@pytest.fixture
def make_app(app_factory, app_database):  # noqa: F811
    """``make_app(**settings)``: the dashboard on the test's database, holding a small partnership."""

    def make(**overrides):
        app = app_factory(Settings(database_url=app_database, **overrides))
        import_frames(get_engine(app_database), small_partnership())
        return app

    return make


@pytest.fixture
def add_users(app_database):
    def add(*name_roles):
        with session_scope(get_engine(app_database)) as session:
            return [add_user(session, name, role, PASSWORD) for name, role in name_roles]

    return add
