"""Engine and sessions: one engine per process and URL, a session per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from data_access.config import Settings
from data_access.models import District

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# PostgreSQL compiles a statement whose estimated cost passes jit_above_cost; the per-action look-ups the
# action queries make are estimated far above it, and compiling took 10-40 ms of statements that run in
# 30-60 ms (EXPLAIN ANALYZE on the large partnership), and 35 ms of the district matrix's 80.  No statement
# here runs long enough to repay it.
# Set on each connection unless the URL's own ``options`` say otherwise.
NO_JIT = "-c jit=off"


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; the pages show a banner instead of a traceback."""


_default_database_url: str | None = None


def configure(database_url: str) -> None:
    """Make ``database_url`` the process default (the app factory calls this with its settings)."""
    global _default_database_url
    _default_database_url = database_url


def get_engine(database_url: str | None = None) -> Engine:
    """The process-wide engine for ``database_url`` (default: the configured one)."""
    settings = Settings()
    return _engine_for(
        database_url or _default_database_url or settings.database_url, settings.database_connect_timeout
    )


@cache
def _engine_for(database_url: str, connect_timeout: int) -> Engine:
    # Cached so every callback reuses one connection pool instead of opening a connection per call.
    # Creating an engine touches nothing: the SQLite file's folder is made when the database is prepared.
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    # A timeout written in the URL itself wins over the configured one.
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": connect_timeout}
    if "options" not in url.query:
        connect_args["options"] = NO_JIT
    # pool_pre_ping: a restarted PostgreSQL does not leave every pooled connection broken.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database, or None for an in-memory one or another kind of database."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@cache
def _session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    session = _session_factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except (OperationalError, InterfaceError) as error:
        session.rollback()
        raise unavailable(error) from error
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def unavailable(error: OperationalError | InterfaceError) -> DatabaseUnavailable:
    """The outage to report for a driver's failure to reach the database."""
    return DatabaseUnavailable(f"The database cannot be reached: {error.orig}")


def upgrade_schema(engine: Engine) -> None:
    """Create the schema, or upgrade it to the newest migration."""
    with engine.begin() as connection:
        upgrade_schema_on(connection)


def upgrade_schema_on(connection: Connection) -> None:
    """Create or upgrade the schema on ``connection``, inside its open transaction (the caller commits)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def holds_partnership(engine: Engine) -> bool:
    """True when the database already holds a partnership: a partnership row or any district."""
    from data_access import queries

    if not inspect(engine).has_table(District.__tablename__):
        return False
    with session_scope(engine) as session:
        return queries.holds_partnership(session)
