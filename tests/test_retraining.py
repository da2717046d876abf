"""Retraining by itself, over real HTTP: a real `linktriage serve`, real corrections through the API,
a real (short) fine-tune of the committed model, the swap, the recompute and the rollback."""

from __future__ import annotations

import time

import pytest

from live_helper import LiveHelper

NOTE = {"id": "n-cups", "title": "我的杯子合集 手作陶瓷杯"}
TEXTS = {
    "c1": "这个杯子好可爱",
    "c2": "这个杯子好可爱呀",
    "c3": "封面那个杯子哪里买的",
    "c4": "我也有一个一样的",
    "c5": "好看",
    "c6": "蹲一个",
    "c7": "颜色好温柔",
    "c8": "杯子多少钱呀",
    "c9": "早上好",
    "c10": "想要同款杯子",
}


@pytest.fixture
def helper(tmp_path, monkeypatch):
    # Small, fast settings for the test; the defaults are 10 corrections / 15 s idle / 120 steps.
    monkeypatch.setenv("LINKTRIAGE_AUTO_RETRAIN", "1")
    monkeypatch.setenv("LINKTRIAGE_RETRAIN_AFTER", "3")
    monkeypatch.setenv("LINKTRIAGE_RETRAIN_IDLE", "2")
    monkeypatch.setenv("LINKTRIAGE_LEARN_STEPS", "40")
    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    monkeypatch.delenv("LINKTRIAGE_BASE_MODEL_DIR", raising=False)
    live = LiveHelper(tmp_path / "data")
    try:
        reply = live.post_comments([{"id": cid, "text": text} for cid, text in TEXTS.items()], note=NOTE)
        assert reply.status == 200, reply
        yield live
    finally:
        live.stop()


def model(live) -> dict:
    reply = live.request("GET", "/api/model", headers=live.dashboard)
    assert reply.status == 200, reply
    return reply.json()


def correct(live, cid: str, correction, headers=None):
    reply = live.request("PATCH", f"/api/comments/{cid}", {"correction": correction}, headers or live.dashboard)
    assert reply.status == 200, reply
    return reply.json()


def comments(live) -> dict:
    reply = live.request("GET", "/api/comments?limit=100", headers=live.dashboard)
    return {c["id"]: c for c in reply.json()["items"]}


