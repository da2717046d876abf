"""The extension's "missed request?" hover action on our fixture Xiaohongshu, with a real helper: pointing at
a comment the model did not flag offers it, a click stores the correction and badges the comment; flagged
comments and the creator's own never get it."""

from __future__ import annotations

import pytest

from chromium import point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite
from test_extension import badged_ids, flagged_ids, load_everything, stored_comments, wait_until

pytestmark = pytest.mark.browser


def missed_button_count(page, comment_id: str) -> int:
    return page.evaluate(
        """id => { const item = document.getElementById('comment-' + id);
                   return [...item.querySelectorAll('[data-linktriage="missed"]')]
                       .filter(h => h.closest('.comment-item') === item).length; }""",
        comment_id,
    )


def test_missed_request_on_hover_corrects_and_badges(launch_chromium, helper_server):
    context = launch_chromium(extension=True)
    site = FixtureSite().install(context)
    point_extension_at(context, helper_server.port)
    note = X.NOTE_A
    page = context.new_page()
    page.goto(site.note_url(note.id))
    load_everything(page)
    wait_until(lambda: len(stored_comments(helper_server)) >= len(note.all_comments()), message="all comments stored")
    flagged = flagged_ids(helper_server, note)
    expected = {c.id for c in note.all_comments() if c.id in flagged and not c.is_author}
    wait_until(lambda: badged_ids(page) == expected, timeout=20, message="badges on exactly the requests")

    # Nothing is added to the page while the creator does not point at a comment.
    page.mouse.move(1, 1)
    page.wait_for_timeout(100)
    assert page.locator('[data-linktriage="missed"]').count() == 0

    unflagged = next(c for c in note.all_comments() if c.id not in flagged and not c.is_author and not c.parent_id)
    page.locator(f"#comment-{unflagged.id} .note-text").first.hover()
    wait_until(lambda: missed_button_count(page, unflagged.id) == 1, timeout=10, message="the hover action", page=page)

    # A flagged comment and the creator's own reply never offer it (the badge has "not a request").
    request = next(iter(expected))
    page.locator(f"#comment-{request} .note-text").first.hover()
    page.wait_for_timeout(200)
    assert missed_button_count(page, request) == 0
    assert missed_button_count(page, unflagged.id) == 0  # left the comment: its button went away
    author = next(c for c in note.all_comments() if c.is_author)
    page.locator(f"#comment-{author.id} .note-text").first.hover()
    page.wait_for_timeout(200)
    assert missed_button_count(page, author.id) == 0

    # Back to the unflagged comment, click: the helper stores the correction, the comment is badged.
    page.locator(f"#comment-{unflagged.id} .note-text").first.hover()
    wait_until(lambda: missed_button_count(page, unflagged.id) == 1, timeout=10, message="the hover action again", page=page)
    page.locator(f'[data-linktriage="missed"][data-comment-id="{unflagged.id}"] [data-linktriage="missed-request"]').click()
    wait_until(lambda: stored_comments(helper_server)[unflagged.id]["correction"] == "missed", timeout=20,
               message="the correction stored", page=page)
    wait_until(lambda: unflagged.id in badged_ids(page), timeout=10, message="the new badge", page=page)
    assert missed_button_count(page, unflagged.id) == 0
