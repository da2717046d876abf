"""Fixtures for the helper tests (flaskr style): app, client, runner, and pairing helpers.

`client` talks to the app as the dashboard page would (Host 127.0.0.1:PORT); tests add Origin and
token headers themselves, or use `dashboard_headers` / `paired_extension`.
"""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from helper.app import create_app

TEST_PORT = 17999
HOST = f"127.0.0.1:{TEST_PORT}"
OWN_ORIGIN = f"http://{HOST}"
EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


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


class Extension:
    """A fake extension origin that pairs and then calls the API like the service worker does."""

    def __init__(self, client, origin: str = EXTENSION_ORIGIN):
        self.client = client
        self.origin = origin
        self.token = None

    def pair(self):
        response = self.client.post("/api/pair", json={}, headers={"Origin": self.origin})
        assert response.status_code == 200, response.get_json()
        self.token = response.get_json()["token"]
        return self

    @property
    def headers(self) -> dict:
        return {"Origin": self.origin, "Authorization": f"Bearer {self.token}"}

    def get(self, path, **kw):
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path, payload, **kw):
        return self.client.post(path, json=payload, headers=self.headers, **kw)

    def patch(self, path, payload, **kw):
        return self.client.patch(path, json=payload, headers=self.headers, **kw)


@pytest.fixture
def paired_extension(client):
    return Extension(client).pair()


def comment(cid, text, note_id="note1", **extra):
    return {"id": cid, "note_id": note_id, "text": text, **extra}


def batch(comments, note_id="note1", **note):
    return {"platform": "xhs", "note": {"id": note_id, **note}, "comments": comments}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path
