"""An app of its own per test, on a fresh database holding a small partnership, so users added here
never reach the rest of the suite's shared dashboard."""

from __future__ import annotations

import pytest

from data_access.config import Settings
from data_access.db import get_engine, session_scope
from data_access.importer import import_frames
from data_access.users import add_user
from tests.startup.conftest import app_factory, fresh_database, fresh_server_database  # noqa: F401  (fixtures)
from tests.workbooks import small_partnership

PASSWORD = "a long enough passphrase"


@pytest.fixture
def make_app(app_factory, fresh_database):  # noqa: F811
    """``make_app(**settings)``: the dashboard on the fresh database, holding a small partnership."""

    def make(**overrides):
        app = app_factory(Settings(database_url=fresh_database, **overrides))
        import_frames(get_engine(fresh_database), small_partnership())
        return app

    return make


@pytest.fixture
def add_users(fresh_database):  # noqa: F811
    def add(*name_roles):
        with session_scope(get_engine(fresh_database)) as session:
            return [add_user(session, name, role, PASSWORD) for name, role in name_roles]

    return add
