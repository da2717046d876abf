"""The extension, loaded unpacked in Debian's Chromium, on our fixture Xiaohongshu, with a real helper.

Everything here is real: the extension's own code in the browser, `linktriage serve` over loopback HTTP,
the fixture pages served on the site's real URLs (context.route). What reaches the helper is read from
its SQLite database and from `linktriage export`.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from pathlib import Path

import pytest

from chromium import extension_id, point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


# ---- helpers -------------------------------------------------------------------------------------
def stored_comments(helper) -> dict[str, dict]:
    """comment_id → row, straight from the helper's SQLite database."""
    path = helper.data_dir / "linktriage.sqlite3"
    if not path.exists():
        return {}
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute("SELECT * FROM comment").fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        pass
    con.close()
    return {r["comment_id"]: dict(r) for r in rows}


def wait_until(predicate, timeout: float = 60.0, interval: float = 0.25, message: str = "condition", page=None):
    """Poll `predicate`; with `page`, sleep through Playwright so its events (worker close…) are processed."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        if page is not None:
            page.wait_for_timeout(interval * 1000)
        else:
            time.sleep(interval)


def load_everything(page):
    """As a creator would: scroll the comment list to THE END and click every 展开."""
    for _ in range(60):
        more = page.locator(".show-more")
        if more.count():
            more.first.click()
            page.wait_for_timeout(150)
            continue
        if page.locator(".end-container:not([hidden])").count():
            return
        page.locator(".note-scroller").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(200)
    raise AssertionError("the fixture note never reached THE END")


def export_rows(helper, *args: str) -> list[dict]:
    proc = helper.cli("export", *args, "--out", "-")
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))


def assert_note_stored(helper, note: X.Note):
    rows = stored_comments(helper)
    for c in note.all_comments():
        assert c.id in rows, f"{c.id} {c.text!r} never reached the helper"
        row = rows[c.id]
        assert row["text"] == c.text
        assert row["note_id"] == note.id
        assert row["parent_id"] == c.parent_id
        assert row["author"] == c.nickname
        assert row["author_id"] == c.user_id
        assert bool(row["is_author"]) == c.is_author, c.text
        # Exact to the second: read from the page state / API, not from the DOM's day-only date.
        assert row["created_at"] == utc_text(c.time), (c.text, row["created_at"])
        assert row["ip_location"] == c.location
        assert row["like_count"] == (12000 if c.likes == "1.2万" else int(c.likes))


def utc_text(epoch_ms: int) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch_ms / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def browser(launch_chromium):
    context = launch_chromium(extension=True)
    site = FixtureSite().install(context)
    return context, site


# ---- more helpers --------------------------------------------------------------------------------
def badged_ids(page) -> set[str]:
    return set(page.evaluate("""() => [...document.querySelectorAll('.comment-item')]
        .filter(item => [...item.querySelectorAll('[data-linktriage="badge"]')].some(b => b.closest('.comment-item') === item))
        .map(item => item.id.replace(/^comment-/, ''))"""))


def badge_text(page, comment_id: str) -> str:
    return page.evaluate(
        """id => { const item = document.getElementById('comment-' + id);
                   const host = [...item.querySelectorAll('[data-linktriage="badge"]')].find(b => b.closest('.comment-item') === item);
                   return host ? host.shadowRoot.textContent : null; }""",
        comment_id,
    )


def badge_action(page, comment_id: str, action: str):
    """A badge's action button (reply, copy, mark-replied, not-request). The badge is a compact chip whose
    actions are created when the creator points at it: hover it first, as she would."""
    host = page.locator(f'[data-linktriage="badge"][data-comment-id="{comment_id}"]')
    host.hover()
    return host.locator(f"[data-linktriage={action}]")


def flagged_ids(helper, note: X.Note) -> set[str]:
    """What the helper flagged (its verdict as shown: corrections override the model)."""
    rows = stored_comments(helper)
    out = set()
    for c in note.all_comments():
        row = rows[c.id]
        shown = bool(row["is_request"]) if row["correction"] is None else row["correction"] == "missed"
        if shown:
            out.add(c.id)
    return out


def by_text(note: X.Note, text: str) -> X.Comment:
    return next(c for c in note.all_comments() if c.text == text)


def by_id(note: X.Note, comment_id: str) -> X.Comment:
    return next(c for c in note.all_comments() if c.id == comment_id)


def import_catalog(helper, tmp_path):
    catalog = tmp_path / "products.csv"
    catalog.write_text(X.PRODUCTS_CSV, encoding="utf-8")
    proc = helper.cli("products", "import", str(catalog))
    assert proc.returncode == 0, proc.stderr


_ext_pages: dict = {}


def extension_page(context):
    """An extension page of this context (to read chrome.storage without depending on a live worker)."""
    page = _ext_pages.get(id(context))
    if page is None or page.is_closed():
        page = context.new_page()
        page.goto(f"chrome-extension://{extension_id(context)}/options/options.html")
        _ext_pages[id(context)] = page
    return page


def queue_state(context) -> dict:
    """{"queue": {"items": [...] in delivery order}, "helperStatus": ...} from the stored queue (one key per
    item, "q:<seq>": see extension/lib/queue.js)."""
    return extension_page(context).evaluate("""async () => {
        const all = await chrome.storage.local.get(null);
        const items = Object.keys(all).filter(k => k.startsWith('q:')).map(k => all[k]).sort((a, b) => a.pos - b.pos);
        return {queue: {items, ...(all.qmeta || {})}, helperStatus: all.helperStatus, rejected: all.rejected || []};
    }""")


def queued_comment_ids(context) -> list[str]:
    q = (queue_state(context).get("queue") or {}).get("items") or []
    return [c["id"] for it in q if it.get("kind") == "comments" for c in it["comments"]]


# ---- tests ---------------------------------------------------------------------------------------
def test_note_comments_reach_helper_and_requests_are_badged(browser, helper_server, tmp_path):
    context, site = browser
    import_catalog(helper_server, tmp_path)
    point_extension_at(context, helper_server.port)
    note = X.NOTE_A

    page = context.new_page()
    page.goto(site.note_url(note.id))
    load_everything(page)

    # Every comment and reply, with ids, texts, threads and authors exact.
    wait_until(lambda: len(stored_comments(helper_server)) >= len(note.all_comments()), message="all comments stored")
    assert_note_stored(helper_server, note)
    assert set(stored_comments(helper_server)) == {c.id for c in note.all_comments()}

    # Badges follow the helper's verdicts; the comments this test clicks on must be among them (they are
    # the plainest requests of the fixture; if the model misses these, the model is broken).
    flagged = flagged_ids(helper_server, note)
    for text in ("这个沙发在哪里买？", "落地灯求链接", "求同款沙发", X.XSS_TEXT):
        assert by_text(note, text).id in flagged, f"the model did not flag the fixture request {text!r}"

    # Badges: exactly the flagged comments that are not the creator's; never the creator's own.
    expected = {c.id for c in note.all_comments() if c.id in flagged and not c.is_author}
    wait_until(lambda: badged_ids(page) == expected, timeout=20, message="badges on exactly the requests")
    authors = {c.id for c in note.all_comments() if c.is_author}
    assert len(authors) >= 5 and not (badged_ids(page) & authors)

    # The creator's own reply in a request's thread made it replied (status_by "thread"), and its badge says so.
    answered = by_text(note, "这个沙发在哪里买？")
    assert any(r.is_author for r in answered.replies)
    row = stored_comments(helper_server)[answered.id]
    assert (row["status"], row["status_by"]) == ("replied", "thread")
    wait_until(lambda: "已回复" in (badge_text(page, answered.id) or ""), timeout=10, message="replied badge", page=page)
    unanswered = by_text(note, "落地灯求链接")
    assert stored_comments(helper_server)[unanswered.id]["status"] == "new"

    # Products named in the badge.
    assert "云朵沙发" in badge_text(page, by_text(note, "这个沙发在哪里买？").id)
    assert "月光落地灯" in badge_text(page, by_text(note, "落地灯求链接").id)

    # Markup in comment text is text: neither the page nor the badge ever ran it.
    xss = by_text(note, X.XSS_TEXT)
    assert xss.id in badged_ids(page)
    assert page.evaluate("window.__linktriageXss") is None
    assert page.locator(f"#comment-{xss.id} .note-text").inner_text() == X.XSS_TEXT
    assert page.locator("img[src=x]").count() == 0

    # The extension observed the page's API calls and made none of its own: one call per page/expansion.
    pages = sum(1 for u in site.api_calls if "/comment/page?" in u)
    subs = sum(1 for u in site.api_calls if "/comment/sub/page?" in u)
    assert pages == (len(note.threads) - 1) // X.PAGE_SIZE
    assert subs == sum(max(0, -(-(len(t.replies) - X.EMBEDDED_REPLIES) // X.SUB_PAGE_SIZE)) for t in note.threads)

    # One click: reply mode for that comment, the suggested reply in the site's composer, not sent.
    sofa = by_text(note, "这个沙发在哪里买？")
    reply = stored_comments(helper_server)[sofa.id]["suggested_reply"]
    assert reply and "云朵沙发" in reply
    badge_action(page, sofa.id, "reply").click()
    page.wait_for_function("() => window.__fixtureComposer.text.length > 0")
    composer = page.evaluate("window.__fixtureComposer")
    assert composer["text"] == reply
    assert composer["replyTo"]["id"] == sofa.id
    assert composer["sent"] == []
    assert page.locator("#content-textarea").inner_text() == reply
    assert page.locator(".input-box .reply-hint").inner_text() == f"回复 {sofa.nickname}："
    assert page.locator(".bottom button.submit").is_enabled()

    # Copy puts the same reply on the clipboard.
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin="https://www.xiaohongshu.com")
    badge_action(page, sofa.id, "copy").click()
    wait_until(lambda: page.evaluate("navigator.clipboard.readText()") == reply, timeout=10, message="clipboard", page=page)

    # Mark replied / not a request go to the helper.
    lamp = by_text(note, "落地灯求链接")
    badge_action(page, lamp.id, "mark-replied").click()
    wait_until(lambda: stored_comments(helper_server)[lamp.id]["status"] == "replied", timeout=20, message="status replied")
    wrong = by_text(note, "求同款沙发")
    badge_action(page, wrong.id, "not-request").click()
    wait_until(lambda: stored_comments(helper_server)[wrong.id]["correction"] == "not_request", timeout=20, message="correction")
    assert wrong.id not in badged_ids(page)

    # `export` afterwards lists the requests of the note (minus the corrected one).
    exported = {r["comment_id"] for r in export_rows(helper_server, "--note-id", note.id)}
    assert exported == expected - {wrong.id}
    page.screenshot(path=str(tmp_path / "badged.png"))


def stop_service_worker(context):
    """Kill the extension's service worker the way Chrome does when it idles.

    CDP ServiceWorker.stopAllWorkers, from a session on one of the extension's own pages (the domain is
    scoped to that page's storage partition); we wait until CDP reports the worker stopped."""
    ext_page = extension_page(context)
    cdp = context.new_cdp_session(ext_page)
    states = []
    cdp.on("ServiceWorker.workerVersionUpdated", lambda e: states.extend(v["runningStatus"] for v in e["versions"]))
    cdp.send("ServiceWorker.enable")
    ext_page.wait_for_timeout(300)
    assert "running" in states, states
    cdp.send("ServiceWorker.stopAllWorkers")
    wait_until(lambda: states and states[-1] == "stopped", timeout=15, message="the service worker to stop", page=ext_page)
    cdp.detach()


