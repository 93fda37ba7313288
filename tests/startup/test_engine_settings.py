"""The engine's PostgreSQL session settings."""

from __future__ import annotations

from sqlalchemy import text

from data_access import db


def test_postgresql_sessions_do_not_jit_compile_statements(fresh_server_database):
    # JIT compiling the district matrix's statement took longer than running it.
    with db.get_engine(fresh_server_database).connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar_one() == "off"


def test_options_in_the_url_win(fresh_server_database):
    url = f"{fresh_server_database}?options=-c%20jit%3Don"
    try:
        with db.get_engine(url).connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "on"
    finally:
        db.get_engine(url).dispose()
