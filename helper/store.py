"""The SQLite store: peewee models, schema migrations, and the queries the API and CLI share.

One database file per data dir (`db_path`). `init_db` creates or migrates it and binds the models;
the Flask app takes a pooled connection per request (see `helper.app`), the CLI uses `with db:`.
Query logic lives on the models (Comment.requests, Note.with_counts, ...), so the API stays thin.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from pathlib import Path

import peewee as pw

DB_FILENAME = "linktriage.sqlite3"
SCHEMA_VERSION = 4
STATUSES = ("new", "replied", "ignored")
CORRECTIONS = ("not_request", "missed")
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


def utcnow() -> datetime:
    """Naive UTC (what we store); `isoformat_utc` adds the Z back on the way out."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def isoformat_utc(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


class JSONField(pw.TextField):
    """A list/dict kept as JSON text; Chinese stays readable in the file (ensure_ascii=False)."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(pw.Model):
    class Meta:
        database = None  # bound by init_db / the app (`bind_models`)
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about this database: schema_version, dashboard_token, pairing_open_until."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField(null=True)

    @classmethod
    def get_value(cls, key: str, default: str | None = None) -> str | None:
        row = cls.get_or_none(cls.key == key)
        return row.value if row else default

    @classmethod
    def set_value(cls, key: str, value: str | None) -> None:
        cls.insert(key=key, value=value).on_conflict_replace().execute()


class Pairing(BaseModel):
    """An extension origin allowed to call the API; only the sha256 of its token is kept."""

    origin = pw.CharField()
    token_hash = pw.CharField()
    paired_at = pw.DateTimeField(default=utcnow)
    last_seen = pw.DateTimeField(null=True)
    revoked_at = pw.DateTimeField(null=True)

    @classmethod
    def active(cls) -> "Pairing | None":
        return cls.select().where(cls.revoked_at.is_null()).order_by(cls.id.desc()).first()

    @classmethod
    def revoke_all(cls) -> int:
        return cls.update(revoked_at=utcnow()).where(cls.revoked_at.is_null()).execute()

    def to_dict(self) -> dict:
        return {
            "origin": self.origin,
            "paired_at": isoformat_utc(self.paired_at),
            "last_seen": isoformat_utc(self.last_seen),
        }


NOTE_FACTS = ("title", "author_id", "author_name")  # what a batch may tell about its note


class Note(BaseModel):
    platform = pw.CharField(default="xhs")
    note_id = pw.CharField()
    title = pw.TextField(null=True)
    author_id = pw.CharField(null=True)
    author_name = pw.TextField(null=True)

    class Meta:
        indexes = ((("platform", "note_id"), True),)

    @classmethod
    def remember(cls, platform: str, note_id: str, **facts) -> None:
        """Insert the note, or fill in facts we did not know yet (a title seen later)."""
        facts = {k: v for k, v in facts.items() if v}
        cls.insert(platform=platform, note_id=note_id, **facts).on_conflict_ignore().execute()
        if facts:
            cls.update(**facts).where((cls.platform == platform) & (cls.note_id == note_id)).execute()

    @classmethod
    def stored_facts(cls, platform: str, note_ids) -> dict[str, dict]:
        """note_id -> {"title", "author_id", "author_name"} for the notes among `note_ids` already stored."""
        query = (
            cls.select(cls.note_id, *(getattr(cls, name) for name in NOTE_FACTS))
            .where((cls.platform == platform) & cls.note_id.in_(list(note_ids)))
            .tuples()
        )
        return {note_id: dict(zip(NOTE_FACTS, facts)) for note_id, *facts in query}

    @classmethod
    def with_counts(cls) -> list[dict]:
        """Every note with its comment, request and unanswered-request counts, busiest first."""
        is_req = Comment.effective_is_request()
        counts = (
            Comment.select(
                Comment.platform,
                Comment.note_id,
                pw.fn.COUNT(Comment.id).alias("comments"),
                pw.fn.SUM(pw.Case(None, [(is_req, 1)], 0)).alias("requests"),
                pw.fn.SUM(pw.Case(None, [(is_req & (Comment.status == "new"), 1)], 0)).alias("unanswered"),
                pw.fn.MAX(Comment.captured_at).alias("last_captured"),
            )
            .group_by(Comment.platform, Comment.note_id)
            .dicts()
        )
        notes = {(n.platform, n.note_id): n for n in cls.select()}
        items = []
        for row in counts:
            note = notes.get((row["platform"], row["note_id"]))
            items.append(
                {
                    "platform": row["platform"],
                    "note_id": row["note_id"],
                    "title": note.title if note else None,
                    "author_id": note.author_id if note else None,
                    "author_name": note.author_name if note else None,
                    "comments": row["comments"],
                    "requests": row["requests"] or 0,
                    "unanswered": row["unanswered"] or 0,
                    "last_captured": isoformat_utc(row["last_captured"]),
                }
            )
        items.sort(key=lambda n: (-n["unanswered"], -n["requests"], n["note_id"]))
        return items


class NoteCoverage(BaseModel):
    """What the extension last saw of a note (issue 16): a link that opens it (with its xsec_token), the
    note's own comment count, and how many threads had replies not loaded yet. Kept apart from Note:
    these change on every visit, and a note's title row should not be rewritten for them."""

    platform = pw.CharField(default="xhs")
    note_id = pw.CharField()
    url = pw.TextField(null=True)
    comment_count = pw.IntegerField(null=True)  # the note's own count ("共 N 条评论"), when the page said
    unexpanded_threads = pw.IntegerField(null=True)  # threads whose replies are not all loaded yet
    seen_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("platform", "note_id"), True),)


