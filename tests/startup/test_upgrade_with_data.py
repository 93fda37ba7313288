"""Upgrading a database that already holds a partnership, from an older schema, keeps every row."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from data_access import db
from data_access.bootstrap import prepare_database
from data_access.config import Settings
from data_access.importer import import_frames
from tests.startup.conftest import head_revision, row_counts, schema_revisions
from tests.workbooks import small_partnership


def test_a_database_full_of_data_upgrades_from_before_restricted_items(fresh_database):
    engine = db.get_engine(fresh_database)
    prepare_database(Settings(database_url=fresh_database), seed_demo_when_empty=False)
    import_frames(engine, small_partnership())
    before = row_counts(fresh_database)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")

    prepare_database(Settings(database_url=fresh_database), seed_demo_when_empty=False)

    assert schema_revisions(fresh_database) == [head_revision()]
    assert row_counts(fresh_database) == before
    check = create_engine(fresh_database)
    with check.connect() as connection:
        assert connection.scalar(text("SELECT COUNT(*) FROM indicators WHERE restricted")) == 0
    check.dispose()
