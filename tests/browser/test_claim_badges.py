"""Claims in the dashboard (team mode, issue 14), in Debian's Chromium against two real helpers
(`linktriage serve --operator Ana` / `--operator Bo`) on one database: Bo opening a request claims it,
a request Ana holds says "Ana is on it" and Bo cannot answer it, the inbox's default view leaves it out."""

from __future__ import annotations

import json
import os
import time
import urllib.error

import pytest
from test_dashboard import Api, open_view, seed_files

from helper import store
from live_helper import HelperProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def ana_and_bo(tmp_path):
    env = {**os.environ, store.DATABASE_ENV: f"sqlite:///{tmp_path / 'team.sqlite3'}"}
    ana = HelperProcess(tmp_path / "ana", env=env, args=["--operator", "Ana"])
    bo = HelperProcess(tmp_path / "bo", env=env, args=["--operator", "Bo"])
    try:
        ana.start()
        bo.start()
        comments, catalog = seed_files(tmp_path)
        for args in (("products", "import", str(catalog)), ("ingest", str(comments))):
            done = ana.cli(*args)
            assert done.returncode == 0, done.stderr
        yield ana, bo
    finally:
        ana.stop()
        bo.stop()


def _claim(api, cid):
    """POST the claim; (status, body) also for a 409."""
    try:
        return 200, api.call("POST", f"/api/comments/{cid}/claim", {})
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def _until(check, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_request_another_operator_holds_says_so_and_cannot_be_answered(ana_and_bo, launch_chromium):
    ana, bo = ana_and_bo
    as_ana, as_bo = Api(ana), Api(bo)
    requests = [c["id"] for c in as_bo.get("/api/requests?status=new")["items"]]
    assert len(requests) >= 3

    page = launch_chromium(extension=False).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_view(page, bo, "inbox")
    page.wait_for_selector('#live-indicator[data-state="live"]')
    # The row Bo is on (the first one, focused when the inbox is read) is the one Ana takes.
    held = page.locator("#view-inbox .row.focused").get_attribute("data-id")
    mine = next(cid for cid in requests if cid != held)
    row = page.locator(f'#view-inbox .row[data-id="{held}"]')
    refreshes = int(page.evaluate("() => document.body.dataset.liveRefreshes || 0"))
    loads = int(page.locator("#view-inbox").get_attribute("data-loads") or 0)

    # Ana opens it in her dashboard after Bo's page was read. The live update re-reads Bo's inbox (whose
    # default view leaves out what others hold): the row he is on stays, saying who is on it -- it is not
    # pulled from under him (the test waits for that re-read instead of racing it).
    assert _claim(as_ana, held)[0] == 200
    page.wait_for_function("n => +(document.body.dataset.liveRefreshes || 0) > n", arg=refreshes)
    page.wait_for_function("n => +document.querySelector('#view-inbox').dataset.loads > n", arg=loads)
    page.wait_for_selector(f'#view-inbox .row.held[data-id="{held}"] .chip-claimed')
    assert row.locator(".chip-claimed").inner_text() in ("Ana 正在处理", "Ana is on it")
    # Bo opening it learns who is on it from the helper too.
    row.locator(".comment-text").click()
    page.wait_for_selector(f'#view-inbox .row.held[data-id="{held}"] .chip-claimed')
    assert row.locator(".chip-claimed").inner_text() in ("Ana 正在处理", "Ana is on it")
    page.wait_for_function("() => document.querySelector('#toast .toast-text')?.textContent.startsWith('Ana')")
    # Bo cannot answer it: a clear message, nothing stored, the row stays.
    page.evaluate("() => { document.querySelector('#toast .toast-text').textContent = ''; }")
    row.locator('[data-action="replied"]').click()
    page.wait_for_function("() => document.querySelector('#toast .toast-text')?.textContent.startsWith('Ana')")
    assert as_bo.comment(held)["status"] == "new" and as_bo.comment(held)["claimed_by"] == "Ana"
    assert row.count() == 1

    # Opening another request claims it for Bo; Ana's helper then answers 409 with his name.
    page.locator(f'#view-inbox .row[data-id="{mine}"] .comment-text').click()
    _until(lambda: as_ana.comment(mine)["claimed_by"] == "Bo", "Bo's claim on opening the row")
    status, body = _claim(as_ana, mine)
    assert status == 409 and body["claimed_by"] == "Bo"
    # He answers it: the status change ends his claim.
    page.locator(f'#view-inbox .row[data-id="{mine}"] [data-action="replied"]').click()
    _until(lambda: as_ana.comment(mine)["status"] == "replied", "Bo's reply stored")
    assert as_ana.comment(mine)["claimed_by"] is None

    # Read again: the default view leaves Ana's request out; "all" shows it, marked.
    page.reload()
    page.wait_for_selector("#view-inbox .row")
    assert page.locator(f'#view-inbox .row[data-id="{held}"]').count() == 0
    page.click('#view-inbox [data-list-view="all"]')
    page.wait_for_selector(f'#view-inbox .row.held[data-id="{held}"] .chip-claimed')
    assert errors == []