def test_helper_down_then_up_with_worker_killed_loses_nothing(launch_chromium, helper_server_factory, tmp_path):
    helper = helper_server_factory()  # not started: the helper is down while the creator browses
    context = launch_chromium(extension=True)
    site = FixtureSite().install(context)
    point_extension_at(context, helper.port)
    note = X.NOTE_A

    page = context.new_page()
    page.goto(site.note_url(note.id))
    load_everything(page)
    all_ids = [c.id for c in note.all_comments()]
    wait_until(lambda: set(queued_comment_ids(context)) == set(all_ids), timeout=30, message="everything queued")
    assert queue_state(context)["helperStatus"]["state"] == "offline"
    assert len(queued_comment_ids(context)) == len(all_ids), "deduplicated in the tab"
    assert badged_ids(page) == set()

    stop_service_worker(context)
    helper.start()
    import_catalog(helper, tmp_path)

    # Nobody touches the page: the retry alarm wakes the worker, which delivers the persisted queue.
    wait_until(lambda: len(stored_comments(helper)) >= len(all_ids), timeout=120, message="queue delivered after restart")
    assert_note_stored(helper, note)
    # Delivered in capture order: the first page's comments were stored first.
    rows = stored_comments(helper)
    first_page = [c.id for t in note.threads[: X.PAGE_SIZE] for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]]
    assert max(rows[i]["id"] for i in first_page) < min(rows[c.id]["id"] for c in note.threads[-1:])
    # Verdicts reach the open tab too.
    expected = {i for i in flagged_ids(helper, note) if not by_id(note, i).is_author}
    assert expected
    wait_until(lambda: badged_ids(page) == expected, timeout=30, message="badges after delivery")
    wait_until(lambda: not queued_comment_ids(context), timeout=10, message="queue emptied")


