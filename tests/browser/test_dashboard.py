"""The dashboard in Debian's Chromium against a real `linktriage serve`, seeded with the CLI.

The inbox must list exactly what the API calls requests; triage and filters must survive a reload;
comment markup must stay text; the charts must draw; exports must be safe CSV; and a page on another
origin must not be able to change anything.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from datetime import date, datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.browser

BASE = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
TITLES = {"n1": "客厅改造｜羊毛地毯", "n2": "卧室灯光分享", "n3": "香薰蜡烛合集"}
# Our own example comments: (id, note, text, author, days before BASE).
COMMENTS = [
    ("c01", "n1", "羊毛地毯求链接！", "小鹿", 0),
    ("c02", "n1", "地毯在哪里买呀", "Momo", 1),
    ("c03", "n1", "好好看，已关注", "阿青", 1),
    ("c04", "n2", "落地灯求链接", "Lin", 2),
    ("c05", "n2", "where can I buy this lamp?", "Jess", 2),
    ("c06", "n2", '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> 求链接', "hacker", 3),
    ("c07", "n2", '=HYPERLINK("http://evil.example","点我") 求链接', "formula", 3),
    ("c08", "n1", "颜色真舒服", "Bo", 4),
    ("c09", "n3", "求香薰蜡烛链接", "小雨", 5),
    ("c10", "n3", "蜡烛lj", "Yu", 6),
]
CATALOG = (
    "name,link,aliases,note_ids,reply\n"
    "羊毛地毯,https://www.xiaohongshu.com/goods-detail/abc123,地毯|rug,n1,\n"
    "落地灯,https://item.taobao.com/item.htm?id=1,灯|lamp,n2,@{nickname} {product}在这里：{link}\n"
    "香薰蜡烛,,蜡烛|candle,n3,\n"
)


def settled(page, check, timeout_s: float = 10.0) -> None:
    """Wait (in Playwright's clock, so the page keeps running) until `check()` holds: what the helper
    stores follows what the page shows by one round trip."""
    for _ in range(int(timeout_s * 10)):
        if check():
            return
        page.wait_for_timeout(100)
    assert check(), "the helper never stored what the page shows"


def seed_files(tmp_path):
    lines = []
    for i, (cid, note, text, author, days) in enumerate(COMMENTS):
        created = BASE - timedelta(days=days, hours=i * 3)
        lines.append(
            json.dumps(
                {"id": cid, "note_id": note, "note_title": TITLES[note], "text": text, "author": author,
                 "author_id": f"u{cid}", "created_at": created.isoformat()},
                ensure_ascii=False,
            )
        )
    comments = tmp_path / "comments.jsonl"
    comments.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    return comments, catalog


class Api:
    """The helper's API as the dashboard calls it (token read from the served page)."""

    def __init__(self, server):
        self.base = server.base_url
        html = urllib.request.urlopen(self.base + "/").read().decode()
        self.token = re.search(r'name="linktriage-token" content="([^"]+)"', html).group(1)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"X-LinkTriage-Token": self.token, "Content-Type": "application/json"}
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    def get(self, path):
        return self.call("GET", path)

    def comment(self, cid):
        return next(c for c in self.get("/api/comments?limit=1000")["items"] if c["id"] == cid)


@pytest.fixture
def seeded(helper_server, tmp_path):
    comments, catalog = seed_files(tmp_path)
    for args in (("products", "import", str(catalog)), ("ingest", str(comments))):
        done = helper_server.cli(*args)
        assert done.returncode == 0, done.stderr
    return helper_server


@pytest.fixture
def api(seeded):
    return Api(seeded)


@pytest.fixture
def page(seeded, launch_chromium):
    context = launch_chromium(extension=False)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def open_view(page, server, view, rows=True):
    page.goto(f"{server.base_url}/#{view}")
    if rows:
        page.wait_for_selector(f"#view-{view} .row, #view-{view} .empty")
    return page


def row_ids(page, view="inbox"):
    return page.locator(f"#view-{view} .row").evaluate_all("rows => rows.map(r => r.dataset.id)")


def wait_rows(page, view, ids):
    """Wait until the list shows exactly `ids` in this order (views reload without a page load)."""
    page.wait_for_function(
        "([view, ids]) => JSON.stringify([...document.querySelectorAll(`#view-${view} .row`)].map(r => r.dataset.id)) === JSON.stringify(ids)",
        arg=[view, ids],
    )


