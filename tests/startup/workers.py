"""Code run in separate processes by the start-up tests (importable, so ``spawn`` can start it)."""

from __future__ import annotations

from threading import Barrier


def prepare_with_demo(database_url: str, start_together: Barrier) -> None:
    """Prepare ``database_url`` with seeding forced on, starting at the same moment as the others."""
    from data_access.bootstrap import prepare_database
    from data_access.config import Settings

    settings = Settings(database_url=database_url)
    start_together.wait(timeout=60)
    prepare_database(settings, seed_demo_when_empty=True)
