"""`linktriage serve` as a real subprocess on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import live_helper
from live_helper import REPO, HelperProcess

EXTENSION = "chrome-extension://servetestextensionidaaaaaaaaaaaa"


def request(port, method, path, body=None, headers=None, host=None):
    reply = live_helper.request(port, method, path, body, headers, host=host, timeout=30)
    return reply.status, reply.headers, reply.body  # case-insensitive lookups


@pytest.fixture
def server(tmp_path):
    helper = HelperProcess(tmp_path / "data", log=tmp_path / "serve.log").start()
    yield helper.port, tmp_path, helper.log
    helper.stop()


def test_serve_over_real_http(server):
    port, tmp_path, log = server
    assert f"http://127.0.0.1:{port}/" in log.read_text()
    status, headers, body = request(port, "GET", "/api/health")
    assert status == 200 and json.loads(body)["app"] == "linktriage"
    assert headers["X-LinkTriage-Version"]
    assert "Werkzeug" not in headers.get("Server", "")  # waitress, never the debug server

    # DNS rebinding: the attacker's name resolves to 127.0.0.1 but the Host header gives it away.
    assert request(port, "GET", "/api/health", host=f"attacker.example:{port}")[0] == 403
    assert request(port, "GET", "/api/health", host=f"localhost:{port}")[0] == 200

    status, headers, body = request(port, "POST", "/api/pair", {}, {"Origin": EXTENSION})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == EXTENSION
    token = json.loads(body)["token"]
    auth = {"Origin": EXTENSION, "Authorization": f"Bearer {token}"}
    batch = {"platform": "xhs", "note": {"id": "n1", "title": "标题"},
             "comments": [{"id": f"c{i}", "note_id": "n1", "text": "求链接" if i % 2 else "好看"} for i in range(300)]}
    status, _, body = request(port, "POST", "/api/comments", batch, auth)
    assert status == 200 and json.loads(body)["stored"] == 300

    # A web page's form post / text/plain fetch changes nothing.
    status, _, _ = request(port, "POST", "/api/comments", None, {"Origin": "https://evil.example", "Content-Type": "text/plain"})
    assert status in (403, 415)
    status, _, body = request(port, "GET", "/api/comments?limit=1", headers=auth)
    assert json.loads(body)["total"] == 300

    # An oversized body is refused before it is read.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", "/api/comments", skip_host=True)
    for name, value in {"Host": f"127.0.0.1:{port}", **auth, "Content-Type": "application/json", "Content-Length": str(64 * 1024 * 1024)}.items():
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    conn.close()

    status, headers, body = request(port, "GET", "/api/export.csv", headers=auth)
    assert status == 200 and body.startswith(b"\xef\xbb\xbf") and headers["Content-Type"].startswith("text/csv")


def test_serve_refuses_a_taken_port(server):
    port, tmp_path, _ = server
    result = subprocess.run(
        [sys.executable, "-m", "helper", "serve", "--port", str(port), "--data-dir", str(tmp_path / "other")],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert result.returncode == 2
    assert f"port {port}" in result.stderr and "taken" in result.stderr and "Traceback" not in result.stderr


def test_serve_listens_on_loopback_only(server):
    port, _, _ = server
    # /proc/net/tcp lists listening sockets as hex "ADDR:PORT"; ours must be 127.0.0.1 (0100007F).
    listening = [
        line.split()[1]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[3] == "0A" and line.split()[1].endswith(f":{port:04X}")
    ]
    assert listening == [f"0100007F:{port:04X}"]
    assert not any(
        line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A"
        for line in Path("/proc/net/tcp6").read_text().splitlines()[1:]
    )


def test_serve_warms_the_model_up_in_the_background(server):
    port, _, _ = server
    from helper.config import resolve_model_dir

    if not resolve_model_dir().exists():
        pytest.skip("no trained pipeline in models/pipeline")
    deadline = time.monotonic() + 90
    while not json.loads(request(port, "GET", "/api/health")[2])["model_loaded"]:
        assert time.monotonic() < deadline, "the model was not loaded within 90 s of serve starting"
        time.sleep(0.5)


def test_concurrent_batches_with_overlapping_ids_store_each_comment_once(server):
    from concurrent.futures import ThreadPoolExecutor

    port, _, _ = server
    status, _, body = request(port, "POST", "/api/pair", {}, {"Origin": EXTENSION})
    auth = {"Origin": EXTENSION, "Authorization": f"Bearer {json.loads(body)['token']}"}

    def send(start):
        comments = [{"id": f"k{i}", "note_id": "n1", "text": f"求链接 {i}"} for i in range(start, start + 200)]
        return request(port, "POST", "/api/comments", {"note": {"id": "n1"}, "comments": comments}, auth)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(send, [0, 100, 200, 0, 100, 300]))
    assert [r[0] for r in results] == [200] * 6
    assert all(len(json.loads(r[2])["results"]) == 200 for r in results)
    status, _, body = request(port, "GET", "/api/comments?limit=1", headers=auth)
    assert json.loads(body)["total"] == 500  # k0..k499, each once


def test_sigterm_stops_serve_cleanly_and_closes_the_database(tmp_path):
    """The helper keeps its connections open between requests; on SIGTERM (kill, service managers)
    it must still close them, so the WAL is checkpointed into the database file and removed."""
    data = tmp_path / "data"
    helper = HelperProcess(data, log=tmp_path / "serve.log").start()
    try:
        status, _, body = request(helper.port, "POST", "/api/pair", {}, {"Origin": EXTENSION})
        auth = {"Origin": EXTENSION, "Authorization": f"Bearer {json.loads(body)['token']}"}
        comments = [{"id": f"s{i}", "note_id": "n1", "text": "求链接"} for i in range(50)]
        assert request(helper.port, "POST", "/api/comments", {"note": {"id": "n1"}, "comments": comments}, auth)[0] == 200
        assert (data / "linktriage.sqlite3-wal").exists()  # the pooled connection is still open
    finally:
        code = helper.stop(timeout=30)
    assert code == 0, helper.log_text()[-2000:]
    assert not (data / "linktriage.sqlite3-wal").exists()
    import sqlite3

    with sqlite3.connect(data / "linktriage.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM comment").fetchone() == (50,)


def test_the_helpers_analyzer_frees_each_batchs_strings_once_the_vocab_is_full(monkeypatch):
    """serve sets Analyzer.memory_zone: comments that never repeat must not grow the process
    beyond the analyzer's ZONE_AFTER_STRINGS (tokens met before that stay, for speed)."""
    from helper.config import resolve_model_dir
    from helper.nlp import analyzer as analyzer_module
    from helper.nlp.analyzer import Analyzer

    if not resolve_model_dir().exists():
        pytest.skip("no trained pipeline in models/pipeline")
    plain, zoned = Analyzer(), Analyzer()
    zoned.memory_zone = True
    assert plain.load() and zoned.load()
    for a in (plain, zoned):
        # The spaCy path (a pipeline without exported weights, another textcat architecture) builds
        # Docs; the numpy scorer builds none (next test).
        a.source.classifier._scorer = None
    strings = {a: a.source.classifier.nlp.vocab.strings for a in (plain, zoned)}
    monkeypatch.setattr(analyzer_module, "ZONE_AFTER_STRINGS", len(strings[zoned]) + 10)
    batches = [[{"id": f"{b}-{i}", "text": f"求链接 款号{b:03d}{i:03d} zz{b}x{i}"} for i in range(50)] for b in range(4)]
    results = {plain: [], zoned: []}
    grown = {plain: [], zoned: []}
    for batch in batches:
        for a in (plain, zoned):
            results[a].append(a.analyze(batch, []))
            grown[a].append(len(strings[a]))
    assert results[plain] == results[zoned]  # same verdicts either way
    assert grown[zoned][0] > analyzer_module.ZONE_AFTER_STRINGS  # the first batch filled the vocab...
    assert grown[zoned][1:] == [grown[zoned][0]] * 3  # ...later ones leave nothing behind
    assert grown[plain][3] > grown[plain][0]  # what the zone saves


def test_the_numpy_scorer_keeps_memory_bounded_on_never_repeating_comments(monkeypatch):
    """The numpy path loads no spaCy vocab at all; its token memo is cleared when full."""
    from helper.config import resolve_model_dir
    from helper.nlp import bow_scorer
    from helper.nlp.analyzer import Analyzer

    if not resolve_model_dir().exists():
        pytest.skip("no trained pipeline in models/pipeline")
    monkeypatch.setattr(bow_scorer, "ORTH_MEMO_SIZE", 300)
    analyzer = Analyzer()
    assert analyzer.load() and not analyzer.source.classifier.uses_spacy
    memo = analyzer.source.classifier._scorer._orth
    sizes = []
    for b in range(6):
        analyzer.analyze([{"id": f"{b}-{i}", "text": f"求链接 款号{b:03d}{i:03d} zz{b}x{i}"} for i in range(50)], [])
        sizes.append(len(memo))
    assert max(sizes) <= 300 + 1 and sizes[-1] > 0  # grew, was cleared, never beyond the cap
    assert analyzer.source.classifier._nlp is None
