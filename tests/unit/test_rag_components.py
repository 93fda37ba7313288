"""A RAG drawn as a link: the same symbol and word as the badge, never colour alone."""

from __future__ import annotations

import re
from pathlib import Path

from dash import dcc, html

from components.rag import BADGE_LINK_CLASS, RATING_SYMBOLS, rag_badge, rag_badge_link
from domain.rag import AMBER, RATING_WORDS
from tests.callbacks.test_pages import text_of

STYLESHEET = Path(__file__).resolve().parents[2] / "assets" / "dashboard.css"


def test_a_badge_link_reads_as_the_badge_then_the_screen_reader_words():
    link = rag_badge_link(
        AMBER, href="/priority/p?district=d", screen_reader_text="P in D. Why.", title="Why."
    )
    assert isinstance(link, dcc.Link)
    assert (link.href, link.title) == ("/priority/p?district=d", "Why.")
    # The badge's own classes, so it looks like the badge it replaces inside a link; its symbol is drawn
    # by the stylesheet (below).
    assert link.className == f"{rag_badge(AMBER, size='sm').className} {BADGE_LINK_CLASS}"
    word, hidden = link.children
    assert word == RATING_WORDS[AMBER]
    assert isinstance(hidden, html.Span) and hidden.className == "visually-hidden"
    assert text_of(link) == f"{RATING_WORDS[AMBER]}  P in D. Why."


def _css_string(text: str) -> str:
    """A CSS string's characters, its escapes (a backslash and hex digits) read."""
    return re.sub(r"\\([0-9a-fA-F]{1,6}) ?", lambda match: chr(int(match.group(1), 16)), text)


def test_the_stylesheet_draws_each_badge_links_symbol_silently_for_screen_readers():
    """Every rating's badge link shows the badge's symbol, and its alternative text is empty: a screen
    reader reads the word and the sentence, never the symbol, as with the badge's aria-hidden span."""
    css = STYLESHEET.read_text(encoding="utf-8")
    for rating, symbol in RATING_SYMBOLS.items():
        rule = re.search(rf"\.{BADGE_LINK_CLASS}\.rag-{rating}::before \{{([^}}]*)\}}", css)
        assert rule, f"no symbol for {rating}"
        declarations = re.findall(r'content: "([^"]*)"( / "")?;', rule.group(1))
        assert [(_css_string(text), alternative) for text, alternative in declarations] == [
            (symbol, ""),
            (symbol, ' / ""'),
        ], rating
