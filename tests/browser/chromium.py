"""How we start Debian's Chromium for tests and benchmarks (Playwright cannot download browsers here)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "extension"
CHROMIUM = os.environ.get("LINKTRIAGE_CHROMIUM", "/usr/bin/chromium")


def chromium_args(extension_dir: Path | None) -> list[str]:
    """--headless=new (the old headless mode cannot load extensions); no background network chatter
    (this machine's closed network refuses it, noisily); --no-sandbox because tests run as root."""
    args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=zh-CN",
    ]
    if extension_dir is not None:
        args += [f"--disable-extensions-except={extension_dir}", f"--load-extension={extension_dir}"]
    return args


def launch(playwright, profile: Path, extension: bool = True, **kwargs):
    """A persistent context (extensions need one) on Debian's Chromium."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=False,  # --headless=new is in the args
        args=chromium_args(EXTENSION_DIR if extension else None),
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
        **kwargs,
    )


def extension_id(context, timeout: float = 15_000) -> str:
    """The unpacked extension's id, read from its service worker's URL."""
    workers = context.service_workers
    worker = workers[0] if workers else context.wait_for_event("serviceworker", timeout=timeout)
    return worker.url.split("/")[2]


def point_extension_at(context, port: int) -> str:
    """Point the extension at a helper on `port` through its own options page; returns its id."""
    eid = extension_id(context)
    page = context.new_page()
    page.goto(f"chrome-extension://{eid}/options/options.html")
    page.fill("#port", str(port))
    page.click("#save")
    # A selector wait, not wait_for_function: the options page's CSP blocks the polling function Playwright
    # injects when the message is not there at once (seen under load).
    page.wait_for_selector("#message:not(:empty)")
    page.close()
    return eid
