"""Getting a database ready: the schema at the newest migration, and demo data where it belongs.

Every path that changes the schema or loads the demo (the app's start-up, ``python -m data_access init``
and ``demo``) runs under one preparation lock, so several gunicorn workers starting at once on an empty
database upgrade and seed it exactly once:

- PostgreSQL: the session-level advisory lock ``PREPARATION_LOCK_KEY``, held on one connection that also
  runs the migrations; the server releases it by itself if the process dies.
- SQLite: an exclusive ``flock`` on ``<database file>.lock`` next to the database file.

The demo partnership is loaded unasked only into the embedded default (the SQLite file used when
DATABASE_URL is unset) while it holds no partnership; anywhere else only by ``python -m data_access demo``,
and never over another partnership. ``demo --scale large`` loads the large synthetic partnership
(``data_access.demo.large``) under the same rules.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from data_access.config import Settings
from data_access.db import (
    DatabaseUnavailable,
    get_engine,
    holds_partnership,
    session_scope,
    sqlite_file,
    unavailable,
    upgrade_schema,
    upgrade_schema_on,
)
from data_access.demo import WORKBOOK_DIR as DEMO_WORKBOOK
from data_access.demo import large
from data_access.importer import ImportSource, ImportSummary, file_sha256, import_frames, import_path
from data_access.models import District, Priority
from data_access.workbook import read_workbook
from domain.vocabulary import ImportChannel

LOG = logging.getLogger(__name__)

# Any fixed bigint will do, as long as every process of the dashboard uses the same one and nothing
# else on the server does: the bytes spell "CSPDASH1".
PREPARATION_LOCK_KEY = 0x4353504441534831

Result = TypeVar("Result")


class DemoRefused(RuntimeError):
    """The demo would be mixed into a database that already holds another partnership."""


def load_demo(engine: Engine) -> ImportSummary:
    """Load the demo partnership (the CSV workbook in data_access/demo/workbook) into a database already at
    the newest schema (its callers upgrade it under the preparation lock); running it again changes
    nothing."""
    source = ImportSource(
        imported_by="demo loader",
        channel=ImportChannel.DEMO,
        file_name="demo workbook (data_access/demo/workbook)",
        sha256=file_sha256(DEMO_WORKBOOK),
    )
    return import_path(engine, DEMO_WORKBOOK, source=source)


def load_large_demo(engine: Engine, size: large.Size = large.FULL) -> ImportSummary:
    """Load the large synthetic partnership through the importer, like any workbook; running it again
    changes nothing."""
    source = ImportSource(
        imported_by="demo loader", channel=ImportChannel.DEMO, file_name="large synthetic partnership"
    )
    return import_frames(engine, large.workbook(size), source=source)


def holds_demo(engine: Engine) -> bool:
    """True when the partnership the database holds is the demo: exactly its districts and priorities.

    Districts alone would not do: a real Hampshire partnership has the same district codes.
    """
    demo, _ = read_workbook(DEMO_WORKBOOK)
    return _holds(engine, _codes(demo["districts"]), _codes(demo["priorities"]))


def holds_large_demo(engine: Engine, size: large.Size = large.FULL) -> bool:
    """True when the partnership the database holds is the large synthetic one."""
    return _holds(engine, large.district_codes(size), large.priority_codes())


def _holds(engine: Engine, district_codes: set[str], priority_codes: set[str]) -> bool:
    with session_scope(engine) as session:
        districts = set(session.scalars(select(District.code)))
        priorities = set(session.scalars(select(Priority.code)))
    return districts == district_codes and priorities == priority_codes


def _codes(sheet) -> set[str]:
    return set(sheet.cells["code"])


def prepare_database(settings: Settings | None = None, *, seed_demo_when_empty: bool | None = None) -> Engine:
    """Upgrade the schema and, where allowed, seed the demo partnership into an empty database.

    ``seed_demo_when_empty`` None follows the rule (only the embedded default is seeded unasked); True or
    False overrides it. Raises DatabaseUnavailable when the database cannot be reached.
    """
    settings = settings or Settings()
    seed = settings.uses_embedded_database if seed_demo_when_empty is None else seed_demo_when_empty
    engine = get_engine(settings.database_url)

    def seed_when_empty(engine: Engine) -> None:
        # Checked under the lock: a worker that waited for another one sees its seed and skips.
        if seed and not holds_partnership(engine):
            LOG.info("Loading the demo partnership into the empty database.")
            load_demo(engine)

    _upgraded_under_lock(engine, then=seed_when_empty)
    return engine


# The partnerships ``python -m data_access demo --scale`` loads: (name in messages, load, holds it).
DEMO_SCALES: dict[str, tuple[str, Callable[[Engine], ImportSummary], Callable[[Engine], bool]]] = {
    "demo": ("demo", load_demo, holds_demo),
    "large": ("large demo", load_large_demo, holds_large_demo),
}


def install_demo(settings: Settings | None = None, *, scale: str = "demo") -> ImportSummary:
    """Load the demo partnership (or, with ``scale="large"``, the large synthetic one) on request, into an
    empty database or over the same partnership.

    Raises DemoRefused when the database holds another partnership, DatabaseUnavailable when it cannot
    be reached.
    """
    settings = settings or Settings()
    engine = get_engine(settings.database_url)
    name, load, holds = DEMO_SCALES[scale]

    def load_unless_another_partnership(engine: Engine) -> ImportSummary:
        if holds_partnership(engine) and not holds(engine):
            raise DemoRefused(
                f"The database at {_display_url(engine)} already holds a partnership that is not the {name}; the "
                f"{name} is only loaded into an empty database (or over itself), so nothing was changed."
            )
        return load(engine)

    return _upgraded_under_lock(engine, then=load_unless_another_partnership)


def _upgraded_under_lock(engine: Engine, then: Callable[[Engine], Result]) -> Result:
    """Upgrade the schema, then run ``then``, all under the preparation lock."""
    try:
        if engine.url.get_backend_name() == "postgresql":
            with _postgres_advisory_lock(engine) as connection:
                # Committed before ``then`` runs on other connections, which must see the new tables.
                with connection.begin():
                    upgrade_schema_on(connection)
                return then(engine)
        with _sqlite_file_lock(engine):
            upgrade_schema(engine)
            return then(engine)
    except (OperationalError, InterfaceError) as error:
        raise unavailable(error) from error


@contextmanager
def _postgres_advisory_lock(engine: Engine) -> Iterator[Connection]:
    """A connection holding the preparation lock; other processes wait in ``pg_advisory_lock``."""
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PREPARATION_LOCK_KEY})
        connection.commit()
        try:
            yield connection
        finally:
            try:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PREPARATION_LOCK_KEY})
                connection.commit()
            except DBAPIError:
                # The connection broke: the server has already released its lock. Do not pool it.
                connection.invalidate()


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock on ``<database file>.lock``; an in-memory database needs none."""
    database = sqlite_file(engine)
    if database is None:
        yield
        return
    lock_path = database.with_name(database.name + ".lock")
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        lock_file = lock_path.open("a")
    except OSError as error:
        raise DatabaseUnavailable(f"The database file {database} cannot be created: {error}") from error
    with lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _display_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


