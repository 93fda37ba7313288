"""Sign-in: open in local mode, closed once users exist, and the forms' protections."""

from __future__ import annotations

import re

import pytest

from data_access.config import Settings
from data_access.db import get_engine, session_scope
from data_access.users import MAX_FAILURES_PER_NAME, set_password
from tests.web.conftest import PASSWORD
from web import ConfigurationError
from web.signin import CSRF_FIELD

# What a Dash page needs after its HTML, each carrying data or the means to ask for it.
DASH_GETS = ("/_dash-layout", "/_dash-dependencies")
CALLBACK = "/_dash-update-component"


def csrf_token(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page).group(1)


def sign_out_token(layout) -> str:
    """The token in the header's sign-out form, found in the shell's layout as Dash serves it."""
    if isinstance(layout, dict):
        props = layout.get("props", {})
        if props.get("name") == CSRF_FIELD:
            return props["value"]
        children = [*props.values(), *layout.values()]
    elif isinstance(layout, list):
        children = layout
    else:
        return ""
    return next((token for child in children if (token := sign_out_token(child))), "")


def sign_in(client, name, password=PASSWORD, next_path="/"):
    return client.post(
        "/login", data={"name": name, "password": password, "next": next_path, CSRF_FIELD: csrf_token(client)}
    )


def test_with_no_users_everything_is_open_and_the_header_says_local_mode(make_app):
    client = make_app().server.test_client()

    assert client.get("/").status_code == 200
    assert "No sign-in: local mode." in client.get("/_dash-layout").get_data(as_text=True)
    assert client.get("/login").headers["Location"] == "/"


def test_once_a_user_exists_pages_redirect_to_sign_in_and_data_requests_are_refused(make_app, add_users):
    client = make_app().server.test_client()
    add_users(("chair", "admin"))

    page = client.get("/actions?districts=north", headers={"Accept": "text/html"})
    assert page.status_code == 302
    assert page.headers["Location"] == "/login?next=/actions%3Fdistricts%3Dnorth"
    for path in DASH_GETS:
        assert client.get(path, headers={"Accept": "application/json"}).status_code == 401
    assert client.post(CALLBACK, json={"output": "x", "inputs": []}).status_code == 401
    # What the sign-in page needs, and the health check, stay open; they carry no data.
    assert client.get("/assets/dashboard.css").status_code == 200
    assert client.get("/healthz").status_code == 200
    login = client.get("/login?next=/actions")
    assert login.status_code == 200 and 'name="next" value="/actions"' in login.get_data(as_text=True)


def test_signing_in_opens_the_pages_and_signing_out_closes_them(make_app, add_users):
    client = make_app().server.test_client()
    add_users(("Board.Member@example.gov.uk", "viewer"))

    response = sign_in(client, "board.member@EXAMPLE.gov.uk", next_path="/districts?as_at=2024-09-30")
    assert response.status_code == 302 and response.headers["Location"] == "/districts?as_at=2024-09-30"
    assert client.get("/districts").status_code == 200
    header = client.get("/_dash-layout").get_data(as_text=True)
    assert "board.member@example.gov.uk" in header and "(viewer)" in header and "Sign out" in header

    assert (
        client.post(
            "/logout", data={CSRF_FIELD: sign_out_token(client.get("/_dash-layout").get_json())}
        ).headers["Location"]
        == "/login?signed_out=1"
    )
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 302
    assert "You have signed out." in client.get("/login?signed_out=1").get_data(as_text=True)


@pytest.mark.parametrize(("name", "password"), [("chair", "not the password"), ("nobody", PASSWORD)])
def test_a_wrong_name_or_password_is_refused_and_the_pages_stay_closed(make_app, add_users, name, password):
    client = make_app().server.test_client()
    add_users(("chair", "admin"))

    response = sign_in(client, name, password)

    assert response.status_code == 200
    assert "The name or password is not right." in response.get_data(as_text=True)
    assert client.get("/_dash-layout", headers={"Accept": "application/json"}).status_code == 401


def test_repeated_failures_lock_the_name_even_for_the_right_password(make_app, add_users):
    client = make_app().server.test_client()
    add_users(("chair", "admin"))
    for _ in range(MAX_FAILURES_PER_NAME):
        sign_in(client, "chair", "not the password")

    response = sign_in(client, "chair")

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.get_data(as_text=True)


