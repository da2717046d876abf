"""Fixtures for the helper tests (flaskr style): app, client, runner, and pairing helpers.

`client` talks to the app as the dashboard page would (Host 127.0.0.1:PORT); tests add Origin and
token headers themselves, or use `dashboard_headers` / `paired_extension`. Shared helpers that tests
import live in helper_support.py (two conftest.py files cannot both be imported as `conftest`).

Two backends (issue 14): by default every test stores in the SQLite file of its data dir. With
LINKTRIAGE_TEST_DATABASE=postgresql (scripts/test's second pass over the store/API/ingest files)
each test gets a fresh database on a throwaway PostgreSQL server started for the session
(tests/pg_cluster.py) through $LINKTRIAGE_DATABASE_URL, which the app, the CLI and helpers it starts
all read. Tests of SQLite itself (its file, WAL, locks) are marked `sqlite_only`; tests that need the
server in either pass ask for `pg_cluster` / `pg_database`.
"""

from __future__ import annotations

import os

import pytest

from helper.app import create_app
from helper.store import DATABASE_ENV
from helper_support import OWN_ORIGIN, TEST_PORT, Extension, LoopbackClient

TEST_DATABASE = os.environ.get("LINKTRIAGE_TEST_DATABASE", "sqlite")
if TEST_DATABASE not in ("sqlite", "postgresql"):
    raise RuntimeError(f"LINKTRIAGE_TEST_DATABASE must be sqlite or postgresql, not {TEST_DATABASE!r}")

# Helpers these tests start (`linktriage serve`) do not retrain by themselves after corrections, so a
# retrain never changes verdicts under a test; the tests of that feature switch it back on.
os.environ.setdefault("LINKTRIAGE_AUTO_RETRAIN", "0")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: tests SQLite itself (its file, WAL, locks); not run on PostgreSQL")


def pytest_collection_modifyitems(config, items):
    if TEST_DATABASE == "postgresql":
        skip = pytest.mark.skip(reason="tests SQLite itself (LINKTRIAGE_TEST_DATABASE=postgresql)")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server for the session (tests/pg_cluster.py), stopped and removed after it."""
    from pg_cluster import Cluster, bin_dir

    if bin_dir() is None and TEST_DATABASE != "postgresql":
        pytest.skip("PostgreSQL is not installed (scripts/test installs Debian's postgresql)")
    cluster = Cluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_database(pg_cluster):
    """A fresh database on the session's server: its postgresql:// URL. Dropped after the test."""
    url = pg_cluster.database()
    yield url
    pg_cluster.drop(url)


@pytest.fixture(autouse=True)
def test_database(request, monkeypatch):
    """The store every test uses: None for the SQLite file in its data dir; in the PostgreSQL pass a
    fresh database's URL, put in $LINKTRIAGE_DATABASE_URL for the app, the CLI and started helpers."""
    if TEST_DATABASE != "postgresql":
        monkeypatch.delenv(DATABASE_ENV, raising=False)  # a developer's own setting never leaks in
        yield None
        return
    url = request.getfixturevalue("pg_database")
    monkeypatch.setenv(DATABASE_ENV, url)
    yield url


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def app(data_dir):
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT})
    yield app


@pytest.fixture
def client(app):
    app.test_client_class = LoopbackClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def dashboard_token(app):
    from helper import store

    with app.app_context():
        db = app.extensions["linktriage_db"]
        store.bind_models(db)
        with db:
            return store.Meta.get_value("dashboard_token")


@pytest.fixture
def dashboard_headers(dashboard_token):
    """What the dashboard page sends: its own origin and the embedded token."""
    return {"Origin": OWN_ORIGIN, "X-LinkTriage-Token": dashboard_token}


@pytest.fixture
def paired_extension(client):
    return Extension(client).pair()
