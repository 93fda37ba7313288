"""The partner actions table a page at a time: its rows searched, filtered, sorted, counted and cut in SQL.

A large partnership's actions page lists thousands of actions. Sending them all to the browser for every
filter change cost more than everything else on the page, so the grid asks for the rows it shows (AG
Grid's infinite row model) and the page asks for the counts; neither reads every action into Python.

The grid's columns are named by ``COLUMNS``: its sort model and column filters name them, and anything
else is refused with a message that names the column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from data_access.frames import read_frame
from data_access.models import Action, District, Partner, Priority
from data_access.queries import ACTION_COLUMNS, action_filters, action_row_columns, action_state
from domain.rag import RATING_WORDS, action_rag
from domain.vocabulary import (
    CLOSED_ACTION_STATUSES,
    OVERDUE_WORD,
    PARTNERSHIP_WIDE,
    ActionStatus,
    Rating,
)

# The grid's columns, as the browser names them (components.tables.paged_actions_grid's fields).
COLUMNS = ("ref", "priority", "title", "owner", "district", "due_date", "status", "rag", "last_update")
TEXT_FILTER_COLUMNS = ("ref", "title", "district")
DATE_FILTER_COLUMNS = ("due_date", "last_update")
# The columns whose sort reads an action's priority, owner or district.
JOINED_SORTS = ("priority", "owner", "district")

ROW_COLUMNS = [column for column in ACTION_COLUMNS if column != "description"]


class ActionTableError(ValueError):
    """A request the table cannot answer: an unknown column or filter. The message names it."""


@dataclass(frozen=True)
class ActionSelection:
    """Which actions the table holds: the page's own filters, as at ``as_at``.

    None for ``priority_codes``, ``partner_codes`` or ``districts``: no filter (districts keep
    partnership-wide actions too). ``statuses``: the statuses as at ``as_at`` to keep (empty: none).
    ``overdue_only``: open actions due before ``as_at``. Restricted actions only with ``include_restricted``.
    """

    as_at: dt.date
    statuses: tuple[str, ...]
    priority_codes: tuple[str, ...] | None = None
    partner_codes: tuple[str, ...] | None = None
    districts: tuple[str, ...] | None = None
    overdue_only: bool = False
    include_restricted: bool = False


@dataclass(frozen=True)
class ActionCounts:
    """How many actions the selection holds and how many of them are overdue."""

    actions: int
    overdue: int


@dataclass(frozen=True)
class ActionTotals(ActionCounts):
    """How many actions the selection holds and how many are overdue, in all and by owner.

    ``by_owner``: owner_name, actions, overdue (ints), most overdue first, then most actions, then name.
    """

    by_owner: pd.DataFrame


@dataclass(frozen=True)
class ActionRows:
    """One page of the table: ``rows`` (columns ROW_COLUMNS, queries.actions_as_at's without the
    description) and ``matching``, how many actions pass the search and column filters in all."""

    rows: pd.DataFrame
    matching: int


class _Expressions:
    """The selection's statement and the expressions of its columns, shared by the counts and the rows."""

    def __init__(self, selection: ActionSelection):
        self.as_at = selection.as_at
        self.state = action_state(selection.as_at)
        self.owner = aliased(Partner)
        self.overdue = and_(
            self.state.status.not_in(sorted(CLOSED_ACTION_STATUSES)), Action.due_date < selection.as_at
        )
        self.district_name = func.coalesce(District.name, PARTNERSHIP_WIDE)
        self.priority_title = func.coalesce(Priority.short_title, Priority.title)
        # As the grid shows it: "3. Domestic abuse".
        self.priority_label = cast(Priority.number, String) + ". " + self.priority_title
        self.selection = selection

    def joined(self, *columns) -> Select:
        """``columns`` from each action joined to its priority, owner and district."""
        return (
            select(*columns)
            .select_from(Action)
            .join(Priority, Action.priority_id == Priority.id)
            .join(self.owner, Action.owner_partner_id == self.owner.id)
            .outerjoin(District, Action.district_id == District.id)
        )

    def select(self, *columns, joined: bool = True, overdue_in_sql: bool = True) -> Select:
        """``columns`` of the selected actions: from the actions joined to their priorities, owners and
        districts (``joined``), else from the actions alone, for columns of theirs only. Without
        ``overdue_in_sql``, the selection's overdue_only is left for the caller to apply."""
        selection = self.selection
        statement = self.joined(*columns) if joined else select(*columns).select_from(Action)
        return action_filters(
            statement,
            selection.as_at,
            self.state.status,
            priority_codes=_listed(selection.priority_codes),
            partner_codes=_listed(selection.partner_codes),
            districts=_listed(selection.districts),
            include_partnership_wide=True,
            statuses=list(selection.statuses),
            overdue_only=selection.overdue_only and overdue_in_sql,
            include_restricted=selection.include_restricted,
        )

    def rating_order(self) -> ColumnElement[int]:
        """Worst first: each status's rating, overdue or not, by its place in domain.vocabulary.Rating
        (red, amber, green, ..., closed), from the rules in domain.rag rather than a copy of them."""
        order = {code: number for number, code in enumerate(Rating.codes())}
        status = self.state.status
        whens = []
        for code in ActionStatus.codes():
            if code not in CLOSED_ACTION_STATUSES:
                whens.append((and_(status == code, self.overdue), order[action_rag(code, True)]))
            whens.append((status == code, order[action_rag(code, False)]))
        return case(*whens, else_=len(order))

    def sort_key(self, column: str) -> ColumnElement:
        status_order = {code: number for number, code in enumerate(ActionStatus.codes())}
        keys = {
            "ref": Action.ref,
            "priority": Priority.number,
            "title": func.lower(Action.title),
            "owner": func.lower(self.owner.name),
            "district": func.lower(self.district_name),
            "due_date": Action.due_date,
            "status": case(status_order, value=self.state.status, else_=len(status_order)),
            "rag": self.rating_order(),
            "last_update": self.state.last_update_date,
        }
        return keys[_known(column, COLUMNS, "sort by")]

    def word_matches(self, word: str) -> ColumnElement[bool]:
        """Whether an action shows ``word`` (any case) in one of the grid's columns, as the grid words it."""
        status = self.state.status
        lowered = word.casefold()
        matches = [
            Action.ref.icontains(word, autoescape=True),
            self.priority_label.icontains(word, autoescape=True),
            Action.title.icontains(word, autoescape=True),
            self.owner.name.icontains(word, autoescape=True),
            self.district_name.icontains(word, autoescape=True),
        ]
        # Statuses and RAG are stored as codes and shown as words: match the words, then ask for the codes.
        shown_statuses = [
            code for code, label in ActionStatus.labels().items() if lowered in label.casefold()
        ]
        if shown_statuses:
            matches.append(status.in_(shown_statuses))
        if lowered in OVERDUE_WORD.casefold():
            matches.append(self.overdue)
        rated = [
            code
            for code in ActionStatus.codes()
            if lowered in RATING_WORDS[action_rag(code, False)].casefold()
        ]
        if rated:
            matches.append(and_(status.in_(rated), not_(self.overdue)))
        return or_(*matches)

    def column_filter(self, column: str, model: Mapping) -> ColumnElement[bool]:
        """An AG Grid column filter (text or date model, or two of them joined) as a condition."""
        _known(column, (*TEXT_FILTER_COLUMNS, *DATE_FILTER_COLUMNS), "filter by")
        if "conditions" in model:
            joined = and_ if model.get("operator", "AND") == "AND" else or_
            return joined(*[self.column_filter(column, condition) for condition in model["conditions"]])
        if column in TEXT_FILTER_COLUMNS:
            value = {"ref": Action.ref, "title": Action.title, "district": self.district_name}[column]
            return _text_condition(value, model, column)
        value = Action.due_date if column == "due_date" else self.state.last_update_date
        return _date_condition(value, model, column)


