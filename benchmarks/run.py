"""``python -m benchmarks``: measure the dashboard at demo and large scale on SQLite and PostgreSQL.

For each database and scale: build the partnership with ``python -m data_access demo [--scale large]``,
serve the app with ``gunicorn -w 2 app:server``, then measure 1. filter changes (server round trip
beside the same SQL run alone), 2. cold first loads in headless Chromium, 3. eight concurrent clients,
4. the workers' memory; and per database 5. the import of a large ``indicator_values`` file. A bare
one-graph Dash page is loaded in the same run for comparison. Prints one markdown report (see
docs/benchmarks.md for what each figure means).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from pathlib import Path

from benchmarks import browser, dash_client, databases, report, server
from benchmarks.databases import DEMO, LARGE, POSTGRESQL, SQLITE, Database, Unavailable
from benchmarks.workload import write_import_workbook

DEFAULT_CACHE = server.ROOT / "instance" / "benchmarks"
TINY = {
    "databases": SQLITE,
    "scales": DEMO,
    "calls": 10,
    "concurrency_seconds": 3.0,
    "import_rows": 10_000,
    "loads": 1,
    "sql_samples": 2,
    "warm_up": 1,
}


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", help=f"comma-separated: {SQLITE},{POSTGRESQL} (default both)")
    parser.add_argument("--scales", help=f"comma-separated: {DEMO},{LARGE} (default both)")
    parser.add_argument("--calls", type=int, help="filter changes timed per page (default 50)")
    parser.add_argument(
        "--concurrency-seconds", type=float, help="how long the 8 concurrent clients run (default 30)"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--loads", type=int, help="cold loads of each page, median reported (default 3)")
    parser.add_argument(
        "--sql-samples",
        type=int,
        help="filter changes per page whose SQL is replayed alone (default: every one timed)",
    )
    parser.add_argument(
        "--warm-up", type=int, help="untimed filter changes per page before the timed ones (default 2)"
    )
    parser.add_argument(
        "--import-rows", type=int, help="rows in the indicator_values file imported (default 1,000,000)"
    )
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to leave out: import, browser, concurrency"
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="a quick run for the test suite: SQLite, demo scale, 10 calls, 3 s, 10,000 rows, one page loaded",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the built databases and reuse them next time (the large build takes minutes)",
    )
    parser.add_argument(
        "--postgresql-url",
        default=databases.DEFAULT_POSTGRESQL_URL,
        help="server and base name of the PostgreSQL databases; the scale is appended to the name "
        f"(default {databases.DEFAULT_POSTGRESQL_URL} gives csp_benchmark_demo, ..._large, ..._import)",
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"SQLite files, logs (default {DEFAULT_CACHE})"
    )
    parser.add_argument("--output", type=Path, help="also write the markdown report to this file")
    parser.add_argument(
        "--ports",
        type=_port_range,
        default=server.PORTS,
        help=f"FIRST-LAST: the ports its servers may listen on (default {server.PORTS.start}-{server.PORTS.stop - 1})",
    )
    args = parser.parse_args(argv)
    defaults = {
        "databases": f"{SQLITE},{POSTGRESQL}",
        "scales": f"{DEMO},{LARGE}",
        "calls": 50,
        "concurrency_seconds": 30.0,
        "import_rows": 1_000_000,
        "loads": 3,
        "sql_samples": None,
        "warm_up": 2,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, TINY[name] if args.tiny else value)
    args.databases = _choices(args.databases, (SQLITE, POSTGRESQL), parser)
    args.scales = _choices(args.scales, (DEMO, LARGE), parser)
    args.skip = set(_choices(args.skip, ("import", "browser", "concurrency"), parser)) if args.skip else set()
    return args


def _port_range(text: str) -> range:
    first, _, last = text.partition("-")
    try:
        ports = range(int(first), int(last or first) + 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not FIRST-LAST, e.g. 8131-8139") from None
    if not ports or ports.start < 1 or ports.stop > 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a range of ports")
    return ports


def _choices(text: str, allowed: tuple[str, ...], parser: argparse.ArgumentParser) -> list[str]:
    chosen = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in allowed]
    if unknown:
        parser.error(f"unknown {', '.join(unknown)}: choose from {', '.join(allowed)}")
    return chosen


def _stop_on_terminate(signal_number, _frame) -> None:
    # Unwinds through every `finally`, so the servers this run started are stopped with it.
    raise SystemExit(128 + signal_number)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    args = parse_arguments(arguments)
    server.use_ports(args.ports)
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    start = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    # Keep the last two runs' files (one may still be running beside this one), drop older ones.
    previous = sorted(args.cache_dir.glob("run-*"), key=lambda path: path.stat().st_mtime)
    for old in previous[:-2]:
        shutil.rmtree(old, ignore_errors=True)
    logs = Path(tempfile.mkdtemp(prefix="run-", dir=args.cache_dir))
    versions = {}
    for kind in args.databases:
        try:
            versions[_version_label(kind)] = databases.server_version(_database(args, kind, DEMO))
        except Exception as error:  # noqa: BLE001  (said in the report)
            versions[_version_label(kind)] = f"unreachable ({type(error).__name__})"
    if "browser" not in args.skip:
        versions["Chromium"] = browser.chromium_version()
    result = report.Report(
        command=shlex.join(["python", "-m", "benchmarks", *arguments]),
        machine=report.machine(versions),
    )
    browser_problem = None if "browser" in args.skip else browser.chromium_missing()
    if browser_problem:
        result.notes.append(f"Cold loads not measured: {browser_problem}.")
    # The yardstick starts now, so its start-up overlaps the builds; it idles until it is measured.
    bare = None
    if "browser" not in args.skip and not browser_problem:
        bare = server.start("benchmarks.bare_app:server", {}, logs / "gunicorn-bare.log")
    try:
        for kind in args.databases:
            for scale in args.scales:
                _measure_database(args, _database(args, kind, scale), result, logs, browser_problem)
        if "import" not in args.skip:
            for kind in args.databases:
                _guarded(
                    result, f"{kind} import", lambda kind=kind: _measure_import(args, kind, result, logs)
                )
        if bare is not None:
            _guarded(result, "bare Dash page", lambda: _measure_bare_page(args, bare, result))
    finally:
        if bare is not None:
            bare.stop()
    load_at_end = os.getloadavg()[0]
    result.notes.append(
        f"Load average (1 minute) was {load_at_start:.2f} when the run started and {load_at_end:.2f} when it ended"
        + (
            ": other work was running on the machine and slowed these figures."
            if load_at_start > 0.5
            else "."
        )
    )
    result.notes.append(
        f"Server logs and the run's working files are in {logs} (kept for the next two runs)."
    )
    result.seconds = time.perf_counter() - start
    text = result.markdown()
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    return 1 if result.errors else 0


_STARTED = time.perf_counter()


def _progress(message: str) -> None:
    print(f"[benchmark {time.perf_counter() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def _version_label(kind: str) -> str:
    return {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}.get(kind, kind)


def _database(args: argparse.Namespace, kind: str, scale: str) -> Database:
    return databases.database_for(kind, scale, cache_dir=args.cache_dir, postgresql_url=args.postgresql_url)


def _guarded(result: report.Report, what: str, work) -> None:
    """Run one measurement; a failure is reported (and fails the run) without stopping the others."""
    try:
        work()
    except Unavailable as reason:
        result.notes.append(f"{what}: {reason}.")
    except Exception as error:  # noqa: BLE001  (every failure ends up in the report)
        detail = traceback.format_exception_only(error)[-1].strip()
        result.errors.append(f"{what}: {detail}")
        traceback.print_exc(file=sys.stderr)


# ---- one database at one scale ---------------------------------------------------------------------------


def _measure_database(
    args: argparse.Namespace,
    database: Database,
    result: report.Report,
    logs: Path,
    browser_problem: str | None,
) -> None:
    label = database.label
    try:
        _progress(f"{label}: building")
        built = databases.build(database, cache_dir=args.cache_dir, reuse=args.reuse)
    except Unavailable as reason:
        result.notes.append(f"{label}: {reason}.")
        return
    except Exception as error:  # noqa: BLE001
        result.errors.append(f"{label}: build failed: {traceback.format_exception_only(error)[-1].strip()}")
        return
    result.builds.append(report.Build(database.kind, database.scale, built.seconds, built.counts))
    try:
        _guarded(result, label, lambda: _measure_served(args, database, result, logs, browser_problem))
    finally:
        if not args.reuse:
            _guarded(result, f"{label}: clean-up", lambda: databases.forget(database, args.cache_dir))


def _measure_served(
    args: argparse.Namespace,
    database: Database,
    result: report.Report,
    logs: Path,
    browser_problem: str | None,
) -> None:
    # Every call of the timed filter changes gets a date of its own (six pages at most).
    facts = databases.facts(database, dates=6 * (args.warm_up + args.calls) + 1)
    if not facts.districts:
        result.notes.append(
            f"{database.label}: the partnership has no districts; every filter is the whole partnership."
        )
    environment = {"DATABASE_URL": database.url}
    log = logs / f"gunicorn-{database.kind}-{database.scale}.log"
    with server.gunicorn("app:server", environment, log) as served:
        _progress(f"{database.label}: serving at {served.url}")
        app = dash_client.DashApp.discover(served.url)
        timings = dash_client.time_filter_changes(app, facts, args.calls, args.warm_up)
        rows = _filter_change_rows(database, timings)
        result.filter_changes.extend(rows.values())
        if "browser" not in args.skip and not browser_problem:
            _progress(f"{database.label}: cold loads")
            # The three first loads: the overview, a priority page and the actions.
            paths = dash_client.pages(facts, meeting_pages=False)
            cold_pages = [p for p in paths if p != "/districts"][: 1 if args.tiny else None]
            for path in cold_pages:
                result.cold_loads.append(
                    _cold_loads(database.kind, database.scale, path, served.url + path, args.loads)
                )
        if "concurrency" not in args.skip:
            _progress(f"{database.label}: {args.clients} concurrent clients")
            load = dash_client.concurrent_filter_changes(
                app, facts, clients=args.clients, seconds=args.concurrency_seconds
            )
            result.concurrency.append(
                report.Concurrency(
                    database.kind,
                    database.scale,
                    load.clients,
                    load.seconds,
                    load.milliseconds,
                    load.errors,
                    load.error_examples,
                )
            )
            if load.errors:
                result.errors.append(
                    f"{database.label}: {load.errors} of {load.errors + len(load.milliseconds)} concurrent "
                    f"requests failed, e.g. {'; '.join(load.error_examples)}"
                )
        memory = served.worker_memory_mb()
        result.memory.append(
            report.Memory(database.kind, database.scale, [m[0] for m in memory], [m[1] for m in memory])
        )
    _check_logged_failures(result, f"{database.label}: the server", served.log_tail(characters=10**7), log)
    _progress(f"{database.label}: the same SQL alone")
    _measure_sql_alone(args, database, timings, rows, logs, result)


TRACEBACK = "Traceback (most recent call last)"


def _check_logged_failures(result: report.Report, who: str, log_text: str, where: Path) -> None:
    """A page that failed still answers 200 (it shows "this page failed"), so its timing would mislead:
    any traceback the app logged fails the run."""
    count = log_text.count(TRACEBACK)
    if count:
        last = log_text[log_text.rindex(TRACEBACK) :].strip().splitlines()
        result.errors.append(
            f"{who} logged {count} traceback(s), the last ending {last[-1][:300]!r} (see {where})"
        )


def _cold_loads(database: str, scale: str, page: str, url: str, loads: int) -> report.ColdLoad:
    measured = [browser.cold_load(url) for _ in range(loads)]
    return report.ColdLoad(
        database,
        scale,
        page,
        [m.ready_ms for m in measured],
        [m.transferred_bytes for m in measured],
        [m.requests for m in measured],
        measured[-1].graphs,
    )


def _filter_change_rows(
    database: Database, timings: list[dash_client.PageTimings]
) -> dict[tuple[str, str], report.FilterChange]:
    """A row per page and callback; and the whole change (every callback in turn) where there are several."""
    rows = {}
    for page in timings:
        for callback, milliseconds in page.by_callback().items():
            rows[(page.page, callback)] = report.FilterChange(
                database.kind, database.scale, page.page, callback, milliseconds
            )
        if any(len(change) > 1 for change in page.calls):
            totals = [sum(call.milliseconds for call in change) for change in page.calls]
            rows[(page.page, report.WHOLE_CHANGE)] = report.FilterChange(
                database.kind, database.scale, page.page, report.WHOLE_CHANGE, totals
            )
    return rows


def _measure_sql_alone(
    args: argparse.Namespace,
    database: Database,
    timings: list[dash_client.PageTimings],
    rows: dict[tuple[str, str], report.FilterChange],
    logs: Path,
    result: report.Report,
) -> None:
    """Replay the timed callbacks in a fresh process, then their SQL alone (benchmarks.sql_alone)."""
    items = []
    for page in timings:
        # The first change's callbacks warm the process up (imports, connection pool) and are not reported.
        samples = page.calls if args.sql_samples is None else page.calls[: args.sql_samples + 1]
        for number, change in enumerate(samples):
            for call in change:
                items.append(
                    {
                        "page": page.page,
                        "callback": call.callback,
                        "change": number,
                        "body": call.body,
                        "warm_up": number == 0,
                    }
                )
    bodies = logs / f"bodies-{database.kind}-{database.scale}.json"
    out = logs / f"sql-{database.kind}-{database.scale}.json"
    bodies.write_text(json.dumps(items), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.sql_alone", str(bodies), str(out)],
        cwd=server.ROOT,
        env=databases.command_environment(database),
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the SQL-alone replay failed: {completed.stderr.strip()[-1500:]}")
    (logs / f"sql-{database.kind}-{database.scale}.log").write_text(completed.stderr, encoding="utf-8")
    _check_logged_failures(result, f"{database.label}: the in-process replay", completed.stderr, logs)
    measured = json.loads(out.read_text(encoding="utf-8"))
    grouped = defaultdict(list)
    changes = defaultdict(lambda: defaultdict(list))
    for entry in measured:
        grouped[(entry["page"], entry["callback"])].append(entry)
        changes[entry["page"]][entry["change"]].append(entry)
    for page, by_change in changes.items():
        if (page, report.WHOLE_CHANGE) in rows:
            for entries in by_change.values():
                grouped[(page, report.WHOLE_CHANGE)].append(
                    {key: sum(e[key] for e in entries) for key in ("in_process_ms", "sql_ms", "statements")}
                )
    for key, entries in grouped.items():
        row = rows.get(key)
        if row is not None:
            row.in_process_ms = [e["in_process_ms"] for e in entries]
            row.sql_ms = [e["sql_ms"] for e in entries]
            row.statements = [e["statements"] for e in entries]


# ---- per database and per run ----------------------------------------------------------------------------


def _measure_import(args: argparse.Namespace, kind: str, result: report.Report, logs: Path) -> None:
    """Import a generated indicator_values file into an empty database, then import it again."""
    _progress(f"{kind}: import of {args.import_rows:,} rows")
    folder = logs / f"import-{args.import_rows}"
    generator = write_import_workbook(folder, args.import_rows)
    database = _database(args, kind, "import")
    databases.reset(database)
    try:
        completed, _ = databases.data_access_command(database, "init")
        if completed.returncode != 0:
            raise RuntimeError(
                f"`python -m data_access init` exited {completed.returncode}: {completed.stderr[-1500:]}"
            )
        seconds = []
        for _ in range(2):
            completed, elapsed = databases.data_access_command(database, "import", str(folder), timeout=3600)
            if completed.returncode != 0:
                raise RuntimeError(
                    f"`python -m data_access import` exited {completed.returncode}: "
                    f"{(completed.stderr or completed.stdout).strip()[-1500:]}"
                )
            seconds.append(elapsed)
        rows = databases.table_counts(database).get("indicator_values", 0)
        if rows != args.import_rows:
            raise RuntimeError(f"imported {rows:,} indicator_values rows, expected {args.import_rows:,}")
        result.imports.append(report.Import(kind, rows, generator, seconds[0], seconds[1]))
        note = f"The import file was written by {generator}."
        if note not in result.notes:
            result.notes.append(note)
    finally:
        databases.remove(database)
        shutil.rmtree(folder, ignore_errors=True)


def _measure_bare_page(args: argparse.Namespace, bare: server.Server, result: report.Report) -> None:
    _progress("bare one-graph Dash page")
    bare.wait_until_ready()
    result.cold_loads.append(_cold_loads("bare Dash page", "–", "/", bare.url + "/", args.loads))
