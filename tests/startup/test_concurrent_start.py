"""Several workers starting at once on an empty database: the schema is made once, the demo loaded once,
and every worker boots."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.startup.conftest import BACKENDS, demo_row_counts, head_revision, row_counts, schema_revisions
from tests.startup.workers import prepare_with_demo

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
# post_worker_init runs once a worker has imported app.py, i.e. once its start-up is over.
GUNICORN_CONFIG = """
def post_worker_init(worker):
    worker.log.info("Application loaded in worker %s", worker.pid)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_three_gunicorn_workers_boot_together_on_an_empty_postgresql(fresh_server_database, tmp_path):
    config = tmp_path / "gunicorn_conf.py"
    config.write_text(GUNICORN_CONFIG)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    environment = {**os.environ, "DATABASE_URL": fresh_server_database}
    command = [sys.executable, "-m", "gunicorn", "--config", str(config), "--log-level", "info"]
    command += ["--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "app:server"]
    with log.open("w") as log_file:
        gunicorn = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log_file, stderr=log_file)
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and gunicorn.poll() is None:
            if log.read_text().count("Application loaded in worker") == WORKERS and answers_ok(
                f"http://127.0.0.1:{port}/"
            ):
                break
            time.sleep(0.2)
        output = log.read_text()
        assert gunicorn.poll() is None, f"gunicorn exited:\n{output}"
        assert output.count("Application loaded in worker") == WORKERS, output
        assert "Worker failed to boot" not in output and "Traceback" not in output, output
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    assert schema_revisions(fresh_server_database) == [head_revision()]
    # DATABASE_URL names this database, so no worker seeded the demo into it.
    assert set(row_counts(fresh_server_database).values()) == {0}


@pytest.mark.parametrize("backend", BACKENDS)
def test_three_processes_seeding_at_once_load_the_demo_exactly_once(backend, request, tmp_path):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'raced.db'}"
    else:
        url = request.getfixturevalue("fresh_server_database")
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, ProcessPoolExecutor(WORKERS, mp_context=spawn) as pool:
        start_together = manager.Barrier(WORKERS)
        runs = [pool.submit(prepare_with_demo, url, start_together) for _ in range(WORKERS)]
        for run in runs:
            run.result(timeout=60)  # re-raises any worker's error, an IntegrityError included

    assert schema_revisions(url) == [head_revision()]
    assert row_counts(url) == demo_row_counts()
