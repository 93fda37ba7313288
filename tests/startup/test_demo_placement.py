"""Where the demo partnership goes: unasked only into the embedded default while it is empty; on request
into an empty database or over itself; never over another partnership."""

from __future__ import annotations

import re

import pytest

from data_access.__main__ import main
from data_access.bootstrap import holds_demo, prepare_database
from data_access.config import Settings
from data_access.importer import import_frames
from data_access.workbook import SHEETS_BY_NAME
from tests.startup.conftest import demo_row_counts, head_revision, row_counts, schema_revisions
from tests.workbooks import small_partnership

NOTHING = dict.fromkeys(SHEETS_BY_NAME, 0)


def small_partnership_counts() -> dict[str, int]:
    frames = small_partnership()
    return {name: len(frames[name]) if name in frames else 0 for name in SHEETS_BY_NAME}


def inserted_updated(summary: str) -> dict[str, tuple[int, int]]:
    """Rows inserted and updated per sheet, from the command's "sheet: N inserted, N updated, ..." lines."""
    rows = re.findall(r"^(\w+): (\d+) inserted, (\d+) updated, \d+ unchanged$", summary, re.MULTILINE)
    return {sheet: (int(inserted), int(updated)) for sheet, inserted, updated in rows}


def holding_another_partnership(url: str) -> str:
    engine = prepare_database(Settings(database_url=url), seed_demo_when_empty=False)
    import_frames(engine, small_partnership())
    return url


def test_a_database_named_by_database_url_stays_empty_at_start_up(fresh_database):
    prepare_database(Settings(database_url=fresh_database))

    assert schema_revisions(fresh_database) == [head_revision()]
    assert row_counts(fresh_database) == NOTHING


def test_the_embedded_default_is_seeded_with_the_demo_when_empty(fresh_database):
    settings = Settings(database_url=fresh_database, embedded_database_url=fresh_database)

    engine = prepare_database(settings)

    assert row_counts(fresh_database) == demo_row_counts()
    assert holds_demo(engine)


def test_the_embedded_default_holding_another_partnership_is_never_seeded(fresh_database):
    url = holding_another_partnership(fresh_database)

    prepare_database(Settings(database_url=url, embedded_database_url=url))

    assert row_counts(url) == small_partnership_counts()


def test_demo_command_refuses_a_database_holding_another_partnership(fresh_database, monkeypatch, capsys):
    url = holding_another_partnership(fresh_database)
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["demo"]) == 1

    assert "already holds a partnership that is not the demo" in capsys.readouterr().err
    assert row_counts(url) == small_partnership_counts()


def test_demo_command_loads_an_empty_database_and_running_it_again_changes_nothing(
    fresh_database, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", fresh_database)

    assert main(["demo"]) == 0
    first = inserted_updated(capsys.readouterr().out)
    assert main(["demo"]) == 0
    again = inserted_updated(capsys.readouterr().out)

    loaded = {sheet: count for sheet, count in demo_row_counts().items() if count}
    assert first == {sheet: (count, 0) for sheet, count in loaded.items()}
    assert again == {sheet: (0, 0) for sheet in loaded}
    assert row_counts(fresh_database) == demo_row_counts()


def test_init_command_makes_the_schema_without_the_demo(fresh_database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fresh_database)

    assert main(["init"]) == 0

    assert schema_revisions(fresh_database) == [head_revision()]
    assert row_counts(fresh_database) == NOTHING


@pytest.mark.parametrize("command", ["init", "demo"])
def test_commands_report_an_unreachable_database_with_exit_code_2(command, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")

    assert main([command]) == 2
    assert "Could not reach the database" in capsys.readouterr().err
