"""Storage: round-trips, idempotent re-ingest, migrations, query methods."""

from __future__ import annotations

import sqlite3

import pytest

from helper import store
from helper.ingest import ingest
from helper.store import Comment, Meta, Note, Product, migrations
from helper.validation import parse_time


class CountingAnalyzer:
    """The real analyzer, counting which comments it was asked about."""

    def __init__(self):
        from helper.nlp import get_analyzer

        self.real = get_analyzer()
        self.calls = []

    @property
    def model_version(self):
        return self.real.model_version

    def analyze(self, comments, products, platform="xhs"):
        self.calls.append([c["id"] for c in comments])
        return self.real.analyze(comments, products, platform=platform)


@pytest.fixture
def db(tmp_path):
    # The SQLite file in tmp_path, or in the PostgreSQL pass the test's database (conftest.py).
    database = store.init_db(store.store_target(tmp_path))
    with database:
        yield database


@pytest.mark.sqlite_only
def test_init_db_creates_schema_wal_and_dashboard_token(tmp_path):
    path = store.db_path(tmp_path / "nested")
    db = store.init_db(path)
    assert path.exists()
    with db:
        assert store.schema_version(db) == store.SCHEMA_VERSION
        assert len(Meta.get_value("dashboard_token")) >= 32
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        token = Meta.get_value("dashboard_token")
    # Opening again migrates nothing and keeps the token.
    db = store.init_db(path)
    with db:
        assert Meta.get_value("dashboard_token") == token


def test_newer_schema_is_refused(tmp_path):
    path = store.store_target(tmp_path)
    db = store.init_db(path)
    with db:
        Meta.set_value("schema_version", str(store.SCHEMA_VERSION + 1))
    with pytest.raises(store.SchemaTooNew):
        store.init_db(path)


def test_migrations_run_in_order_from_an_older_version(tmp_path, monkeypatch):
    path = store.store_target(tmp_path)
    store.init_db(path)
    ran = []
    nxt = store.SCHEMA_VERSION + 1

    def step_next(db):
        db.execute_sql("CREATE TABLE extra (x INTEGER)")
        ran.append(nxt)

    monkeypatch.setattr(migrations, "MIGRATIONS", {**migrations.MIGRATIONS, nxt: step_next})
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", nxt)
    db = store.init_db(path)
    with db:
        assert ran == [nxt] and store.schema_version(db) == nxt
    db = store.init_db(path)
    assert ran == [nxt]  # not again
    with db:
        assert db.execute_sql("SELECT count(*) FROM extra").fetchone() == (0,)


def test_comment_round_trip_keeps_every_field_exactly(db):
    text = "求链接！！这件「羊毛大衣」哪里买？🔗\n第二行 繁體 lj <b>x</b>"
    result = ingest(
        [
            {
                "id": "c1",
                "note_id": "n1",
                "parent_id": "p0",
                "text": text,
                "author": "小红",
                "author_id": "u1",
                "created_at": "2026-11-20T10:00:00+08:00",
                "like_count": "12",
                "ip_location": "上海",
                "unknown_field": {"ignored": True},
            }
        ],
        note={"id": "n1", "title": "冬季穿搭", "author_id": "me", "author_name": "博主"},
        analyzer=CountingAnalyzer(),
    )
    assert result.stored == 1 and not result.skipped
    c = Comment.by_key("xhs", "c1")
    d = c.to_dict("冬季穿搭")
    assert d["text"] == text and d["author"] == "小红" and d["parent_id"] == "p0"
    assert d["created_at"] == "2026-11-20T02:00:00Z"
    assert d["like_count"] == 12 and d["ip_location"] == "上海"
    assert d["is_request"] is True and 0.5 <= d["score"] <= 1 and d["model_version"]
    note = Note.get(Note.note_id == "n1")
    assert (note.title, note.author_id, note.author_name) == ("冬季穿搭", "me", "博主")