def action_totals(session: Session, selection: ActionSelection) -> ActionTotals:
    """The selection's counts, by owner, in one statement."""
    tallies = _status_tallies(session, selection, by_owner=True)
    by_owner = pd.DataFrame(
        [(owner, actions, overdue) for owner, (actions, overdue) in tallies.items()],
        columns=["owner_name", "actions", "overdue"],
    ).astype({"actions": "int64", "overdue": "int64"})
    by_owner = by_owner.sort_values(
        ["overdue", "actions", "owner_name"], ascending=[False, False, True], ignore_index=True
    )
    return ActionTotals(int(by_owner["actions"].sum()), int(by_owner["overdue"].sum()), by_owner)


def action_counts(session: Session, selection: ActionSelection) -> ActionCounts:
    """The selection's counts alone (``action_totals``' without the owners), in one statement: what a
    priority page says of its actions, without grouping them by owner into a frame it does not show."""
    actions, overdue = _status_tallies(session, selection, by_owner=False).get(None, (0, 0))
    return ActionCounts(actions, overdue)


def _status_tallies(
    session: Session, selection: ActionSelection, *, by_owner: bool
) -> dict[str | None, tuple[int, int]]:
    """How many of the selection's actions there are and how many are overdue, by owner's name
    (``by_owner``) or all under None: counted in SQL by their status as at the selection's date and whether
    their due date has passed, then added up here (and narrowed to the overdue ones with overdue_only).

    Grouped by the status rather than counting the overdue ones with a sum over it, which worked each
    action's status out a second time, looking up again the updates of every action updated since the
    date. With the grouping, and no joins, counting a large partnership's open actions as at three months
    back took 44 -> 26 ms on PostgreSQL, 24 -> 19 ms on SQLite. The status is the grouping's first key:
    grouping by the owner first, SQLite read the actions in the owner index's order, a look-up each.
    """
    expressions = _Expressions(selection)
    status = expressions.state.status.label("status")
    past_due = (Action.due_date < selection.as_at).label("past_due")
    owner_id = [Action.owner_partner_id] if by_owner else []
    counted = (
        expressions.select(
            status, past_due, *owner_id, func.count().label("actions"), joined=False, overdue_in_sql=False
        )
        .group_by(status, past_due, *owner_id)
        .subquery("counted")
    )
    owner = expressions.owner
    statement = select(
        *([owner.name] if by_owner else []), counted.c.status, counted.c.past_due, counted.c.actions
    )
    if by_owner:
        statement = statement.join_from(counted, owner, owner.id == counted.c.owner_partner_id)
    tallies: dict[str | None, tuple[int, int]] = {}
    for *owner_name, status_code, past_due, actions in session.connection().execute(statement):
        overdue = bool(past_due) and status_code not in CLOSED_ACTION_STATUSES
        if selection.overdue_only and not overdue:
            continue
        # By name, as the page lists owners, so two partners that share a name share a row, as before.
        key = owner_name[0] if by_owner else None
        so_far_actions, so_far_overdue = tallies.get(key, (0, 0))
        tallies[key] = (so_far_actions + actions, so_far_overdue + (actions if overdue else 0))
    return tallies


