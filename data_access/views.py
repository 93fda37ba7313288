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
from domain.actions import due_soon_until, is_due_soon
from domain.periods import add_months

# How far back an overview card's headline trend reaches.
SPARKLINE_YEARS = 3
# A priority's slide draws its headline indicator and the next ones, up to this many, over these years:
# more charts or a longer history would not be legible across a meeting room.
SLIDE_CHARTS = 3
SLIDE_TREND_YEARS = 5


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
class PresentationView:
    """The presentation (/present). ``statuses``: the priorities in force and their RAG (statuses_view).
    ``meeting_name``: the meeting held on the date, None when it is not a meeting date.
    ``next_meeting``: the first meeting after the date, None without one; ``due_soon_until``: the last
    due date that counts as due soon (domain.actions.due_soon_until).
    ``charts``: the indicators each priority's slide draws, columns priority_code, indicator_code, in
    slide order: its headline indicator, then its other indicators in order, at most SLIDE_CHARTS.
    ``trends``: progress.TREND_COLUMNS for those indicators over the last SLIDE_TREND_YEARS years, for
    the whole partnership or, with districts chosen, for each of them: as on the overview's cards, the
    partnership's larger numbers would flatten theirs on a slide's small chart. An indicator with no
    value for any chosen district keeps the whole partnership's series instead.
    ``actions``: the open actions in view that are overdue or due soon (queries.actions_as_at with
    progress.rate_actions' columns, and due_soon), by due date."""

    statuses: StatusesView
    meeting_name: str | None
    next_meeting: dt.date | None
    due_soon_until: dt.date
    charts: pd.DataFrame
    trends: pd.DataFrame
    actions: pd.DataFrame


def presentation_view(session: Session, as_at: dt.date, districts: Sequence[str] | None) -> PresentationView:
    """Everything the slides show, for the whole partnership or the districts, in a few statements."""
    district_key = tuple(districts or ())

    def build() -> PresentationView:
        reference = reference_view(session)
        statuses = statuses_view(session, as_at, district_key)
        meetings = dict(zip(reference.meetings["date"], reference.meetings["name"], strict=True))
        later = [day for day in meetings if day > as_at]
        until = due_soon_until(as_at, meetings)
        charts = slide_charts(statuses.priorities, statuses.indicators)
        chosen = statuses.indicators.set_index("code").loc[charts["indicator_code"]].reset_index()
        trends = progress.indicator_trends(
            session,
            chosen,
            as_at,
            list(district_key),
            reference.district_names,
            since=add_months(as_at, -12 * SLIDE_TREND_YEARS),
        )
        if district_key:
            trends = _districts_where_reported(trends)
        actions = progress.rate_actions(
            queries.actions_as_at(
                session,
                as_at,
                priority_codes=statuses.priorities["code"].tolist(),
                districts=list(district_key) or None,
            ),
            as_at,
        )
        due_soon = [
            is_due_soon(status, due, as_at, until)
            for status, due in zip(actions["status"], actions["due_date"], strict=True)
        ]
        actions = actions.assign(due_soon=pd.Series(due_soon, index=actions.index, dtype=bool))
        actions = actions[actions["overdue"] | actions["due_soon"]].reset_index(drop=True)
        return PresentationView(
            statuses=statuses,
            meeting_name=meetings.get(as_at),
            next_meeting=min(later) if later else None,
            due_soon_until=until,
            charts=charts,
            trends=trends.reset_index(drop=True),
            actions=actions,
        )

    return VIEWS.get_or_build(session, ("presentation", as_at, district_key), build)


def _districts_where_reported(trends: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's district series where any has a value, else its whole-partnership series."""
    is_whole = trends["series_code"] == queries.WHOLE_PARTNERSHIP
    reported = set(trends.loc[~is_whole & trends["value"].notna(), "indicator_code"])
    return trends[is_whole != trends["indicator_code"].isin(reported)]


def slide_charts(priorities: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicators each priority's slide draws: the headline first (progress.priority_statuses'
    headline_indicator_code), then the priority's other indicators in their order, at most SLIDE_CHARTS.

    ``priorities``: rows of progress.priority_statuses; ``indicators``: rows of queries.indicators_for.
    Columns: priority_code, indicator_code; priorities in the given order.
    """
    by_priority = indicators.groupby("priority_code", sort=False)["code"].agg(list).to_dict()
    rows = []
    for code, headline in zip(priorities["code"], priorities["headline_indicator_code"], strict=True):
        others = [indicator for indicator in by_priority.get(code, []) if indicator != headline]
        chosen = ([] if pd.isna(headline) else [headline]) + others
        rows.extend((code, indicator) for indicator in chosen[:SLIDE_CHARTS])
    return pd.DataFrame(rows, columns=["priority_code", "indicator_code"], dtype=object)
