"""Page layouts and callbacks called as plain functions, on the demo partnership."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import plotly.io as pio
import pytest
from dash import no_update

from data_access import db
from domain.vocabulary import ActionStatus

FAREHAM, GOSPORT = "E07000087", "E07000088"
MEETING = "2024-09-12"


def text_of(component) -> str:
    """All the text a component (or list of them) renders, for assertions on what a user reads."""
    if isinstance(component, list):
        return " ".join(text_of(item) for item in component)
    return " ".join(_strings(json.loads(pio.to_json(component, validate=False, engine="json"))))


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for item in node for text in _strings(item)]
    if isinstance(node, dict):
        children = node.get("props", {}).get("children") if "props" in node else None
        return _strings(children) if children is not None else []
    return []


@pytest.fixture(scope="module")
def pages(dashboard):
    from pages import actions, districts, overview, priority

    return {"overview": overview, "priority": priority, "actions": actions, "districts": districts}


def test_overview_has_a_card_per_priority_in_force_in_order(pages):
    page = text_of(pages["overview"].layout(as_at="2024-09-12"))
    assert "Whole partnership, as at 12 Sep 2024." in page
    positions = [page.index(title) for title in ("County lines", "Serious violence", "Children")]
    assert positions == sorted(positions)
    assert "Scarce resources" not in page  # retired on 31 March 2020


def test_overview_before_2020_shows_the_2019_priorities(pages):
    page = text_of(pages["overview"].layout(as_at="2019-09-30"))
    assert "Serious violence" not in page  # agreed in 2020
    assert "8 priorities in force" in page.replace("\n", " ") or "8 priorities" in page


def test_unknown_district_in_the_link_is_ignored_not_an_error(pages):
    page = text_of(pages["overview"].layout(district=f"{FAREHAM},NOPE", as_at=MEETING))
    assert "Fareham, as at 12 Sep 2024." in page


def test_bad_date_in_the_link_falls_back_to_today(pages):
    page = text_of(pages["overview"].layout(as_at="2024-13-45"))
    assert f"as at {dt.date.today().day}" in page


def test_priority_page_shows_board_commentary_indicators_and_actions(pages):
    page = text_of(pages["priority"].layout(code="serious-violence", as_at="2026-11-21"))
    assert "Priority 2:" in page
    assert "set by the board on 12 Nov 2026" in page
    assert "Hospital admissions for assault with a sharp object" in page
    assert "Outstanding partner actions" in page


def test_unknown_priority_gets_a_not_found_page_with_a_way_back(pages):
    page = text_of(pages["priority"].layout(code="no-such-priority"))
    assert "Page not found" in page
    assert "no priority with the code 'no-such-priority'" in page
    assert "Back to the overview" in page


def test_retired_priority_says_it_was_not_in_force(pages):
    page = text_of(pages["priority"].layout(code="scarce-resources", as_at="2024-01-01"))
    assert "was not in force on 1 Jan 2024" in page


def test_action_history_callback(pages):
    history = pages["priority"].show_action_history([{"ref": "SV-08", "title": "T"}], "2026-11-21")
    assert "History of SV-08" in text_of(history)
    assert "Select an action" in text_of(pages["priority"].show_action_history([], "2026-11-21"))


def table_rows(component) -> list[list[str]]:
    """The body rows of the first table in a component, each a list of its cells' text."""
    tree = json.loads(pio.to_json(component, validate=False, engine="json"))
    bodies = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and "props" in node:
            if node.get("type") == "Tbody":
                bodies.append(node)
            walk(node["props"].get("children"))

    walk(tree)
    if not bodies:
        return []
    rows = bodies[0]["props"]["children"]
    return [
        [" ".join(_strings(cell["props"].get("children"))) for cell in row["props"]["children"]]
        for row in rows
    ]


