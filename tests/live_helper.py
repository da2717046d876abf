"""A real `linktriage serve` on a free loopback port, for tests and the benchmark (tests/benchmarks) that
must see what a client sees (waitress's own answers, streaming, several writers at once, a browser).

- `HelperProcess`: start / stop `linktriage serve` for a data dir (again on the same port after a stop);
- `serve_helper(data_dir)`: the same as a `with` block;
- `LiveHelper`: a started helper, paired like the extension, with the dashboard's token at hand;
- `request`, `linktriage`: one HTTP call to a helper, one CLI run as a user would.

The one place that starts a helper: tests, browser tests (tests/browser/conftest.py) and the benchmark
all come here. Importable as `live_helper` with tests/ on sys.path (pytest puts it there; scripts/bench
sets PYTHONPATH).
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINKTRIAGE = [sys.executable, "-m", "helper"]
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


def request(port: int, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None,
            host: str | None = None, timeout: float = 60) -> Reply:
    """One HTTP call to the helper on 127.0.0.1:`port` (its own Host header unless `host`); `body` is JSON."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        all_headers = {"Host": host or f"127.0.0.1:{port}", **(headers or {})}
        if data is not None:
            all_headers.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=all_headers)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def linktriage(*args, data_dir, input=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (a subprocess); `input` is text for stdin."""
    return subprocess.run(
        [*LINKTRIAGE, *map(str, args), "--data-dir", str(data_dir)],
        input=input, capture_output=True, text=True, cwd=REPO, timeout=timeout, env=env,
    )


class HelperProcess:
    """`linktriage serve` for `data_dir` on `port` (a free one unless given). Its output is appended to
    `log` (default DATA_DIR/serve.log); `threads` and `env` go to the process as given (else serve's
    default and this process's environment); `args`: more options for serve (e.g. ["--operator", "Ana"])."""

    def __init__(self, data_dir: Path, port: int | None = None, *, log: Path | None = None,
                 threads: int | None = None, env: dict | None = None, args: list[str] | None = None):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.log = Path(log) if log else self.data_dir / "serve.log"
        self.threads = threads
        self.env = env
        self.args = list(args or [])
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def start(self, timeout: float = 60) -> "HelperProcess":
        """Start serve and return once it answers /api/health; RuntimeError (with its log) if it exits
        or does not answer within `timeout` seconds."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [*LINKTRIAGE, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)]
        if self.threads is not None:
            command += ["--threads", str(self.threads)]
        command += self.args
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"linktriage serve exited ({self.proc.returncode}): {self.log_text()}")
            try:
                reply = request(self.port, "GET", "/api/health", timeout=5)
                if reply.status == 200 and reply.json().get("app") == "linktriage":
                    return self
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"linktriage serve did not answer /api/health within {timeout} s: {self.log_text()}")

    def stop(self, timeout: float = 15) -> int | None:
        """Terminate (kill after `timeout` s) and return the exit status; nothing to do when not running."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def request(self, method: str, path: str, body=None, headers: dict | None = None, **kw) -> Reply:
        return request(self.port, method, path, body, headers, **kw)

    def cli(self, *args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run `linktriage ARGS --data-dir <this helper's dir>` and return the finished process."""
        return linktriage(*args, data_dir=self.data_dir, input=input, timeout=timeout, env=self.env)


@contextmanager
def serve_helper(data_dir: Path, **options):
    """A started `HelperProcess` (same options) for the block; stopped after it."""
    helper = HelperProcess(data_dir, **options).start()
    try:
        yield helper
    finally:
        helper.stop()


class LiveHelper(HelperProcess):
    """A started helper, paired as an extension (`extension` headers) and with the dashboard's token
    (`dashboard` headers). Its log sits beside the data dir."""

    def __init__(self, data_dir: Path, threads: int = 4, **options):
        data_dir = Path(data_dir)
        port = free_port()
        super().__init__(data_dir, port, log=data_dir.parent / f"serve-{port}.log", threads=threads, **options)
        self.start()
        self.ext_token = self.request("POST", "/api/pair", {}, {"Origin": EXTENSION}).json()["token"]
        self.dash_token = self.read_meta("dashboard_token")

    def read_meta(self, key: str) -> str | None:
        """A value of the helper's Meta table, read from its database (the SQLite file in its data dir,
        or the team database $LINKTRIAGE_DATABASE_URL names for it)."""
        import os

        from helper import store

        url = (self.env if self.env is not None else os.environ).get(store.DATABASE_ENV)
        db = store.open_db(url or store.db_path(self.data_dir))
        try:
            row = db.execute_sql(f"SELECT value FROM meta WHERE key = {db.param}", (key,)).fetchone()
        finally:
            db.close()
        return row[0] if row else None

    @property
    def extension(self) -> dict:
        return {"Origin": EXTENSION, "Authorization": f"Bearer {self.ext_token}"}

    @property
    def dashboard(self) -> dict:
        return {"Origin": f"http://127.0.0.1:{self.port}", "X-LinkTriage-Token": self.dash_token}

    def post_comments(self, comments: list, note: dict | None = None, **kw) -> Reply:
        payload = {"platform": "xhs", "note": note or {"id": "n1", "title": "笔记"}, "comments": comments}
        return self.request("POST", "/api/comments", payload, self.extension, **kw)

    def wait_for_model(self, timeout: float = 120) -> None:
        """Until the background warm-up has loaded the model (the first batch would wait for it)."""
        deadline = time.monotonic() + timeout
        while not self.request("GET", "/api/health").json()["model_loaded"]:
            if time.monotonic() > deadline:
                raise RuntimeError("the model did not load: " + self.log_text())
            time.sleep(0.1)
