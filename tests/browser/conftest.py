"""Shared fixtures for browser tests: a real `linktriage serve` and Debian's Chromium.

Chromium is driven by Python Playwright with `executable_path` (Playwright cannot download its own
browsers here). Extensions need a persistent context and the new headless mode.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chromium import CHROMIUM, EXTENSION_DIR
from chromium import launch as launch_context
from live_helper import HelperProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def helper_server(tmp_path):
    """A running helper; `helper_server.stop()` / `.start()` may be called by the test (same port)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = HelperProcess(data_dir).start()
    yield server
    server.stop()


@pytest.fixture
def helper_server_factory(tmp_path):
    """Make a HelperProcess without starting it (for tests that browse while the helper is down)."""
    made: list[HelperProcess] = []

    def make() -> HelperProcess:
        data_dir = tmp_path / f"data{len(made)}"
        data_dir.mkdir()
        server = HelperProcess(data_dir)
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
