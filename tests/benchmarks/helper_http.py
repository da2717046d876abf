"""Measure a real `linktriage serve` over loopback HTTP: ingest latency and resident memory."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BENCH_ORIGIN = "chrome-extension://linktriagebenchmarkaaaaaaaaaaaa"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_helper():
    """Start `linktriage serve` on a free port with a throwaway data dir; yield (port, pid)."""
    with tempfile.TemporaryDirectory(prefix="linktriage-bench-") as data_dir:
        with serve_helper(Path(data_dir)) as (port, proc):
            yield port, proc.pid


@contextmanager
def serve_helper(data_dir: Path, env: dict | None = None, log_dir: Path | None = None, cwd=None):
    """Run `linktriage serve` on a free port for `data_dir` until the block ends; yield (port, process).

    Its output goes to serve.log in `log_dir` (default: the data dir)."""
    port = _free_port()
    log = open(Path(log_dir or data_dir) / "serve.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "helper", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
    )
    try:
        _wait_healthy(port, proc)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("linktriage serve exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("linktriage serve did not come up")


class HelperClient:
    """One keep-alive connection, paired like the extension pairs."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.token = self._pair()

    def _request(self, method: str, path: str, body: dict | None, auth: bool = True) -> tuple[int, dict]:
        headers = {"Origin": BENCH_ORIGIN, "Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        self.conn.request(method, path, body=payload, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, (json.loads(data) if data else {})

    def _pair(self) -> str:
        status, body = self._request("POST", "/api/pair", {"name": "linktriage bench"}, auth=False)
        if status != 200 or "token" not in body:
            raise RuntimeError(f"pairing failed: {status} {body}")
        return body["token"]

    def ingest(self, note_id: str, comments: list[dict]) -> dict:
        status, body = self._request(
            "POST",
            "/api/comments",
            {"platform": "xhs", "note": {"id": note_id, "title": "bench note"}, "comments": comments},
        )
        if status != 200:
            raise RuntimeError(f"ingest failed: {status} {body}")
        return body


def make_comments(texts: list[str], start: int, count: int, note_id: str) -> list[dict]:
    """`count` comments with fresh ids, texts cycling through `texts`."""
    now_ms = int(time.time() * 1000)
    return [
        {
            "id": f"bench{start + i:09d}",
            "note_id": note_id,
            "text": texts[(start + i) % len(texts)],
            "author": f"用户{(start + i) % 997}",
            "author_id": f"u{(start + i) % 997}",
            "created_at": now_ms - i * 1000,
        }
        for i in range(count)
    ]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")
