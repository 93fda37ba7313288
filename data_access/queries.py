"""Read-only queries for the pages. Each takes a session and returns a DataFrame whose columns are
promised in its docstring; filtering and aggregation happen in SQL with bound parameters.

Everything is computed "as at" a date: only values for periods that ended on or before it, only
action updates dated on or before it, only priorities in force on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from data_access.frames import read_frame
from data_access.models import (
    Action,
    ActionUpdate,
    Assessment,
    District,
    ImportedIndicator,
    ImportRecord,
    Indicator,
    IndicatorValue,
    Meeting,
    Partner,
    Partnership,
    Priority,
)
from data_access.statements import listed
from domain.periods import period_start_ending
from domain.vocabulary import CLOSED_ACTION_STATUSES, ActionStatus

WHOLE_PARTNERSHIP = ""  # the series code for whole-partnership values ("district" blank)


def _frame(session: Session, statement, columns: Sequence[str]) -> pd.DataFrame:
    return read_frame(session, statement, columns, dtype=object)


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


def district_names(session: Session) -> dict[str, str]:
    """Every district's name by code, in name order."""
    return dict(session.execute(select(District.code, District.name).order_by(District.name)).all())


def list_partners(session: Session) -> pd.DataFrame:
    """Every partner agency. Columns: code, name, sector; ordered by name."""
    statement = select(Partner.code, Partner.name, Partner.sector).order_by(Partner.name)
    return _frame(session, statement, ["code", "name", "sector"])


def list_meetings(session: Session) -> pd.DataFrame:
    """Board meetings. Columns: date, name; newest first."""
    statement = select(Meeting.date, Meeting.name).order_by(Meeting.date.desc())
    return _frame(session, statement, ["date", "name"])


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
    return _frame(session, statement, PRIORITY_COLUMNS)


def priorities_in_force_at(session: Session, dates: Sequence[dt.date]) -> list[pd.DataFrame]:
    """``priorities_in_force`` on each of ``dates``, in one statement: one frame a date, in their order."""
    dates = list(dates)
    if not dates:
        return []
    params = {f"as_at_{position}": as_at for position, as_at in enumerate(dates)}
    frame = read_frame(
        session, _in_force_statement(len(dates)), [*PRIORITY_COLUMNS, "position"], dtype=object, params=params
    )
    positions = frame.pop("position")
    return [frame[positions == position].reset_index(drop=True) for position in range(len(dates))]


@cache
def _in_force_statement(dates: int) -> Select:
    """priorities_in_force_at's statement for that many dates (as_at_0, as_at_1...), built once."""
    in_force = union_all(
        *(
            _priority_select()
            .add_columns(literal(position).label("position"))
            .where(_in_force(bindparam(f"as_at_{position}", type_=Date())))
            for position in range(dates)
        )
    ).subquery()
    return select(in_force).order_by(in_force.c.position, in_force.c.number, in_force.c.code)


def all_priorities(session: Session) -> pd.DataFrame:
    """Every priority ever agreed, newest validity first within number. Columns as priorities_in_force."""
    statement = _priority_select().order_by(Priority.number, Priority.valid_from.desc(), Priority.code)
    return _frame(session, statement, PRIORITY_COLUMNS)


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


