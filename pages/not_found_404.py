"""Any path the dashboard does not have (Dash Pages shows this module for unknown paths)."""

import dash

from components.feedback import not_found
from pages._common import page_title

dash.register_page(__name__, path="/404", name="Not found", title=lambda: page_title("Page not found"))


def layout(**_query):
    return not_found(
        "The dashboard has no page at this address. It may have moved, or the link may be mistyped."
    )
