"""Presentation mode: the chosen districts and date as full-screen slides for a board meeting.

Slides: a title, a summary of every priority in force, one per priority, and overdue actions by partner.
All slides are sent at once and moving between them happens in the browser (assets/present.js and its
clientside callback), so a key press never waits on the server; a slide's charts are drawn when it is
first shown. The slide number is kept in the URL (``?slide=3``, filters kept), so a reload or a shared
link opens the same slide. The shell's header, filter bar and footer are hidden on this page
(assets/present.css), and the deck fills the screen: nothing scrolls at 1280x720 or 1920x1080.
"""

from __future__ import annotations

from enum import StrEnum

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

from components.charts import trend_rows, trend_rows_by_indicator
from components.feedback import notices
from components.filters import Filters, href
from components.slides import (
    Slide,
    SlideChart,
    closing_slide,
    priority_slide,
    summary_slides,
    title_slide,
)
from data_access import views
from data_access.db import session_scope
from domain.formatting import format_date
from pages._common import PRODUCT_NAME, guarded_layout, page_filters, page_title, sees_restricted

dash.register_page(
    __name__, path="/present", name="Present", title=lambda: page_title("Presentation"), order=5
)

SLIDE_PARAM = "slide"
PRIORITY_PARAM = "priority"  # the priority page's "Present" link opens that priority's slide


class Ids(StrEnum):
    DECK = "present-deck"
    SLIDE = "present-slide"  # {"type": SLIDE, "index": i}, one section a slide
    CHART = "present-chart"  # {"type": CHART, "slide": i, "chart": j}
    CURRENT = "present-current"  # the slide shown, from 0
    FIGURES = "present-figures"  # every slide's figures and titles, drawn as each slide is first shown
    KEY = "present-key"  # written by assets/present.js on each key press
    REDRAW = "present-redraw"  # written by assets/present.js when the screen changes size
    PREVIOUS = "present-previous"
    NEXT = "present-next"
    COUNTER = "present-counter"
    LIVE = "present-live"
    NOTICES = "present-notices"
    FULLSCREEN = "present-fullscreen"
    LEAVE = "present-leave"


@guarded_layout
def layout(district=None, as_at=None, slide=None, priority=None, **_other_query):
    with session_scope() as session:
        filters, today = page_filters(session, district=district, as_at=as_at)
        as_at_date = filters.as_at_or(today)
        reference = views.reference_view(session)
        view = views.presentation_view(
            session, as_at_date, filters.district_list, include_restricted=sees_restricted()
        )
    as_at_text = format_date(as_at_date) + (" (today)" if as_at_date == today else "")
    names = reference.district_names
    deck = build_slides(
        view,
        partnership=reference.identity.name if reference.identity else PRODUCT_NAME,
        as_at_text=as_at_text,
        district_names=[names[code] for code in filters.districts],
    )
    codes = [code for code, _ in deck]
    if slide in (None, "") and priority:
        current, notice = slide_of_priority(priority, codes, as_at_text)
    else:
        current, notice = parse_slide(slide, len(deck))
    return _deck([built for _, built in deck], current, filters, [*filters.notices, *filter(None, [notice])])


def build_slides(
    view: views.PresentationView, *, partnership: str, as_at_text: str, district_names: list[str]
) -> list[tuple[str | None, Slide]]:
    """Every slide in order, each with the code of the priority it presents (None for the others).

    Graphs are named slide by slide (``chart_id``) and left empty: the browser draws a slide's
    figures when it is shown (assets/present.js), so opening the deck draws three charts, not forty.
    """
    statuses = view.statuses.priorities
    slides: list[tuple[str | None, Slide]] = [
        (
            None,
            title_slide(
                partnership=partnership,
                meeting_name=view.meeting_name,
                as_at_text=as_at_text,
                district_names=district_names,
            ),
        ),
        *((None, summary) for summary in summary_slides(statuses, as_at_text)),
    ]
    # The charted indicators' rows of the view's frames as plain rows once for the deck, not a frame per
    # chart: a large partnership's deck has three dozen charts, of its 400 indicators.
    charted = set(view.charts["indicator_code"])
    definitions = view.statuses.indicators
    indicators = {
        row["code"]: {key: value for key, value in row.items() if key != "code"}
        for row in definitions[definitions["code"].isin(charted)].to_dict("records")
    }
    indicator_statuses: dict[str, list[dict]] = {}
    for row in view.statuses.indicator_statuses_of(charted).to_dict("records"):
        indicator_statuses.setdefault(row["indicator_code"], []).append(row)
    trends = trend_rows_by_indicator(view.trends)
    no_trend = trend_rows(view.trends.iloc[0:0])
    charts = view.charts.groupby("priority_code", sort=False)["indicator_code"].agg(list).to_dict()
    actions = dict(tuple(view.actions.groupby("priority_code", sort=False)))
    no_actions = view.actions.iloc[0:0]
    for status in statuses.to_dict("records"):
        code = status["code"]
        index = len(slides)
        slide_charts = [
            SlideChart(
                indicator=indicators[indicator_code],
                statuses=indicator_statuses[indicator_code],
                trend=trends.get(indicator_code, no_trend),
            )
            for indicator_code in charts.get(code, [])
        ]
        slides.append(
            (
                code,
                priority_slide(
                    status,
                    slide_charts,
                    actions.get(code, no_actions),
                    due_soon_until=view.due_soon_until,
                    by_meeting=view.next_meeting is not None,
                    chart_id=lambda j, i=index: {"type": Ids.CHART, "slide": i, "chart": j},
                ),
            )
        )
    slides.append((None, closing_slide(view.actions, as_at_text)))
    return slides