def indicators_for(
    session: Session, priority_codes: Sequence[str], *, include_restricted: bool = False
) -> pd.DataFrame:
    """The indicators of the given priorities, ordered by priority code then indicator code; restricted
    ones only with ``include_restricted`` (off unless asked: what the public role sees).

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
    if not include_restricted:
        statement = statement.where(Indicator.restricted.is_(False))
    frame = _frame(session, statement, INDICATOR_COLUMNS)
    for column in ("target", "tolerance"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


FRESHNESS_INPUT_COLUMNS = [
    "priority_code",
    "priority_number",
    "priority_short_title",
    "priority_in_force",
    "indicator_code",
    "name",
    "frequency",
    "latest_start",
    "previous_start",
    "last_imported_at",
]


def indicator_freshness_inputs(
    session: Session,
    as_at: dt.date,
    *,
    include_restricted: bool = False,
    priority_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every indicator's latest period with a value (for the whole partnership or any district) that
    had ended by ``as_at``, the period with a value before that one, and when values for it were last
    imported: what data freshness needs (domain.freshness), in one statement; restricted indicators only
    with ``include_restricted``, and only the indicators of ``priority_codes`` when given.

    Columns: priority_code, priority_number, priority_short_title (the title where none is given),
    priority_in_force (bool, on ``as_at``), indicator_code, name, frequency, latest_start and
    previous_start (period starts; None without such a period), last_imported_at (a timezone-aware UTC
    timestamp of the latest import in the import log that wrote values for it, whenever that was; NaT
    when none did, as for data loaded before the log began). By priority number, priority code, then
    indicator code.
    """

    params: dict[str, object] = {"as_at": as_at}
    if priority_codes is not None:
        params["priority_codes"] = list(priority_codes)
    statement = _freshness_statement(include_restricted, priority_codes is not None)
    frame = read_frame(session, statement, FRESHNESS_INPUT_COLUMNS, dtype=object, params=params)
    for column in ("latest_start", "previous_start"):
        frame[column] = [
            None if end is None else period_start_ending(end, frequency)
            for end, frequency in zip(frame[column], frame["frequency"], strict=True)
        ]
    frame["priority_in_force"] = frame["priority_in_force"].astype(bool)
    # SQLite hands back the stored UTC time without its zone; PostgreSQL in the session's zone.
    frame["last_imported_at"] = pd.to_datetime(frame["last_imported_at"], utc=True)
    return frame


@cache
def _freshness_statement(include_restricted: bool, of_priorities: bool) -> Select:
    """indicator_freshness_inputs' statement, built once: parameters as_at and, ``of_priorities``,
    priority_codes."""
    as_at = bindparam("as_at", type_=Date())

    # A look-up per indicator on (indicator_id, period_end), ORDER BY ... LIMIT 1 as in
    # data_access.series, so the cost does not grow with the partnership's history. Period ends are
    # stored for exactly this comparison; the starts follow from them and the frequency.
    def latest_end(below):
        value = aliased(IndicatorValue)
        return (
            select(value.period_end)
            .where(value.indicator_id == Indicator.id, below(value.period_end))
            .order_by(value.period_end.desc())
            .limit(1)
            # Named: nested in the previous period's look-up, automatic correlation would not reach the
            # outer indicator and would read every indicator's latest value instead.
            .correlate(Indicator)
            .scalar_subquery()
        )

    latest = latest_end(lambda end: end <= as_at)
    statement = (
        select(
            Priority.code,
            Priority.number,
            func.coalesce(Priority.short_title, Priority.title),
            case((_in_force(as_at), True), else_=False),
            Indicator.code,
            Indicator.name,
            Indicator.frequency,
            latest,
            latest_end(lambda end: end < latest),
            select(func.max(ImportRecord.imported_at))
            .join(ImportedIndicator, ImportedIndicator.import_id == ImportRecord.id)
            .where(ImportedIndicator.indicator_id == Indicator.id)
            .scalar_subquery(),
        )
        .join(Priority, Indicator.priority_id == Priority.id)
        .order_by(Priority.number, Priority.code, Indicator.code)
    )
    if not include_restricted:
        statement = statement.where(Indicator.restricted.is_(False))
    if of_priorities:
        statement = statement.where(Priority.code.in_(bindparam("priority_codes", expanding=True)))
    return statement


# ----------------------------------------------------------------------------------------------
# Board assessments
# ----------------------------------------------------------------------------------------------


ASSESSMENT_AT_COLUMNS = ["as_at", "priority_code", "date", "rag", "commentary"]


def latest_assessments(session: Session, as_at: dt.date, priority_codes: Sequence[str]) -> pd.DataFrame:
    """Each priority's latest board assessment dated on or before ``as_at``.

    Columns: priority_code, date, rag (red/amber/green), commentary. Priorities the board has not
    assessed by then have no row.
    """
    latest = latest_assessments_at(session, [as_at], priority_codes)
    return latest.drop(columns="as_at")