def test_reingest_changes_nothing_and_skips_the_analyzer(db):
    analyzer = CountingAnalyzer()
    items = [{"id": f"c{i}", "note_id": "n1", "text": f"求链接 {i}"} for i in range(450)]
    first = ingest(items, analyzer=analyzer)
    assert (first.stored, first.duplicates) == (450, 0)
    Comment.set_status("xhs", ["c1"], "replied", by="dashboard")
    before = [c.to_dict() for c in Comment.select().order_by(Comment.id)]
    second = ingest(items, analyzer=analyzer)
    assert (second.stored, second.duplicates) == (0, 450)
    assert [c.to_dict() for c in Comment.select().order_by(Comment.id)] == before
    assert len(analyzer.calls) == 1  # duplicates are not re-analysed
    assert second.results[1]["status"] == "replied"  # stored verdicts come back


def test_duplicate_ids_within_one_batch_are_stored_once(db):
    result = ingest(
        [{"id": "x", "note_id": "n", "text": "a"}, {"id": "x", "note_id": "n", "text": "b"}],
        analyzer=CountingAnalyzer(),
    )
    assert (result.stored, result.duplicates) == (1, 1)
    assert Comment.select().count() == 1 and Comment.get().text == "a"


def test_same_id_on_another_platform_is_another_comment(db):
    ingest([{"id": "x", "note_id": "n", "text": "a"}], analyzer=CountingAnalyzer())
    ingest([{"id": "x", "note_id": "n", "text": "a", "platform": "douyin"}], analyzer=CountingAnalyzer())
    assert Comment.select().count() == 2


@pytest.mark.parametrize(
    "item, reason",
    [
        ({"note_id": "n", "text": "a"}, "id is missing"),
        ({"id": "1", "text": "a"}, "note_id is missing"),
        ({"id": "1", "note_id": "n"}, "text is missing"),
        ({"id": "1", "note_id": "n", "text": 5}, "text must be a string"),
        ({"id": "1", "note_id": "n", "text": "x" * 10_001}, "longer than 10000"),
        ({"id": "1", "note_id": "n", "text": "a", "created_at": "yesterday"}, "created_at"),
        ({"id": ["1"], "note_id": "n", "text": "a"}, "id must be a string"),
        ("just a string", "JSON object"),
    ],
)
def test_bad_items_are_skipped_with_a_reason(db, item, reason):
    result = ingest([item, {"id": "ok", "note_id": "n", "text": "fine"}], analyzer=CountingAnalyzer())
    assert result.stored == 1
    assert len(result.skipped) == 1 and reason in result.skipped[0]["reason"]
    assert result.skipped[0]["index"] == 0


def test_author_comments_are_never_requests(db):
    Note.remember("xhs", "n1", author_id="me")
    result = ingest(
        [
            {"id": "a", "note_id": "n1", "text": "链接在商品卡", "author_id": "me"},
            {"id": "b", "note_id": "n1", "text": "链接在这", "is_author": True},
            {"id": "c", "note_id": "n1", "text": "求链接", "author_id": "fan"},
        ],
        analyzer=CountingAnalyzer(),
    )
    assert [r["is_request"] for r in result.results] == [False, False, True]
    assert Comment.by_key("xhs", "a").is_author


def test_corrections_flip_the_shown_verdict_and_feed_training(db):
    ingest(
        [{"id": "a", "note_id": "n", "text": "求链接"}, {"id": "b", "note_id": "n", "text": "同问"}],
        analyzer=CountingAnalyzer(),
    )
    a, b = Comment.by_key("xhs", "a"), Comment.by_key("xhs", "b")
    a.correction, b.correction = "not_request", "missed"
    a.save(), b.save()
    assert [c.comment_id for c in Comment.requests()] == ["b"]
    assert Comment.by_key("xhs", "a").to_dict()["is_request"] is False
    assert Comment.by_key("xhs", "a").to_dict()["model_is_request"] is True
    assert list(Comment.corrections()) == [("求链接", False), ("同问", True)]


