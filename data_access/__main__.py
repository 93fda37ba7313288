"""Command line for the data layer: ``python -m data_access {init,demo,import,check,export,template}``.

DATABASE_URL (a SQLAlchemy URL) picks the database; the default is a SQLite file in instance/.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import InterfaceError, OperationalError

from data_access.bootstrap import DEMO_SCALES, DemoRefused, install_demo, prepare_database
from data_access.config import Settings
from data_access.db import DatabaseUnavailable, get_engine, session_scope
from data_access.exporter import export_workbook
from data_access.importer import import_path
from data_access.template import write_template
from data_access.workbook import WorkbookError


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
    except (WorkbookError, DemoRefused) as error:
        print(error, file=sys.stderr)
        return 1
    except (OperationalError, InterfaceError, DatabaseUnavailable) as error:
        url = engine.url.render_as_string(hide_password=True)
        cause = getattr(error, "orig", None) or error.__cause__ or error
        print(f"Could not reach the database at {url}: {cause}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
