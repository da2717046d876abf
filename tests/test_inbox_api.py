"""GET /api/inbox (keyset paging for the triage pass), /api/setup, product compliance and the
refresh of pending replies after a template change: Flask test client, real store and analyzer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from helper_support import batch, comment

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def asks(n, note_id="note1", start=0, hours_ago=1):
    """n link requests, one minute apart, the newest `hours_ago` hours old; two share a created_at."""
    out = []
    for i in range(start, start + n):
        created = NOW - timedelta(hours=hours_ago, minutes=i - (1 if i % 10 == 9 else 0))
        out.append(comment(f"r{i:04d}", f"求链接 {i}", note_id=note_id, author=f"买家{i}", author_id=f"u{i}",
                           created_at=ms(created)))
    return out


def load(ext, comments, note_id="note1", **note):
    for i in range(0, len(comments), 500):
        body = ext.post("/api/comments", batch(comments[i:i + 500], note_id=note_id, **note)).get_json()
        assert not body["skipped"], body["skipped"]


def get(client, headers, **params):
    response = client.get("/api/inbox", query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_paging_while_marking_skips_nobody(client, dashboard_headers, paired_extension):
    load(paired_extension, asks(230))
    assert len(get(client, dashboard_headers, limit=200)["items"]) == 200  # the largest page works too
    first = get(client, dashboard_headers, limit=50)
    assert first["view"] == "new" and first["counts"]["new"] == 230 and first["total"] == 230
    seen, cursor, page = [], None, first
    while True:
        ids = [item["id"] for item in page["items"]]
        seen += ids
        # The creator answers every row of the page before going on (the set shrinks under her).
        client.post("/api/comments/bulk", json={"ids": ids, "status": "replied"}, headers=dashboard_headers)
        cursor = page["next"]
        if cursor is None:
            break
        page = get(client, dashboard_headers, limit=50, after=cursor)
        assert page["counts"]["new"] == 230 - len(seen)  # the counts follow the work
    assert len(seen) == len(set(seen)) == 230
    assert get(client, dashboard_headers)["counts"] == {"all": 230, "new": 0, "replied": 230, "ignored": 0, "waiting": 0}


def test_views_waiting_oldest_first_and_counts(client, dashboard_headers, paired_extension):
    load(paired_extension, asks(5, hours_ago=1) + asks(4, start=100, hours_ago=30))
    body = get(client, dashboard_headers, view="waiting")
    assert body["counts"]["waiting"] == 4 and body["total"] == 4
    times = [item["created_at"] for item in body["items"]]
    assert times == sorted(times) and len(times) == 4
    newest = get(client, dashboard_headers)["items"]
    assert [i["created_at"] for i in newest] == sorted((i["created_at"] for i in newest), reverse=True)
    client.patch("/api/comments/r0000", json={"status": "ignored"}, headers=dashboard_headers)
    counts = get(client, dashboard_headers, view="ignored")["counts"]
    assert counts == {"all": 9, "new": 8, "replied": 0, "ignored": 1, "waiting": 4}
    assert [i["id"] for i in get(client, dashboard_headers, view="ignored")["items"]] == ["r0000"]


def test_rows_carry_note_link_parent_and_the_same_buyers_other_asks(client, dashboard_headers, paired_extension):
    note = "6730a1b2000000001e01a2b3"
    load(paired_extension, [
        comment("top1", "这个灯好好看", note_id=note, author="阿青", author_id="a1", created_at=ms(NOW - timedelta(hours=5))),
        comment("re1", "同求链接", note_id=note, parent_id="top1", author="小鹿", author_id="b1",
                created_at=ms(NOW - timedelta(hours=4)), like_count=7),
        comment("re2", "求链接！！", note_id=note, author="小鹿", author_id="b1", created_at=ms(NOW - timedelta(hours=3))),
    ], note_id=note, title="客厅灯光")
    items = {i["id"]: i for i in get(client, dashboard_headers)["items"]}
    assert set(items) >= {"re1", "re2"}
    assert items["re1"]["note_url"] == f"https://www.xiaohongshu.com/explore/{note}"
    assert items["re1"]["note_title"] == "客厅灯光" and items["re1"]["like_count"] == 7
    assert items["re1"]["parent"] == {"id": "top1", "author": "阿青", "text": "这个灯好好看"}
    assert items["re2"]["parent"] is None
    assert [a["id"] for a in items["re2"]["same_buyer"]] == ["re1"]
    assert [a["id"] for a in items["re1"]["same_buyer"]] == ["re2"]


def test_bad_cursor_and_view_are_400(client, dashboard_headers):
    for params in ({"after": "nonsense"}, {"view": "later"}, {"mode": "x"}, {"limit": 0}):
        response = client.get("/api/inbox", query_string=params, headers=dashboard_headers)
        assert response.status_code == 400 and response.get_json()["error"]


def test_setup_ticks_follow_the_state(client, dashboard_headers, paired_extension):
    # paired_extension paired already; products and comments come next.
    state = client.get("/api/setup", headers=dashboard_headers).get_json()
    assert state["helper"] and state["paired"] and state["products"] == 0 and not state["comments_captured"]
    client.post("/api/products", json={"name": "落地灯", "link": ""}, headers=dashboard_headers)
    load(paired_extension, asks(1))
    state = client.get("/api/setup", headers=dashboard_headers).get_json()
    assert state["products"] == 1 and state["comments_captured"] and state["notes"] == 1


def test_product_compliance_and_refresh_of_pending_replies(client, dashboard_headers, paired_extension):
    lamp = {"name": "落地灯", "link": "", "aliases": ["灯"], "note_ids": ["note1"], "reply": "@{nickname} {product}在商品卡里"}
    created = client.post("/api/products", json=lamp, headers=dashboard_headers).get_json()
    load(paired_extension, [
        comment("l1", "灯求链接", author="小鹿", author_id="u1"),
        comment("l2", "灯在哪里买", author="Momo", author_id="u2"),
    ])
    assert client.get("/api/comments/l1", headers=dashboard_headers).status_code in (404, 405)  # no GET by id
    client.patch("/api/comments/l2", json={"suggested_reply": "@Momo 我自己写的回复"}, headers=dashboard_headers)

    bad = {**lamp, "reply": "@{nickname} 加vx: lamp_shop 领券"}
    client.put(f"/api/products/{created['id']}", json=bad, headers=dashboard_headers)
    checks = client.get("/api/products/compliance", headers=dashboard_headers).get_json()["items"]
    assert checks[0]["name"] == "落地灯" and checks[0]["compliance"], checks

    result = client.post("/api/replies/refresh", json={"product": "落地灯", "previous": lamp}, headers=dashboard_headers).get_json()
    assert result == {"refreshed": 1, "kept": 1}
    rows = {i["id"]: i for i in get(client, dashboard_headers)["items"]}
    assert rows["l1"]["suggested_reply"] == "@小鹿 加vx: lamp_shop 领券" and rows["l1"]["compliance"]
    assert rows["l2"]["suggested_reply"] == "@Momo 我自己写的回复"


def test_cached_insights_and_notes_follow_every_change(client, dashboard_headers, paired_extension):
    load(paired_extension, asks(3))
    first = client.get("/api/insights", headers=dashboard_headers).get_json()
    notes = client.get("/api/notes", headers=dashboard_headers).get_json()["items"]
    assert first["unanswered"] == 3 and notes[0]["unanswered"] == 3
    client.patch("/api/comments/r0000", json={"status": "replied"}, headers=dashboard_headers)
    assert client.get("/api/insights", headers=dashboard_headers).get_json()["unanswered"] == 2
    assert client.get("/api/notes", headers=dashboard_headers).get_json()["items"][0]["unanswered"] == 2
    load(paired_extension, asks(1, start=50))
    assert client.get("/api/insights", headers=dashboard_headers).get_json()["total"] == 4


def test_insights_csv_names_every_row(client, dashboard_headers, paired_extension):
    load(paired_extension, [comment("x1", "求链接", author_id="u1")])  # no catalog: product unknown, note untitled
    text = client.get("/api/insights.csv", headers=dashboard_headers).get_data(as_text=True)
    rows = [line.split(",") for line in text.lstrip("\ufeff").splitlines()[1:]]
    product = next(r for r in rows if r[0] == "product")
    note = next(r for r in rows if r[0] == "note")
    assert product[1] == "" and product[2] == "未识别商品 (product unknown)"
    assert note[1] == "note1" and note[2] == "note1"


def test_the_note_link_carries_the_xsec_token_the_extension_opened_it_by(client, dashboard_headers, paired_extension):
    note = "6730a1b2000000001e01a2c9"
    url = f"https://www.xiaohongshu.com/explore/{note}?xsec_token=ABtoken123&xsec_source=pc_feed"
    load(paired_extension, [comment("x1", "求链接", note_id=note, author_id="u1")], note_id=note, title="灯", url=url)
    load(paired_extension, [comment("x2", "求链接！", note_id="other", author_id="u2")], note_id="other",
         url="https://www.xiaohongshu.com/explore/6730a1b2000000001e01a2c9?xsec_token=elsewhere")  # not this note's link
    items = {i["id"]: i for i in get(client, dashboard_headers)["items"]}
    assert items["x1"]["note_url"] == url
    assert items["x2"]["note_url"] == "https://www.xiaohongshu.com/explore/other"
