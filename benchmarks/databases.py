"""The databases a benchmark runs on: build them with the project's own command, reuse them, read facts.

Each is built as a user would: ``python -m data_access demo [--scale large]`` with DATABASE_URL set.
SQLite files live in the cache folder; PostgreSQL databases are named after ``--postgresql-url`` with
the scale added (``csp_benchmark`` gives ``csp_benchmark_demo``, ``csp_benchmark_large``, and
``csp_benchmark_import`` for the import measurement).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from benchmarks.server import ROOT

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DEMO = "demo"
LARGE = "large"
DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/csp_benchmark"
# The tables whose sizes the report states, as the workbook's sheets name them.
COUNTED_TABLES = ("districts", "priorities", "indicators", "indicator_values", "actions", "action_updates")
# A build of the large partnership is allowed this long before the benchmark gives up on it.
BUILD_TIMEOUT = 3600


class Unavailable(RuntimeError):
    """This database or scale cannot be measured here (said in the report, not a failure)."""


@dataclass(frozen=True)
class Database:
    kind: str  # SQLITE or POSTGRESQL
    scale: str  # DEMO or LARGE, or "import"
    url: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.scale}"

    @property
    def name(self) -> str:
        """The PostgreSQL database's name, or the SQLite file's name."""
        url = make_url(self.url)
        return Path(url.database).name if self.kind == SQLITE else url.database


def database_for(kind: str, scale: str, *, cache_dir: Path, postgresql_url: str) -> Database:
    if kind == SQLITE:
        return Database(kind, scale, f"sqlite:///{cache_dir / f'sqlite-{scale}.db'}")
    url = make_url(postgresql_url)
    name = f"{url.database or 'csp_benchmark'}_{scale}"
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(f"PostgreSQL database name {name!r}: use letters, digits and underscores")
    return Database(kind, scale, url.set(database=name).render_as_string(hide_password=False))


def command_environment(database: Database) -> dict[str, str]:
    """The environment for the project's commands and the app on ``database``."""
    return {**os.environ, "DATABASE_URL": database.url}


def data_access_command(database: Database, *arguments: str, timeout: float = BUILD_TIMEOUT):
    """Run ``python -m data_access ARGUMENTS`` on ``database``; the CompletedProcess and its seconds."""
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "data_access", *arguments],
        cwd=ROOT,
        env=command_environment(database),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return completed, time.perf_counter() - start


@functools.cache
def large_scale_available() -> bool:
    """True when ``python -m data_access demo`` has a ``--scale`` option (the large partnership)."""
    completed = subprocess.run(
        [sys.executable, "-m", "data_access", "demo", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return "--scale" in completed.stdout


# ---- creating and dropping ------------------------------------------------------------------------


def _admin_engine(database: Database):
    url: URL = make_url(database.url).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _quoted(engine, name: str) -> str:
    return engine.dialect.identifier_preparer.quote(name)


def reset(database: Database) -> None:
    """Make ``database`` empty: remove the SQLite file, or drop and create the PostgreSQL database."""
    if database.kind == SQLITE:
        path = Path(make_url(database.url).database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, path.with_name(path.name + ".lock")):
            leftover.unlink(missing_ok=True)
        return
    admin = _admin_engine(database)
    try:
        with admin.connect() as connection:
            name = _quoted(admin, database.name)
            # FORCE: a server stopped by a signal may leave a connection behind for a moment.
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()


def remove(database: Database) -> None:
    """Delete what ``reset`` made (the run did not ask to keep it)."""
    if database.kind == SQLITE:
        path = Path(make_url(database.url).database)
        for leftover in (path, path.with_name(path.name + ".lock")):
            leftover.unlink(missing_ok=True)
        return
    admin = _admin_engine(database)
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {_quoted(admin, database.name)} WITH (FORCE)"))
    finally:
        admin.dispose()


def server_version(database: Database) -> str:
    """The database software's version, e.g. "3.40.1" for SQLite or "15.14" for PostgreSQL."""
    if database.kind == SQLITE:
        import sqlite3

        return sqlite3.sqlite_version
    admin = _admin_engine(database)
    try:
        with admin.connect() as connection:
            return str(connection.scalar(text("SHOW server_version")))
    finally:
        admin.dispose()


# ---- building -------------------------------------------------------------------------------------


@dataclass
class Built:
    database: Database
    seconds: float | None  # None when reused
    counts: dict[str, int] = field(default_factory=dict)


def _marker(database: Database, cache_dir: Path) -> Path:
    """Written once a build has finished: "sqlite-large.db.built.json", "postgresql-csp_benchmark_large.built.json"."""
    name = database.name if database.kind == SQLITE else f"{database.kind}-{database.name}"
    return cache_dir / f"{name}.built.json"


def build(database: Database, *, cache_dir: Path, reuse: bool) -> Built:
    """Load the partnership of ``database.scale`` into an empty ``database``, or reuse a finished build.

    A build is reused only when its marker says it finished and the row counts still match. Raises
    Unavailable when the scale cannot be built here and RuntimeError when the command fails.
    """
    if database.scale == LARGE and not large_scale_available():
        raise Unavailable("large scale not available: `python -m data_access demo` has no --scale option yet")
    marker = _marker(database, cache_dir)
    if reuse and marker.exists():
        try:
            recorded = json.loads(marker.read_text())
            counts = table_counts(database)
        except Exception:  # noqa: BLE001  (a missing or broken database is simply rebuilt)
            recorded, counts = None, None
        if recorded and counts and recorded.get("counts") == counts:
            settle(database)
            return Built(database, None, counts)
    marker.unlink(missing_ok=True)
    reset(database)
    arguments = ["demo"] if database.scale == DEMO else ["demo", "--scale", database.scale]
    completed, seconds = data_access_command(database, *arguments)
    if completed.returncode != 0:
        raise RuntimeError(
            f"`python -m data_access {' '.join(arguments)}` exited {completed.returncode}: "
            f"{(completed.stderr or completed.stdout).strip()[-1500:]}"
        )
    settle(database)
    counts = table_counts(database)
    cache_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"url": database.url, "scale": database.scale, "counts": counts}, indent=1))
    return Built(database, seconds, counts)


