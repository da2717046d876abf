"""The helper's security model, tried the way an attacker would: each attempt refused, nothing stored."""

from __future__ import annotations

import re

import pytest
from helper_support import EXTENSION_ORIGIN, HOST, OWN_ORIGIN, TEST_PORT, Extension, batch, comment

from helper import security

EVIL = "https://evil.example"


def stored_count(client, dashboard_headers) -> int:
    return client.get("/api/comments", headers=dashboard_headers).get_json()["total"]


def product_count(client, dashboard_headers) -> int:
    return client.get("/api/products", headers=dashboard_headers).get_json()["total"]


# Every documented state-changing call, with a body that would succeed if it were let through.
STATE_CHANGES = [
    ("post", "/api/comments", batch([comment("x1", "求链接")])),
    ("post", "/api/products", {"name": "evil product", "link": "x"}),
    ("post", "/api/products/import", {"csv": "name,link\nevil product,x\n"}),
    ("post", "/api/comments/bulk", {"ids": ["c1"], "status": "ignored"}),
    ("patch", "/api/comments/c1", {"status": "ignored"}),
    ("post", "/api/pairing/revoke", {}),
    ("post", "/api/pairing/open", {}),
]
READS = ["/api/comments", "/api/requests", "/api/notes", "/api/products", "/api/export.csv", "/api/pairing"]


@pytest.fixture
def seeded(client, paired_extension, dashboard_headers):
    """One stored comment c1 and a paired extension; returns a snapshot function of the state."""
    assert paired_extension.post("/api/comments", batch([comment("c1", "求链接")])).status_code == 200

    def snapshot():
        comments = client.get("/api/comments", headers=dashboard_headers).get_json()
        return (
            [(c["id"], c["status"]) for c in comments["items"]],
            product_count(client, dashboard_headers),
            client.get("/api/pairing", headers=dashboard_headers).get_json(),
        )

    return snapshot


@pytest.mark.parametrize("method, path, payload", STATE_CHANGES)
def test_foreign_origin_is_refused_even_with_a_stolen_token(client, seeded, paired_extension, method, path, payload):
    before = seeded()
    headers = {"Origin": EVIL, "Authorization": f"Bearer {paired_extension.token}"}
    response = getattr(client, method)(path, json=payload, headers=headers)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    assert seeded() == before


