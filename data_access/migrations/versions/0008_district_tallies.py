"""each district's RAG tallies for each priority, from each date on

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Each table's tallies, and its key: the matrix as at a date is one date's rows of the indicator tallies,
# and each cell's latest row by then of the action tallies.
TABLES = {
    "district_indicator_tallies": (
        ("red", "amber", "green", "reported"),
        ("includes_restricted", "since", "priority_id", "district_id"),
    ),
    "district_action_tallies": (
        ("red", "amber", "green", "overdue"),
        ("priority_id", "district_id", "includes_restricted", "since"),
    ),
}


def upgrade() -> None:
    # Written by hand, like the others.
    for table, (tallies, key) in TABLES.items():
        op.create_table(
            table,
            sa.Column("priority_id", sa.Integer(), nullable=False),
            sa.Column("district_id", sa.Integer(), nullable=False),
            sa.Column("includes_restricted", sa.Boolean(), nullable=False),
            sa.Column("since", sa.Date(), nullable=False),
            *(sa.Column(name, sa.Integer(), nullable=False) for name in tallies),
            sa.ForeignKeyConstraint(
                ["district_id"], ["districts.id"], name=op.f(f"fk_{table}_district_id_districts")
            ),
            sa.ForeignKeyConstraint(
                ["priority_id"], ["priorities.id"], name=op.f(f"fk_{table}_priority_id_priorities")
            ),
            sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{table}")),
            sqlite_with_rowid=False,
        )
    # Data already in the database gets its tallies now (the functions every import runs), so the
    # district matrix never reads empty tallies beside real data.
    from data_access.district_tallies import refresh_action_tallies, refresh_indicator_tallies

    refresh_indicator_tallies(op.get_bind())
    refresh_action_tallies(op.get_bind())


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
