"""`linktriage db migrate-to URL --account ID` (issue 14): one creator account backed out of a team
PostgreSQL database into its own SQLite file (and one account of a SQLite file into a team database):
exactly that account's rows and the shared products it can use, idempotent, a helper on the file serves
its inbox, an unknown account is refused with the list. Runs in every pass (it asks for the cluster)."""

from __future__ import annotations

import os
from pathlib import Path

from flask.testing import FlaskClient
from helper_support import HOST, TEST_PORT, Extension, batch, comment
from live_helper import HelperProcess

from helper import store
from helper.account_models import pack
from helper.app import create_app
from helper.cli import main
from helper.store import MODELS, AuditEvent, Comment, Meta
from helper.store.account_models import AccountModel

REPO = Path(__file__).resolve().parent.parent
A, B = "5f00000000000000000000aa", "5f00000000000000000000bb"
A_NOTES, B_NOTES = ("na1", "na2"), ("nb1",)


class Client(FlaskClient):
    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{HOST}")
        return super().open(*args, **kwargs)


def fill_two_accounts(url: str, data_dir: Path) -> None:
    """A store two creator accounts share, as operators' helpers leave it: comments with requests and
    replies, a correction and statuses each, a claim on one of A's, coverage, a product each, a shared
    product, a shared product only for B's note, activity events, and a trained model each."""
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "DATABASE": url, "PORT": TEST_PORT,
                      "OPERATOR": "Ana"})
    app.test_client_class = Client
    client = app.test_client()
    ext = Extension(client).pair()
    with app.app_context():
        db = app.extensions["linktriage_db"]
        store.bind_models(db)
        with db:
            token = Meta.get_value("dashboard_token")
    dash = {"Origin": f"http://{HOST}", "X-LinkTriage-Token": token}
    for body in ({"name": "A的大衣", "link": "https://example.com/a", "account": A},
                 {"name": "B的包", "link": "https://example.com/b", "account": B},
                 {"name": "共享围巾", "link": "https://example.com/s", "aliases": ["围巾"]},
                 {"name": "B笔记专属", "link": "https://example.com/bs", "note_ids": ["nb1"]}):
        assert client.post("/api/products", json=body, headers=dash).status_code == 201
    for account, notes, name in ((A, A_NOTES, "小A"), (B, B_NOTES, "小B")):
        for note_id in notes:
            comments = [comment(f"{note_id}-{i}", text, note_id, author=f"买家{i}", author_id=f"u{i}",
                                created_at=1764000000123 + i * 61_000)
                        for i, text in enumerate(["求链接！这件大衣哪里买", "好看😍", "围巾求链接", "早上好"])]
            comments.append(comment(f"{note_id}-r", "链接在商品卡哦", note_id, parent_id=f"{note_id}-0",
                                    reply_to_id=f"{note_id}-0", is_author=True, author_id=account))
            reply = ext.post("/api/comments", batch(comments, note_id=note_id, title=f"{name}的笔记 {note_id}",
                                                    author_id=account, author_name=name,
                                                    url=f"https://www.xiaohongshu.com/explore/{note_id}?xsec_token=t",
                                                    comment_count=5, unexpanded_threads=0))
            assert reply.status_code == 200, reply.get_json()
    for cid, change in (("na1-1", {"correction": "missed"}), ("na2-2", {"status": "ignored"}),
                        ("nb1-1", {"correction": "missed"}), ("nb1-2", {"status": "replied"})):
        assert client.patch(f"/api/comments/{cid}", json=change, headers=dash).status_code == 200
    assert client.post("/api/comments/na1-2/claim", json={}, headers=dash).status_code == 200  # Ana is on it
    assert client.post("/api/comments/nb1-0/claim", json={}, headers=dash).status_code == 200
    with app.app_context():
        db = app.extensions["linktriage_db"]
        with db.connection_context():
            AccountModel.publish(db, A, model_id="a@1", artefact=pack(REPO / "models" / "pipeline"),
                                 model_version="a-1", corrections=1, trained_by="Ana")
            AccountModel.publish(db, B, model_id="b@1", artefact=None, corrections=0, trained_by="Ana")
    app.extensions["linktriage_db"].close_all()


