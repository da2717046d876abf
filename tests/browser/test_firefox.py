"""The extension in Debian's firefox-esr (issue 16, item 8): installed as a temporary add-on over WebDriver
BiDi (no patched browser), on the fixture site served on its real URLs, with a real helper: captured
comments reach the helper and the requests get their badges.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlparse

import pytest

from bidi import FIREFOX, Firefox
from chromium import EXTENSION_DIR
from fixtures import xhs_data as X
from fixtures.xhs_site import EDITH, WWW, FixtureSite
from test_extension import assert_note_stored, by_id, flagged_ids, stored_comments, wait_until

pytestmark = pytest.mark.browser

DEFAULT_PORT = 17615  # extension/lib/constants.js (helper/vocab.py)
GECKO_ID = json.loads((EXTENSION_DIR / "manifest.json").read_text())["browser_specific_settings"]["gecko"]["id"]


class _Route:
    """Playwright's route.fulfill shape, so FixtureSite's own handlers answer Firefox's requests too."""

    def __init__(self, method: str, url: str):
        self.request = type("Request", (), {"method": method, "url": url})()
        self.answer = None

    def fulfill(self, status=200, headers=None, content_type=None, body=""):
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        self.answer = (status, headers, body)


@pytest.fixture
def default_port_helper(helper_server):
    """The test's helper reachable on the extension's default port 17615 (through a forwarding proxy)."""
    import socket

    from helper_proxy import HelperProxy

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", DEFAULT_PORT))
        except OSError:
            pytest.fail(f"port {DEFAULT_PORT} is in use (a helper started with scripts/run?): the Firefox test needs it")
    proxy = HelperProxy(helper_server.port, port=DEFAULT_PORT)
    yield helper_server
    proxy.close()


@pytest.fixture
def firefox(tmp_path):
    if not FIREFOX or not __import__("pathlib").Path(FIREFOX).exists():
        pytest.fail(f"{FIREFOX} is missing: scripts/test installs Debian's firefox-esr (apt-get install firefox-esr)")
    ext_uuid = str(uuid.uuid4())
    browser = Firefox(tmp_path / "firefox-profile", prefs={
        # The extension's pages get a known address (moz-extension://<uuid>/), so the test can open its options.
        "extensions.webextensions.uuids": json.dumps({GECKO_ID: ext_uuid}),
    })
    browser.ext_origin = f"moz-extension://{ext_uuid}"
    yield browser
    browser.close()


def test_firefox_capture_reaches_the_helper_and_requests_are_badged(firefox, default_port_helper):
    helper_server = default_port_helper
    site = FixtureSite()

    def respond(method, url):
        route = _Route(method, url)
        host = urlparse(url).hostname
        (site._www if f"https://{host}" == WWW else site._edith)(route)
        return route.answer

    firefox.serve([urlparse(WWW).hostname, urlparse(EDITH).hostname], respond)
    assert firefox.install_extension(EXTENSION_DIR) == GECKO_ID

    # Zero-config, as a creator starts: the extension talks to the default port, where this test puts a
    # loopback proxy in front of its helper (Firefox does not let a BiDi client open extension pages).
    tab = firefox.new_tab()

    note = X.NOTE_B
    firefox.goto(tab, site.note_url(note.id))
    # Scroll the comment list to the end and click every 展开, as the creator would.
    for _ in range(40):
        done = firefox.evaluate(tab, """(() => {
            const more = document.querySelector('.show-more'); if (more) { more.click(); return false; }
            if (document.querySelector('.end-container:not([hidden])')) return true;
            const s = document.querySelector('.note-scroller'); if (s) s.scrollTo(0, s.scrollHeight); return false; })()""")
        if done:
            break
        time.sleep(0.3)
    want = {c.id for c in note.all_comments()}
    wait_until(lambda: want <= set(stored_comments(helper_server)), timeout=60, message="comments stored from Firefox")
    assert_note_stored(helper_server, note)
    expected = {i for i in flagged_ids(helper_server, note) if not by_id(note, i).is_author}
    assert expected

    def badged():
        return set(firefox.evaluate(tab, """[...document.querySelectorAll('[data-linktriage="badge"]')]
            .map(b => b.getAttribute('data-comment-id'))""") or [])

    wait_until(lambda: badged() == expected, timeout=30, message="badges in Firefox")
    # The extension made no call to the site's API of its own: only the page's.
    assert all("/comment/" in u for u in site.api_calls)

    # The notifications page too: every comment on the creator's notes that the page loads.
    firefox.goto(tab, f"{WWW}/notification")
    for _ in range(20):
        if firefox.evaluate(tab, """(() => { const s = document.querySelector('.notification-scroller');
                s.scrollTo(0, s.scrollHeight); return !!document.querySelector('.notification-scroller .end:not([hidden])'); })()"""):
            break
        time.sleep(0.3)
    mentions = {m.comment_id for m in X.mention_comments()}
    wait_until(lambda: mentions <= set(stored_comments(helper_server)), timeout=30, message="notifications stored from Firefox")
