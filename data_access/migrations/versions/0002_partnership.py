"""partnership: the partnership's own name, one row

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Written by hand, like 0001; the check constraint keeps the table to the one row the importer writes.
    op.create_table(
        "partnership",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=120), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_partnership_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership")),
    )


def downgrade() -> None:
    op.drop_table("partnership")
