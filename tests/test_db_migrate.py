"""`linktriage db migrate-to URL` (issue 14): a creator's SQLite data dir into a team PostgreSQL database
and back out again, exactly, every table and every row; idempotent; merging a second creator's data."""

from __future__ import annotations

import sqlite3

import pytest
from flask.testing import FlaskClient
from helper_support import HOST, TEST_PORT, Extension, batch, comment

from helper import store
from helper.app import create_app
from helper.cli import main
from helper.store import MODELS, Meta


class Client(FlaskClient):
    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{HOST}")
        return super().open(*args, **kwargs)


def fill_data_dir(data_dir, prefix: str = "") -> None:
    """A data dir as a creator's helper leaves it: comments with every field, replies, statuses,
    corrections, notes with titles and coverage, products, a pairing, the dashboard token."""
    sqlite_url = f"sqlite:///{store.db_path(data_dir)}"  # explicit: this is the SQLite side in any pass
    # Her helper runs as an operator (the operator table and the activity log have rows to copy too).
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "DATABASE": sqlite_url, "PORT": TEST_PORT,
                      "OPERATOR": f"{prefix}Ana"})
    app.test_client_class = Client
    client = app.test_client()
    ext = Extension(client).pair()
    with app.app_context():
        db = app.extensions["linktriage_db"]
        store.bind_models(db)
        with db:
            token = Meta.get_value("dashboard_token")
    dash = {"Origin": f"http://{HOST}", "X-LinkTriage-Token": token}
    assert client.post("/api/products", json={"name": f"{prefix}羊毛大衣", "link": "https://example.com/coat",
                                              "aliases": ["大衣", "coat"]}, headers=dash).status_code == 201
    for n in range(3):
        note_id = f"{prefix}note{n}"
        comments = [
            comment(f"{prefix}c{n}-{i}", text, note_id, author=f"用户{i}", author_id=f"u{i}", like_count=str(i * 7),
                    ip_location="上海", created_at=1764000000123 + i * 61_000)
            for i, text in enumerate(["求链接！这件大衣哪里买", "好看😍", "lj", "姐妹，\"同款\"求分享, 谢谢\n第二行", "早上好"])
        ]
        comments.append(comment(f"{prefix}c{n}-r", "链接在商品卡哦", note_id, parent_id=f"{prefix}c{n}-0",
                                reply_to_id=f"{prefix}c{n}-0", is_author=True, author_id="creator"))
        reply = ext.post("/api/comments", batch(comments, note_id=note_id, title=f"冬季穿搭 {n} ✨", author_id="creator",
                                                author_name="博主", url=f"https://www.xiaohongshu.com/explore/{note_id}?xsec_token=t{n}",
                                                comment_count=42 + n, unexpanded_threads=n))
        assert reply.status_code == 200, reply.get_json()
    assert ext.patch(f"/api/comments/{prefix}c0-1", {"correction": "missed"}).status_code == 200
    assert client.patch(f"/api/comments/{prefix}c1-2", json={"correction": "not_request", "status": "ignored"},
                        headers=dash).status_code == 200
    assert client.post("/api/comments/bulk", json={"ids": [f"{prefix}c2-0", f"{prefix}c2-3"], "status": "replied"},
                       headers=dash).status_code == 200
    app.extensions["linktriage_db"].close_all()


def dump(target) -> dict[str, list[dict]]:
    """Every table's rows as Python sees them, in id order, without the row id (a team database has its
    own ids) and without the schema version (each database's own)."""
    db = store.open_db(target)
    rows = {}
    with db.bind_ctx(MODELS, bind_refs=False, bind_backrefs=False), db.connection_context():
        for model in MODELS:
            order = model.key if model is Meta else model.id
            rows[model._meta.table_name] = [
                {k: v for k, v in row.items() if k != "id"}
                for row in model.select().order_by(order).dicts()
                if not (model is Meta and row["key"] == "schema_version")
            ]
    db.close()
    return rows


