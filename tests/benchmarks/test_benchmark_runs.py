"""The benchmark keeps working: a tiny run end to end, and the parts it discovers at run time.

Timings are never asserted: only that every section reports figures and nothing failed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import browser
from benchmarks.dash_client import Callback, DashApp, Filter, components, filter_sequence
from benchmarks.databases import Facts
from benchmarks.report import SECTIONS
from benchmarks.stats import p90
from tests.conftest import TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parents[2]
# Columns that hold words; every other cell of every table must be a number.
TEXT_COLUMNS = {"database", "scale", "page", "callback"}
NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?×?$")


def section_tables(report: str) -> dict[str, list[dict[str, str]]]:
    """Each "## " section's table as a list of {header: cell}."""
    tables = {}
    for block in report.split("\n## ")[1:]:
        title, _, body = block.partition("\n")
        lines = [line for line in body.splitlines() if line.startswith("|")]
        if len(lines) < 2:
            tables[title.strip()] = []
            continue
        headers = [cell.strip() for cell in lines[0].strip("|").split("|")]
        tables[title.strip()] = [
            dict(zip(headers, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
            for line in lines[2:]
        ]
    return tables


def test_tiny_benchmark_reports_every_section_without_errors(tmp_path):
    output = tmp_path / "report.md"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--tiny",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = output.read_text(encoding="utf-8")
    assert report.strip() == completed.stdout.strip()
    assert "## Errors" not in report
    tables = section_tables(report)
    for section in SECTIONS:
        assert section in tables, f"no section {section!r} in:\n{report}"
        rows = tables[section]
        if section.startswith("2.") and browser.chromium_missing():
            assert "Cold loads not measured" in report
            continue
        assert rows, f"section {section!r} has no figures:\n{report}"
        for row in rows:
            for column, cell in row.items():
                if column not in TEXT_COLUMNS:
                    assert NUMBER.match(cell), f"{section}: {column} is {cell!r} in {row}"

    changes = tables[SECTIONS[0]]
    assert {row["page"] for row in changes} >= {"/", "/districts", "/actions", "/present", "/changes"}
    assert any(row["page"].startswith("/priority/") for row in changes)
    # The actions table's own callback is found from /_dash-dependencies and the rendered page.
    assert any(
        row["page"] == "/actions" and row["callback"] not in ("page router", "whole change")
        for row in changes
    )
    assert all(int(row["calls"]) >= 10 for row in changes)
    if not browser.chromium_missing():
        loads = tables[SECTIONS[1]]
        assert {row["database"] for row in loads} == {"sqlite", "bare Dash page"}
    assert int(tables[SECTIONS[2]][0]["errors"]) == 0
    assert len(tables[SECTIONS[3]]) == 2  # one row per gunicorn worker
    assert tables[SECTIONS[4]][0]["indicator_values rows"] == "10,000"


def test_filters_never_repeat_a_date_until_every_date_is_used():
    dates = (None, *(dt.date(2025, 6, 1) - dt.timedelta(days=n) for n in range(1, 40)))
    facts = Facts(("A", "B", "C"), dates, "p")
    first_page = list(itertools.islice(filter_sequence(facts), 20))
    second_page = list(itertools.islice(filter_sequence(facts, start=20), 20))
    used = [f.as_at for f in first_page + second_page]
    assert len(set(used)) == len(used) == 40
    assert [f.districts for f in first_page[:6]] == [("A",), ("A", "B"), (), ("B",), ("B", "C"), ()]
    assert Filter(("A", "B"), dt.date(2025, 6, 1)).search == "?district=A,B&as_at=2025-06-01"
    assert Filter((), None).search == ""


def test_follow_on_callbacks_are_those_whose_inputs_the_new_page_holds():
    def dependency(output, inputs, state=(), prevent=False, clientside=None):
        return {
            "output": output,
            "inputs": [{"id": i, "property": p} for i, p in inputs],
            "state": [{"id": i, "property": p} for i, p in state],
            "prevent_initial_call": prevent,
            "clientside_function": clientside,
        }

    router = Callback.from_dependency(
        dependency(
            ".._pages_content.children..._pages_store.data..",
            [("_pages_location", "pathname"), ("_pages_location", "search")],
        )
    )
    table = Callback.from_dependency(
        dependency("..t.children...n.children..", [("choice", "value")], [("scope", "data")])
    )
    download = Callback.from_dependency(dependency("d.data", [("button", "n_clicks")], prevent=True))
    unset = Callback.from_dependency(dependency("h.children", [("grid", "selectedRows")]))
    from_url = Callback.from_dependency(dependency("n.className", [("url", "search")]))
    shell = Callback.from_dependency(dependency("summary.children", [("url", "search")]))
    app = DashApp("http://x", [router, table, download, unset, from_url, shell], {}, router)

    def component(component_id, kind="Div", **props):
        return {"type": kind, "namespace": "dash_html_components", "props": {"id": component_id, **props}}

    app.layout = components([component("url", "Location", search=""), component("summary")])

    page = [
        component("choice", value="all"),
        component("scope", data={"as_at": "2025-01-01"}),
        component("t"),
        component("n"),
        component("button"),
        component("d"),
        component("grid"),
        component("h"),
    ]
    answer = {"multi": True, "response": {"_pages_content": {"children": component("root", children=page)}}}
    bodies = app.follow_on_bodies(answer, "/actions", "?district=A")
    assert [callback for callback, _ in bodies] == [table, from_url]
    body = bodies[0][1]
    assert body["outputs"] == [{"id": "t", "property": "children"}, {"id": "n", "property": "children"}]
    assert body["inputs"] == [{"id": "choice", "property": "value", "value": "all"}]
    assert body["state"] == [{"id": "scope", "property": "data", "value": {"as_at": "2025-01-01"}}]
    # A page callback reading the URL gets the new query, not the layout's.
    assert bodies[1][1]["inputs"] == [{"id": "url", "property": "search", "value": "?district=A"}]

    router_body = app.router_body("/actions", "?district=A")
    assert router_body["inputs"][1] == {"id": "_pages_location", "property": "search", "value": "?district=A"}
    assert router_body["changedPropIds"] == ["_pages_location.search"]


def test_a_grid_that_asks_for_its_rows_is_part_of_the_change():
    """AG Grid's infinite row model asks the server for its first block as it is drawn; a grid given its
    rows asks for nothing."""
    router = Callback.from_dependency(
        {
            "output": "_pages_content.children",
            "inputs": [{"id": "_pages_location", "property": "search"}],
        }
    )

    def rows_of(grid_id):
        return Callback.from_dependency(
            {
                "output": f"{grid_id}.getRowsResponse",
                "inputs": [{"id": grid_id, "property": "getRowsRequest"}],
                "state": [{"id": "search", "property": "value"}],
            }
        )

    paged, given = rows_of("paged"), rows_of("given")
    app = DashApp("http://x", [router, paged, given], {}, router)

    def grid(grid_id, **props):
        return {"type": "AgGrid", "namespace": "dash_ag_grid", "props": {"id": grid_id, **props}}

    columns = [{"field": "ref"}, {"field": "due_date", "sort": "asc"}]
    page = [
        grid("paged", rowModelType="infinite", columnDefs=columns, dashGridOptions={"cacheBlockSize": 25}),
        grid("given", rowData=[{"ref": "A"}], columnDefs=columns),
        {"type": "Input", "namespace": "dash_bootstrap_components", "props": {"id": "search"}},
    ]
    answer = {"response": {"_pages_content": {"children": page}}}
    bodies = app.follow_on_bodies(answer, "/actions", "")
    assert [callback for callback, _ in bodies] == [paged]
    assert bodies[0][1]["inputs"][0]["value"] == {
        "startRow": 0,
        "endRow": 25,
        "sortModel": [{"colId": "due_date", "sort": "asc"}],
        "filterModel": {},
    }


def test_p90_is_the_nearest_rank():
    assert p90(list(range(1, 11))) == 9
    assert p90([5.0]) == 5.0
    assert p90([]) is None


@pytest.mark.parametrize("output", ["a.b", "..a.b...c.d.."])
def test_outputs_are_read_singly_or_several(output):
    callback = Callback.from_dependency({"output": output, "inputs": [{"id": "x", "property": "value"}]})
    assert callback.outputs[0] == ("a", "b")
    assert callback.single_output == (output == "a.b")


def test_facts_give_today_then_recent_meetings_then_days_before_today(tmp_path):
    from sqlalchemy import create_engine, text

    from benchmarks.databases import Database, facts

    url = f"sqlite:///{tmp_path / 'facts.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE districts (code TEXT, name TEXT)"))
        connection.execute(text("INSERT INTO districts VALUES ('E2', 'Alpha'), ('E1', 'Beta')"))
        connection.execute(text("CREATE TABLE meetings (date DATE)"))
        connection.execute(
            text("INSERT INTO meetings VALUES ('2020-01-09'), ('2025-03-13'), ('2025-06-12'), ('2025-09-11')")
        )
        connection.execute(
            text("CREATE TABLE priorities (code TEXT, number INT, valid_from DATE, valid_to DATE)")
        )
        connection.execute(
            text(
                "INSERT INTO priorities VALUES ('retired', 1, NULL, '2024-03-31'), ('current', 2, NULL, NULL)"
            )
        )
    engine.dispose()

    found = facts(Database("sqlite", "demo", url), dates=6, today=dt.date(2025, 9, 1))
    assert found.districts == ("E2", "E1")  # by name
    assert found.priority_code == "current"  # the first in force today
    # Today, the meetings of the last two years up to today (latest first), then the days before today.
    assert found.as_at_dates == (
        None,
        dt.date(2025, 6, 12),
        dt.date(2025, 3, 13),
        dt.date(2025, 8, 31),
        dt.date(2025, 8, 30),
        dt.date(2025, 8, 29),
    )


