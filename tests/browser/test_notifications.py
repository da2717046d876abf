"""The creator's notifications page (issue 16, items 1 and 3), in real Chromium on the fixture site.

Every comment and reply on her notes that the page loads is stored once, with its note (title, author,
xsec_token link); requests are badged with their suggested reply; one click fills that message's own
reply box; her own replies are never badged and make the request they answer "replied".
"""

from __future__ import annotations

import sqlite3

import pytest

from chromium import point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite
from test_extension import badge_action, browser, stored_comments, stored_notes, wait_until  # noqa: F401

pytestmark = pytest.mark.browser

NOTICES = "https://www.xiaohongshu.com/notification"


def badged_texts(page) -> dict[str, str]:
    """comment id → the badge's text, for every badge on the page."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-linktriage="badge"]')]
        .map(b => [b.getAttribute('data-comment-id'), b.shadowRoot.textContent]))""")


def note_coverage(helper) -> dict[str, dict]:
    con = sqlite3.connect(f"file:{helper.data_dir / 'linktriage.sqlite3'}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        return {r["note_id"]: dict(r) for r in con.execute("SELECT * FROM note_coverage")}
    finally:
        con.close()


def scroll_to_the_end(page):
    for _ in range(20):
        if page.locator(".notification-scroller .end:not([hidden])").count():
            return
        page.locator(".notification-scroller").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(300)
    raise AssertionError("the notifications list never ended")


def test_notifications_page_captures_badges_fills_and_marks_replied(browser, helper_server):
    context, site = browser
    point_extension_at(context, helper_server.port)
    page = context.new_page()
    page.goto(NOTICES)
    first = X.mention_comments()[: sum(1 for m in X.MENTIONS[: X.MENTIONS_PAGE_SIZE] if m.type.startswith("comment/"))]
    wait_until(lambda: {m.comment_id for m in first} <= set(stored_comments(helper_server)), timeout=30,
               message="the first page (from the page state) stored", page=page)
    scroll_to_the_end(page)  # the second page comes by XHR
    everything = X.mention_comments()
    wait_until(lambda: {m.comment_id for m in everything} <= set(stored_comments(helper_server)), timeout=30,
               message="every comment on the page stored", page=page)

    rows = stored_comments(helper_server)
    assert len([m for m in everything]) == len({m.comment_id for m in everything})
    for m in everything:
        row = rows[m.comment_id]
        assert row["text"] == m.text and row["note_id"] == m.note.id
        assert row["author"] == m.user[1] and row["author_id"] == m.user[0]
        assert bool(row["is_author"]) == m.by_creator, m.text
        assert row["parent_id"] == (None if m.target is None else (m.target.comment_id if isinstance(m.target, X.Mention) else m.target.id))
        from test_extension import utc_text

        assert row["created_at"] == utc_text(m.time_s * 1000)
    # Likes and follows are not comments: nothing else was stored.
    assert set(rows) == {m.comment_id for m in everything}
    notes = stored_notes(helper_server)
    for key in ("coat", "bowl"):
        n = X.NOTICE_NOTES[key]
        assert notes[n.id]["title"] == n.title
        assert notes[n.id]["author_id"] == X.CREATOR[0]
    links = note_coverage(helper_server)
    assert links[X.NOTICE_NOTES["coat"].id]["url"] == f"https://www.xiaohongshu.com/explore/{X.NOTICE_NOTES['coat'].id}?xsec_token=ABcoatToken0833%3D&xsec_source=pc_notice"

    # Requests are badged (the model must flag these plain asks); the creator's own replies never are.
    flagged = {i for i, r in rows.items() if r["is_request"]}
    for text in ("风衣求链接！！", "碗是哪家的求链接", "吐司机求链接"):
        assert next(m for m in everything if m.text == text).comment_id in flagged, text
    own = {m.comment_id for m in everything if m.by_creator}
    assert len(own) == 3 and not (own & flagged)
    expected = flagged - own
    wait_until(lambda: set(badged_texts(page)) == expected, timeout=20, message="badges on exactly the requests", page=page)

    # The creator's replies made their requests replied — including one that only arrived with page 2,
    # after her reply, and the note-page comment answered from here.
    answered = [m.target for m in everything if m.by_creator]
    for target in answered:
        cid = target.comment_id if isinstance(target, X.Mention) else target.id
        row = stored_comments(helper_server)[cid]
        assert (row["status"], row["status_by"]) == ("replied", "thread"), target.text
    bowl_ask = next(m for m in everything if m.text == "碗是哪家的求链接")
    wait_until(lambda: "已回复" in badged_texts(page).get(bowl_ask.comment_id, ""), timeout=10, message="replied badge", page=page)

    # One click fills that message's own reply box with the suggested reply; nothing is sent.
    ask = next(m for m in everything if m.text == "风衣求链接！！")
    reply = stored_comments(helper_server)[ask.comment_id]["suggested_reply"]
    assert reply
    badge_action(page, ask.comment_id, "reply").click()
    page.wait_for_function("id => window.__fixtureNoticeReplies.some(r => r.opened === id && r.model.text.length)", arg=ask.comment_id)
    opened = page.evaluate("id => window.__fixtureNoticeReplies.find(r => r.opened === id).model.text", ask.comment_id)
    assert opened == reply
    assert not page.evaluate("window.__fixtureNoticeReplies.some(r => r.sent)")
    # The popup sums up what this page gave.
    from test_extension import open_popup

    page.bring_to_front()
    popup = open_popup(context)
    notes = len({m.note.id for m in everything})
    want = f"通知页：已读取 {notes} 篇笔记下的 {len(everything)} 条评论（往下滚动加载更早的）"
    wait_until(lambda: popup.inner_text("#note-counts") == want, timeout=20, message=want, page=popup)
    popup.close()
    # The extension made no API call of its own: only the page's second page of messages.
    assert [u for u in site.api_calls if "/you/mentions" in u] and all("/you/mentions" in u for u in site.api_calls)


def test_a_comment_seen_on_both_pages_is_one_comment(browser, helper_server):
    context, site = browser
    point_extension_at(context, helper_server.port)
    page = context.new_page()
    page.goto(site.note_url(X.NOTE_A_ID))
    sofa = X.NOTE_A.threads[1]
    wait_until(lambda: sofa.id in stored_comments(helper_server), timeout=30, message="note page stored", page=page)
    page.goto(NOTICES)
    scroll_to_the_end(page)
    wait_until(lambda: {m.comment_id for m in X.mention_comments()} <= set(stored_comments(helper_server)), timeout=30,
               message="notifications stored", page=page)
    rows = stored_comments(helper_server)
    assert sum(1 for r in rows.values() if r["comment_id"] == sofa.id) == 1
    # The note page's facts stay (its thread, its exact time), and the creator's reply answered it.
    assert rows[sofa.id]["parent_id"] is None
    assert (rows[sofa.id]["status"], rows[sofa.id]["status_by"]) == ("replied", "thread")
    assert stored_notes(helper_server)[X.NOTE_A_ID]["title"] == X.NOTE_A.title
