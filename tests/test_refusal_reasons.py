"""Every 401/403 says why in a stable "reason" (helper/security.py REASONS, the OpenAPI Error schema), so that a
client tells "your token or origin is not the paired one: pair again" (token, origin) from "the helper's operator
may not do this" (role) and from requests pairing cannot fix (issue 14: a viewer's extension kept re-pairing on
its role refusals). Runs on SQLite and (scripts/test's PostgreSQL pass) on PostgreSQL."""

from __future__ import annotations

from helper_support import EXTENSION_ORIGIN, TEST_PORT, Extension, LoopbackClient, batch, comment

from helper import security
from helper.api.openapi import SPEC
from helper.app import create_app


def _client(app):
    app.test_client_class = LoopbackClient
    return app.test_client()


def reason(response, status):
    body = response.get_json()
    assert response.status_code == status, body
    assert body["status"] == status and body["error"]
    return body.get("reason")


def test_token_and_origin_refusals_say_so(client, paired_extension, dashboard_headers):
    ext = paired_extension
    assert reason(client.get("/api/requests", headers={"Origin": EXTENSION_ORIGIN}), 401) == "token"
    assert reason(client.get("/api/requests", headers={"Origin": EXTENSION_ORIGIN, "Authorization": "Bearer nope"}), 401) == "token"
    # Another extension's origin (say the paired one was replaced): not the paired origin.
    other = {**ext.headers, "Origin": "chrome-extension://someoneelse"}
    assert reason(client.get("/api/requests", headers=other), 403) == "origin"
    assert reason(client.get("/api/requests", headers={**ext.headers, "Origin": "https://evil.example"}), 403) == "origin"
    assert reason(client.get("/api/requests", headers={"Sec-Fetch-Site": "cross-site"}), 403) == "cross-site"
    assert reason(client.get("/api/requests", headers=ext.headers, base_url="http://evil.example"), 403) == "host"
    # Pairing management is the dashboard's: the extension's right token is refused, and pairing again would not help.
    assert reason(client.post("/api/pairing/open", json={}, headers=ext.headers), 403) == "dashboard-only"
    # Pairing itself: closed once paired, and only for extensions.
    assert reason(client.post("/api/pair", json={}, headers={"Origin": "chrome-extension://someoneelse"}), 403) == "pairing-closed"
    assert reason(client.post("/api/pair", json={}, headers={"Origin": "https://evil.example"}), 403) == "origin"
    assert client.get("/api/requests", headers=ext.headers).status_code == 200  # the right token still works


def test_a_role_refusal_says_role_and_the_role_needed_and_leaves_the_pairing_alone(app, client, data_dir, dashboard_headers):
    ext = Extension(client).pair()
    assert ext.post("/api/comments", batch([comment("c1", "求链接")])).status_code == 200
    app.config["OPERATOR"] = "Ana"  # the owner, registered by her first request
    assert client.get("/api/operators", headers=dashboard_headers).status_code == 200
    vi_app = create_app({"TESTING": True, "DATA_DIR": str(data_dir), "PORT": TEST_PORT, "OPERATOR": "Vi"})
    vi = _client(vi_app)
    assert vi.get("/api/operators", headers=dashboard_headers).status_code == 200
    assert client.put("/api/operators/Vi", json={"role": "viewer"}, headers=dashboard_headers).status_code == 200
    vi_ext = Extension(vi)
    vi_ext.token = ext.token  # one pairing in the shared database

    refused = vi_ext.patch("/api/comments/c1", {"status": "replied"})
    assert reason(refused, 403) == "role"
    assert refused.get_json()["role"] == "viewer" and refused.get_json()["needed"] == "agent"
    assert reason(vi_ext.post("/api/comments/c1/fill", {"platform": "xhs"}), 403) == "role"
    # Her extension's token is as good as before: her captures are taken, the list is read.
    assert vi_ext.post("/api/comments", batch([comment("c2", "怎么买")])).status_code == 200
    assert vi_ext.get("/api/requests").status_code == 200


def test_the_reasons_are_documented():
    documented = SPEC["components"]["schemas"]["Error"]["properties"]["reason"]["enum"]
    assert documented == list(security.REASONS)
    fill_403 = SPEC["paths"]["/api/comments/{comment_id}/fill"]["post"]["responses"]["403"]
    assert fill_403["content"]["application/json"]["schema"]["properties"]["reason"] == {"const": "role"}