def test_filters_and_note_counts(db):
    Product.create(name="大衣", link="商品卡", aliases=["外套"])
    ingest(
        [
            {"id": "1", "note_id": "n1", "text": "大衣求链接", "created_at": "2026-11-01T00:00:00Z"},
            {"id": "2", "note_id": "n1", "text": "求链接", "created_at": "2026-11-10T00:00:00Z"},
            {"id": "3", "note_id": "n2", "text": "好看", "created_at": "2026-11-11T00:00:00Z"},
        ],
        analyzer=CountingAnalyzer(),
    )
    Comment.set_status("xhs", ["2"], "replied", by="extension")
    # The filter is what is tested here, not the attribution: fix the products.
    Comment.update(products=["大衣"]).where(Comment.comment_id == "1").execute()
    Comment.update(products=["大衣裙"]).where(Comment.comment_id == "2").execute()
    ids = lambda q: [c.comment_id for c in q]  # noqa: E731
    assert ids(Comment.requests()) == ["2", "1"]  # newest first
    assert ids(Comment.requests({"product": "大衣"})) == ["1"]
    assert ids(Comment.requests({"product": "大"})) == []  # exact product names only
    assert ids(Comment.requests({"status": "new"})) == ["1"]
    assert ids(Comment.filtered({"since": parse_time("2026-11-05")})) == ["3", "2"]
    assert ids(Comment.filtered({"until": parse_time("2026-11-05")})) == ["1"]
    assert ids(Comment.filtered({"q": "好看"})) == ["3"]
    counts = {n["note_id"]: (n["comments"], n["requests"], n["unanswered"]) for n in Note.with_counts()}
    assert counts == {"n1": (2, 2, 1), "n2": (1, 0, 0)}
    status = Comment.by_key("xhs", "2")
    assert status.status_by == "extension" and status.status_at is not None
    with pytest.raises(ValueError):
        Comment.set_status("xhs", ["1"], "done", by="x")


def test_products_upsert_by_name_and_the_catalog_the_analyzer_reads(db):
    p, created = Product.upsert({"name": "包", "link": "a", "note_ids": ["n1"]})
    assert created
    p2, created = Product.upsert({"name": "包", "link": "b", "note_ids": ["n2"]})
    assert not created and p2.id == p.id and Product.get_by_id(p.id).link == "b"
    # The note restriction is the catalog's (helper.nlp.products.Catalog.candidates reads note_ids).
    assert Product.catalog() == [{"name": "包", "aliases": [], "link": "b", "note_ids": ["n2"], "reply": None}]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-11-24T08:00:00+08:00", "2026-11-24T00:00:00"),
        ("2026-11-24T00:00:00Z", "2026-11-24T00:00:00"),
        ("2026-11-24", "2026-11-24T00:00:00"),
        (1764000000000, "2025-11-24T16:00:00"),
        ("1764000000000", "2025-11-24T16:00:00"),
        (None, None),
        ("", None),
    ],
)
def test_parse_time(value, expected):
    parsed = parse_time(value)
    assert (parsed.isoformat() if parsed else None) == expected


# -- the ingest path's fast SQL (prepared INSERT OR IGNORE, verdict tuples) -------------------------
def test_insert_new_fills_model_defaults_and_counts_only_new_rows(db):
    rows = [{"comment_id": "d1", "note_id": "n", "text": "a"}, {"comment_id": "d2", "note_id": "n", "text": "b"}]
    assert Comment.insert_new(rows) == 2
    assert Comment.insert_new([{"comment_id": "d2", "note_id": "n", "text": "other"}, {"comment_id": "d3", "note_id": "n", "text": "c"}]) == 1
    stored = Comment.by_key("xhs", "d1")
    assert (stored.platform, stored.status, stored.is_request, stored.score, stored.products, stored.compliance) == (
        "xhs", "new", False, 0.0, [], []
    )
    assert stored.captured_at is not None and stored.suggested_reply == ""
    assert Comment.by_key("xhs", "d2").text == "b"  # the stored row is left alone


def test_stored_verdicts_match_the_models_verdict(db):
    ingest([{"id": "a", "note_id": "n", "text": "求链接"}, {"id": "b", "note_id": "n", "text": "好看"}], analyzer=CountingAnalyzer())
    a = Comment.by_key("xhs", "a")
    a.correction = "not_request"
    a.save()
    verdicts = Comment.stored_verdicts("xhs", ["a", "b", "unknown"])
    assert set(verdicts) == {"a", "b"}
    assert verdicts["a"] == Comment.by_key("xhs", "a").verdict() and verdicts["a"]["is_request"] is False
    assert verdicts["b"] == Comment.by_key("xhs", "b").verdict()
    assert Comment.stored_verdicts("douyin", ["a"]) == {}


