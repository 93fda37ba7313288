"""The benchmark's figures and their markdown report: a summary table, then one table per measurement."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.stats import median, p90

# The row that adds up every callback of one filter change, on a page with several.
WHOLE_CHANGE = "whole change"
SECTIONS = (
    "1. Filter changes",
    "2. Cold first load",
    "3. Concurrency",
    "4. Memory",
    "5. Import throughput",
)


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def ratio(server: float | None, sql: float | None) -> str:
    if server is None or not sql:
        return "–"
    return f"{server / sql:,.1f}×" if server / sql < 100 else f"{server / sql:,.0f}×"


def kb(value: float | None) -> str:
    return "–" if value is None else f"{value / 1000:,.0f}"


def mb(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


@dataclass
class FilterChange:
    database: str
    scale: str
    page: str
    callback: str
    server_ms: list[float]
    in_process_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)


@dataclass
class ColdLoad:
    database: str  # "bare Dash page" for the yardstick
    scale: str
    page: str
    ready_ms: list[float]
    transferred_bytes: list[int]
    requests: list[int]
    graphs: int


@dataclass
class Concurrency:
    database: str
    scale: str
    clients: int
    seconds: float
    milliseconds: list[float]
    errors: int
    error_examples: list[str]


@dataclass
class Memory:
    database: str
    scale: str
    rss_mb: list[float]
    peak_mb: list[float]


@dataclass
class Import:
    database: str
    rows: int
    generator: str
    seconds: float
    reimport_seconds: float


@dataclass
class Build:
    database: str
    scale: str
    seconds: float | None  # None: reused
    counts: dict[str, int]


@dataclass
class Report:
    command: str
    machine: dict[str, str]
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    builds: list[Build] = field(default_factory=list)
    filter_changes: list[FilterChange] = field(default_factory=list)
    cold_loads: list[ColdLoad] = field(default_factory=list)
    concurrency: list[Concurrency] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float | None = None

    # ---- rendering ----------------------------------------------------------------------------------

    def markdown(self) -> str:
        lines = [f"# Benchmark, {self.started:%Y-%m-%d %H:%M %Z}", ""]
        lines += [f"Command: `{self.command}`", ""]
        lines += ["Machine: " + "; ".join(f"{key} {value}" for key, value in self.machine.items()) + ".", ""]
        if self.seconds is not None:
            lines += [f"The run took {self.seconds:,.0f} s.", ""]
        lines += self._summary()
        lines += self._filter_changes()
        lines += self._cold_loads()
        lines += self._concurrency()
        lines += self._memory()
        lines += self._imports()
        if self.notes:
            lines += ["## Notes", ""] + [f"- {note}" for note in self.notes] + [""]
        if self.errors:
            lines += ["## Errors", ""] + [f"- {error}" for error in self.errors] + [""]
        return "\n".join(lines)

    def _summary(self) -> list[str]:
        rows = []
        for build in self.builds:
            key = (build.database, build.scale)
            worst = max(self._changes_per_page(key), key=lambda c: p90(c.server_ms) or 0, default=None)
            loads = [c for c in self.cold_loads if (c.database, c.scale) == key]
            slowest = max(loads, key=lambda c: median(c.ready_ms) or 0, default=None)
            heaviest = max(loads, key=lambda c: median(c.transferred_bytes) or 0, default=None)
            load = next((c for c in self.concurrency if (c.database, c.scale) == key), None)
            memory = next((m for m in self.memory if (m.database, m.scale) == key), None)
            rows.append(
                [
                    build.database,
                    build.scale,
                    f"{build.counts.get('indicator_values', 0):,} values, {build.counts.get('actions', 0):,} actions",
                    "reused" if build.seconds is None else f"{build.seconds:,.0f} s",
                    f"{ms(p90(worst.server_ms))} ({worst.page})" if worst else "–",
                    f"{ms(median(slowest.ready_ms))} ({slowest.page})" if slowest else "–",
                    f"{kb(median(heaviest.transferred_bytes))} ({heaviest.page})" if heaviest else "–",
                    f"{len(load.milliseconds) / load.seconds:,.1f} / {ms(p90(load.milliseconds))} / {load.errors}"
                    if load
                    else "–",
                    mb(max(memory.rss_mb)) if memory and memory.rss_mb else "–",
                ]
            )
        bare = [c for c in self.cold_loads if c.scale == "–"]
        for load in bare:
            rows.append(
                [
                    load.database,
                    "–",
                    "–",
                    "–",
                    "–",
                    f"{ms(median(load.ready_ms))} ({load.page})",
                    f"{kb(median(load.transferred_bytes))} ({load.page})",
                    "–",
                    "–",
                ]
            )
        headers = [
            "database",
            "scale",
            "data",
            "build",
            "filter change p90 ms, worst page",
            "cold load ready ms, slowest page",
            "cold load kB, heaviest page",
            "8 clients: req/s / p90 ms / errors",
            "worker RSS MB, largest",
        ]
        return ["## Summary", ""] + table(headers, rows) + [""]

    def _changes_per_page(self, key: tuple[str, str]) -> list[FilterChange]:
        """Each page's whole filter change: its "whole change" row where it has several callbacks."""
        by_page: dict[str, FilterChange] = {}
        for change in self.filter_changes:
            if (change.database, change.scale) != key:
                continue
            if change.page not in by_page or change.callback == WHOLE_CHANGE:
                by_page[change.page] = change
        return list(by_page.values())

    def _filter_changes(self) -> list[str]:
        rows = [
            [
                c.database,
                c.scale,
                c.page,
                c.callback,
                str(len(c.server_ms)),
                ms(median(c.server_ms)),
                ms(p90(c.server_ms)),
                ms(median(c.in_process_ms)),
                ms(median(c.sql_ms)),
                mb(median(c.statements)) if c.statements else "–",
                ratio(median(c.server_ms), median(c.sql_ms)),
            ]
            for c in self.filter_changes
        ]
        headers = [
            "database",
            "scale",
            "page",
            "callback",
            "calls",
            "median ms",
            "p90 ms",
            "in-process ms",
            "SQL ms",
            "statements",
            "server/SQL",
        ]
        return [f"## {SECTIONS[0]}", ""] + table(headers, rows) + [""]

    def _cold_loads(self) -> list[str]:
        rows = [
            [
                c.database,
                c.scale,
                c.page,
                str(len(c.ready_ms)),
                ms(median(c.ready_ms)),
                ms(max(c.ready_ms)) if c.ready_ms else "–",
                kb(median(c.transferred_bytes)),
                mb(median(c.requests)),
                str(c.graphs),
            ]
            for c in self.cold_loads
        ]
        headers = [
            "database",
            "scale",
            "page",
            "loads",
            "ready ms (median)",
            "ready ms (max)",
            "kB transferred",
            "requests",
            "charts",
        ]
        return [f"## {SECTIONS[1]}", ""] + table(headers, rows) + [""]

    def _concurrency(self) -> list[str]:
        rows = [
            [
                c.database,
                c.scale,
                str(c.clients),
                f"{c.seconds:,.1f}",
                f"{len(c.milliseconds):,}",
                f"{len(c.milliseconds) / c.seconds:,.1f}",
                ms(median(c.milliseconds)),
                ms(p90(c.milliseconds)),
                str(c.errors),
            ]
            for c in self.concurrency
        ]
        headers = [
            "database",
            "scale",
            "clients",
            "seconds",
            "requests",
            "requests/s",
            "median ms",
            "p90 ms",
            "errors",
        ]
        return [f"## {SECTIONS[2]}", ""] + table(headers, rows) + [""]

    def _memory(self) -> list[str]:
        rows = [
            [m.database, m.scale, str(number), mb(rss), mb(peak)]
            for m in self.memory
            for number, (rss, peak) in enumerate(zip(m.rss_mb, m.peak_mb, strict=True), start=1)
        ]
        headers = ["database", "scale", "worker", "RSS MB", "peak RSS MB"]
        return [f"## {SECTIONS[3]}", ""] + table(headers, rows) + [""]

    def _imports(self) -> list[str]:
        rows = [
            [
                i.database,
                f"{i.rows:,}",
                f"{i.seconds:,.1f}",
                f"{i.rows / i.seconds:,.0f}",
                f"{i.reimport_seconds:,.1f}",
                f"{i.rows / i.reimport_seconds:,.0f}",
            ]
            for i in self.imports
        ]
        headers = [
            "database",
            "indicator_values rows",
            "import s",
            "rows/s",
            "re-import s",
            "re-import rows/s",
        ]
        return [f"## {SECTIONS[4]}", ""] + table(headers, rows) + [""]


# ---- the machine ---------------------------------------------------------------------------------------


def machine(extra: dict[str, str]) -> dict[str, str]:
    """CPU, cores, memory, operating system and the software that matters to the figures."""
    import dash
    import plotly
    import sqlalchemy

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Dash": dash.__version__,
        "plotly.py": plotly.__version__,
        "SQLAlchemy": sqlalchemy.__version__,
        **extra,
        "commit": _commit(),
    }


def _commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")
