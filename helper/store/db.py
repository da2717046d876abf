"""Opening the store's database: the file, its pragmas (WAL, busy timeout), pooled connections for the
helper, `init_db` (create or migrate, bind the models), and riding out another writer's lock.

Opening and connection handling live here only, so a second backend (PostgreSQL through
`playhouse.db_url`) opens in `open_db` without the models or the API changing. SQLite's dialect is
still spoken in a few places it would have to follow: INSERT OR IGNORE and plain-SQL reads in hot
Comment methods, strftime in `Comment.request_groups`, the expression index in migrations.
"""

from __future__ import annotations

from pathlib import Path

import peewee as pw

from helper.store.migrations import SchemaTooNew, migrate
from helper.store.models import MODELS, Meta

DB_FILENAME = "linktriage.sqlite3"
# WAL lets the dashboard read while a batch is written; busy_timeout rides out short write locks.
# The CLI waits up to BUSY_TIMEOUT_MS for a write lock (and retries, see `retry_when_locked`); the
# helper only HELPER_BUSY_TIMEOUT_MS, so a request never hangs: it answers 503 + Retry-After instead.
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


def db_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def open_db(path: str | Path, pooled: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> pw.SqliteDatabase:
    """The database at `path`. `pooled`: close() hands the connection back for the next request.

    The helper pools: opening a connection costs its pragmas, and closing the last one checkpoints
    the WAL (~20 ms), which per request would cost more than storing a batch. `close_all()` closes
    them for real. The CLI opens, works and closes once, so it needs no pool.
    `busy_timeout_ms`: how long a write waits for another writer's lock before "database is locked".
    """
    pragmas = {**PRAGMAS, "busy_timeout": busy_timeout_ms}
    if pooled:
        from playhouse.pool import PooledSqliteDatabase

        # No cap and no stale timeout: one connection per busy server thread, kept for the process.
        return PooledSqliteDatabase(
            str(path), pragmas=pragmas, check_same_thread=False, max_connections=None, stale_timeout=None
        )
    return pw.SqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False)


def bind_models(db: pw.Database) -> None:
    if Meta._meta.database is not db:
        db.bind(MODELS, bind_refs=False, bind_backrefs=False)


def init_db(path: str | Path, pooled: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> pw.SqliteDatabase:
    """Open (creating the folder and file if needed), migrate to SCHEMA_VERSION, bind the models.

    The returned database is closed; use `with db:` (a connection and one transaction) or
    `with db.connection_context():` (a connection, each statement its own transaction) around work.
    `pooled`, `busy_timeout_ms`: see open_db.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_db(path, pooled=pooled, busy_timeout_ms=busy_timeout_ms)
    bind_models(db)
    with db:
        migrate(db)
    return db


def open_for_cli(data_dir_arg: str | None) -> pw.SqliteDatabase:
    """init_db for a CLI command's --data-dir, with problems turned into one clear UserError line."""
    from helper.config import resolve_data_dir
    from helper.errors import UserError

    path = db_path(resolve_data_dir(data_dir_arg))
    try:
        return init_db(path)
    except SchemaTooNew as exc:
        raise UserError(str(exc)) from None
    except (OSError, pw.DatabaseError) as exc:
        raise UserError(f"cannot open the database {path}: {exc}") from None


# -- sharing the database between writers --------------------------------------------------------
def is_locked(exc: BaseException) -> bool:
    """Is this SQLite's "database is locked/busy" (another writer held the lock past busy_timeout)?"""
    return isinstance(exc, pw.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


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