def rows_of(target) -> dict[str, list[dict]]:
    """Every table's rows (account_model without its artefact bytes), as Python sees them, without ids."""
    db = store.open_db(target)
    out = {}
    with db.bind_ctx([*MODELS, AccountModel], bind_refs=False, bind_backrefs=False), db.connection_context():
        for model in MODELS:
            order = model.key if model is Meta else model.id
            out[model._meta.table_name] = [{k: v for k, v in r.items() if k != "id"}
                                           for r in model.select().order_by(order).dicts()]
        out["account_model"] = [{**{k: v for k, v in r.items() if k not in ("id", "artefact")},
                                 "artefact": bytes(r["artefact"]) if r["artefact"] is not None else None}
                                for r in AccountModel.select().order_by(AccountModel.id).dicts()]
    db.close()
    return out


def of_account(everything: dict, account: str, notes) -> dict[str, list[dict]]:
    """What a copy of `account` must hold, taken from the whole source's rows."""
    comment_ids = {c["comment_id"] for c in everything["comment"] if c["account"] == account}
    return {
        "comment": [{**c, "claimed_by": None, "claimed_until": None}
                    for c in everything["comment"] if c["account"] == account],
        "note": [n for n in everything["note"] if n["note_id"] in notes],
        "note_coverage": [n for n in everything["note_coverage"] if n["note_id"] in notes],
        "product": [p for p in everything["product"]
                    if p["account"] == account or (p["account"] is None and (not p["note_ids"] or set(p["note_ids"]) & set(notes)))],
        "audit_event": [e for e in everything["audit_event"]
                        if e["account"] == account or e["comment_id"] in comment_ids],
        "account_model": [m for m in everything["account_model"] if m["account"] == account],
    }


def test_one_account_backs_out_of_a_team_database_into_its_own_sqlite_file(tmp_path, pg_database, capsys):
    fill_two_accounts(pg_database, tmp_path / "team-helper")
    team = rows_of(pg_database)
    assert {c["account"] for c in team["comment"]} == {A, B} and len(team["comment"]) == 15
    assert any(c["claimed_by"] == "Ana" for c in team["comment"] if c["account"] == A)
    assert any(e["action"] == "correction" for e in team["audit_event"] if e["account"] == A)
    assert any(e["action"] == "claim" for e in team["audit_event"] if e["account"] == B)

    out_dir = tmp_path / "ana-alone"
    file_url = f"sqlite:///{out_dir / store.DB_FILENAME}"
    copy = ["db", "migrate-to", file_url, "--account", A, "--database", pg_database, "--data-dir", str(tmp_path / "x")]
    assert main(copy) == 0
    out = capsys.readouterr().out
    want = of_account(team, A, A_NOTES)
    total = sum(len(rows) for rows in want.values())
    assert f"copied {total} row(s) of account {A}" in out and "0 were there already" in out, out
    got = rows_of(out_dir / store.DB_FILENAME)
    for table, rows in want.items():
        assert got[table] == rows, table
    # Exactly A's rows: B's comments, notes, product, B's-note-only shared product, events and model stay out.
    assert {p["name"] for p in got["product"]} == {"A的大衣", "共享围巾"}
    assert len(got["comment"]) == 10 and not any(c["claimed_by"] for c in got["comment"])
    assert got["account_model"][0]["artefact"] == team["account_model"][0]["artefact"]
    # The team's own: operators, pairings and its dashboard token are not copied; the file has its own token.
    assert got["operator"] == [] and got["pairing"] == []
    team_token = next(m["value"] for m in team["meta"] if m["key"] == "dashboard_token")
    file_token = next(m["value"] for m in got["meta"] if m["key"] == "dashboard_token")
    assert file_token and file_token != team_token

    # Again: nothing copied twice, nothing changed.
    assert main(copy) == 0
    out = capsys.readouterr().out
    assert f"copied 0 row(s) of account {A}" in out and f"{total} were there already" in out, out
    assert rows_of(out_dir / store.DB_FILENAME) == got

    # A lone creator's helper started on that data dir serves A's inbox (the claimed buyer included).
    env = {k: v for k, v in os.environ.items() if k != store.DATABASE_ENV}
    helper = HelperProcess(out_dir, env=env).start()
    try:
        dash = {"Origin": helper.base_url, "X-LinkTriage-Token": file_token}
        accounts = helper.request("GET", "/api/accounts", headers=dash).json()
        assert [a["id"] for a in accounts["items"]] == [A] and accounts["items"][0]["name"] == "小A"
        inbox = helper.request("GET", "/api/inbox?mode=comments&view=all&limit=100", headers=dash).json()
        assert sorted(i["id"] for i in inbox["items"]) == sorted(c["comment_id"] for c in want["comment"])
        new = helper.request("GET", "/api/inbox?view=new&limit=100", headers=dash).json()
        assert "na1-2" in [i["id"] for i in new["items"]]  # Ana's claim in the team is no one's here
        by_id = {i["id"]: i for i in inbox["items"]}
        assert by_id["na1-1"]["correction"] == "missed" and by_id["na2-2"]["status"] == "ignored"
        audit = helper.request("GET", "/api/audit?limit=200", headers=dash).json()
        assert len(audit["items"]) == len(want["audit_event"]) and {e["account"] for e in audit["items"]} == {A}
    finally:
        helper.stop()


