"""`linktriage db migrate-to URL`: copy this store into another one (team mode, issue 14).

The source is what every command uses: the SQLite file in --data-dir, or the database --database /
$LINKTRIAGE_DATABASE_URL names. The target is a postgresql:// URL (a creator moving into a team
database) or a sqlite:///path URL (backing a team database out into a file). Idempotent: rows the
target already has (same comment, note, product) are left alone; see helper/store/transfer.py.
"""

from __future__ import annotations

import sys

from helper.errors import UserError


def register(subparsers, common):
    p = subparsers.add_parser(
        "db",
        parents=[common],
        help="the database itself: copy this store into a team's PostgreSQL database, or back out",
        description="Manage where the data lives. The store the other commands use (the SQLite file in "
        "--data-dir, or --database) is the source.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    to = actions.add_parser(
        "migrate-to",
        parents=[common],
        help="copy every row of this store into another database (idempotent)",
        description="Copy every table of this store (the SQLite file in --data-dir, or --database) into URL: "
        "postgresql://user[:password]@host:port/dbname to move into a team database, or sqlite:////path/to/"
        "linktriage.sqlite3 to back a team database out into a file (e.g. --database postgresql://... "
        "migrate-to sqlite:///DATA_DIR/linktriage.sqlite3). Rows the target already has (the same comment, "
        "note or product) are left as they are, so running it again copies nothing twice. The target is "
        "created or migrated to this LinkTriage's schema first.",
    )
    to.add_argument("url", metavar="URL", help="the database to copy into")
    to.set_defaults(func=migrate_to)


def migrate_to(args) -> int:
    import peewee as pw

    from helper import store
    from helper.progress import Progress
    from helper.store.db import first_line
    from helper.store.transfer import copy_store, row_counts

    try:
        target_url = store.database_url(args.url)
    except ValueError as exc:
        raise UserError(str(exc).replace("--database", "URL")) from None
    source = store.open_for_cli(args.data_dir, args.database)
    source_target = store.store_target(_data_dir(args), args.database)
    source_where = store.describe(source_target)
    if _same_place(source_target, target_url):
        raise UserError(f"{store.describe(target_url)} is the store being copied; name another database")
    try:
        target = store.init_db(target_url)
    except (store.SchemaTooNew, store.DatabaseUnavailable) as exc:
        raise UserError(str(exc)) from None
    except (OSError, pw.DatabaseError) as exc:
        raise UserError(f"cannot open the database {store.describe(target_url)}: {first_line(exc)}") from None

    with source.connection_context():
        total = sum(row_counts(source).values())
        progress = Progress(f"migrate-to {store.describe(target_url)}", total=total, unit="rows")
        with target.connection_context():
            report = store.retry_when_locked(lambda: copy_store(source, target, advance=progress.advance))
    progress.finish()
    store.bind_models(source)
    copied = sum(r["copied"] for r in report.values())
    present = sum(r["present"] for r in report.values())
    print(f"copied {copied} row(s) from {source_where} to {store.describe(target_url)}; {present} were there already")
    for table, counts in report.items():
        if counts["copied"] or counts["present"]:
            print(f"  {table}: {counts['copied']} copied, {counts['present']} already there")
    sys.stdout.flush()
    return 0


def _data_dir(args):
    from helper.config import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def _same_place(source, target_url: str) -> bool:
    from pathlib import Path

    from helper.store.db import is_url, sqlite_file

    def place(target):
        if not is_url(target):
            return Path(target).resolve()
        if target.startswith("sqlite:"):
            return sqlite_file(target).resolve()
        return target

    return place(source) == place(target_url)
