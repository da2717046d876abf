"""The activity log (issue 14, team mode): every status change (one and bulk), correction, claim, release,
reply fill and export is an event with who, when, the account and the comment; GET /api/audit pages them
newest first by key, filtered by operator, action and account; the change and its event are one
transaction (an event that cannot be written takes its change with it). Runs on SQLite and (scripts/test's
PostgreSQL pass) on PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
from helper_support import TEST_PORT, Extension, LoopbackClient, batch, comment

from helper import store
from helper.app import create_app
from helper.cli import main
from helper.store import AuditEvent, Comment


def _db(app):
    db = app.extensions["linktriage_db"]
    store.bind_models(db)
    return db


def events(app, **filters) -> list[dict]:
    """Every event but the operators' registrations (test_roles has those), newest first (through the
    model, not the API under test)."""
    with app.app_context(), _db(app):
        return [e for e in AuditEvent.page(limit=1000, **filters)["items"] if e["action"] != "role"]


@pytest.fixture
def stored(app, client):
    """Requests of two accounts (acct-a: n1, acct-b: n2) and a plain comment, stored through the app."""
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("c1", "求链接 这件大衣哪里买", "n1"), comment("c2", "怎么买", "n1"),
                                             comment("c4", "好看", "n1")], note_id="n1", author_id="acct-a")).status_code == 200
    assert ext.post("/api/comments", batch([comment("c3", "多少钱 求链接", "n2")], note_id="n2", author_id="acct-b")).status_code == 200
    return app


def _client(app):
    app.test_client_class = LoopbackClient
    return app.test_client()


# -- what is recorded ----------------------------------------------------------------------------------
def test_a_status_change_and_a_correction_are_recorded_with_who_and_the_comment(stored, client, dashboard_headers):
    assert events(stored) == []
    answer = client.patch("/api/comments/c1", json={"status": "replied", "correction": "missed"}, headers=dashboard_headers)
    assert answer.status_code == 200
    status, correction = sorted(events(stored), key=lambda e: e["action"], reverse=True)
    assert status["action"] == "status" and status["operator"] == "dashboard"  # a lone creator: the caller's kind
    assert status["detail"] == {"from": "new", "to": "replied"}
    assert (status["platform"], status["comment_id"], status["account"], status["note_id"]) == ("xhs", "c1", "acct-a", "n1")
    assert status["text"] == "求链接 这件大衣哪里买" and status["at"].endswith("Z")
    assert correction["action"] == "correction" and correction["detail"] == {"from": None, "to": "missed", "label": True}
    # The same status again is no change, and no event; taking the correction back is one.
    client.patch("/api/comments/c1", json={"status": "replied", "correction": None}, headers=dashboard_headers)
    newest = events(stored)[0]
    assert len(events(stored)) == 3 and newest["action"] == "correction" and newest["detail"] == {"from": "missed", "to": None}


def test_a_bulk_change_records_each_comment_it_changed_and_not_the_held_ones(stored, dashboard_headers, data_dir):
    stored.config["OPERATOR"] = "Ana"
    bo = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "OPERATOR": "Bo"})
    ana_client, bo_client = _client(stored), _client(bo)
    assert ana_client.post("/api/comments/c2/claim", json={}, headers=dashboard_headers).status_code == 200
    assert ana_client.patch("/api/comments/c3", json={"status": "ignored"}, headers=dashboard_headers).status_code == 200
    done = bo_client.post("/api/comments/bulk", json={"ids": ["c1", "c2", "c3", "nope"], "status": "ignored"},
                          headers=dashboard_headers).get_json()
    assert done == {"updated": 2, "held": ["c2"]}
    bulk = events(bo, operator="Bo", action="status")
    assert [e["comment_id"] for e in bulk] == ["c1"]  # c3 was ignored already, c2 is Ana's, nope does not exist
    assert bulk[0]["detail"] == {"from": "new", "to": "ignored", "bulk": True}


def test_claims_releases_and_fills_are_recorded(stored, dashboard_headers, data_dir):
    stored.config["OPERATOR"] = "Ana"
    ana = _client(stored)
    claimed = ana.post("/api/comments/c1/claim", json={}, headers=dashboard_headers)
    again = ana.post("/api/comments/c1/claim", json={}, headers=dashboard_headers)  # renewed: not a new claim
    assert claimed.status_code == again.status_code == 200
    assert [e["action"] for e in events(stored)] == ["claim"]
    assert events(stored)[0]["operator"] == "Ana" and events(stored)[0]["detail"]["until"].endswith("Z")
    assert ana.delete("/api/comments/c1/claim", json={}, headers=dashboard_headers).get_json() == {"released": 1}
    assert ana.delete("/api/comments/c1/claim", json={}, headers=dashboard_headers).get_json() == {"released": 0}
    assert [e["action"] for e in events(stored)] == ["release", "claim"]
    # A fill claims the request for her, answers as the claim does, and is recorded every time.
    filled = ana.post("/api/comments/c2/fill", json={"platform": "xhs"}, headers=dashboard_headers)
    assert filled.status_code == 200 and filled.get_json()["claimed_by"] == "Ana"
    assert ana.post("/api/comments/c2/fill", json={}, headers=dashboard_headers).status_code == 200
    fills = events(stored, action="reply_fill")
    assert len(fills) == 2 and fills[0]["detail"]["renewed"] is True and "renewed" not in fills[1]["detail"]
    assert fills[0]["comment_id"] == "c2" and fills[0]["account"] == "acct-a"


def test_a_fill_answers_exactly_as_a_claim_does(stored, dashboard_headers, data_dir):
    """The contract the extension is built on: 200 = the claim's comment JSON, 409 = the claim's body, 404."""
    stored.config["OPERATOR"] = "Ana"
    bo_app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "OPERATOR": "Bo"})
    ana, bo = _client(stored), _client(bo_app)
    fill = ana.post("/api/comments/c1/fill", json={"platform": "xhs"}, headers=dashboard_headers).get_json()
    claim = ana.post("/api/comments/c1/claim", json={}, headers=dashboard_headers).get_json()
    assert set(fill) == set(claim) and {k: v for k, v in fill.items() if k != "claimed_until"} == \
        {k: v for k, v in claim.items() if k != "claimed_until"}
    held_fill = bo.post("/api/comments/c1/fill", json={"platform": "xhs"}, headers=dashboard_headers)
    held_claim = bo.post("/api/comments/c1/claim", json={}, headers=dashboard_headers)
    assert held_fill.status_code == held_claim.status_code == 409
    assert held_fill.get_json() == held_claim.get_json()
    assert held_fill.get_json()["claimed_by"] == "Ana"
    assert bo.post("/api/comments/zz/fill", json={}, headers=dashboard_headers).status_code == 404
    # The extension's token may fill too (it is the extension that fills replies into the page).
    ext = Extension(ana).pair()
    assert ext.post("/api/comments/c2/fill", {"platform": "xhs"}).status_code == 200
    assert events(stored, action="reply_fill")[0]["comment_id"] == "c2"
    assert not any(e["operator"] == "Bo" for e in events(stored, action="reply_fill"))  # refused fills are not fills


def test_exports_are_recorded_with_their_filters_and_row_count(stored, client, dashboard_headers, data_dir, capsys):
    body = client.get("/api/export.csv?note_id=n1", headers=dashboard_headers).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    export = events(stored, action="export")[0]
    assert export["operator"] == "dashboard" and export["detail"]["what"] == "comments"
    assert export["detail"]["filters"] == {"note_id": "n1"} and export["detail"]["rows"] == len(rows) - 1 == 2
    client.get("/api/export.csv?all=1&account=acct-b", headers=dashboard_headers).get_data()
    assert events(stored, action="export", account="acct-b")[0]["detail"]["rows"] == 1
    insights = client.get("/api/insights.csv", headers=dashboard_headers)
    assert insights.status_code == 200
    newest = events(stored, action="export")[0]
    assert newest["detail"]["what"] == "insights" and newest["detail"]["rows"] == len(insights.get_data(as_text=True).strip().splitlines()) - 1
    # The command line's export, as the data dir's operator (else "cli").
    assert main(["export", "--all", "--out", "-", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    cli = events(stored, action="export")[0]
    assert cli["operator"] == "cli" and cli["detail"]["via"] == "cli" and cli["detail"]["rows"] == 4 and cli["detail"]["all"] is True


def test_a_change_whose_event_cannot_be_written_does_not_happen(stored, client, dashboard_headers):
    """One transaction: without its record the change is rolled back and the caller gets an error (never a
    silent, unrecorded change)."""
    with stored.app_context(), _db(stored) as db:
        db.execute_sql('ALTER TABLE "audit_event" RENAME TO "audit_event_away"')
    stored.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        assert client.patch("/api/comments/c1", json={"status": "replied"}, headers=dashboard_headers).status_code == 500
        assert client.post("/api/comments/bulk", json={"ids": ["c2"], "status": "ignored"}, headers=dashboard_headers).status_code == 500
        assert client.post("/api/comments/c3/claim", json={}, headers=dashboard_headers).status_code == 500
        assert client.get("/api/export.csv", headers=dashboard_headers).status_code == 500  # no file without a record
        with stored.app_context(), _db(stored):
            assert [(c.status, c.claimed_by) for c in Comment.select().where(Comment.comment_id.in_(["c1", "c2", "c3"]))
                    .order_by(Comment.comment_id)] == [("new", None)] * 3
    finally:
        with stored.app_context(), _db(stored) as db:
            db.execute_sql('ALTER TABLE "audit_event_away" RENAME TO "audit_event"')
    assert client.get("/api/export.csv", headers=dashboard_headers).status_code == 200  # the export slot was given back


# -- reading it: GET /api/audit --------------------------------------------------------------------------
def test_the_activity_view_pages_newest_first_by_key_and_filters(stored, dashboard_headers, data_dir):
    stored.config["OPERATOR"] = "Ana"
    bo_app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "OPERATOR": "Bo"})
    ana, bo = _client(stored), _client(bo_app)
    for cid, status in (("c1", "replied"), ("c2", "ignored"), ("c4", "replied")):
        assert ana.patch(f"/api/comments/{cid}", json={"status": status}, headers=dashboard_headers).status_code == 200
    assert bo.patch("/api/comments/c3", json={"status": "replied", "correction": "missed"}, headers=dashboard_headers).status_code == 200
    first = bo.get("/api/audit?limit=2", headers=dashboard_headers).get_json()
    assert [e["comment_id"] for e in first["items"]][0] == "c3" and first["next"] is not None
    assert first["operators"] == ["Ana", "Bo"] and "reply_fill" in first["actions"]
    seen, before = [], None
    while True:
        page = ana.get("/api/audit", query_string={"limit": 2, **({"before": before} if before else {})},
                       headers=dashboard_headers).get_json()
        assert ("operators" in page) == (before is None)  # the filters' lists come with the first page only
        seen += page["items"]
        before = page["next"]
        if before is None:
            break
    ids = [e["id"] for e in seen]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids) == len(events(stored)) + 2  # + Ana's and Bo's registration
    assert {e["comment_id"] for e in seen if e["action"] == "status"} == {"c1", "c2", "c3", "c4"}
    only_bo = ana.get("/api/audit?operator=Bo", headers=dashboard_headers).get_json()["items"]
    assert [e["action"] for e in only_bo] == ["correction", "status", "role"] and {e["operator"] for e in only_bo} == {"Bo"}
    corrections = ana.get("/api/audit?action=correction", headers=dashboard_headers).get_json()["items"]
    assert [e["comment_id"] for e in corrections] == ["c3"]
    acct_b = ana.get("/api/audit?account=acct-b", headers=dashboard_headers).get_json()["items"]
    assert {e["comment_id"] for e in acct_b} == {"c3"}
    assert ana.get("/api/audit?action=nope", headers=dashboard_headers).status_code == 400
    assert ana.get("/api/audit?before=x", headers=dashboard_headers).status_code == 400
    assert ana.get("/api/audit", headers={}).status_code == 401


def test_after_gives_only_the_events_since_the_newest_shown_newest_first(stored, dashboard_headers):
    # The dashboard's live Activity tab: it asks for what came after the newest event it shows (and, when
    # more came than a page holds, pages through them with before) instead of reading the first page again.
    ana = _client(stored)
    assert ana.patch("/api/comments/c1", json={"status": "replied"}, headers=dashboard_headers).status_code == 200
    newest = ana.get("/api/audit", headers=dashboard_headers).get_json()["items"][0]["id"]
    assert ana.get(f"/api/audit?after={newest}", headers=dashboard_headers).get_json()["items"] == []
    for cid in ("c2", "c3", "c4"):
        assert ana.patch(f"/api/comments/{cid}", json={"status": "ignored"}, headers=dashboard_headers).status_code == 200
    since = ana.get(f"/api/audit?after={newest}", headers=dashboard_headers).get_json()
    assert [e["comment_id"] for e in since["items"]] == ["c4", "c3", "c2"] and since["next"] is None
    assert all(e["id"] > newest for e in since["items"])
    first = ana.get(f"/api/audit?after={newest}&limit=2", headers=dashboard_headers).get_json()
    assert [e["comment_id"] for e in first["items"]] == ["c4", "c3"] and first["next"] is not None
    rest = ana.get(f"/api/audit?after={newest}&before={first['next']}&limit=2", headers=dashboard_headers).get_json()
    assert [e["comment_id"] for e in rest["items"]] == ["c2"] and rest["next"] is None
    only_b = ana.get(f"/api/audit?after={newest}&account=acct-b", headers=dashboard_headers).get_json()["items"]
    assert [e["comment_id"] for e in only_b] == ["c3"]
    assert ana.get("/api/audit?after=x", headers=dashboard_headers).status_code == 400


def test_the_snippet_is_cut_and_an_event_outlives_nothing_it_names(stored, client, dashboard_headers):
    ext = Extension(client).pair()
    long_text = "求链接" + "长" * 300
    assert ext.post("/api/comments", batch([comment("long", long_text)], note_id="n1")).status_code == 200
    assert client.patch("/api/comments/long", json={"status": "ignored"}, headers=dashboard_headers).status_code == 200
    event = client.get("/api/audit?action=status", headers=dashboard_headers).get_json()["items"][0]
    assert event["text"] == long_text[:120]
    with stored.app_context(), _db(stored):
        Comment.delete().where(Comment.comment_id == "long").execute()
    event = client.get("/api/audit?action=status", headers=dashboard_headers).get_json()["items"][0]
    assert event["comment_id"] == "long" and event["text"] is None


# -- the schema -------------------------------------------------------------------------------------------
def test_schema_9_adds_the_tables_to_an_older_database(tmp_path):
    target = store.store_target(tmp_path)
    db = store.init_db(target)
    with db:
        db.execute_sql('DROP TABLE "audit_event"')
        db.execute_sql('DROP TABLE "operator"')
        store.Meta.set_value("schema_version", "8")
    db = store.init_db(target)
    with db:
        assert {"audit_event", "operator"} <= set(db.get_tables())
        assert store.schema_version(db) == store.SCHEMA_VERSION >= 9
        # The activity view's filters page by (filter, id); an event is copied once by its uid.
        assert {i.name for i in db.get_indexes("audit_event")} - {"audit_event_pkey"} == {
            "audit_event_operator_id", "audit_event_action_id", "audit_event_account_id",
            "audit_event_platform_comment_id", "audit_event_uid"}
        assert {i.name for i in db.get_indexes("operator")} - {"operator_pkey"} == {"operator_name"}


def test_corrections_imported_on_the_command_line_are_recorded(stored, data_dir, tmp_path, capsys):
    from helper.config import resolve_operator

    resolve_operator(data_dir, "Ana")  # the data dir's remembered operator is who the CLI acts as
    lines = [{"platform": "xhs", "id": "c4", "note_id": "n1", "text": "好看", "correction": "missed"},
             {"platform": "xhs", "id": "c1", "note_id": "n1", "text": "求链接 这件大衣哪里买", "correction": "not_request"}]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(__import__("json").dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    assert main(["corrections", "import", str(path), "--data-dir", str(data_dir)]) == 0
    assert main(["corrections", "import", str(path), "--data-dir", str(data_dir)]) == 0  # again: nothing changes, nothing recorded
    capsys.readouterr()
    recorded = {e["comment_id"]: e for e in events(stored, action="correction")}
    assert set(recorded) == {"c1", "c4"}
    assert recorded["c4"]["operator"] == "Ana" and recorded["c4"]["detail"] == {"from": None, "to": "missed", "label": True, "via": "cli"}
    assert recorded["c1"]["detail"]["to"] == "not_request" and recorded["c1"]["detail"]["label"] is False
