"""The HTTP API as the extension and the dashboard use it (Flask test client; real store and analyzer)."""

from __future__ import annotations

import re

import pytest
from helper_support import batch, comment

from helper.api.openapi import SPEC


def test_health_tells_what_it_is_without_data(client):
    response = client.get("/api/health")
    body = response.get_json()
    assert response.status_code == 200
    assert set(body) == {"app", "version", "model_loaded", "paired", "database"}
    assert body["app"] == "linktriage" and body["paired"] is False
    assert body["database"]["ok"] is True and body["database"]["error"] is None
    assert body["database"]["backend"] in ("sqlite", "postgresql")


def test_ingest_batch_returns_a_verdict_per_comment(paired_extension):
    payload = batch(
        [
            comment("c1", "求链接！这件大衣哪里买", author_id="fan1", created_at=1764000000000, like_count="3"),
            comment("c2", "今天天气真好", author_id="fan2"),
            comment("c3", "链接在商品卡哦", author_id="creator"),
            comment("", "no id"),
            {"id": "c4", "text": "x" * 10_001, "note_id": "note1"},
            {"id": "c5", "text": "lj", "note_id": "note1", "unknown": [1, 2], "created_at": "garbage"},
        ],
        title="冬季穿搭",
        author_id="creator",
        author_name="博主",
        url="https://www.xiaohongshu.com/explore/note1",
    )
    response = paired_extension.post("/api/comments", payload)
    assert response.status_code == 200
    body = response.get_json()
    assert body["stored"] == 3 and body["duplicates"] == 0
    assert [r["id"] for r in body["results"]] == ["c1", "c2", "c3"]
    by_id = {r["id"]: r for r in body["results"]}
    assert by_id["c1"]["is_request"] is True and by_id["c1"]["suggested_reply"]
    assert by_id["c3"]["is_request"] is False  # the note's author is never a request
    assert set(by_id["c1"]) == {"id", "is_request", "score", "products", "suggested_reply", "compliance", "status"}
    assert [(s["index"], s["id"]) for s in body["skipped"]] == [(3, ""), (4, "c4"), (5, "c5")]
    assert "10000" in body["skipped"][1]["reason"] and "created_at" in body["skipped"][2]["reason"]

    again = paired_extension.post("/api/comments", payload).get_json()
    assert again["stored"] == 0 and again["duplicates"] == 3
    assert again["results"] == body["results"]


@pytest.mark.parametrize(
    "payload, status",
    [({"comments": "nope"}, 400), ({}, 400), ({"comments": [], "platform": 5}, 400), ([1, 2], 400)],
)
def test_malformed_batches_get_a_clear_400(paired_extension, payload, status):
    response = paired_extension.post("/api/comments", payload)
    assert response.status_code == status and response.get_json()["error"]