class Comment(BaseModel):
    platform = pw.CharField(default="xhs")
    comment_id = pw.CharField()
    note_id = pw.CharField(index=True)
    parent_id = pw.CharField(null=True)
    author = pw.TextField(null=True)
    author_id = pw.CharField(null=True)
    text = pw.TextField()
    created_at = pw.DateTimeField(null=True, index=True)
    like_count = pw.IntegerField(null=True)
    ip_location = pw.CharField(null=True)
    is_author = pw.BooleanField(default=False)
    captured_at = pw.DateTimeField(default=utcnow)
    # The model's verdict, as it was when the comment arrived.
    is_request = pw.BooleanField(default=False, index=True)
    score = pw.FloatField(default=0.0)
    products = JSONField(default=list)
    suggested_reply = pw.TextField(default="")
    compliance = JSONField(default=list)
    model_version = pw.CharField(null=True)
    # Triage by the creator.
    status = pw.CharField(default="new", index=True)
    status_by = pw.CharField(null=True)
    status_at = pw.DateTimeField(null=True)
    correction = pw.CharField(null=True)  # None | not_request | missed

    class Meta:
        indexes = ((("platform", "comment_id"), True),)

    # -- queries ---------------------------------------------------------------------------------
    @classmethod
    def effective_is_request(cls):
        """The verdict the creator sees: a correction overrides the model."""
        return pw.Case(
            None,
            [(cls.correction == "not_request", False), (cls.correction == "missed", True)],
            cls.is_request,
        )

    @classmethod
    def when(cls):
        return pw.fn.COALESCE(cls.created_at, cls.captured_at)

    @classmethod
    def filtered(cls, filters: dict | None = None, requests_only: bool = False):
        """Comments matching the API/CLI filters, newest first (no paging)."""
        f = filters or {}
        query = cls.select()
        if requests_only:
            query = query.where(cls.effective_is_request())
        if f.get("platform"):
            query = query.where(cls.platform == f["platform"])
        if f.get("note_id"):
            query = query.where(cls.note_id == f["note_id"])
        if f.get("status"):
            query = query.where(cls.status == f["status"])
        if f.get("product"):
            # products is a JSON list; match the quoted name exactly, not a substring of another name.
            quoted = json.dumps(f["product"], ensure_ascii=False)
            query = query.where(pw.fn.instr(cls.products, quoted) > 0)
        if f.get("since"):
            query = query.where(cls.when() >= f["since"])
        if f.get("until"):
            query = query.where(cls.when() < f["until"])
        if f.get("q"):
            query = query.where(pw.fn.instr(pw.fn.lower(cls.text), f["q"].lower()) > 0)
        return query.order_by(cls.when().desc(), cls.id.desc())

    @classmethod
    def in_pages(cls, filters: dict | None = None, requests_only: bool = False, size: int = 1000, columns=None):
        """`filtered(...)` in the same order, as lists of at most `size` comments, each its own query.

        Keyset paging on the (when, id) index: every page seeks to where the last one ended, so
        memory stays flat, no read transaction spans the whole run (the WAL can be checkpointed,
        writers are never held up) and a page costs the same at row 190,000 as at row 0.

        `columns` (field names): pages of plain tuples of those columns as stored (no model
        instances, no conversions; what a 200k-row export needs to be quick). Else Comment objects.
        """
        sort_when = cls.when().coerce(False)  # the stored text, compared as stored
        query = cls.filtered(filters, requests_only)
        if columns is None:
            query = query.select_extend(sort_when.alias("sort_when"))
            keys = lambda page: (page[-1].sort_when, page[-1].id)  # noqa: E731
        else:
            query = query.select(*(cls._meta.fields[name] for name in columns), sort_when, cls.id)
            keys = lambda page: page[-1][-2:]  # noqa: E731
        db = cls._meta.database
        last = None
        while True:
            page_query = query
            if last is not None:
                when, last_id = last
                if when is None:  # cannot happen (captured_at has a default), but never loop forever
                    return
                page_query = query.where((sort_when <= when) & ((sort_when < when) | (cls.id < last_id)))
            page_query = page_query.limit(size)
            if columns is None:
                page = list(page_query)
            else:
                sql, params = page_query.sql()
                page = db.execute_sql(sql, params).fetchall()
            if not page:
                return
            yield page
            if len(page) < size:
                return
            last = keys(page)

    @classmethod
    def page(cls, filters: dict, requests_only: bool, limit: int, offset: int) -> tuple[list, int]:
        query = cls.filtered(filters, requests_only)
        return list(query.limit(limit).offset(offset)), query.count()

    # -- keyset paging for the dashboard's triage lists (issue 15) ---------------------------------
    @classmethod
    def keyset_page(cls, filters: dict | None, requests_only: bool, limit: int, after: tuple | None = None,
                    oldest_first: bool = False, common_status: bool = False) -> list:
        """One page of `filtered(...)` that starts right after the row `after` = (sort_when, id).

        Offset paging skips rows when earlier rows leave the filter (a page marked "replied" while
        the list shows status=new): the next offset then points past rows that moved up. A key
        never moves, so paging from the last row seen skips nothing. Each row carries `sort_when`
        (the stored text of `when()`), which `cursor_of` turns into the next `after`.
        `common_status`: most rows have the filter's status (e.g. "new"), so walking the time index
        and skipping the others beats reading them all through the status index and sorting them.
        """
        sort_when = cls.when().coerce(False)  # the stored text, compared as stored (as in_pages)
        f = dict(filters or {})
        status = f.pop("status", None) if common_status else None
        query = cls.filtered(f, requests_only).select_extend(sort_when.alias("sort_when"))
        if status:
            query = query.where(cls.status.concat("") == status)  # an expression: no status index
        if oldest_first:
            query = query.order_by(sort_when.asc(), cls.id.asc())
        if after is not None:
            when, last_id = after
            if oldest_first:
                query = query.where((sort_when >= when) & ((sort_when > when) | (cls.id > last_id)))
            else:
                query = query.where((sort_when <= when) & ((sort_when < when) | (cls.id < last_id)))
        return list(query.limit(limit))

    @staticmethod
    def cursor_of(comment) -> str:
        """The opaque position of a row from `keyset_page`: "<stored when>|<row id>"."""
        return f"{comment.sort_when}|{comment.id}"

    @staticmethod
    def parse_cursor(text: str | None) -> tuple | None:
        """`cursor_of`'s text back to (when, id); None for no cursor. ValueError for a malformed one."""
        if not text:
            return None
        when, sep, row_id = text.rpartition("|")
        if not sep or not when or not row_id.isascii() or not row_id.isdigit() or len(when) > 40:
            raise ValueError("cursor must be a value from a previous page's next / items[].cursor")
        return when, int(row_id)

    @classmethod
    def status_counts(cls, filters: dict | None, requests_only: bool, waiting_before) -> dict:
        """How many rows the filters match per status (the status filter itself left out), and how
        many new ones are older than `waiting_before` (waiting for an answer too long). One scan."""
        f = {**(filters or {}), "status": None}
        is_new = cls.status == "new"
        old = cls.when() < waiting_before
        row = (
            cls.filtered(f, requests_only)
            .order_by()
            .select(
                pw.fn.COUNT(cls.id).alias("all"),
                pw.fn.SUM(pw.Case(None, [(is_new, 1)], 0)).alias("new"),
                pw.fn.SUM(pw.Case(None, [(cls.status == "replied", 1)], 0)).alias("replied"),
                pw.fn.SUM(pw.Case(None, [(cls.status == "ignored", 1)], 0)).alias("ignored"),
                pw.fn.SUM(pw.Case(None, [(is_new & old, 1)], 0)).alias("waiting"),
            )
            .dicts()
            .get()
        )
        return {key: int(row[key] or 0) for key in ("all", "new", "replied", "ignored", "waiting")}

    @classmethod
    def requests(cls, filters: dict | None = None):
        return cls.filtered(filters, requests_only=True)

    @classmethod
    def by_key(cls, platform: str, comment_id: str) -> "Comment | None":
        return cls.get_or_none((cls.platform == platform) & (cls.comment_id == comment_id))

    @classmethod
    def stored_verdicts(cls, platform: str, comment_ids) -> dict[str, dict]:
        """comment_id -> its stored verdict (as `verdict()`), for the ids already stored.

        Runs on every ingested batch, so it selects only the verdict's columns as tuples in plain
        SQL: peewee would build a model instance per row and a query node per id.
        """
        fields = [cls._meta.fields[name] for name in VERDICT_FIELDS]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        table = cls._meta.table_name
        converters = [f.python_value for f in fields]
        found = {}
        for chunk in pw.chunked(list(comment_ids), 500):
            sql = (
                f'SELECT {columns} FROM "{table}" WHERE "{cls.platform.column_name}" = ? '
                f'AND "{cls.comment_id.column_name}" IN ({", ".join("?" * len(chunk))})'
            )
            for raw in cls._meta.database.execute_sql(sql, [platform, *chunk]):
                values = dict(zip(VERDICT_FIELDS, (convert(v) for convert, v in zip(converters, raw))))
                found[values["comment_id"]] = verdict_of(values)
        return found

    @classmethod
    def new_verdict(cls, row: dict) -> dict:
        """The verdict of a row given to `insert_new`, as stored (fields it lacks take their defaults)."""
        values = {}
        for name in VERDICT_FIELDS:
            if name in row:
                values[name] = row[name]
            else:
                default = cls._meta.defaults.get(cls._meta.fields[name])
                values[name] = default() if callable(default) else default
        return verdict_of(values)

    @classmethod
    def insert_new(cls, rows: list[dict]) -> int:
        """Insert rows, ignoring any (platform, comment_id) already stored; returns how many were new.

        Rows share their keys (those of the first row); fields they leave out get the model's
        defaults, as peewee's insert would. One prepared INSERT OR IGNORE run with executemany:
        peewee's insert_many spends more time building the SQL than SQLite spends storing the rows.
        """
        if not rows:
            return 0
        keys = list(rows[0])
        given = [cls._meta.fields[key] for key in keys]
        defaulted = [f for f in cls._meta.sorted_fields if f.name not in keys and f in cls._meta.defaults]
        columns = ", ".join(f'"{f.column_name}"' for f in [*given, *defaulted])
        sql = (
            f'INSERT OR IGNORE INTO "{cls._meta.table_name}" ({columns}) '
            f'VALUES ({", ".join("?" * (len(given) + len(defaulted)))})'
        )
        converters = [f.db_value for f in given]

        def params(row: dict) -> tuple:
            defaults = []
            for f in defaulted:
                value = cls._meta.defaults[f]
                defaults.append(f.db_value(value() if callable(value) else value))
            return (*(convert(row[key]) for convert, key in zip(converters, keys)), *defaults)

        db = cls._meta.database
        with db.atomic():
            cursor = db.cursor()
            cursor.executemany(sql, [params(row) for row in rows])
            # sqlite3 sums the changes of every row; an ignored row changes nothing.
            return cursor.rowcount

    @classmethod
    def set_status(cls, platform: str, comment_ids, status: str, by: str) -> int:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        updated = 0
        with cls._meta.database.atomic():
            for chunk in pw.chunked(list(comment_ids), 500):
                updated += (
                    cls.update(status=status, status_by=by, status_at=utcnow())
                    .where((cls.platform == platform) & cls.comment_id.in_(chunk))
                    .execute()
                )
        return updated

    @classmethod
    def corrections(cls):
        """(text, label) pairs the creator corrected, for `linktriage train`; label is the truth."""
        query = cls.select(cls.text, cls.correction).where(cls.correction.is_null(False)).order_by(cls.id)
        for row in query:
            yield row.text, row.correction == "missed"

    # -- views -----------------------------------------------------------------------------------
    @property
    def shown_is_request(self) -> bool:
        return shown_is_request(self.is_request, self.correction)

    def verdict(self) -> dict:
        return verdict_of({name: getattr(self, name) for name in VERDICT_FIELDS})

    def to_dict(self, note_title: str | None = None) -> dict:
        return {
            "platform": self.platform,
            "id": self.comment_id,
            "note_id": self.note_id,
            "note_title": note_title,
            "parent_id": self.parent_id,
            "author": self.author,
            "author_id": self.author_id,
            "text": self.text,
            "created_at": isoformat_utc(self.created_at),
            "like_count": self.like_count,
            "ip_location": self.ip_location,
            "is_author": bool(self.is_author),
            "captured_at": isoformat_utc(self.captured_at),
            "is_request": self.shown_is_request,
            "model_is_request": bool(self.is_request),
            "score": self.score,
            "products": self.products or [],
            "suggested_reply": self.suggested_reply or "",
            "compliance": self.compliance or [],
            "model_version": self.model_version,
            "status": self.status,
            "status_by": self.status_by,
            "status_at": isoformat_utc(self.status_at),
            "correction": self.correction,
        }


