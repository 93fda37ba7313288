"""What changed between two meetings (or any two dates): RAG, actions, new data and board commentary.

``/changes?from=YYYY-MM-DD&to=YYYY-MM-DD`` with the usual district and as-at filters. Without dates,
the last two meetings on or before the as-at date; with fewer than two meetings, the three months to
the as-at date, and any two dates can be chosen.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, State, callback, dcc, html, no_update

from components import changes as sections
from components.feedback import database_unavailable
from components.filters import Filters, href, parse_filters, with_params
from data_access import views
from data_access.db import DatabaseUnavailable, session_scope
from domain.changes import ChangePeriodError
from domain.formatting import format_date
from domain.periods import add_months
from pages._common import guarded_layout, page_filters, page_title, sees_restricted
from shell import Ids as ShellIds

dash.register_page(
    __name__,
    path="/changes",
    name="Changes",
    title=lambda: page_title("Changes since the last meeting"),
    order=4,
)

FROM_PARAM, TO_PARAM = "from", "to"
# Without two meetings to compare, the page opens on the quarter to the as-at date (boards meet quarterly).
FALLBACK_MONTHS = 3


class Ids(StrEnum):
    FROM = "changes-from"
    TO = "changes-to"
    SCOPE = "changes-scope"  # the dates and filters shown, for the callback that fills in folded lists
    # Pattern-matching ids, one per folded list: {"type": ..., "section": its anchor}.
    FOLD_TOGGLE = "changes-fold-toggle"
    FOLD = "changes-fold"


@guarded_layout
def layout(district=None, as_at=None, **query):
    try:
        with session_scope() as session:
            filters, today = page_filters(session, district=district, as_at=as_at)
            as_at_date = filters.as_at_or(today)
            reference = views.reference_view(session)
            since, until, problem, note = _dates(query, as_at_date, reference.meetings)
            view = None
            if problem is None:
                try:
                    view = views.changes_view(
                        session, since, until, filters.district_list, include_restricted=sees_restricted()
                    )
                except ChangePeriodError as error:
                    problem = str(error)
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    names = reference.district_names
    where = _where([names[code] for code in filters.districts])
    meetings = reference.meetings
    link = lambda path: href(path, filters)  # noqa: E731
    return html.Div(
        [
            _heading(view, where),
            _chooser(meetings, since, until),
            dbc.Alert(problem, color="warning", className="mt-3") if problem else None,
            html.P(note, className="text-body-secondary") if note else None,
            _changes(view, link) if view is not None else None,
            dcc.Store(id=Ids.SCOPE, data=_scope(view, filters)) if view is not None else None,
        ]
    )


def _scope(view: views.ChangesView, filters: Filters) -> dict:
    """What a folded list needs to be filled in as the page shows it: the dates, the districts and the
    as-at date its links keep (in the link's own words, read back with parse_filters)."""
    return {
        "since": view.since.isoformat(),
        "until": view.until.isoformat(),
        "district": ",".join(filters.districts),
        "as_at": filters.as_at.isoformat() if filters.as_at else None,
    }


def _dates(query: dict, as_at: dt.date, meetings: pd.DataFrame):
    """(since, until, problem, note) from the link: a problem names what is wrong with it."""
    since, until, problems = None, None, []
    for param in (FROM_PARAM, TO_PARAM):
        raw = query.get(param)
        raw = (raw[0] if isinstance(raw, list) and raw else raw) or ""
        if not raw.strip():
            continue
        try:
            day = dt.date.fromisoformat(raw.strip())
        except ValueError:
            word = "first" if param == FROM_PARAM else "second"
            problems.append(
                f"'{raw}' in the link is not a date (YYYY-MM-DD), so there is no {word} date to compare."
            )
            continue
        since, until = (day, until) if param == FROM_PARAM else (since, day)
    if problems:
        return since, until, " ".join(problems), None
    held = [day for day in meetings["date"] if day <= (until or as_at)]  # newest first
    note = None
    if since is None and until is None and len(held) >= 2:
        since, until = held[1], held[0]
    until = until or as_at
    if since is None:
        earlier = [day for day in held if day < until]
        if earlier:
            since = earlier[0]
        else:
            since = add_months(until, -FALLBACK_MONTHS)
            note = (
                f"No meeting is recorded before {format_date(until)}, so this compares the {FALLBACK_MONTHS} "
                "months before it."
            )
    return since, until, None, note


def _where(names: list[str]) -> str:
    if not names:
        return "Whole partnership"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _side(day: dt.date, meeting: str | None) -> str:
    return f"the {format_date(day)} meeting" if meeting else format_date(day)


def _heading(view: views.ChangesView | None, where: str) -> html.Div:
    if view is None:
        return html.H1(
            ["Changes between two dates", html.Span(where, className="page-subtitle")], className="page-title"
        )
    meetings = [
        (day, name)
        for day, name in ((view.since, view.since_meeting_name), (view.until, view.until_meeting_name))
        if name
    ]
    return html.Div(
        [
            html.H1(
                [
                    f"Changes between {_side(view.since, view.since_meeting_name)} and "
                    f"{_side(view.until, view.until_meeting_name)}",
                    html.Span(where, className="page-subtitle"),
                ],
                className="page-title",
            ),
            html.P(
                [_meetings_sentence(meetings), "RAG and actions are shown as at each date."],
                className="scope-line",
            ),
        ]
    )


def _meetings_sentence(meetings: list[tuple[dt.date, str]]) -> str:
    """Which meetings these are: "Both are meetings of the Strategy Group. " when they share a name."""
    if len(meetings) == 2 and meetings[0][1] == meetings[1][1]:
        return f"Both are meetings of the {meetings[0][1]}. "
    named = [f"{name} on {format_date(day)}" for day, name in meetings]
    return f"Meetings: {' and '.join(named)}. " if named else ""


def _chooser(meetings: pd.DataFrame, since: dt.date | None, until: dt.date | None) -> html.Section:
    """Two selects listing the meetings, or, with fewer than two meetings, two date inputs."""
    if len(meetings) >= 2:
        options = [
            {"label": f"{format_date(day)} – {name}", "value": day.isoformat()}
            for day, name in zip(meetings["date"], meetings["name"], strict=True)
        ]

        def control(control_id: str, label: str, day: dt.date | None):
            listed = options
            if day is not None and day.isoformat() not in {option["value"] for option in options}:
                listed = [
                    {"label": f"{format_date(day)} (not a meeting)", "value": day.isoformat()},
                    *options,
                ]
            return [
                dbc.Label(label, html_for=control_id),
                dbc.Select(id=control_id, options=listed, value=day.isoformat() if day else ""),
            ]

        intro = None
    else:

        def control(control_id: str, label: str, day: dt.date | None):
            return [
                dbc.Label(label, html_for=control_id),
                dbc.Input(id=control_id, type="date", debounce=True, value=day.isoformat() if day else ""),
            ]

        intro = html.P(
            "Fewer than two meetings are recorded, so any two dates can be compared.", className="mb-2"
        )
    return html.Section(
        [
            html.H2("Compare", className="visually-hidden", id="changes-chooser-heading"),
            intro,
            dbc.Row(
                [
                    dbc.Col(
                        control(Ids.FROM, "From meeting" if intro is None else "From", since), md=6, xl=5
                    ),
                    dbc.Col(control(Ids.TO, "To meeting" if intro is None else "To", until), md=6, xl=5),
                ],
                className="g-3",
            ),
        ],
        className="panel changes-chooser",
        **{"aria-labelledby": "changes-chooser-heading"},
    )


def _frames(view: views.ChangesView) -> dict[sections.Section, pd.DataFrame]:
    return {
        sections.PRIORITIES: view.priority_changes,
        sections.INDICATORS: view.indicator_changes,
        sections.COMPLETED: view.actions_completed,
        sections.OVERDUE: view.actions_became_overdue,
        sections.NEW_ACTIONS: view.new_actions,
        sections.NEW_DATA: view.new_data,
        sections.COMMENTARY: view.new_commentary,
    }


def _changes(view: views.ChangesView, link) -> html.Div:
    frames = _frames(view)
    notes = {
        sections.NEW_DATA: sections.NEW_DATA_NOTE,
        sections.COMMENTARY: "The board's assessments are for the whole partnership.",
    }
    return html.Div(
        [
            sections.changes_summary({section: len(frame) for section, frame in frames.items()}),
            *(
                sections.changes_section(
                    section,
                    _folded_or_body(section, frame, view, link) if len(frame) else None,
                    len(frame),
                    notes.get(section),
                )
                for section, frame in frames.items()
            ),
        ]
    )


def _folded_or_body(section: sections.Section, frame: pd.DataFrame, view: views.ChangesView, link):
    """A long list folded away and empty (show_folded_list fills it in), else the list itself."""
    if section.folds(len(frame)):
        return sections.folded(
            section,
            len(frame),
            toggle_id={"type": Ids.FOLD_TOGGLE, "section": section.anchor},
            body_id={"type": Ids.FOLD, "section": section.anchor},
        )
    return _body(section, frame, view, link)


def _body(section: sections.Section, frame: pd.DataFrame, view: views.ChangesView, link):
    """The table or list for one kind of change."""
    before, after = format_date(view.since), format_date(view.until)
    status_header = f"Status at {after}"
    if section is sections.PRIORITIES:
        return sections.priority_changes_table(frame, before, after, link)
    if section is sections.INDICATORS:
        return sections.indicator_changes_table(frame, before, after, link)
    if section is sections.NEW_DATA:
        return sections.new_data_table(frame, link)
    if section is sections.COMMENTARY:
        return sections.commentary_list(frame, link)
    caption, date_column, date_header, no_date = {
        sections.COMPLETED: (
            "Actions completed between the two dates",
            "completed_on",
            "Completed",
            "Not recorded",
        ),
        sections.OVERDUE: ("Actions that became overdue", "last_update_date", "Last update", "None yet"),
        sections.NEW_ACTIONS: ("Actions opened between the two dates", "opened_on", "Opened", "Not recorded"),
    }[section]
    return sections.actions_table(
        frame,
        caption,
        link,
        status_header=status_header,
        date_column=date_column,
        date_header=date_header,
        no_date=no_date,
    )


@callback(
    Output({"type": Ids.FOLD, "section": MATCH}, "children"),
    Input({"type": Ids.FOLD_TOGGLE, "section": MATCH}, "n_clicks"),
    State({"type": Ids.FOLD_TOGGLE, "section": MATCH}, "id"),
    State(Ids.SCOPE, "data"),
    prevent_initial_call=True,
)
def show_folded_list(clicks, toggle_id, scope):
    """Fill in a folded list the first time it is opened (clicks, Enter and Space on its summary all
    count); later clicks only fold and unfold what is already there, so a long list is sent once."""
    section = sections.SECTIONS_BY_ANCHOR.get(toggle_id["section"])
    if clicks != 1 or section is None:
        return no_update
    try:
        with session_scope() as session:
            filters = parse_filters(scope, set(views.reference_view(session).district_names))
            view = views.changes_view(
                session,
                dt.date.fromisoformat(scope["since"]),
                dt.date.fromisoformat(scope["until"]),
                filters.district_list,
                include_restricted=sees_restricted(),
            )
    except DatabaseUnavailable as error:
        return database_unavailable(str(error))
    return _body(section, _frames(view)[section], view, lambda path: href(path, filters))


@callback(
    Output(ShellIds.URL, "search", allow_duplicate=True),
    Input(Ids.FROM, "value"),
    Input(Ids.TO, "value"),
    State(ShellIds.URL, "search"),
    prevent_initial_call=True,
)
def choose_dates(from_value, to_value, search):
    """Put the chosen dates in the link, keeping the filters; the page then shows them."""
    return compare_search(search, from_value, to_value)


def compare_search(search: str | None, from_value: str | None, to_value: str | None):
    """The link's query with both dates set (no_update until both are chosen, or when unchanged)."""
    if not from_value or not to_value:
        return no_update
    new_search = with_params(search, {FROM_PARAM: from_value, TO_PARAM: to_value})
    return no_update if new_search == (search or "") else new_search