def test_new_comments_answer_with_the_verdict_they_are_stored_with(db):
    result = ingest(
        [{"id": f"v{i}", "note_id": "n", "text": t} for i, t in enumerate(["求链接", "好看", "lj", "where to buy"])],
        analyzer=CountingAnalyzer(),
    )
    assert result.results == [c.verdict() for c in Comment.select().order_by(Comment.id)]


@pytest.mark.sqlite_only
def test_a_comment_stored_by_another_writer_meanwhile_answers_with_its_stored_verdict(tmp_path):
    """Two batches race: the other one stores "r1" while ours is being analysed. Ours must not
    overwrite it, must not count it as stored, and must answer with what is stored."""

    class RacingAnalyzer(CountingAnalyzer):
        def analyze(self, comments, products, platform="xhs"):
            other = sqlite3.connect(store.db_path(tmp_path))
            other.execute(
                "INSERT INTO comment (platform, comment_id, note_id, text, is_author, captured_at, is_request,"
                " score, products, suggested_reply, compliance, status)"
                " VALUES ('xhs', 'r1', 'n', 'theirs', 0, '2026-11-24 00:00:00', 1, 0.5, '[]', 'their reply', '[]', 'replied')"
            )
            other.commit()
            other.close()
            return super().analyze(comments, products, platform)

    db = store.init_db(store.db_path(tmp_path))
    with db.connection_context():  # autocommit, as in a request: no transaction around the batch
        result = ingest(
            [{"id": "r1", "note_id": "n", "text": "ours"}, {"id": "r2", "note_id": "n", "text": "求链接"}],
            analyzer=RacingAnalyzer(),
        )
        assert Comment.by_key("xhs", "r1").text == "theirs"
        assert result.results[1] == Comment.by_key("xhs", "r2").verdict()
    assert result.stored == 1
    assert result.results[0] == {
        "id": "r1", "is_request": True, "score": 0.5, "products": [], "suggested_reply": "their reply",
        "compliance": [], "status": "replied",
    }


@pytest.mark.sqlite_only
def test_the_apps_connection_is_reused_across_requests(app):
    """The app pools its connection: closing one per request would checkpoint the WAL every time."""
    from helper.app import get_db

    seen = []
    for _ in range(2):
        with app.test_request_context("/"):
            seen.append(get_db().connection())
    assert seen[0] is seen[1]
    assert app.extensions["linktriage_db"].is_closed()  # closed for this thread between requests
    app.extensions["linktriage_db"].close_idle()
    with pytest.raises(sqlite3.ProgrammingError):
        seen[0].execute("SELECT 1")


@pytest.mark.sqlite_only  # counts SQLite's total_changes
def test_a_batch_writes_its_note_only_when_it_tells_something_new(db):
    items = [{"id": "n-a", "note_id": "n9", "text": "好看"}]
    ingest(items, note={"id": "n9", "title": "first"}, analyzer=CountingAnalyzer())
    changes = db.connection().total_changes
    again = ingest(items, note={"id": "n9", "title": "first"}, analyzer=CountingAnalyzer())
    assert again.duplicates == 1 and db.connection().total_changes == changes  # nothing new: no write
    ingest(items, note={"id": "n9", "title": "", "author_id": "me"}, analyzer=CountingAnalyzer())
    note = Note.get(Note.note_id == "n9")
    assert (note.title, note.author_id) == ("first", "me")  # an empty title keeps the stored one
    mine = ingest([{"id": "n-b", "note_id": "n9", "text": "求链接", "author_id": "me"}], analyzer=CountingAnalyzer())
    assert mine.results[0]["is_request"] is False  # the stored author is still recognised


@pytest.mark.sqlite_only
def test_the_thread_lookup_of_every_batch_reads_an_index_not_the_table(tmp_path):
    """thread_replies asks, per stored batch, which comments an earlier reply answers (parent_id IN the
    batch): schema 6's (platform, parent_id) index serves it, so it does not grow with the table."""
    db = store.init_db(store.db_path(tmp_path))
    ids = [f"c{i}" for i in range(200)]
    with db:
        mine = Comment.platform == "xhs"
        query = Comment.select(Comment.parent_id).where(
            mine & Comment.is_author & Comment.parent_id.in_(ids) & Comment.comment_id.not_in(ids))
        sql, params = query.sql()
        plan = " ".join(row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "USING INDEX comment_platform_parent" in plan, plan