def test_inbox_lists_exactly_the_requests_newest_first(page, seeded, api):
    expected = [c["id"] for c in api.get("/api/requests?limit=1000")["items"]]
    assert len(expected) >= 5  # the model flags most of our 求链接 comments
    open_view(page, seeded, "inbox")
    assert row_ids(page) == expected
    first = page.locator("#view-inbox .row").first
    stored = api.comment(expected[0])
    assert first.locator(".comment-text").inner_text() == stored["text"]
    assert first.locator(".note-title").inner_text() == TITLES[stored["note_id"]]
    assert first.locator(".reply-text").input_value() == stored["suggested_reply"]
    assert page.locator("#view-inbox .pager .range").inner_text().endswith(f"{len(expected)} 条")
    page.screenshot(path="/tmp/linktriage-dashboard-inbox.png", full_page=True)
    assert page.errors == []


def test_markup_in_comments_shows_as_text_and_never_runs(page, seeded):
    open_view(page, seeded, "comments")
    row = page.locator('#view-comments .row[data-id="c06"]')
    assert row.locator(".comment-text").inner_text() == COMMENTS[5][2]
    assert page.locator("#view-comments .rows script, #view-comments .rows img").count() == 0
    assert page.evaluate("window.__pwned") is None
    formula = page.locator('#view-comments .row[data-id="c07"] .comment-text').inner_text()
    assert formula.startswith("=HYPERLINK(")
    assert page.errors == []


def test_triage_and_filters_persist_across_reload(page, seeded, api):
    open_view(page, seeded, "inbox")
    page.select_option('#view-inbox select[data-filter="product"]', "落地灯")
    lamp = [c["id"] for c in api.get("/api/requests?product=%E8%90%BD%E5%9C%B0%E7%81%AF")["items"]]
    assert len(lamp) >= 2
    wait_rows(page, "inbox", lamp)

    # The button, then the keyboard: a handled row leaves "new" and the next one takes its place.
    page.locator("#view-inbox .row").first.locator('[data-action="replied"]').click()
    wait_rows(page, "inbox", lamp[1:])
    page.keyboard.press("i")
    wait_rows(page, "inbox", lamp[2:])
    page.wait_for_function(
        "n => document.querySelector('#view-inbox [data-list-view=new] .count').textContent === n", arg=str(len(lamp) - 2)
    )
    # The list moves on at once; the saves reach the helper a moment later (the toast says when).
    settled(page, lambda: api.comment(lamp[0])["status"] == "replied" and api.comment(lamp[1])["status"] == "ignored")

    # Every status stays reachable; the suggested reply is editable and saved when the field is left.
    page.click('#view-inbox [data-list-view="all"]')
    wait_rows(page, "inbox", lamp)
    assert page.locator(f'#view-inbox .row[data-id="{lamp[0]}"]').get_attribute("data-status") == "replied"
    page.locator(f'#view-inbox .row[data-id="{lamp[0]}"] .comment-text').click()
    area = page.locator(f'#view-inbox .row[data-id="{lamp[0]}"] .reply-text')
    area.fill("@Lin 落地灯在笔记的商品卡里～")
    area.blur()
    page.wait_for_function("() => document.querySelector('#toast .toast-text')?.textContent === '回复已保存'")
    assert api.comment(lamp[0])["suggested_reply"] == "@Lin 落地灯在笔记的商品卡里～"

    page.reload()
    page.wait_for_selector("#view-inbox .row, #view-inbox .empty")
    assert page.locator('#view-inbox select[data-filter="product"]').input_value() == "落地灯"
    assert row_ids(page) == lamp[2:]  # back in "new" after a reload, not among handled rows
    page.click('#view-inbox [data-list-view="all"]')
    wait_rows(page, "inbox", lamp)
    assert page.locator(f'#view-inbox .row[data-id="{lamp[0]}"] .reply-text').input_value().startswith("@Lin 落地灯在笔记")

    # Status view + bulk action.
    page.select_option('#view-inbox select[data-filter="product"]', "")
    page.click('#view-inbox [data-list-view="new"]')
    new = [c["id"] for c in api.get("/api/requests?status=new")["items"]]
    wait_rows(page, "inbox", new)
    for cid in new[:2]:
        page.locator(f'#view-inbox .row[data-id="{cid}"] .row-select').check()
    page.locator('#view-inbox [data-bulk="replied"]').click()
    wait_rows(page, "inbox", new[2:])
    settled(page, lambda: [api.comment(cid)["status"] for cid in new[:2]] == ["replied", "replied"])
    assert page.errors == []


