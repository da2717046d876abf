"""Talk to a real `linktriage serve` over loopback HTTP as the extension does: pair, ingest; its resident memory."""

from __future__ import annotations

import http.client
import json
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from live_helper import serve_helper

BENCH_ORIGIN = "chrome-extension://linktriagebenchmarkaaaaaaaaaaaa"


@contextmanager
def running_helper():
    """`linktriage serve` on a free port with a throwaway data dir; yield (port, pid)."""
    with tempfile.TemporaryDirectory(prefix="linktriage-bench-") as data_dir:
        with serve_helper(Path(data_dir)) as helper:
            yield helper.port, helper.pid


class HelperClient:
    """One keep-alive connection, paired like the extension pairs."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.token = self._pair()

    def request(self, method: str, path: str, body: dict | None, auth: bool = True) -> tuple[int, dict]:
        headers = {"Origin": BENCH_ORIGIN, "Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        self.conn.request(method, path, body=payload, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, (json.loads(data) if data else {})

    def _pair(self) -> str:
        status, body = self.request("POST", "/api/pair", {"name": "linktriage bench"}, auth=False)
        if status != 200 or "token" not in body:
            raise RuntimeError(f"pairing failed: {status} {body}")
        return body["token"]

    def ingest(self, note_id: str, comments: list[dict]) -> dict:
        status, body = self.request(
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
