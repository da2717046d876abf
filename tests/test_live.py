"""Live updates (issue 14): a change by one operator reaches the other operators' dashboards within 2 s.

The pure merging of a burst (table-driven); the stream's security (auth, origins, the cap on streams);
real helpers (`linktriage serve`) on SQLite (PRAGMA data_version) and on a real PostgreSQL server
(LISTEN/NOTIFY from the schema-10 triggers): two helpers on one database, the CLI writing, a burst
coalesced, the listener outliving a server stop/start, a helper stopping with streams open.
Runs on SQLite and (scripts/test's PostgreSQL pass) on PostgreSQL; the PostgreSQL-only tests ask for
the session's server in both passes."""

from __future__ import annotations

import json
import os
import time

import pytest
from helper_support import OWN_ORIGIN, TEST_PORT, batch, comment, write_jsonl
from live_helper import LiveHelper
from sse_client import EventStream

from helper import live, store
from helper.app import create_app

# -- merging a burst (pure) ----------------------------------------------------------------------------
def ev(table, ids, accounts, n=None):
    return {"table": table, "ids": ids, "accounts": accounts, "n": len(ids or []) if n is None else n}


@pytest.mark.parametrize(
    "events, merged",
    [
        ([ev("comment", ["a"], ["acc1"])], {"tables": ["comment"], "ids": ["a"], "accounts": ["acc1"], "n": 1}),
        ([ev("comment", ["a", "b"], ["acc1"]), ev("comment", ["b", "c"], ["acc2", None])],
         {"tables": ["comment"], "ids": ["a", "b", "c"], "accounts": ["acc1", "acc2", None], "n": 4}),
        ([ev("comment", ["a"], ["acc1"]), ev("product", ["7"], [None])],
         {"tables": ["comment", "product"], "ids": ["a", "7"], "accounts": ["acc1", None], "n": 2}),
        # the trigger said "too many to list": so does the merge
        ([ev("comment", None, ["acc1"], n=300), ev("comment", ["x"], ["acc1"])],
         {"tables": ["comment"], "ids": None, "accounts": ["acc1"], "n": 301}),
        ([ev("comment", ["x"], None)], {"tables": ["comment"], "ids": ["x"], "accounts": None, "n": 1}),
        # SQLite's detector knows nothing: anything may have changed
        ([ev(None, None, None, n=0), ev("comment", ["x"], ["a"])], {"tables": None, "ids": None, "accounts": None, "n": 1}),
        # past MAX_IDS ids the merge stops listing them
        ([ev("comment", [f"c{i}"], ["a"]) for i in range(live.MAX_IDS + 1)],
         {"tables": ["comment"], "ids": None, "accounts": ["a"], "n": live.MAX_IDS + 1}),
    ],
)
def test_a_burst_merges_into_one_event(events, merged):
    assert live.merge(events) == merged


def test_an_unreadable_payload_means_something_changed():
    assert live.merge([live.parse_payload("not json")])["tables"] is None
    assert live.parse_payload('{"table": "comment", "ids": ["a"], "accounts": [null], "n": 1}')["ids"] == ["a"]


# -- the stream's security (the app, as every API test) -----------------------------------------------
def test_the_stream_needs_the_dashboard_token_and_its_own_origin(client, dashboard_headers, paired_extension):
    assert client.get("/api/events").status_code == 401
    assert client.get("/api/events", headers={"X-LinkTriage-Token": "wrong"}).status_code == 401
    # the extension's token is not the dashboard's: the stream is the dashboard's only
    assert client.get("/api/events", headers=paired_extension.headers).status_code == 403
    foreign = {**dashboard_headers, "Origin": "https://evil.example"}
    assert client.get("/api/events", headers=foreign).status_code == 403
    cross_site = {"X-LinkTriage-Token": dashboard_headers["X-LinkTriage-Token"], "Sec-Fetch-Site": "cross-site"}
    assert client.get("/api/events", headers=cross_site).status_code == 403
    wrong_host = client.get("/api/events", headers=dashboard_headers, base_url="http://attacker.example:17999")
    assert wrong_host.status_code == 403
    # the dashboard's token is taken from the dashboard's own origin only (not the extension's)
    response = client.get("/api/events", headers={**dashboard_headers, "Origin": paired_extension.origin})
    assert response.status_code == 401


