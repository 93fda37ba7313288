"""Wiring only: build the Dash Pages app, its shell and its database; expose ``server`` for gunicorn.

python app.py                 # http://127.0.0.1:8050 (HOST and PORT override)
gunicorn app:server           # production
"""

from __future__ import annotations

from pathlib import Path

import dash_bootstrap_components as dbc  # noqa: F401  (registers the dbc component suite)
from dash import Dash

import shell
import web
from data_access.bootstrap import DatabasePreparer
from data_access.config import Settings
from data_access.db import configure
from pages._common import PRODUCT_NAME

ROOT = Path(__file__).resolve().parent
ASSETS = ROOT / "assets"
PARTIAL_PLOTLY = "vendor/plotly-basic.min.js"

INDEX_STRING = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%on_demand_scripts%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


def create_app(settings: Settings | None = None) -> Dash:
    """The dashboard for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    # Refuses to start (ConfigurationError) when production lacks a secret key, before anything else.
    web.secret_key(settings)
    configure(settings.database_url)
    # Start even while the database is down (pages show a banner); it is prepared once it answers.
    preparer = DatabasePreparer(settings)
    preparer.ensure_ready()

    app = Dash(
        __name__,
        server=shell.static_files_server(__name__),
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        # Everything in assets/ is served and linked by Dash, except Bootstrap (listed below) and the
        # partial plotly.js bundle, which Dash loads only when a page has a chart (install_partial_plotly).
        assets_folder=str(ASSETS),
        # Bootstrap comes first so our stylesheet can refine it; it is served from assets/, no CDN.
        external_stylesheets=[shell.versioned_asset_url(ASSETS, "vendor/bootstrap.min.css")],
        assets_ignore=r"bootstrap\.min\.css|plotly-basic\.min\.js",
        title=PRODUCT_NAME,
        update_title=None,
        compress=True,
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX_STRING.replace("{%on_demand_scripts%}", shell.load_ag_grid_on_demand(app))
    app.layout = shell.layout
    app.server.before_request(preparer.ensure_ready)
    shell.install_http_status(app.server)
    shell.install_asset_caching(app.server)
    shell.install_partial_plotly(app, ASSETS / PARTIAL_PLOTLY)
    web.install(app, settings)
    return app


def _server_app() -> Dash:
    return create_app()


app = _server_app()
server = app.server

if __name__ == "__main__":
    run_settings = Settings()
    app.run(host=run_settings.host, port=run_settings.port, debug=run_settings.debug)
