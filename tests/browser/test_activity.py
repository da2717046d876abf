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
