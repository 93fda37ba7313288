"""Command line for the data layer: ``python -m data_access {init,demo,import,check,export,template,user}``.

DATABASE_URL (a SQLAlchemy URL) picks the database; the default is a SQLite file in instance/.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.exc import InterfaceError, OperationalError

from data_access import users
from data_access.bootstrap import DEMO_SCALES, DemoRefused, install_demo, prepare_database
from data_access.config import Settings
from data_access.db import DatabaseUnavailable, get_engine, session_scope
from data_access.exporter import export_workbook
from data_access.importer import import_path
from data_access.template import write_template
from data_access.users import UserError
from data_access.workbook import WorkbookError
from domain.vocabulary import Role


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="create or upgrade the schema")
    demo = commands.add_parser("demo", help="load the demo partnership (idempotent)")
    demo.add_argument(
        "--scale",
        choices=list(DEMO_SCALES),
        default="demo",
        help="demo: the Hampshire-style demo; large: a synthetic partnership of about 3 million values",
    )
    for name, help_text in (
        ("import", "import an .xlsx workbook or a folder of .csv files"),
        ("check", "validate a workbook; write nothing"),
        ("export", "write the whole database as a workbook (.xlsx, else a folder of CSVs)"),
        ("template", "write an empty workbook with a guide to every column (.xlsx, else a folder of CSVs)"),
    ):
        commands.add_parser(name, help=help_text).add_argument("path")
    _add_user_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "template":
        # Needs no database: the template comes from the contract alone.
        print(f"Template written to {write_template(args.path)}.")
        return 0

    settings = Settings()
    engine = get_engine(settings.database_url)
    try:
        # The schema is changed under the same lock as the app's start-up, so this can run beside it.
        if args.command == "init":
            prepare_database(settings, seed_demo_when_empty=False)
            print(f"Schema is up to date in {engine.url.render_as_string(hide_password=True)}.")
        elif args.command == "demo":
            print(install_demo(settings, scale=args.scale))
        elif args.command in ("import", "check"):
            prepare_database(settings, seed_demo_when_empty=False)
            print(import_path(engine, args.path, dry_run=args.command == "check"))
        elif args.command == "export":
            with session_scope(engine) as session:
                counts = export_workbook(session, args.path)
            for sheet, count in counts.items():
                print(f"{sheet}: {count} rows")
            print(f"Written to {args.path}.")
        elif args.command == "user":
            prepare_database(settings, seed_demo_when_empty=False)
            with session_scope(engine) as session:
                print(_run_user_command(session, args))
    except (WorkbookError, DemoRefused, UserError) as error:
        print(error, file=sys.stderr)
        return 1
    except (OperationalError, InterfaceError, DatabaseUnavailable) as error:
        url = engine.url.render_as_string(hide_password=True)
        cause = getattr(error, "orig", None) or error.__cause__ or error
        print(f"Could not reach the database at {url}: {cause}", file=sys.stderr)
        return 2
    return 0


def _add_user_commands(commands) -> None:
    user = commands.add_parser("user", help="manage who may sign in (passwords are read from standard input)")
    actions = user.add_subparsers(dest="user_command", required=True)
    roles = ", ".join(f"{role.value}: {role.label}" for role in Role)
    add = actions.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=Role.codes(), help=roles)
    actions.add_parser("list", help="list the users and their roles")
    actions.add_parser("remove", help="remove a user (their sessions end at once)").add_argument("name")
    set_role = actions.add_parser("set-role", help="change a user's role (their sessions end at once)")
    set_role.add_argument("name")
    set_role.add_argument("role", choices=Role.codes(), help=roles)
    actions.add_parser(
        "set-password", help="change a user's password (their sessions end at once)"
    ).add_argument("name")


def _run_user_command(session, args) -> str:
    """Carry out a ``user`` command; returns what to print. Raises UserError."""
    if args.user_command == "list":
        table = users.list_users(session)
        if table.empty:
            return "No users: the dashboard runs open, in local mode."
        return "\n".join(
            f"{row.name}\t{row.role}\tadded {row.created_at:%Y-%m-%d}" for row in table.itertuples()
        )
    if args.user_command == "add":
        user = users.add_user(session, args.name, args.role, _read_password())
        return f"Added {user.name} ({user.role.value})."
    if args.user_command == "remove":
        users.remove_user(session, args.name)
        return f"Removed {args.name.strip().lower()}."
    if args.user_command == "set-role":
        users.set_role(session, args.name, args.role)
        return f"{args.name.strip().lower()} is now {args.role}."
    users.set_password(session, args.name, _read_password())
    return f"Password changed for {args.name.strip().lower()}."


def _read_password() -> str:
    """The new password: asked for twice at a terminal, else the first line of standard input.

    Never an argument, so it stays out of the shell's history and the process list.
    """
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Same password again: ") != password:
            raise UserError("The two passwords differ; nothing was changed.")
        return password
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UserError("No password on standard input; nothing was changed.")
    return password


if __name__ == "__main__":
    sys.exit(main())
