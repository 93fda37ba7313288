"""Any valid partnership gets a board pack document: every priority in force, its charts as plain JSON and
no workbook text as markup, for random districts and dates (tests/generative/strategies.py).

The HTML only: printing each example with Chromium would take seconds; tests/board_pack prints packs
of the demo and of hand-made partnerships unlike it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from components.board_pack import board_pack_html
from data_access import views as data_views
from data_access.db import session_scope
from tests.generative.strategies import partnerships
from tests.generative.test_any_partnership import in_force, template, views  # noqa: F401 (fixture)
from tests.serving import serving

_numbers = itertools.count()
FIGURES = re.compile(r'<script id="chart-figures" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def dashboard_pages(dashboard):
    from pages import _board_pack

    return _board_pack


@settings(
    max_examples=int(os.getenv("GENERATIVE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_any_partnership_gets_a_board_pack_document(dashboard_pages, template, data):  # noqa: F811
    frames = data.draw(partnerships(), label="partnership")
    chosen, as_at = data.draw(views(frames), label="view")
    known = [code for code in dict.fromkeys(chosen) if code in set(frames["districts"]["code"])]
    path = template.parent / f"pack-{next(_numbers)}.db"
    with serving(frames, path, template=template), session_scope() as session:
        pack = data_views.board_pack_view(session, as_at, known, include_restricted=True)
        layout_pass = board_pack_html(
            pack,
            generated_at=dt.datetime(2026, 11, 21, 9, 30),
            plotly_script_url="file:///p.js",
            fallback_name="X",
        )
        document = board_pack_html(
            pack,
            generated_at=dt.datetime(2026, 11, 21, 9, 30),
            plotly_script_url="file:///p.js",
            fallback_name="X",
            page_numbers={"summary": 3},
        )
    in_force_priorities = [p for p in frames["priorities"].to_dict("records") if in_force(p, as_at)]
    for priority in in_force_priorities:
        assert f"Priority {priority['number']}: {escape(priority['title'])}" in document
    # The layout pass draws nothing but keeps every chart's box; the document draws each chart once.
    assert "plotly" not in layout_pass.replace("plotly_script_url", "")
    boxes = re.findall(r'<div class="plot" id="([^"]+)" style="([^"]+)"', document)
    assert boxes == re.findall(r'<div class="plot" id="([^"]+)" style="([^"]+)"', layout_pass)
    charts = json.loads(FIGURES.search(document).group(1)) if boxes else []
    assert [chart["id"] for chart in charts] == [chart_id for chart_id, _ in boxes]
    json.dumps(charts, allow_nan=False)  # plain JSON: no NaN, no dates
    # Workbook text is text: no tag in the document but the template's own.
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", document))
    assert tags <= {*TEMPLATE_TAGS}, tags - TEMPLATE_TAGS


TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "section", "p", "h1", "h2", "h3", "dl", "dt", "dd",
    "div", "ul", "li", "span", "nav", "ol", "a", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "blockquote", "strong", "br", "figure", "figcaption", "script",
}  # fmt: skip