def test_corrections_feed_training(page, seeded, api):
    requests = [c["id"] for c in api.get("/api/requests")["items"]]
    open_view(page, seeded, "inbox")
    page.locator(f'#view-inbox .row[data-id="{requests[0]}"] [data-action="not-request"]').click()
    wait_rows(page, "inbox", requests[1:])  # not a request: it leaves the inbox at once
    for _ in range(50):
        if api.comment(requests[0])["correction"] == "not_request":
            break
        page.wait_for_timeout(100)
    assert api.comment(requests[0])["correction"] == "not_request"

    missed = next(c["id"] for c in api.get("/api/comments?limit=1000")["items"] if not c["is_request"] and not c["correction"])
    open_view(page, seeded, "comments")
    page.wait_for_selector(f'#view-comments .row[data-id="{requests[0]}"] .correction', state="attached")
    page.locator(f'#view-comments .row[data-id="{missed}"] .comment-text').click()  # details open on focus
    page.locator(f'#view-comments .row[data-id="{missed}"] [data-action="missed"]').click()
    page.wait_for_selector(f'#view-comments .row[data-id="{missed}"].is-request')
    for _ in range(50):
        if api.comment(missed)["correction"] == "missed":
            break
        page.wait_for_timeout(100)
    assert api.comment(missed)["correction"] == "missed"
    now_requests = [c["id"] for c in api.get("/api/requests")["items"]]
    assert missed in now_requests and requests[0] not in now_requests

    # Taking the correction back: the row shows the model's own verdict again (not a request).
    row = page.locator(f'#view-comments .row[data-id="{missed}"]')
    row.locator(".comment-text").click()  # the action moved the focus on: back to this row's details
    row.locator('[data-action="undo-correction"]').click()
    page.wait_for_selector(f'#view-comments .row[data-id="{missed}"]:not(.is-request)')
    assert row.locator(".correction").count() == 0
    for _ in range(50):
        if api.comment(missed)["correction"] is None:
            break
        page.wait_for_timeout(100)
    assert api.comment(missed)["correction"] is None and api.comment(missed)["is_request"] is False
    row.locator(".comment-text").click()
    row.locator('[data-action="missed"]').click()
    page.wait_for_selector(f'#view-comments .row[data-id="{missed}"].is-request .correction')
    for _ in range(50):
        if api.comment(missed)["correction"] == "missed":
            break
        page.wait_for_timeout(100)
    open_view(page, seeded, "inbox")
    wait_rows(page, "inbox", now_requests)
    assert page.errors == []


def read_download(page, click):
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_export_downloads_csv_with_bom_and_neutralised_formulas(page, seeded, api):
    open_view(page, seeded, "inbox")
    name, data = read_download(page, lambda: page.click('#view-inbox [data-export="filtered"]'))
    assert name == f"linktriage-requests-{date.today().isoformat()}.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["comment_id"] for r in rows] == [c["id"] for c in api.get("/api/requests?limit=1000")["items"]]
    texts = {r["comment_id"]: r["text"] for r in rows}
    if "c07" in texts:
        assert texts["c07"].startswith("'=HYPERLINK(")
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)

    name, data = read_download(page, lambda: page.click('#view-inbox [data-export="all"]'))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert name.startswith("linktriage-comments-") and len(rows) == len(COMMENTS)
    assert {r["comment_id"]: r["text"] for r in rows}["c07"].startswith("'=HYPERLINK(")


