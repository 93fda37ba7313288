"""Two imports at once run one after the other: the second waits for the first to commit, then
validates and writes against what it wrote, so nothing is interleaved or half-derived."""

from __future__ import annotations

import threading
import time

import pandas as pd
from sqlalchemy import Engine, text

from data_access import importer
from data_access.db import session_scope
from data_access.importer import import_frames
from data_access.series import refresh_whole_partnership
from tests.data.test_view_cache import knife_latest, loaded, new_knife_value  # noqa: F401  (fixture)

# How long the first import holds its transaction open after writing, so the second certainly starts
# while it is still running.
FIRST_IMPORT_HOLDS = 0.8


def whole_partnership_rows(engine: Engine) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(
            text(
                "SELECT indicator_id, period_start, period_end, value, method FROM whole_partnership_values "
                "ORDER BY indicator_id, period_start"
            ),
            connection,
        )


def test_a_second_import_waits_for_the_first_and_the_derived_series_match_the_result(loaded, monkeypatch):  # noqa: F811
    events: list[tuple[str, str, float]] = []
    first_is_writing = threading.Event()
    original_write = importer.write_workbook

    def observed_write(session, parsed, resolver):
        name = threading.current_thread().name
        events.append((name, "writes", time.monotonic()))
        written = original_write(session, parsed, resolver)
        if name == "first":
            first_is_writing.set()
            time.sleep(FIRST_IMPORT_HOLDS)
        return written

    monkeypatch.setattr(importer, "write_workbook", observed_write)

    def run(name: str, value: float) -> None:
        import_frames(loaded, new_knife_value(value))
        events.append((name, "committed", time.monotonic()))

    first = threading.Thread(target=run, args=("first", 111.0), name="first")
    second = threading.Thread(target=run, args=("second", 222.0), name="second")
    first.start()
    assert first_is_writing.wait(timeout=30)
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)

    order = [(name, what) for name, what, _ in sorted(events, key=lambda event: event[2])]
    assert order == [
        ("first", "writes"),
        ("first", "committed"),
        ("second", "writes"),
        ("second", "committed"),
    ]
    assert knife_latest(loaded) == 222.0
    stored = whole_partnership_rows(loaded)
    with session_scope(loaded) as session:
        refresh_whole_partnership(session.connection())
    pd.testing.assert_frame_equal(stored, whole_partnership_rows(loaded))
