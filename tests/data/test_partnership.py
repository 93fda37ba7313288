"""The partnership's own identity: the one-row partnership sheet, its table and its read functions."""

from __future__ import annotations

import pandas as pd
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

from data_access.db import MIGRATIONS_DIR, session_scope
from data_access.exporter import read_all_sheets
from data_access.importer import import_frames
from data_access.queries import PartnershipIdentity, holds_partnership, partnership_identity
from data_access.workbook import WorkbookError
from tests.workbooks import frame

SHIRE = {"name": "Shire Community Safety Partnership", "short_name": "Shire CSP"}


def identity(engine: Engine) -> PartnershipIdentity | None:
    with session_scope(engine) as session:
        return partnership_identity(session)


def holds(engine: Engine) -> bool:
    with session_scope(engine) as session:
        return holds_partnership(session)


def partnership_sheet(*rows: dict) -> dict[str, pd.DataFrame]:
    return {"partnership": frame("partnership", list(rows))}


def test_an_empty_database_has_no_identity_and_holds_no_partnership(engine):
    assert identity(engine) is None
    assert holds(engine) is False


def test_import_inserts_then_leaves_unchanged_then_updates(engine):
    first = import_frames(engine, partnership_sheet(SHIRE)).sheets["partnership"]
    again = import_frames(engine, partnership_sheet(SHIRE)).sheets["partnership"]
    renamed = import_frames(engine, partnership_sheet({**SHIRE, "name": "Shire Safer Partnership"}))

    assert (first.inserted, first.updated, first.unchanged) == (1, 0, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    assert (renamed.sheets["partnership"].inserted, renamed.sheets["partnership"].updated) == (0, 1)
    assert identity(engine) == PartnershipIdentity("Shire Safer Partnership", "Shire CSP")
    assert holds(engine) is True


def test_short_name_falls_back_to_the_name(engine):
    import_frames(
        engine, partnership_sheet({"name": "Shire Community Safety Partnership", "short_name": " "})
    )
    assert identity(engine) == PartnershipIdentity(
        "Shire Community Safety Partnership", "Shire Community Safety Partnership"
    )


def test_a_workbook_without_the_sheet_leaves_the_name_alone(engine):
    import_frames(engine, partnership_sheet(SHIRE))
    import_frames(engine, {"districts": frame("districts", [{"code": "D1", "name": "Northtown"}])})
    assert identity(engine) == PartnershipIdentity(SHIRE["name"], SHIRE["short_name"])


def test_a_district_alone_means_the_database_holds_a_partnership(engine):
    import_frames(engine, {"districts": frame("districts", [{"code": "D1", "name": "Northtown"}])})
    assert holds(engine) is True
    assert identity(engine) is None


def test_a_second_row_is_a_problem_and_nothing_is_written(engine):
    with pytest.raises(WorkbookError) as error:
        import_frames(engine, partnership_sheet(SHIRE, {"name": "Other"}, {"name": "Third"}))
    assert [str(problem) for problem in error.value.problems] == [
        "partnership row 3: the partnership sheet holds one row; this is another (row 2 is the first)",
        "partnership row 4: the partnership sheet holds one row; this is another (row 2 is the first)",
    ]
    assert identity(engine) is None


def test_a_blank_name_is_a_problem(engine):
    with pytest.raises(WorkbookError) as error:
        import_frames(engine, partnership_sheet({"short_name": "Shire CSP"}))
    assert [str(problem) for problem in error.value.problems] == [
        "partnership row 2, name: is required but blank"
    ]


def test_the_export_writes_the_partnership_first(engine):
    import_frames(engine, partnership_sheet(SHIRE))
    with session_scope(engine) as session:
        sheets = read_all_sheets(session)
    assert next(iter(sheets)) == "partnership"
    assert sheets["partnership"].to_dict("records") == [SHIRE]


def test_migration_0002_downgrades_and_upgrades_again(engine):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        assert not inspect(connection).has_table("partnership")
        command.upgrade(config, "head")
        assert inspect(connection).has_table("partnership")
    import_frames(engine, partnership_sheet(SHIRE))
    assert identity(engine) == PartnershipIdentity(SHIRE["name"], SHIRE["short_name"])
