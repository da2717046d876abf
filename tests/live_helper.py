"""A real `linktriage serve` on a free loopback port, for tests that must see what a client sees
(waitress's own answers, streaming, several writers at once). Importable by any test module."""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXTENSION = "chrome-extension://hostiletestextensionaaaaaaaaaaaa"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<Reply {self.status} {self.body[:300]!r}>"


class LiveHelper:
    def __init__(self, data_dir: Path, threads: int = 4):
        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.log = self.data_dir.parent / f"serve-{self.port}.log"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "helper", "serve", "--port", str(self.port), "--data-dir", str(self.data_dir),
                 "--threads", str(threads)],
                stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
            )
        self._wait_healthy()
        self.ext_token = self.request("POST", "/api/pair", {}, {"Origin": EXTENSION}).json()["token"]
        with sqlite3.connect(self.data_dir / "linktriage.sqlite3") as conn:
            self.dash_token = conn.execute("SELECT value FROM meta WHERE key = 'dashboard_token'").fetchone()[0]

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("serve exited: " + self.log.read_text())
            try:
                if self.request("GET", "/api/health").status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("serve did not come up: " + self.log.read_text())

    @property
    def extension(self) -> dict:
        return {"Origin": EXTENSION, "Authorization": f"Bearer {self.ext_token}"}

    @property
    def dashboard(self) -> dict:
        return {"Origin": f"http://127.0.0.1:{self.port}", "X-LinkTriage-Token": self.dash_token}

    def request(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None,
                timeout: float = 60) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
            all_headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if data is not None:
                all_headers.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=data, headers=all_headers)
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    def post_comments(self, comments: list, note: dict | None = None, **kw) -> Reply:
        payload = {"platform": "xhs", "note": note or {"id": "n1", "title": "笔记"}, "comments": comments}
        return self.request("POST", "/api/comments", payload, self.extension, **kw)

    def wait_for_model(self, timeout: float = 120) -> None:
        """Until the background warm-up has loaded the model (the first batch would wait for it)."""
        deadline = time.monotonic() + timeout
        while not self.request("GET", "/api/health").json()["model_loaded"]:
            if time.monotonic() > deadline:
                raise RuntimeError("the model did not load: " + self.log.read_text())
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def linktriage(*args, data_dir, input=None, timeout=300) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (a subprocess); `input` is text for stdin."""
    return subprocess.run(
        [sys.executable, "-m", "helper", *map(str, args), "--data-dir", str(data_dir)],
        input=input, capture_output=True, text=True, cwd=REPO, timeout=timeout,
    )
