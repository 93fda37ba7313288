"""The board pack PDF, printed by the real headless Chromium and read back with pypdf: what a board member
reads (cover, contents, every priority, RAG words, overdue actions, changes, a footer on every page) and
what a screen reader needs (tagged, language, title, charts with a text alternative, real text)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re

import pandas as pd
import pytest
from dash import no_update
from pypdf import PdfReader

from benchmarks.browser import CHROMIUM
from printing.chromium import ChromiumPrinter, destination_pages
from tests.callbacks.test_pages import text_of
from tests.serving import serving
from tests.workbooks import SUMMER_MEETING, changes_between_meetings, frame

D = dt.date
FAREHAM, GOSPORT = "E07000087", "E07000088"
SCRIPT = "<script>alert('pack')</script>"
MARKUP = "<b>bold</b> & <i>italic</i>"


@pytest.fixture(scope="module", autouse=True)
def chromium_installed():
    """These tests print with the real browser: say how to install it rather than fail obscurely."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The board pack tests need {CHROMIUM}: install it with `sudo scripts/install_browser.sh`."
        )


@pytest.fixture(scope="module")
def board_pack(dashboard):
    from pages import _board_pack

    return _board_pack


class Pack:
    """A printed pack: its bytes, the pypdf reader and each page's text with whitespace collapsed."""

    def __init__(self, pdf: bytes):
        self.pdf = pdf
        self.reader = PdfReader(io.BytesIO(pdf))
        self.pages = [" ".join(page.extract_text().split()) for page in self.reader.pages]
        self.text = " ".join(self.pages)

    def section(self, heading: str, next_heading: str | None = None) -> str:
        """The text from one heading to the next, or to the end (first occurrences after the contents)."""
        body = " ".join(self.pages[2:])
        start = body.index(heading)
        return body[start : body.index(next_heading, start) if next_heading else None]


def downloaded(board_pack, as_at: str, districts: list[str]) -> tuple[Pack, dict]:
    """The pack the download callback sends, as the browser would save it."""
    download, status = board_pack.download_board_pack(1, {"districts": districts, "as_at": as_at})
    assert download["filename"].endswith(".pdf"), status
    return Pack(base64.b64decode(download["content"])), download


@pytest.fixture(scope="module")
def demo(board_pack):
    return downloaded(board_pack, "2026-11-12", [])


@pytest.fixture(scope="module")
def demo_districts(board_pack):
    return downloaded(board_pack, "2024-09-12", [FAREHAM, GOSPORT])[0]