def test_insights_chart_is_drawn_and_exported(page, seeded, api):
    open_view(page, seeded, "insights", rows=False)
    page.wait_for_selector('[data-chart="days"] svg rect.bar')
    total = api.get("/api/insights")["total"]
    heights = page.locator('[data-chart="days"] rect.bar').evaluate_all("bars => bars.map(b => +b.getAttribute('height'))")
    assert len(heights) >= 3 and all(h > 0 for h in heights)
    assert page.locator('[data-chart="hours"] rect.bar').count() >= 2
    assert page.locator(".summary").inner_text().startswith(f"共 {total} 条求链接")
    legend = page.locator('[data-chart="days"] .legend text').evaluate_all("ts => ts.map(t => t.textContent)")
    assert any(t.startswith("落地灯") for t in legend)
    page.screenshot(path="/tmp/linktriage-dashboard-insights.png", full_page=True)

    page.select_option('[data-filter="group"]', "note")
    page.wait_for_function("() => [...document.querySelectorAll('[data-chart=days] .legend text')].some(t => t.textContent.startsWith('卧室灯光分享'))")

    name, data = read_download(page, lambda: page.click('[data-export="svg"]'))
    assert name.endswith(".svg") and b"<svg" in data and b"rect" in data
    name, data = read_download(page, lambda: page.click('[data-export="png"]'))
    assert name.endswith(".png") and data.startswith(b"\x89PNG")
    name, data = read_download(page, lambda: page.click('[data-export="insights-csv"]'))
    assert data.startswith(b"\xef\xbb\xbf") and b"dimension,id,name,date,hour,requests,unanswered" in data
    assert page.errors == []


def insights_summary_is(page, total):
    page.wait_for_function(
        "prefix => document.querySelector('#view-insights .summary')?.textContent.startsWith(prefix)",
        arg=f"共 {total} 条求链接",
    )


def insights_table(page):
    return page.locator("#view-insights .insights-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].slice(0, 3).map(c => c.textContent))"
    )


def test_insights_note_and_product_filters_reach_the_table_and_the_csv(page, seeded, api):
    everything = api.get("/api/insights")
    lamp_note = api.get("/api/insights?note_id=n2")
    assert 0 < lamp_note["total"] < everything["total"]
    open_view(page, seeded, "insights", rows=False)
    insights_summary_is(page, everything["total"])
    notes = page.locator('#view-insights select[data-filter="note_id"] option').evaluate_all(
        "os => os.map(o => [o.value, o.textContent])"
    )
    assert notes[0] == ["", "全部"] and ["n2", TITLES["n2"]] in notes
    products = page.locator('#view-insights select[data-filter="product"] option').evaluate_all("os => os.map(o => o.value)")
    assert set(products) == {"", "羊毛地毯", "落地灯", "香薰蜡烛"}

    # One note: the totals and the per-product table are that note's requests only.
    page.select_option('#view-insights select[data-filter="note_id"]', "n2")
    insights_summary_is(page, lamp_note["total"])
    expected = [[p["name"] or "（未识别商品）", str(p["total"]), str(p["unanswered"])] for p in lamp_note["products"]]
    assert insights_table(page) == expected
    page.select_option('#view-insights select[data-filter="group"]', "note")
    page.wait_for_function("() => document.querySelectorAll('#view-insights .insights-table tbody tr').length === 1")
    assert insights_table(page) == [[TITLES["n2"], str(lamp_note["total"]), str(lamp_note["unanswered"])]]
    page.screenshot(path="/tmp/linktriage-dashboard-insights-filtered.png", full_page=True)

    # The aggregates CSV carries the same filter.
    name, data = read_download(page, lambda: page.click('#view-insights [data-export="insights-csv"]'))
    assert name.startswith("linktriage-insights-")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["id"] for r in rows if r["dimension"] == "note"} == {"n2"}
    assert next(r for r in rows if r["dimension"] == "total")["requests"] == str(lamp_note["total"])

    # Remembered across a reload; then a product on top of the note, then back to all.
    page.reload()
    insights_summary_is(page, lamp_note["total"])
    assert page.locator('#view-insights select[data-filter="note_id"]').input_value() == "n2"
    lamp_in_lamp_note = api.get("/api/insights?note_id=n2&product=%E8%90%BD%E5%9C%B0%E7%81%AF")
    page.select_option('#view-insights select[data-filter="product"]', "落地灯")
    insights_summary_is(page, lamp_in_lamp_note["total"])
    page.select_option('#view-insights select[data-filter="note_id"]', "")
    page.select_option('#view-insights select[data-filter="product"]', "")
    insights_summary_is(page, everything["total"])
    assert page.errors == []


