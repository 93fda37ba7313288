"""Property tests for the sign-in form: whatever is typed or posted, the answer is the form again, a
refusal or a redirect to a page of this site; never an error, and never another site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import PASSWORD
from tests.web.test_sign_in import csrf_token

form_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
next_paths = st.one_of(
    form_text,
    st.sampled_from(
        ["//evil.example", "/\\evil.example", "https://evil.example/x", "/%2F%2Fevil", "/actions"]
    ),
)
# Examples share the test's fixtures (one app and database per test, a fresh browser session each).
EXAMPLES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def app(make_app, add_users):
    app = make_app()
    add_users(("chair", "admin"))
    return app


@EXAMPLES
@given(name=form_text, password=form_text, next_path=next_paths)
def test_any_sign_in_form_gets_the_form_again_or_a_refusal_never_an_error(app, name, password, next_path):
    client = app.server.test_client()

    response = client.post(
        "/login",
        data={"name": name, "password": password, "next": next_path, "csrf_token": csrf_token(client)},
    )

    assert response.status_code in (200, 429)  # never the right password: the form again, or locked
    assert "<script" not in response.get_data(as_text=True)  # what was typed comes back as text


@EXAMPLES
@given(next_path=next_paths, address=st.ip_addresses(v=4).map(str))
def test_after_signing_in_any_next_leads_to_a_page_of_this_site(app, next_path, address):
    client = app.server.test_client()

    response = client.post(
        "/login",
        data={"name": "chair", "password": PASSWORD, "next": next_path, "csrf_token": csrf_token(client)},
        environ_overrides={"REMOTE_ADDR": address},
    )

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert not location.scheme and not location.netloc
    assert location.path.startswith("/") and not location.path.startswith(("//", "/\\"))
