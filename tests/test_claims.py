"""Claims (issue 14, team mode): an operator who opens a request claims it, so two operators never answer
the same buyer. The store (Comment.claim / release / free_for), the API (POST/DELETE
/api/comments/<id>/claim, 409 with who holds it, claimed_by / claimed_until on comment objects, the inbox's
default view and the teach queue skipping others' claims), and two live helpers on one database racing
for the same requests. Runs on SQLite and (scripts/test's PostgreSQL pass) on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from helper_support import TEST_PORT, Extension, as_older_schema, batch, comment
from live_helper import LiveHelper

from helper import store
from helper.app import create_app
from helper.store import Comment, utcnow




def _db(app):
    db = app.extensions["linktriage_db"]
    store.bind_models(db)
    return db


@pytest.fixture
def stored(app, client):
    """Three requests and a plain comment, stored through the app."""
    ext = Extension(client).pair()
    rows = [comment("c1", "求链接"), comment("c2", "怎么买"), comment("c3", "多少钱"), comment("c4", "好看")]
    assert ext.post("/api/comments", batch(rows)).status_code == 200
    return app


# -- the store ---------------------------------------------------------------------------------------
def test_a_claim_is_one_operators_until_it_lapses(stored):
    with stored.app_context(), _db(stored):
        taken, row = Comment.claim("xhs", "c1", "Ana")
        assert taken and row.claimed_by == "Ana"
        assert timedelta(seconds=store.CLAIM_TTL_S - 5) < row.claimed_until - utcnow() <= timedelta(seconds=store.CLAIM_TTL_S)
        taken, row = Comment.claim("xhs", "c1", "Bo")
        assert not taken and row.held_by_other("Bo") == "Ana" and row.held_by_other("Ana") is None
        assert Comment.claim("xhs", "c1", "Ana")[0]  # hers again: renewed
        assert Comment.claim("xhs", "nope", "Ana") == (False, None)
        # It lapses: past claimed_until it is no one's, and Bo can take it.
        Comment.update(claimed_until=utcnow() - timedelta(seconds=1)).where(Comment.comment_id == "c1").execute()
        assert Comment.by_key("xhs", "c1").current_claim() == (None, None)
        assert Comment.claim("xhs", "c1", "Bo")[0]
        assert Comment.by_key("xhs", "c1").claimed_by == "Bo"


def test_a_status_change_or_her_release_ends_the_claim(stored):
    with stored.app_context(), _db(stored):
        assert Comment.claim("xhs", "c1", "Ana")[0] and Comment.claim("xhs", "c2", "Ana")[0]
        Comment.set_status("xhs", ["c1"], "replied", by="Ana")
        row = Comment.by_key("xhs", "c1")
        assert (row.claimed_by, row.claimed_until) == (None, None)
        assert Comment.release("xhs", "c2", "Bo") == 0  # not Bo's to release
        assert Comment.by_key("xhs", "c2").claimed_by == "Ana"
        assert Comment.release("xhs", "c2", "Ana") == 1
        assert Comment.claim("xhs", "c2", "Bo")[0]


def test_free_for_leaves_out_only_what_others_hold_now(stored):
    with stored.app_context(), _db(stored):
        Comment.claim("xhs", "c1", "Ana")
        Comment.claim("xhs", "c2", "Bo")
        Comment.claim("xhs", "c3", "Bo")
        Comment.update(claimed_until=utcnow() - timedelta(seconds=1)).where(Comment.comment_id == "c3").execute()
        free = {c.comment_id for c in Comment.select().where(Comment.free_for("Ana"))}
        assert free == {"c1", "c3", "c4"}


def test_the_claim_columns_are_added_to_an_older_database(tmp_path):
    target = store.store_target(tmp_path)
    db = store.init_db(target)
    with db:
        as_older_schema(db, 7, {"comment": ("claimed_by", "claimed_until")})
    db = store.init_db(target)
    with db:
        assert {"claimed_by", "claimed_until"} <= {c.name for c in db.get_columns("comment")}
        assert store.schema_version(db) == store.SCHEMA_VERSION >= 8


# -- the API: two operators' helpers (two apps) on one database ------------------------------------------
@pytest.fixture
def two_apps(stored, data_dir):
    """Ana's app (the `stored` one) and Bo's, a second app on the same database."""
    stored.config["OPERATOR"] = "Ana"
    bo = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "OPERATOR": "Bo"})
    return stored, bo


def _client(app):
    from helper_support import LoopbackClient  # not `conftest`: tests/browser has one of that name too

    app.test_client_class = LoopbackClient
    return app.test_client()


def test_claiming_what_another_holds_answers_409_with_who(two_apps, dashboard_headers):
    ana, bo = (_client(a) for a in two_apps)
    mine = ana.post("/api/comments/c1/claim?platform=xhs", json={}, headers=dashboard_headers)
    assert mine.status_code == 200
    assert mine.get_json()["claimed_by"] == "Ana" and mine.get_json()["claimed_until"].endswith("Z")
    theirs = bo.post("/api/comments/c1/claim", json={}, headers=dashboard_headers)
    assert theirs.status_code == 409
    assert theirs.get_json()["claimed_by"] == "Ana" and "Ana is on it" in theirs.get_json()["error"]
    # Everyone sees who holds it.
    listed = {c["id"]: c for c in bo.get("/api/comments", headers=dashboard_headers).get_json()["items"]}
    assert listed["c1"]["claimed_by"] == "Ana" and listed["c2"]["claimed_by"] is None
    assert bo.post("/api/comments/zz/claim", json={}, headers=dashboard_headers).status_code == 404


def test_another_operator_cannot_answer_what_ana_holds(two_apps, dashboard_headers):
    ana, bo = (_client(a) for a in two_apps)
    assert ana.post("/api/comments/c1/claim", json={}, headers=dashboard_headers).status_code == 200
    assert ana.post("/api/comments/c2/claim", json={}, headers=dashboard_headers).status_code == 200
    refused = bo.patch("/api/comments/c1", json={"status": "replied"}, headers=dashboard_headers)
    assert refused.status_code == 409 and refused.get_json()["claimed_by"] == "Ana"
    assert bo.patch("/api/comments/c1", json={"suggested_reply": "在商品卡"}, headers=dashboard_headers).status_code == 409
    assert bo.patch("/api/comments/c1", json={"correction": "missed"}, headers=dashboard_headers).status_code == 200  # teaching is fine
    bulk = bo.post("/api/comments/bulk", json={"ids": ["c1", "c2", "c3"], "status": "ignored"}, headers=dashboard_headers).get_json()
    assert bulk == {"updated": 1, "held": ["c1", "c2"]}
    # Her own status change goes through and ends her claim; then Bo can claim it.
    done = ana.patch("/api/comments/c1", json={"status": "replied"}, headers=dashboard_headers).get_json()
    assert done["status_by"] == "Ana" and done["claimed_by"] is None
    assert bo.post("/api/comments/c1/claim", json={}, headers=dashboard_headers).status_code == 200
    # Releasing: only her own claim.
    assert bo.delete("/api/comments/c2/claim", json={}, headers=dashboard_headers).get_json() == {"released": 0}
    assert ana.delete("/api/comments/c2/claim", json={}, headers=dashboard_headers).get_json() == {"released": 1}
    assert bo.post("/api/comments/c2/claim", json={}, headers=dashboard_headers).status_code == 200


def test_inbox_default_view_and_teach_queue_skip_what_others_hold(two_apps, dashboard_headers):
    ana, bo = (_client(a) for a in two_apps)
    assert ana.post("/api/comments/c1/claim", json={}, headers=dashboard_headers).status_code == 200
    theirs = {i["id"] for i in bo.get("/api/inbox", headers=dashboard_headers).get_json()["items"]}
    mine = {i["id"] for i in ana.get("/api/inbox", headers=dashboard_headers).get_json()["items"]}
    assert "c1" in mine and "c1" not in theirs and {"c2", "c3"} <= theirs
    asked = bo.get("/api/inbox?claimed=1", headers=dashboard_headers).get_json()
    assert asked["me"] == "Bo"
    shown = {i["id"]: i for i in asked["items"]}
    assert shown["c1"]["claimed_by"] == "Ana"  # asked for: shown, marked
    assert "c1" in {i["id"] for i in bo.get("/api/inbox?view=all", headers=dashboard_headers).get_json()["items"]}
    teach_bo = {i["id"] for i in bo.get("/api/teach/next?limit=50", headers=dashboard_headers).get_json()["items"]}
    teach_ana = {i["id"] for i in ana.get("/api/teach/next?limit=50", headers=dashboard_headers).get_json()["items"]}
    assert "c1" not in teach_bo and "c1" in teach_ana
    # A lapsed claim hides nothing.
    with two_apps[0].app_context(), _db(two_apps[0]):
        Comment.update(claimed_until=utcnow() - timedelta(seconds=1)).where(Comment.comment_id == "c1").execute()
    assert "c1" in {i["id"] for i in bo.get("/api/inbox", headers=dashboard_headers).get_json()["items"]}
    assert "c1" in {i["id"] for i in bo.get("/api/teach/next?limit=50", headers=dashboard_headers).get_json()["items"]}


# -- live: two helpers on one database racing for the same requests ----------------------------------------
@pytest.fixture
def ana_and_bo(tmp_path, monkeypatch, test_database):
    """Ana's and Bo's helpers (`linktriage serve --operator`) on two ports sharing one database: the
    PostgreSQL pass's database, else one SQLite file both are pointed at."""
    if test_database is None:
        monkeypatch.setenv(store.DATABASE_ENV, f"sqlite:///{tmp_path / 'team.sqlite3'}")
    ana = LiveHelper(tmp_path / "ana", args=["--operator", "Ana"])
    bo = LiveHelper(tmp_path / "bo", args=["--operator", "Bo"])
    ana.ext_token = bo.ext_token  # one pairing in the shared database (see test_team_database)
    try:
        yield ana, bo
    finally:
        ana.stop()
        bo.stop()


