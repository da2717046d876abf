"""The extension, loaded unpacked in Debian's Chromium, on our fixture Xiaohongshu, with a real helper.

Everything here is real: the extension's own code in the browser, `linktriage serve` over loopback HTTP,
the fixture pages served on the site's real URLs (context.route). What reaches the helper is read from
its SQLite database and from `linktriage export`.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from pathlib import Path

import pytest

from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


# ---- helpers -------------------------------------------------------------------------------------
def ext_id(context, timeout: float = 15_000) -> str:
    workers = context.service_workers
    worker = workers[0] if workers else context.wait_for_event("serviceworker", timeout=timeout)
    return worker.url.split("/")[2]


def set_port(context, port: int) -> str:
    """Point the extension at the test helper through its own options page."""
    eid = ext_id(context)
    page = context.new_page()
    page.goto(f"chrome-extension://{eid}/options/options.html")
    page.fill("#port", str(port))
    page.click("#save")
    page.wait_for_function("document.getElementById('message').textContent.length > 0")
    page.close()
    return eid


def stored_comments(helper) -> dict[str, dict]:
    """comment_id → row, straight from the helper's SQLite database."""
    path = helper.data_dir / "linktriage.sqlite3"
    if not path.exists():
        return {}
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute("SELECT * FROM comment").fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        pass
    con.close()
    return {r["comment_id"]: dict(r) for r in rows}


def wait_until(predicate, timeout: float = 60.0, interval: float = 0.25, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


def load_everything(page):
    """As a creator would: scroll the comment list to THE END and click every 展开."""
    for _ in range(60):
        more = page.locator(".show-more")
        if more.count():
            more.first.click()
            page.wait_for_timeout(150)
            continue
        if page.locator(".end-container:not([hidden])").count():
            return
        page.locator(".note-scroller").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(200)
    raise AssertionError("the fixture note never reached THE END")


def export_rows(helper, *args: str) -> list[dict]:
    proc = helper.cli("export", *args, "--out", "-")
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))


def assert_note_stored(helper, note: X.Note):
    rows = stored_comments(helper)
    for c in note.all_comments():
        assert c.id in rows, f"{c.id} {c.text!r} never reached the helper"
        row = rows[c.id]
        assert row["text"] == c.text
        assert row["note_id"] == note.id
        assert row["parent_id"] == c.parent_id
        assert row["author"] == c.nickname
        assert row["author_id"] == c.user_id
        assert bool(row["is_author"]) == c.is_author, c.text


@pytest.fixture
def browser(launch_chromium):
    context = launch_chromium(extension=True)
    site = FixtureSite().install(context)
    return context, site


# ---- tests ---------------------------------------------------------------------------------------
def test_note_comments_reach_helper_and_requests_are_badged(browser, helper_server, tmp_path):
    context, site = browser
    catalog = tmp_path / "products.csv"
    catalog.write_text(X.PRODUCTS_CSV, encoding="utf-8")
    assert helper_server.cli("products", "import", str(catalog)).returncode == 0
    set_port(context, helper_server.port)

    page = context.new_page()
    page.goto(site.note_url(X.NOTE_A_ID))
    load_everything(page)
    note = X.NOTE_A
    wait_until(lambda: len(stored_comments(helper_server)) >= len(note.all_comments()), message="all comments stored")
    assert_note_stored(helper_server, note)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(tmp_path / "shot.png"))
    print(tmp_path / "shot.png")
