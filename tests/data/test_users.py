"""Users, passwords and the sign-in rate limit, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import func, select

from data_access import users
from data_access.db import session_scope
from data_access.models import SignInAttempt, User
from domain.vocabulary import Role
from tests.conftest import DASHBOARD_PASSWORD_HASHER

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def add(engine, name="Officer@Fareham.gov.uk", role="officer", password=PASSWORD):
    with session_scope(engine) as session:
        return users.add_user(session, name, role, password)


def sign_in(engine, name, password, address="10.0.0.1", now=NOW):
    with session_scope(engine) as session:
        return users.authenticate(session, name, password, address, now)


def test_a_user_signs_in_with_their_password_whatever_the_case_of_their_name(engine):
    added = add(engine)

    result = sign_in(engine, "  OFFICER@fareham.gov.uk ", PASSWORD)

    assert result.user == added
    assert result.user.name == "officer@fareham.gov.uk" and result.user.role is Role.OFFICER


def test_the_password_is_stored_only_as_an_argon2id_hash(engine):
    add(engine)
    with session_scope(engine) as session:
        stored = session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_the_dashboard_hashes_at_argon2_cffi_s_default_cost_and_signs_in_with_it(engine, monkeypatch):
    """The suite hashes at the cheapest cost (tests/conftest.py); the dashboard's own hasher is used here."""
    monkeypatch.setattr(users, "_HASHER", DASHBOARD_PASSWORD_HASHER)
    add(engine)
    with session_scope(engine) as session:
        stored = session.scalar(select(User.password_hash))

    assert extract_parameters(stored) == RFC_9106_LOW_MEMORY
    assert sign_in(engine, "officer@fareham.gov.uk", PASSWORD).user is not None
    assert sign_in(engine, "officer@fareham.gov.uk", "not the password").user is None


@pytest.mark.parametrize(
    ("name", "password"),
    [("officer@fareham.gov.uk", "wrong password here"), ("nobody", PASSWORD), ("officer@fareham.gov.uk", "")],
)
def test_a_wrong_name_or_password_is_refused_with_the_same_words(engine, name, password):
    add(engine)

    result = sign_in(engine, name, password)

    assert result.user is None
    assert result.refusal == users.WRONG_NAME_OR_PASSWORD


def test_five_failures_for_a_name_lock_it_for_the_window_even_with_the_right_password(engine):
    add(engine)
    for minute in range(users.MAX_FAILURES_PER_NAME):
        assert (
            sign_in(
                engine,
                "officer@fareham.gov.uk",
                "wrong password here",
                now=NOW + dt.timedelta(minutes=minute),
            ).user
            is None
        )

    locked = sign_in(
        engine, "officer@fareham.gov.uk", PASSWORD, address="10.9.9.9", now=NOW + dt.timedelta(minutes=5)
    )
    assert locked.user is None and locked.refusal == users.TOO_MANY_ATTEMPTS

    # The window counts from each failure: once the earliest falls out, one more try is allowed.
    later = NOW + users.ATTEMPT_WINDOW + dt.timedelta(minutes=1)
    assert sign_in(engine, "officer@fareham.gov.uk", PASSWORD, now=later).user is not None


def test_failures_from_one_address_lock_that_address_for_every_name(engine):
    add(engine)
    for attempt in range(users.MAX_FAILURES_PER_ADDRESS):
        sign_in(engine, f"guess{attempt}", "wrong password here", address="192.0.2.7")

    assert (
        sign_in(engine, "officer@fareham.gov.uk", PASSWORD, address="192.0.2.7").refusal
        == users.TOO_MANY_ATTEMPTS
    )
    assert sign_in(engine, "officer@fareham.gov.uk", PASSWORD, address="192.0.2.8").user is not None


def test_old_attempts_are_deleted_as_new_ones_are_recorded(engine):
    add(engine)
    sign_in(engine, "someone", "wrong password here", now=NOW)
    sign_in(
        engine, "someone", "wrong password here", now=NOW + users.ATTEMPT_RETENTION + dt.timedelta(seconds=1)
    )
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(SignInAttempt)) == 1


def test_a_new_password_or_role_or_removal_ends_existing_sessions(engine):
    user = add(engine)
    with session_scope(engine) as session:
        assert users.signed_in_user(session, user.id, user.session_token) == user

    with session_scope(engine) as session:
        users.set_role(session, user.name, "viewer")
    with session_scope(engine) as session:
        assert users.signed_in_user(session, user.id, user.session_token) is None
        renewed = sign_in(engine, user.name, PASSWORD).user
    assert renewed.role is Role.VIEWER

    with session_scope(engine) as session:
        users.set_password(session, user.name, "another long passphrase")
    with session_scope(engine) as session:
        assert users.signed_in_user(session, renewed.id, renewed.session_token) is None
    assert sign_in(engine, user.name, PASSWORD).user is None
    newest = sign_in(engine, user.name, "another long passphrase").user

    with session_scope(engine) as session:
        users.remove_user(session, user.name)
    with session_scope(engine) as session:
        assert users.signed_in_user(session, newest.id, newest.session_token) is None
        assert not users.any_users(session)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: users.add_user(s, "bad name!", "viewer", PASSWORD), "cannot be a user name"),
        (lambda s: users.add_user(s, "new", "superuser", PASSWORD), "'superuser' is not a role"),
        (lambda s: users.add_user(s, "new", "viewer", "short"), "at least 12 characters"),
        (lambda s: users.add_user(s, "OFFICER@fareham.gov.uk", "viewer", PASSWORD), "already a user"),
        (lambda s: users.set_role(s, "nobody", "viewer"), "no user called 'nobody'"),
        (lambda s: users.set_password(s, "nobody", PASSWORD), "no user called 'nobody'"),
        (lambda s: users.remove_user(s, "nobody"), "no user called 'nobody'"),
    ],
)
def test_a_bad_user_command_says_why_and_changes_nothing(engine, call, message):
    add(engine)
    with pytest.raises(users.UserError, match=message), session_scope(engine) as session:
        call(session)
    with session_scope(engine) as session:
        assert users.list_users(session)[["name", "role"]].to_dict("records") == [
            {"name": "officer@fareham.gov.uk", "role": "officer"}
        ]


def test_a_name_no_user_can_have_is_refused_and_recorded_safely(engine):
    add(engine)

    result = sign_in(engine, "chair\x00; DROP TABLE users", PASSWORD)

    assert result.refusal == users.WRONG_NAME_OR_PASSWORD
    with session_scope(engine) as session:
        assert session.scalar(select(SignInAttempt.user_name)) == "chair???drop?table?users"