def test_an_account_the_source_lacks_exits_2_with_the_known_ones(tmp_path, pg_database, capsys):
    fill_two_accounts(pg_database, tmp_path / "team-helper")
    target = tmp_path / "out" / store.DB_FILENAME
    code = main(["db", "migrate-to", f"sqlite:///{target}", "--account", A, "--account", "nobody",
                 "--database", pg_database, "--data-dir", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "no account nobody in" in err[0] and f"{A} (小A, 10 comments)" in err[0] and f"{B} (小B, 5 comments)" in err[0]
    assert not target.exists()  # refused before the target is created


def test_one_account_of_a_sqlite_file_goes_into_a_team_database(tmp_path, pg_database, capsys):
    """The other direction, filtered the same way: B's rows of a two-account file into a team database."""
    source = tmp_path / "creator"
    fill_two_accounts(f"sqlite:///{store.db_path(source)}", source)
    everything = rows_of(store.db_path(source))
    copy = ["db", "migrate-to", pg_database, "--account", B, "--data-dir", str(source),
            "--database", f"sqlite:///{store.db_path(source)}"]
    assert main(copy) == 0
    assert f"row(s) of account {B}" in capsys.readouterr().out
    got = rows_of(pg_database)
    for table, rows in of_account(everything, B, B_NOTES).items():
        assert got[table] == rows, table
    assert {p["name"] for p in got["product"]} == {"B的包", "共享围巾", "B笔记专属"}
    assert main(copy) == 0
    assert f"copied 0 row(s) of account {B}" in capsys.readouterr().out
    assert rows_of(pg_database) == got


def test_a_team_model_of_the_account_is_not_replaced_by_an_older_copy(tmp_path, pg_database):
    source = tmp_path / "creator"
    fill_two_accounts(f"sqlite:///{store.db_path(source)}", source)
    db = store.init_db(pg_database)
    with db:
        AccountModel.publish(db, A, model_id="team-newer", artefact=None, trained_by="Bo")
    db.close()
    assert main(["db", "migrate-to", pg_database, "--account", A, "--data-dir", str(source),
                 "--database", f"sqlite:///{store.db_path(source)}"]) == 0
    db = store.init_db(pg_database)
    with db:
        assert AccountModel.newest(db, A)[A]["model_id"] == "team-newer"
        assert len(AccountModel.history(db, A)) == 1
        assert Comment.select().where(Comment.account == A).count() == 10
        assert AuditEvent.select().where(AuditEvent.account == B).count() == 0
    db.close()
