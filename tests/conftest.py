"""Fixtures for the helper tests (flaskr style): app, client, runner, and pairing helpers.

`client` talks to the app as the dashboard page would (Host 127.0.0.1:PORT); tests add Origin and
token headers themselves, or use `dashboard_headers` / `paired_extension`. Shared helpers that tests
import live in helper_support.py (two conftest.py files cannot both be imported as `conftest`).
"""

from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient

from helper.app import create_app
from helper_support import HOST, OWN_ORIGIN, TEST_PORT, Extension

# Helpers these tests start (`linktriage serve`) do not retrain by themselves after corrections, so a
# retrain never changes verdicts under a test; the tests of that feature switch it back on.
os.environ.setdefault("LINKTRIAGE_AUTO_RETRAIN", "0")


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def app(data_dir):
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT})
    yield app


class LoopbackClient(FlaskClient):
    """Requests go to http://127.0.0.1:TEST_PORT unless a test passes another base_url."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{HOST}")
        return super().open(*args, **kwargs)


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
