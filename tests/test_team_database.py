"""Team mode on a real PostgreSQL server (issue 14): helpers and the CLI against one database, and what
happens when the server cannot be reached. Runs in every pass (it asks for the session's cluster)."""

from __future__ import annotations

import os
import threading
import time

import pytest
from live_helper import HelperProcess, LiveHelper, free_port

from helper import store
from helper.cli import main


def unreachable_url() -> str:
    return f"postgresql://postgres@127.0.0.1:{free_port()}/nothing_listens_here"


# -- the server cannot be reached ---------------------------------------------------------------------
def test_cli_says_so_in_one_line_and_exits_2(tmp_path, capsys):
    url = unreachable_url()
    assert main(["export", "--all", "--data-dir", str(tmp_path), "--database", url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("linktriage export: error: cannot reach the database postgresql://postgres@127.0.0.1:")


def test_cli_never_prints_the_password(tmp_path, capsys):
    url = unreachable_url().replace("postgres@", "postgres:hunter2@")
    assert main(["products", "list", "--data-dir", str(tmp_path), "--database", url]) == 2
    err = capsys.readouterr().err
    assert "hunter2" not in err and "postgres:***@" in err


def test_cli_refused_by_the_server_is_the_same_clear_error(tmp_path, capsys, pg_cluster):
    url = pg_cluster.url("no_such_database")
    assert main(["export", "--all", "--data-dir", str(tmp_path), "--database", url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot reach the database" in err[0] and "no_such_database" in err[0]


def test_helper_starts_reports_it_and_answers_503_until_the_database_is_there(tmp_path, pg_cluster):
    """A database that does not exist yet is refused by the server like one that is down; once it is
    created the helper works without a restart."""
    url = pg_cluster.url(f"late_{os.getpid()}_{free_port()}")
    env = {**os.environ, store.DATABASE_ENV: url}
    helper = HelperProcess(tmp_path / "data", env=env).start()
    try:
        health = helper.request("GET", "/api/health").json()
        assert health["database"]["backend"] == "postgresql" and health["database"]["ok"] is False
        assert "cannot reach the database" in health["database"]["error"] and health["paired"] is None
        reply = helper.request("POST", "/api/comments", {"platform": "xhs", "comments": []},
                               {"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                                "Authorization": "Bearer whatever"})
        assert reply.status == 503 and reply.headers.get("Retry-After") == "5"
        assert "unavailable" in reply.json()["error"]
        assert helper.request("GET", "/api/pairing").status == 503

        pg_cluster._admin(f'CREATE DATABASE "{url.rsplit("/", 1)[-1]}"')
        deadline = time.monotonic() + 10
        while not helper.request("GET", "/api/health").json()["database"]["ok"]:
            assert time.monotonic() < deadline, helper.log_text()
            time.sleep(0.2)
        health = helper.request("GET", "/api/health").json()
        assert health["paired"] is False and health["database"]["error"] is None
        paired = helper.request("POST", "/api/pair", {}, {"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop"})
        assert paired.status == 200
    finally:
        helper.stop()
        pg_cluster.drop(url)


def test_a_server_lost_under_a_running_helper_means_503_until_it_is_back(tmp_path):
    """Its own server (the session's one keeps serving the other tests): stopped under a helper with
    pooled connections, then started again; the helper needs no restart."""
    from pg_cluster import Cluster

    cluster = Cluster().start()
    try:
        url = cluster.database()
        helper = LiveHelper(tmp_path / "data", env={**os.environ, store.DATABASE_ENV: url})
        try:
            helper.wait_for_model()
            assert helper.post_comments([{"id": "k1", "note_id": "n1", "text": "求链接"}]).status == 200
            cluster.stop_server()
            for _ in range(3):  # every pooled connection is dead: each request says so, none hangs
                reply = helper.post_comments([{"id": "k2", "note_id": "n1", "text": "哪里买"}], timeout=30)
                assert reply.status == 503 and reply.headers.get("Retry-After") == "5", reply.json()
            health = helper.request("GET", "/api/health").json()
            assert health["database"]["ok"] is False and "cannot reach the database" in health["database"]["error"]
            assert health["paired"] is None

            cluster.start_server()
            health = helper.request("GET", "/api/health").json()
            assert health["database"] == {"backend": "postgresql", "ok": True, "error": None} and health["paired"] is True
            reply = helper.post_comments([{"id": "k2", "note_id": "n1", "text": "哪里买"}])
            assert reply.status == 200 and reply.json()["stored"] == 1
            listed = helper.request("GET", "/api/comments", headers=helper.dashboard).json()
            assert sorted(c["id"] for c in listed["items"]) == ["k1", "k2"]
        finally:
            helper.stop()
    finally:
        cluster.stop()


def test_errors_are_told_apart_on_real_servers(tmp_path, pg_database):
    """Unreachable (retry later, 503) vs locked (retry now) vs a plain error, on errors real servers raise."""
    import peewee as pw
    import psycopg2

    sqlite = store.init_db(store.db_path(tmp_path))
    with sqlite:
        with pytest.raises(pw.OperationalError) as no_table:
            sqlite.execute_sql("SELECT * FROM no_such_table")
    assert not store.is_unreachable(no_table.value) and not store.is_locked(no_table.value)

    pg = store.open_db(pg_database, busy_timeout_ms=200)
    with pg.connection_context():
        with pytest.raises(pw.ProgrammingError) as syntax:
            pg.execute_sql("SELEC 1")
        assert not store.is_unreachable(syntax.value) and not store.is_locked(syntax.value)

    # A row lock held past lock_timeout by another connection: "locked", retried.
    other = psycopg2.connect(pg_database)
    other.cursor().execute("CREATE TABLE t (x int); INSERT INTO t VALUES (1); COMMIT; BEGIN; UPDATE t SET x = 2")
    with pg.connection_context():
        with pytest.raises(pw.OperationalError) as locked:
            pg.execute_sql("UPDATE t SET x = 3")
    other.rollback()
    assert store.is_locked(locked.value) and not store.is_unreachable(locked.value)

    # The server ends our connection (as a restart does): "unreachable", and so is using it afterwards.
    pg.connect()
    pid = pg.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    other.autocommit = True
    other.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
    other.close()
    with pytest.raises((pw.OperationalError, pw.InterfaceError)) as lost:
        pg.execute_sql("SELECT 1")
    assert store.is_unreachable(lost.value) and not store.is_locked(lost.value)
    with pytest.raises((pw.OperationalError, pw.InterfaceError)) as again:
        pg.execute_sql("SELECT 1")
    assert store.is_unreachable(again.value)


def test_cli_losing_the_server_mid_command_is_one_line_and_exit_2(tmp_path, pg_database):
    """`linktriage ingest` of a long file while the server keeps ending its connections."""
    import json
    import subprocess
    import sys

    import psycopg2
    from live_helper import REPO

    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": f"m{i}", "note_id": "n", "text": f"求链接 {i}"}) + "\n"
                            for i in range(3000)), encoding="utf-8")
    cli = subprocess.Popen([sys.executable, "-m", "helper", "ingest", str(path), "--data-dir", str(tmp_path / "d"),
                            "--database", pg_database], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    admin = psycopg2.connect(pg_database)
    admin.autocommit = True
    name = pg_database.rsplit("/", 1)[-1]
    try:
        # Once it has stored its first chunk (so the loss is mid-command, not at opening), end its connection.
        while cli.poll() is None:
            cursor = admin.cursor()
            cursor.execute("SELECT to_regclass('comment') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> pg_backend_pid())", (name,))
            if cursor.fetchone()[0]:
                cursor.execute("SELECT count(*) FROM comment")
                if cursor.fetchone()[0] > 0:
                    cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
            time.sleep(0.02)
    finally:
        admin.close()
    out, err = cli.communicate(timeout=60)
    lines = err.strip().splitlines()
    assert cli.returncode == 2 and len(lines) == 1, err
    assert "Traceback" not in err and lines[0].startswith("linktriage ingest: error: lost the database server: ")


# -- two helpers, one database --------------------------------------------------------------------------
@pytest.fixture
def two_helpers(tmp_path, pg_database, monkeypatch):
    """Two operators' helpers on two ports (two data dirs) sharing one PostgreSQL database."""
    monkeypatch.setenv(store.DATABASE_ENV, pg_database)
    first = LiveHelper(tmp_path / "ana")
    second = LiveHelper(tmp_path / "bo")
    # Pairing lives in the shared database: the second pairing of the same extension origin replaced the
    # first one's token, so both helpers accept the newest token.
    first.ext_token = second.ext_token
    try:
        first.wait_for_model()
        second.wait_for_model()
        yield first, second
    finally:
        first.stop()
        second.stop()


def _batch(ids):
    return [{"id": cid, "note_id": "team-n1", "text": ("求链接 " if i % 2 else "好看呀 ") + cid,
             "created_at": 1764000000000 + i * 1000} for i, cid in enumerate(ids)]


def test_concurrent_ingest_of_the_same_comments_stores_each_once(two_helpers):
    first, second = two_helpers
    ids = [f"t{i:03d}" for i in range(200)]
    replies = []
    lock = threading.Lock()

    def send(helper, chunk):
        reply = helper.post_comments(_batch(chunk), note={"id": "team-n1", "title": "团队笔记"}, timeout=120)
        with lock:
            replies.append(reply)

    # Each helper gets every comment, in overlapping batches, at the same time (4 writers in all).
    threads = [
        threading.Thread(target=send, args=(helper, ids[start:start + 100]))
        for helper in (first, second, first, second)
        for start in (0, 100)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in replies] == [200] * len(threads), [r.json() for r in replies if r.status != 200]
    bodies = [r.json() for r in replies]
    assert sum(b["stored"] for b in bodies) == 200  # each comment counted as new by exactly one request
    assert all(len(b["results"]) == 100 for b in bodies)  # every comment answered, stored now or before
    for helper in (first, second):
        listed = helper.request("GET", "/api/comments?limit=500", headers=helper.dashboard).json()
        assert sorted(c["id"] for c in listed["items"]) == ids and listed["total"] == 200
    # Each answer's verdicts are the stored ones, whichever helper stored them.
    stored = {c["id"]: c for c in first.request("GET", "/api/comments?limit=500", headers=first.dashboard).json()["items"]}
    for body in bodies:
        for verdict in body["results"]:
            assert verdict["is_request"] == stored[verdict["id"]]["is_request"]


def test_a_status_change_through_one_helper_shows_in_the_other_within_2_s(two_helpers):
    first, second = two_helpers
    assert first.post_comments(_batch(["s1", "s2"])).status == 200
    changed = first.request("PATCH", "/api/comments/s2", {"status": "replied"}, first.dashboard)
    assert changed.status == 200, changed.json()
    start = time.monotonic()
    while True:
        seen = second.request("GET", "/api/comments?limit=10", headers=second.dashboard).json()["items"]
        if {c["id"]: c["status"] for c in seen}.get("s2") == "replied":
            break
        assert time.monotonic() - start < 2.0, seen
        time.sleep(0.05)
    assert second.read_meta("dashboard_token") == first.dash_token  # one database, one dashboard token