def test_an_indicator_table_is_filled_in_when_opened_with_every_value_newest_first(pages):
    from data_access.db import session_scope
    from domain.formatting import format_number
    from tests import figures

    indicator, as_at = "violence-with-injury-rate", dt.date(2024, 9, 12)
    toggle = {"type": pages["priority"].Ids.TABLE_TOGGLE, "indicator": indicator}
    page = pages["priority"].layout(code="serious-violence", district=FAREHAM, as_at=MEETING)
    # The page itself sends no table rows: only the toggle and where the table will go.
    assert not table_rows(page) and "Loading the table" in text_of(page)

    scope = {"priority": "serious-violence", "districts": [FAREHAM]}
    rows = table_rows(pages["priority"].show_trend_table(1, toggle, MEETING, scope))

    with session_scope() as session:
        trend = figures.trend(session, as_at, "serious-violence", indicator, [FAREHAM])
        statuses = figures.indicator_statuses(session, as_at, "serious-violence", [FAREHAM])
    unit = statuses.loc[statuses["indicator_code"] == indicator, "unit"].iloc[0]
    newest = trend.iloc[::-1]
    assert len(rows) == len(trend) > 0
    assert [row[0] for row in rows] == newest["series_name"].tolist()
    assert {row[0] for row in rows} == {"Fareham", "Whole partnership"}
    assert [row[1] for row in rows] == newest["period_label"].tolist()
    assert [row[2] for row in rows] == [
        format_number(value, unit) if value == value else "–" for value in newest["value"]
    ]


def _nodes(tree) -> list[dict]:
    """Every component in a rendered tree, in document order, as plain JSON."""
    found, stack = [], [json.loads(pio.to_json(tree, validate=False, engine="json"))]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict) and "props" in node:
            found.append(node)
            stack.extend(reversed([v for v in node["props"].values() if isinstance(v, list | dict)]))
    return found


def _card_charts(page) -> list[tuple[str, str]]:
    """Each indicator card's chart box in order: (when the browser draws it, its indicator code)."""
    return [
        (node["props"]["data-draw"], node["props"]["data-chart"])
        for node in _nodes(page)
        if "data-chart" in node["props"]
    ]


def test_the_first_charts_are_drawn_with_the_page_and_the_rest_when_scrolled_to(pages, monkeypatch):
    """The browser draws every chart (assets/priority.js) from the figures in the page's store, one per
    card and in the cards' order: the first screen's with the page, the others as they near the window."""
    query = {"code": "serious-violence", "district": FAREHAM, "as_at": MEETING}
    first = pages["priority"].CHARTS_DRAWN_AT_ONCE
    page = pages["priority"].layout(**query)
    charts = _card_charts(page)
    assert len(charts) > first, "the demo priority needs more indicators than are drawn at once"
    assert [when for when, _ in charts] == ["with-page"] * first + ["when-near"] * (len(charts) - first)
    stores = [n for n in _nodes(page) if n["props"].get("id") == pages["priority"].Ids.CHARTS]
    figures = stores[0]["props"]["data"]["figures"]
    assert list(figures) == [code for _, code in charts]
    assert all(figure["data"] and figure["layout"]["height"] == 320 for figure in figures.values())

    monkeypatch.setattr(pages["priority"], "CHARTS_DRAWN_AT_ONCE", len(charts))
    every = pages["priority"].layout(**query)
    assert [when for when, _ in _card_charts(every)] == ["with-page"] * len(charts)
    stores = [n for n in _nodes(every) if n["props"].get("id") == pages["priority"].Ids.CHARTS]
    assert stores[0]["props"]["data"]["figures"] == figures


def test_an_indicator_table_is_left_alone_when_closed_and_unknown_ones_say_so(pages):
    toggle = {"type": pages["priority"].Ids.TABLE_TOGGLE, "indicator": "sharp-object-admissions"}
    scope = {"priority": "serious-violence", "districts": []}
    assert pages["priority"].show_trend_table(2, toggle, MEETING, scope) is no_update
    assert pages["priority"].show_trend_table(None, toggle, MEETING, scope) is no_update
    assert table_rows(pages["priority"].show_trend_table(3, toggle, MEETING, scope))

    elsewhere = {"priority": "county-lines", "districts": []}
    answer = text_of(pages["priority"].show_trend_table(1, toggle, MEETING, elsewhere))
    assert "no longer part of this priority" in answer


def test_actions_filters_and_counts(pages):
    scope = {"districts": [], "as_at": "2026-11-21"}
    open_statuses = ["on_track", "at_risk", "off_track", "not_started"]
    count, by_owner, grid_hidden, empty = pages["actions"].update_actions(
        "all", "all", open_statuses, False, scope
    )
    total = int(count.split()[0])
    overdue_count, *_ = pages["actions"].update_actions("all", "all", open_statuses, True, scope)
    overdue = int(overdue_count.split()[0])
    assert 0 < overdue < total
    assert f"{overdue} overdue" in count
    assert "Owner" in text_of(by_owner)
    assert grid_hidden is False and empty is None
    none_count, _, none_hidden, none_empty = pages["actions"].update_actions("all", "all", [], False, scope)
    assert none_count.startswith("0 actions") and none_hidden is True
    assert none_empty == "No actions match these filters."


