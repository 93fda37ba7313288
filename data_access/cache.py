"""The data's version, and a cache of page views keyed by it.

Every import replaces ``data_version.version`` with a new random token, in its own transaction.  A page view is cached under the
version read at the start of the request, with the filters that shaped it, so:

* an import anywhere (any worker, any process) makes every worker recompute on its next request: they
  all read the new version, and nothing computed before it is ever looked up again;
* the cache is never needed for correctness: with ``VIEW_CACHE_SIZE=0`` it is off and pages are the same.

On PostgreSQL and SQLite each statement sees committed data, so a view computed just as an import
commits may hold the newer figures under the older version: never older figures under a newer one.
Entries are whole views (frozen dataclasses of frames), per process, least recently used dropped first.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.models import DataVersion

T = TypeVar("T")

DEFAULT_SIZE = 64


def data_version(session: Session) -> int:
    """The data's current version (0 when none was ever recorded)."""
    return session.scalar(select(DataVersion.version)) or 0


def new_data_version() -> int:
    """A fresh random version token (see models.DataVersion for why it is not a counter)."""
    return secrets.randbits(62) + 1


def bump_data_version(session: Session) -> None:
    """Mark the data as changed, inside the caller's (the import's) transaction."""
    version = new_data_version()
    if not session.execute(update(DataVersion).values(version=version)).rowcount:
        session.add(DataVersion(id=1, version=version))
        session.flush()


class ViewCache:
    """A small thread-safe LRU cache of page views, keyed by (data version, view, arguments)."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_build(self, session: Session, key: Hashable, build: Callable[[], T]) -> T:
        """The cached view for ``key`` at the data's current version, built (and kept) when missing."""
        if self.size <= 0:
            return build()
        # The database's address too: one process may serve several (the tests do).
        full_key = (session.get_bind().url.render_as_string(), data_version(session), key)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return self._entries[full_key]  # type: ignore[return-value]
            self.misses += 1
        view = build()
        with self._lock:
            self._entries[full_key] = view
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return view

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


VIEWS = ViewCache(int(os.environ.get("VIEW_CACHE_SIZE", DEFAULT_SIZE)))
