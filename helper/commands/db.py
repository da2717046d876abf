"""`linktriage db migrate-to URL`: copy this store into another one (team mode, issue 14).

The source is what every command uses: the SQLite file in --data-dir, or the database --database /
$LINKTRIAGE_DATABASE_URL names. The target is a postgresql:// URL (a creator moving into a team
database) or a sqlite:///path URL (backing a team database out into a file). Idempotent: rows the
target already has (same comment, note, product) are left alone; see helper/store/transfer.py.
`--account ID` (repeatable) copies only what belongs to that creator account, in either direction.
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
        help="copy every row of this store, or one account's, into another database (idempotent)",
        description="Copy every table of this store (the SQLite file in --data-dir, or --database) into URL: "
        "postgresql://user[:password]@host:port/dbname to move into a team database, or sqlite:////path/to/"
        "linktriage.sqlite3 to back a team database out into a file (e.g. --database postgresql://... "
        "migrate-to sqlite:///DATA_DIR/linktriage.sqlite3). Rows the target already has (the same comment, "
        "note or product) are left as they are, so running it again copies nothing twice. The target is "
        "created or migrated to this LinkTriage's schema first. With --account, only that creator account's "
        "rows: its comments (statuses, corrections and their authors kept, claims cleared), its notes and "
        "their coverage, its products and the shared ones that can attribute its comments, the activity "
        "events of the account or its comments, and its trained models (when the target has none for it); "
        "not the dashboard token, pairings or operators' roles, which stay each database's own.",
    )
    to.add_argument("url", metavar="URL", help="the database to copy into")
    to.add_argument("--account", action="append", metavar="ID", dest="accounts",
                    help="copy only this creator account's rows (its id as GET /api/accounts and the dashboard's "
                    "account switcher show it; repeat for several), e.g. to back one account out of a team "
                    "database into its own SQLite file")
    to.set_defaults(func=migrate_to)


def migrate_to(args) -> int:
    import peewee as pw

    from helper import store
    from helper.progress import Progress
    from helper.store.db import first_line
    from helper.store.transfer import Scope, UnknownAccount, copy_store, row_counts

    try:
        target_url = store.database_url(args.url)
    except ValueError as exc:
        raise UserError(str(exc).replace("--database", "URL")) from None
    source = store.open_for_cli(args.data_dir, args.database)
    source_target = store.store_target(_data_dir(args), args.database)
    source_where = store.describe(source_target)
    if _same_place(source_target, target_url):
        raise UserError(f"{store.describe(target_url)} is the store being copied; name another database")
    scope = Scope(args.accounts)
    try:
        with source.connection_context():
            scope.check(source)
    except UnknownAccount as exc:
        raise UserError(_unknown_accounts(exc, source_where)) from None
    try:
        target = store.init_db(target_url)
    except (store.SchemaTooNew, store.DatabaseUnavailable) as exc:
        raise UserError(str(exc)) from None
    except (OSError, pw.DatabaseError) as exc:
        raise UserError(f"cannot open the database {store.describe(target_url)}: {first_line(exc)}") from None

    with source.connection_context():
        total = sum(row_counts(source, scope).values())
        progress = Progress(f"migrate-to {store.describe(target_url)}", total=total, unit="rows")
        with target.connection_context():
            report = store.retry_when_locked(lambda: copy_store(source, target, advance=progress.advance, scope=scope))
    progress.finish()
    store.bind_models(source)
    copied = sum(r["copied"] for r in report.values())
    present = sum(r["present"] for r in report.values())
    of = f" of account {', '.join(scope.accounts)}" if scope.accounts else ""
    print(f"copied {copied} row(s){of} from {source_where} to {store.describe(target_url)}; {present} were there already")
    for table, counts in report.items():
        if counts["copied"] or counts["present"]:
            print(f"  {table}: {counts['copied']} copied, {counts['present']} already there")
    sys.stdout.flush()
    return 0


def _unknown_accounts(exc, source_where: str) -> str:
    """One line: the accounts asked for that the source lacks, and the ones it has (as GET /api/accounts)."""
    missing = ", ".join(exc.missing)
    if not exc.known:
        return f"no account {missing} in {source_where}: it has no comments of a known account"
    known = "; ".join(
        f"{a['id']}" + (f" ({a['name']}, " if a["name"] else " (") + f"{a['comments']} comments)" for a in exc.known)
    return f"no account {missing} in {source_where}; its accounts: {known}"


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
