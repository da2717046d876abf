"""A viewer's extension stays paired (issue 14, team mode): in Debian's Chromium with the extension loaded
unpacked on the fixture Xiaohongshu (routed pages), against a real helper run as a viewer (`linktriage serve
--operator Vi`, made a viewer with `linktriage operators set-role`). Her captures are stored; "Mark replied"
is refused for her role (403 reason role): the pairing and its token stay, the status is dropped from the
queue, the chip and the popup say "Your role (viewer) cannot change statuses"; the one-click reply is not
filled and says why; later captures still arrive."""

from __future__ import annotations

import os

import pytest
from chromium import point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite
from test_dashboard import Api
from test_extension import badge_action, badge_text, badged_ids, by_text, load_everything, open_popup, wait_until

from helper import store
from live_helper import HelperProcess

pytestmark = pytest.mark.browser

CANNOT_STATUS = ("Your role (viewer) cannot change statuses", "你的角色（查看者）不能更改状态")
CANNOT_FILL = ("Your role (viewer) cannot fill replies", "你的角色（查看者）不能填入回复")


@pytest.fixture
def viewer(tmp_path):
    """Vi's helper on a team database whose owner is Ana; Vi is a viewer (set on the command line)."""
    env = {**os.environ, store.DATABASE_ENV: f"sqlite:///{tmp_path / 'team.sqlite3'}"}
    vi = HelperProcess(tmp_path / "vi", env=env, args=["--operator", "Vi"])
    try:
        for name, role in (("Ana", "owner"), ("Vi", "viewer")):
            done = vi.cli("operators", "set-role", name, role)
            assert done.returncode == 0, done.stderr
        catalog = tmp_path / "products.csv"
        catalog.write_text(X.PRODUCTS_CSV, encoding="utf-8")
        done = vi.cli("products", "import", str(catalog))
        assert done.returncode == 0, done.stderr
        vi.start()
        yield vi
    finally:
        vi.stop()


def test_a_viewers_refused_triage_keeps_the_pairing_and_says_why(viewer, launch_chromium):
    context = launch_chromium(extension=True)
    site = FixtureSite().install(context)
    point_extension_at(context, viewer.port)
    api = Api(viewer)
    assert api.get("/api/operators")["me"] == {"name": "Vi", "role": "viewer"}

    note = X.NOTE_A
    page = context.new_page()
    page.goto(site.note_url(note.id))
    load_everything(page)
    sofa, lamp = by_text(note, "求同款沙发"), by_text(note, "落地灯求链接")
    # A viewer's captures are taken: the requests come back badged.
    wait_until(lambda: {sofa.id, lamp.id} <= badged_ids(page), timeout=60, message="both requests badged", page=page)
    pairing = api.get("/api/pairing")
    assert pairing["paired"] is True
    paired_at = pairing["extension"]["paired_at"]

    # "Mark replied": the helper refuses it for her role. The badge undoes it and says why.
    badge_action(page, sofa.id, "mark-replied").click()
    wait_until(lambda: any(text in (badge_text(page, sofa.id) or "") for text in CANNOT_STATUS), timeout=20,
               message="the chip says the role may not change statuses", page=page)
    assert api.comment(sofa.id)["status"] == "new"

    # The popup: still connected, nothing queued, the one-line notice.
    popup = open_popup(context)
    wait_until(lambda: popup.is_visible("#role-notice"), timeout=20, message="the popup's role notice", page=popup)
    assert popup.inner_text("#role-notice-text") in CANNOT_STATUS
    wait_until(lambda: popup.get_attribute("#status", "data-state") == "paired", timeout=20, message="still paired", page=popup)
    assert popup.inner_text("#queued") == "0"
    assert popup.is_hidden("#rejected"), "dropped, not set aside"

    # The one-click reply: refused for the role, so nothing is filled, and the badge says why.
    badge_action(page, lamp.id, "reply").click()
    notice = page.locator(f'[data-linktriage="badge"][data-comment-id="{lamp.id}"] [data-linktriage="role-notice"]')
    notice.wait_for(timeout=10_000)
    assert notice.inner_text() in CANNOT_FILL
    page.wait_for_timeout(500)
    assert page.evaluate("window.__fixtureComposer.text") == ""
    wait_until(lambda: popup.inner_text("#role-notice-text") in CANNOT_FILL, timeout=10, message="the popup's notice follows", page=popup)
    popup.click("#dismiss-notice")
    wait_until(lambda: popup.is_hidden("#role-notice"), timeout=10, message="notice dismissed", page=popup)

    # The same pairing all along (never re-paired), and it still delivers: another note's comments arrive.
    assert api.get("/api/pairing")["extension"]["paired_at"] == paired_at
    other = X.NOTE_B
    page.goto(site.note_url(other.id))
    load_everything(page)
    wait_until(lambda: {c.id for c in other.all_comments()} <= {c["id"] for c in api.get("/api/comments?limit=1000")["items"]},
               timeout=60, message="the next note's comments stored", page=page)
    assert api.get("/api/pairing")["extension"]["paired_at"] == paired_at
    # Nothing was changed as Vi (the statuses the creator's replies on the page set are the thread's).
    assert {e["operator"] for e in api.get("/api/audit?action=status")["items"]} <= {"thread"}
    assert api.get("/api/audit?operator=Vi&action=reply_fill")["items"] == []
