"""The presentation's layout called as a function: which slides there are, which one a link opens, and
what the slides say, on the demo and on partnerships unlike it."""

from __future__ import annotations

import pytest
from dash import dcc, html

from tests.busy_partnership import AS_AT as BUSY_AS_AT
from tests.busy_partnership import busy_partnership
from tests.callbacks.test_pages import text_of
from tests.serving import serving
from tests.workbooks import D, small_partnership, tracked_by_actions_only, with_rows

MEETING = "2024-09-12"
FAREHAM = "E07000087"
# On the demo's meeting of 12 September 2024, seven priorities were in force.
DEMO_PRIORITIES = 7


@pytest.fixture(scope="module")
def present(dashboard):
    from pages import present

    return present


def slides_of(deck) -> list[html.Section]:
    """The deck's slide sections, in order."""
    found = []

    def walk(component):
        if isinstance(component, html.Section) and isinstance(component.id, dict):
            found.append(component)
            return
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str | int | float):
                walk(child)

    walk(deck)
    return found


def said(component) -> str:
    """The text of a component's children, blanks (None) left out."""
    children = component.children if isinstance(component.children, list) else [component.children]
    return text_of([child for child in children if child is not None])


def shown(deck) -> tuple[int, html.Section]:
    """The one slide not hidden, and its position."""
    visible = [(i, slide) for i, slide in enumerate(slides_of(deck)) if not slide.hidden]
    assert len(visible) == 1
    return visible[0]


def graphs_of(component) -> list[dcc.Graph]:
    found = []

    def walk(node):
        if isinstance(node, dcc.Graph):
            found.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str | int | float):
                walk(child)

    walk(component)
    return found


def notices_text(deck) -> str:
    notices = next(child for child in deck.children if getattr(child, "id", None) == "present-notices")
    return "" if notices.hidden else said(notices)


# --- which slide a link opens --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (0, None)),
        ("", (0, None)),
        ("1", (0, None)),
        ("3", (2, None)),
        (" 10 ", (9, None)),
        (["4", "5"], (3, None)),  # a repeated parameter: the first counts
    ],
)
def test_a_slide_number_in_the_link_opens_that_slide(present, raw, expected):
    assert present.parse_slide(raw, 10) == expected


@pytest.mark.parametrize(
    ("raw", "notice"),
    [
        ("0", "There is no slide 0: this presentation has 10 slides. Showing the first slide."),
        ("11", "There is no slide 11: this presentation has 10 slides. Showing the first slide."),
        ("abc", "'abc' in the link is not a slide number; showing the first slide."),
        ("-2", "'-2' in the link is not a slide number; showing the first slide."),
        ("2.5", "'2.5' in the link is not a slide number; showing the first slide."),
        ("٣", "'٣' in the link is not a slide number; showing the first slide."),  # a digit, not ASCII
    ],
)
def test_a_bad_slide_number_opens_the_first_slide_with_a_notice(present, raw, notice):
    assert present.parse_slide(raw, 10) == (0, notice)


# --- the demo --------------------------------------------------------------------------------------------


def test_the_demo_has_title_summary_a_slide_per_priority_and_closing(present):
    deck = present.layout(as_at=MEETING)
    slides = slides_of(deck)
    assert len(slides) == 1 + 1 + DEMO_PRIORITIES + 1
    assert [slide.className.split()[-1] for slide in slides] == [
        "slide-title",
        "slide-summary",
        *["slide-priority"] * DEMO_PRIORITIES,
        "slide-closing",
    ]
    assert shown(deck)[0] == 0
    title = said(slides[0])
    assert "Hampshire Community Safety Strategy Group (demonstration data)" in title
    assert "Meeting: Hampshire Community Safety Strategy Group" in title  # 12 Sep 2024 was a meeting
    assert "As at 12 Sep 2024" in title and "Whole partnership" in title
    summary = said(slides[1])
    assert "Summary: 7 priorities in force" in summary
    for title in ("County lines and exploitation", "Serious violence, knife crime", "Modern slavery"):
        assert (title in summary) is (title != "Modern slavery")  # agreed in 2026
    assert slides[3].children[0].children[0].children == "2. Serious violence, knife crime"
    assert getattr(slides[2], "aria-label") == "Slide 3 of 10: 1. County lines and exploitation"


