"""Migrations under a lock (issue 14): helpers and CLI commands opening one new (or older) database at the
same moment each run `migrate`; every step must run once, all of them must succeed, and the schema must be
the one a lone migration makes. Real processes on a real PostgreSQL server (tests/pg_cluster.py) and on a
real SQLite file; a step's failure releases the lock; a lock held too long is one clear error."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg2
import pytest

from helper import store
from helper.store import migrations

REPO = Path(__file__).resolve().parent.parent
RACERS = 6

# One racer: counts the steps it runs (printing each after the real step ran), says it is ready, waits for
# the start file so that every racer calls init_db at the same moment, then prints the version it sees.
RACER = r"""
import sys, time, pathlib
from helper import store
from helper.store import migrations

target, go = sys.argv[1], pathlib.Path(sys.argv[2])

def counted(version, step):
    def run(db):
        step(db)
        print("ran", version, flush=True)
    return run

migrations.MIGRATIONS = {v: counted(v, step) for v, step in migrations.MIGRATIONS.items()}
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
db = store.init_db(target)
with db.connection_context():
    print("version", store.schema_version(db), flush=True)
"""


def race(target: str, tmp_path: Path) -> list[str]:
    """RACERS processes migrating `target` at once; their outputs (each must exit 0)."""
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop(store.DATABASE_ENV, None)
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER, target, str(go)], cwd=REPO, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(RACERS)
    ]
    for racer in racers:
        assert racer.stdout.readline().strip() == "ready"
    go.touch()
    outputs = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        outputs.append(out)
    return outputs


def steps_ran(outputs: list[str]) -> Counter:
    return Counter(int(line.split()[1]) for out in outputs for line in out.splitlines() if line.startswith("ran "))


def pg_schema(url: str) -> dict:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            shape = {}
            for name, sql in {
                "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default "
                           "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
                "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
                "triggers": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
                "meta": "SELECT key FROM meta ORDER BY 1",
                "version": "SELECT value FROM meta WHERE key = 'schema_version'",
            }.items():
                cursor.execute(sql)
                shape[name] = cursor.fetchall()
            return shape
    finally:
        conn.close()


def advisory_locks(url: str) -> int:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            return cursor.fetchone()[0]
    finally:
        conn.close()


def test_racing_migrations_of_an_empty_postgres_database_run_each_step_once(pg_cluster, pg_database, tmp_path):
    outputs = race(pg_database, tmp_path)
    assert steps_ran(outputs) == Counter(range(1, store.SCHEMA_VERSION + 1))  # each step once, by one racer
    assert all(f"version {store.SCHEMA_VERSION}" in out for out in outputs)
    alone = pg_cluster.database()
    try:
        store.init_db(alone).close()
        assert pg_schema(pg_database) == pg_schema(alone)  # the schema a lone migration makes
    finally:
        pg_cluster.drop(alone)
    assert pg_schema(pg_database)["version"] == [(str(store.SCHEMA_VERSION),)]
    assert advisory_locks(pg_database) == 0


def test_racing_migrations_of_an_older_postgres_database_run_each_new_step_once(pg_database, tmp_path):
    # A database an older LinkTriage made (schema 8): the racers bring it to the current version once.
    store.init_db(pg_database).close()
    conn = psycopg2.connect(pg_database)
    with conn, conn.cursor() as cursor:
        for table in ("account_model", "audit_event", "operator"):
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
        cursor.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    conn.close()
    outputs = race(pg_database, tmp_path)
    assert steps_ran(outputs) == Counter(range(9, store.SCHEMA_VERSION + 1))
    assert all(f"version {store.SCHEMA_VERSION}" in out for out in outputs)


@pytest.mark.sqlite_only
def test_racing_migrations_of_a_new_sqlite_file_run_each_step_once(tmp_path):
    # SQLite needs no advisory lock: the check-and-migrate is one BEGIN IMMEDIATE transaction.
    path = store.db_path(tmp_path / "data")
    path.parent.mkdir()
    outputs = race(str(path), tmp_path)
    assert steps_ran(outputs) == Counter(range(1, store.SCHEMA_VERSION + 1))
    assert all(f"version {store.SCHEMA_VERSION}" in out for out in outputs)
    import sqlite3

    def shape(p):
        conn = sqlite3.connect(p)
        try:
            return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        finally:
            conn.close()

    alone = store.db_path(tmp_path / "alone")
    store.init_db(alone).close()
    assert shape(path) == shape(alone)


def test_a_failing_step_releases_the_lock_and_keeps_the_version(pg_database, monkeypatch):
    store.init_db(pg_database).close()
    nxt = store.SCHEMA_VERSION + 1

    def broken(db):
        db.execute_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("step failed")

    monkeypatch.setattr(migrations, "MIGRATIONS", {**migrations.MIGRATIONS, nxt: broken})
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", nxt)
    db = store.open_db(pg_database, pooled=True)  # a pool keeps the session open: only unlocking frees it
    store.bind_models(db)
    try:
        with pytest.raises(RuntimeError, match="step failed"):
            store.migrate_db(db, pg_database)
        assert advisory_locks(pg_database) == 0
        with db.connection_context():
            assert store.schema_version(db) == nxt - 1
            assert "half_done" not in db.get_tables()  # rolled back
    finally:
        db.close_all()


def test_a_lock_held_too_long_is_one_clear_error(pg_database, monkeypatch):
    holder = psycopg2.connect(pg_database)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", (migrations.MIGRATION_LOCK_KEY,))
        monkeypatch.setattr(migrations, "MIGRATION_LOCK_WAIT_S", 1)
        started = time.monotonic()
        with pytest.raises(migrations.MigrationLockTimeout, match="another LinkTriage has been migrating"):
            store.init_db(pg_database)
        assert 0.9 < time.monotonic() - started < 10
    finally:
        holder.close()
    store.init_db(pg_database).close()  # free again: migrates
    assert pg_schema(pg_database)["version"] == [(str(store.SCHEMA_VERSION),)]
