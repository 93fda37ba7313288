"""each action's latest update on its own row

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Written by hand, like the others.
    op.add_column("actions", sa.Column("latest_update_on", sa.Date(), nullable=True))
    op.add_column("actions", sa.Column("latest_update_status", sa.String(length=20), nullable=True))
    # Actions already in the database get theirs now (the function every import runs), so no page reads
    # a blank beside real updates.
    from data_access.latest_updates import refresh_latest_updates

    refresh_latest_updates(op.get_bind())


def downgrade() -> None:
    # In place, as 0005 does (SQLite 3.35+ drops a plain column without rebuilding the table): a rebuild
    # drops the table that action_updates refers to, which SQLite refuses with foreign keys on.
    for column in ("latest_update_status", "latest_update_on"):
        op.drop_column("actions", column)