def parse_slide(raw, count: int) -> tuple[int, str | None]:
    """The slide to show (from 0) for the link's ``slide`` (from 1), and a notice when it was not usable."""
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    text = (raw or "").strip()
    if not text:
        return 0, None
    if not (text.isascii() and text.isdigit()):
        return 0, f"'{text}' in the link is not a slide number; showing the first slide."
    number = int(text)
    if not 1 <= number <= count:
        return (
            0,
            f"There is no slide {number}: this presentation has {count} slides. Showing the first slide.",
        )
    return number - 1, None


def slide_of_priority(code: str, slide_codes: list[str | None], as_at_text: str) -> tuple[int, str | None]:
    """The slide presenting the priority ``code``, or the first slide with a notice when it has none."""
    if code in slide_codes:
        return slide_codes.index(code), None
    return 0, (
        f"The priority '{code}' has no slide: it was not in force on {as_at_text}. Showing the first slide."
    )


def _deck(slides: list[Slide], current: int, filters: Filters, messages: list[str]) -> html.Div:
    count = len(slides)
    titles = [slide.title for slide in slides]
    return html.Div(
        [
            html.H1(f"Presentation: {slides[0].title}", className="visually-hidden"),
            html.Div(notices(messages), id=Ids.NOTICES, className="deck-notices", hidden=not messages),
            html.Div(
                [
                    html.Section(
                        slide.body,
                        id={"type": Ids.SLIDE, "index": index},
                        className=f"slide slide-{slide.kind}",
                        hidden=index != current,
                        **{"aria-roledescription": "slide", "aria-label": _label(index, count, slide.title)},
                    )
                    for index, slide in enumerate(slides)
                ],
                className="deck-slides",
            ),
            html.Nav(
                [
                    dcc.Link(
                        [html.Span("\u2190 ", **{"aria-hidden": "true"}), "Leave presentation"],
                        href=href("/", filters),
                        id=Ids.LEAVE,
                        className="deck-button",
                    ),
                    html.Button(
                        "Full screen",
                        id=Ids.FULLSCREEN,
                        type="button",
                        className="deck-button",
                        **{"aria-pressed": "false"},
                    ),
                    html.P(f"Slide {current + 1} of {count}", id=Ids.COUNTER, className="deck-counter"),
                    html.Button(
                        [html.Span("\u25c0 ", **{"aria-hidden": "true"}), "Previous"],
                        id=Ids.PREVIOUS,
                        type="button",
                        className="deck-button",
                        **{"aria-disabled": _disabled(current == 0)},
                    ),
                    html.Button(
                        ["Next", html.Span(" \u25b6", **{"aria-hidden": "true"})],
                        id=Ids.NEXT,
                        type="button",
                        className="deck-button deck-next",
                        **{"aria-disabled": _disabled(current == count - 1)},
                    ),
                ],
                className="deck-controls",
                **{"aria-label": "Presentation"},
            ),
            # Says which slide has arrived; empty at first, so loading the page does not announce one.
            html.P(
                id=Ids.LIVE, className="visually-hidden", **{"aria-live": "polite", "aria-atomic": "true"}
            ),
            dcc.Store(id=Ids.CURRENT, data=current),
            dcc.Store(
                id=Ids.FIGURES,
                data={
                    "labels": [_label(index, count, title) for index, title in enumerate(titles)],
                    "figures": [list(slide.figures) for slide in slides],
                },
            ),
            dcc.Store(id=Ids.KEY),
            dcc.Store(id=Ids.REDRAW),
        ],
        id=Ids.DECK,
        className="slide-deck",
    )


def _label(index: int, count: int, title: str) -> str:
    return f"Slide {index + 1} of {count}: {title}"


def _disabled(disabled: bool) -> str:
    # aria-disabled, not disabled: a disabled button would drop the keyboard focus of whoever pressed it.
    return "true" if disabled else "false"


# Moving between slides and drawing their charts happen in the browser (assets/present.js).
clientside_callback(
    ClientsideFunction(namespace="present", function_name="move"),
    Output(Ids.CURRENT, "data"),
    Output({"type": Ids.SLIDE, "index": ALL}, "hidden"),
    Output(Ids.COUNTER, "children"),
    Output(Ids.LIVE, "children"),
    Output(Ids.NOTICES, "hidden"),
    Output(Ids.PREVIOUS, "aria-disabled"),
    Output(Ids.NEXT, "aria-disabled"),
    Input(Ids.PREVIOUS, "n_clicks"),
    Input(Ids.NEXT, "n_clicks"),
    Input(Ids.KEY, "data"),
    State(Ids.CURRENT, "data"),
    State(Ids.FIGURES, "data"),
)
clientside_callback(
    ClientsideFunction(namespace="present", function_name="draw"),
    Output({"type": Ids.CHART, "slide": ALL, "chart": ALL}, "figure"),
    Input(Ids.CURRENT, "data"),
    Input(Ids.REDRAW, "data"),
    State(Ids.FIGURES, "data"),
)
