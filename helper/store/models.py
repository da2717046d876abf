"""The peewee models of the store, and the query logic that belongs to each (Comment.requests,
Note.with_counts, Pairing.pair, ...), so the API and the CLI stay thin.

The models are bound to a database by `helper.store.db` (`bind_models`); nothing here opens one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta, timezone

import peewee as pw

from helper.store.queries import shown_is_request, verdict_of
from helper.vocab import STATUSES

CLAIM_TTL_S = 600  # a claim not renewed, released or ended by a status change lapses after 10 minutes


def is_postgres(db) -> bool:
    """Does `db` speak PostgreSQL's dialect (else SQLite's)? Where the two differ, the query asks."""
    return isinstance(db, pw.PostgresqlDatabase)


def contains(db, haystack, needle: str):
    """`needle` occurs in `haystack` (plain text, no LIKE wildcards): instr in SQLite, strpos in PostgreSQL."""
    if is_postgres(db):
        return pw.fn.strpos(haystack, needle) > 0
    return pw.fn.instr(haystack, needle) > 0


def utcnow() -> datetime:
    """Naive UTC (what we store); `isoformat_utc` adds the Z back on the way out."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def isoformat_utc(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def hash_token(token: str) -> str:
    """What is kept of a token: its sha256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CharField(pw.CharField):
    """VARCHAR(255) in SQLite, as always (SQLite keeps longer values all the same); TEXT in PostgreSQL,
    which would refuse a value SQLite keeps (a long product name, an origin) instead of storing it."""

    def ddl_datatype(self, ctx):
        if is_postgres(self.model._meta.database):
            return pw.SQL("TEXT")
        return super().ddl_datatype(ctx)


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

    key = CharField(primary_key=True)
    value = pw.TextField(null=True)

    @classmethod
    def get_value(cls, key: str, default: str | None = None) -> str | None:
        row = cls.get_or_none(cls.key == key)
        return row.value if row else default

    @classmethod
    def set_value(cls, key: str, value: str | None) -> None:
        # An upsert both SQLite (3.24+) and PostgreSQL speak: INSERT ... ON CONFLICT (key) DO UPDATE.
        cls.insert(key=key, value=value).on_conflict(conflict_target=[cls.key], update={cls.value: value}).execute()


class Pairing(BaseModel):
    """An extension origin allowed to call the API; only the sha256 of its token is kept.

    The pairing lifecycle: `pair` gives an origin a token while pairing is open (until the first
    extension pairs; later only for WINDOW after the dashboard opens it), `revoke` ends it, `active`
    is the one paired extension. The request policy that checks tokens is helper/security.py.
    """

    WINDOW = timedelta(minutes=5)  # how long pairing stays open after the dashboard opens it
    SEEN_EVERY = timedelta(minutes=1)  # last_seen is written at most this often

    origin = CharField()
    token_hash = CharField()
    paired_at = pw.DateTimeField(default=utcnow)
    last_seen = pw.DateTimeField(null=True)
    revoked_at = pw.DateTimeField(null=True)

    @classmethod
    def active(cls) -> "Pairing | None":
        return cls.select().where(cls.revoked_at.is_null()).order_by(cls.id.desc()).first()

    @classmethod
    def revoke_all(cls) -> int:
        return cls.update(revoked_at=utcnow()).where(cls.revoked_at.is_null()).execute()

    @classmethod
    def revoke(cls) -> int:
        """Revoke the paired extension. Pairing stays closed: a revoked extension must not pair straight
        back, only after the dashboard opens pairing again. Returns how many pairings were revoked."""
        revoked = cls.revoke_all()
        cls.close_window()
        return revoked

    @classmethod
    def open_until(cls) -> datetime | None:
        """When the window the dashboard opened closes (None: not opened, or closed by a pairing)."""
        value = Meta.get_value("pairing_open_until")
        return datetime.fromisoformat(value) if value else None

    @classmethod
    def is_open(cls) -> bool:
        """Open until the first extension pairs; later only for WINDOW after the dashboard opens it."""
        if not cls.select().exists():
            return True
        until = cls.open_until()
        return until is not None and utcnow() < until

    @classmethod
    def open_window(cls) -> datetime:
        until = utcnow() + cls.WINDOW
        Meta.set_value("pairing_open_until", until.isoformat())
        return until

    @classmethod
    def close_window(cls) -> None:
        Meta.set_value("pairing_open_until", None)

    @classmethod
    def pair(cls, origin: str) -> str | None:
        """Give `origin` a fresh token if it may pair now (or is already the paired one), else None."""
        active = cls.active()
        if active is not None and active.origin == origin:
            token = new_token()
            active.token_hash = hash_token(token)
            active.last_seen = utcnow()
            active.save()
            return token
        if not cls.is_open():
            return None
        token = new_token()
        cls.revoke_all()  # one paired extension at a time: a new pairing replaces the old one
        cls.create(origin=origin, token_hash=hash_token(token), last_seen=utcnow())
        cls.close_window()
        return token

    def accepts(self, token: str) -> bool:
        """Is `token` this pairing's? (Constant-time, on the hashes.)"""
        return hmac.compare_digest(hash_token(token), self.token_hash)

    def seen(self) -> None:
        """Note that the extension called now (written at most every SEEN_EVERY)."""
        if self.last_seen is None or utcnow() - self.last_seen > self.SEEN_EVERY:
            Pairing.update(last_seen=utcnow()).where(Pairing.id == self.id).execute()

    def to_dict(self) -> dict:
        return {
            "origin": self.origin,
            "paired_at": isoformat_utc(self.paired_at),
            "last_seen": isoformat_utc(self.last_seen),
        }


