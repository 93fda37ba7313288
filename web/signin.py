"""Sign-in: the ``/login`` form, sign-out, and the gate in front of everything that carries data.

With no users the dashboard runs open ("local mode", said in the header). Once any user exists (added
with ``python -m data_access user add``), every page, callback and download needs a signed-in user;
what stays open carries no data: the sign-in page, the accessibility statement, ``/healthz``, and the stylesheets, scripts and
images the sign-in page itself needs.

Sessions are Flask's signed cookies naming the user and their session token; the token changes with a
new password, a new role or removal, which ends every session made before.  Sign-in and sign-out are
plain HTML forms (they work without JavaScript) protected by a per-session token, and every POST must
come from the dashboard's own origin.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import flask_login
from flask import Flask, Response, abort, g, has_request_context, redirect, request, session

from data_access import users
from data_access.db import DatabaseUnavailable, session_scope
from domain.vocabulary import Role
from web.health import HEALTH_PATH
from web.rendering import partnership_name, render
from web.statement import STATEMENT_PATH

LOG = logging.getLogger(__name__)

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
# Paths that carry no data and that the sign-in page itself needs.
OPEN_PATHS = frozenset({LOGIN_PATH, HEALTH_PATH, STATEMENT_PATH, "/favicon.ico", "/_favicon.ico"})
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/")
CSRF_FIELD = "csrf_token"


class DashboardUser(flask_login.UserMixin):
    """Flask-Login's view of a signed-in user; the id carries the session token."""

    def __init__(self, user: users.SignedInUser):
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_token}"


@dataclass(frozen=True)
class SignInState:
    """What the header says: who is signed in, or that the dashboard runs open."""

    local_mode: bool
    user_name: str | None = None
    role: Role | None = None
    # Not signed in, let in by PUBLIC_VIEW with the public role.
    public_visitor: bool = False

    @property
    def sees_restricted(self) -> bool:
        """Local mode sees everything; otherwise only a signed-in role that may."""
        return self.local_mode or (self.role is not None and self.role.sees_restricted)

    @property
    def may_upload(self) -> bool:
        """Local mode may upload (nobody can be told apart); otherwise signed-in officers and admins."""
        return self.local_mode or (self.role is not None and self.role.may_upload)

    @property
    def may_download_import_log(self) -> bool:
        """The whole log, with every file's full SHA-256: admins, or anyone in local mode."""
        return self.local_mode or self.role is Role.ADMIN


def install(server: Flask, *, public_view: bool = False) -> None:
    """Sign-in for ``server``. With ``public_view`` anyone who has not signed in is let in with the
    public role, whether or not users exist, so a public deployment never falls back to local mode."""
    manager = flask_login.LoginManager()
    manager.init_app(server)
    manager.user_loader(_load_user)
    # Remembers whether users existed when the database last answered; see require_sign_in.
    last_known = {"sign_in_required": None}

    def sign_in_required() -> bool | None:
        """True once users exist; None when the database cannot say."""
        try:
            with session_scope() as db_session:
                required = users.any_users(db_session)
        except DatabaseUnavailable:
            return last_known["sign_in_required"]
        last_known["sign_in_required"] = required
        return required

    @server.before_request
    def require_sign_in():
        if request.method == "POST" and not _same_origin():
            abort(403, "Requests must come from the dashboard's own pages.")
        if _is_open(request.path):
            return None
        if public_view and not flask_login.current_user.is_authenticated:
            g.public_visitor = True
            return None
        required = sign_in_required()
        if required is None:
            # The database has never answered this worker, so nobody knows whether users exist.  The
            # page can show no figures while it is down; if it answers while this request runs, the
            # after-request check below withholds what was built.
            g.sign_in_unknown = True
            return None
        g.local_mode = not required
        if required and not flask_login.current_user.is_authenticated:
            return _refuse()
        return None

    @server.after_request
    def withhold_if_sign_in_became_required(response: Response) -> Response:
        if g.get("sign_in_unknown") and sign_in_required() and not flask_login.current_user.is_authenticated:
            return _refuse()
        return response

    @server.route(LOGIN_PATH, methods=["GET", "POST"])
    def login():
        next_path = _safe_next(request.values.get("next"))
        if request.method == "GET":
            if sign_in_required() is False or flask_login.current_user.is_authenticated:
                return redirect(next_path)
            notice = "You have signed out." if request.args.get("signed_out") else None
            return _login_page(next_path, notice=notice)
        _check_csrf_token()
        name, password = request.form.get("name", ""), request.form.get("password", "")
        try:
            with session_scope() as db_session:
                result = users.authenticate(db_session, name, password, request.remote_addr or "unknown")
        except DatabaseUnavailable:
            return _login_page(
                next_path,
                name,
                error="The dashboard cannot reach its database. Try again shortly.",
                status=503,
            )
        if result.user is None:
            # The form again with the reason (200: a form, not HTTP authentication), or 429 when locked.
            status = 429 if result.refusal == users.TOO_MANY_ATTEMPTS else 200
            return _login_page(next_path, name, error=result.refusal, status=status)
        # A fresh session on sign-in: nothing from before it (a fixed session) carries over.
        session.clear()
        flask_login.login_user(DashboardUser(result.user))
        LOG.info("%s signed in as %s", result.user.name, result.user.role.value)
        return redirect(next_path)

    @server.post(LOGOUT_PATH)
    def logout():
        _check_csrf_token()
        flask_login.logout_user()
        session.clear()
        return redirect(f"{LOGIN_PATH}?signed_out=1")