def action_rows(
    session: Session,
    selection: ActionSelection,
    *,
    start: int,
    end: int,
    search: str = "",
    column_filters: Mapping[str, Mapping] | None = None,
    sort: Sequence[tuple[str, str]] = (),
) -> ActionRows:
    """Rows ``start`` to ``end`` (exclusive) of the selection narrowed by ``search`` (every word must
    show in some column) and ``column_filters`` (AG Grid filter models by column), in ``sort`` order
    ((column, "asc" or "desc") pairs) and then by due date and ref; with how many match in all.
    """
    if start < 0 or end < start:
        raise ActionTableError(f"Rows {start} to {end} are not a range of the table.")
    expressions = _Expressions(selection)
    state = expressions.state
    order = []
    for column, direction in sort:
        if direction not in ("asc", "desc"):
            raise ActionTableError(f"Cannot sort {column!r} in the direction {direction!r}: asc or desc.")
        key = expressions.sort_key(column)
        order.append(key.asc().nulls_first() if direction == "asc" else key.desc().nulls_last())
    order += [Action.due_date, Action.ref]
    # The page's actions first, by id, and only then their columns: the latest commentary and the other
    # shown columns are looked up for the rows shown, not for every action that matches.  Joined to the
    # priorities, owners and districts only to search, to filter by a column, or to sort by one of theirs
    # (action_filters chooses actions by ids and needs no joins).
    joined = bool(search.split()) or bool(column_filters) or any(column in JOINED_SORTS for column, _ in sort)
    page = expressions.select(Action.id, func.count().over().label("matching"), joined=joined)
    for word in search.split():
        page = page.where(expressions.word_matches(word))
    for column, model in (column_filters or {}).items():
        page = page.where(expressions.column_filter(column, model))
    page = page.order_by(*order).offset(start).limit(end - start).subquery("page")
    statement = (
        expressions.joined(
            *action_row_columns(state, expressions.owner),
            page.c.matching,
        )
        .join(page, page.c.id == Action.id)
        .order_by(*order)
    )
    frame = read_frame(session, statement, [*ROW_COLUMNS, "matching"], dtype=object)
    # The count over every match rides on each row; past the last row there is none, so ask again.
    if not frame.empty:
        total = int(frame["matching"].iloc[0])
    elif start == 0:
        total = 0
    else:
        total = action_rows(
            session, selection, start=0, end=1, search=search, column_filters=column_filters
        ).matching
    return ActionRows(frame.drop(columns="matching"), total)


