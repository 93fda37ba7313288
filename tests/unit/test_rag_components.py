"""A RAG drawn as a link: the same symbol and word as the badge, never colour alone."""

from __future__ import annotations

from dash import dcc, html

from components.rag import RATING_SYMBOLS, rag_badge, rag_badge_link
from domain.rag import AMBER, RATING_WORDS
from tests.callbacks.test_pages import text_of


def test_a_badge_link_reads_as_the_badge_then_the_screen_reader_words():
    link = rag_badge_link(
        AMBER, href="/priority/p?district=d", screen_reader_text="P in D. Why.", title="Why."
    )
    assert isinstance(link, dcc.Link)
    assert (link.href, link.title) == ("/priority/p?district=d", "Why.")
    # The badge's own classes, so it looks like the badge it replaces inside a link.
    assert link.className == rag_badge(AMBER, size="sm").className
    symbol, word, hidden = link.children
    assert (
        symbol.children == RATING_SYMBOLS[AMBER] and symbol.to_plotly_json()["props"]["aria-hidden"] == "true"
    )
    assert word == RATING_WORDS[AMBER]
    assert isinstance(hidden, html.Span) and hidden.className == "visually-hidden"
    assert text_of(link) == f"{RATING_SYMBOLS[AMBER]} {RATING_WORDS[AMBER]}  P in D. Why."
