"""The Activity tab (team mode, issue 14), in Debian's Chromium against two real helpers on one database:
Ana's (`--operator Ana`, the first: owner) and Bo's (`--operator Bo`: agent). Bo answers a request in his
dashboard; Ana's Activity shows it (who, what, the comment's text as text), filters by operator and action,
and lets her, the owner, make Bo a viewer, after which his helper refuses his changes."""

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

SCREENSHOT = "/tmp/linktriage-dashboard-activity.png"


@pytest.fixture
def ana_and_bo(tmp_path):
    env = {**os.environ, store.DATABASE_ENV: f"sqlite:///{tmp_path / 'team.sqlite3'}"}
    ana = HelperProcess(tmp_path / "ana", env=env, args=["--operator", "Ana"])
    bo = HelperProcess(tmp_path / "bo", env=env, args=["--operator", "Bo"])
    try:
        ana.start()  # first on the database: its owner
        bo.start()
        comments, catalog = seed_files(tmp_path)
        for args in (("products", "import", str(catalog)), ("ingest", str(comments))):
            done = ana.cli(*args)
            assert done.returncode == 0, done.stderr
        yield ana, bo
    finally:
        ana.stop()
        bo.stop()


def _status(api, cid, status):
    """PATCH a status; (HTTP status, body) also for a refusal."""
    try:
        return 200, api.call("PATCH", f"/api/comments/{cid}", {"status": status})
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_an_agents_change_shows_in_the_owners_activity(ana_and_bo, launch_chromium):
    ana, bo = ana_and_bo
    as_ana, as_bo = Api(ana), Api(bo)
    hostile = "c06"  # its text is HTML: it must show as text
    assert as_bo.comment(hostile)["is_request"] and as_bo.comment(hostile)["status"] == "new"
    context = launch_chromium(extension=False)
    errors = []

    # Bo answers the request in his dashboard.
    bo_page = context.new_page()
    bo_page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_view(bo_page, bo, "inbox")
    bo_page.locator(f'#view-inbox .row[data-id="{hostile}"] [data-action="replied"]').click()
    deadline = time.monotonic() + 10
    while as_ana.comment(hostile)["status"] != "replied":  # the dashboard sends it as the row leaves
        assert time.monotonic() < deadline, "Bo's reply was not stored"
        time.sleep(0.05)

    # Ana's Activity shows it: Bo, new -> replied, the comment's text as text.
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{ana.base_url}/#activity")
    row = page.locator(f'#view-activity tr[data-action="status"]').first
    row.wait_for()
    assert row.locator(".activity-operator").inner_text() == "Bo"
    assert row.locator(".activity-summary").inner_text() in ("待处理 → 已回复", "New → Replied")
    text = as_ana.comment(hostile)["text"]
    assert row.locator(".activity-text").inner_text() == text
    assert page.locator("#view-activity img, #view-activity script").count() == 0
    assert page.evaluate("() => window.__pwned") is None

    # The operator and action filters.
    page.select_option('#view-activity select[data-filter="action"]', "role")
    page.wait_for_function("() => [...document.querySelectorAll('#view-activity tbody tr[data-action]')].every(r => r.dataset.action === 'role')")
    page.select_option('#view-activity select[data-filter="action"]', "")
    page.select_option('#view-activity select[data-filter="operator"]', "Bo")
    page.wait_for_function("() => [...document.querySelectorAll('#view-activity .activity-table tbody tr')].every(r => r.querySelector('.activity-operator').textContent === 'Bo')")
    assert page.locator('#view-activity .activity-table tbody tr[data-action="status"]').count() == 1

    # Ana is the owner: the roles list lets her make Bo a viewer; his helper then refuses his changes.
    bo_role = page.locator('#view-activity .roles-table select[data-operator="Bo"]')
    assert bo_role.input_value() == "agent"
    page.screenshot(path=SCREENSHOT, full_page=True)
    bo_role.select_option("viewer")
    page.wait_for_function("() => document.querySelector('#view-activity .roles-table select[data-operator=\"Bo\"]')?.value === 'viewer'")
    refused = _status(as_bo, "c01", "replied")
    assert refused[0] == 403 and refused[1]["needed"] == "agent"
    # Bo's own Activity says who he is, and shows him no roles to change.
    open_view(bo_page, bo, "activity", rows=False)
    bo_page.wait_for_selector('#view-activity .roles [data-me-role="viewer"]')
    assert bo_page.locator("#view-activity .roles-table").count() == 0
    assert errors == []


def test_new_events_come_live_on_top_and_the_pages_loaded_stay(ana_and_bo, launch_chromium):
    # Ana reads two pages of her Activity; Bo answers a request meanwhile: the event shows at the top by itself
    # (GET /api/audit?after=), every row she had loaded stays, in order, and "more" still goes on below.
    ana, bo = ana_and_bo
    as_ana, as_bo = Api(ana), Api(bo)
    requests = [c["id"] for c in as_bo.get("/api/requests?status=new")["items"]]
    claims = 0
    while claims < 110:  # more events than two pages (50 each): claims and releases of Bo
        for cid in requests:
            as_bo.call("POST", f"/api/comments/{cid}/claim", {})
            as_bo.call("DELETE", f"/api/comments/{cid}/claim")
            claims += 2
    page = launch_chromium(extension=False).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{ana.base_url}/#activity")
    page.wait_for_selector('#live-indicator[data-state="live"]')
    rows = page.locator("#view-activity .activity-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 50
    page.click("#view-activity .activity-more")
    page.wait_for_function("() => document.querySelectorAll('#view-activity .activity-table tbody tr').length == 100")
    loaded = rows.evaluate_all("rows => rows.map(r => +r.dataset.eventId)")
    assert len(loaded) == len(set(loaded)) == 100 and loaded == sorted(loaded, reverse=True)

    target = requests[0]
    assert _status(as_bo, target, "replied")[0] == 200
    page.wait_for_function("() => +(document.querySelector('#view-activity').dataset.liveAdded || 0) >= 1")
    shown = rows.evaluate_all("rows => rows.map(r => +r.dataset.eventId)")
    assert shown[1:] == loaded and shown[0] > loaded[0]  # on top; every row loaded before is still there
    top = rows.first
    assert top.get_attribute("data-action") == "status" and top.locator(".activity-operator").inner_text() == "Bo"
    assert top.locator(".activity-summary").inner_text() in ("待处理 → 已回复", "New → Replied")
    # The older pages still follow the ones loaded.
    page.click("#view-activity .activity-more")
    page.wait_for_function("n => document.querySelectorAll('#view-activity .activity-table tbody tr').length > n",
                           arg=len(shown))
    after = rows.evaluate_all("rows => rows.map(r => +r.dataset.eventId)")
    assert after[: len(shown)] == shown and after == sorted(after, reverse=True)
    assert errors == []
