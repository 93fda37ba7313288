"""Alembic environment: runs on the connection data_access.db hands it, or on DATABASE_URL."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from data_access.config import Settings
from data_access.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:
    # render_as_batch lets ALTER TABLE work on SQLite in later migrations.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    section = {"sqlalchemy.url": config.get_main_option("sqlalchemy.url") or Settings().database_url}
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as fresh_connection:
        run_migrations(fresh_connection)
        fresh_connection.commit()
