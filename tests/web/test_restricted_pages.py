"""Who sees restricted items on the pages: the public role (signed in, or a PUBLIC_VIEW visitor) never;
viewers, officers, admins and local mode (no users) always."""

from __future__ import annotations

import pytest

from data_access.db import get_engine
from data_access.importer import import_frames
from domain.vocabulary import ActionStatus
from tests.callbacks.test_pages import text_of
from tests.data.test_restricted import RESTRICTED_ACTION, RESTRICTED_INDICATOR, restricted_partnership
from tests.web.test_sign_in import sign_in

RESTRICTED_NAME = "Knife crime offences"
AS_AT = "2024-12-01"


def what_they_see(app, client=None) -> tuple[str, set[str]]:
    """The priority page's text and the refs on the actions page, as the client's visitor sees them."""
    from pages import actions, priority

    headers = {}
    if client is not None and client.get_cookie("session") is not None:
        headers["Cookie"] = f"session={client.get_cookie('session').value}"
    with app.server.test_request_context(f"/priority/violence?as_at={AS_AT}", headers=headers):
        assert app.server.preprocess_request() is None  # let in
        page = text_of(priority.layout(code="violence", as_at=AS_AT))
        scope = {"as_at": AS_AT, "districts": []}
        every_status = list(ActionStatus.codes())
        refs = set(actions.filtered_actions(scope, actions.ALL, actions.ALL, every_status, False)["ref"])
    return page, refs


@pytest.fixture
def restricted_app(make_app, app_database):
    def make(**settings):
        app = make_app(**settings)
        import_frames(get_engine(app_database), restricted_partnership())
        return app

    return make


def test_local_mode_shows_everything(restricted_app):
    page, refs = what_they_see(restricted_app())
    assert RESTRICTED_NAME in page and RESTRICTED_ACTION in refs


def test_a_public_view_visitor_sees_nothing_restricted(restricted_app):
    app = restricted_app(public_view=True)

    page, refs = what_they_see(app)

    assert RESTRICTED_NAME not in page and RESTRICTED_ACTION not in refs
    assert "Admissions for assault" in page  # the rest of the priority is there
    assert "Public view." in app.server.test_client().get("/_dash-layout").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "sees"), [("public", False), ("viewer", True), ("officer", True), ("admin", True)]
)
def test_signed_in_roles_see_restricted_items_unless_public(restricted_app, add_users, role, sees):
    app = restricted_app()
    add_users(("someone", role))
    client = app.server.test_client()
    sign_in(client, "someone")

    page, refs = what_they_see(app, client)

    assert (RESTRICTED_NAME in page) is sees
    assert (RESTRICTED_ACTION in refs) is sees


@pytest.mark.parametrize(("settings", "sees"), [({}, True), ({"public_view": True}, False)])
def test_changes_page_shows_restricted_items_only_to_those_who_may_see_them(restricted_app, settings, sees):
    from pages import changes

    app = restricted_app(**settings)
    query = {"from": "2024-06-13", "to": "2025-06-30"}
    with app.server.test_request_context("/changes?from=2024-06-13&to=2025-06-30"):
        assert app.server.preprocess_request() is None
        page = text_of(changes.layout(**query))
    # SV-01 became overdue on 31 Dec 2024; knife crime's Q1 and Q2 2024/25 values arrived.
    assert (RESTRICTED_ACTION in page) is sees
    assert (RESTRICTED_NAME in page) is sees
    assert "Changes between the 13 Jun 2024 meeting and 30 Jun 2025" in page


@pytest.mark.parametrize(("settings", "sees"), [({}, True), ({"public_view": True}, False)])
def test_changes_folded_lists_open_with_restricted_items_only_for_those_who_may_see_them(
    restricted_app, settings, sees
):
    from pages import changes

    app = restricted_app(**settings)
    scope = {"since": "2024-06-13", "until": "2025-06-30", "district": "", "as_at": None}
    with app.server.test_request_context("/changes?from=2024-06-13&to=2025-06-30"):
        assert app.server.preprocess_request() is None
        overdue, new_data = (
            text_of(changes.show_folded_list(1, {"type": changes.Ids.FOLD_TOGGLE, "section": anchor}, scope))
            for anchor in ("actions-overdue", "new-data")
        )
    assert (RESTRICTED_ACTION in overdue) is sees
    assert (RESTRICTED_NAME in new_data) is sees
    assert new_data.startswith("Values that became available")  # the list itself, not an error


@pytest.mark.parametrize(("public_view", "sees"), [(True, False), (False, True)])
def test_a_restricted_indicators_table_opens_only_for_those_who_may_see_it(restricted_app, public_view, sees):
    from pages import priority

    app = restricted_app(public_view=public_view)
    toggle = {"type": priority.Ids.TABLE_TOGGLE, "indicator": RESTRICTED_INDICATOR}
    with app.server.test_request_context(f"/priority/violence?as_at={AS_AT}"):
        assert app.server.preprocess_request() is None  # let in
        answer = text_of(
            priority.show_trend_table(1, toggle, AS_AT, {"priority": "violence", "districts": []})
        )

    assert ("no longer part of this priority" not in answer) is sees
    assert ("Whole partnership" in answer) is sees


@pytest.mark.parametrize(("public_view", "sees"), [(True, False), (False, True)])
def test_the_overview_counts_a_late_restricted_indicator_only_for_those_who_may_see_it(
    restricted_app, public_view, sees
):
    from pages import overview

    app = restricted_app(public_view=public_view)
    # Knife crime's Q3 2024/25 was due by 1 Mar 2025; admissions' 2024/25 is not due until August.
    with app.server.test_request_context("/?as_at=2025-03-02"):
        assert app.server.preprocess_request() is None
        page = text_of(overview.layout(as_at="2025-03-02"))

    # The public's one indicator is on time: no note at all.
    assert ("1 of 2 indicators is late." in page) is sees
    assert ("is late." in page or "are late." in page) is sees
    assert (f"{RESTRICTED_NAME}  (Serious violence): no value yet for Q3 2024/25" in page) is sees
