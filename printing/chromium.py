"""HTML to a tagged PDF with headless Chromium: one process per document, nothing kept open.

Why Chromium: it prints the dashboard's own plotly charts as vector graphics with the vendored
plotly.js, lays out CSS paged media (``@page`` margin boxes give every page its footer and "Page 3 of
12"), and writes a tagged PDF (a structure tree, the document's language, figures with their text
alternative, an outline from the headings) that screen readers can read.

Each document gets a private temporary directory holding the HTML, Chromium's profile and the PDF,
removed afterwards.  A run that takes longer than the timeout is killed with every process it started
(Chromium runs in a process group of its own).  A semaphore bounds how many Chromiums one worker runs at
once, so a queue of board packs cannot take every core and all the memory of the server.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader

LOG = logging.getLogger(__name__)

INSTALL_HINT = (
    "An administrator can install it with scripts/install_browser.sh "
    "(as root; it installs Debian's chromium package)."
)

# BROWSER.md: headless on a closed network, no background traffic; a fresh profile per run (added below).
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    # The document is self-contained: nothing in it may reach a network.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
)

PageNumbers = Mapping[str, int]
"""Where each anchor of a document ended up: an element's id -> the 1-based page it starts on."""


class PrintingError(Exception):
    """A PDF could not be made; the message is written for the person who asked for it."""


class BrowserMissing(PrintingError):
    """Chromium is not installed where the settings say."""


class PrinterBusy(PrintingError):
    """Every printing slot of this worker stayed taken for the whole wait."""


class PrintFailed(PrintingError):
    """Chromium ran but gave no PDF, or took too long."""


class ChromiumPrinter:
    """Prints HTML documents with the Chromium at ``executable``, at most ``concurrency`` at a time in
    this process.  A document waits at most ``wait_seconds`` (default: half the timeout) for a free slot,
    then has ``timeout_seconds`` for all its printing runs, after which the run under way is killed; so a
    request never takes longer than the two together (keep that below the web server's own timeout)."""

    def __init__(
        self,
        executable: str | Path,
        *,
        timeout_seconds: float = 60,
        concurrency: int = 2,
        wait_seconds: float | None = None,
    ):
        self.executable = Path(executable)
        self.timeout_seconds = timeout_seconds
        self.wait_seconds = timeout_seconds / 2 if wait_seconds is None else wait_seconds
        self.concurrency = concurrency
        self._slots = threading.BoundedSemaphore(concurrency)

    def print_html(self, html: str) -> bytes:
        """``html`` (a self-contained document) as PDF bytes."""
        with self._slot():
            return self._run(html, time.monotonic() + self.timeout_seconds)

    def print_with_page_numbers(
        self, render: Callable[[PageNumbers | None], str], *, passes: int = 3
    ) -> bytes:
        """Print a layout pass, ``render(None)``, read which page each linked anchor landed on, and print
        ``render(numbers)``, so a contents page can give page numbers (Chromium has no CSS
        ``target-counter``).

        ``render(None)`` must lay out every page as the finished document does (it may leave out what
        takes time but no space, such as drawing charts in fixed-size boxes), and ``render`` must lay out
        the numbers in a fixed width, so filling them in moves nothing.  Both are checked: printing is
        repeated (up to ``passes`` runs) until the numbers shown are the numbers found.  If they never
        settle, the document is printed with no numbers, ``render({})``, rather than with wrong ones.
        """
        with self._slot():
            deadline = time.monotonic() + self.timeout_seconds
            numbers: PageNumbers | None = None
            for _ in range(passes):
                pdf = self._run(render(numbers), deadline)
                found = destination_pages(pdf)
                if numbers is not None and _shown_numbers_hold(numbers, found):
                    return pdf
                numbers = found
            LOG.warning("Page numbers did not settle after %d passes; printing without them", passes)
            return self._run(render({}), deadline)

    @contextmanager
    def _slot(self) -> Iterator[None]:
        """Hold one of this worker's printing slots, waiting at most ``wait_seconds`` for one to free up."""
        if not self._slots.acquire(timeout=self.wait_seconds):
            raise PrinterBusy(
                f"{self.concurrency} documents are already being printed on this server; "
                "please try again in a minute."
            )
        try:
            yield
        finally:
            self._slots.release()

    def _run(self, html: str, deadline: float) -> bytes:
        """Print ``html`` with one Chromium, killed if it is still running at ``deadline`` (monotonic)."""
        if not (self.executable.is_file() and os.access(self.executable, os.X_OK)):
            raise BrowserMissing(
                f"The PDF could not be made: it needs the Chromium web browser, which is not installed "
                f"on this server ({self.executable}). {INSTALL_HINT}"
            )
        with tempfile.TemporaryDirectory(prefix="board-pack-", ignore_cleanup_errors=True) as work:
            folder = Path(work)
            document, output = folder / "document.html", folder / "document.pdf"
            document.write_text(html, encoding="utf-8")
            command = [
                str(self.executable),
                *_FLAGS,
                f"--user-data-dir={folder / 'profile'}",
                f"--print-to-pdf={output}",
                document.as_uri(),
            ]
            started = time.perf_counter()
            stderr = _run_until(command, deadline, self.timeout_seconds)
            LOG.info("Chromium printed %s in %.2f s", document.name, time.perf_counter() - started)
            if not output.is_file() or output.stat().st_size == 0:
                LOG.error("Chromium wrote no PDF; its last words: %s", stderr[-2000:])
                raise PrintFailed("The PDF could not be made: the browser that prints it gave no file.")
            return output.read_bytes()


def _run_until(command: list[str], deadline: float, timeout_seconds: float) -> str:
    """Run ``command`` in a process group of its own and return its stderr; kill the whole group if it
    is still running at ``deadline`` (``timeout_seconds`` is the limit that deadline stands for)."""
    overrun = PrintFailed(
        f"The PDF could not be made: the browser that prints it took longer than "
        f"{timeout_seconds:g} s and was stopped. Please try again in a few minutes."
    )
    if time.monotonic() >= deadline:
        raise overrun
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # Chromium's renderer and helpers share its group, so one kill ends all
    )
    try:
        _, stderr = process.communicate(timeout=max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise overrun from None
    return stderr.decode("utf-8", "replace")


def destination_pages(pdf: bytes) -> dict[str, int]:
    """The 1-based page each named destination of ``pdf`` points at.

    Chromium writes a named destination for every element id that a link in the document points to,
    so a contents page's links tell where each section starts.
    """
    reader = PdfReader(io.BytesIO(pdf))
    return {
        str(name).removeprefix("/"): reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }


def _shown_numbers_hold(shown: PageNumbers, found: PageNumbers) -> bool:
    return all(found.get(anchor) == page for anchor, page in shown.items())