def _listed(codes: tuple[str, ...] | None) -> list[str] | None:
    return None if codes is None else list(codes)


def _known(column: str, allowed: Sequence[str], verb: str) -> str:
    if column not in allowed:
        raise ActionTableError(
            f"The actions table cannot {verb} {column!r}: it can {verb} {', '.join(allowed)}."
        )
    return column


def _text_condition(value: ColumnElement[str], model: Mapping, column: str) -> ColumnElement[bool]:
    """AG Grid's text filter (any case, as the grid matches)."""
    kind = model.get("type")
    text = str(model.get("filter") or "")
    blank = or_(value.is_(None), value == "")
    conditions = {
        "contains": lambda: value.icontains(text, autoescape=True),
        "notContains": lambda: or_(blank, not_(value.icontains(text, autoescape=True))),
        "equals": lambda: func.lower(value) == text.lower(),
        "notEqual": lambda: or_(blank, func.lower(value) != text.lower()),
        "startsWith": lambda: value.istartswith(text, autoescape=True),
        "endsWith": lambda: value.iendswith(text, autoescape=True),
        "blank": lambda: blank,
        "notBlank": lambda: not_(blank),
    }
    if kind not in conditions:
        raise ActionTableError(f"The {column!r} column has no text filter {kind!r}.")
    return conditions[kind]()


def _date_condition(value: ColumnElement[dt.date], model: Mapping, column: str) -> ColumnElement[bool]:
    """AG Grid's date filter: its dates come as "YYYY-MM-DD hh:mm:ss"; a range leaves out its ends."""
    kind = model.get("type")
    if kind == "blank":
        return value.is_(None)
    if kind == "notBlank":
        return value.is_not(None)
    first = _filter_date(model.get("dateFrom"), column)
    conditions = {
        "equals": lambda: value == first,
        "notEqual": lambda: or_(value.is_(None), value != first),
        "lessThan": lambda: value < first,
        "greaterThan": lambda: value > first,
        "inRange": lambda: and_(value > first, value < _filter_date(model.get("dateTo"), column)),
    }
    if kind not in conditions:
        raise ActionTableError(f"The {column!r} column has no date filter {kind!r}.")
    return conditions[kind]()


def _filter_date(text, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        raise ActionTableError(f"The {column!r} filter's date {text!r} is not a date.") from None
