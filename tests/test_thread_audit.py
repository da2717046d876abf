"""A request the creator's own reply marks replied (status_by "thread", helper/thread_replies.py) is in the
activity log too (issue 14): one "status" event per comment marked, operator "thread", written with the
change in one transaction and in batches (a page of notifications can mark hundreds at once). Runs on
SQLite and (scripts/test's PostgreSQL pass) on PostgreSQL."""

from __future__ import annotations

from helper_support import TEST_PORT, Extension, LoopbackClient, batch, comment

from helper import store
from helper.app import create_app
from helper.store import AuditEvent, Comment

AUTHOR = "creator0001"


def _db(app):
    db = app.extensions["linktriage_db"]
    store.bind_models(db)
    return db


def thread_events(app) -> list[dict]:
    """The activity log's status events by "thread", newest first (through the model, not the API)."""
    with app.app_context(), _db(app):
        return AuditEvent.page(limit=1000, operator="thread", action="status")["items"]


def status_of(app, cid):
    with app.app_context(), _db(app):
        row = Comment.get(Comment.comment_id == cid)
        return row.status, row.status_by


def test_each_comment_a_reply_marks_is_one_event_naming_the_reply(app, paired_extension, dashboard_headers, client):
    ext = paired_extension
    ask = comment("c1", "风衣求链接", author_id="buyer1")
    echo = comment("c2", "同求链接", author_id="buyer2", parent_id="c1")
    answer = comment("c3", "商品卡里有哦", author_id=AUTHOR, parent_id="c1", reply_to_id="c2")
    body = ext.post("/api/comments", batch([ask, echo, answer], author_id=AUTHOR)).get_json()
    assert body["thread_replied"] == ["c2"]
    [event] = thread_events(app)
    assert event["comment_id"] == "c2" and event["account"] == AUTHOR and event["platform"] == "xhs"
    # A lone creator's helper has no operator: nothing says who saw it.
    assert event["detail"] == {"from": "new", "to": "replied", "reply": "c3"}
    # The activity view shows it like any status change, with the comment's text.
    listed = client.get("/api/audit?action=status", headers=dashboard_headers).get_json()["items"]
    assert [(e["operator"], e["comment_id"], e["text"]) for e in listed] == [("thread", "c2", "同求链接")]

    # Sending the same page again marks nothing more, and records nothing more.
    assert ext.post("/api/comments", batch([ask, echo, answer], author_id=AUTHOR)).get_json()["thread_replied"] == []
    assert len(thread_events(app)) == 1


def test_a_request_arriving_after_its_reply_is_recorded_with_that_reply(app, paired_extension):
    ext = paired_extension
    ext.post("/api/comments", batch([comment("r1", "左下角商品卡就有～", author_id=AUTHOR, parent_id="q1")], author_id=AUTHOR))
    assert thread_events(app) == []  # nothing to mark yet
    assert ext.post("/api/comments", batch([comment("q1", "风衣是什么牌子的呀", author_id="buyer9")], author_id=AUTHOR)).get_json()["thread_replied"] == ["q1"]
    [event] = thread_events(app)
    assert event["comment_id"] == "q1" and event["detail"]["reply"] == "r1"


def test_a_status_set_by_hand_stays_and_is_not_recorded_again(app, paired_extension, dashboard_headers, client):
    ext = paired_extension
    ext.post("/api/comments", batch([comment("h1", "求链接", author_id="buyer1")], author_id=AUTHOR))
    assert client.patch("/api/comments/h1", json={"status": "new"}, headers=dashboard_headers).status_code == 200
    ext.post("/api/comments", batch([comment("h2", "在商品卡", author_id=AUTHOR, parent_id="h1")], author_id=AUTHOR))
    assert status_of(app, "h1") == ("new", "dashboard") and thread_events(app) == []


def test_a_page_marking_many_at_once_records_every_one_with_the_helpers_operator(data_dir, dashboard_headers):
    """More than one insert's chunk (200) of events from one batch, all in the log, all saying whose helper saw
    the replies (seen_by) while the operator column says no one changed them by hand."""
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "OPERATOR": "Ana"})
    app.test_client_class = LoopbackClient
    ext = Extension(app.test_client()).pair()
    n = 230
    asks = [comment(f"a{i}", f"求链接 {i}", author_id=f"buyer{i}") for i in range(n)]
    assert ext.post("/api/comments", batch(asks, author_id=AUTHOR)).status_code == 200
    replies = [comment(f"r{i}", "商品卡里有", author_id=AUTHOR, parent_id=f"a{i}") for i in range(n)]
    body = ext.post("/api/comments", batch(replies, author_id=AUTHOR)).get_json()
    assert sorted(body["thread_replied"]) == sorted(f"a{i}" for i in range(n))
    events = thread_events(app)
    assert sorted(e["comment_id"] for e in events) == sorted(f"a{i}" for i in range(n))
    assert {(e["detail"]["reply"], e["comment_id"]) for e in events} == {(f"r{i}", f"a{i}") for i in range(n)}
    assert {e["detail"]["seen_by"] for e in events} == {"Ana"} and {e["account"] for e in events} == {AUTHOR}
    assert len({e["id"] for e in events}) == n
    with app.app_context(), _db(app):
        assert AuditEvent.select().where(AuditEvent.operator == "Ana", AuditEvent.action == "status").count() == 0
        assert "thread" in AuditEvent.operators_seen()


def test_without_its_events_the_marking_does_not_happen(app, paired_extension):
    """One transaction: when the events cannot be written the comments stay new (the batch answers 500 and the
    extension sends it again, which marks them then)."""
    ext = paired_extension
    ext.post("/api/comments", batch([comment("t1", "求链接", author_id="buyer1")], author_id=AUTHOR))
    reply = batch([comment("t2", "商品卡里有", author_id=AUTHOR, parent_id="t1")], author_id=AUTHOR)
    with app.app_context(), _db(app) as db:
        db.execute_sql('ALTER TABLE "audit_event" RENAME TO "audit_event_away"')
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        assert ext.post("/api/comments", reply).status_code == 500
        assert status_of(app, "t1") == ("new", None)
    finally:
        with app.app_context(), _db(app) as db:
            db.execute_sql('ALTER TABLE "audit_event_away" RENAME TO "audit_event"')
    assert ext.post("/api/comments", reply).get_json()["thread_replied"] == ["t1"]
    assert status_of(app, "t1") == ("replied", "thread") and [e["comment_id"] for e in thread_events(app)] == ["t1"]