def image_objects(reader: PdfReader) -> list[str]:
    """Every raster image drawn on any page, looking inside form XObjects too."""
    found = []

    def visit(resources) -> None:
        for _, reference in (resources or {}).get("/XObject", {}).items():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append(str(reference))
            elif xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def figures(reader: PdfReader) -> list[tuple[str, bool]]:
    """(text alternative, has content) of every /Figure with an /Alt in the structure tree."""
    result = []

    def visit(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Figure" and "/Alt" in node:
            result.append((str(node["/Alt"]), "/K" in node))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            visit(kid)

    visit(reader.trailer["/Root"]["/StructTreeRoot"])
    return result


def assert_footer_on_every_page(pack: Pack, footer: str) -> None:
    count = len(pack.pages)
    for number, page in enumerate(pack.pages, start=1):
        assert footer in page, f"page {number}"
        assert f"Page {number} of {count}" in page, f"page {number}"


def assert_tagged(pack: Pack, title: str) -> None:
    root = pack.reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert pack.reader.metadata.title == title


# ---------------------------------------------------------------------------------------------------------
# The demo partnership


def test_the_cover_gives_partnership_meeting_date_districts_and_when_it_was_made(demo):
    pack, download = demo
    cover = pack.pages[0]
    assert "Hampshire Community Safety Strategy Group (demonstration data)" in cover
    assert "Meeting Hampshire Community Safety Strategy Group" in cover
    assert "As at 12 Nov 2026" in cover
    assert "Districts Whole partnership" in cover
    assert re.search(r"Generated \d{1,2} \w{3} \d{4} at \d\d:\d\d (GMT|BST)", cover)
    assert download["filename"] == "hampshire-cssg-demo-board-pack-as-at-2026-11-12.pdf"


def test_every_priority_in_force_has_a_section_with_its_rag_word_and_symbol(demo, dashboard):
    from data_access import views
    from data_access.db import session_scope

    pack, _ = demo
    with session_scope() as session:
        statuses = views.statuses_view(session, D(2026, 11, 12), None, include_restricted=True).priorities
    assert len(statuses) == 8
    for status in statuses.to_dict("records"):
        heading = f"Priority {status['number']}: {status['title']}"
        assert heading in pack.text
        symbol = {"red": "✖", "amber": "▲", "green": "✔"}[status["rating"]]
        assert f"{symbol} {status['rating_word']} {status['reason']}" in pack.section(
            heading, "Board commentary"
        )
    summary = pack.section("Summary of priorities", "Priority 1:")
    assert "✖ Red" in summary and "▲ Amber" in summary and "✔ Green" in summary


def test_an_overdue_action_is_flagged_in_words_with_owner_due_date_and_status(demo):
    pack, _ = demo
    # CL-08 was due on 30 Sep 2026 and is off track: overdue at the November meeting.
    priority_1 = pack.section("Priority 1:", "Priority 2:")
    row = priority_1[priority_1.index("CL-08") :][:400]
    assert "Rushmoor county lines problem-solving plan" in row
    assert "Rushmoor Borough Council" in row
    assert "30 Sep 2026 overdue" in row and "Off track" in row and "✖ Overdue" in row


def test_the_contents_page_numbers_are_where_each_section_starts(demo):
    pack, _ = demo
    pages = destination_pages(pack.pdf)
    assert set(pages) == {"summary", "changes", *(f"priority-{n}" for n in range(1, 9))}
    contents = pack.pages[1]
    assert f"Summary of priorities {pages['summary']}" in contents
    assert f"Changes since the last meeting {pages['changes']}" in contents
    assert "Summary of priorities" in pack.pages[pages["summary"] - 1]
    assert "Changes since the last meeting" in pack.pages[pages["changes"] - 1]
    for number in range(1, 9):
        page = pages[f"priority-{number}"]
        assert f"Priority {number}:" in pack.pages[page - 1]
        assert f"Priority {number}:" not in pack.pages[page - 2]  # it starts there
        assert re.search(rf"Priority {number}: [^:]*? {page}( |$)", contents)


def test_every_page_footer_carries_the_filters_and_its_page_number(demo):
    pack, _ = demo
    assert len(pack.pages) > 20
    assert_footer_on_every_page(
        pack, "Hampshire CSSG (demo) board pack · Whole partnership · as at 12 Nov 2026"
    )


def test_the_pdf_is_tagged_with_language_and_title_for_screen_readers(demo):
    pack, _ = demo
    assert_tagged(
        pack, "Board pack: Hampshire Community Safety Strategy Group (demonstration data), as at 12 Nov 2026"
    )
    outline_titles = [item.title for item in pack.reader.outline if not isinstance(item, list)]
    assert "Summary of priorities" in outline_titles
    assert "Changes since the last meeting" in outline_titles


def test_charts_are_vector_drawings_with_a_text_alternative_and_a_caption(demo, dashboard):
    from data_access import views
    from data_access.db import session_scope

    pack, _ = demo
    assert image_objects(pack.reader) == []
    with session_scope() as session:
        trends = views.board_pack_view(session, D(2026, 11, 12), None, include_restricted=True).trends
        indicators = views.statuses_view(session, D(2026, 11, 12), None, include_restricted=True).indicators
    with_values = trends[trends["value"].notna()]["indicator_code"].unique()
    names = indicators.set_index("code").loc[with_values, "name"]
    # A chart for each indicator with values, each drawn (it has content) and named.
    assert sorted(figures(pack.reader)) == sorted(
        (f"Trend chart of {name}, described below.", True) for name in names
    )
    assert len(names) > 25
    # The chart's own text is real text: its target label and tick labels.
    priority_1 = pack.section("Priority 1:", "Priority 2:")
    assert "Target 400" in priority_1 and "Q2 2026/27" in priority_1
    # The caption: the chart's description in words.
    assert (
        "Partner intelligence reports to the Constabulary, whole partnership: 512 in July to September 2026"
        in priority_1
    )


def test_the_changes_since_the_last_meeting_are_listed(demo):
    pack, _ = demo
    changes = pack.section("Changes since the last meeting")
    assert (
        "between Hampshire Community Safety Strategy Group on 10 Sep 2026 and Hampshire Community Safety"
        in changes
    )
    overdue = pack.section("Actions that became overdue", "New actions")
    assert "CL-08" in overdue and "MH-11" in overdue


def test_districts_chosen_are_on_the_cover_in_every_footer_and_in_each_indicators_figures(demo_districts):
    pack = demo_districts
    assert "Districts Fareham and Gosport" in pack.pages[0]
    assert "None held on this date" not in pack.pages[0]  # 12 Sep 2024 was a meeting
    assert_footer_on_every_page(
        pack, "Hampshire CSSG (demo) board pack · Fareham and Gosport · as at 12 Sep 2024"
    )
    summary = pack.section("Summary of priorities", "Priority 1:")
    assert "Board's assessment" in summary
    assert "Whole partnership (for context)" in pack.text
    assert image_objects(pack.reader) == []


# ---------------------------------------------------------------------------------------------------------
# A partnership unlike the demo


def odd_partnership() -> dict[str, pd.DataFrame]:
    """Fifteen priorities (Welsh names, a very long title, markup in a title), one with no indicators or
    actions, three districts, no meetings; workbook text holding <script> and HTML throughout."""
    titles = [
        "Lleihau troseddau treisgar difrifol",
        f"Cam-drin domestig {MARKUP}",
        "Diogelwch ar y ffyrdd: " + "gwella diogelwch pob defnyddiwr ffordd ym mhob cymuned wledig " * 3,
        *(f"Blaenoriaeth {n}: cymunedau diogel yng Ngwynedd a Môn" for n in range(4, 15)),
        "Caethwasiaeth fodern (dim dangosyddion eto)",
    ]
    priorities = [
        {"code": f"p{n}", "number": n, "title": title, "valid_from": D(2023, 4, 1)}
        for n, title in enumerate(titles, start=1)
    ]
    districts = [("YM", "Ynys Môn"), ("CW", "Conwy"), ("GW", "Gwynedd")]
    months = [D(2023 + (m // 12), m % 12 + 1, 1) for m in range(3, 20)]  # Apr 2023 to Aug 2024
    values = [
        {"indicator": "assaults", "period": month, "district": code, "value": 10 + i + k}
        for i, month in enumerate(months)
        for k, (code, _) in enumerate(districts)
    ] + [
        # Rolling years published each quarter, as ONS publishes recorded crime.
        {"indicator": "crime-rate", "period": start, "value": rate}
        for start, rate in ((D(2022, 7, 1), 61.0), (D(2022, 10, 1), 60.2), (D(2023, 7, 1), 58.4))
    ]
    return {
        "partnership": frame(
            "partnership", [{"name": f"Partneriaeth Ynys Môn {SCRIPT}", "short_name": "Ynys Môn CSP"}]
        ),
        "districts": frame("districts", [{"code": code, "name": name} for code, name in districts]),
        "partners": frame(
            "partners",
            [
                {"code": "HGC", "name": "Heddlu Gogledd Cymru"},
                {"code": "CSYM", "name": f"Cyngor Sir Ynys Môn {MARKUP}"},
            ],
        ),
        "priorities": frame("priorities", priorities),
        "indicators": frame(
            "indicators",
            [
                {
                    "code": "assaults",
                    "priority": "p1",
                    "name": f"Ymosodiadau {SCRIPT}",
                    "unit": "count",
                    "good_direction": "down",
                    "frequency": "month",
                    "target": 40,
                    "source": f"Heddlu {MARKUP}",
                },
                {
                    "code": "crime-rate",
                    "priority": "p2",
                    "name": "Cyfradd troseddau fesul 1,000",
                    "unit": "rate",
                    "good_direction": "down",
                    "frequency": "year",
                },
            ],
        ),
        "indicator_values": frame("indicator_values", values),
        "actions": frame(
            "actions",
            [
                {
                    "ref": "YM-01",
                    "priority": "p1",
                    "title": f"Cynllun gweithredu {SCRIPT}",
                    "owner": "CSYM",
                    "district": "YM",
                    "due_date": D(2024, 6, 30),
                    "status": "on_track",
                },
                {
                    "ref": "YM-02",
                    "priority": "p2",
                    "title": "Hyfforddiant staff",
                    "owner": "HGC",
                    "due_date": D(2025, 3, 31),
                    "status": "not_started",
                },
            ],
        ),
        "action_updates": frame(
            "action_updates",
            [{"ref": "YM-01", "date": D(2024, 5, 1), "status": "at_risk", "commentary": f"Oedi {MARKUP}"}],
        ),
        "assessments": frame(
            "assessments",
            [{"priority": "p1", "date": D(2024, 10, 1), "rag": "red", "commentary": f"Pryder {SCRIPT}"}],
        ),
    }


@pytest.fixture(scope="module")
def odd(board_pack, tmp_path_factory):
    with serving(odd_partnership(), tmp_path_factory.mktemp("odd") / "odd.db"):
        pdf, file_name = board_pack.make_board_pack(D(2024, 12, 1), [], include_restricted=False)
    return Pack(pdf), file_name


def test_an_odd_partnership_prints_every_priority_and_says_what_it_lacks(odd):
    pack, file_name = odd
    for title in odd_partnership()["priorities"]["title"]:
        assert " ".join(title.split()) in pack.text
    assert "Meeting None held on this date" in pack.pages[0]
    assert "Fewer than two meetings had been held by 1 Dec 2024" in pack.text
    last = pack.section("Priority 15:", "Changes since the last meeting")
    assert "No indicators are recorded for this priority" in last and "0 open actions" in last
    assert file_name == "ynys-mon-csp-board-pack-as-at-2024-12-01.pdf"


def test_workbook_text_with_script_and_markup_is_printed_as_the_characters_typed(odd):
    pack, _ = odd
    assert f"Partneriaeth Ynys Môn {SCRIPT}" in pack.pages[0]
    for text in (
        f"Ymosodiadau {SCRIPT}",
        f"Cynllun gweithredu {SCRIPT}",
        f"Pryder {SCRIPT}",
        f"Oedi {MARKUP}",
    ):
        assert text in pack.text
    assert f"Cyngor Sir Ynys Môn {MARKUP}" in pack.text
    assert f"Heddlu {MARKUP}" in pack.text


def test_the_odd_partnerships_pack_has_footers_tags_vector_charts_and_its_overdue_action(odd):
    pack, _ = odd
    assert_footer_on_every_page(pack, "Ynys Môn CSP board pack · Whole partnership · as at 1 Dec 2024")
    assert_tagged(pack, f"Board pack: Partneriaeth Ynys Môn {SCRIPT}, as at 1 Dec 2024")
    assert image_objects(pack.reader) == []
    assert [alt for alt, _ in figures(pack.reader)] == [
        f"Trend chart of Ymosodiadau {SCRIPT}, described below.",
        "Trend chart of Cyfradd troseddau fesul 1,000, described below.",
    ]
    priority_1 = pack.section("Priority 1:", "Priority 2:")
    assert "YM-01" in priority_1 and "30 Jun 2024 overdue" in priority_1 and "✖ Overdue" in priority_1
    assert "year ending Jun 2024" in pack.section("Priority 2:", "Priority 3:")


def test_the_changes_section_lists_what_changed_between_the_two_meetings(board_pack, tmp_path):
    with serving(changes_between_meetings(), tmp_path / "changes.db"):
        pdf, _ = board_pack.make_board_pack(SUMMER_MEETING, [], include_restricted=True)
    pack = Pack(pdf)
    changes = pack.section("Changes since the last meeting")
    assert "between Spring board on 13 Mar 2025 and Summer board on 12 Jun 2025" in changes
    assert "▲ Amber Set by the board on 1 Dec 2024. ✖ Red Set by the board on 20 May 2025." in changes
    assert "Knife crime offences (priority 1) Whole partnership ✔ Green" in pack.section(
        "Indicators whose RAG changed", "Actions completed"
    )
    assert "VL-DONE Train door staff" in pack.section("Actions completed", "Actions that became overdue")
    overdue = pack.section("Actions that became overdue", "New actions")
    assert "VL-LATE" in overdue and "VL-STALE" not in overdue
    assert "VL-NEW Street pastors in Southvale" in pack.section("New actions", "New data received")
    assert "Knife crime offences (priority 1) Whole partnership Q4 2024/25: 130" in pack.section(
        "New data received", "New board commentary"
    )
    assert "20 May 2025" in pack.section("New board commentary")


# ---------------------------------------------------------------------------------------------------------
# The download control


def test_without_chromium_the_page_says_what_to_install_instead_of_failing(board_pack, monkeypatch, tmp_path):
    monkeypatch.setattr(board_pack, "PRINTER", ChromiumPrinter(tmp_path / "chromium"))
    download, status = board_pack.download_board_pack(1, {"districts": [], "as_at": "2026-11-12"})
    assert download is no_update
    message = text_of(status)
    assert "Chromium" in message and "scripts/install_browser.sh" in message


def test_a_scope_that_is_not_understood_gets_a_message_not_an_error(board_pack):
    for scope in ({"districts": [], "as_at": "2026-13-45"}, {"as_at": "2026-11-12"}, None):
        download, status = board_pack.download_board_pack(1, scope)
        assert download is no_update
        assert "were not understood" in text_of(status)


def test_a_failure_while_making_the_pack_is_logged_and_explained(board_pack, monkeypatch, caplog):
    from data_access import views

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(views, "board_pack_view", broken)
    with caplog.at_level("ERROR"):
        download, status = board_pack.download_board_pack(1, {"districts": [], "as_at": "2026-11-12"})
    assert download is no_update
    assert "The board pack could not be made" in text_of(status) and "log" in text_of(status)
    assert "ZeroDivisionError" in caplog.text


def test_page_numbers_that_never_settle_are_left_out_rather_than_printed_wrong(caplog):
    printer = ChromiumPrinter(CHROMIUM)
    passes = []

    def render(numbers):
        # Each pass pushes the section one page further: the numbers found never match those shown.
        passes.append(numbers)
        pushed = "".join('<p style="break-before: page">filler</p>' for _ in range(len(passes)))
        number = "" if not numbers else numbers["s"]
        return (
            f'<html lang="en"><body><a href="#s">Section <span>{number}</span></a>{pushed}'
            f'<h1 id="s" style="break-before: page">Section</h1></body></html>'
        )

    with caplog.at_level("WARNING"):
        pdf = printer.print_with_page_numbers(render)
    assert passes[-1] == {} and len(passes) == 4
    assert "did not settle" in caplog.text
    assert Pack(pdf).pages[0] == "Section"
