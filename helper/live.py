"""Live updates (issue 14): one listener thread per helper notices changes in the store, whoever made them,
and fans them out to the dashboards' streams (GET /api/events, helper/api/events.py).

- PostgreSQL: the listener has its own psycopg2 connection, LISTENs on the channel the schema-10 triggers
  notify (helper/store/migrations.py LIVE_CHANNEL: one small JSON payload per writing statement, from any
  helper, the CLI or psql) and waits in select() on it. A lost server is noticed (the socket closes, or a
  ping every PING_S fails); the listener reconnects with backoff and tells the streams to read everything
  again ("resync"), since notifications sent meanwhile are gone.
- SQLite: no NOTIFY; the listener polls `PRAGMA data_version` on its own connection every SQLITE_POLL_S.
  It changes when any other connection (this helper's requests, the CLI) commits, so the event says only
  that something changed (table null).

Bursts are coalesced: events arriving within COALESCE_S of the first are merged into one (tables and
ids united; past MAX_IDS ids, or an unknown table, the merged event says "anything" with null).

`Feed` is the fan-out: `subscribe()` gives a bounded queue per stream (at most `max_streams` at once:
each open stream holds one of waitress's threads, serve adds that many); `close()` ends every stream
(serve calls it on shutdown). The listener thread starts with the first subscriber and lives as long
as the helper.
"""

from __future__ import annotations

import json
import queue
import select
import threading
import time

from helper.store.migrations import LIVE_CHANNEL

COALESCE_S = 0.1
SQLITE_POLL_S = 0.5
PING_S = 10.0
RECONNECT_MAX_S = 5.0
MAX_IDS = 50
QUEUE_SIZE = 64
MAX_STREAMS = 4


class TooManyStreams(Exception):
    """Every stream slot is taken."""


def merge(events: list[dict]) -> dict:
    """One event for a burst: {"tables": [..] | None, "ids": [..] | None, "accounts": [..] | None, "n": int}.

    None means "could be anything" (an unknown table, too many ids, unknown or too many accounts): the
    dashboard then refreshes whatever it shows. Pure; table-driven tests in tests/test_live.py."""
    tables: set | None = set()
    ids: list | None = []
    accounts: set | None = set()
    n = 0
    for event in events:
        n += int(event.get("n") or 0)
        table = event.get("table")
        if tables is not None:
            tables = None if table is None else tables | {table}
        if ids is not None:
            more = event.get("ids")
            ids = None if more is None else ids + [i for i in more if i not in ids]
            if ids is not None and len(ids) > MAX_IDS:
                ids = None
        if accounts is not None:
            more = event.get("accounts", None)
            accounts = None if more is None else accounts | set(more)
    return {
        "tables": sorted(tables) if tables is not None else None,
        "ids": ids,
        "accounts": sorted(accounts, key=lambda a: (a is None, a or "")) if accounts is not None else None,
        "n": n,
    }


def parse_payload(payload: str) -> dict:
    """A notification's payload as an event; anything unreadable counts as "something changed"."""
    try:
        event = json.loads(payload)
    except ValueError:
        return {"table": None, "ids": None, "accounts": None, "n": 0}
    return event if isinstance(event, dict) else {"table": None, "ids": None, "accounts": None, "n": 0}


class Feed:
    """The fan-out of one helper's change events to its open streams, and the thread that finds them."""

    def __init__(self, db, max_streams: int = MAX_STREAMS):
        self.db = db  # the app's database: where to listen (its connect parameters or its file)
        self.max_streams = max_streams
        self.connected = False  # the listener is watching the store right now
        self.events = 0  # published so far (tests and /api/health-like checks)
        self._subscribers: set[queue.Queue] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    # -- streams -------------------------------------------------------------------------------------
    def subscribe(self) -> queue.Queue:
        with self._lock:
            if self._closed.is_set():
                raise TooManyStreams("the helper is stopping")
            if len(self._subscribers) >= self.max_streams:
                raise TooManyStreams(f"at most {self.max_streams} live streams at once")
            q: queue.Queue = queue.Queue(QUEUE_SIZE)
            self._subscribers.add(q)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="linktriage-live", daemon=True)
                self._thread.start()
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self._lock:
            self._subscribers.discard(q)

    @property
    def streams(self) -> int:
        with self._lock:
            return len(self._subscribers)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def publish(self, kind: str, data: dict) -> None:
        """Hand (kind, data) to every stream; a stream too slow to keep up gets one "resync" instead."""
        self.events += 1
        with self._lock:
            subscribers = list(self._subscribers)
        for q in subscribers:
            try:
                q.put_nowait((kind, data))
            except queue.Full:
                _drain(q)
                q.put_nowait(("resync", {"reason": "behind"}))

    def close(self, timeout: float = 3.0) -> None:
        """End every stream (each gets None) and stop the listener."""
        self._closed.set()
        with self._lock:
            subscribers = list(self._subscribers)
        for q in subscribers:
            _drain(q)
            q.put_nowait(None)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    # -- the listener --------------------------------------------------------------------------------
    def _run(self) -> None:
        from helper.store import is_postgres

        watch = self._watch_postgres if is_postgres(self.db) else self._watch_sqlite
        pause = 0.25
        first = True
        while not self._closed.is_set():
            try:
                watch(resync=not first)
                pause = 0.25
            except Exception:  # noqa: BLE001 (server gone, file locked: wait and watch again)
                pass
            first = False
            if self.connected:
                self.connected = False
                self.publish("status", {"live": False})
            self._closed.wait(pause)
            pause = min(pause * 2, RECONNECT_MAX_S)

    def _watch_postgres(self, resync: bool) -> None:
        import psycopg2

        params = {**self.db.connect_params, "application_name": "linktriage-live"}  # told apart in pg_stat_activity
        conn = psycopg2.connect(dbname=self.db.database, **params)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(f'LISTEN "{LIVE_CHANNEL}"')
            self._up(resync)
            last_seen = time.monotonic()
            while not self._closed.is_set():
                ready, _, _ = select.select([conn], [], [], 1.0)
                if not ready:
                    if time.monotonic() - last_seen >= PING_S:  # a server that vanished without a word
                        with conn.cursor() as cursor:
                            cursor.execute("SELECT 1")
                        last_seen = time.monotonic()
                    continue
                conn.poll()
                last_seen = time.monotonic()
                if not conn.notifies:
                    continue
                # Coalesce a burst: whatever else arrives within COALESCE_S goes in the same event.
                deadline = time.monotonic() + COALESCE_S
                while (left := deadline - time.monotonic()) > 0:
                    if select.select([conn], [], [], left)[0]:
                        conn.poll()
                events = [parse_payload(n.payload) for n in conn.notifies if n.channel == LIVE_CHANNEL]
                conn.notifies.clear()
                if events:
                    self.publish("change", merge(events))
        finally:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass

    def _watch_sqlite(self, resync: bool) -> None:
        import sqlite3

        conn = sqlite3.connect(self.db.database, timeout=1.0, check_same_thread=False)
        try:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            self._up(resync)
            while not self._closed.wait(SQLITE_POLL_S):
                now = conn.execute("PRAGMA data_version").fetchone()[0]
                if now != version:
                    version = now
                    self.publish("change", merge([{"table": None, "ids": None, "accounts": None, "n": 0}]))
        finally:
            conn.close()

    def _up(self, resync: bool) -> None:
        self.connected = True
        self.publish("status", {"live": True})
        if resync:  # changes made while we were away were never told
            self.publish("resync", {"reason": "reconnected"})


def _drain(q: queue.Queue) -> None:
    try:
        while True:
            q.get_nowait()
    except queue.Empty:
        pass
