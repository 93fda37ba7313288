"""One typed view per page: everything the page shows, read in one go, cached by the data's version.

A page asks for its view once (``overview_view``, ``priority_view``, ``districts_view``,
``changes_view``, ``presentation_view``, ``board_pack_view``; ``indicator_table_view`` when a priority
page's table is opened; the shell and
every page share ``reference_view``), then renders it with pure components and no session.  Each view
is a frozen dataclass of plain values and DataFrames whose columns are documented where they are built
(:mod:`data_access.progress`, :mod:`data_access.queries`).  Views are kept in
:data:`data_access.cache.VIEWS` under the data's version and the filters, so the second board member
to open the same page before a meeting gets it without a query beyond the version's.  A cached view is
shared between requests and threads: treat its frames as read-only (pandas operations that return new
frames, never assignment into them).

Every view that shows indicators or actions takes ``include_restricted``: False (the default, so a view
asked for carelessly shows only what the public may see) leaves restricted indicators and actions out of
everything, counts and roll-ups included; pages pass what the signed-in role may see.  It is part of
the cache key, so a public visitor is never served a view built for a viewer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from sqlalchemy.orm import Session

from data_access import action_table, progress, queries, series
from data_access.cache import VIEWS, data_version
from data_access.queries import WHOLE_PARTNERSHIP, PartnershipIdentity
from domain import changes
from domain.actions import due_soon_until, is_due_soon
from domain.formatting import format_number
from domain.freshness import judge_indicators
from domain.periods import add_months, period_label
from domain.rag import is_overdue
from domain.vocabulary import OPEN_ACTION_STATUSES

# How far back an overview card's headline trend reaches.
SPARKLINE_YEARS = 3
# A priority's slide draws its headline indicator and the next ones, up to this many, over these years:
# more charts or a longer history would not be legible across a meeting room.
SLIDE_CHARTS = 3
SLIDE_TREND_YEARS = 5
# How far back a priority page's trend charts reach unless the reader asks for more: the span of a
# partnership's strategy, as the slides show it. A page's cost then stays the same as its history grows
# (a large partnership's sixteen years of monthly values were most of what its priority page computed
# and sent); the full history is one choice away (trend_years None).
PRIORITY_TREND_YEARS = SLIDE_TREND_YEARS


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
    """The partnership's reference lists; read once per session at the data's version, cache or no cache.

    The shell, the filters, the page and its views each ask for it: with the cache off (VIEW_CACHE_MB=0)
    a priority page read it five times.  The session keeps it under the version, so a session that
    imports reads it afresh afterwards.
    """
    key = ("reference_view", data_version(session))
    if key not in session.info:

        def build() -> ReferenceView:
            return ReferenceView(
                identity=queries.partnership_identity(session),
                district_names=queries.district_names(session),
                meetings=queries.list_meetings(session),
                priorities=queries.all_priorities(session),
                partners=queries.list_partners(session),
            )

        session.info[key] = VIEWS.get_or_build(session, ("reference",), build)
    return session.info[key]


@dataclass(frozen=True)
class StatusesView:
    """The priorities in force on a date with their RAG, for the whole partnership or chosen districts
    (progress.priority_statuses_at).

    ``priorities``: progress.PRIORITY_STATUS_COLUMNS. ``indicators``: their indicators' definitions
    (queries.indicators_for). ``indicator_ratings``: progress.INDICATOR_RATING_COLUMNS, every indicator
    in every series in view (``series_codes``: the chosen districts, or the whole partnership), the
    roll-ups' input, without reasons. ``points``: series.LATEST_POINT_COLUMNS, those series' latest
    values. ``series_names``: the series' names by code.

    The indicators' statuses with their reasons (progress.INDICATOR_STATUS_COLUMNS) are worked out from
    the points when a page reads them: ``indicator_statuses`` for every indicator, ``indicator_statuses_of``
    for some (the overview shows none, a slide three of its priority's dozens).
    """

    priorities: pd.DataFrame
    indicators: pd.DataFrame
    indicator_ratings: pd.DataFrame
    points: pd.DataFrame
    series_codes: tuple[str, ...]
    series_names: dict[str, str]

    @cached_property
    def indicator_statuses(self) -> pd.DataFrame:
        """Every indicator's status in every series in view (progress.indicator_statuses)."""
        return self.indicator_statuses_of(None)

    def indicator_statuses_of(self, codes: Collection[str] | None) -> pd.DataFrame:
        """The statuses of the indicators ``codes`` (None: all), in the view's order."""
        indicators = (
            self.indicators if codes is None else self.indicators[self.indicators["code"].isin(codes)]
        )
        return progress.statuses_from_points(indicators, self.series_codes, self.points, self.series_names)


def statuses_view(
    session: Session, as_at: dt.date, districts: Sequence[str] | None, *, include_restricted: bool = False
) -> StatusesView:
    """The priorities in force on ``as_at`` and their RAG, for the whole partnership or the districts."""
    [view] = statuses_views(session, [as_at], districts, include_restricted=include_restricted)
    return view


def statuses_views(
    session: Session,
    dates: Sequence[dt.date],
    districts: Sequence[str] | None,
    *,
    include_restricted: bool = False,
) -> list[StatusesView]:
    """``statuses_view`` at each of ``dates``: those not cached are worked out together, each concern read
    once for all of them (a page comparing two dates reads once, not twice)."""
    district_key = tuple(districts or ())

    def key(as_at: dt.date) -> tuple:
        return ("statuses", as_at, district_key, include_restricted)

    found = {as_at: VIEWS.get(session, key(as_at)) for as_at in dates}
    missing = [as_at for as_at, view in found.items() if view is None]
    if missing:
        built = _build_statuses(session, missing, district_key, include_restricted)
        for as_at, view in zip(missing, built, strict=True):
            found[as_at] = VIEWS.get_or_build(session, key(as_at), lambda view=view: view)
    return [found[as_at] for as_at in dates]


def _build_statuses(
    session: Session, dates: list[dt.date], district_key: tuple[str, ...], include_restricted: bool
) -> list[StatusesView]:
    names = reference_view(session).district_names
    in_force = queries.priorities_in_force_at(session, dates)
    codes = list(dict.fromkeys(code for priorities in in_force for code in priorities["code"]))
    indicators = queries.indicators_for(session, codes, include_restricted=include_restricted)
    rated = progress.priority_statuses_at(
        session,
        dates,
        in_force,
        list(district_key) or None,
        indicators=indicators,
        include_restricted=include_restricted,
    )
    series_codes = tuple(progress.series_codes_of(district_key))
    series_names = {code: names.get(code, progress.WHOLE_PARTNERSHIP_NAME) for code in series_codes}
    return [
        StatusesView(
            priorities=statuses.priorities,
            indicators=indicators[indicators["priority_code"].isin(priorities["code"])].reset_index(
                drop=True
            ),
            indicator_ratings=statuses.ratings,
            points=statuses.points,
            series_codes=series_codes,
            series_names=series_names,
        )
        for priorities, statuses in zip(in_force, rated, strict=True)
    ]


@dataclass(frozen=True)
class FreshnessView:
    """Whether each indicator's data is up to date as at ``as_at`` (domain.freshness): the /data page's
    table, the overview's note and the priority page's cards.

    ``indicators``: one row per indicator of any priority, restricted ones only for roles that may see
    them, by priority number then indicator code. Columns: priority_code, priority_number,
    priority_short_title, priority_in_force (bool, on ``as_at``), indicator_code, name, frequency,
    latest_start (the latest period with a value for the whole partnership or any district that had
    ended by ``as_at``; None without one), previous_start (the period with a value before it),
    last_imported_at (timezone-aware UTC, NaT when no import in the log wrote values for it), then
    domain.freshness.JUDGED_COLUMNS: latest_end, latest_label, latest_age, state (a
    domain.vocabulary.FreshnessState code), state_word, expected_start, expected_label, due_by,
    days_late, missing.
    """

    as_at: dt.date
    indicators: pd.DataFrame


def freshness_view(
    session: Session, as_at: dt.date, *, include_restricted: bool = False, priority_code: str | None = None
) -> FreshnessView:
    """Every indicator's freshness as at ``as_at``, in one statement; with ``priority_code``, that
    priority's indicators only (its page needs no more, and a large partnership has hundreds)."""

    def build() -> FreshnessView:
        inputs = queries.indicator_freshness_inputs(
            session,
            as_at,
            include_restricted=include_restricted,
            priority_codes=None if priority_code is None else [priority_code],
        )
        return FreshnessView(as_at, judge_indicators(inputs, as_at))

    return VIEWS.get_or_build(session, ("freshness", as_at, include_restricted, priority_code), build)


def _freshness_of(view: FreshnessView, indicators: pd.DataFrame) -> pd.DataFrame:
    """The freshness rows of ``indicators`` (rows of queries.indicators_for), in the view's order."""
    return view.indicators[view.indicators["indicator_code"].isin(indicators["code"])].reset_index(drop=True)


@dataclass(frozen=True)
class OverviewView:
    """The overview: ``current`` statuses; ``previous_meeting`` (the last meeting before the date, or
    None) and the statuses then (None without a meeting); ``sparklines``: each priority's headline
    indicator over the last SPARKLINE_YEARS years (progress.TREND_COLUMNS) for the whole partnership, or
    for each chosen district. ``freshness``: the rows of freshness_view for the indicators of the
    priorities in force (``current.indicators``), by priority number; districts do not change them."""

    current: StatusesView
    previous_meeting: dt.date | None
    previous: StatusesView | None
    sparklines: pd.DataFrame
    freshness: pd.DataFrame


def overview_view(
    session: Session, as_at: dt.date, districts: Sequence[str] | None, *, include_restricted: bool = False
) -> OverviewView:
    district_key = tuple(districts or ())

    def build() -> OverviewView:
        reference = reference_view(session)
        names = reference.district_names
        earlier = [day for day in reference.meetings["date"] if day < as_at]  # newest first
        meeting = earlier[0] if earlier else None
        # Now and at the last meeting, read together.
        current, *previous = statuses_views(
            session, [as_at, *earlier[:1]], district_key, include_restricted=include_restricted
        )
        headline_codes = current.priorities["headline_indicator_code"].dropna().tolist()
        headlines = current.indicators[current.indicators["code"].isin(headline_codes)]
        sparklines = progress.indicator_trends(
            session,
            headlines,
            as_at,
            list(district_key),
            names,
            since=trend_start(as_at, SPARKLINE_YEARS),
        )
        if district_key:
            # A chosen district's card shows its own lines, not the whole partnership's.
            sparklines = sparklines[sparklines["series_code"] != queries.WHOLE_PARTNERSHIP]
        freshness = _freshness_of(
            freshness_view(session, as_at, include_restricted=include_restricted), current.indicators
        )
        return OverviewView(
            current, meeting, previous[0] if previous else None, sparklines.reset_index(drop=True), freshness
        )

    return VIEWS.get_or_build(session, ("overview", as_at, district_key, include_restricted), build)


@dataclass(frozen=True)
class PriorityView:
    """One priority's page. ``priority``: a dict of queries.PRIORITY_COLUMNS. ``status``: its row of
    progress.priority_statuses as a dict. ``indicators``: definitions (queries.indicators_for).
    ``indicator_statuses``: per indicator and series in view (progress.indicator_statuses);
    ``whole_partnership``: per indicator for the whole partnership (the same frame without districts).
    ``trends``: progress.TREND_COLUMNS for every indicator, over the years asked for. ``open_actions``: how
    many open actions are in view, and how many overdue (open_actions_selection's). ``freshness``: the rows of
    freshness_view for its indicators, by code as ``indicators``."""

    priority: dict
    status: dict
    indicators: pd.DataFrame
    indicator_statuses: pd.DataFrame
    whole_partnership: pd.DataFrame
    trends: pd.DataFrame
    open_actions: action_table.ActionCounts
    freshness: pd.DataFrame


def open_actions_selection(
    code: str, as_at: dt.date, districts: Sequence[str], *, include_restricted: bool = False
) -> action_table.ActionSelection:
    """A priority page's actions: the priority's open ones as at the date, in the districts chosen (and
    partnership-wide ones; every one when none is chosen)."""
    return action_table.ActionSelection(
        as_at,
        OPEN_ACTION_STATUSES,
        priority_codes=(code,),
        districts=tuple(districts) or None,
        include_restricted=include_restricted,
    )


def trend_start(as_at: dt.date, years: int | None) -> dt.date | None:
    """The first period start a trend over the last ``years`` years to ``as_at`` includes (None: all)."""
    return None if years is None else add_months(as_at, -12 * years)


def priority_view(
    session: Session,
    code: str,
    as_at: dt.date,
    districts: Sequence[str] | None,
    *,
    include_restricted: bool = False,
    trend_years: int | None = PRIORITY_TREND_YEARS,
) -> PriorityView | None:
    """The priority page's view, its trends over the last ``trend_years`` years (None: every year);
    None when no priority has that code."""
    district_key = tuple(districts or ())
    since = trend_start(as_at, trend_years)

    def build() -> PriorityView | None:
        priority = queries.find_priority(session, code)
        if priority is None:
            return None
        names = reference_view(session).district_names
        indicators = queries.indicators_for(session, [code], include_restricted=include_restricted)
        priorities = pd.DataFrame([priority], columns=queries.PRIORITY_COLUMNS, dtype=object)
        statuses, indicator_statuses = progress.priority_statuses(
            session,
            as_at,
            priorities,
            list(district_key) or None,
            names,
            indicators=indicators,
            include_restricted=include_restricted,
        )
        whole = (
            progress.indicator_statuses(session, as_at, indicators, None, names)
            if district_key
            else indicator_statuses
        )
        trends = progress.indicator_trends(session, indicators, as_at, list(district_key), names, since=since)
        # Counted here; the page's grid asks for its rows a page at a time (action_table.action_rows).
        open_actions = action_table.action_counts(
            session, open_actions_selection(code, as_at, district_key, include_restricted=include_restricted)
        )
        freshness = freshness_view(
            session, as_at, include_restricted=include_restricted, priority_code=code
        ).indicators
        return PriorityView(
            priority,
            statuses.iloc[0].to_dict(),
            indicators,
            indicator_statuses,
            whole,
            trends,
            open_actions,
            freshness,
        )

    key = ("priority", code, as_at, district_key, include_restricted, since)
    return VIEWS.get_or_build(session, key, build)


@dataclass(frozen=True)
class IndicatorTableView:
    """One indicator's values as its priority page tabulates them on request (the chart's "show as a
    table"). ``indicator``: a dict of queries.INDICATOR_COLUMNS. ``trend``: progress.TREND_COLUMNS for
    that indicator, exactly the rows of ``priority_view(...).trends`` for it over the same years."""

    indicator: dict
    trend: pd.DataFrame


def indicator_table_view(
    session: Session,
    priority_code: str,
    indicator_code: str,
    as_at: dt.date,
    districts: Sequence[str] | None,
    *,
    include_restricted: bool = False,
    trend_years: int | None = PRIORITY_TREND_YEARS,
) -> IndicatorTableView | None:
    """The table behind one indicator's chart over the last ``trend_years`` years (None: every year);
    None when the priority has no such indicator that this role may see.  Read on its own, two
    statements, so opening a table never recomputes the page."""
    district_key = tuple(districts or ())
    since = trend_start(as_at, trend_years)

    def build() -> IndicatorTableView | None:
        indicators = queries.indicators_for(session, [priority_code], include_restricted=include_restricted)
        chosen = indicators[indicators["code"] == indicator_code].reset_index(drop=True)
        if chosen.empty:
            return None
        names = reference_view(session).district_names
        trend = progress.indicator_trends(session, chosen, as_at, list(district_key), names, since=since)
        return IndicatorTableView(chosen.iloc[0].to_dict(), trend)

    key = ("indicator_table", priority_code, indicator_code, as_at, district_key, include_restricted, since)
    return VIEWS.get_or_build(session, key, build)


@dataclass(frozen=True)
class DistrictsView:
    """The districts page: ``priorities`` in force (queries.PRIORITY_COLUMNS) and ``matrix``
    (progress.DISTRICT_MATRIX_COLUMNS)."""

    priorities: pd.DataFrame
    matrix: pd.DataFrame


def districts_view(session: Session, as_at: dt.date, *, include_restricted: bool = False) -> DistrictsView:
    def build() -> DistrictsView:
        priorities = queries.priorities_in_force(session, as_at)
        names = reference_view(session).district_names
        matrix = progress.district_matrix(
            session, as_at, priorities, names, include_restricted=include_restricted
        )
        return DistrictsView(priorities, matrix)

    return VIEWS.get_or_build(session, ("districts", as_at, include_restricted), build)


@dataclass(frozen=True)
class ChangesView:
    """What changed between two dates (usually two meetings), for the whole partnership or the chosen
    districts: the changes page and the board pack's "changes since the last meeting".

    ``since``, ``until``: the dates compared (``since`` on or before ``until``); ``since_meeting_name``,
    ``until_meeting_name``: the meeting held on each date, None when none was. ``districts``: the
    chosen district codes (empty: the whole partnership). Every frame has its columns even when empty.

    ``priority_changes``: priorities in force at either date whose RAG differs, exactly as the overview
    rates them (statuses_view). Columns: code, number, title, short_title, rag_before, reason_before,
    rag_after, reason_after (ratings are domain.rag constants; both None on the side where the priority
    was not in force). By priority number.

    ``indicator_changes``: per indicator and series in view (the whole partnership, or each chosen
    district), of priorities in force at both dates (a priority that came or went is in
    priority_changes), whose RAG differs. Columns: priority_code, priority_number,
    priority_short_title, indicator_code, indicator_name, series_code (WHOLE_PARTNERSHIP or a district
    code), series_name, rag_before, reason_before, rag_after, reason_after. By priority number,
    indicator code, then series.

    ``actions_completed`` (open at ``since``, complete at ``until``), ``actions_became_overdue``
    (overdue at ``until`` but not at ``since``, domain.rag.is_overdue) and ``new_actions`` (opened,
    or else first updated, after ``since`` and by ``until``): actions in the chosen districts and
    partnership-wide ones, of any priority. Columns: queries.ACTION_CHANGE_COLUMNS (ref, title,
    priority_code, priority_number, priority_title, priority_short_title, owner_code, owner,
    district_code, district_name, due_date, status_before, status, opened_on, completed_on,
    last_update_date, last_update_commentary) and district (the district's name, or "Whole
    partnership"). Statuses are domain.vocabulary.ActionStatus codes; status is as at ``until``. By
    priority number, due date, ref.

    ``new_data``: the values of the series in view whose period had ended by ``until`` but not by
    ``since`` (there is no import date yet, so "new" means newly available as at the dates), for the
    indicators of priorities in force at either date. Columns: priority_code, priority_number,
    priority_short_title, indicator_code, indicator_name, series_code, series_name, period_start,
    period_label (as domain.periods labels it), value (text in the indicator's unit,
    domain.formatting), number (the value as a float). By priority number, indicator code, series,
    then period.

    ``new_commentary``: the board's assessments dated after ``since`` and by ``until`` (they are for
    the whole partnership, whatever the districts). Columns: queries.ASSESSMENT_COLUMNS (priority_code,
    priority_number, priority_title, date, rag, commentary). By date, then priority number.
    """

    since: dt.date
    until: dt.date
    since_meeting_name: str | None
    until_meeting_name: str | None
    districts: tuple[str, ...]
    priority_changes: pd.DataFrame
    indicator_changes: pd.DataFrame
    actions_completed: pd.DataFrame
    actions_became_overdue: pd.DataFrame
    new_actions: pd.DataFrame
    new_data: pd.DataFrame
    new_commentary: pd.DataFrame


def default_changes_dates(session: Session, as_at: dt.date) -> tuple[dt.date, dt.date] | None:
    """The last two meetings on or before ``as_at`` (earlier first); None with fewer than two."""
    meetings = reference_view(session).meetings  # newest first
    held = meetings.loc[[day <= as_at for day in meetings["date"]], "date"].tolist()
    return (held[1], held[0]) if len(held) >= 2 else None


def changes_view(
    session: Session,
    since: dt.date,
    until: dt.date,
    districts: Sequence[str] | None,
    *,
    include_restricted: bool = False,
) -> ChangesView:
    """What changed from ``since`` to ``until``; raises domain.changes.ChangePeriodError when
    ``since`` is after ``until``."""
    changes.check_period(since, until)
    district_key = tuple(districts or ())

    def build() -> ChangesView:
        reference = reference_view(session)
        meeting_names = dict(zip(reference.meetings["date"], reference.meetings["name"], strict=True))
        before, after = statuses_views(
            session, [since, until], district_key, include_restricted=include_restricted
        )
        # Every priority in force at either date, for the rows' numbers and short titles.
        priorities = (
            pd.concat([after.priorities, before.priorities]).drop_duplicates("code").set_index("code")
        )
        actions = queries.action_changes(
            session,
            since,
            until,
            districts=list(district_key) or None,
            include_restricted=include_restricted,
        )
        actions = actions.assign(
            district=[name or progress.WHOLE_PARTNERSHIP_NAME for name in actions["district_name"]]
        )
        return ChangesView(
            since=since,
            until=until,
            since_meeting_name=meeting_names.get(since),
            until_meeting_name=meeting_names.get(until),
            districts=district_key,
            priority_changes=_priority_changes(before, after),
            indicator_changes=_indicator_changes(before, after, priorities, district_key),
            actions_completed=changes.completed_actions(actions),
            actions_became_overdue=changes.newly_overdue_actions(actions, since, until),
            new_actions=changes.new_actions(actions, since, until),
            new_data=_new_data(session, since, until, before, after, priorities, district_key),
            new_commentary=queries.assessments_between(session, since, until),
        )

    return VIEWS.get_or_build(session, ("changes", since, until, district_key, include_restricted), build)


def _priority_changes(before: StatusesView, after: StatusesView) -> pd.DataFrame:
    changed = changes.rating_changes(
        before.priorities, after.priorities, ["code"], ["number", "title", "short_title"], one_sided=True
    )
    return changed.sort_values(["number", "code"], kind="stable", ignore_index=True)


def _series_order(district_key: tuple[str, ...]) -> dict[str, int]:
    return {code: index for index, code in enumerate([WHOLE_PARTNERSHIP, *district_key])}


def _indicator_changes(
    before: StatusesView, after: StatusesView, priorities: pd.DataFrame, district_key: tuple[str, ...]
) -> pd.DataFrame:
    # The ratings first, and the reasons only of the indicators whose rating changed in some series: a large
    # partnership has hundreds of indicators in each series, and most keep their rating between meetings.
    keys = ["indicator_code", "series_code"]
    ratings = after.indicator_ratings[[*keys, "rating"]].merge(
        before.indicator_ratings[[*keys, "rating"]], on=keys, suffixes=("_after", "_before")
    )
    moved = set(ratings.loc[ratings["rating_after"] != ratings["rating_before"], "indicator_code"])
    changed = changes.rating_changes(
        before.indicator_statuses_of(moved),
        after.indicator_statuses_of(moved),
        ["indicator_code", "series_code"],
        ["priority_code", "name", "series_name"],
        one_sided=False,
    ).rename(columns={"name": "indicator_name"})
    changed.insert(1, "priority_number", changed["priority_code"].map(priorities["number"]))
    changed.insert(2, "priority_short_title", changed["priority_code"].map(priorities["short_title"]))
    columns = [
        "priority_code",
        "priority_number",
        "priority_short_title",
        "indicator_code",
        "indicator_name",
        "series_code",
        "series_name",
        "rag_before",
        "reason_before",
        "rag_after",
        "reason_after",
    ]
    series_order = _series_order(district_key)
    return (
        changed[columns]
        .sort_values(
            ["priority_number", "indicator_code", "series_code"],
            key=lambda column: column.map(series_order) if column.name == "series_code" else column,
            kind="stable",
        )
        .reset_index(drop=True)
    )


NEW_DATA_COLUMNS = [
    "priority_code",
    "priority_number",
    "priority_short_title",
    "indicator_code",
    "indicator_name",
    "series_code",
    "series_name",
    "period_start",
    "period_label",
    "value",
    "number",
]


def _new_data(
    session: Session,
    since: dt.date,
    until: dt.date,
    before: StatusesView,
    after: StatusesView,
    priorities: pd.DataFrame,
    district_key: tuple[str, ...],
) -> pd.DataFrame:
    indicators = pd.concat([after.indicators, before.indicators]).drop_duplicates("code").set_index("code")
    values = series.values_ended_between(
        session, since, until, indicators.index.tolist(), list(district_key) or None
    )
    if values.empty:
        return pd.DataFrame(columns=NEW_DATA_COLUMNS)
    names = reference_view(session).district_names
    rows = indicators.loc[values["indicator_code"]]
    priority_codes = rows["priority_code"].tolist()
    frame = pd.DataFrame(
        {
            "priority_code": priority_codes,
            "priority_number": priorities["number"].reindex(priority_codes).tolist(),
            "priority_short_title": priorities["short_title"].reindex(priority_codes).tolist(),
            "indicator_code": values["indicator_code"].tolist(),
            "indicator_name": rows["name"].tolist(),
            "series_code": values["district_code"].tolist(),
            "series_name": [
                names.get(code, progress.WHOLE_PARTNERSHIP_NAME) for code in values["district_code"]
            ],
            "period_start": values["period_start"].tolist(),
            "period_label": [
                period_label(start, frequency)
                for start, frequency in zip(values["period_start"], rows["frequency"], strict=True)
            ],
            "value": [
                format_number(value, unit) for value, unit in zip(values["value"], rows["unit"], strict=True)
            ],
            "number": values["value"].tolist(),
        },
        columns=NEW_DATA_COLUMNS,
    )
    series_order = _series_order(district_key)
    return frame.sort_values(
        ["priority_number", "indicator_code", "series_code", "period_start"],
        key=lambda column: column.map(series_order) if column.name == "series_code" else column,
        kind="stable",
        ignore_index=True,
    )


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
    ``actions``: the open actions in view that are overdue or due soon (queries.open_actions_due_by, and
    overdue and due_soon: domain.rag.is_overdue, domain.actions.is_due_soon), by due date."""

    statuses: StatusesView
    meeting_name: str | None
    next_meeting: dt.date | None
    due_soon_until: dt.date
    charts: pd.DataFrame
    trends: pd.DataFrame
    actions: pd.DataFrame


def presentation_view(
    session: Session, as_at: dt.date, districts: Sequence[str] | None, *, include_restricted: bool = False
) -> PresentationView:
    """Everything the slides show, for the whole partnership or the districts, in a few statements."""
    district_key = tuple(districts or ())

    def build() -> PresentationView:
        reference = reference_view(session)
        statuses = statuses_view(session, as_at, district_key, include_restricted=include_restricted)
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
            since=trend_start(as_at, SLIDE_TREND_YEARS),
        )
        if district_key:
            trends = _districts_where_reported(trends)
        # Overdue or due soon is open and due by ``until`` (which is never before the date): asked of SQL,
        # so a large partnership's actions due later are not looked up, and nothing the slides do not show
        # is read or worked out for the thousands that are overdue.
        actions = queries.open_actions_due_by(
            session,
            as_at,
            until,
            priority_codes=statuses.priorities["code"].tolist(),
            districts=list(district_key) or None,
            include_restricted=include_restricted,
        )
        statuses_and_dates = list(zip(actions["status"].tolist(), actions["due_date"].tolist(), strict=True))
        actions = actions.assign(
            overdue=pd.Series([is_overdue(*row, as_at) for row in statuses_and_dates], dtype=bool),
            due_soon=pd.Series([is_due_soon(*row, as_at, until) for row in statuses_and_dates], dtype=bool),
        )
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

    return VIEWS.get_or_build(session, ("presentation", as_at, district_key, include_restricted), build)


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
    ``changes``: what changed between the last two meetings on or before the date (changes_view), or
    None when fewer than two had been held.
    """

    identity: PartnershipIdentity | None
    as_at: dt.date
    district_names: dict[str, str]
    meeting_name: str | None
    statuses: StatusesView
    whole_partnership: pd.DataFrame
    trends: pd.DataFrame
    actions: pd.DataFrame
    changes: ChangesView | None


def board_pack_view(
    session: Session, as_at: dt.date, districts: Sequence[str] | None, *, include_restricted: bool = False
) -> BoardPackView:
    """The board pack's view for ``as_at`` and the chosen districts (None: the whole partnership)."""
    district_key = tuple(districts or ())

    def build() -> BoardPackView:
        reference = reference_view(session)
        names = reference.district_names
        current = statuses_view(session, as_at, district_key, include_restricted=include_restricted)
        whole = (
            statuses_view(session, as_at, None, include_restricted=include_restricted).indicator_statuses
            if district_key
            else current.indicator_statuses
        )
        meetings = reference.meetings[reference.meetings["date"] == as_at]
        codes = current.priorities["code"].tolist()
        trends = progress.indicator_trends(session, current.indicators, as_at, list(district_key), names)
        actions = progress.rate_actions(
            queries.actions_as_at(
                session,
                as_at,
                priority_codes=codes,
                districts=list(district_key) or None,
                include_restricted=include_restricted,
            ),
            as_at,
        )
        meetings_compared = default_changes_dates(session, as_at)
        changed = (
            changes_view(session, *meetings_compared, district_key, include_restricted=include_restricted)
            if meetings_compared
            else None
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
            changes=changed,
        )

    return VIEWS.get_or_build(session, ("board_pack", as_at, district_key, include_restricted), build)