# What `Comment.verdict()` reads: the fields a batch's answer is made of.
VERDICT_FIELDS = ("comment_id", "is_request", "score", "products", "suggested_reply", "compliance", "status", "correction")


def shown_is_request(is_request, correction: str | None) -> bool:
    """The verdict the creator sees: a correction overrides the model (as `effective_is_request`)."""
    if correction == "not_request":
        return False
    if correction == "missed":
        return True
    return bool(is_request)


def verdict_of(values: dict) -> dict:
    """The API's verdict for a comment, from its VERDICT_FIELDS values (a row or a new comment's dict)."""
    return {
        "id": values["comment_id"],
        "is_request": shown_is_request(values["is_request"], values.get("correction")),
        "score": values["score"],
        "products": values["products"] or [],
        "suggested_reply": values["suggested_reply"] or "",
        "compliance": values["compliance"] or [],
        "status": values["status"],
    }


def note_titles(comments) -> dict[tuple[str, str], str | None]:
    keys = {(c.platform, c.note_id) for c in comments}
    if not keys:
        return {}
    note_ids = {k[1] for k in keys}
    return {(n.platform, n.note_id): n.title for n in Note.select().where(Note.note_id.in_(list(note_ids)))}


def comments_with_titles(comments) -> list[dict]:
    comments = list(comments)
    titles = note_titles(comments)
    return [c.to_dict(titles.get((c.platform, c.note_id))) for c in comments]


