"""Copying one store into another (`linktriage db migrate-to`): a creator's SQLite file into a team's
PostgreSQL database, or a team database back out into a SQLite file.

Every table, in MODELS order, page by page (each page its own transaction in the target). Rows are
matched by their natural key (a comment by (platform, comment_id), a note or its coverage by
(platform, note_id), a product by name, a pairing by (origin, token hash)): a row the target already
has is left as it is, so running it again copies nothing twice. Row ids are not copied (a team
database has its own); rows go in in id order, so "newest first" ties break the same way.
Meta (the dashboard token, the pairing window) is copied only into a target that holds no data yet;
a database others already use keeps its own. Operators and their roles likewise: copied only into a
target without operators (a creator merging into a team does not bring her own "owner" along); the
activity log's events are copied, each once (by uid). The schema version is the target's own (`init_db`).
"""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from helper.store.models import MODELS, AuditEvent, Comment, Meta, Note, NoteCoverage, Operator, Pairing, Product, is_postgres

# What makes a row the same row in another database.
KEYS: dict[type[pw.Model], tuple[str, ...]] = {
    Pairing: ("origin", "token_hash"),
    Note: ("platform", "note_id"),
    Comment: ("platform", "comment_id"),
    Product: ("name",),
    NoteCoverage: ("platform", "note_id"),
    Operator: ("name",),
    AuditEvent: ("uid",),
}
OWN_META = {"schema_version"}  # each database's own
PAGE = 1000


def _bound(db: pw.Database):
    return db.bind_ctx(MODELS, bind_refs=False, bind_backrefs=False)


def row_counts(db: pw.Database) -> dict[str, int]:
    """Rows per table (by table name)."""
    with _bound(db):
        return {model._meta.table_name: model.select().count() for model in MODELS}


def _pages(db: pw.Database, model: type[pw.Model], size: int):
    """The model's rows as dicts of field values (as Python sees them), id order, without the id."""
    with _bound(db):
        if model is Meta:
            rows = [r for r in Meta.select().order_by(Meta.key).dicts() if r["key"] not in OWN_META]
            if rows:
                yield rows
            return
        last = 0
        while True:
            page = list(model.select().where(model.id > last).order_by(model.id).limit(size).dicts())
            if not page:
                return
            last = page[-1]["id"]
            yield [{k: v for k, v in row.items() if k != "id"} for row in page]


def _insert_new(db: pw.Database, model: type[pw.Model], rows: list[dict]) -> int:
    """Insert the rows the target does not have yet (by KEYS); returns how many it inserted."""
    with _bound(db), db.atomic():
        if model is Pairing:  # no unique index: look the few pairings up
            have = {(p.origin, p.token_hash) for p in Pairing.select(Pairing.origin, Pairing.token_hash)}
            fresh = [r for r in rows if (r["origin"], r["token_hash"]) not in have]
            if fresh:
                Pairing.insert_many(fresh).execute()
            return len(fresh)
        inserted = 0
        for chunk in pw.chunked(rows, max(1, _max_params(db) // len(model._meta.fields))):
            query = model.insert_many(chunk).on_conflict_ignore()
            if is_postgres(db):
                inserted += len(list(query.returning(model.id).tuples().execute()))
            else:
                inserted += query.as_rowcount().execute()
        return inserted


def _max_params(db: pw.Database) -> int:
    """How many bound values one statement may carry (SQLite before 3.32: 999)."""
    if is_postgres(db):
        return 30000
    import sqlite3

    return 32000 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999


def _copy_meta(db: pw.Database, rows: list[dict]) -> int:
    with _bound(db), db.atomic():
        for row in rows:
            Meta.set_value(row["key"], row["value"])
    return len(rows)


def holds_data(db: pw.Database) -> bool:
    with _bound(db):
        return any(model.select().exists() for model in (Comment, Note, Product, Pairing, NoteCoverage))


def copy_store(source: pw.Database, target: pw.Database, advance: Callable[[int], None] | None = None,
               page: int = PAGE) -> dict[str, dict[str, int]]:
    """Copy every table of `source` into `target` (both migrated to the same schema and connected).
    Returns {table: {"copied": new rows, "present": rows the target had already}}; `advance(n)`
    is told of every page read (progress)."""
    copy_meta = not holds_data(target)
    with _bound(target):
        copy_operators = not Operator.select().exists()
    report = {}
    for model in MODELS:
        copied = present = 0
        for rows in _pages(source, model, page):
            if model is Operator and not copy_operators:
                present += len(rows)  # the team's roles are its own
            elif model is Meta:
                if copy_meta:
                    copied += _copy_meta(target, rows)
                else:
                    present += len(rows)
            else:
                new = _insert_new(target, model, rows)
                copied += new
                present += len(rows) - new
            if advance:
                advance(len(rows))
        report[model._meta.table_name] = {"copied": copied, "present": present}
    return report
