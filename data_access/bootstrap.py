"""Getting a database ready: the schema at the newest migration, and demo data on a first run."""

from __future__ import annotations

from sqlalchemy import Engine

from data_access.config import Settings
from data_access.db import get_engine, is_empty, upgrade_schema
from data_access.demo import WORKBOOK_DIR as DEMO_WORKBOOK
from data_access.importer import ImportSummary, import_path


def load_demo(engine: Engine) -> ImportSummary:
    """Load the demo partnership (the CSV workbook in data_access/demo/workbook); running it again changes
    nothing."""
    upgrade_schema(engine)
    return import_path(engine, DEMO_WORKBOOK)


def prepare_database(settings: Settings | None = None) -> Engine:
    """Upgrade the schema and, when configured and the database is empty, seed the demo partnership."""
    settings = settings or Settings()
    engine = get_engine(settings.database_url)
    upgrade_schema(engine)
    if settings.seed_demo_when_empty and is_empty(engine):
        load_demo(engine)
    return engine
