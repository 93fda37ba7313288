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
    # Everything already imported stays public, as it was.  A plain ADD COLUMN with a constant default:
    # SQLite takes it as it is, where a batch rebuild of the table would trip the foreign keys of a
    # database that already holds values and actions.
    for table in ("indicators", "actions"):
        op.add_column(table, sa.Column("restricted", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    for table in ("indicators", "actions"):
        op.drop_column(table, "restricted")  # SQLite 3.35+ drops a plain column in place
