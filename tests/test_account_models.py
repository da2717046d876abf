"""Per-account retraining (issue 14): the corrections of an account train that account's model, and in a
team (PostgreSQL) one helper at a time trains it (an advisory lock) and every helper serves the same
model. Real helpers (`linktriage serve`), real fine-tunes of the committed model kept short (as
tests/test_retraining.py does), a real PostgreSQL server."""

from __future__ import annotations

import time

import pytest
from live_helper import LiveHelper

from helper import store
from helper.account_models import account_key, pack, unpack

TEXTS = {
    "1": "这个杯子好可爱",
    "2": "这个杯子好可爱呀",
    "3": "封面那个杯子哪里买的",
    "4": "我也有一个一样的",
    "5": "好看",
    "6": "蹲一个",
    "7": "颜色好温柔",
    "8": "杯子多少钱呀",
}
ACCOUNTS = {"acctA": "Ana's shop", "acctB": "Bo's shop"}


def note(account: str) -> dict:
    return {"id": f"n-{account}", "title": "我的杯子合集 手作陶瓷杯", "author_id": account, "author_name": ACCOUNTS[account]}


def post_both(live) -> None:
    """The same comments under a note of each account: a{id} under acctA's, b{id} under acctB's."""
    for account, prefix in (("acctA", "a"), ("acctB", "b")):
        reply = live.post_comments([{"id": prefix + cid, "text": text} for cid, text in TEXTS.items()], note=note(account))
        assert reply.status == 200, reply


def model(live, account: str | None = None) -> dict:
    reply = live.request("GET", "/api/model" + (f"?account={account}" if account else ""), headers=live.dashboard)
    assert reply.status == 200, reply
    return reply.json()


def correct(live, cid: str, correction) -> None:
    reply = live.request("PATCH", f"/api/comments/{cid}", {"correction": correction}, live.dashboard)
    assert reply.status == 200, reply


def comments(live) -> dict:
    reply = live.request("GET", "/api/comments?limit=200", headers=live.dashboard)
    assert reply.status == 200, reply
    return {c["id"]: c for c in reply.json()["items"]}


def wait_for(condition, what: str, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def fast_retraining(monkeypatch, **knobs) -> None:
    settings = {"LINKTRIAGE_AUTO_RETRAIN": "1", "LINKTRIAGE_RETRAIN_AFTER": "3", "LINKTRIAGE_RETRAIN_IDLE": "2",
                "LINKTRIAGE_LEARN_STEPS": "30", "LINKTRIAGE_RETRAIN_CHECK": "1", **knobs}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    monkeypatch.delenv("LINKTRIAGE_BASE_MODEL_DIR", raising=False)


# -- the artefact a team shares ------------------------------------------------------------------------
def test_the_artefact_holds_what_the_scorer_loads_and_scores_the_same(tmp_path):
    from helper.config import DEFAULT_MODEL_DIR
    from helper.nlp.classifier import load_classifier

    artefact = pack(DEFAULT_MODEL_DIR)
    assert len(artefact) < 2_500_000  # the weights, the rules, config and meta: no spaCy textcat or vocab
    out = unpack(artefact, tmp_path / "pulled")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "bow_weights.npz", "config.cfg", "linktriage_ask_rules/rules.json", "meta.json"]
    texts = list(TEXTS.values()) + ["求链接", "链接呢", "好漂亮"]
    pulled, committed = load_classifier(out), load_classifier(DEFAULT_MODEL_DIR)
    assert not pulled.uses_spacy and pulled.model_version == committed.model_version
    assert pulled.scores(texts) == committed.scores(texts)


def test_account_folders_are_safe_names():
    assert account_key("5f1e9a3b000000000100a1b2") == "5f1e9a3b000000000100a1b2"
    for hostile in ("../../etc", "a/b", "", "x" * 100, "账号"):
        key = account_key(hostile)
        assert key.startswith("h-") and "/" not in key and ".." not in key


def test_the_account_model_table_is_there_on_both_backends(tmp_path, test_database):
    from helper.store.account_models import AccountModel

    db = store.init_db(store.store_target(tmp_path, test_database))
    with db:
        assert "account_model" in db.get_tables()
        assert store.schema_version(db) == store.SCHEMA_VERSION >= 11
        row = AccountModel.publish(db, "acctA", model_id="m1", artefact=b"x", corrections=1, corrections_digest="d")
        for n in range(2, 6):
            AccountModel.publish(db, "acctA", model_id=f"m{n}", artefact=None)
        assert row["model_id"] == "m1" and row["has_artefact"]
        assert [r["model_id"] for r in AccountModel.history(db, "acctA")] == ["m5", "m4", "m3"]  # pruned to KEEP
        assert AccountModel.newest(db)["acctA"]["model_id"] == "m5"


