"""The accessibility statement at ``/accessibility`` (PSBAR 2018), readable without signing in.

Served as plain HTML, outside Dash, so it needs neither sign-in nor JavaScript.  The partnership sets
the contact for reporting problems with ACCESSIBILITY_CONTACT (an email or a web address).
"""

from __future__ import annotations

from flask import Flask, Response

from data_access.config import Settings
from web.rendering import partnership_name, render

STATEMENT_PATH = "/accessibility"
PREPARED_ON = "21 November 2026"

# Honest limits, as the regulations ask; keep in step with the dashboard.
KNOWN_GAPS = (
    "Zooming into a chart and reading a single point by hovering need a mouse; the same figures are in "
    "the chart's written summary and in its table, which a keyboard and a screen reader can reach.",
    "Downloaded Excel and CSV files have plain column headings but no further structure for screen readers.",
)


def install(server: Flask, settings: Settings) -> None:
    contact = settings.accessibility_contact

    @server.get(STATEMENT_PATH)
    def accessibility_statement() -> Response:
        html = render(
            "accessibility.html",
            partnership=partnership_name(),
            known_gaps=KNOWN_GAPS,
            contact=contact,
            contact_href=contact_link(contact),
            prepared_on=PREPARED_ON,
        )
        return Response(html, mimetype="text/html")


def contact_link(contact: str | None) -> str | None:
    """A mailto: for an email address, the address itself for a web page; None for anything else."""
    if not contact:
        return None
    contact = contact.strip()
    if contact.startswith(("https://", "http://")):
        return contact
    if "@" in contact and " " not in contact and not contact.startswith(("javascript:", "data:")):
        return f"mailto:{contact.removeprefix('mailto:')}"
    return None