NOTE_FACTS = ("title", "author_id", "author_name")  # what a batch may tell about its note


class Note(BaseModel):
    platform = CharField(default="xhs")
    note_id = CharField()
    title = pw.TextField(null=True)
    author_id = CharField(null=True)
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
        if facts.get("author_id"):
            Comment.claim_for_account(platform, note_id, facts["author_id"])

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
    def titles(cls) -> dict[tuple[str, str], str | None]:
        """(platform, note_id) -> title of every stored note."""
        return {(n.platform, n.note_id): n.title for n in cls.select(cls.platform, cls.note_id, cls.title)}

    @classmethod
    def with_counts(cls, account: str | None = None) -> list[dict]:
        """Every note with its comment, request and unanswered-request counts, busiest first
        (`account`: only that account's comments)."""
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
        if account:
            counts = counts.where(Comment.account == account)
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

    platform = CharField(default="xhs")
    note_id = CharField()
    url = pw.TextField(null=True)
    comment_count = pw.BigIntegerField(null=True)  # the note's own count ("共 N 条评论"), when the page said
    unexpanded_threads = pw.BigIntegerField(null=True)  # threads whose replies are not all loaded yet
    seen_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("platform", "note_id"), True),)


class Comment(BaseModel):
    platform = CharField(default="xhs")
    comment_id = CharField()
    note_id = CharField(index=True)
    parent_id = CharField(null=True)
    author = pw.TextField(null=True)
    author_id = CharField(null=True)
    text = pw.TextField()
    created_at = pw.DateTimeField(null=True, index=True)
    like_count = pw.BigIntegerField(null=True)  # counts reach past 2**31; INTEGER in SQLite either way
    ip_location = CharField(null=True)
    is_author = pw.BooleanField(default=False)
    captured_at = pw.DateTimeField(default=utcnow)
    # The model's verdict, as it was when the comment arrived.
    is_request = pw.BooleanField(default=False, index=True)
    score = pw.DoubleField(default=0.0)  # DOUBLE PRECISION on PostgreSQL (its REAL is 4 bytes); REAL in SQLite
    products = JSONField(default=list)
    suggested_reply = pw.TextField(default="")
    compliance = JSONField(default=list)
    model_version = CharField(null=True)
    # Triage by the creator.
    status = CharField(default="new", index=True)
    status_by = CharField(null=True)
    status_at = pw.DateTimeField(null=True)
    correction = CharField(null=True)  # None | not_request | missed
    correction_by = CharField(null=True)  # who set the correction: the operator, else "dashboard"/"extension"
    correction_at = pw.DateTimeField(null=True)
    # The creator account the comment was captured for: its note's author id (Note.author_id); None
    # while that is not known (filled in by Note.remember when it becomes known). Schema 7.
    account = CharField(null=True)
    # Claims (team mode, schema 8): the operator answering this buyer now, until when. A claim past
    # claimed_until is no one's (nothing has to clear it); a status change clears it.
    claimed_by = CharField(null=True)
    claimed_until = pw.DateTimeField(null=True)

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
        if f.get("account"):
            query = query.where(cls.account == f["account"])
        if f.get("status"):
            query = query.where(cls.status == f["status"])
        if f.get("free_for"):
            query = query.where(cls.free_for(f["free_for"]))
        if f.get("product"):
            # products is a JSON list; match the quoted name exactly, not a substring of another name.
            quoted = json.dumps(f["product"], ensure_ascii=False)
            query = query.where(contains(cls._meta.database, cls.products, quoted))
        if f.get("since"):
            query = query.where(cls.when() >= f["since"])
        if f.get("until"):
            query = query.where(cls.when() < f["until"])
        if f.get("q"):
            query = query.where(contains(cls._meta.database, pw.fn.lower(cls.text), f["q"].lower()))
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
        try:  # a stored time (PostgreSQL compares it as a timestamp and would fail on anything else)
            datetime.fromisoformat(when)
        except ValueError:
            raise ValueError("cursor must be a value from a previous page's next / items[].cursor") from None
        return when, int(row_id)

    @classmethod
    def status_counts(cls, filters: dict | None, requests_only: bool, waiting_before) -> dict:
        """How many rows the filters match per status (the status filter itself left out), and how
        many new ones are older than `waiting_before` (waiting for an answer too long). One scan."""
        f = {**(filters or {}), "status": None, "free_for": None}
        is_new = cls.status == "new"
        old = cls.when() < waiting_before
        row = (
            cls.filtered(f, requests_only)
            .order_by()
            .select(
                pw.fn.COUNT(cls.id).alias("all"),
                *(pw.fn.SUM(pw.Case(None, [(cls.status == status, 1)], 0)).alias(status) for status in STATUSES),
                pw.fn.SUM(pw.Case(None, [(is_new & old, 1)], 0)).alias("waiting"),
            )
            .dicts()
            .get()
        )
        return {key: int(row[key] or 0) for key in ("all", *STATUSES, "waiting")}

    @classmethod
    def requests(cls, filters: dict | None = None):
        return cls.filtered(filters, requests_only=True)

    @classmethod
    def request_groups(cls, filters: dict | None, tz_offset: int) -> list[dict]:
        """Counts of effective requests grouped by local day, local hour, note, product set and
        status=new (`unanswered` 1/0): the demand insights' one query. `tz_offset`: minutes east of UTC."""
        when = cls.when()
        if is_postgres(cls._meta.database):
            local = when + pw.SQL(f"interval '{int(tz_offset):d} minutes'")
            day = pw.fn.to_char(local, "YYYY-MM-DD")
            hour = pw.fn.to_char(local, "HH24")
        else:
            shift = f"{int(tz_offset):+d} minutes"
            day = pw.fn.strftime("%Y-%m-%d", when, shift)
            hour = pw.fn.strftime("%H", when, shift)
        unanswered = pw.Case(None, [(cls.status == "new", 1)], 0)
        query = (
            cls.requests(filters)
            .order_by()
            .select(
                day.alias("day"),
                hour.alias("hour"),
                cls.platform,
                cls.note_id,
                cls.products,
                unanswered.alias("unanswered"),
                pw.fn.COUNT(cls.id).alias("n"),
            )
            .group_by(day, hour, cls.platform, cls.note_id, cls.products, unanswered)
        )
        return list(query.dicts())

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
        mark = cls._meta.database.param  # ? in SQLite, %s in PostgreSQL
        found = {}
        for chunk in pw.chunked(list(comment_ids), 500):
            sql = (
                f'SELECT {columns} FROM "{table}" WHERE "{cls.platform.column_name}" = {mark} '
                f'AND "{cls.comment_id.column_name}" IN ({", ".join([mark] * len(chunk))})'
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
        defaults, as peewee's insert would. SQLite: one prepared INSERT OR IGNORE run with executemany
        (peewee's insert_many spends more time building the SQL than SQLite spends storing the rows).
        PostgreSQL: multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING, so a comment another helper
        stores at the same moment is counted by exactly one of them; rows go in key order, so two
        helpers storing overlapping batches take their row locks in the same order (no deadlock).
        """
        if not rows:
            return 0
        keys = list(rows[0])
        given = [cls._meta.fields[key] for key in keys]
        defaulted = [f for f in cls._meta.sorted_fields if f.name not in keys and f in cls._meta.defaults]
        columns = ", ".join(f'"{f.column_name}"' for f in [*given, *defaulted])
        width = len(given) + len(defaulted)
        db = cls._meta.database
        if is_postgres(db):
            rows = sorted(rows, key=lambda row: (row.get("platform") or "", row.get("comment_id") or ""))
        else:
            sql = f'INSERT OR IGNORE INTO "{cls._meta.table_name}" ({columns}) VALUES ({", ".join("?" * width)})'
        converters = [f.db_value for f in given]

        def params(row: dict) -> tuple:
            defaults = []
            for f in defaulted:
                value = cls._meta.defaults[f]
                defaults.append(f.db_value(value() if callable(value) else value))
            return (*(convert(row[key]) for convert, key in zip(converters, keys)), *defaults)

        with db.atomic():
            cursor = db.cursor()
            if is_postgres(db):
                one = f'({", ".join(["%s"] * width)})'
                stored = 0
                for chunk in pw.chunked(rows, 200):
                    cursor.execute(
                        f'INSERT INTO "{cls._meta.table_name}" ({columns}) VALUES {", ".join([one] * len(chunk))} '
                        "ON CONFLICT DO NOTHING RETURNING 1",
                        [value for row in chunk for value in params(row)],
                    )
                    stored += len(cursor.fetchall())
                return stored
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
                    # A status change ends the claim: the buyer is answered (or set aside), or reopened.
                    cls.update(status=status, status_by=by, status_at=utcnow(), claimed_by=None, claimed_until=None)
                    .where((cls.platform == platform) & cls.comment_id.in_(chunk))
                    .execute()
                )
        return updated

    # -- claims (team mode) ------------------------------------------------------------------------
    @classmethod
    def free_for(cls, operator: str):
        """Comments no one else holds now: unclaimed, claimed by `operator`, or a claim that ran out."""
        return cls.claimed_by.is_null() | (cls.claimed_by == operator) | (cls.claimed_until <= utcnow())

    @classmethod
    def claim(cls, platform: str, comment_id: str, operator: str, ttl_s: int = CLAIM_TTL_S) -> "tuple[bool, Comment | None]":
        """Claim the comment for `operator` until now + ttl_s (again: the claim is renewed).

        (True, comment) when it is hers now; (False, comment) when another operator holds it (the row
        says who, until when); (False, None) when there is no such comment.

        On PostgreSQL the row is locked with `SELECT ... FOR UPDATE SKIP LOCKED`: a free row is taken at
        once. A row another helper is claiming this instant is skipped by that SELECT; then the UPDATE,
        which repeats the "free for her" condition, waits for that transaction (at most lock_timeout)
        and is re-checked against what it committed, so the loser learns who won. On SQLite the write
        transaction (BEGIN IMMEDIATE) admits one writer at a time. Either way one operator gets it.
        """
        from helper.store.db import is_postgres, write_transaction

        db = cls._meta.database
        key = (cls.platform == platform) & (cls.comment_id == comment_id)
        now = utcnow()
        with write_transaction(db):
            if is_postgres(db):
                cls.select(cls.id).where(key).for_update("FOR UPDATE SKIP LOCKED").execute()
            taken = (
                cls.update(claimed_by=operator, claimed_until=now + timedelta(seconds=ttl_s))
                .where(key & cls.free_for(operator))
                .execute()
            )
            return bool(taken), cls.by_key(platform, comment_id)

    @classmethod
    def release(cls, platform: str, comment_id: str, operator: str) -> int:
        """Give up `operator`'s claim on the comment (1), or nothing when she does not hold it (0)."""
        return (
            cls.update(claimed_by=None, claimed_until=None)
            .where((cls.platform == platform) & (cls.comment_id == comment_id) & (cls.claimed_by == operator))
            .execute()
        )

    def held_by_other(self, operator: str) -> str | None:
        """Who else holds this comment now (None: no one, or `operator` herself)."""
        holder = self.current_claim()[0]
        return holder if holder and holder != operator else None

    def current_claim(self) -> tuple[str | None, datetime | None]:
        """(claimed_by, claimed_until) while the claim lasts, else (None, None)."""
        if self.claimed_by and self.claimed_until and self.claimed_until > utcnow():
            return self.claimed_by, self.claimed_until
        return None, None

    @classmethod
    def claim_for_account(cls, platform: str, note_id: str, account: str) -> int:
        """The note's comments whose account was not known yet belong to `account` (the note's author)."""
        return (
            cls.update(account=account)
            .where((cls.platform == platform) & (cls.note_id == note_id) & cls.account.is_null())
            .execute()
        )

    @classmethod
    def accounts(cls) -> dict:
        """The creator accounts comments were captured for: {"items": [{id, name, notes, comments,
        requests, unanswered}], "unknown": comments whose account is not known yet}, busiest first.
        The name is the note author's name the extension sent (None when it never did)."""
        is_req = cls.effective_is_request()
        rows = (
            cls.select(
                cls.account,
                pw.fn.COUNT(pw.fn.DISTINCT(cls.note_id)).alias("notes"),
                pw.fn.COUNT(cls.id).alias("comments"),
                pw.fn.SUM(pw.Case(None, [(is_req, 1)], 0)).alias("requests"),
                pw.fn.SUM(pw.Case(None, [(is_req & (cls.status == "new"), 1)], 0)).alias("unanswered"),
            )
            .group_by(cls.account)
            .dicts()
        )
        names = {
            n.author_id: n.author_name
            for n in Note.select(Note.author_id, Note.author_name)
            .where(Note.author_id.is_null(False) & Note.author_name.is_null(False))
            .order_by(Note.id)
        }
        items, unknown = [], 0
        for row in rows:
            if row["account"] is None:
                unknown = int(row["comments"])
                continue
            items.append({
                "id": row["account"],
                "name": names.get(row["account"]),
                "notes": int(row["notes"]),
                "comments": int(row["comments"]),
                "requests": int(row["requests"] or 0),
                "unanswered": int(row["unanswered"] or 0),
            })
        items.sort(key=lambda a: (-a["unanswered"], -a["comments"], a["id"]))
        return {"items": items, "unknown": unknown}

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
            "correction_by": self.correction_by,
            "correction_at": isoformat_utc(self.correction_at),
            "account": self.account,
            "claimed_by": self.current_claim()[0],
            "claimed_until": isoformat_utc(self.current_claim()[1]),
        }


# What `Comment.verdict()` reads: the fields a batch's answer is made of.

# What `Comment.verdict()` reads: the fields a batch's answer is made of.
VERDICT_FIELDS = ("comment_id", "is_request", "score", "products", "suggested_reply", "compliance", "status", "correction")


class Product(BaseModel):
    name = CharField(unique=True)
    link = pw.TextField(default="")
    aliases = JSONField(default=list)
    note_ids = JSONField(default=list)
    reply = pw.TextField(null=True)
    # The creator account whose product this is; None = shared by every account (schema 7). Names stay
    # unique across the whole catalog.
    account = CharField(null=True)

    @classmethod
    def catalog(cls) -> list[dict]:
        """The whole catalog (every account's and the shared products) in the shape `helper.nlp` analyzers take."""
        return [p.for_analyzer() for p in cls.select().order_by(cls.name)]

    @classmethod
    def of_account(cls, account: str | None):
        """The products an account's comments are attributed with: its own plus the shared ones
        (`account` None: the shared ones only)."""
        mine = cls.account.is_null()
        if account:
            mine = mine | (cls.account == account)
        return cls.select().where(mine).order_by(cls.name)

    @classmethod
    def catalog_for(cls, account: str | None) -> list[dict]:
        """`of_account(account)` in the shape `helper.nlp` analyzers take."""
        return [p.for_analyzer() for p in cls.of_account(account)]

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
        return {"id": self.id, **self.for_analyzer(), "account": self.account}


# Team mode's operators and activity log (schema 9) build on the models above.
from helper.store.team import AuditEvent, Operator  # noqa: E402

MODELS = [Meta, Pairing, Note, Comment, Product, NoteCoverage, Operator, AuditEvent]