def latest_assessments_at(
    session: Session, dates: Sequence[dt.date], priority_codes: Sequence[str]
) -> pd.DataFrame:
    """``latest_assessments`` as at each of ``dates``, in one statement.

    Columns: as_at (one of ``dates``), priority_code, date, rag, commentary; by date as given, then
    priority code.
    """
    dates = list(dict.fromkeys(dates))
    if not dates:
        return pd.DataFrame(columns=ASSESSMENT_AT_COLUMNS)
    params = {f"as_at_{position}": as_at for position, as_at in enumerate(dates)}
    params["priority_codes"] = list(priority_codes)
    columns = ["position", *ASSESSMENT_AT_COLUMNS]
    statement = _latest_assessments_statement(len(dates))
    return read_frame(session, statement, columns, dtype=object, params=params).drop(columns="position")


@cache
def _latest_assessments_statement(dates: int) -> Select:
    """latest_assessments_at's statement for that many dates (as_at_0, as_at_1...), built once."""
    latest = []
    for position in range(dates):
        as_at = bindparam(f"as_at_{position}", type_=Date())
        dated = (
            select(Assessment.priority_id, func.max(Assessment.date).label("latest"))
            .where(Assessment.date <= as_at)
            .group_by(Assessment.priority_id)
            .subquery()
        )
        latest.append(
            select(
                literal(position).label("position"),
                as_at.label("as_at"),
                Priority.code,
                Assessment.date,
                Assessment.rag,
                Assessment.commentary,
            )
            .join(
                dated, and_(Assessment.priority_id == dated.c.priority_id, Assessment.date == dated.c.latest)
            )
            .join(Priority, Assessment.priority_id == Priority.id)
            .where(Priority.code.in_(bindparam("priority_codes", expanding=True)))
        )
    assessed = union_all(*latest).subquery()
    return select(assessed).order_by(assessed.c.position, assessed.c.code)


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


@dataclass(frozen=True)
class ActionState:
    """An action's status as at a date and its latest update by then, as column expressions of the
    enclosing statement's ``Action`` row."""

    status: ColumnElement[str]
    last_update_date: ColumnElement[dt.date]
    last_update_commentary: ColumnElement[str]


def action_row_columns(state: ActionState, owner) -> list[ColumnElement]:
    """The columns of ACTION_COLUMNS but the description, in its order, for a statement that joins each
    action to its priority, its owner (the Partner alias ``owner``) and its district."""
    return [
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
        state.status,
        state.last_update_date,
        state.last_update_commentary,
        Action.opened_on,
    ]


def action_state(as_at: dt.date) -> ActionState:
    """Each action's status as at ``as_at``, with its latest update by then.

    The status as at a date is that of the latest update on or before it; an action with no updates at
    all has its recorded status; one whose updates all come later had not started.
    """

    # Per action, indexed look-ups on (action_id, date) rather than grouping every update of every action:
    # a page then reads only its own actions' updates, however long the partnership's history.  ORDER BY
    # ... LIMIT 1 rather than max(), which SQLite would answer by walking the action's updates; a look-up
    # per column rather than a join, which PostgreSQL would answer by hashing every update.  Columns of the
    # statement's own action rather than a subquery joined back to it, which cost PostgreSQL a second
    # pass over every action.
    def latest(column):
        return (
            select(column)
            .where(ActionUpdate.action_id == Action.id, ActionUpdate.date <= as_at)
            .order_by(ActionUpdate.date.desc())
            .limit(1)
            .scalar_subquery()
        )

    # Only for an action updated after the date (below): none by then means it had not started yet.
    looked_up = func.coalesce(latest(ActionUpdate.status), ActionStatus.NOT_STARTED.value)
    # An action's latest update of all is kept on its own row by every import (data_access.latest_updates):
    # without one, the action has its recorded status; when it is dated by then, it is the latest by then.
    # The look-ups above therefore run only for actions updated after the date: of the large partnership's
    # 20,000, none for today and about a third for a year ago (CASE evaluates only the branch it takes, in
    # both databases).
    never_updated = Action.latest_update_on.is_(None)
    on_own_row = Action.latest_update_on <= as_at
    status = case((never_updated, Action.status), (on_own_row, Action.latest_update_status), else_=looked_up)
    last_update_date = case(
        (never_updated, None), (on_own_row, Action.latest_update_on), else_=latest(ActionUpdate.date)
    )
    return ActionState(status, last_update_date, latest(ActionUpdate.commentary))


