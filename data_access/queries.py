"""Read-only queries for the pages. Each takes a session and returns a DataFrame whose columns are
promised in its docstring; filtering and aggregation happen in SQL with bound parameters.

Everything is computed "as at" a date: only values for periods that ended on or before it, only
action updates dated on or before it, only priorities in force on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from data_access.models import (
    Action,
    ActionUpdate,
    Assessment,
    District,
    Indicator,
    IndicatorValue,
    Meeting,
    Partner,
    Partnership,
    Priority,
)
from domain.periods import add_months
from domain.vocabulary import CLOSED_ACTION_STATUSES, ActionStatus

WHOLE_PARTNERSHIP = ""  # the series code for whole-partnership values ("district" blank)


def _frame(result, columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(result.all(), columns=list(columns), dtype=object)


def _in_force(as_at: dt.date):
    return and_(
        or_(Priority.valid_from.is_(None), Priority.valid_from <= as_at),
        or_(Priority.valid_to.is_(None), Priority.valid_to >= as_at),
    )


# ----------------------------------------------------------------------------------------------
# The partnership itself
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnershipIdentity:
    """What the partnership calls itself: ``name`` in full, ``short_name`` where space is tight."""

    name: str
    short_name: str


def partnership_identity(session: Session) -> PartnershipIdentity | None:
    """The partnership's name and short name (the name again when no short name is given);
    None when no partnership sheet has been imported."""
    row = session.execute(select(Partnership.name, Partnership.short_name)).first()
    if row is None:
        return None
    short_name = (row.short_name or "").strip() or row.name
    return PartnershipIdentity(name=row.name, short_name=short_name)


def holds_partnership(session: Session) -> bool:
    """True when the database already describes a partnership: it has a partnership row or a district.

    Start-up code asks this before seeding the demo, so a real partnership is never overwritten, even one
    imported before the partnership sheet existed (districts only) or one with only its name so far."""
    has_partnership = select(Partnership.id).limit(1)
    has_district = select(District.id).limit(1)
    return session.scalar(has_partnership) is not None or session.scalar(has_district) is not None


# ----------------------------------------------------------------------------------------------
# Reference lists
# ----------------------------------------------------------------------------------------------


def list_districts(session: Session) -> pd.DataFrame:
    """Every district. Columns: code, name; ordered by name."""
    return _frame(
        session.execute(select(District.code, District.name).order_by(District.name)), ["code", "name"]
    )


def list_partners(session: Session) -> pd.DataFrame:
    """Every partner agency. Columns: code, name, sector; ordered by name."""
    statement = select(Partner.code, Partner.name, Partner.sector).order_by(Partner.name)
    return _frame(session.execute(statement), ["code", "name", "sector"])


def list_meetings(session: Session) -> pd.DataFrame:
    """Board meetings. Columns: date, name; newest first."""
    statement = select(Meeting.date, Meeting.name).order_by(Meeting.date.desc())
    return _frame(session.execute(statement), ["date", "name"])


def previous_meeting(session: Session, before: dt.date) -> dt.date | None:
    """The date of the last meeting strictly before ``before``."""
    return session.scalar(select(func.max(Meeting.date)).where(Meeting.date < before))


PRIORITY_COLUMNS = [
    "code",
    "number",
    "title",
    "short_title",
    "description",
    "lead_partner_code",
    "lead_partner_name",
    "valid_from",
    "valid_to",
]


def _priority_select():
    return select(
        Priority.code,
        Priority.number,
        Priority.title,
        func.coalesce(Priority.short_title, Priority.title),
        Priority.description,
        Partner.code,
        Partner.name,
        Priority.valid_from,
        Priority.valid_to,
    ).outerjoin(Partner, Priority.lead_partner_id == Partner.id)


def priorities_in_force(session: Session, as_at: dt.date) -> pd.DataFrame:
    """Priorities in force on ``as_at``, in priority order.

    Columns: code, number, title, short_title (the title where none is given), description,
    lead_partner_code, lead_partner_name, valid_from, valid_to.
    """
    statement = _priority_select().where(_in_force(as_at)).order_by(Priority.number, Priority.code)
    return _frame(session.execute(statement), PRIORITY_COLUMNS)


def all_priorities(session: Session) -> pd.DataFrame:
    """Every priority ever agreed, newest validity first within number. Columns as priorities_in_force."""
    statement = _priority_select().order_by(Priority.number, Priority.valid_from.desc(), Priority.code)
    return _frame(session.execute(statement), PRIORITY_COLUMNS)


def priorities_by_code(session: Session, codes: Sequence[str]) -> pd.DataFrame:
    """The named priorities whatever their dates, in priority order. Columns as priorities_in_force."""
    statement = (
        _priority_select().where(Priority.code.in_(list(codes))).order_by(Priority.number, Priority.code)
    )
    return _frame(session.execute(statement), PRIORITY_COLUMNS)


def find_priority(session: Session, code: str) -> dict | None:
    """One priority by code, whatever its dates, as a dict of PRIORITY_COLUMNS; None when unknown."""
    row = session.execute(_priority_select().where(Priority.code == code)).first()
    return None if row is None else dict(zip(PRIORITY_COLUMNS, row, strict=True))


# ----------------------------------------------------------------------------------------------
# Indicators
# ----------------------------------------------------------------------------------------------

INDICATOR_COLUMNS = [
    "code",
    "priority_code",
    "name",
    "unit",
    "good_direction",
    "frequency",
    "target",
    "tolerance",
    "source",
    "description",
]


def indicators_for(session: Session, priority_codes: Sequence[str]) -> pd.DataFrame:
    """The indicators of the given priorities, ordered by priority code then indicator code.

    Columns: code, priority_code, name, unit, good_direction, frequency, target (float or NaN),
    tolerance, source, description.
    """
    statement = (
        select(
            Indicator.code,
            Priority.code,
            Indicator.name,
            Indicator.unit,
            Indicator.good_direction,
            Indicator.frequency,
            Indicator.target,
            Indicator.tolerance,
            Indicator.source,
            Indicator.description,
        )
        .join(Priority, Indicator.priority_id == Priority.id)
        .where(Priority.code.in_(list(priority_codes)))
        .order_by(Priority.code, Indicator.code)
    )
    frame = _frame(session.execute(statement), INDICATOR_COLUMNS)
    for column in ("target", "tolerance"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


VALUE_COLUMNS = [
    "indicator_code",
    "district_code",
    "period_start",
    "period_end",
    "value",
    "lower_ci",
    "upper_ci",
    "numerator",
    "denominator",
    "note",
]
_NUMERIC_VALUE_COLUMNS = ("value", "lower_ci", "upper_ci", "numerator", "denominator")


def indicator_values(
    session: Session,
    indicator_codes: Sequence[str],
    as_at: dt.date,
    *,
    since: dt.date | None = None,
    recent_only: bool = False,
) -> pd.DataFrame:
    """Stored values of the given indicators for periods that ended on or before ``as_at``.

    ``since``: only periods starting on or after it. ``recent_only``: only each indicator's latest
    period and the twelve months before it, which is all a RAG rating needs (so the overview's cost
    does not grow with years of history).

    Columns: indicator_code, district_code (WHOLE_PARTNERSHIP for a supplied whole-partnership value),
    period_start, period_end, value, lower_ci, upper_ci, numerator, denominator (floats, NaN when
    blank), note. Ordered by indicator, district, period.
    """
    if not indicator_codes:
        return _empty_values()
    conditions = [Indicator.code.in_(list(indicator_codes)), IndicatorValue.period_end <= as_at]
    if since is not None:
        conditions.append(IndicatorValue.period_start >= since)
    if recent_only:
        windows = _recent_windows(session, indicator_codes, as_at)
        if not windows:
            return _empty_values()
        conditions.append(
            or_(
                *(
                    and_(IndicatorValue.indicator_id == indicator_id, IndicatorValue.period_start >= start)
                    for indicator_id, start in windows.items()
                )
            )
        )
    statement = (
        select(
            Indicator.code,
            func.coalesce(District.code, WHOLE_PARTNERSHIP),
            IndicatorValue.period_start,
            IndicatorValue.period_end,
            IndicatorValue.value,
            IndicatorValue.lower_ci,
            IndicatorValue.upper_ci,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.note,
        )
        .join(Indicator, IndicatorValue.indicator_id == Indicator.id)
        .outerjoin(District, IndicatorValue.district_id == District.id)
        .where(*conditions)
        .order_by(Indicator.code, District.code, IndicatorValue.period_start)
    )
    frame = _frame(session.execute(statement), VALUE_COLUMNS)
    for column in _NUMERIC_VALUE_COLUMNS:
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def _recent_windows(session: Session, indicator_codes: Sequence[str], as_at: dt.date) -> dict[int, dt.date]:
    """For each indicator with data by ``as_at``: the start of the year before its latest period."""
    statement = (
        select(IndicatorValue.indicator_id, func.max(IndicatorValue.period_start))
        .join(Indicator, IndicatorValue.indicator_id == Indicator.id)
        .where(Indicator.code.in_(list(indicator_codes)), IndicatorValue.period_end <= as_at)
        .group_by(IndicatorValue.indicator_id)
    )
    return {indicator_id: add_months(latest, -12) for indicator_id, latest in session.execute(statement)}


def _empty_values() -> pd.DataFrame:
    frame = pd.DataFrame(columns=VALUE_COLUMNS, dtype=object)
    for column in _NUMERIC_VALUE_COLUMNS:
        frame[column] = frame[column].astype("float64")
    return frame


# ----------------------------------------------------------------------------------------------
# Board assessments
# ----------------------------------------------------------------------------------------------


def latest_assessments(session: Session, as_at: dt.date, priority_codes: Sequence[str]) -> pd.DataFrame:
    """Each priority's latest board assessment dated on or before ``as_at``.

    Columns: priority_code, date, rag (red/amber/green), commentary. Priorities the board has not
    assessed by then have no row.
    """
    latest = (
        select(Assessment.priority_id, func.max(Assessment.date).label("latest"))
        .where(Assessment.date <= as_at)
        .group_by(Assessment.priority_id)
        .subquery()
    )
    statement = (
        select(Priority.code, Assessment.date, Assessment.rag, Assessment.commentary)
        .join(
            latest, and_(Assessment.priority_id == latest.c.priority_id, Assessment.date == latest.c.latest)
        )
        .join(Priority, Assessment.priority_id == Priority.id)
        .where(Priority.code.in_(list(priority_codes)))
        .order_by(Priority.code)
    )
    return _frame(session.execute(statement), ["priority_code", "date", "rag", "commentary"])


# ----------------------------------------------------------------------------------------------
# Partner actions
# ----------------------------------------------------------------------------------------------

ACTION_COLUMNS = [
    "ref",
    "priority_code",
    "priority_number",
    "priority_title",
    "priority_short_title",
    "title",
    "owner_code",
    "owner_name",
    "district_code",
    "district_name",
    "due_date",
    "status",
    "last_update_date",
    "last_update_commentary",
    "opened_on",
    "description",
]


def actions_as_at(
    session: Session,
    as_at: dt.date,
    *,
    priority_codes: Sequence[str] | None = None,
    partner_codes: Sequence[str] | None = None,
    districts: Sequence[str] | None = None,
    include_partnership_wide: bool = True,
    statuses: Sequence[str] | None = None,
    open_only: bool = True,
    overdue_only: bool = False,
) -> pd.DataFrame:
    """Partner actions with their status as at ``as_at``, filtered in SQL.

    The status as at a date is that of the latest update on or before it; an action with no
    updates at all has its recorded status; one whose updates all come later had not started.
    Actions opened after ``as_at`` are left out. ``districts`` keeps actions in those districts,
    plus partnership-wide ones (district blank) when ``include_partnership_wide``. ``open_only``
    drops complete and cancelled actions; ``overdue_only`` keeps open actions due before ``as_at``.

    Columns: ref, priority_code, priority_number, priority_title, priority_short_title, title,
    owner_code, owner_name,
    district_code (None when partnership-wide), district_name, due_date, status, last_update_date,
    last_update_commentary (None without an update by then), opened_on, description.
    Ordered by due date, then ref.
    """
    latest = (
        select(ActionUpdate.action_id, func.max(ActionUpdate.date).label("latest"))
        .where(ActionUpdate.date <= as_at)
        .group_by(ActionUpdate.action_id)
        .subquery()
    )
    any_update = select(ActionUpdate.action_id).group_by(ActionUpdate.action_id).subquery()
    last_update = aliased(ActionUpdate)
    owner = aliased(Partner)
    status = case(
        (last_update.status.is_not(None), last_update.status),
        (any_update.c.action_id.is_(None), Action.status),
        else_=ActionStatus.NOT_STARTED.value,
    ).label("status")
    statement = (
        select(
            Action.ref,
            Priority.code,
            Priority.number,
            Priority.title,
            func.coalesce(Priority.short_title, Priority.title),
            Action.title,
            owner.code,
            owner.name,
            District.code,
            District.name,
            Action.due_date,
            status,
            last_update.date,
            last_update.commentary,
            Action.opened_on,
            Action.description,
        )
        .join(Priority, Action.priority_id == Priority.id)
        .join(owner, Action.owner_partner_id == owner.id)
        .outerjoin(District, Action.district_id == District.id)
        .outerjoin(latest, latest.c.action_id == Action.id)
        .outerjoin(last_update, and_(last_update.action_id == Action.id, last_update.date == latest.c.latest))
        .outerjoin(any_update, any_update.c.action_id == Action.id)
        .where(or_(Action.opened_on.is_(None), Action.opened_on <= as_at))
        .order_by(Action.due_date, Action.ref)
    )
    if priority_codes is not None:
        statement = statement.where(Priority.code.in_(list(priority_codes)))
    if partner_codes is not None:
        statement = statement.where(owner.code.in_(list(partner_codes)))
    if districts is not None:
        in_districts = District.code.in_(list(districts))
        statement = statement.where(
            or_(in_districts, Action.district_id.is_(None)) if include_partnership_wide else in_districts
        )
    if statuses is not None:
        statement = statement.where(status.in_(list(statuses)))
    if open_only or overdue_only:
        statement = statement.where(status.not_in(sorted(CLOSED_ACTION_STATUSES)))
    if overdue_only:
        statement = statement.where(Action.due_date < as_at)
    return _frame(session.execute(statement), ACTION_COLUMNS)


def action_history(session: Session, ref: str, as_at: dt.date) -> pd.DataFrame:
    """One action's dated updates on or before ``as_at``, newest first. Columns: date, status, commentary."""
    statement = (
        select(ActionUpdate.date, ActionUpdate.status, ActionUpdate.commentary)
        .join(Action, ActionUpdate.action_id == Action.id)
        .where(Action.ref == ref, ActionUpdate.date <= as_at)
        .order_by(ActionUpdate.date.desc())
    )
    return _frame(session.execute(statement), ["date", "status", "commentary"])
