"""Security headers on every response, and a Content-Security-Policy that Dash works under.

No inline script runs unless its hash is listed: Dash's renderer start-up and its inline clientside
callbacks are hashed (``Dash.csp_hashes``).  Styles allow inline because plotly.js and Dash's
components set style attributes as they draw; that cannot run code.
"""

from __future__ import annotations

from dash import Dash
from flask import Response, request

_STATIC_POLICY = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    # data: and blob: for plotly's "download as PNG" and the images it draws into.
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    # Presentation mode asks for full screen; nothing asks for the rest.
    "Permissions-Policy": "fullscreen=(self), camera=(), microphone=(), geolocation=(), payment=()",
}

# HTTPS only, for a year, once a browser has seen the dashboard over HTTPS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def content_security_policy(script_hashes: list[str]) -> str:
    policy = {"script-src": " ".join(["'self'", *script_hashes]), **_STATIC_POLICY}
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


def install(app: Dash) -> None:
    # The hashes are taken on the first response: by then every page, and every inline clientside
    # callback it registers, has been imported.
    policy: list[str] = []

    @app.server.after_request
    def add_security_headers(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(app.csp_hashes()))
        response.headers["Content-Security-Policy"] = policy[0]
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        return response
