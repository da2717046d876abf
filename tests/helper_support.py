"""Shared helpers for the helper tests (importable; conftest.py holds the fixtures)."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

TEST_PORT = 17999
HOST = f"127.0.0.1:{TEST_PORT}"
OWN_ORIGIN = f"http://{HOST}"
EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"

class LoopbackClient(FlaskClient):
    """Requests go to http://127.0.0.1:TEST_PORT unless a test passes another base_url."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{HOST}")
        return super().open(*args, **kwargs)


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


def as_older_schema(db, version: int, columns: dict[str, tuple[str, ...]], indexes: tuple[str, ...] = ()) -> None:
    """Make an up-to-date test database look as schema `version` left it (the migration tests): drop the
    indexes and columns later steps added, and say `version`. SQLite and PostgreSQL alike."""
    from helper.store import Meta

    for index in indexes:
        db.execute_sql(f'DROP INDEX "{index}"')
    for table, names in columns.items():
        for name in names:
            db.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{name}"')
    Meta.set_value("schema_version", str(version))


def comment(cid, text, note_id="note1", **extra):
    return {"id": cid, "note_id": note_id, "text": text, **extra}


def batch(comments, note_id="note1", **note):
    return {"platform": "xhs", "note": {"id": note_id, **note}, "comments": comments}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path
