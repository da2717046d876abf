"""The store: peewee models on SQLite (or a team's PostgreSQL), schema migrations, and the queries the
API and CLI share.

One database file per data dir (`db_path`), or the database `--database` / $LINKTRIAGE_DATABASE_URL
names (`store_target`). `init_db` creates or migrates it and binds the models;
the Flask app takes a pooled connection per request (see `helper.app`), the CLI uses `with db:`.

- `helper.store.db`: opening connections (SQLite pragmas, WAL, busy timeouts; PostgreSQL URLs;
  pooling), `init_db`, `open_for_cli`, `bind_models`, retrying while another writer holds the lock,
  telling an unreachable server (`DatabaseUnavailable`) from a locked one.
- `helper.store.models`: the models, with the query logic that belongs to each
  (Comment.requests, Note.with_counts, Pairing.pair, ...), so the API stays thin.
- `helper.store.queries`: helpers that are no one model's method (a comment's verdict, titles).
- `helper.store.migrations`: SCHEMA_VERSION, MIGRATIONS, `migrate`.
- `helper.store.team`: team mode's operators and roles (Operator) and activity log (AuditEvent).
- `helper.store.transfer`: copying one store into another (`linktriage db migrate-to`).

Every public name is re-exported here: `from helper import store; store.Comment`, or
`from helper.store import Comment`.
"""

from helper.store.db import (
    BUSY_TIMEOUT_MS,
    DATABASE_ENV,
    DB_FILENAME,
    HELPER_BUSY_TIMEOUT_MS,
    PRAGMAS,
    DatabaseUnavailable,
    bind_models,
    database_url,
    db_path,
    describe,
    init_db,
    is_locked,
    is_postgres,
    is_unreachable,
    make_room,
    migrate_db,
    open_db,
    open_for_cli,
    redact,
    retry_when_locked,
    store_target,
    unreachable_message,
    write_transaction,
)
from helper.store.migrations import MIGRATIONS, SCHEMA_VERSION, SchemaTooNew, migrate, schema_version
from helper.store.models import (
    CLAIM_TTL_S,
    MODELS,
    NOTE_FACTS,
    VERDICT_FIELDS,
    BaseModel,
    Comment,
    JSONField,
    Meta,
    Note,
    NoteCoverage,
    Pairing,
    Product,
    hash_token,
    isoformat_utc,
    new_token,
    utcnow,
)
from helper.store.team import AUDIT_ACTIONS, ROLES, AuditEvent, LastOwner, Operator, role_rank
from helper.store.queries import comments_with_titles, note_titles, shown_is_request, verdict_of
from helper.vocab import CORRECTIONS, STATUSES

__all__ = [
    "BUSY_TIMEOUT_MS", "DATABASE_ENV", "DB_FILENAME", "HELPER_BUSY_TIMEOUT_MS", "PRAGMAS", "DatabaseUnavailable",
    "bind_models", "database_url", "db_path", "describe", "init_db", "is_locked", "is_postgres", "is_unreachable",
    "make_room", "migrate_db", "open_db", "open_for_cli", "redact", "retry_when_locked", "store_target", "unreachable_message", "write_transaction",
    "MIGRATIONS", "SCHEMA_VERSION", "SchemaTooNew", "migrate", "schema_version",
    "CLAIM_TTL_S", "MODELS", "NOTE_FACTS", "VERDICT_FIELDS", "BaseModel", "Comment", "JSONField", "Meta", "Note", "NoteCoverage",
    "Pairing", "Product", "hash_token", "isoformat_utc", "new_token", "utcnow",
    "AUDIT_ACTIONS", "ROLES", "AuditEvent", "LastOwner", "Operator", "role_rank",
    "comments_with_titles", "note_titles", "shown_is_request", "verdict_of",
    "CORRECTIONS", "STATUSES",
]
