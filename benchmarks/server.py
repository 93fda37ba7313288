"""Run an app under gunicorn for the benchmark: a free port, wait until it answers, workers' memory."""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# The benchmark's own ports: other tools use 8050 (dash_duo, python app.py) and 8061-8069.
PORTS = range(8071, 8080)
WORKERS = 2


class ServerError(RuntimeError):
    """The app did not start, or stopped answering."""


def use_ports(ports: range) -> None:
    """Start this run's servers on ``ports`` instead of PORTS (``--ports``: several benchmarks, or a
    benchmark beside other servers, on one machine)."""
    global PORTS
    PORTS = ports


def listening_socket(ports: Iterable[int] | None = None) -> socket.socket:
    """A socket listening on the first of ``ports`` (default PORTS) that is free, for gunicorn to inherit.

    The port is held from the moment it is found: a port only probed and handed over by number can be
    taken by another program before gunicorn binds it (seen once in the test suite, with tests running
    in parallel), and gunicorn then gives up after five seconds of "Connection in use".
    """
    ports = PORTS if ports is None else ports
    for port in ports:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # As gunicorn's own binding does: a port whose last server's connections linger in TIME_WAIT is free.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", port))
            listener.listen(2048)
        except OSError:
            listener.close()
            continue
        return listener
    raise ServerError(f"No free port among {list(ports)}")


@functools.cache
def _gunicorn_options() -> tuple[str, ...]:
    """Options this gunicorn understands that keep parallel servers apart.

    gunicorn 27 opens a control socket at one fixed path per user: two servers on one machine would
    fight over it, so it is switched off when the option exists.
    """
    help_text = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=False
    ).stdout
    return ("--no-control-socket",) if "--no-control-socket" in help_text else ()


@dataclass
class Server:
    """A gunicorn master serving an app at ``url``."""

    process: subprocess.Popen
    url: str
    log_path: Path
    workers: int
    port: int

    def worker_pids(self) -> list[int]:
        """The master's child processes (gunicorn's workers), from /proc."""
        return children_of(self.process.pid)

    def worker_memory_mb(self) -> list[tuple[float, float]]:
        """Each worker's resident memory now and at its peak (VmRSS, VmHWM), in MB (10^6 bytes)."""
        return [
            (memory_kb(pid, "VmRSS") * 1024 / 1e6, memory_kb(pid, "VmHWM") * 1024 / 1e6)
            for pid in self.worker_pids()
        ]

    def log_tail(self, characters: int = 2000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]
        except OSError:
            return ""

    def wait_until_ready(self, path: str = "/", timeout: float = 180) -> None:
        """Block until ``path`` answers 200 and every worker has started, and then until the workers are
        idle: one worker answers while the other may still be drawing its pages before its first request
        (pages._warm_up), and a timed call beside it would be timing both on two cores."""
        deadline = time.monotonic() + timeout
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                response = requests.get(self.url + path, timeout=30)
                if response.status_code == 200 and len(self.worker_pids()) >= self.workers:
                    wait_until_idle(self.worker_pids(), deadline=deadline)
                    return
                last_error = f"HTTP {response.status_code}"
            except requests.RequestException as error:
                last_error = str(error)
            time.sleep(0.2)
        raise ServerError(
            f"gunicorn did not answer {path} within {timeout:.0f} s ({last_error}):\n{self.log_tail()}"
        )

    def stop(self) -> None:
        stop(self.process)


def start(
    app_spec: str,
    environment: Mapping[str, str],
    log_path: Path,
    *,
    ports: Iterable[int] | None = None,
    workers: int = WORKERS,
) -> Server:
    """Start ``gunicorn -w workers app_spec`` on the first free port of ``ports`` (not waiting)."""
    listener = listening_socket(ports)
    port = listener.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        # gunicorn serves on the socket it inherits, already bound to 127.0.0.1:port.
        "-b",
        f"fd://{listener.fileno()}",
        # Long enough for a large-scale page on a slow machine: a killed worker would read as an error.
        "--timeout",
        "300",
        *_gunicorn_options(),
        app_spec,
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with listener, open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),),
        )
    return Server(process, f"http://127.0.0.1:{port}", log_path, workers, port)


@contextmanager
def gunicorn(
    app_spec: str,
    environment: Mapping[str, str],
    log_path: Path,
    *,
    ports: Iterable[int] | None = None,
    workers: int = WORKERS,
    timeout: float = 180,
) -> Iterator[Server]:
    """Serve ``app_spec`` under gunicorn while the block runs, once it answers."""
    server = start(app_spec, environment, log_path, ports=ports, workers=workers)
    try:
        server.wait_until_ready(timeout=timeout)
        yield server
    finally:
        server.stop()


def stop(process: subprocess.Popen, grace: float = 15) -> None:
    """Stop a gunicorn master (and so its workers): TERM, then KILL after ``grace`` seconds."""
    if process.poll() is not None:
        return
    workers = children_of(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        # A master that ignores TERM leaves its workers behind when killed: kill those too.
        process.kill()
        process.wait()
        for pid in workers:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# Workers are idle once their CPU time has not grown for this long.
IDLE_SECONDS = 0.5


def wait_until_idle(pids: Iterable[int], *, deadline: float) -> None:
    """Block until the processes' CPU time (user and system, /proc/<pid>/stat) stops growing for
    IDLE_SECONDS, or until ``deadline`` (time.monotonic())."""
    pids = list(pids)
    last = cpu_ticks(pids)
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - quiet_since < IDLE_SECONDS:
        time.sleep(0.1)
        now = cpu_ticks(pids)
        if now != last:
            last, quiet_since = now, time.monotonic()


def cpu_ticks(pids: Iterable[int]) -> int:
    """The processes' CPU time so far, in clock ticks (0 for one that has gone)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(Path(f"/proc/{pid}"))
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime and stime: fields 14 and 15 of stat(5)
    return total


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid``, read from /proc/<pid>/stat."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry)
        if fields and int(fields[1]) == pid:
            children.append(int(entry.name))
    return sorted(children)


def _stat_fields(process: Path) -> list[str]:
    """The fields of a process's /proc/<pid>/stat after its command name, from the state (field 3 of
    stat(5)) on; none once the process has gone."""
    try:
        stat = (process / "stat").read_text()
    except OSError:
        return []
    # The command name is in parentheses and may hold spaces: the state follows the last ")".
    return stat[stat.rindex(")") + 2 :].split()


def memory_kb(pid: int, field: str = "VmRSS") -> int:
    """A figure of /proc/<pid>/status in kB (VmRSS: resident now, VmHWM: peak); 0 once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
