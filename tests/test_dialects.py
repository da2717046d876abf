"""What SQLite keeps, PostgreSQL keeps the same (issue 14): the places the two dialects or their types
differ. Runs in both passes of scripts/test (the PostgreSQL one through LINKTRIAGE_TEST_DATABASE)."""

from __future__ import annotations

import pytest
from helper_support import batch, comment

from helper import store
from helper.store import Comment, Product


@pytest.fixture
def db(tmp_path):
    database = store.init_db(store.store_target(tmp_path))
    with database:
        yield database


def test_values_past_the_narrow_types_are_kept(db):
    long_name = "长" * 300  # past VARCHAR(255)
    Product.upsert({"name": long_name, "link": "https://example.com/x"})
    assert Product.get(Product.name == long_name).name == long_name
    Comment.insert_new([{"comment_id": "big", "note_id": "n", "text": "x", "like_count": 10**12,
                         "score": 0.123456789012345}])
    stored = Comment.by_key("xhs", "big")
    assert stored.like_count == 10**12  # past a 32-bit INTEGER
    assert stored.score == 0.123456789012345  # a 4-byte REAL would keep 7 digits


def test_insert_new_counts_only_new_rows_whatever_the_order(db):
    rows = [{"comment_id": cid, "note_id": "n", "text": cid} for cid in ("z", "a", "m")]
    assert Comment.insert_new(rows) == 3
    assert Comment.insert_new([{"comment_id": "m", "note_id": "n", "text": "again"},
                               {"comment_id": "b", "note_id": "n", "text": "b"}]) == 1
    assert Comment.by_key("xhs", "m").text == "m"
    assert Comment.select().count() == 4


def test_text_and_product_filters_match_plain_substrings(db):
    Comment.insert_new([
        {"comment_id": "1", "note_id": "n", "text": "求链接 100%_OFF", "products": ["羊毛大衣"]},
        {"comment_id": "2", "note_id": "n", "text": "好看", "products": ["羊毛大衣内搭"]},
    ])
    assert [c.comment_id for c in Comment.filtered({"q": "%_off"})] == ["1"]  # no LIKE wildcards, any case
    assert [c.comment_id for c in Comment.filtered({"q": "%"})] == ["1"]
    assert [c.comment_id for c in Comment.filtered({"product": "羊毛大衣"})] == ["1"]  # the name, not a prefix


def test_insights_bucket_by_local_day_and_hour(db):
    from datetime import datetime

    Comment.insert_new([
        {"comment_id": "late", "note_id": "n", "text": "求链接", "is_request": True, "created_at": datetime(2026, 11, 30, 23, 30)},
        {"comment_id": "early", "note_id": "n", "text": "求链接", "is_request": True, "created_at": datetime(2026, 12, 1, 1, 5)},
    ])
    utc = sorted((g["day"], g["hour"]) for g in Comment.request_groups({}, 0))
    assert utc == [("2026-11-30", "23"), ("2026-12-01", "01")]
    shanghai = sorted((g["day"], g["hour"]) for g in Comment.request_groups({}, 480))
    assert shanghai == [("2026-12-01", "07"), ("2026-12-01", "09")]
    west = sorted((g["day"], g["hour"]) for g in Comment.request_groups({}, -90))
    assert west == [("2026-11-30", "22"), ("2026-11-30", "23")]


@pytest.mark.parametrize("cursor", ["garbage|5", "2026-13-45 99:00:00|5", "|5", "2026-01-01 00:00:00|x"])
def test_a_malformed_cursor_is_a_400_not_a_database_error(client, dashboard_headers, cursor):
    reply = client.get("/api/inbox", query_string={"after": cursor}, headers=dashboard_headers)
    assert reply.status_code == 400 and "cursor" in reply.get_json()["error"]


def test_keyset_pages_walk_every_row_once(client, paired_extension, dashboard_headers):
    items = [comment(f"k{i}", f"求链接 {i}", created_at=1764000000000 + (i // 3) * 60_000) for i in range(25)]
    assert paired_extension.post("/api/comments", batch(items)).status_code == 200
    seen, cursor = [], None
    while True:
        query = {"limit": 4, "mode": "comments", "view": "all", **({"after": cursor} if cursor else {})}
        page = client.get("/api/inbox", query_string=query, headers=dashboard_headers).get_json()
        seen += [c["id"] for c in page["items"]]
        cursor = page.get("next")
        if not cursor:
            break
    assert sorted(seen) == sorted(c["id"] for c in items) and len(seen) == 25
