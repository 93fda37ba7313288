"""Configuration in one place: environment variables with safe development defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
# The embedded default: the SQLite file used when DATABASE_URL is unset.
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'dashboard.db'}"


@dataclass(frozen=True)
class Settings:
    """What the dashboard and the command line need to know about their surroundings."""

    database_url: str = field(default_factory=lambda: os.getenv("DATABASE_URL", DEFAULT_DATABASE_URL))
    # The only database the demo partnership is loaded into without being asked (when it is empty).
    # Not an environment variable: tests point it at a temporary file.
    embedded_database_url: str = DEFAULT_DATABASE_URL
    # Short, so a request arriving while PostgreSQL is unreachable waits seconds, not minutes.
    database_connect_timeout: int = field(
        default_factory=lambda: int(os.getenv("DATABASE_CONNECT_TIMEOUT", "5"))
    )
    # While the database cannot be prepared, try again at most this often (in seconds).
    database_retry_seconds: float = field(
        default_factory=lambda: float(os.getenv("DATABASE_RETRY_SECONDS", "5"))
    )
    host: str = field(default_factory=lambda: os.getenv("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(os.getenv("PORT", "8050")))
    # Memory each worker may give to cached page views (data_access.cache); 0 turns the cache off.
    view_cache_mb: float = field(default_factory=lambda: float(os.getenv("VIEW_CACHE_MB", "64")))
    debug: bool = field(default_factory=lambda: os.getenv("DASH_DEBUG", "0").lower() in ("1", "true", "yes"))

    @property
    def uses_embedded_database(self) -> bool:
        """True when the database is the embedded default, not one named by DATABASE_URL."""
        return self.database_url == self.embedded_database_url
