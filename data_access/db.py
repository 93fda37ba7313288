"""Engine and sessions: one engine per process and URL, a session per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from data_access.config import Settings
from data_access.models import District

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; the pages show a banner instead of a traceback."""


_default_database_url: str | None = None


def configure(database_url: str) -> None:
    """Make ``database_url`` the process default (the app factory calls this with its settings)."""
    global _default_database_url
    _default_database_url = database_url


def get_engine(database_url: str | None = None) -> Engine:
    """The process-wide engine for ``database_url`` (default: the configured one)."""
    return _engine_for(database_url or _default_database_url or Settings().database_url)


@cache
def _engine_for(database_url: str) -> Engine:
    # Cached so every callback reuses one connection pool instead of opening a connection per call.
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    # pool_pre_ping: a restarted PostgreSQL does not leave every pooled connection broken.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


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
        raise DatabaseUnavailable(f"The database cannot be reached: {error.orig}") from error
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upgrade_schema(engine: Engine) -> None:
    """Create the schema, or upgrade it to the newest migration."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_empty(engine: Engine) -> bool:
    """True when the schema is missing or no district has been loaded yet."""
    if not inspect(engine).has_table(District.__tablename__):
        return True
    with session_scope(engine) as session:
        return session.scalar(select(District.id).limit(1)) is None
