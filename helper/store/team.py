"""Team mode's own tables (issue 14, schema 9): who may do what (Operator: owner / agent / viewer) and
what was done (AuditEvent: the activity log), with the query logic that belongs to each.

The store writes an event in the same transaction as the change it records (a status change, a
correction, a claim, a fill, a role change): if the event cannot be written, the change is rolled back
and the caller gets an error, so there is never a change without its record. A refused change is seen
and tried again; an unrecorded one is never found out, which for an audit trail is the worse of the
two. Exports write their event before the first row leaves (no file without a record) and fill in the
row count when the last row is out.

Imported at the end of helper.store.models (it builds on BaseModel there) and listed in MODELS.
"""

from __future__ import annotations

import secrets

import peewee as pw

from helper.store.models import BaseModel, CharField, Comment, JSONField, is_postgres, isoformat_utc, utcnow

ROLES = ("viewer", "agent", "owner")  # each may do everything the ones before it may
NEW_OPERATOR_ROLE = "agent"  # an operator joining a database that has an owner already
AUDIT_ACTIONS = ("status", "correction", "claim", "release", "reply_fill", "export", "role")
SNIPPET_CHARS = 120  # how much of a comment's text the activity view shows
MAX_AUDIT_PAGE = 200


def role_rank(role: str | None) -> int:
    return ROLES.index(role) if role in ROLES else -1


def cli_operator(data_dir) -> str:
    """Who the command line acts as in the activity log: the data dir's remembered operator (`serve
    --operator`), else "cli". The CLI is not held to a role: it has the database itself."""
    from helper.config import resolve_operator

    return resolve_operator(data_dir) or "cli"


class LastOwner(ValueError):
    """The change would leave the database without an owner."""


def _exclusive(db: pw.Database, key: int) -> None:
    """Serialise the operator table's read-then-write between helpers: PostgreSQL's transaction-level
    advisory lock (SQLite's BEGIN IMMEDIATE already admits one writer at a time)."""
    if is_postgres(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))


OPERATORS_LOCK = 0x4C54_0009  # "LT" + schema 9: the advisory lock of role changes


class Operator(BaseModel):
    """An operator of a shared database and her role. A lone creator's helper (no --operator) is never
    in this table: it is the owner of its own data."""

    name = CharField(unique=True)
    role = CharField(default=NEW_OPERATOR_ROLE)
    created = pw.DateTimeField(default=utcnow)

    @classmethod
    def ensure(cls, name: str) -> "tuple[Operator, bool]":
        """The operator `name`, registered if she is new: as owner when the database has no owner yet
        (the first operator on a database), else as NEW_OPERATOR_ROLE. Returns (operator, created); a
        registration is an audit event ("role", from null)."""
        from helper.store.db import write_transaction

        found = cls.get_or_none(cls.name == name)
        if found is not None:
            return found, False
        db = cls._meta.database
        with write_transaction(db):
            _exclusive(db, OPERATORS_LOCK)
            found = cls.get_or_none(cls.name == name)
            if found is not None:
                return found, False
            role = NEW_OPERATOR_ROLE if cls.select().where(cls.role == "owner").exists() else "owner"
            operator = cls.create(name=name, role=role)
            AuditEvent.record("role", name, name=name, **{"from": None, "to": role})
            return operator, True

    @classmethod
    def role_of(cls, name: str | None) -> str:
        """The role the helper acting as `name` has: a lone creator (None) owns her data; an operator
        not registered yet is registered first (`ensure`)."""
        if not name:
            return "owner"
        row = cls.select(cls.role).where(cls.name == name).first()
        return row.role if row is not None else cls.ensure(name)[0].role

    @classmethod
    def set_role(cls, name: str, role: str, by: str, create: bool = False, via: str | None = None) -> "tuple[Operator, str | None]":
        """Give `name` the role `role` (recorded as done by `by`). Returns (operator, previous role).
        KeyError for an unknown operator unless `create` (the CLI may name one before her first start);
        LastOwner when it would demote the database's last owner."""
        from helper.store.db import write_transaction

        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        db = cls._meta.database
        with write_transaction(db):
            _exclusive(db, OPERATORS_LOCK)
            operator = cls.get_or_none(cls.name == name)
            if operator is None and not create:
                raise KeyError(name)
            previous = operator.role if operator is not None else None
            if previous == "owner" and role != "owner" and cls.select().where(cls.role == "owner").count() <= 1:
                raise LastOwner(f"{name} is the last owner; make another operator owner first")
            if operator is None:
                operator = cls.create(name=name, role=role)
            elif previous != role:
                operator.role = role
                operator.save(only=[cls.role])
            if previous != role:
                detail = {"name": name, "from": previous, "to": role}
                if via:
                    detail["via"] = via
                AuditEvent.record("role", by, **detail)
            return operator, previous

    @classmethod
    def listing(cls) -> list[dict]:
        return [o.to_dict() for o in cls.select().order_by(cls.created, cls.id)]

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "created": isoformat_utc(self.created)}


