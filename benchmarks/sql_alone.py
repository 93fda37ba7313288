"""The same SQL run alone: ``python -m benchmarks.sql_alone BODIES OUT`` (started by the benchmark).

Replays the benchmark's callback bodies through the app in this process (Flask's test client: no
gunicorn, no HTTP) with a ``before_cursor_execute`` listener on every SQLAlchemy engine capturing each
statement and its parameters; then runs exactly those statements again on the raw DBAPI connection,
fetching every row, and times them. DATABASE_URL must be set as for the server.

BODIES is a JSON list of {"page", "callback", "body", "warm_up"}; OUT receives, for each body that is
not a warm-up, its other keys and {"in_process_ms", "sql_ms", "statements"}.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class Statement:
    engine: Engine
    sql: str
    parameters: Any
    many: bool
    no_parameters: bool


class Recorder:
    """Collects the statements every engine sends to its database while ``recording`` is on."""

    def __init__(self) -> None:
        self.recording = False
        self.statements: list[Statement] = []
        event.listen(Engine, "before_cursor_execute", self._capture)

    def _capture(self, connection, _cursor, statement, parameters, context, executemany) -> None:
        if self.recording:
            no_parameters = bool(getattr(context, "no_parameters", False))
            self.statements.append(
                Statement(connection.engine, statement, parameters, executemany, no_parameters)
            )

    def close(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._capture)


def replay(statements: list[Statement]) -> float:
    """Run ``statements`` in order on raw DBAPI connections, fetching every row; milliseconds taken."""
    connections: dict[Engine, Any] = {}
    total = 0.0
    try:
        for statement in statements:
            if statement.engine not in connections:
                connections[statement.engine] = statement.engine.raw_connection()
            cursor = connections[statement.engine].cursor()
            start = time.perf_counter()
            if statement.many:
                cursor.executemany(statement.sql, statement.parameters)
            elif statement.no_parameters:
                cursor.execute(statement.sql)
            else:
                cursor.execute(statement.sql, statement.parameters)
            if cursor.description is not None:
                cursor.fetchall()
            total += time.perf_counter() - start
            cursor.close()
    finally:
        for connection in connections.values():
            # Only reads are expected; nothing a replay does is kept.
            connection.rollback()
            connection.close()
    return total * 1000


def measure(app_spec: str, items: list[dict]) -> list[dict]:
    module_name, attribute = app_spec.split(":")
    server = getattr(importlib.import_module(module_name), attribute)
    client = server.test_client()
    recorder = Recorder()
    results = []
    try:
        for item in items:
            recorder.statements.clear()
            recorder.recording = True
            start = time.perf_counter()
            response = client.post(
                "/_dash-update-component",
                data=json.dumps(item["body"]),
                headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
            )
            in_process_ms = (time.perf_counter() - start) * 1000
            recorder.recording = False
            if response.status_code != 200:
                raise RuntimeError(
                    f"{item['page']} {item['callback']}: HTTP {response.status_code} in process: "
                    f"{response.get_data()[:300]!r}"
                )
            if item.get("warm_up"):
                continue
            statements = list(recorder.statements)
            results.append(
                {
                    **{key: value for key, value in item.items() if key not in ("body", "warm_up")},
                    "in_process_ms": in_process_ms,
                    "sql_ms": replay(statements),
                    "statements": len(statements),
                }
            )
    finally:
        recorder.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sql_alone", description=__doc__)
    parser.add_argument("bodies")
    parser.add_argument("out")
    parser.add_argument("--app", default="app:server", help="the WSGI app, as gunicorn names it")
    args = parser.parse_args(argv)
    with open(args.bodies, encoding="utf-8") as source:
        items = json.load(source)
    results = measure(args.app, items)
    with open(args.out, "w", encoding="utf-8") as target:
        json.dump(results, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