def test_the_stream_opens_with_hello_and_is_capped(data_dir, dashboard_headers):
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "LIVE_STREAMS": 1,
                      "LIVE_HEARTBEAT_S": 0.2})
    from helper_support import LoopbackClient

    app.test_client_class = LoopbackClient
    client = app.test_client()
    token = {"X-LinkTriage-Token": dashboard_headers["X-LinkTriage-Token"], "Origin": OWN_ORIGIN}
    first = client.get("/api/events", headers=token, buffered=False)
    try:
        assert first.status_code == 200 and first.mimetype == "text/event-stream"
        assert first.headers["Cache-Control"] == "no-store"
        head = next(first.response)
        head = head.decode() if isinstance(head, bytes) else head
        assert head.startswith("retry: ") and "event: hello" in head and '"backend":' in head
        second = client.get("/api/events", headers=token)
        assert second.status_code == 503 and second.headers["Retry-After"] == "30"
        # a quiet stream says it is alive with a comment line every heartbeat
        start = time.monotonic()
        chunks = [c.decode() if isinstance(c, bytes) else c for c in (next(first.response) for _ in range(3))]
        assert ": ping\n\n" in chunks and time.monotonic() - start < 3
    finally:
        first.close()
    feed = app.extensions["linktriage_live"]
    assert feed.streams == 0  # closing the stream gave its slot back
    again = client.get("/api/events", headers=token, buffered=False)
    assert again.status_code == 200
    again.close()
    feed.close()


# -- real helpers --------------------------------------------------------------------------------------
def _stream(helper) -> EventStream:
    stream = EventStream(helper.port, helper.dashboard)
    assert stream.status == 200, stream.body
    hello = stream.next("hello")[1]
    assert hello["backend"] in ("sqlite", "postgresql")
    if not hello["live"]:  # the first stream starts the listener: wait until it is watching
        stream.next("status", where=lambda d: d["live"] is True)
    return stream


def _changed(stream, cid, timeout):
    """The first change event that may concern comment `cid` (named, or "could be anything")."""
    return stream.next("change", timeout=timeout, where=lambda d: d["ids"] is None or cid in d["ids"])


def test_a_cli_write_shows_on_the_stream(tmp_path):
    """`linktriage ingest` is another process: its commit reaches the helper's dashboards (SQLite:
    data_version; PostgreSQL pass: the triggers' NOTIFY)."""
    helper = LiveHelper(tmp_path / "data")
    try:
        stream = _stream(helper)
        path = write_jsonl(tmp_path / "c.jsonl", [comment("cli1", "求链接"), comment("cli2", "好看")])
        done = helper.cli("ingest", str(path))
        finished = time.monotonic()
        assert done.returncode == 0, done.stderr
        kind, data, at = _changed(stream, "cli1", timeout=2.0)
        assert at - finished < 2.0  # (it may even arrive before the CLI has exited)
        if data["tables"] is not None:
            assert data["tables"] == ["comment"] and sorted(data["ids"]) == ["cli1", "cli2"]
        stream.close()
    finally:
        helper.stop()


@pytest.mark.sqlite_only
def test_sqlite_a_dashboard_change_shows_on_the_other_dashboards_stream(tmp_path):
    helper = LiveHelper(tmp_path / "data")
    try:
        helper.wait_for_model()
        assert helper.post_comments([comment("s1", "求链接")]).status == 200
        stream = _stream(helper)
        changed = helper.request("PATCH", "/api/comments/s1", {"status": "replied"}, helper.dashboard)
        assert changed.status == 200
        start = time.monotonic()
        kind, data, at = stream.next("change", timeout=2.0)
        assert at - start < 2.0 and data == {"tables": None, "ids": None, "accounts": None, "n": 0}
        stream.close()
    finally:
        helper.stop()


def test_stopping_the_helper_ends_its_streams(tmp_path):
    helper = LiveHelper(tmp_path / "data")
    streams = [_stream(helper) for _ in range(2)]
    start = time.monotonic()
    assert helper.stop() == 0
    assert time.monotonic() - start < 10
    for stream in streams:
        assert stream.ended.wait(5)


def test_requests_are_served_while_every_stream_slot_is_held(tmp_path):
    """4 streams (the cap) on a helper with one request thread: requests still answer; a 5th stream is 503."""
    helper = LiveHelper(tmp_path / "data", threads=1)
    try:
        streams = [EventStream(helper.port, helper.dashboard) for _ in range(live.MAX_STREAMS)]
        assert [s.status for s in streams] == [200] * live.MAX_STREAMS
        for _ in range(3):
            reply = helper.request("GET", "/api/comments", headers=helper.dashboard, timeout=5)
            assert reply.status == 200
        extra = EventStream(helper.port, helper.dashboard, timeout=5)
        assert extra.status == 503 and extra.headers["Retry-After"] == "30"
        streams[0].close()
        deadline = time.monotonic() + 5  # the helper notices the closed one within a second
        while (again := EventStream(helper.port, helper.dashboard, timeout=5)).status != 200:
            assert time.monotonic() < deadline, again.body
            time.sleep(0.2)
        again.close()
        for stream in streams[1:]:
            stream.close()
    finally:
        helper.stop()


# -- PostgreSQL: LISTEN/NOTIFY --------------------------------------------------------------------------
@pytest.fixture
def two_helpers(tmp_path, pg_database):
    env = {**os.environ, store.DATABASE_ENV: pg_database}
    first = LiveHelper(tmp_path / "ana", env=env, args=["--operator", "Ana"])
    second = LiveHelper(tmp_path / "bo", env=env, args=["--operator", "Bo"])
    first.ext_token = second.ext_token  # one database, one pairing: the newest token
    try:
        first.wait_for_model()
        yield first, second
    finally:
        first.stop()
        second.stop()


