"""The page-view cache: served again while the data is unchanged, never after an import, by any process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, event, text

from data_access import views
from data_access.cache import VIEWS, ViewCache, _approximate_bytes, bump_data_version, data_version
from data_access.db import session_scope
from data_access.exporter import write_frames
from data_access.importer import import_frames
from tests.workbooks import frame, small_partnership

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
AS_AT = D(2024, 12, 1)


def knife_latest(engine: Engine) -> float:
    with session_scope(engine) as session:
        statuses = views.priority_view(session, "violence", AS_AT, None).indicator_statuses
    return float(statuses.set_index("indicator_code").loc["knife", "latest_value"])


def new_knife_value(value: float) -> dict[str, pd.DataFrame]:
    """A workbook that changes the supplied whole-partnership knife crime value for Q2 2024/25."""
    return {
        "indicator_values": frame(
            "indicator_values", [{"indicator": "knife", "period": D(2024, 7, 1), "value": value}]
        )
    }


def address_of(engine: Engine) -> str:
    """A URL another process can open: on the server, with the test's private schema in it."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        with engine.connect() as connection:
            schema = connection.scalar(text("SELECT current_schema()"))
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    import_frames(engine, small_partnership())
    return engine


def test_a_view_is_served_again_until_an_import_changes_the_data(loaded):
    before = knife_latest(loaded)
    hits = VIEWS.hits
    assert knife_latest(loaded) == before
    assert VIEWS.hits > hits  # the second read came from the cache

    import_frames(loaded, new_knife_value(before + 7))
    assert knife_latest(loaded) == before + 7


def test_an_import_by_another_process_is_seen_at_once(loaded, tmp_path):
    """Each gunicorn worker has its own cache; the version row they all read is what keeps them right."""
    before = knife_latest(loaded)
    write_frames(new_knife_value(before + 11), tmp_path / "update")
    environment = os.environ | {"DATABASE_URL": address_of(loaded)}
    subprocess.run(
        [sys.executable, "-m", "data_access", "import", str(tmp_path / "update")],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    assert knife_latest(loaded) == before + 11


def test_a_failed_import_leaves_the_version_and_the_cached_view(loaded):
    with session_scope(loaded) as session:
        version = data_version(session)
    with pytest.raises(Exception, match="unknown indicator|not a number|no-such"):
        import_frames(
            loaded,
            {
                "indicator_values": frame(
                    "indicator_values", [{"indicator": "no-such", "period": D(2024, 7, 1), "value": 1}]
                )
            },
        )
    with session_scope(loaded) as session:
        assert data_version(session) == version


def test_the_cache_is_never_needed_for_correctness(loaded, monkeypatch):
    cached = [knife_latest(loaded), knife_latest(loaded)]
    monkeypatch.setattr(VIEWS, "max_bytes", 0)
    assert [knife_latest(loaded), knife_latest(loaded)] == cached


def test_the_cache_keeps_to_its_memory_budget(loaded):
    cache = ViewCache(max_bytes=1)
    with session_scope(loaded) as session:
        first = cache.get_or_build(session, "a", lambda: pd.DataFrame({"x": range(100)}))
        cache.get_or_build(session, "b", lambda: pd.DataFrame({"x": range(100)}))
        rebuilt = cache.get_or_build(session, "a", lambda: pd.DataFrame({"x": range(100)}))
    assert rebuilt is not first  # "a" was dropped to make room
    assert cache.misses == 3 and cache.hits == 0


def test_a_views_size_is_estimated_near_what_pandas_measures():
    """The budget is kept by an estimate from a sample of each column (measuring every string of every
    frame cost a tenth of a page); it stays near pandas' own full measure, text of any length included."""
    rows = 20_000
    frame = pd.DataFrame(
        {
            "code": [f"indicator-{i % 400}" for i in range(rows)],
            "reason": [("Roll-up of 3 indicators: 1 green, 2 amber. " * (1 + i % 7)) for i in range(rows)],
            "note": [None if i % 3 else "Incomplete: 2 of 3 districts reported" for i in range(rows)],
            "value": [i / 7 for i in range(rows)],
            "period_start": [dt.date(2010 + i % 16, 1 + i % 12, 1) for i in range(rows)],
        }
    )
    measured = frame.memory_usage(deep=True, index=False).sum()
    assert abs(_approximate_bytes(frame) - measured) < 0.1 * measured


def test_with_the_cache_off_a_session_reads_the_reference_lists_once(loaded, monkeypatch):
    """The shell, the filters, the page and its views all ask for them: one read per session, at the
    data's version, so a session that changes the data reads them again."""
    monkeypatch.setattr(VIEWS, "max_bytes", 0)
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(loaded, "before_cursor_execute", listen)
    try:
        with session_scope(loaded) as session:
            first = views.reference_view(session)
            read = len(statements)
            views.priority_view(session, "violence", AS_AT, ["D1"])
            assert views.reference_view(session) is first
            assert not any(
                "FROM districts" in sql and "ORDER BY districts.name" in sql for sql in statements[read:]
            )
            bump_data_version(session)
            assert views.reference_view(session) is not first
            assert views.reference_view(session).district_names == first.district_names
    finally:
        event.remove(loaded, "before_cursor_execute", listen)
