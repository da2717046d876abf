"""The international site (issue 16, item 7): www.rednote.com with its API on webapi.rednote.com, the
same pages and the same code as www.xiaohongshu.com."""

from __future__ import annotations

import pytest

from chromium import point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import REDNOTE_API, REDNOTE_WWW, FixtureSite
from test_extension import assert_note_stored, badge_action, badged_ids, by_id, flagged_ids, load_everything, stored_comments, wait_until
from test_notifications import note_coverage

pytestmark = pytest.mark.browser


def test_rednote_note_page_and_notifications(launch_chromium, helper_server):
    context = launch_chromium(extension=True)
    site = FixtureSite(www=REDNOTE_WWW, api=REDNOTE_API).install(context)
    point_extension_at(context, helper_server.port)
    note = X.NOTE_B
    page = context.new_page()
    page.goto(site.note_url(note.id))
    assert page.url.startswith("https://www.rednote.com/")
    load_everything(page)
    wait_until(lambda: {c.id for c in note.all_comments()} <= set(stored_comments(helper_server)), timeout=30,
               message="note stored", page=page)
    assert_note_stored(helper_server, note)
    assert site.api_calls and all(u.startswith(REDNOTE_API) for u in site.api_calls)
    expected = {i for i in flagged_ids(helper_server, note) if not by_id(note, i).is_author}
    assert expected
    wait_until(lambda: badged_ids(page) == expected, timeout=20, message="badges", page=page)
    ask = sorted(expected)[0]
    reply = stored_comments(helper_server)[ask]["suggested_reply"]
    badge_action(page, ask, "reply").click()
    page.wait_for_function("() => window.__fixtureComposer.text.length > 0")
    assert page.evaluate("window.__fixtureComposer.text") == reply

    page.goto(f"{REDNOTE_WWW}/notification")
    for _ in range(20):
        if page.locator(".notification-scroller .end:not([hidden])").count():
            break
        page.locator(".notification-scroller").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(300)
    wait_until(lambda: {m.comment_id for m in X.mention_comments()} <= set(stored_comments(helper_server)), timeout=30,
               message="notifications stored", page=page)
    coat = X.NOTICE_NOTES["coat"]
    assert note_coverage(helper_server)[coat.id]["url"].startswith(f"{REDNOTE_WWW}/explore/{coat.id}?xsec_token=")