def test_a_priority_slide_has_rag_charts_in_headline_order_commentary_and_actions(present):
    from data_access import views
    from data_access.db import session_scope

    deck = present.layout(as_at="2026-11-12", slide="4")
    index, slide = shown(deck)
    assert index == 3
    text = said(slide)
    assert "2. Serious violence, knife crime" in text and "Red" in text
    assert "The board's commentary, 12 Nov 2026" in text
    assert "Actions: 1 overdue, 0 due soon" in text and "SV-08" in text
    graphs = graphs_of(slide)
    assert [graph.id for graph in graphs] == [
        {"type": "present-chart", "slide": 3, "chart": j} for j in range(3)
    ]
    with session_scope() as session:
        statuses = views.statuses_view(session, D(2026, 11, 12), None)
    headline = statuses.priorities.set_index("code").loc["serious-violence", "headline_indicator_code"]
    # The headline indicator comes first among the slide's charts.
    names = [text_of(figure.children[0]) for figure in _figures(slide)]
    assert names[0] == statuses.indicators.set_index("code").loc[headline, "name"]
    # Graphs start empty: the browser draws a slide's charts when it is shown.
    assert all(getattr(graph, "figure", None) is None for graph in graphs)
    figures = next(c for c in deck.children if getattr(c, "id", None) == "present-figures").data["figures"]
    assert len(figures[3]) == 3 and all(figure["data"] for figure in figures[3])
    assert figures[0] == [] and figures[1] == []


def _figures(slide) -> list[html.Figure]:
    found = []

    def walk(node):
        if isinstance(node, html.Figure):
            found.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str | int | float):
                walk(child)

    walk(slide)
    return found


def test_the_closing_slide_lists_overdue_actions_by_partner(present):
    deck = present.layout(as_at="2026-11-12")
    closing = said(slides_of(deck)[-1])
    assert "9 actions were overdue on 12 Nov 2026, owned by 8 partners." in closing
    assert "Hampshire County Council Children's Services" in closing and "CL-06" in closing
    assert "And 1 more partner with 1 overdue action." in closing


def test_the_priority_pages_link_opens_its_slide_and_keeps_the_filters(present):
    deck = present.layout(as_at=MEETING, district=FAREHAM, priority="serious-violence")
    index, slide = shown(deck)
    assert index == 3 and "Serious violence" in said(slide)
    assert notices_text(deck) == ""
    leave = next(c for c in deck.children if getattr(c, "className", "") == "deck-controls").children[0]
    assert leave.href == f"/?district={FAREHAM}&as_at={MEETING}"
    assert "Fareham" in said(slides_of(deck)[0])


def test_a_priority_not_in_force_opens_the_first_slide_with_a_notice(present):
    deck = present.layout(as_at=MEETING, priority="scarce-resources")
    assert shown(deck)[0] == 0
    assert (
        "The priority 'scarce-resources' has no slide: it was not in force on 12 Sep 2024."
        in notices_text(deck)
    )


def test_bad_link_values_each_get_a_notice(present):
    deck = present.layout(as_at="2024-13-45", district="NOPE", slide="99")
    assert shown(deck)[0] == 0
    notices = notices_text(deck)
    assert "District code 'NOPE'" in notices
    assert "'2024-13-45' in the link is not a date" in notices
    assert "There is no slide 99" in notices


def test_the_overview_and_priority_pages_link_to_the_presentation(dashboard):
    from pages import overview, priority

    def links(component) -> list[dcc.Link]:
        found = []

        def walk(node):
            if isinstance(node, dcc.Link):
                found.append(node)
            children = getattr(node, "children", None)
            for child in children if isinstance(children, list) else [children]:
                if child is not None and not isinstance(child, str | int | float):
                    walk(child)

        walk(component)
        return [
            link.href for link in found if isinstance(link.children, list) and link.children[0] == "Present"
        ]

    assert links(overview.layout(as_at=MEETING, district=FAREHAM)) == [
        f"/present?district={FAREHAM}&as_at={MEETING}"
    ]
    assert links(priority.layout(code="serious-violence", as_at=MEETING)) == [
        f"/present?as_at={MEETING}&priority=serious-violence"
    ]


