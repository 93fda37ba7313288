"""an index that answers an action's status as at a date on its own

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEX = "ix_action_updates_action_date_status"


def upgrade() -> None:
    # Written by hand, like the others.  The status as at a date is the latest update's on or before it
    # (queries.action_state); with the status in the index, that look-up reads the index alone, not the
    # index and then the update's row.
    op.create_index(INDEX, "action_updates", ["action_id", "date", "status"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="action_updates")
