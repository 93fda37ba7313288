"""Serve a hand-made or generated partnership to the pages: a fresh SQLite file made the default."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from data_access import db
from data_access.importer import import_frames


def empty_database(path: Path) -> Path:
    """A SQLite file at the newest migration, to copy for each partnership (migrating is the slow part)."""
    engine = db.get_engine(f"sqlite:///{path}")
    db.upgrade_schema(engine)
    engine.dispose()
    return path


@contextmanager
def serving(frames: Mapping[str, pd.DataFrame], path: Path, *, template: Path | None = None) -> Iterator[str]:
    """Import ``frames`` into a new database at ``path`` and point the pages at it until the block ends.

    The process-wide default URL is restored afterwards, so other tests keep the demo.
    """
    if template is None:
        empty_database(path)
    else:
        shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    engine = db.get_engine(url)
    previous = db._default_database_url
    try:
        import_frames(engine, frames)
        db.configure(url)
        yield url
    finally:
        db.configure(previous)
        engine.dispose()
        path.unlink(missing_ok=True)
