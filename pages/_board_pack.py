"""The "Download board pack" control of the overview and priority pages, and the callback making the PDF.

One control and one callback for both pages (only one page is shown at a time, so they share ids): the
pack is the same whichever page asks, for the filters and date in view.  The work is the view
(data_access.views.board_pack_view), the HTML (components.board_pack) and the print
(printing.chromium); anything that goes wrong is said next to the button, never a broken page.
(Dash Pages skips modules starting with "_".)
"""

from __future__ import annotations

import datetime as dt
import logging
from enum import StrEnum
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from components.board_pack import board_pack_html
from components.filters import Filters
from data_access import views
from data_access.config import PROJECT_ROOT, Settings
from data_access.db import DatabaseUnavailable, session_scope
from domain.formatting import file_slug, format_date
from domain.vocabulary import PRODUCT_NAME
from pages._common import sees_restricted
from printing.chromium import ChromiumPrinter, PrintingError

LOG = logging.getLogger(__name__)

PLOTLY_SCRIPT = PROJECT_ROOT / "assets" / "vendor" / "plotly-basic.min.js"
UK_TIME = ZoneInfo("Europe/London")
BUTTON_LABEL = "Download board pack"
BUSY_LABEL = "Making the board pack…"
NOT_MADE = "The board pack could not be made:"

_settings = Settings()
PRINTER = ChromiumPrinter(
    _settings.chromium_path,
    timeout_seconds=_settings.board_pack_timeout,
    concurrency=_settings.board_pack_concurrency,
)


class Ids(StrEnum):
    SCOPE = "board-pack-scope"
    BUTTON = "board-pack-button"
    STATUS = "board-pack-status"
    DOWNLOAD = "board-pack-download"


def board_pack_control(filters: Filters, as_at: dt.date) -> html.Div:
    """The button, a line saying how it went (with a spinner while the PDF is made) and the download."""
    return html.Div(
        [
            dcc.Store(id=Ids.SCOPE, data={"districts": list(filters.districts), "as_at": as_at.isoformat()}),
            dbc.Button(BUTTON_LABEL, id=Ids.BUTTON, color="primary", outline=True),
            dcc.Loading(
                html.Div(id=Ids.STATUS, role="status", className="small"),
                type="circle",
                color="#1a4f8b",  # --csp-link
                parent_className="board-pack-status",
            ),
            dcc.Download(id=Ids.DOWNLOAD),
        ],
        className="board-pack d-flex flex-wrap align-items-center gap-2",
    )


@callback(
    Output(Ids.DOWNLOAD, "data"),
    Output(Ids.STATUS, "children"),
    Input(Ids.BUTTON, "n_clicks"),
    State(Ids.SCOPE, "data"),
    running=[
        (Output(Ids.BUTTON, "disabled"), True, False),
        (Output(Ids.BUTTON, "children"), BUSY_LABEL, BUTTON_LABEL),
    ],
    prevent_initial_call=True,
)
def download_board_pack(_clicks, scope):
    """The board pack PDF for the page's districts and date, or a message saying why there is none."""
    try:
        as_at = dt.date.fromisoformat(scope["as_at"])
        districts = [str(code) for code in scope["districts"]]
    except (KeyError, TypeError, ValueError):
        return no_update, _failed(
            f"{NOT_MADE} the page's date or districts were not understood. Reload the page and try again."
        )
    try:
        pdf, file_name = make_board_pack(as_at, districts, include_restricted=sees_restricted())
    except PrintingError as error:
        return no_update, _failed(str(error))
    except DatabaseUnavailable:
        return no_update, _failed(
            f"{NOT_MADE} the dashboard cannot reach its database. Try again in a few minutes."
        )
    except Exception:
        LOG.exception("The board pack for %s failed", scope)
        return no_update, _failed(
            f"{NOT_MADE} something went wrong. The details have been written to the dashboard's log for the "
            "partnership's data officer."
        )
    return dcc.send_bytes(pdf, file_name), f"Board pack as at {format_date(as_at)} downloaded: {file_name}"


def _failed(message: str) -> dbc.Alert:
    """What the user reads next to the button when no PDF came, and why."""
    return dbc.Alert(message, color="danger", className="py-2 mb-0")


def make_board_pack(as_at: dt.date, districts: list[str], *, include_restricted: bool) -> tuple[bytes, str]:
    """The PDF and its file name; restricted indicators and actions only with ``include_restricted``."""
    with session_scope() as session:
        known = views.reference_view(session).district_names
        pack = views.board_pack_view(
            session,
            as_at,
            [code for code in districts if code in known],
            include_restricted=include_restricted,
        )
    generated_at = dt.datetime.now(UK_TIME)

    def render(page_numbers):
        return board_pack_html(
            pack,
            generated_at=generated_at,
            plotly_script_url=PLOTLY_SCRIPT.as_uri(),
            fallback_name=PRODUCT_NAME,
            page_numbers=page_numbers,
        )

    return PRINTER.print_with_page_numbers(render), download_file_name(pack)


def download_file_name(pack: views.BoardPackView) -> str:
    """ "hampshire-cssg-demo-board-pack-as-at-2024-09-12.pdf", like the other downloads."""
    name = pack.identity.short_name if pack.identity else PRODUCT_NAME
    return file_slug(f"{name} board pack as at {pack.as_at.isoformat()}") + ".pdf"