def action_filters(
    statement,
    as_at: dt.date,
    status: ColumnElement[str],
    *,
    priority_codes: Sequence[str] | None,
    partner_codes: Sequence[str] | None = None,
    districts: Sequence[str] | None,
    include_partnership_wide: bool,
    statuses: Sequence[str] | None = None,
    open_only: bool = False,
    overdue_only: bool = False,
    due_by: dt.date | None = None,
    include_restricted: bool,
):
    """The filters of ``actions_as_at`` (which documents them) applied to ``statement``, a statement of
    actions that need not be joined to anything: priorities, owners and districts are chosen by their ids.

    By id rather than by a joined table's code, so a statement that only counts or orders actions leaves
    the joins out: PostgreSQL, which cannot estimate how many actions a status as at a date keeps, joined
    the priorities and partners to every kept action in nested loops, a third of the time of counting a
    large partnership's actions (EXPLAIN ANALYZE, 20,000 actions: 22 -> 8 ms).
    """
    statement = statement.where(or_(Action.opened_on.is_(None), Action.opened_on <= as_at))
    if due_by is not None:
        # First, so the status, the dearest condition, is worked out only for actions due by then.
        statement = statement.where(Action.due_date <= due_by)
    if not include_restricted:
        statement = statement.where(Action.restricted.is_(False))
    if priority_codes is not None:
        chosen = select(Priority.id).where(Priority.code.in_(listed(priority_codes)))
        statement = statement.where(Action.priority_id.in_(chosen))
    if partner_codes is not None:
        chosen = select(Partner.id).where(Partner.code.in_(listed(partner_codes)))
        statement = statement.where(Action.owner_partner_id.in_(chosen))
    if districts is not None:
        chosen = select(District.id).where(District.code.in_(listed(districts)))
        in_districts = Action.district_id.in_(chosen)
        statement = statement.where(
            or_(in_districts, Action.district_id.is_(None)) if include_partnership_wide else in_districts
        )
    if statuses is not None:
        statement = statement.where(status.in_(listed(statuses)))
    if open_only or overdue_only:
        statement = statement.where(status.not_in(sorted(CLOSED_ACTION_STATUSES)))
    if overdue_only:
        statement = statement.where(Action.due_date < as_at)
    return statement


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
    due_by: dt.date | None = None,
    include_restricted: bool = False,
) -> pd.DataFrame:
    """Partner actions with their status as at ``as_at``, filtered in SQL.

    The status as at a date is that of the latest update on or before it; an action with no
    updates at all has its recorded status; one whose updates all come later had not started.
    Actions opened after ``as_at`` are left out. ``districts`` keeps actions in those districts,
    plus partnership-wide ones (district blank) when ``include_partnership_wide``. ``open_only``
    drops complete and cancelled actions; ``overdue_only`` keeps open actions due before ``as_at``;
    ``due_by`` keeps actions due on or before that date.
    Restricted actions only with ``include_restricted`` (off unless asked: what the public role sees).

    Columns: ref, priority_code, priority_number, priority_title, priority_short_title, title,
    owner_code, owner_name,
    district_code (None when partnership-wide), district_name, due_date, status, last_update_date,
    last_update_commentary (None without an update by then), opened_on, description.
    Ordered by due date, then ref.
    """
    state = action_state(as_at)
    owner = aliased(Partner)
    statement = (
        select(*action_row_columns(state, owner), Action.description)
        .join(Priority, Action.priority_id == Priority.id)
        .join(owner, Action.owner_partner_id == owner.id)
        .outerjoin(District, Action.district_id == District.id)
        .order_by(Action.due_date, Action.ref)
    )
    statement = action_filters(
        statement,
        as_at,
        state.status,
        priority_codes=priority_codes,
        partner_codes=partner_codes,
        districts=districts,
        include_partnership_wide=include_partnership_wide,
        statuses=statuses,
        open_only=open_only,
        overdue_only=overdue_only,
        due_by=due_by,
        include_restricted=include_restricted,
    )
    return _frame(session, statement, ACTION_COLUMNS)