# --- other partnerships ---------------------------------------------------------------------------------


def test_no_priorities_in_force_still_makes_a_deck(present, tmp_path):
    with serving(small_partnership(), tmp_path / "p.db"):
        deck = present.layout(as_at="2019-01-01")
    slides = slides_of(deck)
    assert len(slides) == 3  # title, summary, closing
    assert "No priorities were in force on 1 Jan 2019." in said(slides[1])
    assert "No action was overdue on 1 Jan 2019." in said(slides[2])


def test_a_priority_without_indicators_gets_a_slide_that_says_so(present, tmp_path):
    with serving(tracked_by_actions_only(), tmp_path / "p.db"):
        deck = present.layout(as_at="2025-01-15", priority="new")
    text = said(shown(deck)[1])
    assert "3. Cyfiawnder i Ynys Môn" in text
    assert "No indicators are recorded for this priority: it is tracked by its actions." in text
    assert "The board has not assessed this priority yet." in text
    assert "No open action is overdue or due soon." in text


def test_due_soon_runs_to_the_next_meeting_and_overdue_actions_are_named(present, tmp_path):
    # SV-01 (Shire Constabulary, at risk) is due on 31 Dec 2024.
    with_meeting = with_rows(
        small_partnership(), "meetings", [{"date": D(2025, 1, 9), "name": "Strategy Group"}]
    )
    with serving(small_partnership(), tmp_path / "p.db"):
        before = said(shown(present.layout(as_at="2024-12-01", slide="3"))[1])
    with serving(with_meeting, tmp_path / "q.db"):
        meeting = said(shown(present.layout(as_at="2024-12-01", slide="3"))[1])
        late = present.layout(as_at="2025-01-15")
    assert "Actions: 0 overdue, 0 due soon" in before  # beyond 28 days
    assert "Due soon: within 28 days, by 29 Dec 2024." in before
    assert "Actions: 0 overdue, 1 due soon" in meeting and "SV-01" in meeting
    assert "Due soon: by the next meeting, 9 Jan 2025." in meeting
    closing = said(slides_of(late)[-1])
    assert "1 action was overdue on 15 Jan 2025, owned by 1 partner." in closing
    assert "Shire Constabulary" in closing and "SV-01 Share A&E data (Cardiff model)" in closing


def test_fifteen_priorities_with_long_titles_fit_one_summary_slide(present, tmp_path):
    with serving(busy_partnership(15), tmp_path / "p.db"):
        deck = present.layout(as_at=BUSY_AS_AT.isoformat())
    slides = slides_of(deck)
    assert len(slides) == 1 + 1 + 15 + 1
    summary = slides[1]
    assert "rows-1-line" in str(summary.children[2].className)
    text = said(summary)
    assert text.count("Lleihau trais difrifol") == 15  # every title whole in the page, cut only on screen
    assert "Meeting: Bwrdd y Bartneriaeth" in said(slides[0])
    last = said(slides[-2])
    assert "No indicators are recorded for this priority" in last
    closing = said(slides[-1])
    assert "28 actions were overdue on 11 Sep 2025, owned by 12 partners." in closing
    assert "And 5 more partners with" in closing


def test_more_than_fifteen_priorities_share_the_summary_evenly(present, tmp_path):
    with serving(busy_partnership(16), tmp_path / "p.db"):
        deck = present.layout(as_at=BUSY_AS_AT.isoformat())
    slides = slides_of(deck)
    assert len(slides) == 1 + 2 + 16 + 1
    first, second = (said(slides[i]) for i in (1, 2))
    assert "Summary (1 of 2): 16 priorities in force" in first
    assert first.count("Lleihau trais difrifol") == 8 and second.count("Lleihau trais difrifol") == 8


def test_a_district_filter_shows_the_boards_rag_beside_its_commentary(present):
    deck = present.layout(as_at="2026-11-12", district=FAREHAM, slide="4")
    text = said(shown(deck)[1])
    assert "set by the board for the whole partnership." in text
    assert "Fareham" in text  # each chart's RAG is the district's own
