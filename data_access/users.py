"""Users who may sign in, their passwords, and the sign-in rate limit.

Passwords are hashed with argon2id (argon2-cffi's defaults, the RFC 9106 low-memory profile) and never
stored or logged.  Everything lives in the database, so several gunicorn workers, or several machines
behind a load balancer, agree on who may sign in and on how many attempts have failed.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from data_access.models import SignInAttempt, User
from domain.vocabulary import Role

# NCSC guidance: favour length over complexity rules; 12 characters keeps three random words possible.
MIN_PASSWORD_LENGTH = 12
# Longer than any passphrase, short enough that hashing it cannot be used to tie up a worker.
MAX_PASSWORD_LENGTH = 1024
# Letters, digits and . _ @ - so an email address works as a name; compared without regard to case.
NAME_PATTERN = re.compile(r"[a-z0-9._@-]{1,120}")

# Failed attempts allowed in the window, per name typed and per client address, before sign-in is
# refused without looking at the password.  The address limit is higher: a council's staff may share
# one outgoing address.
ATTEMPT_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 30
# Attempts older than this are deleted as new ones are recorded.
ATTEMPT_RETENTION = dt.timedelta(days=1)

_HASHER = PasswordHasher()
# Checked against when the name is unknown, so a wrong name takes as long as a wrong password.
_UNKNOWN_USER_HASH = _HASHER.hash(secrets.token_hex(16))


class UserError(ValueError):
    """A user command that cannot be carried out; the message says why, in words for the person typing."""


@dataclass(frozen=True)
class SignedInUser:
    """Who is signed in. ``session_token`` changes with every new password, role or removal, so a
    session cookie made before the change stops working at once."""

    id: int
    name: str
    role: Role
    session_token: str


@dataclass(frozen=True)
class SignInResult:
    """``user`` when the name and password match; otherwise ``refusal`` says why, in words safe to show
    (it never says whether the name exists)."""

    user: SignedInUser | None
    refusal: str | None = None


WRONG_NAME_OR_PASSWORD = "The name or password is not right."
TOO_MANY_ATTEMPTS = (
    "Too many sign-in attempts have failed. Wait 15 minutes and try again, or ask an administrator."
)


def normalise_name(name: str) -> str:
    """The name as stored: trimmed and in lower case. Raises UserError when it has other characters."""
    folded = name.strip().lower()
    if not NAME_PATTERN.fullmatch(folded):
        raise UserError(
            f"{name!r} cannot be a user name: use 1 to 120 letters, digits and . _ @ - (an email "
            "address works)."
        )
    return folded


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise UserError(f"{role!r} is not a role; the roles are {', '.join(Role.codes())}.") from None


def check_password_rules(password: str) -> None:
    """Raise UserError when the password is too short or too long (the only rules: NCSC advice)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")


def any_users(session: Session) -> bool:
    """True once any user exists: from then on every page needs sign-in."""
    return bool(session.scalar(select(exists().where(User.id.is_not(None)))))


def list_users(session: Session) -> pd.DataFrame:
    """Every user: columns name, role, created_at; by name."""
    result = session.execute(
        select(
            User.name.label("name"), User.role.label("role"), User.created_at.label("created_at")
        ).order_by(User.name)
    )
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def add_user(session: Session, name: str, role: str, password: str) -> SignedInUser:
    """Create a user. Raises UserError for a name taken, a bad name or role, or a password too short."""
    name, parsed_role = normalise_name(name), parse_role(role)
    check_password_rules(password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise UserError(f"There is already a user called {name!r}.")
    user = User(
        name=name,
        role=parsed_role.value,
        password_hash=_HASHER.hash(password),
        session_token=secrets.token_hex(16),
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(user)
    session.flush()
    return _signed_in(user)


def remove_user(session: Session, name: str) -> None:
    session.delete(_find(session, name))


def set_role(session: Session, name: str, role: str) -> None:
    user = _find(session, name)
    user.role = parse_role(role).value
    user.session_token = secrets.token_hex(16)


def set_password(session: Session, name: str, password: str) -> None:
    check_password_rules(password)
    user = _find(session, name)
    user.password_hash = _HASHER.hash(password)
    user.session_token = secrets.token_hex(16)


def signed_in_user(session: Session, user_id: int, session_token: str) -> SignedInUser | None:
    """The user a session cookie names, or None when they were removed or their token has changed."""
    user = session.get(User, user_id)
    if user is None or not secrets.compare_digest(user.session_token, session_token):
        return None
    return _signed_in(user)


def authenticate(
    session: Session, name: str, password: str, client_address: str, now: dt.datetime | None = None
) -> SignInResult:
    """Check a sign-in and record the attempt (the caller commits, so the record survives a refusal).

    Refused without checking the password while too many attempts have failed, for the name typed or
    for the client's address, within ATTEMPT_WINDOW.
    """
    now = now or dt.datetime.now(dt.UTC)
    typed_name = name.strip().lower()[:120]
    client_address = client_address[:64]
    if _recent_failures(session, now, SignInAttempt.user_name == typed_name) >= MAX_FAILURES_PER_NAME or (
        _recent_failures(session, now, SignInAttempt.client_address == client_address)
        >= MAX_FAILURES_PER_ADDRESS
    ):
        _record_attempt(session, typed_name, client_address, now, succeeded=False)
        return SignInResult(None, TOO_MANY_ATTEMPTS)

    user = session.scalar(select(User).where(User.name == typed_name))
    matched = _password_matches(user.password_hash if user else _UNKNOWN_USER_HASH, password)
    succeeded = user is not None and matched
    _record_attempt(session, typed_name, client_address, now, succeeded=succeeded)
    if not succeeded:
        return SignInResult(None, WRONG_NAME_OR_PASSWORD)
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return SignInResult(_signed_in(user))


def _password_matches(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _recent_failures(session: Session, now: dt.datetime, who) -> int:
    return session.scalar(
        select(func.count())
        .select_from(SignInAttempt)
        .where(who, SignInAttempt.succeeded.is_(False), SignInAttempt.attempted_at > now - ATTEMPT_WINDOW)
    )


def _record_attempt(
    session: Session, user_name: str, client_address: str, now: dt.datetime, *, succeeded: bool
) -> None:
    session.execute(delete(SignInAttempt).where(SignInAttempt.attempted_at < now - ATTEMPT_RETENTION))
    session.add(
        SignInAttempt(
            user_name=user_name, client_address=client_address, attempted_at=now, succeeded=succeeded
        )
    )
    session.flush()


def _find(session: Session, name: str) -> User:
    folded = name.strip().lower()
    user = session.scalar(select(User).where(User.name == folded))
    if user is None:
        raise UserError(f"There is no user called {folded!r}.")
    return user


def _signed_in(user: User) -> SignedInUser:
    return SignedInUser(user.id, user.name, Role(user.role), user.session_token)
