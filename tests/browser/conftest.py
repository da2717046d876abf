"""Shared fixtures for browser tests: a real `linktriage serve` and Debian's Chromium.

Chromium is driven by Python Playwright with `executable_path` (Playwright cannot download its own
browsers here). Extensions need a persistent context and the new headless mode.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from chromium import CHROMIUM, EXTENSION_DIR, REPO
from chromium import launch as launch_context
LINKTRIAGE = [sys.executable, "-m", "helper"]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class HelperServer:
    """A `linktriage serve` subprocess on a free loopback port with its own data dir."""

    port: int
    data_dir: Path
    proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "HelperServer":
        log = open(self.data_dir / "serve.log", "ab")
        self.proc = subprocess.Popen(
            [*LINKTRIAGE, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"linktriage serve exited: {(self.data_dir / 'serve.log').read_text()}")
            try:
                with urllib.request.urlopen(self.base_url + "/api/health", timeout=1) as r:
                    if json.load(r).get("app") == "linktriage":
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise RuntimeError("linktriage serve did not answer /api/health in time")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """Run `linktriage ARGS --data-dir <this server's dir>` and return the finished process."""
        return subprocess.run(
            [*LINKTRIAGE, *args, "--data-dir", str(self.data_dir)],
            input=input,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )


@pytest.fixture
def helper_server(tmp_path):
    """A running helper; `helper_server.stop()` / `.start()` may be called by the test (same port)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = HelperServer(port=free_port(), data_dir=data_dir).start()
    yield server
    server.stop()


@pytest.fixture
def helper_server_factory(tmp_path):
    """Make a HelperServer without starting it (for tests that browse while the helper is down)."""
    made: list[HelperServer] = []

    def make() -> HelperServer:
        data_dir = tmp_path / f"data{len(made)}"
        data_dir.mkdir()
        server = HelperServer(port=free_port(), data_dir=data_dir)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def launch_chromium(playwright_instance, tmp_path):
    """launch_chromium(extension=True) -> a persistent BrowserContext (closed after the test).

    Each call gets a fresh profile unless `profile` is given (reuse it to simulate a browser restart).
    """
    contexts = []

    def launch(extension: bool = True, profile: Path | None = None, **kwargs):
        profile = profile or tmp_path / f"profile{len(contexts)}"
        context = launch_context(playwright_instance, profile, extension=extension, **kwargs)
        contexts.append(context)
        return context

    yield launch
    for context in contexts:
        try:
            context.close()
        except Exception:  # already closed by the test
            pass


@pytest.fixture(scope="session", autouse=True)
def _keep_repo_clean():
    # Chromium may write a *.pem / _metadata into an unpacked extension dir; make sure it does not.
    yield
    for junk in ("_metadata",):
        path = EXTENSION_DIR / junk
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
