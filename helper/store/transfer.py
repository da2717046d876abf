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

One account (`accounts=[...]`, `migrate-to --account ID`; either direction): only the rows that belong
to it (`Scope`): its comments (statuses, corrections and who set them kept; claims cleared, since a claim
is a helper's lock on the source database that no one in the target holds), its notes (authored by it, or
with its comments) and their coverage, its products plus the shared ones (account NULL) that can attribute
its comments (no note_ids, or one of its notes), the activity-log events of that account or about its
comments, and its trained models (account_model rows) when the target has none of its own for it yet.
Not copied: meta (the dashboard token and pairing window are the source's, a team's secret; the target
keeps or makes its own), pairings (a browser's pairing with the source's helper), operators and their
roles (the team's, across all its accounts; the first `serve --operator` on the target becomes its owner)
and events about no account (role changes, all-account exports).
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


class UnknownAccount(KeyError):
    """An account the source has no comments of; `known` is what GET /api/accounts lists for it."""

    def __init__(self, missing: list[str], known: list[dict]):
        super().__init__(missing[0])
        self.missing, self.known = missing, known


class Scope:
    """Which rows of each table a copy takes: every row (no accounts), or those of `accounts`."""

    def __init__(self, accounts=None):
        self.accounts = list(dict.fromkeys(accounts or ())) or None

    def check(self, db: pw.Database) -> None:
        """UnknownAccount when the source has no comments of an account asked for."""
        if not self.accounts:
            return
        with _bound(db):
            known = Comment.accounts()["items"]
        missing = [a for a in self.accounts if a not in {k["id"] for k in known}]
        if missing:
            raise UnknownAccount(missing, known)

    def copies(self, model: type[pw.Model]) -> bool:
        return not self.accounts or model not in (Meta, Pairing, Operator)

    def where(self, model: type[pw.Model]):
        """The condition on `model`'s rows (None: all of them). Call with the models bound."""
        if not self.accounts:
            return None
        mine = self.accounts
        comments = Comment.select(Comment.platform, Comment.comment_id).where(Comment.account.in_(mine))
        if model is Comment:
            return Comment.account.in_(mine)
        if model is Note:
            return Note.author_id.in_(mine) | pw.Tuple(Note.platform, Note.note_id).in_(
                Comment.select(Comment.platform, Comment.note_id).where(Comment.account.in_(mine)))
        if model is NoteCoverage:
            notes = Note.select(Note.platform, Note.note_id).where(self.where(Note))
            return pw.Tuple(NoteCoverage.platform, NoteCoverage.note_id).in_(notes)
        if model is Product:
            return Product.account.in_(mine) | Product.account.is_null()  # shared ones: see keep()
        if model is AuditEvent:
            return AuditEvent.account.in_(mine) | pw.Tuple(AuditEvent.platform, AuditEvent.comment_id).in_(comments)
        raise ValueError(f"{model.__name__} has no account")

    def note_ids(self, db: pw.Database) -> set[str]:
        """The note ids of the accounts' notes (what a shared product's note_ids are checked against)."""
        with _bound(db):
            found = {n.note_id for n in Note.select(Note.note_id).where(self.where(Note))}
            return found | {c.note_id for c in Comment.select(Comment.note_id).distinct().where(self.where(Comment))}

    def keep(self, model: type[pw.Model], row: dict, note_ids: set[str] | None) -> dict | None:
        """The row as copied (None: not copied): a shared product only when it can attribute the
        accounts' comments (no note_ids, or one of their notes); a comment without its claim."""
        if not self.accounts:
            return row
        if model is Product and row["account"] is None and row.get("note_ids"):
            return row if note_ids & {str(n) for n in row["note_ids"]} else None
        if model is Comment:
            return {**row, "claimed_by": None, "claimed_until": None}
        return row


def row_counts(db: pw.Database, scope: Scope | None = None) -> dict[str, int]:
    """Rows per table (by table name) that the copy reads."""
    scope = scope or Scope()
    counts = {}
    with _bound(db):
        for model in MODELS:
            if scope.copies(model):
                where = scope.where(model)
                query = model.select() if where is None else model.select().where(where)
                counts[model._meta.table_name] = query.count()
    if scope.accounts:
        counts[_account_models()._meta.table_name] = len(_account_model_ids(db, scope.accounts))
    return counts


def _pages(db: pw.Database, model: type[pw.Model], size: int, scope: Scope | None = None):
    """The model's rows as dicts of field values (as Python sees them), id order, without the id."""
    scope = scope or Scope()
    with _bound(db):
        if model is Meta:
            rows = [r for r in Meta.select().order_by(Meta.key).dicts() if r["key"] not in OWN_META]
            if rows:
                yield rows
            return
        where = scope.where(model)
        last = 0
        while True:
            query = model.select().where(model.id > last)
            if where is not None:
                query = query.where(where)
            page = list(query.order_by(model.id).limit(size).dicts())
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


def _account_models():
    from helper.store.account_models import AccountModel

    return AccountModel


def _account_model_ids(db: pw.Database, accounts: list[str]) -> list[int]:
    AccountModel = _account_models()
    with db.bind_ctx([AccountModel], bind_refs=False, bind_backrefs=False):
        return [r.id for r in AccountModel.select(AccountModel.id).where(AccountModel.account.in_(accounts))
                .order_by(AccountModel.id)]


def _copy_account_models(source: pw.Database, target: pw.Database, accounts: list[str],
                         advance: Callable[[int], None] | None) -> dict[str, int]:
    """The accounts' kept models (oldest first, so the newest stays the newest), each account only into a
    target that has no model of its own for it: a team's newer model must not be replaced by an older
    one, and a second run finds them there."""
    AccountModel = _account_models()
    copied = present = 0
    with target.bind_ctx([AccountModel], bind_refs=False, bind_backrefs=False):
        have = {r.account for r in AccountModel.select(AccountModel.account).distinct()
                .where(AccountModel.account.in_(accounts))}
    for row_id in _account_model_ids(source, accounts):  # one at a time: each holds a ~2 MB artefact
        with source.bind_ctx([AccountModel], bind_refs=False, bind_backrefs=False):
            row = AccountModel.select().where(AccountModel.id == row_id).dicts().get()
        if row["account"] in have:
            present += 1
        else:
            with target.bind_ctx([AccountModel], bind_refs=False, bind_backrefs=False), target.atomic():
                AccountModel.insert({k: v for k, v in row.items() if k != "id"}).execute()
            copied += 1
        if advance:
            advance(1)
    return {"copied": copied, "present": present}


def copy_store(source: pw.Database, target: pw.Database, advance: Callable[[int], None] | None = None,
               page: int = PAGE, scope: Scope | None = None) -> dict[str, dict[str, int]]:
    """Copy every table of `source` into `target` (both migrated to the same schema and connected), or
    the rows of `scope`'s accounts. Returns {table: {"copied": new rows, "present": rows the target had
    already}}; `advance(n)` is told of every page read (progress)."""
    scope = scope or Scope()
    copy_meta = not holds_data(target)
    with _bound(target):
        copy_operators = not Operator.select().exists()
    note_ids = scope.note_ids(source) if scope.accounts else None
    report = {}
    for model in MODELS:
        if not scope.copies(model):
            continue
        copied = present = 0
        for rows in _pages(source, model, page, scope):
            read = len(rows)
            rows = [kept for kept in (scope.keep(model, row, note_ids) for row in rows) if kept is not None]
            if model is Operator and not copy_operators:
                present += len(rows)  # the team's roles are its own
            elif model is Meta:
                if copy_meta:
                    copied += _copy_meta(target, rows)
                else:
                    present += len(rows)
            elif rows:
                new = _insert_new(target, model, rows)
                copied += new
                present += len(rows) - new
            if advance:
                advance(read)
        report[model._meta.table_name] = {"copied": copied, "present": present}
    if scope.accounts:
        report[_account_models()._meta.table_name] = _copy_account_models(source, target, scope.accounts, advance)
    return report