class Product(BaseModel):
    name = pw.CharField(unique=True)
    link = pw.TextField(default="")
    aliases = JSONField(default=list)
    note_ids = JSONField(default=list)
    reply = pw.TextField(null=True)

    @classmethod
    def catalog(cls) -> list[dict]:
        """The whole catalog in the shape `helper.nlp` analyzers take."""
        return [p.for_analyzer() for p in cls.select().order_by(cls.name)]

    @classmethod
    def for_note(cls, note_id: str) -> list["Product"]:
        return [p for p in cls.select().order_by(cls.name) if note_id in (p.note_ids or [])]

    @classmethod
    def upsert(cls, fields: dict) -> tuple["Product", bool]:
        """Create the product, or update the one with the same name; returns (product, created)."""
        existing = cls.get_or_none(cls.name == fields["name"])
        if existing is None:
            return cls.create(**fields), True
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.save()
        return existing, False

    def for_analyzer(self) -> dict:
        return {
            "name": self.name,
            "aliases": self.aliases or [],
            "link": self.link or "",
            "note_ids": self.note_ids or [],
            "reply": self.reply or None,
        }

    def to_dict(self) -> dict:
        return {"id": self.id, **self.for_analyzer()}


MODELS = [Meta, Pairing, Note, Comment, Product, NoteCoverage]


