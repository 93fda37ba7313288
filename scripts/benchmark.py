"""Measure the dashboard's server-side speed and first-load size on the demo partnership.

    .venv/bin/python scripts/benchmark.py [--repeat 20]

Builds a fresh SQLite database with the demo data in a temporary folder (or uses DATABASE_URL when
set), then reports the median and 90th percentile of each page's work, and the bytes a browser
downloads on a first load (gzip, as served with compression on). A benchmark, not a test: it asserts
nothing and prints figures for the issue notes.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(label: str, work: Callable[[], object], repeat: int) -> None:
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    p90 = durations[max(0, int(round(0.9 * len(durations))) - 1)]
    print(f"{label:<58} median {statistics.median(durations):7.1f} ms   p90 {p90:7.1f} ms")


def first_load_bytes(client) -> None:
    index = client.get("/", headers={"Accept-Encoding": "gzip"})
    html = (
        gzip.decompress(index.data).decode()
        if index.headers.get("Content-Encoding") == "gzip"
        else index.text
    )
    urls = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html)
    # dcc.Graph loads plotly.js on demand; every page with a chart needs it.
    urls += [
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
        "/_dash-layout",
        "/_dash-dependencies",
    ]
    total_wire = total_raw = 0
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        wire = len(response.data)
        raw = (
            len(gzip.decompress(response.data))
            if response.headers.get("Content-Encoding") == "gzip"
            else wire
        )
        total_wire += wire
        total_raw += raw
    print(
        f"First load: {len(urls)} requests, {total_wire / 1e6:.2f} MB on the wire (gzip), {total_raw / 1e6:.2f} MB unpacked"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        # A named database is never seeded at start-up, so load the demo as `python -m data_access demo` does.
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/benchmark.db"
        from data_access.bootstrap import install_demo

        start = time.perf_counter()
        install_demo()
        print(f"Demo load (schema and import): {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    import app as app_module

    print(f"Start-up: {(time.perf_counter() - start) * 1000:.0f} ms")
    from pages import actions, districts, overview, priority

    # Timing a page that failed, or one with nothing to show, would measure nothing.
    if "priority-card" not in repr(overview.layout()):
        sys.exit("The overview shows no priority cards: is the demo loaded?")

    open_statuses = ["not_started", "on_track", "at_risk", "off_track"]
    fareham = "E07000087"
    timed("overview, whole partnership", lambda: overview.layout(), args.repeat)
    timed("overview, one district", lambda: overview.layout(district=fareham), args.repeat)
    timed(
        "priority page (serious violence, 4 indicators)",
        lambda: priority.layout(code="serious-violence"),
        args.repeat,
    )
    timed(
        "priority page with two districts",
        lambda: priority.layout(code="serious-violence", district=f"{fareham},E07000088"),
        args.repeat,
    )
    timed(
        "actions filter change (callback)",
        lambda: actions.update_actions(
            "all", "all", open_statuses, False, {"districts": [], "as_at": "2026-11-21"}
        ),
        args.repeat,
    )
    timed("districts matrix", lambda: districts.layout(), args.repeat)
    first_load_bytes(app_module.server.test_client())


if __name__ == "__main__":
    main()