@pytest.mark.parametrize("method, path, payload", STATE_CHANGES)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None]
)
def test_cors_simple_requests_are_refused(client, seeded, paired_extension, method, path, payload, content_type):
    import json

    before = seeded()
    headers = dict(paired_extension.headers)
    if content_type:
        headers["Content-Type"] = content_type
    response = getattr(client, method)(path, data=json.dumps(payload), headers=headers)
    assert response.status_code == 415
    assert seeded() == before


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{TEST_PORT}", "127.0.0.1", "localhost:1", "[::1]:17999", f"127.0.0.2:{TEST_PORT}"])
@pytest.mark.parametrize("path", ["/api/health", "/api/openapi.json", "/api/comments", "/"])
def test_rebinding_host_is_refused_everywhere(client, seeded, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 403
    assert b"linktriage" not in response.data.lower() or b"host" in response.data.lower()


def test_rebinding_host_cannot_store(client, seeded, paired_extension, dashboard_headers):
    before = seeded()
    headers = {**paired_extension.headers, "Host": f"evil.example:{TEST_PORT}"}
    assert client.post("/api/comments", json=batch([comment("x", "求链接")]), headers=headers).status_code == 403
    assert seeded() == before


@pytest.mark.parametrize("path", READS)
def test_reads_need_a_token(client, seeded, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer nope", "Origin": EXTENSION_ORIGIN}).status_code == 401
    assert client.get(path, headers={"X-LinkTriage-Token": "nope"}).status_code == 401


@pytest.mark.parametrize("method, path, payload", STATE_CHANGES)
def test_missing_or_wrong_token_changes_nothing(client, seeded, paired_extension, method, path, payload):
    before = seeded()
    for headers in ({"Origin": EXTENSION_ORIGIN}, {"Origin": EXTENSION_ORIGIN, "Authorization": "Bearer wrong"}, {"Origin": OWN_ORIGIN, "X-LinkTriage-Token": "wrong"}):
        response = getattr(client, method)(path, json=payload, headers=headers)
        assert response.status_code == 401, (headers, response.get_json())
    assert seeded() == before


def test_tokens_only_work_from_their_own_origin(client, seeded, paired_extension, dashboard_token):
    # The dashboard token from an extension origin, the extension token from the dashboard's origin.
    assert client.get("/api/notes", headers={"Origin": EXTENSION_ORIGIN, "X-LinkTriage-Token": dashboard_token}).status_code == 401
    assert client.get("/api/notes", headers={"Origin": OWN_ORIGIN, "Authorization": f"Bearer {paired_extension.token}"}).status_code == 401
    assert client.get("/api/notes", headers=paired_extension.headers).status_code == 200


def test_pairing_management_is_dashboard_only(client, seeded, paired_extension):
    for path in ("/api/pairing/open", "/api/pairing/revoke"):
        assert paired_extension.post(path, {}).status_code == 403
    assert paired_extension.get("/api/pairing").status_code == 403


def test_oversized_body_is_refused_and_nothing_stored(app, client, seeded, paired_extension):
    before = seeded()
    app.config["MAX_CONTENT_LENGTH"] = 4096
    big = batch([comment(f"big{i}", "求链接" * 20) for i in range(100)])
    response = paired_extension.post("/api/comments", big)
    assert response.status_code == 413 and response.is_json
    assert "error" in response.get_json()
    app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
    assert seeded() == before


def test_more_than_500_comments_is_refused(client, seeded, paired_extension):
    before = seeded()
    response = paired_extension.post("/api/comments", batch([comment(f"m{i}", "x") for i in range(501)]))
    assert response.status_code == 413
    assert seeded() == before


def test_failed_auth_is_throttled(app, client, seeded, paired_extension):
    limit = app.config["AUTH_FAILURES_PER_MINUTE"]
    for _ in range(limit):
        assert client.get("/api/notes", headers={"Authorization": "Bearer guess", "Origin": EXTENSION_ORIGIN}).status_code == 401
    refused = client.get("/api/notes", headers={"Authorization": "Bearer guess", "Origin": EXTENSION_ORIGIN})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    # Every local process is 127.0.0.1: someone else's failures never lock out the right token.
    assert paired_extension.get("/api/notes").status_code == 200


def test_throttle_forgets_after_the_window():
    throttle = security.AuthThrottle(limit=2, window=0.05)
    throttle.fail("a"), throttle.fail("a")
    assert throttle.retry_after("a") >= 1 and throttle.retry_after("b") == 0
    import time

    time.sleep(0.06)
    assert throttle.retry_after("a") == 0


def test_cross_site_request_without_origin_is_refused(client, seeded, dashboard_token):
    # An <img src> or top-level navigation from another site: no Origin, but Sec-Fetch-Site says so.
    response = client.get("/api/export.csv", headers={"Sec-Fetch-Site": "cross-site", "X-LinkTriage-Token": dashboard_token})
    assert response.status_code == 403
    assert client.get("/api/health", headers={"Origin": "null"}).status_code == 403


def test_health_refuses_web_origins_but_answers_extensions(client):
    assert client.get("/api/health", headers={"Origin": EVIL}).status_code == 403
    response = client.get("/api/health", headers={"Origin": "chrome-extension://someotherextensionid"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "chrome-extension://someotherextensionid"


def test_cors_names_only_the_paired_extension_never_star(client, seeded, paired_extension):
    preflight = client.options(
        "/api/comments",
        headers={
            "Origin": EXTENSION_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Private-Network" not in preflight.headers
    other = client.options(
        "/api/comments",
        headers={"Origin": "chrome-extension://notpairedatall", "Access-Control-Request-Method": "POST"},
    )
    assert other.status_code == 403 and "Access-Control-Allow-Origin" not in other.headers
    web = client.options("/api/comments", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert web.status_code == 403 and "Access-Control-Allow-Origin" not in web.headers
    response = paired_extension.get("/api/notes")
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    assert "*" not in response.headers.get("Access-Control-Allow-Origin", "")


def test_every_response_has_the_version_header(client, seeded):
    from helper import __version__

    for response in (client.get("/api/health"), client.get("/api/notes"), client.get("/api/nope"), client.get("/api/health", headers={"Host": "x"})):
        assert response.headers["X-LinkTriage-Version"] == __version__


def test_unknown_routes_are_not_an_oracle(client, seeded, dashboard_headers):
    assert client.get("/api/does-not-exist").status_code == 401
    assert client.get("/api/does-not-exist", headers=dashboard_headers).status_code == 404


# -- pairing -------------------------------------------------------------------------------------
def test_pairing_flow(client, dashboard_headers):
    assert client.get("/api/health").get_json()["paired"] is False
    # Only an extension origin may pair; a web page may not.
    assert client.post("/api/pair", json={}, headers={"Origin": EVIL}).status_code == 403
    assert client.post("/api/pair", json={}, headers={"Origin": OWN_ORIGIN}).status_code == 403
    assert client.post("/api/pair", json={}).status_code == 403
    first = Extension(client).pair()
    assert client.get("/api/health").get_json()["paired"] is True
    state = client.get("/api/pairing", headers=dashboard_headers).get_json()
    assert state["paired"] and state["extension"]["origin"] == EXTENSION_ORIGIN and not state["pairing_open"]

    # Pairing is closed now: another extension is refused...
    intruder = client.post("/api/pair", json={}, headers={"Origin": "chrome-extension://intruder"})
    assert intruder.status_code == 403
    # ...while the paired one may ask again and gets a fresh token; the old one stops working.
    old = first.token
    first.pair()
    assert first.token != old
    assert client.get("/api/notes", headers={"Origin": EXTENSION_ORIGIN, "Authorization": f"Bearer {old}"}).status_code == 401
    assert first.get("/api/notes").status_code == 200

    # The dashboard re-opens pairing: a new extension pairs and replaces the old one.
    opened = client.post("/api/pairing/open", json={}, headers=dashboard_headers).get_json()
    assert opened["pairing_open"] and opened["open_until"]
    second = Extension(client, "moz-extension://1234-abcd").pair()
    assert first.get("/api/notes").status_code == 403  # no longer the paired origin
    assert second.get("/api/notes").status_code == 200

    # Revoke: the extension is locked out and cannot pair straight back; the dashboard opens pairing again.
    revoked = client.post("/api/pairing/revoke", json={}, headers=dashboard_headers).get_json()
    assert revoked["revoked"] == 1
    assert second.get("/api/notes").status_code == 403
    state = client.get("/api/pairing", headers=dashboard_headers).get_json()
    assert (state["paired"], state["pairing_open"], state["extension"]) == (False, False, None)
    assert client.get("/api/health").get_json()["paired"] is False
    assert client.post("/api/pair", json={}, headers={"Origin": second.origin}).status_code == 403
    client.post("/api/pairing/open", json={}, headers=dashboard_headers)
    assert second.pair().get("/api/notes").status_code == 200


def test_pairing_window_closes_after_five_minutes(app, client, dashboard_headers, monkeypatch):
    Extension(client).pair()
    client.post("/api/pairing/open", json={}, headers=dashboard_headers)
    from datetime import timedelta

    from helper.store import Pairing, models

    later = models.utcnow() + Pairing.WINDOW + timedelta(seconds=1)
    monkeypatch.setattr(models, "utcnow", lambda: later)
    assert client.post("/api/pair", json={}, headers={"Origin": "chrome-extension://late"}).status_code == 403


def test_tokens_are_stored_hashed(app, client):
    ext = Extension(client).pair()
    from helper import store

    with app.app_context():
        store.bind_models(app.extensions["linktriage_db"])
        with app.extensions["linktriage_db"]:
            row = store.Pairing.active()
    assert row.token_hash == security.hash_token(ext.token) and ext.token not in row.token_hash


def test_dashboard_token_helper_matches_meta(app, client, dashboard_token):
    with app.test_request_context("/", base_url=f"http://{HOST}"):
        from helper.app import get_db

        get_db()
        assert security.dashboard_token() == dashboard_token


# -- every route the app has, present and future -------------------------------------------------
def every_api_call(app):
    """(method, path, public) for every /api route, with sample values for path arguments."""
    samples = {"comment_id": "c1", "product_id": "1", "id": "1"}
    calls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:[a-z]+:)?{arg}>", samples.get(arg, "x"), path)
        view = app.view_functions[rule.endpoint]
        public = getattr(view, "linktriage_public", False) or rule.endpoint in security.PUBLIC_ENDPOINTS
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            calls.append((method, path, public))
    return calls


def test_every_route_refuses_foreign_pages_rebinding_and_anonymous_callers(app, client, seeded, paired_extension):
    before = seeded()
    app.extensions["linktriage_throttle"].limit = 10_000  # this test fails auth on purpose, many times
    calls = every_api_call(app)
    assert len(calls) >= 20
    for method, path, public in calls:
        send = lambda **kw: client.open(path, method=method, json={}, **kw)  # noqa: E731
        assert send(headers={"Origin": EVIL}).status_code == 403, (method, path)
        assert send(headers={"Host": f"evil.example:{TEST_PORT}", **paired_extension.headers}).status_code == 403, (method, path)
        if method != "GET":
            plain = client.open(path, method=method, data="{}", headers={**paired_extension.headers, "Content-Type": "text/plain"})
            assert plain.status_code == 415, (method, path)
        if not public:
            assert send(headers={"Origin": EXTENSION_ORIGIN}).status_code == 401, (method, path)
    assert seeded() == before


def test_a_link_from_elsewhere_may_open_a_public_page_but_not_data(client, seeded, dashboard_token):
    navigate = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
    assert client.get("/api/health", headers=navigate).status_code == 200
    assert client.get("/api/export.csv", headers={**navigate, "X-LinkTriage-Token": dashboard_token}).status_code == 403
    embedded = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}
    assert client.get("/api/health", headers=embedded).status_code == 403
    assert client.get("/api/health", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}).status_code == 403
