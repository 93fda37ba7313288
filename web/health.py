"""``/healthz`` for load balancers and monitoring: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy import text

from data_access.db import get_engine

# Open without sign-in, and says nothing about the data.
HEALTH_PATH = "/healthz"


def install(server: Flask) -> None:
    @server.get(HEALTH_PATH)
    def healthz() -> Response:
        try:
            with get_engine().connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return _plain("database unavailable\n", 503)
        return _plain("ok\n", 200)


def _plain(body: str, status: int) -> Response:
    response = Response(body, status=status, mimetype="text/plain")
    response.cache_control.no_store = True
    return response
