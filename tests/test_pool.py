"""The helper's PostgreSQL connection pool (issue 14), on a real server: its settings come from the
database URL (?max_connections=N&stale_timeout=S), every request hands its connection back (flaskr's
connect-per-request, close at teardown), a helper never holds more than max_connections however many
requests run at once, and a connection older than stale_timeout is replaced. (A server lost and back
under a running helper: tests/test_team_database.py.) Runs in every pass: it asks for the session's server."""

from __future__ import annotations

import os
import threading
import time
from urllib.parse import urlencode

import peewee as pw
import pytest
from helper_support import TEST_PORT, Extension, batch, comment
from live_helper import LiveHelper
from playhouse.pool import PooledPostgresqlDatabase

from helper import store
from helper.app import create_app


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def server_connections(url: str) -> int:
    """Connections the helpers hold to this database (application_name linktriage), asked of the server."""
    import psycopg2

    conn = psycopg2.connect(url, application_name="linktriage-test")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND application_name = 'linktriage'")
            return cursor.fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", (store.db.POOL_MAX_CONNECTIONS, store.db.POOL_STALE_S)),
        ("max_connections=3", (3, store.db.POOL_STALE_S)),
        ("stale_timeout=45&max_connections=2", (2, 45)),
        ("sslmode=disable&stale_timeout=7", (store.db.POOL_MAX_CONNECTIONS, 7)),
    ],
)
def test_the_pool_settings_come_from_the_url(query, expected):
    url = with_query("postgresql://ana@db.example:6543/team", query) if query else "postgresql://ana@db.example:6543/team"
    assert store.database_url(url) == url
    db = store.open_db(url, pooled=True)
    assert isinstance(db, PooledPostgresqlDatabase)
    assert (db._max_connections, db._stale_timeout) == expected
    # they are the pool's, never passed to the server as connection options; the CLI's plain connection ignores them
    assert not set(store.db.POOL_SETTINGS) & set(db.connect_params)
    plain = store.open_db(url)
    assert type(plain) is pw.PostgresqlDatabase and not set(store.db.POOL_SETTINGS) & set(plain.connect_params)
    if "sslmode" in query:
        assert db.connect_params["sslmode"] == "disable"


@pytest.mark.parametrize("query", ["max_connections=0", "max_connections=many", "stale_timeout=-1", "stale_timeout="])
def test_a_bad_pool_setting_is_one_clear_error(query):
    with pytest.raises(ValueError, match=r"(max_connections|stale_timeout) in the database URL must be a whole number"):
        store.database_url(with_query("postgresql://ana@db/team", query))


def test_every_request_hands_its_connection_back(tmp_path, pg_database):
    url = with_query(pg_database, "max_connections=2")
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "PORT": TEST_PORT, "DATABASE": url})
    from helper_support import LoopbackClient

    app.test_client_class = LoopbackClient
    client = app.test_client()
    db = app.extensions["linktriage_db"]
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("c1", "好看"), comment("c2", "衣服真好看")])).status_code == 200
    with app.app_context(), db.connection_context():
        token = store.Meta.get_value("dashboard_token")
    dashboard = {"X-LinkTriage-Token": token}
    for i in range(20):
        assert ext.get("/api/health").status_code == 200
        assert client.get("/api/comments", headers=dashboard).get_json()["total"] == 2 + i
        assert ext.post("/api/comments", batch([comment(f"n{i}", "好看")])).status_code == 200
        assert not db._in_use  # nothing kept past the request
    assert 1 <= len(db._connections) <= 2  # idle in the pool, reused by the next request
    assert server_connections(pg_database) <= 2
    db.close_idle()
    assert server_connections(pg_database) == 0


def test_a_busy_helper_never_holds_more_than_max_connections(tmp_path, pg_database):
    """Eight requests at once on a helper with 4 request threads and a pool of 2: all answered (a request
    waits for a free connection), and the server never sees more than 2 of the helper's connections."""
    url = with_query(pg_database, "max_connections=2")
    helper = LiveHelper(tmp_path / "data", env={**os.environ, store.DATABASE_ENV: url})
    try:
        helper.wait_for_model()
        assert helper.post_comments([comment(f"b{i}", f"求链接 {i}") for i in range(50)]).status == 200
        peak, statuses, done = [0], [], threading.Event()

        def watch():
            while not done.is_set():
                peak[0] = max(peak[0], server_connections(pg_database))
                time.sleep(0.01)

        def ask(i):
            query = urlencode({"limit": 50, "q": f"求链接 {i % 5}"})
            reply = helper.request("GET", f"/api/comments?{query}", headers=helper.dashboard, timeout=30)
            statuses.append(reply.status)

        watcher = threading.Thread(target=watch)
        watcher.start()
        for _ in range(3):
            threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        done.set()
        watcher.join()
        assert statuses == [200] * 24
        assert 1 <= peak[0] <= 2
    finally:
        helper.stop()


def test_a_connection_older_than_stale_timeout_is_replaced(pg_database):
    store.init_db(pg_database)
    db = store.open_db(with_query(pg_database, "stale_timeout=1"), pooled=True)
    store.bind_models(db)

    def backend_pid():
        with db.connection_context():
            return db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]

    first = backend_pid()
    assert backend_pid() == first  # handed back and taken again
    time.sleep(1.3)
    assert backend_pid() != first  # too old: closed, and a new one opened
    db.close_all()