DEADLINE_COLUMNS = ["ref", "priority_code", "title", "owner_name", "due_date", "status"]


def open_actions_due_by(
    session: Session,
    as_at: dt.date,
    due_by: dt.date,
    *,
    priority_codes: Sequence[str],
    districts: Sequence[str] | None = None,
    include_restricted: bool = False,
) -> pd.DataFrame:
    """The actions open as at ``as_at`` and due on or before ``due_by``, with only what a meeting's slides
    say of them (the overdue and due-soon actions): filtered as ``actions_as_at`` with ``due_by``, without
    their latest update's commentary or their description, which would be looked up for each of a large
    partnership's thousands of overdue actions and shown for none.

    Columns: ref, priority_code, title, owner_name, due_date, status (as at ``as_at``, open). By due
    date, then ref.
    """
    params: dict[str, object] = {"as_at": as_at, "due_by": due_by, "priority_codes": list(priority_codes)}
    if districts is not None:
        params["districts"] = list(districts)
    statement = _due_by_statement(districts is not None, include_restricted)
    frame = read_frame(session, statement, DEADLINE_COLUMNS, dtype=object, params=params)
    # The few closed actions only a look-up in their updates reveals.
    return frame[~frame["status"].isin(CLOSED_ACTION_STATUSES)].reset_index(drop=True)


@cache
def _due_by_statement(by_district: bool, include_restricted: bool) -> Select:
    """open_actions_due_by's statement, built once: parameters as_at, due_by, priority_codes and,
    ``by_district``, districts."""
    as_at = bindparam("as_at", type_=Date())
    status = action_state(as_at).status
    owner = aliased(Partner)
    statement = (
        select(Action.ref, Priority.code, Action.title, owner.name, Action.due_date, status)
        .join(Priority, Action.priority_id == Priority.id)
        .join(owner, Action.owner_partner_id == owner.id)
        # Closed by their own row's latest update: left out without working out the status, which a
        # condition on it would work out (and look up) a second time for every action.
        .where(~_closed_on_row(as_at))
        .order_by(Action.due_date, Action.ref)
    )
    return _filters_as_parameters(
        statement,
        as_at,
        status,
        by_district=by_district,
        due_by=bindparam("due_by", type_=Date()),
        include_restricted=include_restricted,
    )


def _filters_as_parameters(
    statement, as_at, status, *, by_district: bool, include_restricted: bool, due_by=None
):
    """action_filters for a statement built once: the priorities and, ``by_district``, the districts (with
    partnership-wide actions) as the expanding parameters priority_codes and districts."""
    return action_filters(
        statement,
        as_at,
        status,
        priority_codes=bindparam("priority_codes", expanding=True),
        districts=bindparam("districts", expanding=True) if by_district else None,
        include_partnership_wide=True,
        due_by=due_by,
        include_restricted=include_restricted,
    )


def _closed_on_row(as_at: dt.date) -> ColumnElement[bool]:
    """True for an action that its own row shows closed as at ``as_at`` (action_state): never updated
    and recorded closed, or closed by its latest update, dated by then. False where only its updates tell."""
    closed = sorted(CLOSED_ACTION_STATUSES)
    return case(
        (Action.latest_update_on.is_(None), Action.status.in_(closed)),
        (Action.latest_update_on <= as_at, Action.latest_update_status.in_(closed)),
        else_=False,
    )


ACTION_COUNT_COLUMNS = ["priority_code", "district_code", "status", "past_due", "actions"]