def stored_notes(helper) -> dict[str, dict]:
    con = sqlite3.connect(f"file:{helper.data_dir / 'linktriage.sqlite3'}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        return {r["note_id"]: dict(r) for r in con.execute("SELECT * FROM note")}
    finally:
        con.close()


def test_notes_opened_from_the_feed_by_pushstate_are_captured(browser, helper_server, tmp_path):
    context, site = browser
    import_catalog(helper_server, tmp_path)
    point_extension_at(context, helper_server.port)
    page = context.new_page()
    page.goto("https://www.xiaohongshu.com/explore")

    # First note: the overlay changes the URL by pushState; its first comment page comes by XHR.
    page.click(f'.note-item[data-note-id="{X.NOTE_B_ID}"] a.cover')
    page.wait_for_url(f"**/explore/{X.NOTE_B_ID}?**")
    page.wait_for_selector(".note-detail-mask .comment-item")
    load_everything(page)
    wait_until(lambda: {c.id for c in X.NOTE_B.all_comments()} <= set(stored_comments(helper_server)), message="note B stored")
    assert_note_stored(helper_server, X.NOTE_B)
    # The shelf's catalog link leads off the platform: the badge carries the helper's compliance warning.
    shelf = by_text(X.NOTE_B, "书架在哪里买的")
    wait_until(lambda: badge_text(page, shelf.id), timeout=20, message="shelf badge", page=page)
    warnings = stored_comments(helper_server)[shelf.id]["compliance"]
    assert warnings and warnings != "[]"
    assert "⚠" in badge_text(page, shelf.id) and "taobao" not in badge_text(page, shelf.id)
    assert "的链接不在小红书站内" in badge_text(page, shelf.id)  # a Chinese comment's badge warns in Chinese

    # Close it and open a second note in the same tab.
    page.click(".note-detail-mask .close-mask-dark")
    page.wait_for_url("**/explore")
    page.click(f'.note-item[data-note-id="{X.NOTE_A_ID}"] a.cover')
    page.wait_for_url(f"**/explore/{X.NOTE_A_ID}?**")
    page.wait_for_selector(".note-detail-mask .comment-item")
    load_everything(page)
    wait_until(lambda: {c.id for c in X.NOTE_A.all_comments()} <= set(stored_comments(helper_server)), message="note A stored")
    assert_note_stored(helper_server, X.NOTE_A)

    notes = stored_notes(helper_server)
    for note in (X.NOTE_A, X.NOTE_B):
        assert notes[note.id]["title"] == note.title
        assert notes[note.id]["author_id"] == note.author_id
        assert notes[note.id]["author_name"] == note.author_name
    # The open overlay's requests are badged.
    expected = {i for i in flagged_ids(helper_server, X.NOTE_A) if not by_id(X.NOTE_A, i).is_author}
    wait_until(lambda: badged_ids(page) == expected, timeout=20, message="badges in the overlay")


def dom_expected(note: X.Note, comments: list[X.Comment]) -> list[dict]:
    """What the DOM shows of each comment, in the helper's comment shape."""
    from datetime import datetime, timedelta, timezone

    def day_ms(ms: int) -> int:
        beijing = timezone(timedelta(hours=8))
        day = datetime.fromtimestamp(ms / 1000, beijing).replace(hour=0, minute=0, second=0, microsecond=0)
        return int(day.timestamp() * 1000)

    likes = {"0": 0, "1.2万": 12000}
    return [
        {"id": c.id, "note_id": note.id, "parent_id": c.parent_id, "text": c.text, "author": c.nickname,
         "author_id": c.user_id, "created_at": day_ms(c.time), "like_count": likes[c.likes] if c.likes in likes else int(c.likes),
         "ip_location": c.location, "is_author": c.is_author}
        for c in comments
    ]


def test_dom_extraction_reads_each_comment_exactly(launch_chromium):
    """lib/dom-extract.js on the fixture's rendered comment list (no extension loaded: the pure module)."""
    context = launch_chromium(extension=False)
    site = FixtureSite().install(context)
    page = context.new_page()
    page.goto(site.note_url(X.NOTE_A_ID))
    load_everything(page)
    for lib in ("constants.js", "comments.js", "dom-extract.js"):  # in the manifest's order
        page.add_script_tag(path=str(REPO / "extension" / "lib" / lib))
    got = page.evaluate(
        "([noteId, authorId]) => LinkTriage.domExtract.extractComments(document.querySelector('.comments-container'), {noteId, noteAuthorId: authorId})",
        [X.NOTE_A_ID, X.NOTE_A.author_id],
    )
    # Document order is thread by thread, replies after their top comment.
    assert got == dom_expected(X.NOTE_A, X.NOTE_A.all_comments())
    assert page.evaluate("window.__linktriageXss") is None


def test_dom_fallback_captures_comments_the_hook_cannot_see(browser, helper_server):
    context, site = browser
    point_extension_at(context, helper_server.port)
    page = context.new_page()
    page.goto(site.note_url(X.NOTE_A_ID) + "&fixture_dom_only=1")
    page.wait_for_selector(".comment-item")
    shown = [c for t in X.NOTE_A.threads[: X.PAGE_SIZE] for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]]
    wait_until(lambda: {c.id for c in shown} <= set(stored_comments(helper_server)), timeout=30, message="DOM comments stored")
    rows = stored_comments(helper_server)
    assert set(rows) == {c.id for c in shown}
    for want in dom_expected(X.NOTE_A, shown):
        row = rows[want["id"]]
        for key in ("note_id", "parent_id", "text", "author", "author_id", "like_count", "ip_location"):
            assert row[key] == want[key], (key, row, want)
        assert bool(row["is_author"]) == want["is_author"]
    expected = {i for i in flagged_ids_among(helper_server, shown) if not by_id(X.NOTE_A, i).is_author}
    assert expected
    wait_until(lambda: badged_ids(page) == expected, timeout=20, message="badges from DOM-captured comments")