# -- one account's corrections change that account's verdicts only -------------------------------------
def test_a_correction_on_account_a_changes_as_verdicts_only(tmp_path, monkeypatch):
    fast_retraining(monkeypatch)
    live = LiveHelper(tmp_path / "data")
    try:
        post_both(live)
        before = comments(live)
        base_version = before["a2"]["model_version"]
        assert before["b2"]["model_version"] == base_version

        for cid, correction in (("a1", "missed"), ("a5", "missed"), ("a6", "not_request")):
            correct(live, cid, correction)
        learned = wait_for(lambda: (m := model(live, "acctA"))["model"]["kind"] == "learned" and m["state"] == "idle" and m,
                           "account A's model")
        assert learned["account"] == "acctA" and learned["model"]["corrections"] == 3 and learned["own_model"]
        version = learned["model"]["version"]
        assert version != base_version

        after = wait_for(lambda: (c := comments(live))["a2"]["model_version"] == version and c, "A's verdicts recomputed")
        # A's uncorrected comments are scored by A's model; its near-duplicate of a corrected one moved up.
        assert after["a3"]["model_version"] == version and after["a2"]["score"] > before["a2"]["score"]
        # B's comments -- the same texts -- keep the shared model's verdicts, to the digit.
        for cid in TEXTS:
            assert after["b" + cid]["model_version"] == base_version
            assert after["b" + cid]["score"] == before["b" + cid]["score"]
            assert after["b" + cid]["is_request"] == before["b" + cid]["is_request"]
        # The shared model learned nothing; B has no model of its own.
        overview = model(live)
        assert [a["account"] for a in overview["accounts"]] == ["acctA"]
        assert overview["account"] == "acctA" and overview["model"]["version"] == version
        shared = model(live, "acctB")
        assert shared["own_model"] is False and shared["model"]["version"] == base_version

        # New comments: A's with A's model, B's with the shared one.
        assert live.post_comments([{"id": "a9", "text": "这个杯子好可爱啊"}], note=note("acctA")).status == 200
        assert live.post_comments([{"id": "b9", "text": "这个杯子好可爱啊"}], note=note("acctB")).status == 200
        now = comments(live)
        assert now["a9"]["model_version"] == version and now["b9"]["model_version"] == base_version

        # Rollback is per account: A goes back to the shared model, B is untouched.
        reply = live.request("POST", "/api/model/rollback", {"account": "acctA"}, live.dashboard)
        assert reply.status == 200, reply
        assert reply.json()["model"]["version"] == base_version and reply.json()["held"] is True
        wait_for(lambda: comments(live)["a2"]["model_version"] == base_version, "A's verdicts of the shared model")
        assert comments(live)["b2"]["score"] == before["b2"]["score"]
        # A second rollback goes forward again.
        reply = live.request("POST", "/api/model/rollback", {"account": "acctA"}, live.dashboard)
        assert reply.status == 200 and reply.json()["model"]["version"] == version
    finally:
        live.stop()


# -- a team: two helpers, one database, one model per account ------------------------------------------
@pytest.fixture
def team_url(test_database, request):
    """The PostgreSQL pass's database, else a fresh one on the session's server."""
    return test_database or request.getfixturevalue("pg_database")


@pytest.fixture
def ana_and_bo(tmp_path, monkeypatch, team_url):
    # Each helper retrains an account 2 s after the last correction that reached it (no catch-up check in
    # the test's time); they look for published models every 5 s.
    fast_retraining(monkeypatch, LINKTRIAGE_RETRAIN_AFTER="100", LINKTRIAGE_RETRAIN_IDLE="2",
                    LINKTRIAGE_RETRAIN_CHECK="600")
    monkeypatch.setenv(store.DATABASE_ENV, team_url)
    ana = LiveHelper(tmp_path / "ana", args=["--operator", "Ana"])
    bo = LiveHelper(tmp_path / "bo", args=["--operator", "Bo"])
    ana.ext_token = bo.ext_token  # one pairing in the shared database (see test_team_database)
    try:
        yield ana, bo
    finally:
        ana.stop()
        bo.stop()


