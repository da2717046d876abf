"""Opening the store's database: SQLite (the file in the data dir, its pragmas, WAL, busy timeout) or,
for a team, PostgreSQL (`--database postgresql://user@host:port/db` or $LINKTRIAGE_DATABASE_URL);
pooled connections for the helper, `init_db` (create or migrate, bind the models), and riding out
another writer's lock.

Opening and connection handling live here only: the models, migrations and queries are the same on
both. Where the dialects differ, the code asks `is_postgres(db)`: INSERT OR IGNORE vs ON CONFLICT DO
NOTHING in `Comment.insert_new`, instr vs strpos in `Comment.filtered`, strftime vs to_char in
`Comment.request_groups`, the expression index in migrations.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import peewee as pw

from helper.store.migrations import SchemaTooNew, migrate
from helper.store.models import MODELS, Meta, is_postgres

DB_FILENAME = "linktriage.sqlite3"
DATABASE_ENV = "LINKTRIAGE_DATABASE_URL"
POSTGRES_SCHEMES = ("postgres", "postgresql")
# WAL lets the dashboard read while a batch is written; busy_timeout rides out short write locks.
# The CLI waits up to BUSY_TIMEOUT_MS for a write lock (and retries, see `retry_when_locked`); the
# helper only HELPER_BUSY_TIMEOUT_MS, so a request never hangs: it answers 503 + Retry-After instead.
# On PostgreSQL the same numbers are the lock_timeout of each connection.
BUSY_TIMEOUT_MS = 5000
HELPER_BUSY_TIMEOUT_MS = 1000
PRAGMAS = {
    "busy_timeout": BUSY_TIMEOUT_MS,  # first: the pragmas after it may need a lock another writer holds
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "cache_size": -16 * 1024,  # 16 MB
    "temp_store": "memory",  # sorts of the dashboard's listings stay off the disk
}
# PostgreSQL: how long opening a connection may take before the server counts as unreachable, and
# how many connections one helper keeps at most (waitress serves with a few threads) and for how long
# one is reused. The URL may set the last two: postgresql://host/db?max_connections=8&stale_timeout=120
# (a team whose server allows few connections gives each helper fewer; the CLI opens one and ignores them).
CONNECT_TIMEOUT_S = 5
POOL_MAX_CONNECTIONS = 16
POOL_STALE_S = 300
POOL_SETTINGS = ("max_connections", "stale_timeout")


class DatabaseUnavailable(Exception):
    """The database server cannot be reached or refused us (PostgreSQL only): one clear line."""


def db_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def is_url(target) -> bool:
    return isinstance(target, str) and "://" in target


def database_url(explicit: str | None = None) -> str | None:
    """--database, else $LINKTRIAGE_DATABASE_URL, else None (the SQLite file in the data dir).

    A ValueError for a URL this LinkTriage cannot open (only postgresql:// and sqlite:/// are)."""
    url = explicit or os.environ.get(DATABASE_ENV) or None
    if url is None:
        return None
    scheme = urlsplit(url).scheme
    if scheme not in (*POSTGRES_SCHEMES, "sqlite"):
        raise ValueError(f"--database must be a postgresql://user@host:port/db or sqlite:///path URL, not {redact(url)}")
    if scheme in POSTGRES_SCHEMES and not urlsplit(url).path.strip("/"):
        raise ValueError(f"the database URL {redact(url)} names no database (postgresql://user@host:port/DBNAME)")
    if scheme in POSTGRES_SCHEMES:
        pool_settings(url)  # a ValueError now rather than at the first request
    return url


def pool_settings(url: str) -> dict:
    """The pool's max_connections and stale_timeout (seconds): the URL's query, else the defaults.
    A ValueError for a value that is not a positive whole number."""
    from urllib.parse import parse_qsl

    settings = {"max_connections": POOL_MAX_CONNECTIONS, "stale_timeout": POOL_STALE_S}
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key in POOL_SETTINGS:
            if not value.isdigit() or int(value) < 1:
                raise ValueError(f"{key} in the database URL must be a whole number of at least 1, not {value!r}")
            settings[key] = int(value)
    return settings


def store_target(data_dir: str | Path, explicit: str | None = None) -> str | Path:
    """What `init_db` opens for this data dir: the team database URL when one is given, else the file."""
    return database_url(explicit) or db_path(data_dir)


def redact(url: str) -> str:
    """The URL without its password, for messages and /api/health."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{userinfo}:***@{netloc[-1]}"))


def describe(target) -> str:
    """Where the store is, as a message names it (no password)."""
    return redact(target) if is_url(target) else str(target)


def sqlite_file(url: str) -> Path:
    """The path of a sqlite:///path URL (sqlite:////abs/path or sqlite:///relative/path)."""
    path = urlsplit(url).path
    return Path(path[1:] if path.startswith("/") else path)


def open_db(target: str | Path, pooled: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> pw.Database:
    """The database at `target`: a SQLite file path (or sqlite:/// URL), or a postgresql:// URL.
    `pooled`: close() hands the connection back for the next request.

    The helper pools: opening a connection costs its pragmas (a PostgreSQL connection its handshake),
    and closing the last SQLite one checkpoints the WAL (~20 ms), which per request would cost more
    than storing a batch. `close_all()` closes them for real. The CLI opens, works and closes once,
    so it needs no pool.
    `busy_timeout_ms`: how long a write waits for another writer's lock before "database is locked"
    (on PostgreSQL: the connection's lock_timeout).
    """
    if is_url(target) and urlsplit(target).scheme in POSTGRES_SCHEMES:
        return _open_postgres(target, pooled, busy_timeout_ms)
    path = sqlite_file(target) if is_url(target) else target
    pragmas = {**PRAGMAS, "busy_timeout": busy_timeout_ms}
    if pooled:
        from playhouse.pool import PooledSqliteDatabase

        # No cap and no stale timeout: one connection per busy server thread, kept for the process.
        return PooledSqliteDatabase(
            str(path), pragmas=pragmas, check_same_thread=False, max_connections=None, stale_timeout=None
        )
    return pw.SqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False)


def _open_postgres(url: str, pooled: bool, busy_timeout_ms: int) -> pw.PostgresqlDatabase:
    from playhouse.db_url import parse

    params = parse(url, unquote_password=True, unquote_user=True)
    name = params.pop("database")
    for key in POOL_SETTINGS:  # settings of this LinkTriage's pool, not of the server's connection
        params.pop(key, None)
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    params.setdefault("application_name", "linktriage")
    # A write waits for another writer's row lock as long as a SQLite write waits for the file lock.
    params["options"] = f"{params.get('options') or ''} -c lock_timeout={int(busy_timeout_ms)}".strip()
    if pooled:
        from playhouse.pool import PooledPostgresqlDatabase

        # At most max_connections (POOL_MAX_CONNECTIONS unless the URL says); one opened stale_timeout
        # (POOL_STALE_S) ago is closed rather than reused (the server may have dropped it); a request
        # waits up to CONNECT_TIMEOUT_S for a free one when all are busy.
        return PooledPostgresqlDatabase(name, **pool_settings(url), timeout=CONNECT_TIMEOUT_S, **params)
    return pw.PostgresqlDatabase(name, **params)


def make_room(target) -> None:
    """Create the folder a SQLite file goes in (nothing to do for a server's database)."""
    if not is_url(target) or urlsplit(target).scheme == "sqlite":
        path = sqlite_file(target) if is_url(target) else Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)


