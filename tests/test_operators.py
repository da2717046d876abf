"""Operators (issue 14, team mode): `serve --operator NAME` (remembered in the data dir) is recorded on
every status change and correction made through that helper; without one, the caller's kind is, as
before ("dashboard" / "extension")."""

from __future__ import annotations

import pytest
from helper_support import Extension, as_older_schema, batch, comment
from live_helper import LiveHelper

from helper import store
from helper.config import resolve_operator


def test_the_operator_is_remembered_in_the_data_dir(tmp_path):
    assert resolve_operator(tmp_path) is None
    assert resolve_operator(tmp_path, "  安娜 Ana ") == "安娜 Ana"
    assert resolve_operator(tmp_path) == "安娜 Ana"
    assert resolve_operator(tmp_path, "Bo") == "Bo" and resolve_operator(tmp_path) == "Bo"


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "tab\there", "thread", "Dashboard", "extension"])
def test_names_that_cannot_be_an_operator_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="--operator"):
        resolve_operator(tmp_path, name)
    assert resolve_operator(tmp_path) is None


@pytest.fixture
def ana_app(app):
    app.config["OPERATOR"] = "Ana"
    return app


def _stored(app, comment_id):
    with app.app_context():
        db = app.extensions["linktriage_db"]
        store.bind_models(db)
        with db:
            return store.Comment.by_key("xhs", comment_id)


def test_status_and_corrections_record_the_operator(ana_app, client, dashboard_headers):
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("o1", "求链接"), comment("o2", "好看"), comment("o3", "lj")])).status_code == 200
    one = client.patch("/api/comments/o1", json={"status": "replied", "correction": "missed"}, headers=dashboard_headers).get_json()
    assert one["status_by"] == "Ana" and one["correction_by"] == "Ana" and one["correction_at"].endswith("Z")
    assert ext.patch("/api/comments/o2", {"correction": "not_request"}).get_json()["correction_by"] == "Ana"
    assert client.post("/api/comments/bulk", json={"ids": ["o3"], "status": "ignored"}, headers=dashboard_headers).status_code == 200
    stored = _stored(ana_app, "o3")
    assert (stored.status, stored.status_by) == ("ignored", "Ana")


def test_without_an_operator_the_callers_kind_is_recorded(app, client, dashboard_headers):
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("p1", "求链接"), comment("p2", "好看")])).status_code == 200
    one = client.patch("/api/comments/p1", json={"status": "replied", "correction": "missed"}, headers=dashboard_headers).get_json()
    assert one["status_by"] == "dashboard" and one["correction_by"] == "dashboard"
    two = ext.patch("/api/comments/p2", {"status": "ignored", "correction": "not_request"}).get_json()
    assert two["status_by"] == "extension" and two["correction_by"] == "extension"
    assert one["correction_at"] and two["correction_at"]


def test_a_status_an_operator_set_is_hers_not_the_threads(ana_app, client, dashboard_headers):
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("q1", "求链接")])).status_code == 200
    # Ana keeps it open on purpose ("new", set by hand): the creator's reply in the thread afterwards
    # must not mark it replied.
    assert client.patch("/api/comments/q1", json={"status": "new"}, headers=dashboard_headers).status_code == 200
    reply = ext.post("/api/comments", batch([comment("q1-r", "链接在商品卡哦", reply_to_id="q1", parent_id="q1",
                                                     is_author=True, author_id="creator")], author_id="creator"))
    assert reply.status_code == 200 and reply.get_json()["thread_replied"] == []
    stored = _stored(ana_app, "q1")
    assert (stored.status, stored.status_by) == ("new", "Ana")


def test_the_correction_columns_are_added_to_an_older_database(tmp_path):
    target = store.store_target(tmp_path)
    db = store.init_db(target)
    with db:
        as_older_schema(db, 4, {"comment": ("correction_by", "correction_at")})
        assert "correction_by" not in {c.name for c in db.get_columns("comment")}
    db = store.init_db(target)
    with db:
        assert {"correction_by", "correction_at"} <= {c.name for c in db.get_columns("comment")}
        assert store.schema_version(db) == store.SCHEMA_VERSION


def test_two_operators_helpers_on_one_team_database(tmp_path, pg_database, monkeypatch):
    monkeypatch.setenv(store.DATABASE_ENV, pg_database)
    ana = LiveHelper(tmp_path / "ana", args=["--operator", "Ana"])
    bo = LiveHelper(tmp_path / "bo", args=["--operator", "Bo"])
    ana.ext_token = bo.ext_token  # one pairing in the shared database (see test_team_database)
    try:
        assert "acting as Ana" in ana.log_text()
        assert ana.post_comments([{"id": "t1", "note_id": "n1", "text": "好看"}, {"id": "t2", "note_id": "n1", "text": "好看"}]).status == 200
        assert ana.request("PATCH", "/api/comments/t1", {"status": "replied"}, ana.dashboard).json()["status_by"] == "Ana"
        assert bo.request("PATCH", "/api/comments/t2", {"correction": "missed"}, bo.dashboard).json()["correction_by"] == "Bo"
        seen = {c["id"]: c for c in bo.request("GET", "/api/comments", headers=bo.dashboard).json()["items"]}
        assert seen["t1"]["status_by"] == "Ana" and seen["t2"]["correction_by"] == "Bo"
        # Remembered: Ana's helper started again without --operator is still Ana.
        ana.stop()
        ana.args = []
        ana.start()
        assert ana.request("PATCH", "/api/comments/t2", {"status": "ignored"}, ana.dashboard).json()["status_by"] == "Ana"
    finally:
        ana.stop()
        bo.stop()
