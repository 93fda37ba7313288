"""The production server's settings file: what gunicorn reads from gunicorn.conf.py."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.startup.test_concurrent_start import ROOT

# Run in a fresh interpreter: freezing the collector's view of every object would outlive the test.
_AFTER_WORKER_INIT = """
import gc, json, runpy
settings = runpy.run_path("gunicorn.conf.py")
before = gc.get_threshold()
settings["post_worker_init"](None)
print(json.dumps({"frozen": gc.get_freeze_count(), "before": before, "after": gc.get_threshold(),
                  "first_generation": settings["GC_FIRST_GENERATION"]}))
"""


def test_a_worker_freezes_what_start_up_made_and_collects_less_often():
    completed = subprocess.run(
        [sys.executable, "-c", _AFTER_WORKER_INIT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(completed.stdout)

    assert result["frozen"] > 1000  # the interpreter's and gunicorn.conf.py's own objects at least
    assert result["after"] == [result["first_generation"], *result["before"][1:]]
    assert result["first_generation"] > result["before"][0]