def bind_models(db: pw.Database) -> None:
    if Meta._meta.database is not db:
        db.bind(MODELS, bind_refs=False, bind_backrefs=False)


def init_db(target: str | Path, pooled: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> pw.Database:
    """Open (creating the folder and file if needed), migrate to SCHEMA_VERSION, bind the models.

    `target`: a SQLite file path, or a database URL (`store_target` picks one for a data dir).
    The returned database is closed; use `with db:` (a connection and one transaction) or
    `with db.connection_context():` (a connection, each statement its own transaction) around work.
    `pooled`, `busy_timeout_ms`: see open_db. A PostgreSQL server that cannot be reached raises
    DatabaseUnavailable; a schema newer than this LinkTriage knows, SchemaTooNew (on both).
    """
    make_room(target)
    db = open_db(target, pooled=pooled, busy_timeout_ms=busy_timeout_ms)
    bind_models(db)
    migrate_db(db, target)
    return db


def migrate_db(db: pw.Database, target) -> None:
    """Bring an opened database to SCHEMA_VERSION (one connection, closed again; `migrate` opens its
    transaction under the migration lock). SchemaTooNew for a newer schema; DatabaseUnavailable when a
    PostgreSQL server cannot be reached."""
    try:
        connect_first(db)
        with db.connection_context():
            migrate(db)
    except (pw.OperationalError, pw.InterfaceError) as exc:
        if is_postgres(db) and is_unreachable(exc):
            if not db.is_closed():
                db.close()
            raise DatabaseUnavailable(unreachable_message(target, exc)) from None
        raise


def connect_first(db: pw.Database) -> None:
    """Connect, riding out SQLite's switch of a new file to WAL: PRAGMA journal_mode does not wait for the
    busy timeout, so a process opening a new file the moment another one switches it is told "database is
    locked" at once. Retried within the busy timeout (the next try finds the file in WAL already)."""
    import time

    if is_postgres(db):
        db.connect(reuse_if_open=True)
        return
    deadline = time.monotonic() + dict(db._pragmas).get("busy_timeout", BUSY_TIMEOUT_MS) / 1000
    while True:
        try:
            db.connect(reuse_if_open=True)
            return
        except pw.OperationalError as exc:
            if not is_locked(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def open_for_cli(data_dir_arg: str | None, database_arg: str | None = None) -> pw.Database:
    """init_db for a CLI command's --data-dir / --database, with problems turned into one clear
    UserError line (exit 2)."""
    from helper.config import resolve_data_dir
    from helper.errors import UserError

    try:
        target = store_target(resolve_data_dir(data_dir_arg), database_arg)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    try:
        return init_db(target)
    except (SchemaTooNew, DatabaseUnavailable) as exc:
        raise UserError(str(exc)) from None
    except (OSError, pw.DatabaseError) as exc:
        raise UserError(f"cannot open the database {describe(target)}: {first_line(exc)}") from None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_unreachable(exc: BaseException) -> bool:
    """Is this a PostgreSQL connection that could not be made or was lost (server down, refused,
    wrong password, no such database), as opposed to an error in a statement?"""
    cause = exc.__cause__ or exc.__context__
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False  # SQLite's errors (and others) are never this
    if isinstance(exc, pw.InterfaceError):
        return True  # "connection already closed"
    if not isinstance(exc, pw.OperationalError):
        return False
    code = getattr(cause, "pgcode", None)
    if code is None:
        # psycopg2 raises OperationalError without a code when it cannot connect or lost the server.
        return not is_locked(exc)
    return code[:2] in ("08", "28", "3D", "57")  # connection, authorization, no database, shutdown


def unreachable_message(target, exc: BaseException) -> str:
    return f"cannot reach the database {describe(target)}: {first_line(exc)}"


# -- sharing the database between writers --------------------------------------------------------
def write_transaction(db: pw.Database):
    """A transaction that writes: SQLite's BEGIN IMMEDIATE (the write lock first, waiting up to the busy
    timeout, so a read-then-write never fails half-way with "database is locked"); on PostgreSQL a plain
    transaction (rows are locked as they are written, up to lock_timeout)."""
    return db.atomic() if is_postgres(db) else db.atomic("IMMEDIATE")


def is_locked(exc: BaseException) -> bool:
    """Did another writer hold the lock past the busy timeout? SQLite's "database is locked/busy";
    PostgreSQL's lock_timeout (55P03), or a deadlock (40P01) or serialization failure (40001), which
    also mean "run it again"."""
    if not isinstance(exc, pw.OperationalError):
        return False
    code = getattr(exc.__cause__ or exc.__context__, "pgcode", None)
    if code is not None:
        return code in ("55P03", "40P01", "40001")
    return "locked" in str(exc) or "busy" in str(exc)


def retry_when_locked(work, patience_s: float = 60.0):
    """Run `work()`; while another writer keeps the lock past busy_timeout, wait a little and run it again.

    For the CLI's chunked writes: `work` must be safe to repeat (ingest is: it re-reads what is stored).
    After `patience_s` the lock error is raised as a UserError (one clear line, exit 2).
    """
    import time

    from helper.errors import UserError

    deadline = time.monotonic() + patience_s
    pause = 0.05
    while True:
        try:
            return work()
        except pw.OperationalError as exc:
            if not is_locked(exc):
                raise
            if time.monotonic() >= deadline:
                raise UserError(
                    f"the database stayed locked by another writer for {patience_s:.0f} s; try again later"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