class DatabasePreparer:
    """Prepares the database once per process, retrying while it cannot be reached.

    ``ensure_ready`` is cheap once the database is ready, so it can run before every request: the app
    then recovers by itself when the database comes back, schema upgrade and seed included. While the
    database is down it tries at most every ``settings.database_retry_seconds``, so requests do not each
    wait for a connection timeout.
    """

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic):
        self._settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._ready = False
        self._next_attempt = 0.0

    @property
    def ready(self) -> bool:
        return self._ready

    def ensure_ready(self) -> None:
        """Prepare the database unless it is ready or an attempt failed moments ago; outages are logged."""
        if self._ready:
            return
        # Requests arriving during an attempt wait for it rather than query a half-made schema.
        with self._lock:
            if self._ready or self._clock() < self._next_attempt:
                return
            try:
                prepare_database(self._settings)
            except DatabaseUnavailable as error:
                LOG.error(
                    "Database not ready (next try in %g s; pages show an outage banner until then): %s",
                    self._settings.database_retry_seconds,
                    error,
                )
                return
            finally:
                # Counted from the end of this attempt, which may itself have waited for a timeout.
                self._next_attempt = self._clock() + self._settings.database_retry_seconds
            self._ready = True
            LOG.info("Database ready: %s", _display_url(get_engine(self._settings.database_url)))
