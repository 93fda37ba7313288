"""restricted indicators and actions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Everything already imported stays public, as it was.
    for table in ("indicators", "actions"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("restricted", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    for table in ("indicators", "actions"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("restricted")
