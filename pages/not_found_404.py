"""Any path the dashboard does not have (Dash Pages shows this module for unknown paths)."""

import dash

from components.feedback import not_found

dash.register_page(
    __name__, path="/404", name="Not found", title="Page not found – community safety priorities"
)


def layout(**_query):
    return not_found(
        "The dashboard has no page at this address. It may have moved, or the link may be mistyped."
    )