def action_counts(
    session: Session,
    as_at: dt.date,
    *,
    priority_codes: Sequence[str],
    districts: Sequence[str] | None = None,
    include_partnership_wide: bool = True,
    include_restricted: bool = False,
) -> pd.DataFrame:
    """How many actions there are by priority, district, status as at ``as_at`` and whether their due
    date has passed: what the RAG roll-ups count, without reading every action.

    Filters as ``actions_as_at`` (closed actions included). Columns: priority_code, district_code
    (None when partnership-wide), status, past_due (due before ``as_at``), actions.
    """
    status = action_state(as_at).status.label("status")
    past_due = (Action.due_date < as_at).label("past_due")
    statement = (
        select(Priority.code, District.code, status, past_due, func.count())
        .join(Priority, Action.priority_id == Priority.id)
        .outerjoin(District, Action.district_id == District.id)
        .group_by(Priority.code, District.code, status, past_due)
    )
    statement = action_filters(
        statement,
        as_at,
        status,
        priority_codes=priority_codes,
        districts=districts,
        include_partnership_wide=include_partnership_wide,
        include_restricted=include_restricted,
    )
    frame = _frame(session, statement, ACTION_COUNT_COLUMNS)
    return frame.astype({"past_due": bool, "actions": "int64"})


def action_history(
    session: Session, ref: str, as_at: dt.date, *, include_restricted: bool = False
) -> pd.DataFrame:
    """One action's dated updates on or before ``as_at``, newest first (none for a restricted action
    unless ``include_restricted``). Columns: date, status, commentary."""
    statement = (
        select(ActionUpdate.date, ActionUpdate.status, ActionUpdate.commentary)
        .join(Action, ActionUpdate.action_id == Action.id)
        .where(Action.ref == ref, ActionUpdate.date <= as_at)
        .order_by(ActionUpdate.date.desc())
    )
    if not include_restricted:
        statement = statement.where(Action.restricted.is_(False))
    return _frame(session, statement, ["date", "status", "commentary"])


ACTION_CHANGE_COLUMNS = [
    "ref",
    "title",
    "priority_code",
    "priority_number",
    "priority_title",
    "priority_short_title",
    "owner_code",
    "owner",
    "district_code",
    "district_name",
    "due_date",
    "status_before",
    "status",
    "opened_on",
    "completed_on",
    "last_update_date",
    "last_update_commentary",
]


def action_changes(
    session: Session,
    since: dt.date,
    until: dt.date,
    *,
    districts: Sequence[str] | None = None,
    include_restricted: bool = False,
) -> pd.DataFrame:
    """The actions that may have changed between two dates, with their status as at each, in one statement.

    Only the candidates are read (open at ``since`` and complete at ``until``; overdue at ``until`` and
    not at ``since``; opened after ``since``); domain.changes decides which changed.  ``districts``
    keeps actions in those districts and partnership-wide ones, as ``actions_as_at`` does; actions
    opened after ``until`` are left out, and restricted ones unless ``include_restricted``.

    Columns: ref, title, priority_code, priority_number, priority_title, priority_short_title (the
    title where none is given), owner_code, owner (the
    partner's name), district_code and district_name (None when partnership-wide), due_date,
    status_before (as at ``since``), status (as at ``until``), opened_on (the recorded date, else the
    first update's; None without either), completed_on (the first update after ``since`` and by
    ``until`` marking it complete; None without one), last_update_date and last_update_commentary (as
    at ``until``). Ordered by priority number, due date and ref.
    """
    params: dict[str, object] = {"since": since, "until": until}
    if districts is not None:
        params["districts"] = list(districts)
    statement = _action_changes_statement(districts is not None, include_restricted)
    return read_frame(session, statement, ACTION_CHANGE_COLUMNS, dtype=object, params=params)


