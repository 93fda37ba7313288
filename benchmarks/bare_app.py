"""The yardstick for a first load: a bare Dash page with one line chart, served as the dashboard is.

gunicorn -w 2 benchmarks.bare_app:server   (compression on, as in app.py)
"""

from __future__ import annotations

import plotly.graph_objects as go
from dash import Dash, dcc, html

app = Dash(__name__, compress=True, title="Bare one-graph Dash page")
app.layout = html.Main(
    [
        html.H1("One chart"),
        dcc.Graph(
            id="chart",
            figure=go.Figure(
                go.Scatter(x=list(range(2015, 2026)), y=[4, 6, 5, 8, 7, 9, 8, 11, 10, 12, 13], mode="lines")
            ),
        ),
    ]
)
server = app.server
