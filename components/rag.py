"""RAG shown the accessible way: a word and a symbol as well as a colour, never colour alone."""

from __future__ import annotations

from dash import dcc, html

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
        # A title only when there is one: each property given costs a component's building, and a
        # priority page has a hundred badges.
        **({"title": title} if title is not None else {}),
    )


# The class of a badge drawn as a link, whose symbol the stylesheet draws (assets/dashboard.css).
BADGE_LINK_CLASS = "rag-badge-link"


def rag_badge_link(rating: str, *, href: str, screen_reader_text: str, title: str | None = None) -> dcc.Link:
    """A link drawn as a small ``rag_badge`` (the same symbol and word), followed by words only a screen
    reader reads, for tables of hundreds of cells (the district matrix).

    Its symbol is drawn by the stylesheet (``.rag-badge-link.rag-<rating>::before``, the same symbols as
    RATING_SYMBOLS, with empty alternative text so that, like the badge's aria-hidden symbol, a screen
    reader does not read it): a table cell is then three components instead of four, and building and
    sending those components is most of what a large matrix costs.
    """
    return dcc.Link(
        [RATING_WORDS[rating], html.Span(f" {screen_reader_text}", className="visually-hidden")],
        href=href,
        title=title,
        className=f"rag-badge rag-{rating} rag-sm {BADGE_LINK_CLASS}",
    )
