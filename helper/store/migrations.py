"""Schema migrations: SCHEMA_VERSION, the numbered steps that reach it, and `migrate`.

Append a step for every schema change; never edit an old one (databases in the field ran it). The
same steps run on SQLite and PostgreSQL; a step whose SQL differs says so with `isinstance(db,
pw.PostgresqlDatabase)` and leaves SQLite's statement as it was.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager

import peewee as pw

from helper.store.models import MODELS, Meta, NoteCoverage

SCHEMA_VERSION = 11


def _migrate_1(db: pw.Database) -> None:
    db.create_tables(MODELS, safe=True)
    Meta.set_value("dashboard_token", secrets.token_urlsafe(32))


def _migrate_2(db: pw.Database) -> None:
    # Listings and exports are "newest first" (Comment.filtered): an index in that order lets them
    # stream and page by key instead of sorting every comment in memory first.
    if isinstance(db, pw.PostgresqlDatabase):  # an expression in an index is parenthesised there
        db.execute_sql(
            'CREATE INDEX IF NOT EXISTS "comment_when_id" ON "comment" ((COALESCE("created_at", "captured_at")) DESC, "id" DESC)'
        )
        return
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "comment_when_id" ON "comment" (COALESCE("created_at", "captured_at") DESC, "id" DESC)'
    )


def _migrate_3(db: pw.Database) -> None:
    db.create_tables([NoteCoverage], safe=True)


def _migrate_4(db: pw.Database) -> None:
    # The dashboard's triage views (issue 15) count every request per status on each page: a covering
    # index over what those counts read makes them an index scan instead of a pass over the texts.
    # The same buyer's other asks under a note are looked up by (note_id, author_id).
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "comment_triage" ON "comment" '
        '("is_request", "correction", "status", "created_at", "captured_at")'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "comment_note_author" ON "comment" ("note_id", "author_id")')


def _add_missing_columns(db: pw.Database, model, names: tuple[str, ...]) -> None:
    """Add the model's fields `names` to its table where they are not there yet (either backend)."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate as run

    table = model._meta.table_name
    have = {c.name for c in db.get_columns(table)}
    migrator = PostgresqlMigrator(db) if isinstance(db, pw.PostgresqlDatabase) else SqliteMigrator(db)
    run(*(migrator.add_column(table, name, getattr(model, name)) for name in names if name not in have))


def _migrate_5(db: pw.Database) -> None:
    # Team mode (issue 14): who set a correction, and when (status_by / status_at say it for statuses).
    from helper.store.models import Comment

    _add_missing_columns(db, Comment, ("correction_by", "correction_at"))


def _migrate_6(db: pw.Database) -> None:
    # Every stored batch asks which of its comments an earlier reply of the creator answers
    # (thread_replies: parent_id IN the batch's ids). Without an index on parent_id that read scanned
    # the whole comment table per batch: a 200-comment POST went from ~11 ms to ~45 ms as it grew.
    db.execute_sql('CREATE INDEX IF NOT EXISTS "comment_platform_parent" ON "comment" ("platform", "parent_id")')


