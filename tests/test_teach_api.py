"""GET /api/teach/next and /api/model in the app: which comments the teach queue asks about, in what order."""

from __future__ import annotations

from helper import store
from helper_support import Extension, batch, comment


def _set_scores(app, scores: dict[str, float]) -> None:
    # The model's scores are what the queue orders by; set them exactly so the order is known.
    with app.app_context():
        db = app.extensions["linktriage_db"]
        store.bind_models(db)
        with db:
            for cid, score in scores.items():
                store.Comment.update(score=score, is_request=score >= 0.5).where(store.Comment.comment_id == cid).execute()


def test_queue_asks_nearest_the_line_first_spread_across_notes(app, client, dashboard_headers):
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment(f"a{i}", f"评论 a{i}", "na") for i in range(4)], "na", title="笔记A")).status_code == 200
    assert ext.post("/api/comments", batch([comment(f"b{i}", f"评论 b{i}", "nb") for i in range(2)], "nb", title="笔记B")).status_code == 200
    assert ext.post("/api/comments", batch([comment("own", "谢谢大家", "nb", author_id="me")], "nb", author_id="me")).status_code == 200
    _set_scores(app, {"a0": 0.50, "a1": 0.52, "a2": 0.45, "a3": 0.99, "b0": 0.30, "b1": 0.02, "own": 0.5})

    items = client.get("/api/teach/next?limit=10", headers=dashboard_headers).get_json()["items"]
    ids = [i["id"] for i in items]
    # Each note's nearest first (a0 0.00 from the line, b0 0.20), then each note's second (a1, b1), …;
    # the note author's own comment is never asked about.
    assert ids == ["a0", "b0", "a1", "b1", "a2", "a3"]
    assert items[0]["note_title"] == "笔记A" and items[0]["thread"] == {"parent": None, "replies": []}

    # Answered (corrected), handled (replied) and skipped (exclude) comments leave the queue.
    assert client.patch("/api/comments/a0", json={"correction": "missed"}, headers=dashboard_headers).status_code == 200
    assert client.patch("/api/comments/b0", json={"status": "replied"}, headers=dashboard_headers).status_code == 200
    answer = client.get("/api/teach/next?limit=3&exclude=a1", headers=dashboard_headers).get_json()
    assert [i["id"] for i in answer["items"]] == ["a2", "b1", "a3"]
    assert answer["answered"] == 1


def test_queue_shows_the_thread(app, client, dashboard_headers):
    ext = Extension(client).pair()
    comments = [comment("p", "这个锅真好看", "n1", author="小王"), comment("r1", "同问哪里买", "n1", parent_id="p", author="小李"),
                comment("r2", "我也想知道", "n1", parent_id="p")]
    assert ext.post("/api/comments", batch(comments, "n1", title="锅具测评")).status_code == 200
    items = {i["id"]: i for i in client.get("/api/teach/next", headers=dashboard_headers).get_json()["items"]}
    assert items["r1"]["thread"]["parent"] == {"id": "p", "author": "小王", "text": "这个锅真好看"}
    assert [r["id"] for r in items["p"]["thread"]["replies"]] == ["r1", "r2"]


def test_teach_and_model_need_a_token_and_rollback_needs_the_dashboard(client, dashboard_headers):
    ext = Extension(client).pair()
    assert client.get("/api/teach/next").status_code == 401
    assert client.get("/api/model").status_code == 401
    state = ext.get("/api/model").get_json()
    assert state["state"] == "idle" and state["auto"] is False and state["can_rollback"] is False
    assert ext.post("/api/model/rollback", {}).status_code == 403
    assert client.post("/api/model/rollback", json={}, headers=dashboard_headers).status_code == 404
    assert client.get("/api/teach/next?limit=0", headers=dashboard_headers).status_code == 400
