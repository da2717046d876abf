"""The creator's own reply in a request's thread makes it replied (status_by "thread"), and coverage per note
(issue 16, items 2 and 3), through POST /api/comments as the extension sends them."""

from helper_support import batch, comment

AUTHOR = "creator0001"


def status_of(ext, cid):
    items = ext.get("/api/comments?limit=1000").get_json()["items"]
    row = next(i for i in items if i["id"] == cid)
    return row["status"], row["status_by"]


def test_the_creators_reply_marks_the_comment_it_answers(paired_extension):
    ext = paired_extension
    ask = comment("c1", "风衣求链接", author_id="buyer1")
    echo = comment("c2", "同求链接", author_id="buyer2", parent_id="c1")
    answer = comment("c3", "商品卡里有哦", author_id=AUTHOR, parent_id="c1", reply_to_id="c2")
    body = ext.post("/api/comments", batch([ask, echo, answer], author_id=AUTHOR)).get_json()
    # reply_to_id wins over the thread: the reply answers c2, not the top comment.
    assert body["thread_replied"] == ["c2"]
    assert {r["id"]: r["status"] for r in body["results"]}["c2"] == "replied"
    assert status_of(ext, "c2") == ("replied", "thread")
    assert status_of(ext, "c1") == ("new", None)
    # Without reply_to_id (a note page's reply), the thread's top comment is the one answered.
    body = ext.post("/api/comments", batch([comment("c4", "谢谢关注", author_id=AUTHOR, parent_id="c1")], author_id=AUTHOR)).get_json()
    assert body["thread_replied"] == ["c1"]
    assert status_of(ext, "c1") == ("replied", "thread")


def test_a_request_arriving_after_the_reply_to_it_is_marked_on_arrival(paired_extension):
    ext = paired_extension
    ext.post("/api/comments", batch([comment("r1", "左下角商品卡就有～", author_id=AUTHOR, parent_id="q1")], author_id=AUTHOR))
    body = ext.post("/api/comments", batch([comment("q1", "风衣是什么牌子的呀", author_id="buyer9")], author_id=AUTHOR)).get_json()
    assert body["thread_replied"] == ["q1"]
    assert body["results"][0]["status"] == "replied"


def test_a_status_set_by_hand_is_never_overridden_and_others_replies_mark_nothing(paired_extension):
    ext = paired_extension
    ext.post("/api/comments", batch([comment("h1", "求链接", author_id="buyer1")], author_id=AUTHOR))
    # The creator sets it back to new by hand: a later reply of hers does not change it.
    assert ext.patch("/api/comments/h1", {"status": "new"}).status_code == 200
    body = ext.post("/api/comments", batch([comment("h2", "在商品卡", author_id=AUTHOR, parent_id="h1")], author_id=AUTHOR)).get_json()
    assert body["thread_replied"] == []
    assert status_of(ext, "h1") == ("new", "extension")
    # A buyer's reply answers nothing.
    ext.post("/api/comments", batch([comment("o1", "求链接", author_id="buyer1")], author_id=AUTHOR))
    body = ext.post("/api/comments", batch([comment("o2", "我也想知道", author_id="buyer2", parent_id="o1")], author_id=AUTHOR)).get_json()
    assert body["thread_replied"] == []
    assert status_of(ext, "o1") == ("new", None)


def test_coverage_per_note(paired_extension):
    ext = paired_extension
    note = {"url": "https://www.xiaohongshu.com/explore/n1?xsec_token=T&xsec_source=pc_notice", "comment_count": 57, "unexpanded_threads": 3}
    ext.post("/api/comments", batch([comment(f"k{i}", f"好看{i}", note_id="n1") for i in range(42)], note_id="n1", title="风衣", **note))
    ext.post("/api/comments", batch([comment("m1", "好看", note_id="n2")], note_id="n2"))
    items = {r["note_id"]: r for r in ext.get("/api/coverage").get_json()["items"]}
    assert items["n1"] == {**items["n1"], "captured": 42, "comment_count": 57, "missing": 15, "unexpanded_threads": 3,
                           "url": note["url"], "title": "风衣"}
    assert items["n2"]["captured"] == 1 and items["n2"]["comment_count"] is None and items["n2"]["missing"] is None
    # A later visit updates what it tells; what it does not tell stays.
    ext.post("/api/comments", batch([comment("k99", "好看", note_id="n1")], note_id="n1", unexpanded_threads=0))
    one = ext.get("/api/coverage?note_id=n1").get_json()["items"]
    assert [(r["captured"], r["comment_count"], r["unexpanded_threads"], r["url"]) for r in one] == [(43, 57, 0, note["url"])]
    # Junk is ignored, not stored.
    ext.post("/api/comments", batch([comment("j1", "x", note_id="n3")], note_id="n3", url="javascript:alert(1)", comment_count=-4))
    assert ext.get("/api/coverage?note_id=n3").get_json()["items"][0]["url"] is None


def test_ids_are_read_as_validation_cleaned_them(paired_extension):
    ext = paired_extension
    # Ids with spaces round them are stored trimmed; the marking must find them as stored.
    ext.post("/api/comments", batch([comment("q7", "风衣求链接", author_id="buyer1"),
                                     comment("q8", "同求", author_id="buyer2", parent_id="q7")], author_id=AUTHOR))
    body = ext.post("/api/comments", batch([comment(" r7 ", "商品卡里有", author_id=AUTHOR, parent_id="q7", reply_to_id=" q8 ")],
                                           author_id=AUTHOR)).get_json()
    assert body["thread_replied"] == ["q8"]
    assert status_of(ext, "q8") == ("replied", "thread")
    # A reply_to_id validation refuses is only a missing hint: the reply still answers its thread.
    body = ext.post("/api/comments", batch([comment("r8", "已回复", author_id=AUTHOR, parent_id="q7", reply_to_id="x" * 5000)],
                                           author_id=AUTHOR)).get_json()
    assert body["thread_replied"] == ["q7"]
    # Coverage is kept under the note id its comments were stored with.
    ext.post("/api/comments", batch([comment("k1", "好看", note_id="n5")], note_id=" n5 ", comment_count=9))
    assert [(r["captured"], r["comment_count"]) for r in ext.get("/api/coverage?note_id=n5").get_json()["items"]] == [(1, 9)]


def test_marking_waits_for_another_writer_instead_of_failing(tmp_path):
    """The batch is stored; then, while marking, another writer (`linktriage ingest`, a triage) holds the
    write lock and commits. The marking must wait for it (as long as the helper's busy timeout allows),
    not fail with "database is locked" after the comments were stored."""
    import sqlite3
    import threading

    from helper import store
    from helper.ingest import ingest
    from helper.thread_replies import mark_answered

    db = store.init_db(store.db_path(tmp_path), pooled=True, busy_timeout_ms=store.HELPER_BUSY_TIMEOUT_MS)
    note = {"id": "note1", "author_id": AUTHOR}
    with db.connection_context():  # as a request runs: each statement its own transaction unless atomic()
        ingest([comment("w1", "求链接", author_id="buyer1")], note=note)
        stored = ingest([comment("w2", "商品卡里有", author_id=AUTHOR, parent_id="w1")], note=note)
        other = sqlite3.connect(store.db_path(tmp_path), isolation_level=None, check_same_thread=False)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE meta SET value = value")
            commit = threading.Timer(0.3, other.execute, ("COMMIT",))
            commit.start()
            assert mark_answered(stored.accepted, stored.reply_to) == ["w1"]
            commit.join()
        finally:
            other.close()
        assert store.Comment.by_key("xhs", "w1").status == "replied"
    db.close_all()
