"""Prove the browser tooling itself works, on a tiny app built here (not the dashboard's app)."""

from __future__ import annotations

import shutil
import struct
import time
from pathlib import Path

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
import pytest
from dash import Dash, Input, Output, dcc, html

from tests.browser.helpers import console_errors, format_violations, run_axe, screenshot, wait_for_dash_idle
from tests.conftest import dash_registry_kept

pytestmark = pytest.mark.browser

VENDORED_BOOTSTRAP = Path(__file__).resolve().parents[2] / "assets" / "vendor" / "bootstrap.min.css"

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
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""

SLOW_CALLBACK_SECONDS = 0.8


def _figure(clicks: int) -> go.Figure:
    figure = go.Figure(go.Bar(x=["Burglary", "Vehicle crime"], y=[3 + clicks, 5]))
    figure.update_layout(title="Recorded offences", height=300)
    return figure


@pytest.fixture(autouse=True)
def _shared_app_keeps_its_callbacks():
    # The bare app below answers requests in the test process: it must not take the pages' callbacks,
    # which wait for the shared test app (tests.conftest.dash_registry_kept).
    with dash_registry_kept():
        yield


def _tiny_app(assets_folder: Path) -> Dash:
    # Only the vendored Bootstrap goes in the app's assets, so the test also proves it loads cleanly
    # and leaves nothing else from the project's assets/ in the way.
    shutil.copy(VENDORED_BOOTSTRAP, assets_folder / "bootstrap.min.css")
    app = Dash(__name__, assets_folder=str(assets_folder), title="Browser tooling check")
    app.index_string = INDEX_STRING
    app.layout = html.Main(
        dbc.Container(
            [
                html.H1("Browser tooling check"),
                dbc.Button("Add one", id="add-one", color="primary"),
                html.P(id="clicks", children="0 clicks"),
                dcc.Graph(id="graph", figure=_figure(0), config={"displaylogo": False}),
            ]
        )
    )

    @app.callback(Output("clicks", "children"), Output("graph", "figure"), Input("add-one", "n_clicks"))
    def add_one(n_clicks: int | None) -> tuple[str, go.Figure]:
        # Slow on purpose: wait_for_dash_idle must wait this out.
        if n_clicks:
            time.sleep(SLOW_CALLBACK_SECONDS)
        clicks = n_clicks or 0
        return f"{clicks} clicks", _figure(clicks)

    return app


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_tiny_dash_app_is_clean_in_chromium(dash_duo, tmp_path):
    """A minimal Dash + dbc + dcc.Graph page loads with no console errors and no axe violations."""
    assets = tmp_path / "assets"
    assets.mkdir()
    dash_duo.start_server(_tiny_app(assets))
    wait_for_dash_idle(dash_duo.driver)

    errors = console_errors(dash_duo)
    assert errors == [], errors
    violations = run_axe(dash_duo.driver)
    assert violations == [], format_violations(violations)
    # The vendored Bootstrap is applied (its primary button colour), not silently missing.
    button_colour = dash_duo.find_element("#add-one").value_of_css_property("background-color")
    assert button_colour == "rgba(13, 110, 253, 1)"

    shot = screenshot(dash_duo.driver, tmp_path / "tiny.png", 1280, 720)
    assert _png_size(shot) == (1280, 720)
    # The responsive graph was redrawn for the narrower window before the picture was taken.
    graph_width, container_width = dash_duo.driver.execute_script(
        "const gd = document.querySelector('#graph .js-plotly-plot'); return [gd._fullLayout.width, gd.clientWidth]"
    )
    assert abs(graph_width - container_width) <= 1


def test_wait_for_dash_idle_waits_for_slow_callback_and_redraw(dash_duo, tmp_path):
    """wait_for_dash_idle returns only after a slow callback has finished and the graph is redrawn."""
    assets = tmp_path / "assets"
    assets.mkdir()
    dash_duo.start_server(_tiny_app(assets))
    wait_for_dash_idle(dash_duo.driver)

    started = time.monotonic()
    dash_duo.find_element("#add-one").click()
    wait_for_dash_idle(dash_duo.driver)

    assert time.monotonic() - started >= SLOW_CALLBACK_SECONDS
    assert dash_duo.find_element("#clicks").text == "1 clicks"
    drawn_y = dash_duo.driver.execute_script(
        "return document.querySelector('#graph .js-plotly-plot')._fullData[0].y[0]"
    )
    assert drawn_y == 4
    assert console_errors(dash_duo) == []