def test_actions_grid_gets_each_page_it_asks_for(pages):
    """The grid asks for rows as the user pages, sorts, filters a column or searches (serve_rows)."""
    actions = pages["actions"]
    scope = {"districts": [], "as_at": "2026-11-21"}
    every = list(ActionStatus.codes())
    count, *_ = actions.update_actions("all", "all", every, False, scope)
    total = int(count.split()[0])
    request = {
        "startRow": 0,
        "endRow": 5,
        "sortModel": [{"colId": "due_date", "sort": "asc"}],
        "filterModel": {},
    }
    first, status = actions.serve_rows(request, "all", "all", every, False, None, scope)
    assert first["rowCount"] == total and len(first["rowData"]) == 5 and status == ""
    assert [row["due_date"] for row in first["rowData"]] == sorted(
        row["due_date"] for row in first["rowData"]
    )
    second, _ = actions.serve_rows(
        {**request, "startRow": 5, "endRow": 10}, "all", "all", every, False, None, scope
    )
    assert not {r["ref"] for r in first["rowData"]} & {r["ref"] for r in second["rowData"]}

    ref = first["rowData"][0]["ref"]
    found, status = actions.serve_rows(request, "all", "all", every, False, ref, scope)
    assert [row["ref"] for row in found["rowData"]] == [ref] and status == f'1 of these matches "{ref}".'
    filtered = {"district": {"filterType": "text", "type": "equals", "filter": "Partnership-wide"}}
    narrowed, status = actions.serve_rows(
        {**request, "filterModel": filtered}, "all", "all", every, False, None, scope
    )
    assert {row["district"] for row in narrowed["rowData"]} == {"Partnership-wide"}
    assert status.endswith("the column filters.")

    refused, status = actions.serve_rows(
        {**request, "sortModel": [{"colId": "secret", "sort": "asc"}]},
        "all",
        "all",
        every,
        False,
        None,
        scope,
    )
    assert refused == {"rowData": [], "rowCount": 0} and "'secret'" in status


def test_actions_download_is_formula_safe(pages):
    actions = pages["actions"].filtered_actions(
        {"districts": [], "as_at": "2026-11-21"}, "all", "all", ["on_track"], False
    )
    actions.loc[actions.index[0], "title"] = '=HYPERLINK("http://evil")'
    from data_access.exporter import csv_bytes

    text = csv_bytes(pages["actions"].download_frame(actions)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns)[:4] == ["ref", "priority_number", "priority", "action"]


def test_districts_matrix_links_each_cell_to_the_priority_for_that_district(pages):
    page = pages["districts"].layout(as_at=MEETING)
    rendered = json.dumps(json.loads(pio.to_json(page, validate=False, engine="json")))
    assert f"/priority/county-lines?district={FAREHAM}&as_at={MEETING}" in rendered
    assert "Fareham" in text_of(page)


def test_districts_matrix_cells_say_their_rating_and_what_they_are_in_words(pages):
    from domain.rag import RATING_WORDS

    page = json.loads(pio.to_json(pages["districts"].layout(as_at=MEETING), validate=False, engine="json"))
    links = []

    def collect(node):
        if isinstance(node, dict):
            if node.get("type") == "Link" and "/priority/" in node["props"].get("href", ""):
                links.append(node)
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(page)
    assert links
    for link in links:
        words = text_of(link)
        assert any(f" {word} " in f" {words} " for word in RATING_WORDS.values()) or words.startswith(
            "No data"
        )
        assert (
            " in " in words and link["props"]["title"] in words
        )  # the screen reader's label ends in the reason


def test_filter_sync_from_link_and_from_controls(dashboard):
    import shell

    names = {FAREHAM: "Fareham", GOSPORT: "Gosport"}
    meetings = {MEETING}
    search, districts, as_at, meeting, summary, notices = shell.apply_filter_change(
        None, f"?district={GOSPORT},XX&as_at={MEETING}", [], "", "", names=names, meeting_dates=meetings
    )
    assert (search, districts, as_at, meeting, summary) == (no_update, [GOSPORT], MEETING, MEETING, "Gosport")
    assert "District code 'XX'" in text_of(notices)

    search, districts, *_ = shell.apply_filter_change(
        shell.Ids.DISTRICTS,
        f"?as_at={MEETING}",
        [GOSPORT, FAREHAM],
        "",
        "",
        names=names,
        meeting_dates=meetings,
    )
    # The partnership's order, not the clicking order; the date is kept.
    assert search == f"?district={FAREHAM},{GOSPORT}&as_at={MEETING}"
    assert districts == [FAREHAM, GOSPORT]

    search, *_ = shell.apply_filter_change(
        shell.Ids.AS_AT,
        f"?district={FAREHAM}",
        [FAREHAM],
        "2025-01-31",
        "",
        names=names,
        meeting_dates=meetings,
    )
    assert search == f"?district={FAREHAM}&as_at=2025-01-31"
    search, *_ = shell.apply_filter_change(
        shell.Ids.CLEAR_DISTRICTS,
        f"?district={FAREHAM}&as_at=2025-01-31",
        [],
        "",
        "",
        names=names,
        meeting_dates=meetings,
    )
    assert search == "?as_at=2025-01-31"


