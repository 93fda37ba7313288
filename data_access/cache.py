"""The data's version, and a cache of page views keyed by it.

Every import replaces ``data_version.version`` with a new random token, in its own transaction.  A page
view is cached under the version read at the start of the request, with the filters that shaped it, so:

* an import anywhere (any worker, any process) makes every worker recompute on its next request: they
  all read the new version, and nothing computed before it is ever looked up again;
* the cache is never needed for correctness: with ``VIEW_CACHE_MB=0`` it is off and pages are the same.

On PostgreSQL and SQLite each statement sees committed data, so a view computed just as an import
commits may hold the newer figures under the older version: never older figures under a newer one.
Entries are whole views (frozen dataclasses of frames), per process, at most ``VIEW_CACHE_MB``
megabytes of them (default 64), least recently used dropped first.
"""

from __future__ import annotations

import dataclasses
import secrets
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.config import Settings
from data_access.models import DataVersion

T = TypeVar("T")

_VERSION_KEY = "data_version"


def data_version(session: Session) -> int:
    """The data's current version (0 when none was ever recorded), read once per session.

    A session is one request's unit of work, so every view a page asks for is looked up under the
    same version, read in the same transaction as the figures.
    """
    if _VERSION_KEY not in session.info:
        session.info[_VERSION_KEY] = session.scalar(select(DataVersion.version)) or 0
    return session.info[_VERSION_KEY]


def new_data_version() -> int:
    """A fresh random version token (see models.DataVersion for why it is not a counter)."""
    return secrets.randbits(62) + 1


class DataChanged(Exception):
    """The data is no longer at the version a preview of an import was made at."""


def bump_data_version(session: Session, *, expected: int | None = None) -> None:
    """Mark the data as changed, inside the caller's (the import's) transaction.

    With ``expected``, only if the data is still at that version (0: no version yet), else raise
    DataChanged.  The compare and the change are one UPDATE, so on PostgreSQL an import holding the
    row makes this one wait and then see the version that import left.
    """
    version = new_data_version()
    statement = update(DataVersion).values(version=version)
    if expected is not None:
        statement = statement.where(DataVersion.version == expected)
    if not session.execute(statement).rowcount:
        if expected is not None and (expected != 0 or session.scalar(select(DataVersion.id)) is not None):
            raise DataChanged("The data has changed since this import was previewed.")
        session.add(DataVersion(id=1, version=version))
        session.flush()
    session.info[_VERSION_KEY] = version


class ViewCache:
    """A thread-safe LRU cache of page views, keyed by (database, data version, view, arguments),
    holding at most about ``max_bytes`` of DataFrames (least recently used dropped first)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        # The size of each view held, by identity: a view built from others (the overview holds two
        # statuses views) counts theirs without measuring them again.
        self._sizes: dict[int, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, session: Session, key: Hashable) -> object | None:
        """The cached view for ``key`` at the data's current version, or None: for a caller that builds
        several views at once, only those missing (then kept with ``get_or_build``)."""
        if self.max_bytes <= 0:
            return None
        full_key = self._full_key(session, key)
        with self._lock:
            if full_key not in self._entries:
                return None
            self._entries.move_to_end(full_key)
            self.hits += 1
            return self._entries[full_key][0]

    def _full_key(self, session: Session, key: Hashable) -> Hashable:
        # The database's address too: one process may serve several (the tests do).
        return (session.get_bind().url.render_as_string(), data_version(session), key)

    def get_or_build(self, session: Session, key: Hashable, build: Callable[[], T]) -> T:
        """The cached view for ``key`` at the data's current version, built (and kept) when missing."""
        if self.max_bytes <= 0:
            return build()
        full_key = self._full_key(session, key)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return self._entries[full_key][0]  # type: ignore[return-value]
            self.misses += 1
        view = build()
        size = _approximate_bytes(view, self._sizes)
        with self._lock:
            if full_key not in self._entries:
                self._entries[full_key] = (view, size)
                self._sizes[id(view)] = size
                self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, (dropped_view, dropped) = self._entries.popitem(last=False)
                self._sizes.pop(id(dropped_view), None)
                self._bytes -= dropped
        return view

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._sizes.clear()
            self._bytes = 0


# A frame's text is measured on an even sample of each column's values and scaled up: pandas' own deep
# measure walked every string of every frame of every view built, a tenth of the overview's time.
_SAMPLE_VALUES = 100


def _frame_bytes(frame: pd.DataFrame) -> int:
    rows = len(frame)
    total = 0
    for name in frame.columns:
        values = frame[name].to_numpy()
        if values.dtype != object:
            total += values.nbytes
        else:
            sample = values[:: max(1, rows // _SAMPLE_VALUES)]
            total += 8 * rows + sum(map(sys.getsizeof, sample)) * rows // max(1, len(sample))
    return total


def _approximate_bytes(view: object, known: Mapping[int, int] | None = None) -> int:
    """What a view holds, roughly: its frames' memory (strings included) and a little for the rest.
    ``known``: sizes already measured, by the identity of the view measured."""
    if isinstance(view, pd.DataFrame):
        return _frame_bytes(view)
    if dataclasses.is_dataclass(view):
        measured = (
            known.get(id(view)) if known is not None else None
        )  # one look-up: another thread may drop it
        if measured is not None:
            return measured
        return sum(_approximate_bytes(getattr(view, f.name), known) for f in dataclasses.fields(view))
    if isinstance(view, dict):
        return sys.getsizeof(view) + sum(sys.getsizeof(value) for value in view.values())
    return sys.getsizeof(view)


VIEWS = ViewCache(int(Settings().view_cache_mb * 1024 * 1024))
