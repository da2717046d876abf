"""In-page navigation (issue 16, item 10): a note opened by pushState is stored under its own title, even
while the page's title element still shows the previous note's title when the URL changes."""

from __future__ import annotations

import pytest

from chromium import point_extension_at
from fixtures import xhs_data as X
from test_extension import assert_note_stored, browser, load_everything, stored_comments, stored_notes, wait_until  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_second_note_opened_in_place_gets_its_own_title(browser, helper_server):
    context, site = browser
    point_extension_at(context, helper_server.port)
    page = context.new_page()
    page.goto(site.note_url(X.NOTE_A_ID))
    first = {c.id for t in X.NOTE_A.threads[: X.PAGE_SIZE] for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]}
    wait_until(lambda: first <= set(stored_comments(helper_server)), timeout=30, message="note A's first page", page=page)

    page.click(f'.related-notes a[data-note-id="{X.NOTE_B_ID}"]')
    page.wait_for_url(f"**/explore/{X.NOTE_B_ID}?**")
    assert page.inner_text("#detail-title") == X.NOTE_A.title  # the old title still shows at the URL change
    page.wait_for_selector(f'.note-container[data-note-id="{X.NOTE_B_ID}"] .comment-item')
    load_everything(page)
    wait_until(lambda: {c.id for c in X.NOTE_B.all_comments()} <= set(stored_comments(helper_server)), timeout=30,
               message="note B stored", page=page)
    assert_note_stored(helper_server, X.NOTE_B)
    notes = stored_notes(helper_server)
    assert notes[X.NOTE_B_ID]["title"] == X.NOTE_B.title
    assert notes[X.NOTE_B_ID]["author_id"] == X.NOTE_B.author_id
    assert notes[X.NOTE_A_ID]["title"] == X.NOTE_A.title
