"""The dashboard's own engine (data_access.db.get_engine), as opposed to the tests' fixtures."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data_access.db import get_engine
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set: no PostgreSQL")


def jit_setting(url: str) -> str:
    engine = get_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SHOW jit")).scalar_one()
    finally:
        engine.dispose()


def test_postgresql_connections_do_not_compile_statements(server_database_url):
    # Compiling cost the action queries more time than running them (data_access.db.NO_JIT).
    assert jit_setting(server_database_url) == "off"


def test_options_written_in_the_url_win(server_database_url):
    assert jit_setting(f"{server_database_url}?options=-cjit%3Don") == "on"
