"""RAG shown the accessible way: a word and a symbol as well as a colour, never colour alone."""

from __future__ import annotations

from dash import html

from domain.rag import AMBER, CLOSED, GREEN, NEUTRAL, NO_DATA, RATING_WORDS, RED

# Shapes differ as well as colours, so the status survives greyscale printing and colour blindness.
RATING_SYMBOLS = {
    RED: "\u2716",  # heavy multiplication x
    AMBER: "\u25b2",  # black up-pointing triangle
    GREEN: "\u2714",  # heavy check mark
    NO_DATA: "?",
    NEUTRAL: "\u25cb",  # white circle
    CLOSED: "\u2713",  # check mark
}


def rag_badge(
    rating: str, *, word: str | None = None, size: str = "md", title: str | None = None
) -> html.Span:
    """A pill with symbol and word, coloured by rating (classes in assets/dashboard.css)."""
    text = word or RATING_WORDS[rating]
    return html.Span(
        [html.Span(RATING_SYMBOLS[rating], className="rag-symbol", **{"aria-hidden": "true"}), text],
        className=f"rag-badge rag-{rating} rag-{size}",
        title=title,
    )
