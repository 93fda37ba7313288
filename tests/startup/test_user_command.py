"""``python -m data_access user ...``: passwords from standard input, never from the arguments."""

from __future__ import annotations

import io

from data_access.__main__ import main
from data_access.db import get_engine, session_scope
from data_access.users import authenticate

PASSWORD = "three random words"


def run(monkeypatch, capsys, *argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["user", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_users_are_added_listed_changed_and_removed(fresh_database, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", fresh_database)

    assert run(monkeypatch, capsys, "list")[1] == "No users: the dashboard runs open, in local mode.\n"
    assert run(monkeypatch, capsys, "add", "Chair", "--role", "admin", stdin=PASSWORD + "\n")[:2] == (
        0,
        "Added chair (admin).\n",
    )
    run(monkeypatch, capsys, "add", "board1", "--role", "viewer", stdin=PASSWORD + "\r\n")
    assert run(monkeypatch, capsys, "set-role", "board1", "public")[0] == 0
    assert run(monkeypatch, capsys, "set-password", "board1", stdin="a different passphrase\n")[0] == 0

    code, out, _ = run(monkeypatch, capsys, "list")
    assert code == 0
    assert [line.split("\t")[:2] for line in out.splitlines()] == [["board1", "public"], ["chair", "admin"]]
    with session_scope(get_engine(fresh_database)) as session:
        assert authenticate(session, "board1", "a different passphrase", "127.0.0.1").user is not None
        assert authenticate(session, "chair", PASSWORD, "127.0.0.1").user is not None

    assert run(monkeypatch, capsys, "remove", "board1")[:2] == (0, "Removed board1.\n")
    assert [line.split("\t")[0] for line in run(monkeypatch, capsys, "list")[1].splitlines()] == ["chair"]


def test_a_refused_command_exits_1_with_the_reason(fresh_database, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", fresh_database)

    assert run(monkeypatch, capsys, "add", "chair", "--role", "admin", stdin="") == (
        1,
        "",
        "No password on standard input; nothing was changed.\n",
    )
    assert run(monkeypatch, capsys, "add", "chair", "--role", "admin", stdin="short\n")[2] == (
        "The password must be at least 12 characters long.\n"
    )
    assert run(monkeypatch, capsys, "remove", "chair")[2] == "There is no user called 'chair'.\n"
    assert run(monkeypatch, capsys, "list")[1].startswith("No users")
