"""The popup tells the truth (issue 16, item 9): after a 500, a revoke and a drain, while it stays open.

A real helper behind a loopback proxy that can answer deliveries with 500 (helper_proxy.py). The popup is
never reloaded here: what it shows must follow by itself.
"""

from __future__ import annotations

import pytest

from chromium import point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite
from helper_proxy import HelperProxy
from test_extension import dashboard_headers, helper_http, load_everything, open_popup, stored_comments, wait_until

pytestmark = pytest.mark.browser


def shows(popup, selector: str, predicate, message: str, timeout: float = 20):
    return wait_until(lambda: predicate(popup.inner_text(selector)), timeout=timeout, message=message, page=popup)


def state_of(popup) -> str:
    return popup.get_attribute("#status", "data-state")


def test_popup_after_a_500_a_drain_a_revoke_and_offline(launch_chromium, helper_server):
    proxy = HelperProxy(helper_server.port)
    try:
        proxy.fail_comments = True  # the helper answers its health check but 500 to every delivery
        context = launch_chromium(extension=True)
        site = FixtureSite().install(context)
        point_extension_at(context, proxy.port)
        note = X.NOTE_B
        page = context.new_page()
        page.goto(site.note_url(note.id))
        first = [c for t in note.threads[: X.PAGE_SIZE] for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]]
        wait_until(lambda: proxy.posted_batches, timeout=20, message="a delivery tried", page=page)
        page.bring_to_front()
        popup = open_popup(context)

        # A 500: not "connected", and it says why.
        wait_until(lambda: state_of(popup) == "error", timeout=20, message="error state", page=popup)
        assert "500" in popup.inner_text("#status")
        assert "已连接" not in popup.inner_text("#status")
        assert popup.inner_text("#queued") == str(len(first))

        # The helper is fixed, except for one comment it cannot take: the popup follows without a reload.
        bad = note.threads[1]
        proxy.poison = {bad.id}
        proxy.fail_comments = False
        wait_until(lambda: state_of(popup) == "paired", timeout=30, message="connected again", page=popup)
        shows(popup, "#queued", lambda v: v == "0", "the queue drained (shown live)")
        assert {c.id for c in first} - {bad.id} <= set(stored_comments(helper_server))
        # The item set aside is visible, with its reason, and can be cleared.
        wait_until(lambda: popup.is_visible("#rejected"), timeout=10, message="set-aside list", page=popup)
        assert popup.inner_text("#rejected-text").startswith("1 条被搁置")
        popup.click("#rejected summary")
        listed = popup.inner_text("#rejected-list")
        assert bad.text in listed and "500" in listed
        popup.click("#clear-rejected")
        wait_until(lambda: not popup.is_visible("#rejected"), timeout=10, message="set-aside list cleared", page=popup)
        # Known counts for the note once connected.
        shows(popup, "#note-counts", lambda v: "条求链接" in v and "未知" not in v, "request count from the helper")

        # Revoked on the dashboard: the open popup stops saying "connected".
        status, _ = helper_http(helper_server, "POST", "/api/pairing/revoke", {}, dashboard_headers(helper_server))
        assert status == 200
        wait_until(lambda: state_of(popup) == "pairing-refused", timeout=20, message="pairing refused after the revoke", page=popup)

        # Offline: what cannot be known is shown as unknown, and "Send now" says what happened.
        proxy.down = True
        wait_until(lambda: state_of(popup) == "offline", timeout=20, message="offline", page=popup)
        page.bring_to_front()
        load_everything(page)
        shows(popup, "#queued", lambda v: v not in ("0", "…"), "more comments waiting")
        shows(popup, "#note-counts", lambda v: "未知" in v or "才知道" in v, "requests unknown while offline")
        popup.click("#retry")
        shows(popup, "#retry-result", lambda v: v.startswith("未发送"), "Send now feedback")
    finally:
        proxy.close()
