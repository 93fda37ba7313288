"""whole-partnership series table, data version, series index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Written by hand, like 0001 and 0002.
    op.create_table(
        "whole_partnership_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("lower_ci", sa.Float(), nullable=True),
        sa.Column("upper_ci", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_whole_partnership_values_indicator_id_indicators"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whole_partnership_values")),
        sa.UniqueConstraint(
            "indicator_id", "period_start", name=op.f("uq_whole_partnership_values_indicator_id")
        ),
    )
    op.create_index(
        "ix_whole_partnership_values_indicator_period_end",
        "whole_partnership_values",
        ["indicator_id", "period_end"],
    )
    op.create_index(
        "ix_indicator_values_series_start",
        "indicator_values",
        ["indicator_id", "district_id", "period_start"],
    )
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    from data_access.cache import new_data_version

    op.execute(sa.text("INSERT INTO data_version (id, version) VALUES (1, :version)").bindparams(version=new_data_version()))
    # A database that already holds values gets its whole-partnership series now, by today's rules
    # (the same function every import runs), so pages never read an empty table beside real data.
    from data_access.series import refresh_whole_partnership

    refresh_whole_partnership(op.get_bind())


def downgrade() -> None:
    op.drop_table("data_version")
    op.drop_index("ix_indicator_values_series_start", table_name="indicator_values")
    op.drop_index("ix_whole_partnership_values_indicator_period_end", table_name="whole_partnership_values")
    op.drop_table("whole_partnership_values")