def _migrate_7(db: pw.Database) -> None:
    # Accounts (issue 14): every comment belongs to the creator account it was captured for (its note's
    # author id), every product to one account or to all (NULL = shared). Comments of notes whose
    # author is known are filled in here; the rest when the author becomes known (Note.remember).
    from helper.store.models import Comment, Product

    for model in (Comment, Product):
        _add_missing_columns(db, model, ("account",))
    db.execute_sql(
        'UPDATE "comment" SET "account" = (SELECT "note"."author_id" FROM "note" '
        'WHERE "note"."platform" = "comment"."platform" AND "note"."note_id" = "comment"."note_id") '
        'WHERE "account" IS NULL'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "comment_account" ON "comment" ("account")')


def _migrate_8(db: pw.Database) -> None:
    # Claims (issue 14): the operator answering a buyer now (claimed_by) and until when (claimed_until),
    # so two operators never answer the same buyer.
    from helper.store.models import Comment

    _add_missing_columns(db, Comment, ("claimed_by", "claimed_until"))


def _migrate_9(db: pw.Database) -> None:
    # Team mode (issue 14): the operators of a shared database and their roles (owner / agent / viewer),
    # and the activity log (who changed a status, corrected, claimed, released, filled a reply, exported,
    # changed a role; when; which account and comment). helper/store/team.py.
    from helper.store.team import AuditEvent, Operator

    db.create_tables([Operator, AuditEvent], safe=True)


# Live updates (issue 14): on PostgreSQL every statement that writes comments or products NOTIFYs the
# channel LIVE_CHANNEL once (FOR EACH STATEMENT: a 200-comment batch is one notification, and NOTIFY
# collapses equal payloads of one transaction), so every writer -- any helper, the CLI, psql -- tells
# the helpers listening without a hook in the app. The payload stays small (far under NOTIFY's 8000
# bytes, at most ~4000): {"table", "op", "n": rows, "ids": up to LIVE_MAX_IDS keys or null, "accounts": up to
# LIVE_MAX_ACCOUNTS accounts or null}; null means "more than that" (the listener refreshes broadly).
# SQLite has no NOTIFY: a helper notices other connections' commits through PRAGMA data_version.
LIVE_CHANNEL = "linktriage_changes"
LIVE_MAX_IDS = 20
LIVE_MAX_ACCOUNTS = 10
_LIVE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION linktriage_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  n bigint;
  ids json;
  accounts json;
  payload text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT count(*) INTO n FROM old_rows;
    SELECT json_agg(k) INTO ids FROM (SELECT to_jsonb(r) ->> TG_ARGV[0] AS k FROM old_rows r LIMIT {LIVE_MAX_IDS + 1}) s;
    SELECT json_agg(a) INTO accounts FROM (SELECT DISTINCT account AS a FROM old_rows LIMIT {LIVE_MAX_ACCOUNTS + 1}) s;
  ELSE
    SELECT count(*) INTO n FROM new_rows;
    SELECT json_agg(k) INTO ids FROM (SELECT to_jsonb(r) ->> TG_ARGV[0] AS k FROM new_rows r LIMIT {LIVE_MAX_IDS + 1}) s;
    SELECT json_agg(a) INTO accounts FROM (SELECT DISTINCT account AS a FROM new_rows LIMIT {LIVE_MAX_ACCOUNTS + 1}) s;
  END IF;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  IF n > {LIVE_MAX_IDS} THEN
    ids := NULL;
  END IF;
  IF json_array_length(accounts) > {LIVE_MAX_ACCOUNTS} THEN
    accounts := NULL;
  END IF;
  payload := json_build_object('table', TG_TABLE_NAME, 'op', lower(TG_OP), 'n', n, 'ids', ids, 'accounts', accounts)::text;
  IF octet_length(payload) > 4000 THEN  -- long keys: say what changed without them
    payload := json_build_object('table', TG_TABLE_NAME, 'op', lower(TG_OP), 'n', n, 'ids', NULL, 'accounts', NULL)::text;
  END IF;
  PERFORM pg_notify('{LIVE_CHANNEL}', payload);
  RETURN NULL;
END
$fn$
"""
# table -> the column whose values are the "ids" of a notification (what the dashboard calls a row's id)
_LIVE_TABLES = {"comment": "comment_id", "product": "id"}


def _migrate_10(db: pw.Database) -> None:
    if not isinstance(db, pw.PostgresqlDatabase):
        return  # SQLite: nothing to store (see LIVE_CHANNEL)
    db.execute_sql(_LIVE_FUNCTION)
    for table, key in _LIVE_TABLES.items():
        for op, rows in (("insert", "NEW TABLE AS new_rows"), ("update", "NEW TABLE AS new_rows"), ("delete", "OLD TABLE AS old_rows")):
            name = f"linktriage_live_{table}_{op}"
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            db.execute_sql(
                f'CREATE TRIGGER "{name}" AFTER {op.upper()} ON "{table}" REFERENCING {rows} '
                f"FOR EACH STATEMENT EXECUTE PROCEDURE linktriage_notify_change('{key}')"
            )


def _migrate_11(db: pw.Database) -> None:
    # Per-account retraining (issue 14): the models helpers trained for each account, shared through a team
    # database (helper/store/account_models.py; empty on SQLite, where a creator's models are in her data dir).
    from helper.store.account_models import create_table

    create_table(db)


# version -> step that brings the schema to that version. Append; never edit old steps. (9 is taken by
# the audit table of issue 14, coming separately; `migrate` runs the steps above the stored version in order.)
MIGRATIONS = {1: _migrate_1, 2: _migrate_2, 3: _migrate_3, 4: _migrate_4, 5: _migrate_5, 6: _migrate_6, 7: _migrate_7, 8: _migrate_8, 9: _migrate_9, 10: _migrate_10, 11: _migrate_11}
assert max(MIGRATIONS) == SCHEMA_VERSION


class SchemaTooNew(Exception):
    """The database was written by a newer LinkTriage."""


# Two helpers (or a helper and `linktriage db ...`) opening one new or older database at the same moment
# must not run the same step twice. On PostgreSQL `migrate` holds the session-level advisory lock
# MIGRATION_LOCK_KEY (the bytes of "LinkTria" as a bigint; `SELECT * FROM pg_locks WHERE locktype =
# 'advisory'` shows who holds it) from before it reads the schema version until its transaction is
# committed, waiting up to MIGRATION_LOCK_WAIT_S for another LinkTriage's migration to end. On SQLite
# the check-and-migrate is one BEGIN IMMEDIATE transaction: the second opener waits for the write lock
# (its busy timeout), then reads the version the first one committed.
MIGRATION_LOCK_KEY = int.from_bytes(b"LinkTria", "big")
MIGRATION_LOCK_WAIT_S = 300


class MigrationLockTimeout(pw.OperationalError):
    """Another LinkTriage held the migration lock longer than MIGRATION_LOCK_WAIT_S."""


def schema_version(db: pw.Database) -> int:
    if "meta" not in db.get_tables():
        return 0
    return int(Meta.get_value("schema_version", "0") or 0)


@contextmanager
def migration_lock(db: pw.Database):
    """One transaction that no other LinkTriage's migration of this database overlaps (see
    MIGRATION_LOCK_KEY). On PostgreSQL the lock is released after the commit, or the rollback, so the next
    one reads what this one committed; MigrationLockTimeout when it stayed taken too long."""
    if not isinstance(db, pw.PostgresqlDatabase):
        with db.atomic("IMMEDIATE"):
            yield
        return
    try:
        with db.atomic():  # the wait's lock_timeout only for this statement's transaction
            db.execute_sql("SELECT set_config('lock_timeout', %s, true)", (f"{MIGRATION_LOCK_WAIT_S}s",))
            db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
    except pw.OperationalError as exc:
        if getattr(exc.__cause__ or exc.__context__, "pgcode", None) != "55P03":  # lock_not_available
            raise
        raise MigrationLockTimeout(
            f"another LinkTriage has been migrating this database for over {MIGRATION_LOCK_WAIT_S} s "
            f"(advisory lock {MIGRATION_LOCK_KEY}); try again when it is done"
        ) from None
    try:
        with db.atomic():
            yield
    finally:
        try:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
        except pw.DatabaseError:
            # The connection broke (a failed step may have taken it down): ending the session releases
            # the lock then, and a pool must not hand this connection out again. What went wrong in the
            # step (if anything) is the error that propagates.
            (getattr(db, "manual_close", None) or db.close)()


def _checked(current: int) -> int:
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database has schema version {current}; this LinkTriage knows up to {SCHEMA_VERSION}. "
            "Upgrade LinkTriage."
        )
    return current


def migrate(db: pw.Database) -> int:
    """Bring the connected database to SCHEMA_VERSION under `migration_lock`; the version it has now.
    Call it with a connection and no transaction open (`migrate_db` does): it commits before unlocking."""
    if db.in_transaction():
        raise RuntimeError("migrate runs its own transaction: call it outside one")
    # Up to date (every open after the first): nothing to lock. A version only grows, so what a plain read
    # says cannot become stale; and on SQLite the write lock would make every open wait for any writer
    # (a CLI ingest behind a long write, tests/test_concurrency.py).
    current = schema_version(db)
    if current >= SCHEMA_VERSION:
        return _checked(current)
    with migration_lock(db):
        current = _checked(schema_version(db))  # read under the lock: another LinkTriage may just have migrated
        for version in sorted(v for v in MIGRATIONS if v > current):
            with db.atomic():
                MIGRATIONS[version](db)
                Meta.set_value("schema_version", str(version))
    return max(current, SCHEMA_VERSION)
