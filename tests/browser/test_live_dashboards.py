"""Live updates in the dashboard (team mode, issue 14), in Debian's Chromium against two real helpers
(`linktriage serve --operator Ana` / `--operator Bo`) on one real PostgreSQL database: Ana marks a request
replied in her dashboard and it leaves Bo's open inbox within 2 s, without a reload, while Bo's focus
stays on the row he is on; comments the CLI stores show up in both; the "live" indicator says so."""

from __future__ import annotations

import json
import os
import time

import pytest
from test_dashboard import Api, open_view, row_ids, seed_files

from helper import store
from live_helper import HelperProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def ana_and_bo(tmp_path, pg_database):
    env = {**os.environ, store.DATABASE_ENV: pg_database}
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


def _live_page(context, server):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    open_view(page, server, "inbox")
    page.wait_for_selector('#live-indicator[data-state="live"]')
    page.evaluate("() => { window.notReloaded = true; }")
    return page


def test_a_change_in_one_dashboard_shows_in_the_other_without_a_reload(ana_and_bo, launch_chromium, tmp_path):
    ana, bo = ana_and_bo
    as_ana = Api(ana)
    context = launch_chromium(extension=False)
    page_ana, page_bo = _live_page(context, ana), _live_page(context, bo)
    shown = row_ids(page_bo)
    assert len(shown) >= 3 and row_ids(page_ana) == shown
    kept, answered = shown[1], shown[2]

    # Bo is on a row (opening it claims it for him).
    page_bo.locator(f'#view-inbox .row[data-id="{kept}"] .comment-text').click()
    page_bo.wait_for_selector(f'#view-inbox .row.focused[data-id="{kept}"]')

    # Ana answers another one in her dashboard.
    page_ana.locator(f'#view-inbox .row[data-id="{answered}"] [data-action="replied"]').click()
    deadline = time.monotonic() + 10
    while as_ana.comment(answered)["status"] != "replied":
        assert time.monotonic() < deadline, "Ana's reply was not stored"
        time.sleep(0.02)
    stored_at = time.monotonic()
    # Bo's inbox (view "new") drops it by itself, within 2 s of it being stored.
    page_bo.wait_for_selector(f'#view-inbox .row[data-id="{answered}"]', state="detached", timeout=2000)
    assert time.monotonic() - stored_at < 2.0
    assert page_bo.evaluate("() => window.notReloaded === true")
    assert page_bo.locator("#view-inbox .row.focused").get_attribute("data-id") == kept  # still on his row
    assert int(page_bo.evaluate("() => document.body.dataset.liveRefreshes || 0")) >= 1
    # Ana's own claim-free change reached her dashboard too (the same row left her "new" view).
    page_ana.wait_for_selector(f'#view-inbox .row[data-id="{answered}"]', state="detached")

    # Comments the CLI stores (another process, the same team database) appear in both.
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text(json.dumps({"id": "live-new-1", "note_id": "n1", "text": "求链接，刚看到这个笔记",
                                 "author": "新买家", "author_id": "ulive1",
                                 "created_at": "2030-01-01T00:00:00+00:00"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    done = ana.cli("ingest", str(fresh))
    assert done.returncode == 0, done.stderr
    for page in (page_bo, page_ana):
        page.wait_for_selector('#view-inbox .row[data-id="live-new-1"]', timeout=5000)
        assert page.evaluate("() => window.notReloaded === true")
    assert page_bo.locator("#view-inbox .row.focused").get_attribute("data-id") == kept
    assert page_bo.locator("#live-indicator").inner_text() in ("实时", "Live")
    assert page_ana.errors == [] and page_bo.errors == []


def test_the_indicator_says_when_the_stream_is_down_and_comes_back(helper_server, launch_chromium):
    """A lone creator's SQLite helper: live too; stopped, the page says it is not live and keeps working;
    started again (same port), the page is live again by itself."""
    page = launch_chromium(extension=False).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_view(page, helper_server, "inbox", rows=False)
    page.wait_for_selector('#live-indicator[data-state="live"]')
    helper_server.stop()
    page.wait_for_selector('#live-indicator[data-state="off"]', timeout=10000)
    helper_server.start()
    page.wait_for_selector('#live-indicator[data-state="live"]', timeout=20000)
    assert errors == []