def settle(database: Database) -> None:
    """On PostgreSQL, ``VACUUM (ANALYZE)`` the database, as the server's autovacuum would soon after an import.

    Until a table is vacuumed, its visibility map is empty and an index-only scan still reads every row it
    finds in the table itself. A production server runs autovacuum (on by default); a server with it off,
    as on the benchmark's machines, would otherwise measure pages against a table no real one stays in:
    the latest points of two districts at two dates took 55 ms unvacuumed and 27 ms vacuumed at large scale.
    Vacuuming what an earlier run already vacuumed takes about a second.
    """
    if database.kind != POSTGRESQL:
        return
    engine = create_engine(database.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()


def forget(database: Database, cache_dir: Path) -> None:
    """Remove a database built for this run only."""
    _marker(database, cache_dir).unlink(missing_ok=True)
    remove(database)


# ---- facts the workload needs -----------------------------------------------------------------------


def _engine(database: Database):
    return create_engine(database.url, poolclass=NullPool)


def table_counts(database: Database) -> dict[str, int]:
    engine = _engine(database)
    try:
        existing = set(inspect(engine).get_table_names())
        counts = {}
        with engine.connect() as connection:
            for name in COUNTED_TABLES:
                if name in existing:
                    quoted = _quoted(engine, name)
                    counts[name] = connection.scalar(text(f"SELECT count(*) FROM {quoted}"))  # noqa: S608
        return counts
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Facts:
    """What the workload reads from the database: real codes and dates, so every filter is valid."""

    districts: tuple[str, ...]
    as_at_dates: tuple[dt.date | None, ...]  # None: today (no as_at in the link)
    priority_code: str | None


def facts(
    database: Database, dates: int = 5, today: dt.date | None = None, meetings_within_days: int = 730
) -> Facts:
    """Districts by name, the first priority in force, and at least ``dates`` different "as at" dates.

    The dates are today, then the meetings of the last two years (latest first), then the days before
    today, one by one: enough that no call of a run repeats a date, so no cache keyed by the filters can
    answer it, even on a page that ignores the districts.
    """
    today = today or dt.date.today()
    engine = _engine(database)
    try:
        with engine.connect() as connection:
            districts = tuple(connection.scalars(text("SELECT code FROM districts ORDER BY name, code")))
            meetings = [
                _as_date(value)
                for value in connection.scalars(
                    text(
                        "SELECT date FROM meetings WHERE date <= :today AND date >= :since ORDER BY date DESC"
                    ),
                    {"today": today, "since": today - dt.timedelta(days=meetings_within_days)},
                )
            ]
            priority = connection.scalar(
                text(
                    "SELECT code FROM priorities WHERE (valid_from IS NULL OR valid_from <= :today) "
                    "AND (valid_to IS NULL OR valid_to >= :today) ORDER BY number, code LIMIT 1"
                ),
                {"today": today},
            ) or connection.scalar(text("SELECT code FROM priorities ORDER BY number, code LIMIT 1"))
    finally:
        engine.dispose()
    chosen: list[dt.date | None] = [None, *dict.fromkeys(d for d in meetings if d != today)]
    day = today
    while len(chosen) < dates:
        day -= dt.timedelta(days=1)
        if day not in chosen:
            chosen.append(day)
    return Facts(districts, tuple(chosen), priority)


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
