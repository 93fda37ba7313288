"""What every response carries, and the health check."""

from __future__ import annotations

from data_access.config import Settings


def test_every_response_carries_the_security_headers(make_app):
    client = make_app().server.test_client()

    for path in ("/", "/login", "/_dash-layout", "/assets/dashboard.css", "/healthz"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split(";")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers
    assert "Strict-Transport-Security" in client.get("/healthz", base_url="https://csp.example").headers


def test_healthz_is_200_while_the_database_answers(make_app):
    response = make_app().server.test_client().get("/healthz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok\n")


def test_healthz_is_503_while_the_database_does_not(app_factory):
    # Nothing listens on port 9 (discard) of loopback: connections are refused at once.
    app = app_factory(
        Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none", database_retry_seconds=60)
    )
    response = app.server.test_client().get("/healthz")

    assert (response.status_code, response.get_data(as_text=True)) == (503, "database unavailable\n")


def test_the_accessibility_statement_is_open_to_everyone_and_names_the_contact(make_app, add_users):
    from web.statement import KNOWN_GAPS

    client = make_app(accessibility_contact="csp-dashboard@shire.gov.uk").server.test_client()
    add_users(("chair", "admin"))

    response = client.get("/accessibility")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Accessibility statement</h1>" in page and "Shire Community Safety Partnership" in page
    assert "WCAG) version 2.2 at level AA" in page
    assert '<a href="mailto:csp-dashboard@shire.gov.uk">csp-dashboard@shire.gov.uk</a>' in page
    assert all(gap.replace("'", "&#39;") in page for gap in KNOWN_GAPS)
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 302  # the rest stays closed


def test_the_contact_becomes_a_link_only_when_it_is_an_email_or_web_address():
    from web.statement import contact_link

    assert contact_link("https://shire.gov.uk/accessibility") == "https://shire.gov.uk/accessibility"
    assert contact_link("mailto:a@b.gov.uk") == "mailto:a@b.gov.uk"
    assert contact_link("javascript:alert(1)//@x") is None
    assert contact_link("Ring 01234 567890") is None
    assert contact_link(None) is None
