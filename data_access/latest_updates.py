"""Each action's latest update, kept on the action's own row by every import that writes actions or updates.

An action's status as at a date is that of its latest update on or before the date (queries.action_state).
For a date on or after the action's latest update of all, that is simply the latest update, so the pages,
which mostly show today or a recent meeting, read it from ``actions.latest_update_on`` and
``actions.latest_update_status`` instead of looking up the updates of each of a large partnership's 20,000
actions; only actions updated after the date shown are looked up.  Updates are only ever inserted or
changed by an import (upserted by action and date, never deleted), and every such import rebuilds the
two columns here, in its own transaction, so they are never out of step with action_updates.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, or_, select, update

from data_access.models import Action, ActionUpdate


def refresh_latest_updates(connection: Connection) -> None:
    """Set every action's latest_update_on and latest_update_status from action_updates (None without any),
    in the caller's transaction: one statement, indexed look-ups per action.

    Only the actions whose latest update changed are written: a quarterly return touches a few hundred of
    a large partnership's 20,000, and rewriting every row cost PostgreSQL half a second an import.
    """
    updates = select(ActionUpdate.date, ActionUpdate.status).where(ActionUpdate.action_id == Action.id)
    latest_on = updates.with_only_columns(func.max(ActionUpdate.date)).scalar_subquery()
    latest_status = (
        updates.with_only_columns(ActionUpdate.status)
        .order_by(ActionUpdate.date.desc())
        .limit(1)
        .scalar_subquery()
    )
    connection.execute(
        update(Action)
        .where(
            or_(
                Action.latest_update_on.is_distinct_from(latest_on),
                Action.latest_update_status.is_distinct_from(latest_status),
            )
        )
        .values(latest_update_on=latest_on, latest_update_status=latest_status)
    )