def test_invalid_json_is_a_400_not_a_500(client, paired_extension):
    response = client.post("/api/comments", data="{not json", headers={**paired_extension.headers, "Content-Type": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"]


def test_listing_filters_and_paging(client, paired_extension, dashboard_headers):
    paired_extension.post(
        "/api/comments",
        batch([comment(f"r{i}", f"求链接 {i}", created_at=f"2026-11-{10 + i:02d}T00:00:00Z") for i in range(5)]
              + [comment("plain", "好可爱", created_at="2026-11-20T00:00:00Z")], title="笔记"),
    )
    requests = client.get("/api/requests", headers=dashboard_headers, query_string={"limit": 2}).get_json()
    assert requests["total"] == 5 and [c["id"] for c in requests["items"]] == ["r4", "r3"]
    assert requests["items"][0]["note_title"] == "笔记"
    page2 = client.get("/api/requests", headers=dashboard_headers, query_string={"limit": 2, "offset": 2}).get_json()
    assert [c["id"] for c in page2["items"]] == ["r2", "r1"]
    everything = client.get("/api/comments", headers=dashboard_headers).get_json()
    assert everything["total"] == 6
    since = client.get("/api/requests", headers=dashboard_headers, query_string={"since": "2026-11-13", "until": "2026-11-14"}).get_json()
    assert [c["id"] for c in since["items"]] == ["r3"]
    assert client.get("/api/requests", headers=dashboard_headers, query_string={"q": "4"}).get_json()["total"] == 1
    for bad in ({"limit": "x"}, {"limit": 0}, {"status": "done"}, {"since": "last week"}):
        assert client.get("/api/requests", headers=dashboard_headers, query_string=bad).status_code == 400


def test_patch_status_correction_and_reply(client, paired_extension, dashboard_headers):
    paired_extension.post("/api/comments", batch([comment("c1", "求链接"), comment("c2", "好看")]))
    response = paired_extension.patch("/api/comments/c1?platform=xhs", {"status": "replied"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "replied" and response.get_json()["status_by"] == "extension"
    corrected = client.patch("/api/comments/c1", json={"correction": "not_request"}, headers=dashboard_headers).get_json()
    assert corrected["is_request"] is False and corrected["model_is_request"] is True
    missed = client.patch("/api/comments/c2", json={"correction": "missed", "suggested_reply": "看主页橱窗～"}, headers=dashboard_headers).get_json()
    assert missed["is_request"] is True and missed["suggested_reply"] == "看主页橱窗～"
    assert [c["id"] for c in client.get("/api/requests", headers=dashboard_headers).get_json()["items"]] == ["c2"]
    warned = client.patch("/api/comments/c2", json={"suggested_reply": "去淘宝 https://item.taobao.com/x 买"}, headers=dashboard_headers).get_json()
    assert warned["compliance"], "an off-platform link in a Xiaohongshu reply is flagged"
    assert client.patch("/api/comments/c2", json={"correction": "maybe"}, headers=dashboard_headers).status_code == 400
    assert client.patch("/api/comments/c2", json={"status": "done"}, headers=dashboard_headers).status_code == 400
    assert client.patch("/api/comments/nope", json={"status": "new"}, headers=dashboard_headers).status_code == 404
    cleared = client.patch("/api/comments/c1", json={"correction": None}, headers=dashboard_headers).get_json()
    assert cleared["correction"] is None and cleared["is_request"] is True


def test_bulk_status(client, paired_extension, dashboard_headers):
    paired_extension.post("/api/comments", batch([comment(f"c{i}", "求链接") for i in range(3)]))
    response = client.post("/api/comments/bulk", json={"ids": ["c0", "c1", "missing"], "status": "ignored"}, headers=dashboard_headers)
    assert response.get_json() == {"updated": 2, "held": []}  # held: other operators' claims (test_claims)
    statuses = {c["id"]: (c["status"], c["status_by"]) for c in client.get("/api/comments", headers=dashboard_headers).get_json()["items"]}
    assert statuses == {"c0": ("ignored", "dashboard"), "c1": ("ignored", "dashboard"), "c2": ("new", None)}
    assert client.post("/api/comments/bulk", json={"ids": "c0", "status": "new"}, headers=dashboard_headers).status_code == 400


def test_notes_counts(client, paired_extension, dashboard_headers):
    paired_extension.post("/api/comments", batch([comment("a", "求链接", note_id="n1"), comment("b", "好看", note_id="n1")], note_id="n1", title="一"))
    paired_extension.post("/api/comments", batch([comment("c", "求链接", note_id="n2")], note_id="n2"))
    paired_extension.patch("/api/comments/c", {"status": "replied"})
    notes = {n["note_id"]: n for n in client.get("/api/notes", headers=dashboard_headers).get_json()["items"]}
    assert (notes["n1"]["title"], notes["n1"]["comments"], notes["n1"]["requests"], notes["n1"]["unanswered"]) == ("一", 2, 1, 1)
    assert (notes["n2"]["requests"], notes["n2"]["unanswered"]) == (1, 0)


def test_products_crud_and_import(client, dashboard_headers):
    h = dashboard_headers
    created = client.post("/api/products", json={"name": "羊毛大衣", "link": "商品卡", "aliases": "大衣|外套", "extra": 1}, headers=h)
    assert created.status_code == 201
    product = created.get_json()
    assert product["aliases"] == ["大衣", "外套"] and product["note_ids"] == []
    assert client.post("/api/products", json={"name": "羊毛大衣"}, headers=h).status_code == 409
    assert client.post("/api/products", json={"link": "x"}, headers=h).status_code == 400
    updated = client.put(f"/api/products/{product['id']}", json={"reply": "点商品卡～", "note_ids": ["n1"]}, headers=h).get_json()
    assert updated["reply"] == "点商品卡～" and updated["note_ids"] == ["n1"] and updated["link"] == "商品卡"
    imported = client.post(
        "/api/products/import",
        json={"csv": "\ufeffname,link,aliases,note_ids,reply\n羊毛大衣,新链接,,,\n围巾,橱窗,scarf|围脖,n2,\n,nameless,,,\n"},
        headers=h,
    ).get_json()
    assert (imported["created"], imported["updated"]) == (1, 1)
    assert imported["skipped"] == [{"line": 4, "reason": "name is missing"}]
    items = {p["name"]: p for p in client.get("/api/products", headers=h).get_json()["items"]}
    assert items["羊毛大衣"]["link"] == "新链接" and items["围巾"]["aliases"] == ["scarf", "围脖"]
    assert client.post("/api/products/import", json={"csv": "link\nx\n"}, headers=h).status_code == 400
    assert client.delete(f"/api/products/{product['id']}", json={}, headers=h).status_code == 200
    assert client.delete(f"/api/products/{product['id']}", json={}, headers=h).status_code == 404
    assert client.put("/api/products/999", json={"name": "x"}, headers=h).status_code == 404


def test_products_shape_the_verdicts(client, paired_extension, dashboard_headers):
    client.post("/api/products", json={"name": "羊毛大衣", "link": "商品卡", "aliases": ["大衣"]}, headers=dashboard_headers)
    client.post("/api/products", json={"name": "真丝围巾", "link": "橱窗", "aliases": ["围巾"]}, headers=dashboard_headers)
    result = paired_extension.post("/api/comments", batch([comment("c1", "围巾求链接")])).get_json()["results"][0]
    assert result["is_request"] and result["products"] == ["真丝围巾"]


def test_export_csv(client, paired_extension, dashboard_headers):
    paired_extension.post("/api/comments", batch([comment("c1", "=1+1 求链接"), comment("c2", "好看")], title="笔记"))
    response = client.get("/api/export.csv", headers=dashboard_headers)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffcomment_id,note_id,note_title,author,text,created_at,is_request,score,products,suggested_reply,status,captured_at")
    assert "'=1+1 求链接" in text and "好看" not in text
    everything = client.get("/api/export.csv", headers=dashboard_headers, query_string={"all": "1"}).data.decode()
    assert "好看" in everything
    # The extension's popup exports a note's requests with its own token.
    assert paired_extension.get("/api/export.csv?note_id=note1").status_code == 200


def test_get_never_changes_state(client, paired_extension, dashboard_headers):
    paired_extension.post("/api/comments", batch([comment("c1", "求链接")]))
    before = client.get("/api/comments", headers=dashboard_headers).get_json()
    for rule in client.application.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            client.get(rule.rule, headers=dashboard_headers, query_string={"status": "ignored", "correction": "missed"})
    assert client.get("/api/comments", headers=dashboard_headers).get_json() == before


# -- OpenAPI -------------------------------------------------------------------------------------
def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_openapi_documents_every_api_route(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1") and spec == SPEC | {}
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in client.application.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (openapi_path(rule.rule), method.lower()) in documented, f"{method} {rule.rule} is not in openapi.json"


def test_openapi_lists_every_endpoint_the_readme_documents():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### HTTP API", 1)[1].split("\n## ", 1)[0]
    for path in re.findall(r"`(?:GET|POST|PUT|PATCH|DELETE|GET\|POST|PUT\|DELETE) (/api/[^` ?]+)", section):
        assert openapi_path(path.replace("<comment_id>", "{comment_id}").replace("<id>", "{product_id}")) in SPEC["paths"], path


def test_openapi_document_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    validate(SPEC)
