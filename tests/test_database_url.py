"""Where the store lives: the SQLite file in the data dir (the default, unchanged), or the database
`--database URL` / $LINKTRIAGE_DATABASE_URL names (issue 14, team mode)."""

from __future__ import annotations

import peewee as pw
import pytest
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from helper import store
from helper.cli import build_parser, main


@pytest.fixture
def no_database_env(monkeypatch):
    monkeypatch.delenv(store.DATABASE_ENV, raising=False)


def test_default_is_the_sqlite_file_in_the_data_dir(tmp_path, no_database_env):
    assert store.database_url() is None
    assert store.store_target(tmp_path) == tmp_path / "linktriage.sqlite3"


def test_option_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATABASE_ENV, "postgresql://env@db.example:5432/team")
    assert store.store_target(tmp_path) == "postgresql://env@db.example:5432/team"
    assert store.store_target(tmp_path, "postgresql://opt@h/other") == "postgresql://opt@h/other"


@pytest.mark.parametrize(
    "url, problem",
    [
        ("mysql://u@h/db", "must be a postgresql://"),
        ("ftp://example.org/x", "must be a postgresql://"),
        ("postgresql://u@h:5432", "names no database"),
        ("postgresql://u@h:5432/", "names no database"),
    ],
)
def test_urls_it_cannot_open_are_refused(url, problem, no_database_env):
    with pytest.raises(ValueError, match=problem):
        store.database_url(url)


def test_passwords_never_reach_messages():
    assert store.redact("postgresql://ana:s3cret@db:5432/team") == "postgresql://ana:***@db:5432/team"
    assert store.redact("postgresql://ana@db/team") == "postgresql://ana@db/team"
    assert "s3cret" not in store.describe("postgresql://ana:s3cret@db/team")


def test_postgres_urls_open_pooled_for_the_helper_with_lock_and_connect_timeouts():
    url = "postgresql://ana:p%40ss@db.example:6543/team"
    db = store.open_db(url, pooled=True, busy_timeout_ms=1000)
    assert isinstance(db, PooledPostgresqlDatabase) and store.is_postgres(db)
    assert db.database == "team"
    params = db.connect_params
    assert params["host"] == "db.example" and params["port"] == 6543 and params["user"] == "ana"
    assert params["password"] == "p@ss"
    assert "lock_timeout=1000" in params["options"] and params["connect_timeout"] == store.db.CONNECT_TIMEOUT_S
    plain = store.open_db(url)
    assert type(plain) is pw.PostgresqlDatabase and "lock_timeout=5000" in plain.connect_params["options"]


def test_sqlite_keeps_its_pragmas_and_pool(tmp_path):
    db = store.open_db(store.db_path(tmp_path), pooled=True)
    assert isinstance(db, PooledSqliteDatabase) and not store.is_postgres(db)
    assert dict(db._pragmas)["journal_mode"] == "wal"


def test_a_sqlite_url_is_a_file_too(tmp_path, capsys, no_database_env):
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'team.sqlite3'}"
    products = tmp_path / "p.csv"
    products.write_text("name,link\n羊毛大衣,https://example.com/coat\n", encoding="utf-8")
    assert main(["products", "import", str(products), "--data-dir", str(tmp_path / "data"), "--database", url]) == 0
    assert (tmp_path / "elsewhere" / "team.sqlite3").is_file()
    assert not (tmp_path / "data" / "linktriage.sqlite3").exists()
    capsys.readouterr()
    assert main(["products", "list", "--data-dir", str(tmp_path / "data"), "--database", url]) == 0
    assert "羊毛大衣" in capsys.readouterr().out


def test_every_command_takes_database():
    parser = build_parser()
    for command in ("serve", "ingest", "products", "export", "classify", "train", "corrections", "evaluate", "db"):
        args = parser.parse_args([command, *{"ingest": ["x"], "products": ["list"], "corrections": ["export"], "db": ["migrate-to", "sqlite:///x"]}.get(command, []),
                                  "--database", "postgresql://u@h/db"])
        assert args.database == "postgresql://u@h/db"


def test_a_url_it_cannot_open_is_one_line_and_exit_2(tmp_path, capsys, no_database_env):
    assert main(["export", "--all", "--data-dir", str(tmp_path), "--database", "mysql://u@h/db"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "must be a postgresql://" in err[0]