def test_a_filter_change_keeps_the_pages_own_parameters(dashboard):
    import shell

    names = {FAREHAM: "Fareham", GOSPORT: "Gosport"}
    search, *_ = shell.apply_filter_change(
        shell.Ids.DISTRICTS,
        f"?slide=4&as_at={MEETING}&from=2024-06-13",
        [GOSPORT],
        "",
        "",
        names=names,
        meeting_dates={MEETING},
    )
    assert search == f"?district={GOSPORT}&as_at={MEETING}&slide=4&from=2024-06-13"


def test_unknown_paths_answer_404_and_pages_200(dashboard):
    client = dashboard.server.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/priority/county-lines?district=E07000087").status_code == 200
    assert client.get("/priority/no-such-priority").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/_dash-layout").status_code == 200


def test_pages_show_a_banner_when_the_database_is_down(pages, monkeypatch):
    monkeypatch.setattr(db, "_default_database_url", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    for module in pages.values():
        assert "cannot reach its database" in text_of(module.layout(code="county-lines"))


def test_a_chosen_districts_own_latest_figures_are_stated_in_words(pages):
    from domain.formatting import format_number
    from tests import figures

    page = text_of(pages["priority"].layout(code="serious-violence", district=FAREHAM, as_at="2026-11-21"))
    with db.session_scope() as session:
        fareham = figures.indicator_statuses(session, dt.date(2026, 11, 21), "serious-violence", [FAREHAM])
        whole = figures.indicator_statuses(session, dt.date(2026, 11, 21), "serious-violence")
    with_values = fareham[fareham["latest_period"].notna()]
    assert not with_values.empty
    for row in with_values.to_dict("records"):
        # The district's value, its period and its reason are all in the page's words, not only a chart.
        assert format_number(row["latest_value"], row["unit"]) in page
        assert row["latest_period_label"] in page
        assert row["reason"] in page
    for row in whole[whole["latest_period"].notna()].to_dict("records"):
        assert format_number(row["latest_value"], row["unit"]) in page  # the partnership, for context
    assert "Whole partnership" in page and "(for context)" in page


def test_overview_cards_follow_the_chosen_districts(pages):
    whole = text_of(pages["overview"].layout(as_at="2026-11-21"))
    fareham = text_of(pages["overview"].layout(district=FAREHAM, as_at="2026-11-21"))
    assert "(whole partnership):" in whole
    assert "(Fareham):" in fareham and "(whole partnership):" not in fareham


@pytest.fixture
def uncached_views():
    """Views read afresh: these tests break a query, which a view cached earlier would hide."""
    from data_access.cache import VIEWS

    VIEWS.clear()
    yield
    VIEWS.clear()


def test_a_page_that_fails_says_so_and_logs_the_traceback(pages, monkeypatch, caplog, uncached_views):
    from data_access import progress

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug the generative tests did not find")

    monkeypatch.setattr(progress, "priority_statuses_at", broken)
    with caplog.at_level("ERROR"):
        page = text_of(pages["overview"].layout(as_at=MEETING))
    assert "This page could not be shown" in page
    assert "ZeroDivisionError" in caplog.text and "overview" in caplog.text


def test_header_titles_and_downloads_use_the_partnerships_own_name(pages, monkeypatch, uncached_views):
    import shell
    from data_access import queries
    from data_access.cache import VIEWS
    from pages import _common

    welsh = queries.PartnershipIdentity(
        name="Partneriaeth Diogelwch Cymunedol Ynys Môn", short_name="Ynys Môn CSP"
    )
    monkeypatch.setattr(queries, "partnership_identity", lambda _session: welsh)
    assert "Partneriaeth Diogelwch Cymunedol Ynys Môn" in text_of(shell.layout())
    assert _common.page_title("Overview") == "Overview – Ynys Môn CSP"
    scope = {"districts": [], "as_at": "2026-11-21", "partnership": welsh.short_name}
    assert (
        pages["actions"].download_file_name(scope, "csv")
        == "ynys-mon-csp-partner-actions-as-at-2026-11-21.csv"
    )

    monkeypatch.setattr(queries, "partnership_identity", lambda _session: None)
    VIEWS.clear()
    header = text_of(shell.layout())
    assert "Community safety priorities" in header and "no partnership name has been imported yet" in header
    assert _common.page_title("Overview") == "Overview – community safety priorities"


def test_the_header_and_filters_render_even_when_reading_the_partnership_fails(
    dashboard, monkeypatch, caplog, uncached_views
):
    import shell
    from data_access import queries

    def schema_not_ready(_session):
        raise RuntimeError("no such table: districts")  # as while a returning database is prepared

    monkeypatch.setattr(queries, "district_names", schema_not_ready)
    with caplog.at_level("ERROR"):
        frame = text_of(shell.layout())
    assert "Overview" in frame and "Districts" in frame  # the navigation is there
    assert "cannot reach its database" in frame
    assert "no such table" in caplog.text


def _chart_starts(page) -> list[str]:
    """The first period end each chart of a priority page plots, drawn or waiting in the store."""
    figures = [figure for kind, figure in _card_charts(page) if kind == "drawn"]
    stores = [n for n in _nodes(page) if n["props"].get("id") == "priority-charts"]
    figures += list(stores[0]["props"]["data"]["figures"].values())
    return [min(x for trace in figure["data"] for x in trace.get("x", [])) for figure in figures]


def _span_choice(page) -> list[tuple[str, str | None]]:
    """The span links in order: (label, href), href None for the span shown (marked aria-current)."""
    nodes = _nodes(page)
    start = next(i for i, n in enumerate(nodes) if "span-choice" in n["props"].get("className", ""))
    choices = []
    for node in nodes[start : start + 6]:  # the nav, its label, the group and the three choices
        if node["props"].get("aria-current") == "true":
            choices.append((node["props"]["children"], None))
        elif node["type"] == "Link":
            choices.append((node["props"]["children"], node["props"]["href"]))
    return choices


def test_trend_charts_reach_back_five_years_unless_the_link_asks_for_more(pages):
    query = {"code": "serious-violence", "district": FAREHAM, "as_at": "2026-11-21"}
    recent = pages["priority"].layout(**query)
    assert min(_chart_starts(recent)) >= "2021-11-21"
    every = pages["priority"].layout(**query, years="all")
    assert min(_chart_starts(every)) < "2019-01-01"  # the demo's values start in 2018
    # Each link keeps the page's districts and date; the span shown is marked, not linked.
    assert _span_choice(recent) == [
        ("Last 5 years", None),
        ("Last 10 years", f"/priority/serious-violence?district={FAREHAM}&as_at=2026-11-21&years=10"),
        ("All years", f"/priority/serious-violence?district={FAREHAM}&as_at=2026-11-21&years=all"),
    ]
    assert _span_choice(every)[0] == (
        "Last 5 years",
        f"/priority/serious-violence?district={FAREHAM}&as_at=2026-11-21",
    )
    assert _span_choice(every)[2] == ("All years", None)


def test_an_unknown_span_in_the_link_says_so_and_shows_five_years(pages):
    page = pages["priority"].layout(code="serious-violence", as_at="2026-11-21", years="forever")
    assert "'forever' in the link is not a span of years the charts know" in text_of(page)
    assert _span_choice(page)[0] == ("Last 5 years", None)
    assert min(_chart_starts(page)) >= "2021-11-21"
    quiet = pages["priority"].layout(code="serious-violence", as_at="2026-11-21", years="ALL")
    assert "not a span of years" not in text_of(quiet)


def test_an_indicator_table_covers_the_years_its_chart_shows(pages):
    toggle = {"type": pages["priority"].Ids.TABLE_TOGGLE, "indicator": "violence-with-injury-rate"}
    scope = {"priority": "serious-violence", "districts": [], "span": "5"}
    recent = table_rows(pages["priority"].show_trend_table(1, toggle, "2026-11-21", scope))
    every = table_rows(pages["priority"].show_trend_table(1, toggle, "2026-11-21", scope | {"span": "all"}))
    assert 0 < len(recent) < len(every)
    assert recent == every[: len(recent)]  # newest first: the recent rows are the whole history's first
