"""Configuration in one place: environment variables with safe development defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
# In development, when SECRET_KEY is unset, the key that signs session cookies is kept here (made on first
# use), so every worker on the machine shares it and a restart does not sign everyone out.
DEVELOPMENT_SECRET_KEY_FILE = INSTANCE_DIR / "secret_key"
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
    debug: bool = field(default_factory=lambda: _flag("DASH_DEBUG", False))
    # "production" refuses to start without SECRET_KEY and marks session cookies Secure (HTTPS only).
    mode: str = field(default_factory=lambda: os.getenv("DASHBOARD_MODE", "development").strip().lower())
    # Signs the session cookie. Every worker and machine serving the dashboard must share it.
    secret_key: str | None = field(default_factory=lambda: os.getenv("SECRET_KEY") or None)
    # How many reverse proxies in front of the app to trust for the client's address and the scheme
    # (X-Forwarded-For, -Proto, -Host); 0 trusts none.  The sign-in rate limit counts by that address.
    trusted_proxies: int = field(default_factory=lambda: int(os.getenv("TRUSTED_PROXIES", "0")))
    # A public view: visitors who have not signed in see the dashboard as the public role (nothing
    # restricted) instead of being asked to sign in. Users may still sign in to see more.
    public_view: bool = field(default_factory=lambda: _flag("PUBLIC_VIEW", False))
    # How to report an accessibility problem, named in the accessibility statement: an email address or
    # a web address (PSBAR 2018 asks for a contact).
    accessibility_contact: str | None = field(
        default_factory=lambda: os.getenv("ACCESSIBILITY_CONTACT") or None
    )
    # SECURE_COOKIES, when set: whether session cookies travel only over HTTPS (default: in production).
    secure_cookies_setting: bool | None = field(default_factory=lambda: _optional_flag("SECURE_COOKIES"))

    # The board pack PDF: the headless Chromium that prints it, the longest its printing may take (in
    # seconds; a pack waits at most half as long again for a free slot, so keep one and a half times it
    # below GUNICORN_TIMEOUT) and how many packs one worker prints at once.
    chromium_path: str = field(default_factory=lambda: os.getenv("CHROMIUM_PATH", "/usr/bin/chromium"))
    board_pack_timeout: float = field(default_factory=lambda: float(os.getenv("BOARD_PACK_TIMEOUT", "60")))
    board_pack_concurrency: int = field(default_factory=lambda: int(os.getenv("BOARD_PACK_CONCURRENCY", "2")))

    # The largest workbook that may be uploaded on /data, in megabytes (10^6 bytes).
    upload_max_mb: float = field(default_factory=lambda: float(os.getenv("UPLOAD_MAX_MB", "20")))

    @property
    def upload_max_bytes(self) -> int:
        return int(self.upload_max_mb * 1_000_000)

    @property
    def production(self) -> bool:
        return self.mode == "production"

    @property
    def secure_cookies(self) -> bool:
        """Session cookies only over HTTPS: on in production unless SECURE_COOKIES=0 says otherwise."""
        return self.production if self.secure_cookies_setting is None else self.secure_cookies_setting

    @property
    def uses_embedded_database(self) -> bool:
        """True when the database is the embedded default, not one named by DATABASE_URL."""
        return self.database_url == self.embedded_database_url


def _optional_flag(name: str) -> bool | None:
    value = os.getenv(name, "").strip().lower()
    return None if not value else value in ("1", "true", "yes", "on")


def _flag(name: str, default: bool) -> bool:
    value = _optional_flag(name)
    return default if value is None else value