def test_a_status_change_in_one_helper_reaches_the_other_helpers_stream_within_2_s(two_helpers):
    first, second = two_helpers
    assert first.post_comments([comment("p1", "求链接"), comment("p2", "怎么买")]).status == 200
    stream = _stream(second)
    for change in ({"status": "replied"}, {"correction": "not_request"}):
        start = time.monotonic()
        reply = first.request("PATCH", "/api/comments/p2", change, first.dashboard)
        assert reply.status == 200, reply.json()
        kind, data, at = _changed(stream, "p2", timeout=2.0)
        assert at - start < 2.0
        assert data["tables"] == ["comment"] and data["ids"] == ["p2"] and data["n"] >= 1
    # a claim too
    assert first.request("POST", "/api/comments/p1/claim", {}, first.dashboard).status == 200
    assert _changed(stream, "p1", timeout=2.0)[1]["ids"] == ["p1"]
    # and a product
    product = {"name": "羊毛大衣", "link": "https://example.com/coat", "aliases": []}
    assert first.request("POST", "/api/products", product, first.dashboard).status in (200, 201)
    data = stream.next("change", timeout=2.0, where=lambda d: d["tables"] and "product" in d["tables"])[1]
    assert data["accounts"] == [None]  # a shared product
    stream.close()


def test_a_cli_write_on_the_team_database_notifies_every_helper(two_helpers, tmp_path):
    first, second = two_helpers
    streams = [_stream(first), _stream(second)]
    path = write_jsonl(tmp_path / "c.jsonl", [comment("q1", "求链接"), comment("q2", "哪里买")])
    done = first.cli("ingest", str(path))  # its environment names the team database
    assert done.returncode == 0, done.stderr
    for stream in streams:
        data = _changed(stream, "q1", timeout=2.0)[1]
        assert data["tables"] == ["comment"] and sorted(data["ids"]) == ["q1", "q2"]
        stream.close()


def test_a_200_comment_batch_is_one_small_event(two_helpers):
    first, second = two_helpers
    stream = _stream(second)
    rows = [comment(f"b{i:03d}", f"求链接 {i}") for i in range(200)]
    assert first.post_comments(rows, timeout=120).status == 200
    data = stream.next("change", timeout=5.0)[1]
    assert data["tables"] == ["comment"] and data["ids"] is None and data["n"] >= 200
    time.sleep(0.5)
    assert [e for e in stream.drain() if e[0] == "change"] == []  # nothing more for that one batch
    stream.close()


def test_the_trigger_payload_stays_far_under_notifys_limit(pg_database):
    """Keys and accounts as long as the columns allow: the trigger drops the lists rather than fail."""
    import select

    import psycopg2

    from helper.store.migrations import LIVE_CHANNEL

    db = store.init_db(pg_database)
    listen = psycopg2.connect(pg_database)
    listen.autocommit = True
    listen.cursor().execute(f'LISTEN "{LIVE_CHANNEL}"')
    rows = [{"platform": "xhs", "comment_id": f"{i:02d}" + "k" * 253, "note_id": "n", "text": "t",
             "account": f"{i % 10:02d}" + "a" * 253} for i in range(20)]
    with db:
        store.Comment.insert_new(rows)
    assert select.select([listen], [], [], 5)[0]
    listen.poll()
    payloads = [n.payload for n in listen.notifies]
    listen.close()
    assert len(payloads) == 1 and len(payloads[0].encode()) < 4000
    assert json.loads(payloads[0]) == {"table": "comment", "op": "insert", "n": 20, "ids": None, "accounts": None}


def test_the_listener_survives_a_server_stop_and_start(tmp_path):
    """Its own server (the session's keeps serving the other tests): stopped under a helper with an open
    stream, then started again; the stream says the listener is down, then up with a resync, and
    later changes arrive again."""
    from pg_cluster import Cluster

    cluster = Cluster().start()
    try:
        url = cluster.database()
        helper = LiveHelper(tmp_path / "data", env={**os.environ, store.DATABASE_ENV: url})
        try:
            helper.wait_for_model()
            assert helper.post_comments([comment("r1", "求链接")]).status == 200
            stream = _stream(helper)
            cluster.stop_server()
            stream.next("status", timeout=15, where=lambda d: d["live"] is False)
            cluster.start_server()
            stream.next("status", timeout=30, where=lambda d: d["live"] is True)
            assert stream.next("resync", timeout=5)[1]["reason"] == "reconnected"
            # requests work again (the pool's dead connections are dropped), and so does the stream
            deadline = time.monotonic() + 15
            while (reply := helper.request("PATCH", "/api/comments/r1", {"status": "replied"}, helper.dashboard)).status != 200:
                assert time.monotonic() < deadline, reply
                time.sleep(0.2)
            assert _changed(stream, "r1", timeout=2.0)[1]["ids"] == ["r1"]
            stream.close()
        finally:
            helper.stop()
    finally:
        cluster.stop()
