"""One typed view per page: everything the page shows, read in one go, cached by the data's version.

A page asks for its view once (``overview_view``, ``priority_view``, ``districts_view``; the shell and
every page share ``reference_view``), then renders it with pure components and no session.  Each view
is a frozen dataclass of plain values and DataFrames whose columns are documented where they are built
(:mod:`data_access.progress`, :mod:`data_access.queries`).  Views are kept in
:data:`data_access.cache.VIEWS` under the data's version and the filters, so the second board member
to open the same page before a meeting gets it without a query beyond the version's.  A cached view is
shared between requests and threads: treat its frames as read-only (pandas operations that return new
frames, never assignment into them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from data_access import progress, queries
from data_access.cache import VIEWS
from data_access.queries import PartnershipIdentity
from domain.periods import add_months

# How far back an overview card's headline trend reaches.
SPARKLINE_YEARS = 3


@dataclass(frozen=True)
class ReferenceView:
    """What the header, the filters and every page need to know about the partnership.

    ``district_names``: every district's name by code, in name order. ``meetings``: columns date, name,
    newest first. ``priorities``: every priority ever agreed (queries.all_priorities). ``partners``:
    columns code, name, sector, by name.
    """

    identity: PartnershipIdentity | None
    district_names: dict[str, str]
    meetings: pd.DataFrame
    priorities: pd.DataFrame
    partners: pd.DataFrame


def reference_view(session: Session) -> ReferenceView:
    def build() -> ReferenceView:
        return ReferenceView(
            identity=queries.partnership_identity(session),
            district_names=queries.district_names(session),
            meetings=queries.list_meetings(session),
            priorities=queries.all_priorities(session),
            partners=queries.list_partners(session),
        )

    return VIEWS.get_or_build(session, ("reference",), build)


@dataclass(frozen=True)
class StatusesView:
    """The priorities in force on a date with their RAG (progress.priority_statuses), the indicator
    statuses behind them (progress.indicator_statuses) and the indicators' definitions
    (queries.indicators_for)."""

    priorities: pd.DataFrame
    indicator_statuses: pd.DataFrame
    indicators: pd.DataFrame


def statuses_view(session: Session, as_at: dt.date, districts: Sequence[str] | None) -> StatusesView:
    """The priorities in force on ``as_at`` and their RAG, for the whole partnership or the districts."""
    district_key = tuple(districts or ())

    def build() -> StatusesView:
        names = reference_view(session).district_names
        priorities = queries.priorities_in_force(session, as_at)
        indicators = queries.indicators_for(session, priorities["code"].tolist())
        statuses, indicator_statuses = progress.priority_statuses(
            session, as_at, priorities, list(district_key) or None, names, indicators=indicators
        )
        return StatusesView(statuses, indicator_statuses, indicators)

    return VIEWS.get_or_build(session, ("statuses", as_at, district_key), build)


@dataclass(frozen=True)
class OverviewView:
    """The overview: ``current`` statuses; ``previous_meeting`` (the last meeting before the date, or
    None) and the statuses then (None without a meeting); ``sparklines``: each priority's headline
    indicator over the last SPARKLINE_YEARS years (progress.TREND_COLUMNS) for the whole partnership, or
    for each chosen district."""

    current: StatusesView
    previous_meeting: dt.date | None
    previous: StatusesView | None
    sparklines: pd.DataFrame


def overview_view(session: Session, as_at: dt.date, districts: Sequence[str] | None) -> OverviewView:
    district_key = tuple(districts or ())

    def build() -> OverviewView:
        names = reference_view(session).district_names
        current = statuses_view(session, as_at, district_key)
        meeting = queries.previous_meeting(session, as_at)
        previous = statuses_view(session, meeting, district_key) if meeting else None
        headline_codes = current.priorities["headline_indicator_code"].dropna().tolist()
        headlines = current.indicators[current.indicators["code"].isin(headline_codes)]
        sparklines = progress.indicator_trends(
            session,
            headlines,
            as_at,
            list(district_key),
            names,
            since=add_months(as_at, -12 * SPARKLINE_YEARS),
        )
        if district_key:
            # A chosen district's card shows its own lines, not the whole partnership's.
            sparklines = sparklines[sparklines["series_code"] != queries.WHOLE_PARTNERSHIP]
        return OverviewView(current, meeting, previous, sparklines.reset_index(drop=True))

    return VIEWS.get_or_build(session, ("overview", as_at, district_key), build)


@dataclass(frozen=True)
class PriorityView:
    """One priority's page. ``priority``: a dict of queries.PRIORITY_COLUMNS. ``status``: its row of
    progress.priority_statuses as a dict. ``indicators``: definitions (queries.indicators_for).
    ``indicator_statuses``: per indicator and series in view (progress.indicator_statuses);
    ``whole_partnership``: per indicator for the whole partnership (the same frame without districts).
    ``trends``: progress.TREND_COLUMNS for every indicator. ``actions``: open actions in view
    (queries.actions_as_at with progress.rate_actions' columns)."""

    priority: dict
    status: dict
    indicators: pd.DataFrame
    indicator_statuses: pd.DataFrame
    whole_partnership: pd.DataFrame
    trends: pd.DataFrame
    actions: pd.DataFrame


def priority_view(
    session: Session, code: str, as_at: dt.date, districts: Sequence[str] | None
) -> PriorityView | None:
    """The priority page's view; None when no priority has that code."""
    district_key = tuple(districts or ())

    def build() -> PriorityView | None:
        priority = queries.find_priority(session, code)
        if priority is None:
            return None
        names = reference_view(session).district_names
        indicators = queries.indicators_for(session, [code])
        priorities = pd.DataFrame([priority], columns=queries.PRIORITY_COLUMNS, dtype=object)
        statuses, indicator_statuses = progress.priority_statuses(
            session, as_at, priorities, list(district_key) or None, names, indicators=indicators
        )
        whole = (
            progress.indicator_statuses(session, as_at, indicators, None, names)
            if district_key
            else indicator_statuses
        )
        trends = progress.indicator_trends(session, indicators, as_at, list(district_key), names)
        actions = progress.rate_actions(
            queries.actions_as_at(
                session, as_at, priority_codes=[code], districts=list(district_key) or None
            ),
            as_at,
        )
        return PriorityView(
            priority, statuses.iloc[0].to_dict(), indicators, indicator_statuses, whole, trends, actions
        )

    return VIEWS.get_or_build(session, ("priority", code, as_at, district_key), build)


@dataclass(frozen=True)
class DistrictsView:
    """The districts page: ``priorities`` in force (queries.PRIORITY_COLUMNS) and ``matrix``
    (progress.DISTRICT_MATRIX_COLUMNS)."""

    priorities: pd.DataFrame
    matrix: pd.DataFrame


def districts_view(session: Session, as_at: dt.date) -> DistrictsView:
    def build() -> DistrictsView:
        priorities = queries.priorities_in_force(session, as_at)
        names = reference_view(session).district_names
        return DistrictsView(priorities, progress.district_matrix(session, as_at, priorities, names))

    return VIEWS.get_or_build(session, ("districts", as_at), build)


@dataclass(frozen=True)
class BoardPackView:
    """The board pack: everything the PDF sent out with the papers shows, for the filters and date.

    ``identity``: the partnership's name (None before one is imported). ``district_names``: the chosen
    districts' names by code, in the order chosen (empty for the whole partnership). ``meeting_name``:
    the meeting held on ``as_at``, or None when it is not a meeting date. ``statuses``: the priorities in
    force and their RAG (statuses_view, for the chosen districts). ``whole_partnership``: every
    indicator's status for the whole partnership (progress.indicator_statuses), beside the districts'
    own. ``trends``: progress.TREND_COLUMNS for every indicator of a priority in force, all periods by
    the date. ``actions``: the open actions of the priorities in force, in the chosen districts and
    partnership-wide (queries.actions_as_at with progress.rate_actions' columns), by due date.
    """

    identity: PartnershipIdentity | None
    as_at: dt.date
    district_names: dict[str, str]
    meeting_name: str | None
    statuses: StatusesView
    whole_partnership: pd.DataFrame
    trends: pd.DataFrame
    actions: pd.DataFrame


def board_pack_view(session: Session, as_at: dt.date, districts: Sequence[str] | None) -> BoardPackView:
    """The board pack's view for ``as_at`` and the chosen districts (None: the whole partnership)."""
    district_key = tuple(districts or ())

    def build() -> BoardPackView:
        reference = reference_view(session)
        names = reference.district_names
        current = statuses_view(session, as_at, district_key)
        whole = (
            statuses_view(session, as_at, None).indicator_statuses
            if district_key
            else current.indicator_statuses
        )
        meetings = reference.meetings[reference.meetings["date"] == as_at]
        codes = current.priorities["code"].tolist()
        trends = progress.indicator_trends(session, current.indicators, as_at, list(district_key), names)
        actions = progress.rate_actions(
            queries.actions_as_at(session, as_at, priority_codes=codes, districts=list(district_key) or None),
            as_at,
        )
        return BoardPackView(
            identity=reference.identity,
            as_at=as_at,
            district_names={code: names[code] for code in district_key},
            meeting_name=None if meetings.empty else str(meetings["name"].iloc[0]),
            statuses=current,
            whole_partnership=whole,
            trends=trends,
            actions=actions,
        )

    return VIEWS.get_or_build(session, ("board_pack", as_at, district_key), build)