@cache
def _action_changes_statement(by_district: bool, include_restricted: bool) -> Select:
    """action_changes' statement, built once: parameters since, until and, ``by_district``, districts."""
    since, until = bindparam("since", type_=Date()), bindparam("until", type_=Date())
    before, after = action_state(since), action_state(until)
    # Looked up per action, by the (action_id, date) index, for the few actions listed: grouping every
    # update of every action to find these cost more than the rest of the statement.
    first_date = (
        select(ActionUpdate.date)
        .where(ActionUpdate.action_id == Action.id)
        .order_by(ActionUpdate.date)
        .limit(1)
        .scalar_subquery()
    )
    completed_on = (
        select(ActionUpdate.date)
        .where(
            ActionUpdate.action_id == Action.id,
            ActionUpdate.status == ActionStatus.COMPLETE.value,
            ActionUpdate.date > since,
            ActionUpdate.date <= until,
        )
        .order_by(ActionUpdate.date)
        .limit(1)
        .scalar_subquery()
    )
    updated_between = select(ActionUpdate.action_id).where(
        ActionUpdate.date > since, ActionUpdate.date <= until
    )
    updated_by_since = (
        select(ActionUpdate.date)
        .where(ActionUpdate.action_id == Action.id, ActionUpdate.date <= since)
        .limit(1)
        .scalar_subquery()
    )
    # The candidates below, found without working out any status: a status can differ between the dates
    # only with an update between them, an action can become overdue without one only by falling due
    # between them, and one opened after ``since`` either says so or has no update by then.  Working out
    # two statuses for every action, to keep a few hundred, was most of this statement's time.
    maybe_changed = or_(
        Action.id.in_(updated_between),
        and_(Action.due_date >= since, Action.due_date < until),
        Action.opened_on > since,
        and_(Action.opened_on.is_(None), updated_by_since.is_(None)),
    )
    owner = aliased(Partner)
    opened_on = func.coalesce(Action.opened_on, first_date)
    closed = sorted(CLOSED_ACTION_STATUSES)
    statement = (
        select(
            Action.ref,
            Action.title,
            Priority.code,
            Priority.number,
            Priority.title,
            func.coalesce(Priority.short_title, Priority.title),
            owner.code,
            owner.name,
            District.code,
            District.name,
            Action.due_date,
            before.status,
            after.status,
            opened_on,
            completed_on,
            after.last_update_date,
            after.last_update_commentary,
        )
        .join(Priority, Action.priority_id == Priority.id)
        .join(owner, Action.owner_partner_id == owner.id)
        .outerjoin(District, Action.district_id == District.id)
        .where(
            or_(Action.opened_on.is_(None), Action.opened_on <= until),
            maybe_changed,
            # Narrowed to the candidates (most actions are long finished); domain.changes decides.
            or_(
                and_(after.status == ActionStatus.COMPLETE.value, before.status.not_in(closed)),
                and_(
                    after.status.not_in(closed),
                    Action.due_date < until,
                    or_(before.status.in_(closed), Action.due_date >= since),
                ),
                opened_on > since,
            ),
        )
        .order_by(Priority.number, Action.due_date, Action.ref)
    )
    if by_district:
        districts = bindparam("districts", expanding=True)
        statement = statement.where(or_(District.code.in_(districts), Action.district_id.is_(None)))
    if not include_restricted:
        statement = statement.where(Action.restricted.is_(False))
    return statement


ASSESSMENT_COLUMNS = ["priority_code", "priority_number", "priority_title", "date", "rag", "commentary"]


def assessments_between(session: Session, since: dt.date, until: dt.date) -> pd.DataFrame:
    """The board's assessments dated after ``since`` and on or before ``until``, for any priority.

    Columns: priority_code, priority_number, priority_title, date, rag (red/amber/green), commentary
    (None when none was recorded). Ordered by date, then priority number.
    """
    statement = (
        select(
            Priority.code,
            Priority.number,
            Priority.title,
            Assessment.date,
            Assessment.rag,
            Assessment.commentary,
        )
        .join(Priority, Assessment.priority_id == Priority.id)
        .where(Assessment.date > since, Assessment.date <= until)
        .order_by(Assessment.date, Priority.number, Priority.code)
    )
    return _frame(session, statement, ASSESSMENT_COLUMNS)