def test_products_add_preview_edit_import_delete(page, seeded, api, tmp_path):
    open_view(page, seeded, "products", rows=False)
    page.wait_for_selector(".products-table")
    page.click("text=添加商品")
    form = page.locator(".product-form")
    form.locator('input[name="name"]').fill("陶瓷花瓶")
    form.locator('input[name="link"]').fill("https://shop.example.com/vase")
    form.locator('textarea[name="reply"]').fill("@{nickname} {product}看这里 https://detail.tmall.com/item.htm?id=5")
    page.wait_for_function("() => document.querySelector('[data-preview=text]').textContent.includes('陶瓷花瓶')")
    warnings = form.locator('[data-preview="compliance"] li').all_inner_texts()
    assert any(w.startswith("含站外链接 detail.tmall.com（天猫）：小红书") for w in warnings), warnings  # a Chinese reply, Chinese warnings
    page.screenshot(path="/tmp/linktriage-dashboard-products.png", full_page=True)
    form.locator('button[type="submit"]').click()
    page.wait_for_selector('tr[data-product="陶瓷花瓶"]')
    vase = next(p for p in api.get("/api/products")["items"] if p["name"] == "陶瓷花瓶")
    assert vase["link"] == "https://shop.example.com/vase" and "tmall" in vase["reply"]

    page.locator('tr[data-product="陶瓷花瓶"] button', has_text="编辑").click()
    page.locator('.product-form input[name="aliases"]').fill("花瓶, vase")
    page.locator('.product-form button[type="submit"]').click()
    page.wait_for_selector(".product-form", state="detached")
    assert next(p for p in api.get("/api/products")["items"] if p["name"] == "陶瓷花瓶")["aliases"] == ["花瓶", "vase"]

    catalog = tmp_path / "more.csv"
    catalog.write_text("name,link,aliases,note_ids,reply\n亚麻窗帘,,窗帘,n1,\n", encoding="utf-8")
    page.set_input_files('[data-import="csv"]', str(catalog))
    page.wait_for_selector('tr[data-product="亚麻窗帘"]')

    page.locator('tr[data-product="陶瓷花瓶"] button', has_text="删除").click()
    page.wait_for_selector('tr[data-product="陶瓷花瓶"]', state="detached")
    names = {p["name"] for p in api.get("/api/products")["items"]}
    assert "陶瓷花瓶" not in names and {"亚麻窗帘", "羊毛地毯"} <= names
    assert page.errors == []


def test_pairing_panel_shows_revokes_and_reopens(page, seeded, api):
    extension = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    request = urllib.request.Request(
        seeded.base_url + "/api/pair", data=b"{}", method="POST",
        headers={"Origin": extension, "Content-Type": "application/json"},
    )
    assert json.load(urllib.request.urlopen(request))["token"]
    open_view(page, seeded, "pairing", rows=False)
    page.wait_for_selector(".pairing-table .origin")
    assert page.locator(".pairing-table .origin").inner_text() == extension
    assert page.locator('[data-pairing="closed"]').count() == 1
    page.click('[data-action="revoke"]')
    page.wait_for_selector(".pairing-table", state="detached")
    assert api.get("/api/pairing")["paired"] is False
    page.click('[data-action="open-pairing"]')
    page.wait_for_selector('[data-pairing="open"]')
    assert api.get("/api/pairing")["pairing_open"] is True


def test_language_toggle_and_help(page, seeded):
    open_view(page, seeded, "inbox")
    assert page.locator('[data-view="inbox"] .label').inner_text() == "求链接收件箱"
    page.click("#lang-toggle")
    assert page.locator('[data-view="inbox"] .label').inner_text() == "Requests"
    assert page.locator('#view-inbox [data-bulk="replied"]').inner_text() == "Mark replied"
    page.reload()
    page.wait_for_selector("#view-inbox .row")
    assert page.locator('[data-view="products"] .label').inner_text() == "Products"
    page.keyboard.press("?")
    assert page.locator("#help-dialog").is_visible()
    page.screenshot(path="/tmp/linktriage-dashboard-help.png")


EVIL_PAGE = """<!doctype html><html><body>
<form id="f" method="POST" action="{base}/api/comments/bulk" enctype="text/plain">
  <input name='{{"ids":["c01","c02","c04"],"status":"ignored","x":"' value='"}}'>
</form>
<script>
  const base = "{base}";
  const send = (path, body) => fetch(base + path, {{method: "POST", mode: "no-cors",
      headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify(body)}}).catch(() => null);
  window.results = Promise.all([
    send("/api/comments/bulk", {{ids: ["c01", "c02", "c04"], status: "replied"}}),
    send("/api/products", {{name: "evil product"}}),
    send("/api/pairing/open", {{}}),
    fetch(base + "/").then(r => r.text()).then(t => "read:" + t.length, e => "blocked"),
  ]).then(r => r[3]);
</script></body></html>"""


