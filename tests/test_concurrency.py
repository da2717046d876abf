"""Writers sharing one data dir: the extension's POSTs (several at once), `linktriage ingest` of a big
file, and the dashboard reading, all at the same time against a real `linktriage serve`.

Nothing may be lost, nothing may answer 500, nobody may see "database is locked", and the helper's
POST must stay quick (p99 under a second) while the CLI writes: the CLI commits in small chunks.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from live_helper import REPO, LiveHelper

FILE_LINES = 10_000
WRITERS = 3
BATCH = 20


@pytest.fixture
def helper(tmp_path):
    live = LiveHelper(tmp_path / "data")
    live.wait_for_model()  # the latency measured is the lock's, not the first batch waiting for the model
    yield live
    live.stop()


def _writer(helper, number: int, stop: threading.Event, latencies: list, statuses: list, sent: list):
    batch_no = 0
    while not stop.is_set():
        comments = [
            {"id": f"w{number}-{batch_no}-{i}", "note_id": f"wn{number}", "text": "求链接" if i % 2 else "好看"}
            for i in range(BATCH)
        ]
        while True:  # the extension keeps a batch until the helper takes it
            started = time.perf_counter()
            reply = helper.post_comments(comments, note={"id": f"wn{number}", "title": "写"})
            latencies.append(time.perf_counter() - started)
            statuses.append(reply.status)
            if reply.status == 200:
                assert reply.json()["stored"] == BATCH
                sent.extend(c["id"] for c in comments)
                break
            if reply.status != 503:
                return
            time.sleep(float(reply.headers.get("Retry-After", "1")))
        batch_no += 1
        time.sleep(0.05)


def _reader(helper, stop: threading.Event, statuses: list):
    paths = ["/api/comments?limit=50", "/api/requests?limit=50&offset=100", "/api/notes", "/api/insights",
             "/api/export.csv?all=1&note_id=wn0"]
    turn = 0
    while not stop.is_set():
        reply = helper.request("GET", paths[turn % len(paths)], headers=helper.dashboard)
        statuses.append(reply.status)
        turn += 1
        time.sleep(0.02)


def test_http_writers_cli_ingest_and_dashboard_reads_share_the_database(helper, tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(FILE_LINES):
            out.write(json.dumps({"id": f"f{i}", "note_id": f"fn{i % 30}", "text": ("求链接 " if i % 3 else "好看 ") + str(i),
                                  "created_at": 1764000000000 + i * 1000}, ensure_ascii=False) + "\n")

    stop = threading.Event()
    latencies: list[float] = []
    post_statuses: list[int] = []
    read_statuses: list[int] = []
    sent: list[str] = []
    threads = [threading.Thread(target=_writer, args=(helper, n, stop, latencies, post_statuses, sent)) for n in range(WRITERS)]
    threads.append(threading.Thread(target=_reader, args=(helper, stop, read_statuses)))
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        ingest = subprocess.run(
            [sys.executable, "-m", "helper", "ingest", str(path), "--data-dir", str(helper.data_dir)],
            capture_output=True, text=True, cwd=REPO, timeout=300,
        )
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(60)

    assert ingest.returncode == 0, ingest.stderr
    assert "Traceback" not in ingest.stderr and "locked" not in ingest.stderr, ingest.stderr
    assert f"{FILE_LINES} new comment(s) stored" in ingest.stdout, ingest.stdout

    assert post_statuses and set(post_statuses) <= {200, 503}, sorted(set(post_statuses))
    assert read_statuses and set(read_statuses) == {200}, sorted(set(read_statuses))
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    assert p99 < 1.0, f"p99 of POST /api/comments while ingest ran: {p99:.3f} s over {len(latencies)} requests"

    with sqlite3.connect(helper.data_dir / "linktriage.sqlite3") as conn:
        stored_ids = {row[0] for row in conn.execute("SELECT comment_id FROM comment")}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len(sent) >= WRITERS * BATCH
    assert set(sent) <= stored_ids  # every batch the helper took is there
    assert {f"f{i}" for i in range(FILE_LINES)} <= stored_ids  # and every line of the file
    assert len(stored_ids) == FILE_LINES + len(sent)