def sqlite_text(path) -> dict[str, list[tuple]]:
    """The SQLite file's rows as stored (text, integers), every column but the row id."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for model in MODELS:
            table = model._meta.table_name
            columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")') if c[1] != "id"]
            order = "key" if model is Meta else "id"
            out[table] = conn.execute(
                f'SELECT {", ".join(columns)} FROM "{table}" ' + ("WHERE key != 'schema_version' " if model is Meta else "")
                + f"ORDER BY {order}").fetchall()
        return out
    finally:
        conn.close()


def test_a_data_dir_round_trips_through_postgresql_exactly(tmp_path, pg_database, capsys):
    source = tmp_path / "creator"
    fill_data_dir(source)
    original = dump(store.db_path(source))
    assert all(original[table] for table in original), {t: len(r) for t, r in original.items()}  # every table has rows
    assert len(original["comment"]) == 18

    assert main(["db", "migrate-to", pg_database, "--data-dir", str(source)]) == 0
    out = capsys.readouterr().out
    total = sum(len(rows) for rows in original.values())
    assert f"copied {total} row(s)" in out and "0 were there already" in out
    assert dump(pg_database) == original

    # Again: nothing copied twice.
    assert main(["db", "migrate-to", pg_database, "--data-dir", str(source)]) == 0
    assert "copied 0 row(s)" in capsys.readouterr().out
    assert dump(pg_database) == original

    # And back out into a file: the same rows, stored the same way as the original file.
    back = tmp_path / "back" / "linktriage.sqlite3"
    assert main(["db", "migrate-to", f"sqlite:///{back}", "--database", pg_database, "--data-dir", str(tmp_path / "x")]) == 0
    assert dump(back) == original
    assert sqlite_text(back) == sqlite_text(store.db_path(source))


def test_a_second_creator_merges_in_and_the_first_ones_rows_stay(tmp_path, pg_database, capsys):
    first, second = tmp_path / "ana", tmp_path / "bo"
    fill_data_dir(first, "a-")
    fill_data_dir(second, "b-")
    assert main(["db", "migrate-to", pg_database, "--data-dir", str(first)]) == 0
    token = dump(pg_database)["meta"]
    # The team changes a status meanwhile; the second migration must not undo it.
    db = store.init_db(pg_database)
    with db:
        store.Comment.set_status("xhs", ["a-c0-4"], "replied", by="team")
    assert main(["db", "migrate-to", pg_database, "--data-dir", str(second)]) == 0
    merged = dump(pg_database)
    assert len(merged["comment"]) == 36 and len(merged["product"]) == 2 and len(merged["note"]) == 6
    assert merged["meta"] == token  # a database in use keeps its dashboard token
    by_id = {c["comment_id"]: c for c in merged["comment"]}
    assert by_id["a-c0-4"]["status"] == "replied" and by_id["a-c0-4"]["status_by"] == "team"
    capsys.readouterr()
    # The first creator again: everything of hers is there already, her old status does not come back.
    assert main(["db", "migrate-to", pg_database, "--data-dir", str(first)]) == 0
    assert "copied 0 row(s)" in capsys.readouterr().out
    assert dump(pg_database) == merged


def test_copying_a_store_onto_itself_is_refused(tmp_path, capsys):
    fill_data_dir(tmp_path / "d")
    url = f"sqlite:///{store.db_path(tmp_path / 'd')}"
    assert main(["db", "migrate-to", url, "--data-dir", str(tmp_path / "d"), "--database", url]) == 2
    assert "is the store being copied" in capsys.readouterr().err


@pytest.mark.parametrize("url, message", [("mysql://u@h/db", "must be a postgresql://"),
                                          ("postgresql://postgres@127.0.0.1:1/x", "cannot reach the database")])
def test_a_target_it_cannot_use_is_one_line_and_exit_2(tmp_path, capsys, url, message):
    fill_data_dir(tmp_path / "d")
    assert main(["db", "migrate-to", url, "--data-dir", str(tmp_path / "d"),
                 "--database", f"sqlite:///{store.db_path(tmp_path / 'd')}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