def test_bytes_transferred_count_only_http_requests():
    import json

    from benchmarks.browser import _network_totals

    def entry(method, **params):
        return {"message": json.dumps({"message": {"method": method, "params": params}})}

    entries = [
        entry("Network.requestWillBeSent", requestId="1", request={"url": "http://127.0.0.1:8071/"}),
        entry("Network.requestWillBeSent", requestId="2", request={"url": "chrome://resources/js/x.js"}),
        entry("Network.responseReceived", requestId="3", response={"url": "https://127.0.0.1/a.js"}),
        entry("Network.loadingFinished", requestId="1", encodedDataLength=1000),
        entry("Network.loadingFinished", requestId="2", encodedDataLength=50_000),
        entry("Network.loadingFinished", requestId="3", encodedDataLength=200),
        entry("Network.dataReceived", requestId="3", dataLength=900),
    ]
    assert _network_totals(entries) == (1200, 2)


def test_the_servers_ports_can_be_chosen(monkeypatch):
    from benchmarks import run, server

    monkeypatch.setattr(server, "PORTS", server.PORTS)  # restored after the test
    args = run.parse_arguments(["--ports", "8131-8139"])
    assert args.ports == range(8131, 8140)
    assert run.parse_arguments([]).ports == range(8071, 8080)
    for bad in ("8139-8131", "eighty", "0-2"):
        with pytest.raises(SystemExit):
            run.parse_arguments(["--ports", bad])

    server.use_ports(range(8131, 8140))
    with server.listening_socket() as first, server.listening_socket() as second:
        # Each is held until closed, so the second cannot be handed the first one's port.
        assert 8131 <= first.getsockname()[1] < second.getsockname()[1] <= 8139


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (a PostgreSQL server)")
def test_a_postgresql_database_is_vacuumed_and_analysed_once_built():
    # The benchmark's servers run with autovacuum off: without settle() its pages would be measured against
    # tables whose index-only scans still read every row from the table (see databases.settle).
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from benchmarks.databases import Database, remove, reset, settle

    url = make_url(TEST_DATABASE_URL).set(database=f"csp_settle_{uuid.uuid4().hex[:12]}")
    database = Database("postgresql", "demo", url.render_as_string(hide_password=False))
    reset(database)
    try:
        engine = create_engine(database.url, poolclass=NullPool)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE indicator_values (id int PRIMARY KEY, value float)"))
            connection.execute(
                text("INSERT INTO indicator_values SELECT n, n FROM generate_series(1, 1000) n")
            )
        settle(database)
        with engine.connect() as connection:
            vacuumed, analysed = connection.execute(
                text(
                    "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                    "WHERE relname = 'indicator_values'"
                )
            ).one()
        engine.dispose()
        assert (vacuumed, analysed) == (True, True)
    finally:
        remove(database)


def test_servers_are_timed_once_their_workers_are_idle():
    # A worker that answers while the other still draws its pages (pages._warm_up) would share two cores
    # with the first timed calls: the benchmark waits until the workers' CPU time stops growing.
    import time

    from benchmarks import server

    busy = subprocess.Popen(
        [sys.executable, "-c", "import time\nend = time.time() + 1.5\nwhile time.time() < end: pass"]
    )
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.3)  # both interpreters started
        started = time.monotonic()
        server.wait_until_idle([idle.pid], deadline=started + 10)
        assert time.monotonic() - started < 1.2
        started = time.monotonic()
        server.wait_until_idle([busy.pid, idle.pid], deadline=started + 10)
        assert busy.poll() is not None, "returned while one process was still busy"
    finally:
        for process in (busy, idle):
            process.kill()
            process.wait()