def published(url: str, account: str) -> list[tuple]:
    db = store.open_db(url)
    try:
        return db.execute_sql("SELECT model_id, trained_by, octet_length(artefact) FROM account_model "
                              "WHERE account = %s ORDER BY id", (account,)).fetchall()
    finally:
        db.close()


def test_two_helpers_retraining_one_account_at_once_train_it_once_and_serve_the_same_model(ana_and_bo, team_url):
    ana, bo = ana_and_bo
    post_both(ana)
    base_version = comments(bo)["a2"]["model_version"]
    # Corrections of account A from both operators, one after the other; 2 s after its last one each helper
    # starts retraining account A: the two start at the same moment.
    for helper, cid, correction in ((ana, "a1", "missed"), (bo, "a6", "not_request"), (ana, "a5", "missed"),
                                    (bo, "a7", "not_request")):
        correct(helper, cid, correction)

    def same_model():
        a, b = model(ana, "acctA"), model(bo, "acctA")
        ids = (a["model"] or {}).get("model_id"), (b["model"] or {}).get("model_id")
        return ids[0] and ids[0] == ids[1] and a["state"] == b["state"] == "idle" and (a, b)

    a, b = wait_for(same_model, "both helpers serving one model of account A")
    rows = published(team_url, "acctA")
    assert len(rows) == 1, rows  # exactly one helper trained and published it
    model_id, trained_by, size = rows[0]
    assert a["model"]["model_id"] == b["model"]["model_id"] == model_id
    assert a["model"]["corrections"] == b["model"]["corrections"] == 4
    assert {a["runs"], b["runs"]} == {0, 1}  # one trained, the other pulled
    trainer, other = (ana, bo) if a["runs"] else (bo, ana)
    assert trained_by == ("Ana" if trainer is ana else "Bo") == a["model"]["trained_by"] == b["model"]["trained_by"]
    assert 100_000 < size < 2_500_000
    assert "another helper is retraining account acctA" in other.log_text()
    # Both recompute A's verdicts with that model; B's stay the shared model's.
    version = a["model"]["version"]
    wait_for(lambda: comments(ana)["a2"]["model_version"] == version, "A's verdicts")
    assert comments(bo)["b2"]["model_version"] == base_version

    # A rollback in one helper is every helper's: Ana goes back (to the shared model), Bo follows.
    reply = ana.request("POST", "/api/model/rollback", {"account": "acctA"}, ana.dashboard)
    assert reply.status == 200, reply
    assert reply.json()["own_model"] is False and reply.json()["held"] is True
    assert reply.json()["model"]["version"] == base_version
    wait_for(lambda: (m := model(bo, "acctA"))["own_model"] is False and m["held"] and m, "Bo following the rollback")
    assert published(team_url, "acctA")[-1][0].startswith("shared@")
    wait_for(lambda: comments(bo)["a2"]["model_version"] == base_version, "A's verdicts of the shared model")
    # Forward again: the same model id as before, for both.
    reply = ana.request("POST", "/api/model/rollback", {"account": "acctA"}, ana.dashboard)
    assert reply.status == 200 and reply.json()["model"]["model_id"] == model_id
    wait_for(lambda: model(bo, "acctA")["model"]["model_id"] == model_id, "Bo following forward")


def test_the_advisory_lock_is_one_sessions_and_released_after(team_url):
    from helper.store.account_models import lock_key, retrain_lock

    assert lock_key("acctA") == lock_key("acctA") != lock_key("acctB")
    first, second = store.open_db(team_url), store.open_db(team_url)
    try:
        with first.connection_context(), second.connection_context():
            with retrain_lock(first, "acctA") as got:
                assert got is True
                with retrain_lock(second, "acctA") as other:
                    assert other is False  # another session holds it: skip
                with retrain_lock(second, "acctB") as other:
                    assert other is True  # another account is free
            with retrain_lock(second, "acctA") as again:
                assert again is True  # released at the end of the first
            with pytest.raises(RuntimeError):
                with retrain_lock(first, "acctA") as got:
                    assert got
                    raise RuntimeError("the retrain failed")
            with retrain_lock(second, "acctA") as after_failure:
                assert after_failure is True  # released on failure too
    finally:
        first.close()
        second.close()
