"""The board pack document's pure helpers: the footer's CSS string, the districts it names, legend room."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from components.board_pack import (
    CHART_HEIGHT,
    FOOTER_DISTRICTS_CHARS,
    LEGEND_ROW_HEIGHT,
    _fit_for_print,
    _footer_districts,
    _legend_rows,
    css_string,
)


def css_unescaped(quoted: str) -> str:
    """What a browser reads from a CSS string made of letters, digits and six-digit hex escapes."""
    assert quoted[0] == quoted[-1] == '"'
    return re.sub(r"\\([0-9a-f]{6})", lambda match: chr(int(match.group(1), 16)), quoted[1:-1])


@given(st.text())
def test_any_text_survives_the_css_string_and_cannot_end_it(text):
    quoted = str(css_string(text))
    assert css_unescaped(quoted) == text
    assert re.fullmatch(r'"(?:[A-Za-z0-9]|\\[0-9a-f]{6})*"', quoted)


def test_the_footer_keeps_spaces_and_closes_no_element():
    quoted = str(css_string("Ynys Môn </style><script>"))
    assert css_unescaped(quoted) == "Ynys Môn </style><script>"
    assert "<" not in quoted and " " not in quoted


def test_the_footer_names_the_districts_while_they_fit_and_counts_the_rest():
    assert _footer_districts([]) == "Whole partnership"
    assert _footer_districts(["Fareham", "Gosport"]) == "Fareham and Gosport"
    forty = [f"District number {n}" for n in range(1, 41)]
    footer = _footer_districts(forty)
    assert footer.startswith("District number 1 and 39 other districts")
    assert footer.endswith("(listed on the cover)")
    assert len(footer) <= FOOTER_DISTRICTS_CHARS + 40


def test_a_chart_grows_with_its_legend_so_the_plot_keeps_its_height():
    assert _legend_rows(["Whole partnership"]) == 0  # plotly draws no legend for one series
    assert _legend_rows(["Whole partnership", "Fareham", "Gosport"]) == 1
    assert _legend_rows(["Whole partnership", *(f"District {n}" for n in range(40))]) == 21
    figure = {"data": [{"name": f"Series {n}"} for n in range(12)], "layout": {}}
    _fit_for_print(figure)
    assert figure["layout"]["height"] == CHART_HEIGHT + 6 * LEGEND_ROW_HEIGHT
    assert figure["layout"]["legend"]["font"]["size"] < 14


def test_series_names_print_as_typed_not_as_plotly_markup():
    figure = {
        "data": [{"name": "Whole partnership"}, {"name": 'Gwynedd <b>bold</b> <a href="x">'}],
        "layout": {},
    }
    _fit_for_print(figure)
    assert figure["data"][1]["name"] == "Gwynedd &lt;b&gt;bold&lt;/b&gt; &lt;a href=&quot;x&quot;&gt;"
