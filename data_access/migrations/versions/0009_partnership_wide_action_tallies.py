"""each priority's partnership-wide actions' RAG tallies, from each date on

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLE = "partnership_wide_action_tallies"


def upgrade() -> None:
    # Written by hand, like the others.
    op.create_table(
        TABLE,
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.Column("includes_restricted", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ("red", "amber", "green", "overdue")),
        sa.ForeignKeyConstraint(
            ["priority_id"], ["priorities.id"], name=op.f(f"fk_{TABLE}_priority_id_priorities")
        ),
        sa.PrimaryKeyConstraint("priority_id", "includes_restricted", "since", name=op.f(f"pk_{TABLE}")),
        sqlite_with_rowid=False,
    )
    # Actions already in the database get their tallies now (the function every import runs), so no
    # roll-up reads empty tallies beside real actions.
    from data_access.district_tallies import refresh_partnership_wide_action_tallies

    refresh_partnership_wide_action_tallies(op.get_bind())


def downgrade() -> None:
    op.drop_table(TABLE)