def csrf_token() -> str:
    """This session's token for forms that change something (sign-in, sign-out)."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def current_state() -> SignInState:
    """Who is asking: a signed-in user, a public visitor (PUBLIC_VIEW), or local mode (no users)."""
    if not has_request_context() or g.get("local_mode"):
        return SignInState(local_mode=True)
    if g.get("public_visitor"):
        return SignInState(local_mode=False, role=Role.PUBLIC, public_visitor=True)
    user = flask_login.current_user
    if user.is_authenticated:
        return SignInState(local_mode=False, user_name=user.user.name, role=user.user.role)
    return SignInState(local_mode=False)


def _load_user(user_id: str) -> DashboardUser | None:
    numeric_id, _, token = user_id.partition(":")
    if not numeric_id.isdigit() or not token:
        return None
    try:
        with session_scope() as db_session:
            user = users.signed_in_user(db_session, int(numeric_id), token)
    except DatabaseUnavailable:
        return None
    return DashboardUser(user) if user else None


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def _refuse() -> Response:
    """Pages go to the sign-in form and come back afterwards; anything else gets a plain 401."""
    if request.method == "GET" and request.accept_mimetypes.accept_html:
        target = request.full_path if request.query_string else request.path
        return redirect(f"{LOGIN_PATH}?next={quote(target, safe='/')}")
    response = Response("Sign in to use the dashboard.\n", status=401, mimetype="text/plain")
    response.cache_control.no_store = True
    return response


def _safe_next(value: str | None) -> str:
    """Only a path on this site: never another site (an open redirect) or a scheme-relative //host."""
    if not value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    # Browsers read "/\\host" as "//host"; control characters have no place in a path.
    if "\\" in value or any(ord(character) < 32 for character in value):
        return "/"
    if value.startswith((LOGIN_PATH, LOGOUT_PATH)):
        return "/"
    return value


def _same_origin() -> bool:
    """False when a browser says the request came from another site (Origin, else Referer)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True  # not sent by a browser form on another site; the session cookie is SameSite too
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def _check_csrf_token() -> None:
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD, "")
    if not expected or not secrets.compare_digest(expected, sent):
        abort(400, "The form has expired. Go back, reload the page and try again.")


def _login_page(next_path: str, name: str = "", *, error=None, notice=None, status: int = 200) -> Response:
    html = render(
        "login.html",
        partnership=partnership_name(),
        next_path=next_path,
        name=name,
        error=error,
        notice=notice,
        csrf_field=CSRF_FIELD,
        csrf_token=csrf_token(),
        login_path=LOGIN_PATH,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.cache_control.no_store = True
    return response
