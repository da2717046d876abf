"""The extension's one-click reply claims the request first (issue 14, team mode), in Debian's Chromium with
the extension loaded unpacked on the fixture Xiaohongshu (routed pages), against two real helpers
(`linktriage serve --operator Ana` / `--operator Bo`) on one database; the extension is paired with Bo's.
A request Ana holds says "Ana is on it" and its reply is not filled (until "Answer anyway"); a free one
is filled and becomes Bo's; with Bo's helper stopped the reply is filled as always."""

from __future__ import annotations

import os

import pytest
from chromium import point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite
from test_dashboard import Api
from test_extension import badge_action, badge_text, badged_ids, by_text, load_everything, wait_until

from helper import store
from live_helper import HelperProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def ana_and_bo(tmp_path):
    env = {**os.environ, store.DATABASE_ENV: f"sqlite:///{tmp_path / 'team.sqlite3'}"}
    ana = HelperProcess(tmp_path / "ana", env=env, args=["--operator", "Ana"])
    bo = HelperProcess(tmp_path / "bo", env=env, args=["--operator", "Bo"])
    try:
        ana.start()
        bo.start()
        catalog = tmp_path / "products.csv"
        catalog.write_text(X.PRODUCTS_CSV, encoding="utf-8")
        done = ana.cli("products", "import", str(catalog))
        assert done.returncode == 0, done.stderr
        yield ana, bo
    finally:
        ana.stop()
        bo.stop()


def composer_text(page) -> str:
    return page.evaluate("window.__fixtureComposer.text")


def test_a_request_another_operator_holds_is_not_filled_and_says_who(ana_and_bo, launch_chromium):
    ana, bo = ana_and_bo
    context = launch_chromium(extension=True)
    site = FixtureSite().install(context)
    point_extension_at(context, bo.port)
    note = X.NOTE_A
    page = context.new_page()
    page.goto(site.note_url(note.id))
    load_everything(page)

    as_ana, as_bo = Api(ana), Api(bo)
    sofa, lamp = by_text(note, "求同款沙发"), by_text(note, "落地灯求链接")
    wait_until(lambda: {sofa.id, lamp.id} <= badged_ids(page), timeout=60, message="both requests badged", page=page)
    assert as_bo.comment(sofa.id)["claimed_by"] is None

    # Ana opened the sofa request in her dashboard: she holds it.
    assert as_ana.call("POST", f"/api/comments/{sofa.id}/claim", {})["claimed_by"] == "Ana"

    # Bo's one-click reply asks his helper first: 409, so nothing is filled and the badge says who is on it.
    badge_action(page, sofa.id, "reply").click()
    anyway = page.locator(f'[data-linktriage="badge"][data-comment-id="{sofa.id}"] [data-linktriage="answer-anyway"]')
    anyway.wait_for(timeout=10_000)
    assert any(text in badge_text(page, sofa.id) for text in ("Ana is on it", "Ana 正在处理"))
    page.wait_for_timeout(500)
    assert composer_text(page) == ""
    held = as_bo.comment(sofa.id)
    assert held["claimed_by"] == "Ana" and held["status"] == "new"

    # "Answer anyway" fills it (the creator decides); Ana keeps her claim.
    anyway.click()
    page.wait_for_function("() => window.__fixtureComposer.text.length > 0")
    assert composer_text(page) == as_bo.comment(sofa.id)["suggested_reply"]
    assert page.evaluate("window.__fixtureComposer.replyTo.id") == sofa.id
    assert as_bo.comment(sofa.id)["claimed_by"] == "Ana"

    # A request no one holds: filled at once, and now Bo's (recorded as his reply fill).
    badge_action(page, lamp.id, "reply").click()
    page.wait_for_function(f"() => window.__fixtureComposer.replyTo && window.__fixtureComposer.replyTo.id === {lamp.id!r}")
    assert composer_text(page) == as_bo.comment(lamp.id)["suggested_reply"]
    assert as_ana.comment(lamp.id)["claimed_by"] == "Bo"
    assert page.locator(f'[data-linktriage="badge"][data-comment-id="{lamp.id}"] [data-linktriage="answer-anyway"]').count() == 0

    # Bo's helper stops: the one-click reply still fills (a lone creator is never blocked).
    bo.stop()
    badge_action(page, sofa.id, "reply").click()
    page.wait_for_function(f"() => window.__fixtureComposer.replyTo && window.__fixtureComposer.replyTo.id === {sofa.id!r}",
                           timeout=15_000)
    assert composer_text(page) == as_ana.comment(sofa.id)["suggested_reply"]
