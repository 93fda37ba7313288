"""Configuration in one place: environment variables with safe development defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'dashboard.db'}"


@dataclass(frozen=True)
class Settings:
    """What the dashboard and the command line need to know about their surroundings."""

    database_url: str = field(default_factory=lambda: os.getenv("DATABASE_URL", DEFAULT_DATABASE_URL))
    partnership_name: str = field(
        default_factory=lambda: os.getenv(
            "PARTNERSHIP_NAME", "Hampshire Community Safety Strategy Group (demonstration data)"
        )
    )
    # Seed the demo partnership on first run when the database is empty; production sets this to 0.
    seed_demo_when_empty: bool = field(
        default_factory=lambda: os.getenv("SEED_DEMO_WHEN_EMPTY", "1").lower() not in ("0", "false", "no")
    )
    host: str = field(default_factory=lambda: os.getenv("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(os.getenv("PORT", "8050")))
    debug: bool = field(default_factory=lambda: os.getenv("DASH_DEBUG", "0").lower() in ("1", "true", "yes"))
