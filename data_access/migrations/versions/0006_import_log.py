"""the import log

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Data imported before this revision has no record: the log starts empty, and pages say so.
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "channel IN ('browser', 'command_line', 'demo')", name=op.f("ck_import_log_channel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log")),
    )
    op.create_index(op.f("ix_import_log_imported_at"), "import_log", ["imported_at"], unique=False)
    op.create_table(
        "import_log_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=40), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_log.id"],
            name=op.f("fk_import_log_sheets_import_id_import_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log_sheets")),
    )
    op.create_index(op.f("ix_import_log_sheets_import_id"), "import_log_sheets", ["import_id"], unique=False)
    op.create_table(
        "import_log_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("values_written", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_log.id"],
            name=op.f("fk_import_log_indicators_import_id_import_log"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_import_log_indicators_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log_indicators")),
    )
    for column in ("import_id", "indicator_id"):
        op.create_index(
            op.f(f"ix_import_log_indicators_{column}"), "import_log_indicators", [column], unique=False
        )


def downgrade() -> None:
    for column in ("import_id", "indicator_id"):
        op.drop_index(op.f(f"ix_import_log_indicators_{column}"), table_name="import_log_indicators")
    op.drop_table("import_log_indicators")
    op.drop_index(op.f("ix_import_log_sheets_import_id"), table_name="import_log_sheets")
    op.drop_table("import_log_sheets")
    op.drop_index(op.f("ix_import_log_imported_at"), table_name="import_log")
    op.drop_table("import_log")
