"""The dashboard's account switcher (team mode, issue 14) in Debian's Chromium against a real
`linktriage serve`: "all accounts" and each account, filtering the tabs, remembered across reloads."""

from __future__ import annotations

import pytest
from test_dashboard import Api, open_view, row_ids, seed_files, wait_rows

from helper import store

pytestmark = pytest.mark.browser

AUTHORS = {"n1": ("ana", "安娜"), "n2": ("bo", "Bo"), "n3": ("bo", "Bo")}  # the seeded notes' creators


@pytest.fixture
def two_accounts(helper_server, tmp_path):
    """The dashboard tests' comments and catalog, their notes' authors named as a later batch would name
    them (Note.remember), before any page asks the helper for its accounts."""
    comments, catalog = seed_files(tmp_path)
    for args in (("products", "import", str(catalog)), ("ingest", str(comments))):
        done = helper_server.cli(*args)
        assert done.returncode == 0, done.stderr
    db = store.init_db(store.store_target(helper_server.data_dir))
    with db:
        for note_id, (author_id, author_name) in AUTHORS.items():
            store.Note.remember("xhs", note_id, author_id=author_id, author_name=author_name)
    db.close()
    return helper_server


def test_the_account_switcher_filters_every_tab_and_is_remembered(two_accounts, launch_chromium):
    api = Api(two_accounts)
    context = launch_chromium(extension=False)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    every = [c["id"] for c in api.get("/api/requests?status=new")["items"]]
    ana = [c["id"] for c in api.get("/api/requests?status=new&account=ana")["items"]]
    assert ana and set(ana) < set(every)

    open_view(page, two_accounts, "inbox")
    switcher = page.locator('#account-switcher select[data-filter="account"]')
    switcher.wait_for()
    assert page.locator("#account-switcher option").first.text_content() in ("全部账号", "All accounts")
    assert {v for v in switcher.locator("option").evaluate_all("o => o.map(x => x.value)")} == {"", "ana", "bo"}
    wait_rows(page, "inbox", every)  # all accounts at first

    with page.expect_navigation():  # choosing reloads the page: no tab keeps the other account's rows
        switcher.select_option("ana")
    page.wait_for_selector("#view-inbox .row, #view-inbox .empty")
    wait_rows(page, "inbox", ana)
    assert switcher.input_value() == "ana"
    notes = page.locator('#view-inbox select[data-filter="note_id"] option').evaluate_all("o => o.map(x => x.value)")
    assert notes == ["", "n1"]  # the note filter offers this account's notes only

    # Another tab, after a reload: still Ana's.
    page.reload()
    open_view(page, two_accounts, "comments")
    ana_all = [c["id"] for c in api.get("/api/comments?account=ana&limit=1000")["items"]]
    wait_rows(page, "comments", ana_all)
    assert switcher.input_value() == "ana"
    with page.expect_request(lambda r: "/api/insights?" in r.url) as asked:
        page.click('nav.tabs [data-view="insights"]')
    assert "account=ana" in asked.value.url

    # The catalog: shared products and the account's own; a new product is the shown account's.
    page.click('nav.tabs [data-view="products"]')
    page.wait_for_selector('tr[data-product="羊毛地毯"][data-account=""]')  # imported: shared
    page.click("text=添加商品")
    form = page.locator(".product-form")
    assert form.locator('select[name="account"]').input_value() == "ana"
    form.locator('input[name="name"]').fill("陶瓷花瓶")
    form.locator('button[type="submit"]').click()
    page.wait_for_selector('tr[data-product="陶瓷花瓶"][data-account="ana"]')
    vase = next(p for p in api.get("/api/products")["items"] if p["name"] == "陶瓷花瓶")
    assert vase["account"] == "ana"
    page.locator('tr[data-product="陶瓷花瓶"] button', has_text="编辑").click()
    page.locator('.product-form select[name="account"]').select_option("")  # shared by all accounts
    page.locator('.product-form button[type="submit"]').click()
    page.wait_for_selector('tr[data-product="陶瓷花瓶"][data-account=""]')
    assert next(p for p in api.get("/api/products")["items"] if p["name"] == "陶瓷花瓶")["account"] is None

    # Back to all accounts.
    page.click('nav.tabs [data-view="inbox"]')
    with page.expect_navigation():
        switcher.select_option("")
    page.wait_for_selector("#view-inbox .row, #view-inbox .empty")
    wait_rows(page, "inbox", every)
    assert row_ids(page) == every and switcher.input_value() == ""
    assert errors == []
