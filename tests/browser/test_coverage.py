"""Coverage you can see (issue 16, item 2): per note, comments captured vs the note's own count and the
threads whose replies are not loaded yet — in the popup and from the helper's GET /api/coverage."""

from __future__ import annotations

import json
import urllib.request

import pytest

from chromium import point_extension_at
from fixtures import xhs_data as X
from test_extension import browser, load_everything, open_popup, stored_comments, wait_until  # noqa: F401

pytestmark = pytest.mark.browser


def helper_coverage(helper, extension_headers=None) -> dict:
    """GET /api/coverage as the dashboard does (its token)."""
    from test_extension import dashboard_headers

    request = urllib.request.Request(f"{helper.base_url}/api/coverage?note_id={X.NOTE_A_ID}", headers=dashboard_headers(helper))
    with urllib.request.urlopen(request, timeout=10) as r:
        items = json.load(r)["items"]
    return items[0] if items else {}


def test_coverage_of_a_note_with_threads_not_expanded(browser, helper_server):
    context, site = browser
    point_extension_at(context, helper_server.port)
    note = X.NOTE_A
    page = context.new_page()
    page.goto(site.note_url(note.id))
    first = [t for t in note.threads[: X.PAGE_SIZE]]
    shown = [c for t in first for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]]
    not_expanded = sum(1 for t in first if len(t.replies) > X.EMBEDDED_REPLIES)
    total = len(note.all_comments())
    assert not_expanded >= 1
    wait_until(lambda: {c.id for c in shown} <= set(stored_comments(helper_server)), timeout=30, message="first page stored", page=page)

    page.bring_to_front()
    popup = open_popup(context)
    want = f"已读取 {len(shown)} / {total} 条评论 · {not_expanded} 个楼层的回复还没展开：滚动并点「展开」加载"
    wait_until(lambda: popup.inner_text("#coverage") == want, timeout=20, message=want, page=popup)
    cov = helper_coverage(helper_server)
    assert (cov["captured"], cov["comment_count"], cov["missing"], cov["unexpanded_threads"]) == (len(shown), total, total - len(shown), not_expanded)
    assert cov["url"].startswith(f"https://www.xiaohongshu.com/explore/{note.id}?xsec_token=fixture")
    popup.close()

    # The dashboard says the same, with a link that opens the note.
    dashboard = context.new_page()
    dashboard.goto(f"{helper_server.base_url}/#coverage")
    row = dashboard.locator(f'.coverage-table tr[data-note-id="{note.id}"]')
    row.wait_for()
    assert row.locator(".coverage-state").inner_text() == (
        f"已读取 {len(shown)} / {total} 条评论 · {not_expanded} 个楼层的回复还没展开：滚动并点「展开」加载")
    assert row.locator("a").inner_text() == note.title
    assert row.locator("a").get_attribute("href") == cov["url"]
    dashboard.close()

    # The creator scrolls to the end and clicks every 展开: all captured, nothing left to expand.
    page.bring_to_front()
    load_everything(page)
    wait_until(lambda: len(stored_comments(helper_server)) == total, timeout=30, message="everything stored", page=page)
    popup = open_popup(context)
    want = f"已读取 {total} / {total} 条评论"
    wait_until(lambda: popup.inner_text("#coverage") == want, timeout=20, message=want, page=popup)
    wait_until(lambda: helper_coverage(helper_server)["unexpanded_threads"] == 0, timeout=20, message="helper: none unexpanded", page=page)
    assert helper_coverage(helper_server)["missing"] == 0
