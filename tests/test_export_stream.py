"""The streaming export: keyset pages in the listing's order (ties included), rows identical to the
per-comment view, the CSV identical to writing every comment at once, and the index that makes it seek."""

from __future__ import annotations

import io

import pytest

from helper import export_csv, store
from helper.csvio import EXPORT_COLUMNS, comment_row, write_csv
from helper.ingest import ingest
from helper.store import Comment, comments_with_titles


@pytest.fixture
def db(tmp_path):
    database = store.init_db(store.db_path(tmp_path))
    with database.connection_context():
        yield database


def _seed():
    # Several comments share a created_at (ties the keyset must break by id), some have none (captured_at
    # counts then), two platforms share a note id, corrections and product lists vary.
    items = []
    for i in range(57):
        items.append({
            "id": f"c{i}", "note_id": f"n{i % 4}", "text": ("求链接" if i % 3 else "好看") + f" {i}",
            "author": "=evil" if i == 5 else f"用户{i}", "created_at": None if i % 7 == 0 else f"2026-11-{1 + i % 5:02d}T08:00:00+08:00",
            "like_count": i, "parent_id": "c1" if i % 11 == 0 else None, "ip_location": "上海",
        })
    ingest(items, note={"id": "n1", "title": "＝标题"})
    ingest([{"id": "d1", "note_id": "n1", "text": "链接呢", "platform": "douyin"}])
    Comment.update(correction="missed", products=["大衣", "包"], compliance=["提示"]).where(Comment.comment_id == "c3").execute()
    Comment.update(correction="not_request").where(Comment.comment_id == "c4").execute()


@pytest.mark.parametrize("page", [1, 7, 1000])
@pytest.mark.parametrize("filters, requests_only", [({}, False), ({}, True), ({"note_id": "n1"}, False), ({"platform": "douyin"}, False)])
def test_export_pages_match_writing_everything_at_once(db, monkeypatch, page, filters, requests_only):
    _seed()
    monkeypatch.setattr(export_csv, "PAGE", page)
    streamed = io.StringIO(newline="")
    count = export_csv.write_export(streamed, filters, requests_only)
    at_once = io.StringIO(newline="")
    expected = write_csv(at_once, EXPORT_COLUMNS, (comment_row(d) for d in comments_with_titles(Comment.filtered(filters, requests_only))))
    assert count == expected > 0
    assert streamed.getvalue() == at_once.getvalue()


def test_in_pages_visits_every_comment_once_in_listing_order(db):
    _seed()
    listed = [c.id for c in Comment.filtered({})]
    paged = [c.id for page in Comment.in_pages({}, size=5) for c in page]
    assert paged == listed and len(set(paged)) == len(paged) == 58


def test_listing_and_export_use_the_when_index(db):
    query = Comment.filtered({}, requests_only=True)
    sql, params = query.sql()
    plan = " ".join(str(row) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "comment_when_id" in plan and "TEMP B-TREE" not in plan