def flagged_ids_among(helper, comments: list[X.Comment]) -> set[str]:
    rows = stored_comments(helper)
    return {c.id for c in comments if rows[c.id]["is_request"] and rows[c.id]["correction"] is None}


def open_popup(context):
    """The action popup, opened as a window of its own (it reads the last focused browser window's tab)."""
    worker = context.service_workers[-1]
    with context.expect_page() as info:
        worker.evaluate("chrome.windows.create({url: 'popup/popup.html', type: 'popup', width: 340, height: 420}).then(() => 1)")
    popup = info.value
    popup.wait_for_load_state()
    return popup


def popup_status(popup, state: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        got = popup.get_attribute("#status", "data-state")
        if got == state:
            return popup.inner_text("#status")
        if time.monotonic() > deadline:
            raise AssertionError(f"popup status {got!r} ({popup.inner_text('#status')}), wanted {state!r}")
        popup.wait_for_timeout(500)
        popup.reload()


class _NotTheHelper:
    """Something else listening on the port: answers every request, but is not LinkTriage."""

    def __init__(self):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b'{"status": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_popup_status_counts_and_csv_export(launch_chromium, helper_server_factory, tmp_path):
    helper = helper_server_factory()
    context = launch_chromium(extension=True)
    site = FixtureSite().install(context)
    note = X.NOTE_A

    # Something else on the port: told apart from "offline", nothing is sent to it.
    other = _NotTheHelper()
    try:
        point_extension_at(context, other.port)
        popup = open_popup(context)
        assert str(other.port) in popup_status(popup, "foreign")
        popup.close()
    finally:
        other.close()

    # Helper down: offline, and what the creator browses waits in the queue (shown in the popup).
    point_extension_at(context, helper.port)
    page = context.new_page()
    page.goto(site.note_url(note.id))
    page.wait_for_selector(".comment-item")
    first_page = [c for t in note.threads[: X.PAGE_SIZE] for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]]
    wait_until(lambda: len(queued_comment_ids(context)) == len(first_page), timeout=20, message="first page queued")
    page.bring_to_front()
    popup = open_popup(context)
    popup_status(popup, "offline")
    assert popup.inner_text("#queued") == str(len(first_page))
    assert popup.inner_text("#note-counts").startswith(f"已读取 {len(first_page)} 条评论")
    popup.close()

    # Helper up: paired automatically, the queue drains, the note's request count and CSV come from it.
    helper.start()
    page.bring_to_front()
    popup = open_popup(context)
    popup_status(popup, "paired")
    wait_until(lambda: {c.id for c in first_page} <= set(stored_comments(helper)), timeout=30, message="queue drained")
    popup.reload()
    requests = flagged_ids_among(helper, first_page)
    assert requests
    wanted = f"已读取 {len(first_page)} 条评论，{len(requests)} 条求链接"

    def counts_shown():
        if popup.inner_text("#note-counts") == wanted:
            return True
        popup.reload()
        popup.wait_for_timeout(300)
        return False

    wait_until(counts_shown, timeout=20, message=wanted, page=popup)
    assert popup.inner_text("#queued") == "0"
    with context.expect_page() as dashboard_info:
        popup.click("#dashboard")
    dashboard = dashboard_info.value
    dashboard.wait_for_load_state()
    assert dashboard.url == f"{helper.base_url}/"
    dashboard.close()
    with popup.expect_download() as download_info:
        popup.click("#export")
    download = download_info.value
    assert download.suggested_filename == f"linktriage-{note.id}.csv"
    text = Path(download.path()).read_text("utf-8-sig")
    exported = {r["comment_id"] for r in csv.DictReader(io.StringIO(text))}
    assert exported == requests