# -- schema migrations ---------------------------------------------------------------------------
def _migrate_1(db: pw.Database) -> None:
    db.create_tables(MODELS, safe=True)
    Meta.set_value("dashboard_token", secrets.token_urlsafe(32))


def _migrate_2(db: pw.Database) -> None:
    # Listings and exports are "newest first" (Comment.filtered): an index in that order lets them
    # stream and page by key instead of sorting every comment in memory first.
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


# version -> step that brings the schema from version-1 to version. Append; never edit old steps.
MIGRATIONS = {1: _migrate_1, 2: _migrate_2, 3: _migrate_3, 4: _migrate_4}
assert max(MIGRATIONS) == SCHEMA_VERSION


class SchemaTooNew(Exception):
    """The database was written by a newer LinkTriage."""


def schema_version(db: pw.Database) -> int:
    if "meta" not in db.get_tables():
        return 0
    return int(Meta.get_value("schema_version", "0") or 0)


def migrate(db: pw.Database) -> int:
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database has schema version {current}; this LinkTriage knows up to {SCHEMA_VERSION}. "
            "Upgrade LinkTriage."
        )
    for version in sorted(v for v in MIGRATIONS if v > current):
        with db.atomic():
            MIGRATIONS[version](db)
            Meta.set_value("schema_version", str(version))
    return max(current, SCHEMA_VERSION)


# -- opening the database ------------------------------------------------------------------------
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