def test_cross_site_posts_from_another_origin_change_nothing(page, seeded, api):
    before = {c["id"]: (c["status"], c["correction"]) for c in api.get("/api/comments?limit=1000")["items"]}
    products = sorted(p["name"] for p in api.get("/api/products")["items"])
    pairing = api.get("/api/pairing")

    html = EVIL_PAGE.format(base=seeded.base_url)
    page.context.route("https://evil.example/**", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto("https://evil.example/")
    assert page.evaluate("window.results") == "blocked"  # the page cannot read the token-bearing page
    with page.expect_navigation() as navigation:
        page.evaluate("document.getElementById('f').submit()")  # a classic CSRF form post
    assert navigation.value.status == 403

    after = {c["id"]: (c["status"], c["correction"]) for c in api.get("/api/comments?limit=1000")["items"]}
    assert after == before
    assert sorted(p["name"] for p in api.get("/api/products")["items"]) == products
    assert api.get("/api/pairing") == pairing


def clipboard_becomes(page, text, tries=20):
    for _ in range(tries):
        if page.evaluate("navigator.clipboard.readText()") == text:
            return True
        page.wait_for_timeout(100)
    return False


def test_copy_reply_with_the_button_and_the_c_key(page, seeded, api):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=seeded.base_url)
    requests = api.get("/api/requests")["items"]
    open_view(page, seeded, "inbox")
    page.locator("#view-inbox .row").first.locator('[data-action="copy"]').click()
    assert clipboard_becomes(page, requests[0]["suggested_reply"])
    page.keyboard.press("j")
    page.keyboard.press("c")
    assert clipboard_becomes(page, requests[1]["suggested_reply"])
    assert requests[0]["suggested_reply"] != requests[1]["suggested_reply"]


def test_pages_through_many_comments_from_the_server(page, helper_server, tmp_path):
    lines = [
        json.dumps({"id": f"bulk{i:03d}", "note_id": "n9", "text": f"第{i}条：好看", "author": f"fan{i}",
                    "created_at": (BASE - timedelta(minutes=i)).isoformat()}, ensure_ascii=False)
        for i in range(120)
    ]
    many = tmp_path / "many.jsonl"
    many.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert helper_server.cli("ingest", str(many)).returncode == 0
    api = Api(helper_server)
    first, second = (api.get(f"/api/comments?limit=50&offset={o}")["items"] for o in (0, 50))
    open_view(page, helper_server, "comments")
    wait_rows(page, "comments", [c["id"] for c in first])
    page.click('#view-comments [data-page="next"]')
    wait_rows(page, "comments", [c["id"] for c in second])
    total = api.get("/api/comments?limit=1")["total"]
    assert page.locator("#view-comments .range").inner_text() == f"第 2 页 · 本页 50 条 · 共 {total} 条"
    page.click('#view-comments [data-page="prev"]')
    wait_rows(page, "comments", [c["id"] for c in first])


def test_tells_when_the_helper_is_gone(page, seeded):
    open_view(page, seeded, "inbox")
    seeded.stop()
    page.click('[data-view="comments"]')
    page.wait_for_selector("#toast:not([hidden])")
    assert page.locator("#toast").inner_text() == "无法连接本地助手（helper 未运行？）"
    assert page.locator("#toast").get_attribute("data-kind") == "error"


def test_search_and_date_range_filters(page, seeded, api):
    open_view(page, seeded, "comments")
    page.fill('#view-comments [data-filter="q"]', "蜡烛")
    expected = [c["id"] for c in api.get("/api/comments?q=%E8%9C%A1%E7%83%9B")["items"]]
    assert expected and len(expected) < len(COMMENTS)
    wait_rows(page, "comments", expected)
    page.click("#view-comments >> text=清除筛选")
    wait_rows(page, "comments", [c["id"] for c in api.get("/api/comments")["items"]])

    # From 11-20 to 11-22 means those whole local days; the browser sends the local-midnight instants.
    since, until = page.evaluate("() => [new Date(2026, 10, 20).toISOString(), new Date(2026, 10, 23).toISOString()]")
    window = [c["id"] for c in api.get(f"/api/comments?since={since}&until={until}")["items"]]
    page.fill('#view-comments [data-filter="since"]', "2026-11-20")
    page.fill('#view-comments [data-filter="until"]', "2026-11-22")
    assert window and len(window) < len(COMMENTS)
    wait_rows(page, "comments", window)
    page.reload()
    wait_rows(page, "comments", window)