def test_sign_in_and_sign_out_need_the_sessions_form_token_and_the_sites_own_origin(make_app, add_users):
    client = make_app().server.test_client()
    add_users(("chair", "admin"))

    no_token = client.post("/login", data={"name": "chair", "password": PASSWORD})
    other_session = make_app().server.test_client()
    foreign_token = client.post(
        "/login", data={"name": "chair", "password": PASSWORD, CSRF_FIELD: csrf_token(other_session)}
    )
    cross_site = client.post(
        "/login",
        data={"name": "chair", "password": PASSWORD, CSRF_FIELD: csrf_token(client)},
        headers={"Origin": "https://attacker.example"},
    )

    assert (no_token.status_code, foreign_token.status_code, cross_site.status_code) == (400, 400, 403)
    assert client.get("/_dash-layout", headers={"Accept": "application/json"}).status_code == 401
    sign_in(client, "chair")
    assert client.post("/logout", data={}).status_code == 400
    assert client.get("/_dash-layout").status_code == 200


@pytest.mark.parametrize(
    "next_path",
    [
        "//attacker.example/",
        "https://attacker.example/",
        "javascript:alert(1)",
        "/login",
        "actions",
        "/\\attacker.example",
    ],
)
def test_after_sign_in_the_dashboard_never_sends_anyone_to_another_site(make_app, add_users, next_path):
    client = make_app().server.test_client()
    add_users(("chair", "admin"))

    assert sign_in(client, "chair", next_path=next_path).headers["Location"] == "/"


def test_a_new_password_ends_sessions_signed_in_before_it(make_app, add_users, app_database):
    client = make_app().server.test_client()
    add_users(("chair", "admin"))
    sign_in(client, "chair")
    assert client.get("/_dash-layout").status_code == 200

    with session_scope(get_engine(app_database)) as session:
        set_password(session, "chair", "an entirely new passphrase")

    assert client.get("/_dash-layout", headers={"Accept": "application/json"}).status_code == 401


def test_the_session_cookie_is_httponly_samesite_and_secure_in_production(make_app, add_users, monkeypatch):
    development = make_app().server.test_client()
    add_users(("chair", "admin"))
    sign_in(development, "chair")
    cookie = development.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    server = development.application
    with server.test_request_context("/", base_url="https://csp.example.gov.uk"):
        assert server.session_interface.get_cookie_secure(server)  # over HTTPS, even in development

    production = make_app(mode="production", secret_key="k" * 48).server.test_client()
    production.environ_base["wsgi.url_scheme"] = "https"
    response = sign_in(production, "chair")
    assert response.status_code == 302
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Secure" in set_cookie


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mode": "production"}, "SECRET_KEY is not set, and DASHBOARD_MODE is production"),
        ({"mode": "production", "secret_key": "short"}, "SECRET_KEY is too short for production"),
        ({"mode": "prod"}, "DASHBOARD_MODE is 'prod'; it must be one of development, production"),
        ({"mode": "production", "secret_key": "k" * 48, "debug": True}, "DASH_DEBUG is on"),
    ],
)
def test_production_refuses_to_start_without_a_proper_secret_key(make_app, overrides, message):
    with pytest.raises(ConfigurationError, match=message):
        make_app(**overrides)


def test_partnership_text_on_the_sign_in_page_is_text_not_html(make_app, add_users, app_database):
    from data_access.importer import import_frames
    from tests.workbooks import frame

    app = make_app()
    add_users(("chair", "admin"))
    import_frames(
        get_engine(app_database),
        {
            "partnership": frame(
                "partnership", [{"name": "<script>alert('x')</script> CSP", "short_name": "x"}]
            )
        },
    )
    page = app.server.test_client().get("/login").get_data(as_text=True)

    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; CSP" in page
    assert "<script>alert" not in page


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MODE", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    settings = Settings()
    assert (settings.production, settings.secret_key, settings.trusted_proxies, settings.secure_cookies) == (
        True,
        "s" * 40,
        1,
        True,
    )
    monkeypatch.setenv("SECURE_COOKIES", "0")
    assert Settings().secure_cookies is False
