"""The printer's promises, with stand-in browsers (small shell scripts): a clear message without Chromium,
a timeout that ends every process a run started, a limit on prints at once, nothing left on disk."""

from __future__ import annotations

import stat
import tempfile
import threading
import time
from pathlib import Path

import pytest

from printing.chromium import BrowserMissing, ChromiumPrinter, PrinterBusy, PrintFailed

# Writes a stand-in PDF where --print-to-pdf says, after sleeping $DELAY seconds (default none).
WRITES_A_PDF = """#!/bin/sh
sleep "${DELAY:-0}"
for argument in "$@"; do
    case "$argument" in --print-to-pdf=*) printf '%%PDF-1.4 stand-in' > "${argument#--print-to-pdf=}";; esac
done
"""
# Starts a helper (as Chromium starts its renderer), notes its process id, then hangs.
HANGS = """#!/bin/sh
sleep 300 &
echo $! > "$HELPER_PID_FILE"
sleep 300
"""
WRITES_NOTHING = """#!/bin/sh
echo "no PDF today" >&2
"""


def browser(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "fake-chromium"
    path.write_text(script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def private_temp(tmp_path, monkeypatch) -> Path:
    """Where the printer makes its temporary folders during the test, to see that none is left."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def running(pid: int) -> bool:
    """Whether a process is alive (a zombie waiting for its parent to reap it is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_missing_browser_is_explained_with_what_to_install(tmp_path):
    printer = ChromiumPrinter(tmp_path / "no-such-chromium")
    with pytest.raises(BrowserMissing) as raised:
        printer.print_html("<p>pack</p>")
    message = str(raised.value)
    assert "Chromium" in message and "scripts/install_browser.sh" in message
    assert str(tmp_path / "no-such-chromium") in message


def test_the_pdf_is_what_the_browser_wrote_and_its_folder_is_removed(tmp_path, private_temp):
    printer = ChromiumPrinter(browser(tmp_path, WRITES_A_PDF))
    assert printer.print_html("<p>pack</p>") == b"%PDF-1.4 stand-in"
    assert list(private_temp.iterdir()) == []


def test_a_run_past_the_timeout_is_stopped_with_every_process_it_started(tmp_path, private_temp, monkeypatch):
    helper_pid_file = tmp_path / "helper.pid"
    monkeypatch.setenv("HELPER_PID_FILE", str(helper_pid_file))
    printer = ChromiumPrinter(browser(tmp_path, HANGS), timeout_seconds=1)
    started = time.monotonic()
    with pytest.raises(PrintFailed, match="longer than 1 s"):
        printer.print_html("<p>pack</p>")
    assert time.monotonic() - started < 10
    helper = int(helper_pid_file.read_text())
    deadline = time.monotonic() + 5
    while running(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(helper)
    assert list(private_temp.iterdir()) == []


def test_a_browser_that_writes_no_pdf_is_a_failure_not_an_empty_file(tmp_path, private_temp):
    printer = ChromiumPrinter(browser(tmp_path, WRITES_NOTHING))
    with pytest.raises(PrintFailed, match="gave no file"):
        printer.print_html("<p>pack</p>")
    assert list(private_temp.iterdir()) == []


def test_prints_beyond_the_limit_wait_and_then_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DELAY", "2")
    printer = ChromiumPrinter(browser(tmp_path, WRITES_A_PDF), concurrency=1, wait_seconds=0.3)
    first = threading.Thread(target=printer.print_html, args=("<p>first</p>",))
    first.start()
    time.sleep(0.5)  # the first holds the only slot for about two seconds
    try:
        with pytest.raises(PrinterBusy, match="try again"):
            printer.print_html("<p>second</p>")
    finally:
        first.join()
    monkeypatch.setenv("DELAY", "0")
    assert printer.print_html("<p>third</p>").startswith(b"%PDF")  # the slot is free again


def test_the_document_reaches_the_browser_as_a_file_url(tmp_path):
    copy = tmp_path / "seen.html"
    script = f"""#!/bin/sh
for argument in "$@"; do
    case "$argument" in
        file://*) cp "${{argument#file://}}" "{copy}";;
        --print-to-pdf=*) printf '%%PDF' > "${{argument#--print-to-pdf=}}";;
    esac
done
"""
    ChromiumPrinter(browser(tmp_path, script)).print_html("<p>Ynys Môn</p>")
    assert copy.read_text(encoding="utf-8") == "<p>Ynys Môn</p>"