def test_queue_survives_a_browser_restart(launch_chromium, helper_server_factory, tmp_path):
    helper = helper_server_factory()
    profile = tmp_path / "profile-restart"
    context = launch_chromium(extension=True, profile=profile)
    site = FixtureSite().install(context)
    point_extension_at(context, helper.port)
    page = context.new_page()
    page.goto(site.note_url(X.NOTE_B_ID))
    load_everything(page)
    ids = {c.id for c in X.NOTE_B.all_comments()}
    wait_until(lambda: set(queued_comment_ids(context)) == ids, timeout=30, message="note B queued")
    context.close()

    # Next day: the helper runs, the browser starts again; nobody opens Xiaohongshu.
    helper.start()
    context = launch_chromium(extension=True, profile=profile)
    wait_until(lambda: ids <= set(stored_comments(helper)), timeout=90, message="queue delivered after the restart")
    assert_note_stored(helper, X.NOTE_B)
    assert stored_notes(helper)[X.NOTE_B_ID]["title"] == X.NOTE_B.title


def helper_http(helper, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, dict]:
    import json
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(helper.base_url + path, data=data, method=method, headers={
        **({"Content-Type": "application/json"} if body is not None else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def dashboard_headers(helper) -> dict:
    con = sqlite3.connect(f"file:{helper.data_dir / 'linktriage.sqlite3'}?mode=ro", uri=True)
    try:
        (token,) = con.execute("SELECT value FROM meta WHERE key = 'dashboard_token'").fetchone()
    finally:
        con.close()
    return {"X-LinkTriage-Token": token}


def test_pairing_taken_over_then_reopened_on_the_dashboard(browser, helper_server):
    context, site = browser
    point_extension_at(context, helper_server.port)
    page = context.new_page()
    page.goto(site.note_url(X.NOTE_B_ID))
    first = {c.id for t in X.NOTE_B.threads[: X.PAGE_SIZE] for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]}
    wait_until(lambda: first <= set(stored_comments(helper_server)), timeout=30, message="first page stored")

    # Another extension pairs while pairing is open: ours is refused (403), asks to pair again once, is refused.
    status, _ = helper_http(helper_server, "POST", "/api/pairing/open", {}, dashboard_headers(helper_server))
    assert status == 200
    status, _ = helper_http(helper_server, "POST", "/api/pair", {}, {"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop"})
    assert status == 200
    load_everything(page)  # more comments: queued, not delivered
    rest = {c.id for c in X.NOTE_B.all_comments()} - first
    wait_until(lambda: queue_state(context).get("helperStatus", {}).get("state") == "pairing-refused", timeout=30,
               message="pairing refused", page=page)
    assert rest <= set(queued_comment_ids(context))
    assert not rest & set(stored_comments(helper_server))
    page.bring_to_front()
    popup = open_popup(context)
    assert "控制台" in popup_status(popup, "pairing-refused")
    popup.close()

    # The creator re-opens pairing on the dashboard: ours pairs again by itself and delivers the rest.
    status, _ = helper_http(helper_server, "POST", "/api/pairing/open", {}, dashboard_headers(helper_server))
    assert status == 200
    wait_until(lambda: rest <= set(stored_comments(helper_server)), timeout=90, message="delivered after re-pairing", page=page)
    assert_note_stored(helper_server, X.NOTE_B)
    eid = extension_id(context)
    status, pairing = helper_http(helper_server, "GET", "/api/pairing", None, dashboard_headers(helper_server))
    assert pairing["extension"]["origin"] == f"chrome-extension://{eid}"


def test_comment_pages_loaded_with_fetch_are_captured_too(browser, helper_server):
    context, site = browser
    point_extension_at(context, helper_server.port)
    page = context.new_page()
    page.goto(site.note_url(X.NOTE_A_ID) + "&fixture_fetch=1")
    load_everything(page)
    assert any("/comment/sub/page?" in u for u in site.api_calls)
    wait_until(lambda: {c.id for c in X.NOTE_A.all_comments()} <= set(stored_comments(helper_server)), message="all stored")
    assert_note_stored(helper_server, X.NOTE_A)


# Comment items the page renders later, outside any API response the hook sees (cloned from the page's
# own markup): the DOM watcher must find them among the nodes a mutation added.
APPEND_DOM_ONLY = """
([ids, texts]) => {
  const list = document.querySelector('.comments-container .list-container');
  const model = list.querySelector('.parent-comment');
  ids.forEach((id, i) => {
    const thread = model.cloneNode(true);
    thread.querySelectorAll('[data-linktriage]').forEach(el => el.remove());
    thread.querySelectorAll('.reply-container .comment-item').forEach(el => el.remove());
    const item = thread.querySelector('.comment-item');
    item.id = 'comment-' + id;
    item.querySelector('.author .tag')?.remove();
    const name = item.querySelector('.author .name');
    name.textContent = '后来的' + i;
    name.setAttribute('data-user-id', '5c' + String(i).padStart(22, '0'));
    item.querySelector('.content .note-text span').textContent = texts[i];
    list.append(thread);
  });
}
"""


def test_comments_rendered_later_are_read_from_added_nodes_and_rerendered_items_keep_badges(browser, helper_server, tmp_path):
    context, site = browser
    import_catalog(helper_server, tmp_path)
    point_extension_at(context, helper_server.port)
    note = X.NOTE_A
    page = context.new_page()
    page.goto(site.note_url(note.id))
    first = [c for t in note.threads[: X.PAGE_SIZE] for c in [t, *t.replies[: X.EMBEDDED_REPLIES]]]
    wait_until(lambda: {c.id for c in first} <= set(stored_comments(helper_server)), timeout=30, message="first page stored")
    sofa = by_text(note, "这个沙发在哪里买？")
    wait_until(lambda: sofa.id in badged_ids(page), timeout=20, message="first page badged", page=page)

    # Two batches, a moment apart, in separate mutations.
    late = {"6746cc000000000000000001": "沙发求链接", "6746cc000000000000000002": "好看",
            "6746cc000000000000000003": "落地灯在哪里买呀"}
    ids = list(late)
    page.evaluate(APPEND_DOM_ONLY, [ids[:2], [late[i] for i in ids[:2]]])
    page.wait_for_timeout(300)
    page.evaluate(APPEND_DOM_ONLY, [ids[2:], [late[i] for i in ids[2:]]])
    wait_until(lambda: set(ids) <= set(stored_comments(helper_server)), timeout=30, message="late DOM comments stored", page=page)
    rows = stored_comments(helper_server)
    assert {i: rows[i]["text"] for i in ids} == late
    assert all(rows[i]["note_id"] == note.id and rows[i]["parent_id"] is None for i in ids)
    flagged = {i for i in ids if rows[i]["is_request"]}
    assert "6746cc000000000000000001" in flagged
    wait_until(lambda: flagged <= badged_ids(page), timeout=20, message="late DOM comments badged", page=page)

    # The site re-renders an item (a fresh element, same id): its badge comes back on the new element.
    assert page.evaluate("""id => { const old = document.getElementById('comment-' + id);
        const fresh = old.cloneNode(true); fresh.querySelectorAll('[data-linktriage]').forEach(el => el.remove());
        old.replaceWith(fresh); return !!old.querySelector('[data-linktriage="badge"]') && !fresh.querySelector('[data-linktriage="badge"]'); }""", sofa.id)
    wait_until(lambda: sofa.id in badged_ids(page), timeout=10, message="badge back after re-render", page=page)
    assert "云朵沙发" in badge_text(page, sofa.id)


def test_concurrent_captures_are_all_queued_then_delivered(launch_chromium, helper_server_factory):
    """Many tabs' batches landing at once on the service worker: none may overwrite another in the queue."""
    helper = helper_server_factory()  # down while the batches arrive
    context = launch_chromium(extension=True)
    point_extension_at(context, helper.port)
    note_id = "6746dd00000000000000aa01"
    batches = [[{"id": f"6746dd{b:02d}{i:016x}", "note_id": note_id, "text": f"并发 {b}-{i}"} for i in range(5)] for b in range(25)]
    stop_service_worker(context)  # they wake it: all arrive while it reads the stored queue
    replies = extension_page(context).evaluate(
        """([noteId, batches]) => Promise.all(batches.map(comments => chrome.runtime.sendMessage(
               {type: 'linktriage:capture', note: {id: noteId, title: '并发'}, comments})))""",
        [note_id, batches],
    )
    assert all(r and r["ok"] for r in replies), replies
    want = {c["id"] for batch in batches for c in batch}
    # Acknowledged means written: the stored queue holds every comment, once.
    queued = queued_comment_ids(context)
    assert sorted(queued) == sorted(want)

    helper.start()
    extension_page(context).evaluate("chrome.runtime.sendMessage({type: 'linktriage:retry-now'})")
    wait_until(lambda: want <= set(stored_comments(helper)), timeout=60, message="all delivered")
    wait_until(lambda: not queued_comment_ids(context), timeout=20, message="queue emptied")
