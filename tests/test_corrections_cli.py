"""`linktriage corrections export|import`: the creator's corrections leave and come back intact."""

from __future__ import annotations

import json

import pytest
from helper_support import Extension, batch, comment, write_jsonl
from live_helper import linktriage


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.sqlite_only  # a second data dir is a second database only with SQLite files
def test_corrections_made_in_the_app_round_trip_through_jsonl(client, data_dir, tmp_path, dashboard_headers):
    ext = Extension(client).pair()
    reply = ext.post("/api/comments", batch([
        comment("c1", "这个杯子好可爱", "n-cups", author="小鱼"),
        comment("c2", "求链接", "n-cups"),
        comment("c3", "好看", "n-cups", parent_id="c2"),
        comment("c4", "早上好", "n-cups"),
    ], note_id="n-cups", title="我的杯子合集"))
    assert reply.status_code == 200
    assert client.patch("/api/comments/c1", json={"correction": "missed"}, headers=dashboard_headers).status_code == 200
    assert ext.patch("/api/comments/c2", {"correction": "not_request"}).status_code == 200
    assert client.patch("/api/comments/c3", json={"correction": "not_request"}, headers=dashboard_headers).status_code == 200

    out = tmp_path / "corrections.jsonl"
    done = linktriage("corrections", "export", "--out", out, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "3 correction(s) exported" in done.stderr
    rows = _lines(out.read_text(encoding="utf-8"))
    assert [(r["id"], r["correction"], r["label"]) for r in rows] == [
        ("c1", "missed", True), ("c2", "not_request", False), ("c3", "not_request", False)]
    assert rows[0]["note_title"] == "我的杯子合集" and rows[0]["author"] == "小鱼"
    assert rows[2]["parent_id"] == "c2"

    # Into a fresh data dir (a new computer): the comments come along, and so do the corrections.
    fresh = tmp_path / "fresh"
    done = linktriage("corrections", "import", out, data_dir=fresh)
    assert done.returncode == 0, done.stderr
    assert "3 correction(s) set" in done.stdout and "3 comment(s) new" in done.stdout
    again = linktriage("corrections", "export", data_dir=fresh)
    assert _lines(again.stdout) == rows

    # Importing twice changes nothing.
    done = linktriage("corrections", "import", out, data_dir=fresh)
    assert "0 correction(s) set, 3 already so" in done.stdout


def test_import_sets_corrections_on_stored_comments_and_reports_bad_lines(client, data_dir, tmp_path, dashboard_headers):
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("c1", "这个杯子好可爱"), comment("c2", "求链接")])).status_code == 200
    source = write_jsonl(tmp_path / "mine.jsonl", [
        {"id": "c1", "note_id": "note1", "text": "这个杯子好可爱", "correction": "missed"},
        {"id": "c2", "note_id": "note1", "text": "求链接", "label": False},  # a boolean label is taken too
        {"id": "c9", "note_id": "note1", "text": "x", "correction": "perhaps"},
        {"note_id": "note1", "text": "no id", "correction": "missed"},
    ])
    done = linktriage("corrections", "import", source, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "2 correction(s) set" in done.stdout and "0 comment(s) new" in done.stdout and "2 skipped" in done.stdout
    assert "mine.jsonl:3: skipped: correction must be" in done.stderr
    assert "mine.jsonl:4: skipped" in done.stderr
    items = {c["id"]: c for c in client.get("/api/comments", headers=dashboard_headers).get_json()["items"]}
    assert items["c1"]["correction"] == "missed" and items["c1"]["is_request"] is True
    assert items["c2"]["correction"] == "not_request" and items["c2"]["is_request"] is False
