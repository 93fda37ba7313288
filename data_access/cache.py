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
from collections.abc import Callable, Hashable
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


def bump_data_version(session: Session) -> None:
    """Mark the data as changed, inside the caller's (the import's) transaction."""
    version = new_data_version()
    session.info[_VERSION_KEY] = version
    if not session.execute(update(DataVersion).values(version=version)).rowcount:
        session.add(DataVersion(id=1, version=version))
        session.flush()


class ViewCache:
    """A thread-safe LRU cache of page views, keyed by (database, data version, view, arguments),
    holding at most about ``max_bytes`` of DataFrames (least recently used dropped first)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_build(self, session: Session, key: Hashable, build: Callable[[], T]) -> T:
        """The cached view for ``key`` at the data's current version, built (and kept) when missing."""
        if self.max_bytes <= 0:
            return build()
        # The database's address too: one process may serve several (the tests do).
        full_key = (session.get_bind().url.render_as_string(), data_version(session), key)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return self._entries[full_key][0]  # type: ignore[return-value]
            self.misses += 1
        view = build()
        size = _approximate_bytes(view)
        with self._lock:
            if full_key not in self._entries:
                self._entries[full_key] = (view, size)
                self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped
        return view

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _approximate_bytes(view: object) -> int:
    """What a view holds, roughly: its frames' memory (strings included) and a little for the rest."""
    if isinstance(view, pd.DataFrame):
        return int(view.memory_usage(deep=True).sum())
    if dataclasses.is_dataclass(view):
        return sum(_approximate_bytes(getattr(view, f.name)) for f in dataclasses.fields(view))
    if isinstance(view, dict):
        return sys.getsizeof(view) + sum(sys.getsizeof(value) for value in view.values())
    return sys.getsizeof(view)


VIEWS = ViewCache(int(Settings().view_cache_mb * 1024 * 1024))