class AuditEvent(BaseModel):
    """One thing an operator did: when (UTC), who (the helper's operator, else the caller's kind as
    status_by records it, "cli" for the command line), which account and comment, and a small JSON
    detail (old -> new status, the corrected label, an export's filters and row count, ...).

    `uid` is the event's identity across databases (`linktriage db migrate-to` copies each event once);
    the activity view pages by `id` (newest first)."""

    uid = CharField(unique=True, default=lambda: secrets.token_hex(12))
    at = pw.DateTimeField(default=utcnow)
    operator = CharField()
    action = CharField()
    account = CharField(null=True)
    platform = CharField(null=True)
    comment_id = CharField(null=True)
    detail = JSONField(default=dict)

    class Meta:
        table_name = "audit_event"
        indexes = (
            (("operator", "id"), False),
            (("action", "id"), False),
            (("account", "id"), False),
            (("platform", "comment_id"), False),
        )

    # -- writing ---------------------------------------------------------------------------------
    @classmethod
    def record(cls, action: str, operator: str, comment: Comment | None = None, account: str | None = None,
               **detail) -> "AuditEvent":
        """Write one event now (in the caller's transaction, if any): about `comment` (its account), or
        about `account` (an export of one account's comments), or about no comment at all."""
        return cls.create(
            action=action,
            operator=operator or "unknown",
            account=comment.account if comment is not None else account,
            platform=comment.platform if comment is not None else None,
            comment_id=comment.comment_id if comment is not None else None,
            detail={k: v for k, v in detail.items() if v is not None or k in ("from", "to")},
        )

    @classmethod
    def set_status(cls, platform: str, comment_ids, status: str, by: str, **detail) -> int:
        """Comment.set_status and one "status" event per comment whose status it changed (from -> to),
        in one transaction. Returns how many comments were updated."""
        from helper.store.db import write_transaction

        ids = list(dict.fromkeys(comment_ids))
        db = cls._meta.database
        with write_transaction(db):
            before = {}
            for chunk in pw.chunked(ids, 500):
                query = Comment.select(Comment.comment_id, Comment.status, Comment.account).where(
                    (Comment.platform == platform) & Comment.comment_id.in_(chunk))
                if is_postgres(db):
                    query = query.for_update()  # the "from" is what this change replaced
                before.update({row.comment_id: row for row in query})
            updated = Comment.set_status(platform, ids, status, by=by)
            events = [
                {"action": "status", "operator": by or "unknown", "account": row.account, "platform": platform,
                 "comment_id": cid, "detail": {"from": row.status, "to": status, **detail}, "at": utcnow(),
                 "uid": secrets.token_hex(12)}
                for cid, row in before.items() if row.status != status
            ]
            for chunk in pw.chunked(events, 200):
                cls.insert_many(chunk).execute()
            return updated

    def finish_export(self, rows: int, complete: bool = True) -> None:
        """Fill in how many rows an export wrote (its event was written before the first row)."""
        detail = {**(self.detail or {}), "rows": rows}
        if not complete:
            detail["complete"] = False
        AuditEvent.update(detail=detail).where(AuditEvent.id == self.id).execute()

    # -- reading ---------------------------------------------------------------------------------
    @classmethod
    def page(cls, operator: str | None = None, action: str | None = None, account: str | None = None,
             before: int | None = None, limit: int = 50, after: int | None = None) -> dict:
        """Events newest first, filtered, one keyset page: {"items", "next"} where `next` is the
        `before` of the following page (None on the last). `after`: only events newer than that id (the
        newest one a dashboard shows: what came since; with `before` too, the rest of them when there were
        more than a page). Each event carries its comment's text,
        cut to SNIPPET_CHARS (None when the event names no comment or the comment is gone)."""
        query = cls.select(cls, Comment.text, Comment.note_id).join(
            Comment, pw.JOIN.LEFT_OUTER,
            on=(Comment.platform == cls.platform) & (Comment.comment_id == cls.comment_id), attr="comment_row")
        if operator:
            query = query.where(cls.operator == operator)
        if action:
            query = query.where(cls.action == action)
        if account:
            query = query.where(cls.account == account)
        if before:
            query = query.where(cls.id < before)
        if after:
            query = query.where(cls.id > after)
        rows = list(query.order_by(cls.id.desc()).limit(limit + 1))
        more = len(rows) > limit
        rows = rows[:limit]
        return {"items": [row.to_dict() for row in rows], "next": rows[-1].id if more and rows else None}

    @classmethod
    def operators_seen(cls) -> list[str]:
        """Everyone who has an event, by name (the activity view's operator filter)."""
        return [row.operator for row in cls.select(cls.operator).distinct().order_by(cls.operator)]

    def to_dict(self) -> dict:
        comment = getattr(self, "comment_row", None)
        text = getattr(comment, "text", None) if comment is not None else None
        return {
            "id": self.id,
            "at": isoformat_utc(self.at),
            "operator": self.operator,
            "action": self.action,
            "account": self.account,
            "platform": self.platform,
            "comment_id": self.comment_id,
            "note_id": getattr(comment, "note_id", None) if comment is not None else None,
            "text": text[:SNIPPET_CHARS] if text else None,
            "detail": self.detail or {},
        }
