"""The dashboard's HTTP side beyond Dash: who may use it, and the rules every response follows.

``install(app, settings)`` is what app.py calls: the session secret and cookie rules, sign-in
(``web.signin``), the security headers (``web.headers``), ``/healthz`` (``web.health``) and the
accessibility statement (``web.statement``).
Nothing here keeps state in the process beyond configuration: users, sessions (signed cookies) and
the sign-in rate limit live in the database or the cookie, so any number of workers and machines agree.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile

from dash import Dash
from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from data_access.config import DEVELOPMENT_SECRET_KEY_FILE, Settings
from web import headers, health, signin, statement

LOG = logging.getLogger(__name__)

MODES = ("development", "production")
# Room beside an uploaded file in a request's body (the callback's other inputs and state).
REQUEST_HEADROOM_BYTES = 1_000_000


class ConfigurationError(RuntimeError):
    """A setting that makes it unsafe to start; the message says which and what to do."""


def install(app: Dash, settings: Settings) -> None:
    """Make ``app`` require sign-in once users exist, and send the security headers."""
    server = app.server
    server.config.update(
        SECRET_KEY=secret_key(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        # The session cookie is kept only until the browser closes (no "remember me").
        SESSION_PERMANENT=False,
        # The largest request accepted: an upload's callback carries the file as base64 (4 bytes for 3)
        # beside a little JSON; anything larger is refused with 413 before it is read into memory.
        MAX_CONTENT_LENGTH=settings.upload_max_bytes * 4 // 3 + REQUEST_HEADROOM_BYTES,
    )
    # Secure whenever the request came over HTTPS (as the trusted proxy says), not only in production.
    server.session_interface = _SecureOverHttps()
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n)
    health.install(server)
    statement.install(server, settings)
    signin.install(server, public_view=settings.public_view)
    headers.install(app)


def secret_key(settings: Settings) -> str:
    """SECRET_KEY; in development without one, a key kept in instance/ so every local worker shares it.

    Raises ConfigurationError in production without SECRET_KEY, or for an unknown DASHBOARD_MODE.
    """
    if settings.mode not in MODES:
        raise ConfigurationError(
            f"DASHBOARD_MODE is {settings.mode!r}; it must be one of {', '.join(MODES)}."
        )
    if settings.production and settings.debug:
        raise ConfigurationError(
            "DASH_DEBUG is on, and DASHBOARD_MODE is production: debug mode shows tracebacks and "
            "code to anyone who can make a page fail. Turn DASH_DEBUG off."
        )
    if settings.secret_key:
        if settings.production and len(settings.secret_key) < 32:
            raise ConfigurationError(
                "SECRET_KEY is too short for production: use at least 32 random characters, e.g. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'."
            )
        return settings.secret_key
    if settings.production:
        raise ConfigurationError(
            "SECRET_KEY is not set, and DASHBOARD_MODE is production: set SECRET_KEY to the same long "
            "random value on every machine that serves the dashboard, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )
    return _development_secret_key()


class _SecureOverHttps(SecureCookieSessionInterface):
    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def _development_secret_key() -> str:
    path = DEVELOPMENT_SECRET_KEY_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Written whole under another name, then linked into place: when several workers start at
            # once, one link wins and every worker reads that complete key.
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="ascii") as draft:
                draft.write(secrets.token_urlsafe(48))
            os.chmod(draft.name, 0o600)
            try:
                os.link(draft.name, path)
            except FileExistsError:
                pass
            finally:
                os.unlink(draft.name)
        return path.read_text(encoding="ascii").strip()
    except OSError as error:
        LOG.warning(
            "Could not keep a development secret key in %s (%s): using one for this process only, "
            "so other workers will not accept its sessions",
            path,
            error,
        )
        return secrets.token_urlsafe(48)
