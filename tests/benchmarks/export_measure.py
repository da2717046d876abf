"""The export measure (issue 12): time and memory of a full export of `--export-comments` comments,
by `linktriage export` and by GET /api/export.csv on a running helper, and whether the helper keeps
answering (a health check's worst latency) while exports run, four at once included.

The comments are written straight into a throwaway data dir (no model: the export is what is
measured, not ingest), with verdict fields filled as the model fills them.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.helper_http import BENCH_ORIGIN, rss_mb
from live_helper import HelperProcess

GOAL_EXPORT_S = 20.0  # 200k rows, CLI and HTTP
GOAL_EXPORT_CLI_RSS_MB = 150.0  # peak of the whole `linktriage export` process
GOAL_EXPORT_HELPER_GROWTH_MB = 64.0  # bounded, whatever the row count: SQLite page cache (16 MB) + waitress output buffer (16 MB) + a page
GOAL_HEALTH_DURING_EXPORT_S = 1.0


def seed(data_dir: Path, texts: list[str], count: int) -> None:
    from helper import store
    from helper.store import Comment, Note

    db = store.init_db(store.db_path(data_dir))
    start = datetime(2026, 1, 1)
    with db:
        Note.insert_many([{"platform": "xhs", "note_id": f"bench-note-{n}", "title": f"笔记 {n}"} for n in range(200)]).execute()
        for first in range(0, count, 5000):
            rows = []
            for i in range(first, min(count, first + 5000)):
                asks = i % 3 == 0
                rows.append({
                    "platform": "xhs",
                    "comment_id": f"bench{i:09d}",
                    "note_id": f"bench-note-{i % 200}",
                    "author": f"用户{i % 997}",
                    "author_id": f"u{i % 997}",
                    "text": texts[i % len(texts)],
                    "created_at": start + timedelta(seconds=i * 7),
                    "like_count": i % 50,
                    "ip_location": "上海",
                    "is_request": asks,
                    "score": 0.9 if asks else 0.05,
                    "products": ["羊毛地毯"] if asks else [],
                    "suggested_reply": "链接在笔记下方的商品卡～" if asks else "",
                    "compliance": [],
                })
            Comment.insert_new(rows)
    db.close()


def _cli_export(data_dir: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of `linktriage export --all` writing `out`."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "helper", "export", "--all", "--out", str(out), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"linktriage export exited with {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


class _Server:
    def __init__(self, data_dir: Path):
        self.helper = HelperProcess(data_dir, log=data_dir.parent / "serve.log").start()
        self.port = self.helper.port
        self.proc = self.helper.proc
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("POST", "/api/pair", body=b"{}", headers={"Origin": BENCH_ORIGIN, "Content-Type": "application/json"})
        self.token = json.loads(conn.getresponse().read())["token"]
        conn.close()
        # The helper loads its model in the background after start; let it finish, so the RSS
        # measured during an export is the export's.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("GET", "/api/health")
            loaded = json.loads(conn.getresponse().read())["model_loaded"]
            conn.close()
            if loaded:
                break
            time.sleep(0.2)

    def export(self, results: list) -> None:
        """GET /api/export.csv?all=1, read to the end; appends (status, bytes, seconds)."""
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        conn.request("GET", "/api/export.csv?all=1", headers={"Origin": BENCH_ORIGIN, "Authorization": f"Bearer {self.token}"})
        response = conn.getresponse()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
        conn.close()
        results.append((response.status, size, time.perf_counter() - started))

    def health_seconds(self) -> float:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        conn.request("GET", "/api/health")
        conn.getresponse().read()
        conn.close()
        return time.perf_counter() - started

    def stop(self) -> None:
        self.helper.stop()


def _while_exporting(server: _Server, exports: int) -> dict:
    """Run `exports` exports at once; meanwhile sample the helper's RSS and ping its health."""
    results: list = []
    workers = [threading.Thread(target=server.export, args=(results,)) for _ in range(exports)]
    base_mb = rss_mb(server.proc.pid)
    peak_mb = base_mb
    health: list[float] = []
    started = time.perf_counter()
    for w in workers:
        w.start()
    while any(w.is_alive() for w in workers):
        peak_mb = max(peak_mb, rss_mb(server.proc.pid))
        health.append(server.health_seconds())
        time.sleep(0.1)
    for w in workers:
        w.join()
    ok = [r for r in results if r[0] == 200]
    return {
        "exports": exports,
        "statuses": sorted(r[0] for r in results),
        "seconds": round(time.perf_counter() - started, 2),
        "export_seconds": round(max((r[2] for r in ok), default=0.0), 2),
        "bytes": max((r[1] for r in ok), default=0),
        "rss_start_mb": round(base_mb, 1),
        "rss_peak_mb": round(peak_mb, 1),
        "health_checks": len(health),
        "health_max_s": round(max(health, default=0.0), 3),
    }


def measure_export(texts: list[str], args, goal) -> dict:
    count = getattr(args, "export_comments", 200_000)
    with tempfile.TemporaryDirectory(prefix="linktriage-bench-export-") as tmp:
        data_dir = Path(tmp) / "data"
        seed(data_dir, texts, count)
        cli_s, cli_rss = _cli_export(data_dir, Path(tmp) / "export.csv")
        csv_mb = (Path(tmp) / "export.csv").stat().st_size / 1e6
        server = _Server(data_dir)
        try:
            one = _while_exporting(server, 1)
            four = _while_exporting(server, 4)
        finally:
            server.stop()
    growth = one["rss_peak_mb"] - one["rss_start_mb"]
    return {
        "comments": count,
        "csv_mb": round(csv_mb, 1),
        "cli": {"seconds": round(cli_s, 2), "peak_rss_mb": round(cli_rss, 1)},
        "http_one": one,
        "http_four_at_once": four,
        "goals": [
            goal(f"linktriage export of {count:,} comments (s)", cli_s, GOAL_EXPORT_S),
            goal(f"linktriage export of {count:,} comments, peak RSS (MB)", cli_rss, GOAL_EXPORT_CLI_RSS_MB),
            goal(f"GET /api/export.csv of {count:,} comments (s)", one["export_seconds"], GOAL_EXPORT_S),
            goal("helper RSS growth during an export (MB)", growth, GOAL_EXPORT_HELPER_GROWTH_MB),
            goal("slowest health check during four exports (s)", four["health_max_s"], GOAL_HEALTH_DURING_EXPORT_S),
        ],
    }


def describe_export(r: dict) -> list[str]:
    one, four = r["http_one"], r["http_four_at_once"]
    return [
        f"linktriage export, {r['comments']:,} comments ({r['csv_mb']} MB CSV): {r['cli']['seconds']} s, "
        f"peak RSS {r['cli']['peak_rss_mb']} MB",
        f"GET /api/export.csv: {one['export_seconds']} s; helper RSS {one['rss_start_mb']} -> peak {one['rss_peak_mb']} MB; "
        f"slowest health check {one['health_max_s']} s",
        f"four at once: statuses {four['statuses']}, {four['seconds']} s in all, helper peak RSS {four['rss_peak_mb']} MB, "
        f"slowest of {four['health_checks']} health checks {four['health_max_s']} s",
    ]