def wait_for(condition, what: str, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_corrections_retrain_by_themselves_and_rollback_goes_back(helper):
    base = model(helper)
    assert base["state"] == "idle" and base["model"]["kind"] == "base" and not base["can_rollback"]
    base_version = base["model"]["version"]
    base_score = comments(helper)["c2"]["score"]

    # A hand-set status is the creator's: it must survive every retrain and rollback.
    reply = helper.request("PATCH", "/api/comments/c5", {"status": "replied"}, helper.dashboard)
    assert reply.status == 200
    # Two corrections (below the trigger of 3), one from the extension's badge: waiting, not learning.
    correct(helper, "c1", "missed")
    correct(helper, "c6", "not_request", helper.extension)
    waiting = model(helper)
    assert waiting["pending"] == 2 and waiting["state"] in ("waiting", "learning")

    # The third one triggers the retrain; the new model comes into use without any CLI step.
    correct(helper, "c4", "not_request")
    learned = wait_for(lambda: (m := model(helper))["model"]["kind"] == "learned" and m["state"] == "idle" and m, "a learned model")
    assert learned["model"]["corrections"] == 3
    assert learned["model"]["base_version"] == base_version
    assert learned["pending"] == 0 and learned["runs"] == 1
    assert learned["last_run"]["corrections"] == 3
    assert learned["can_rollback"] and learned["previous"]["version"] == base_version
    new_version = learned["model"]["version"]
    assert new_version != base_version

    after = wait_for(lambda: (c := comments(helper))["c2"]["model_version"] == new_version and c, "recomputed verdicts")
    # Uncorrected comments were scored again by the new model…
    assert after["c3"]["model_version"] == new_version
    # …but what the creator set by hand stays: corrections, and the replied comment's verdict.
    assert after["c1"]["correction"] == "missed" and after["c1"]["is_request"] is True
    assert after["c6"]["correction"] == "not_request" and after["c6"]["is_request"] is False
    assert after["c5"]["status"] == "replied" and after["c5"]["model_version"] == base_version
    # The corrected text taught something: its near-duplicate (never corrected) moved up.
    assert after["c2"]["score"] > base_score

    # New comments are classified with the learned model.
    reply = helper.post_comments([{"id": "c11", "text": "这个杯子好可爱啊"}], note=NOTE)
    assert reply.status == 200
    assert comments(helper)["c11"]["model_version"] == new_version

    # Only the dashboard may roll back.
    assert helper.request("POST", "/api/model/rollback", {}, helper.extension).status == 403
    reply = helper.request("POST", "/api/model/rollback", {}, helper.dashboard)
    assert reply.status == 200, reply
    back = reply.json()
    assert back["model"]["version"] == base_version and back["held"] is True
    wait_for(lambda: comments(helper)["c2"]["model_version"] == base_version, "verdicts of the base model again")
    # Held: the worker's catch-up check does not undo the rollback.
    time.sleep(3)
    assert model(helper)["model"]["version"] == base_version
    # A second rollback goes forward again.
    forward = helper.request("POST", "/api/model/rollback", {}, helper.dashboard).json()
    assert forward["model"]["version"] == new_version
    after = comments(helper)
    assert after["c1"]["correction"] == "missed" and after["c5"]["status"] == "replied"


def test_debounce_batches_a_burst_and_idle_time_triggers_the_rest(helper):
    # A burst of 7 corrections with a trigger of 3: at most 3 retrains, never two at once, and the
    # last model knows all 7.
    for cid in ["c1", "c2", "c3", "c4", "c6", "c7", "c8"]:
        correct(helper, cid, "missed" if cid in ("c1", "c2", "c3", "c8") else "not_request")
    final = wait_for(lambda: (m := model(helper))["state"] == "idle" and m["model"]["corrections"] == 7 and m,
                     "a model of all 7 corrections")
    assert 1 <= final["runs"] <= 3
    runs = final["runs"]

    # One more correction (below the trigger): nothing happens at once, the idle time (2 s) starts it.
    correct(helper, "c9", "not_request")
    state = model(helper)
    assert state["pending"] == 1 and state["state"] == "waiting" and state["next_in_s"] is not None
    done = wait_for(lambda: (m := model(helper))["model"]["corrections"] == 8 and m["state"] == "idle" and m,
                    "the idle retrain", timeout=60)
    assert done["runs"] == runs + 1

    # Undoing a correction is a change too: the next model learns without it.
    correct(helper, "c9", None)
    wait_for(lambda: model(helper)["model"]["corrections"] == 7, "the retrain after an undo", timeout=60)


def test_an_upgraded_base_model_is_rebuilt_with_the_creators_corrections(tmp_path, monkeypatch):
    import json
    import shutil

    from helper.config import DEFAULT_MODEL_DIR

    base = tmp_path / "base"
    shutil.copytree(DEFAULT_MODEL_DIR, base)
    monkeypatch.setenv("LINKTRIAGE_BASE_MODEL_DIR", str(base))
    monkeypatch.setenv("LINKTRIAGE_AUTO_RETRAIN", "1")
    monkeypatch.setenv("LINKTRIAGE_RETRAIN_AFTER", "2")
    monkeypatch.setenv("LINKTRIAGE_RETRAIN_IDLE", "60")
    monkeypatch.setenv("LINKTRIAGE_LEARN_STEPS", "20")
    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    data_dir = tmp_path / "data"
    live = LiveHelper(data_dir)
    try:
        assert live.post_comments([{"id": cid, "text": text} for cid, text in TEXTS.items()], note=NOTE).status == 200
        correct(live, "c1", "missed")
        correct(live, "c6", "not_request")
        first = wait_for(lambda: (m := model(live))["model"]["corrections"] == 2 and m["state"] == "idle" and m, "the first model")
        old_base = first["model"]["base_version"]
    finally:
        live.stop()

    # An update of the checkout brings a new committed model (here: the same weights, a new version).
    meta_path = base / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["linktriage"]["model_version"] = "request-upgraded-0001"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")

    live = LiveHelper(data_dir)
    try:
        # On start the helper sees its model was built on another base and rebuilds it by itself,
        # with the creator's corrections: no correction needed, no CLI step.
        rebuilt = wait_for(lambda: (m := model(live))["model"]["base_version"] == "request-upgraded-0001" and m, "the rebuild")
        assert old_base != "request-upgraded-0001"
        assert rebuilt["model"]["corrections"] == 2 and rebuilt["model"]["kind"] == "learned"
        after = comments(live)
        assert after["c1"]["correction"] == "missed" and after["c6"]["correction"] == "not_request"
    finally:
        live.stop()