def test_concurrent_claims_from_two_helpers_never_double_assign(ana_and_bo):
    ana, bo = ana_and_bo
    ids = [f"r{i:02d}" for i in range(40)]
    rows = [{"id": cid, "note_id": "race", "text": f"求链接 {cid}"} for cid in ids]
    assert ana.post_comments(rows, note={"id": "race", "title": "抢单"}).status == 200
    won: list[tuple[str, str]] = []
    refused: list[tuple[str, str, str]] = []
    errors = []
    lock = threading.Lock()

    def grab(helper, name, order):
        for cid in order:
            reply = helper.request("POST", f"/api/comments/{cid}/claim", {}, helper.dashboard, timeout=60)
            with lock:
                if reply.status == 200:
                    won.append((cid, name))
                elif reply.status == 409:
                    refused.append((cid, name, reply.json()["claimed_by"]))
                else:
                    errors.append((cid, name, reply.status, reply.json()))

    # Three threads per helper, each going through every request (in different orders) at once.
    threads = [
        threading.Thread(target=grab, args=(helper, name, ids if k % 2 == 0 else ids[::-1]))
        for helper, name in ((ana, "Ana"), (bo, "Bo"))
        for k in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    owner: dict[str, str] = {}
    for cid, name in won:
        owner.setdefault(cid, name)
        assert owner[cid] == name, f"{cid} claimed by both {owner[cid]} and {name}"
    assert set(owner) == set(ids)  # every request went to someone
    for cid, name, holder in refused:
        assert holder == owner[cid] != name  # refused only in favour of the other operator, who holds it
    assert len(won) + len(refused) == 6 * len(ids)
    # What both helpers' APIs say agrees with who won.
    for helper in (ana, bo):
        listed = helper.request("GET", "/api/comments?limit=100", headers=helper.dashboard).json()["items"]
        assert {c["id"]: c["claimed_by"] for c in listed} == owner


def test_a_status_change_releases_and_the_other_helper_sees_it(ana_and_bo):
    ana, bo = ana_and_bo
    assert ana.post_comments([{"id": "s1", "note_id": "n1", "text": "求链接"}]).status == 200
    assert ana.request("POST", "/api/comments/s1/claim", {}, ana.dashboard).status == 200
    held = bo.request("POST", "/api/comments/s1/claim", {}, bo.dashboard)
    assert held.status == 409 and held.json()["claimed_by"] == "Ana"
    assert bo.request("PATCH", "/api/comments/s1", {"status": "ignored"}, bo.dashboard).status == 409
    assert ana.request("PATCH", "/api/comments/s1", {"status": "new"}, ana.dashboard).json()["claimed_by"] is None
    assert bo.request("POST", "/api/comments/s1/claim", {}, bo.dashboard).json()["claimed_by"] == "Bo"
