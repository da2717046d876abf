"""Demand insights (aggregation queries + /api/insights[.csv]) and the page at /."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from helper import store
from helper.api.insights import aggregate, day_range
from helper.store import Comment, Note

FIELDS = ("comment_id", "note_id", "text", "created_at", "is_request", "products", "status", "correction")
# Times are UTC; with tz_offset=480 (China) 16:30 UTC is 00:30 the next local day.
ROWS = [
    ("r1", "n1", "求链接", datetime(2026, 11, 20, 1, 30), True, ["羊毛地毯"], "new", None),
    ("r2", "n1", "lj", datetime(2026, 11, 20, 16, 30), True, ["羊毛地毯", "落地灯"], "replied", None),
    ("r3", "n2", "灯在哪买", datetime(2026, 11, 22, 3, 0), True, ["落地灯"], "new", None),
    ("r4", "n2", "where to buy", datetime(2026, 11, 22, 3, 10), True, [], "ignored", None),
    ("x1", "n2", "好看", datetime(2026, 11, 22, 4, 0), False, [], "new", None),
    ("x2", "n1", "求链接？不用了", datetime(2026, 11, 21, 9, 0), True, ["羊毛地毯"], "new", "not_request"),
    ("m1", "n3", "这个也想要", datetime(2026, 11, 23, 12, 0), False, [], "new", "missed"),
    ("f1", "n3", "=HYPERLINK(\"x\")", datetime(2026, 11, 23, 13, 0), True, ["=cmd|' /C calc'!A0"], "new", None),
]


@pytest.fixture
def seeded(app):
    """The ROWS stored through the real store, with note titles."""
    db = app.extensions["linktriage_db"]
    store.bind_models(db)
    with db:
        Comment.insert_new([dict(zip(FIELDS, row)) for row in ROWS])
        Note.remember("xhs", "n1", title="客厅改造")
        Note.remember("xhs", "n2", title="卧室灯光")
    return db


def by_name(items, key="name"):
    return {item[key]: item for item in items}


def test_aggregate_buckets_requests_by_local_day_product_note_and_hour(seeded):
    with seeded:
        data = aggregate({}, tz_offset=480)
    # r1 r2 r3 r4 m1 f1 are requests (x1 is not; x2 was corrected away, m1 was corrected in).
    assert data["total"] == 6 and data["unanswered"] == 4  # r2 replied, r4 ignored
    assert data["days"][:5] == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"]
    products = by_name(data["products"])
    assert products["羊毛地毯"]["per_day"][:2] == [1, 1]  # r1 on the 20th, r2 at 00:30 local on the 21st
    assert products["羊毛地毯"]["total"] == 2 and products["羊毛地毯"]["unanswered"] == 1
    assert products["羊毛地毯"]["unanswered_per_day"][:2] == [1, 0]
    assert products["落地灯"]["total"] == 2 and products["落地灯"]["per_day"][1:3] == [1, 1]
    assert products[""]["total"] == 2  # r4 and m1 named no product
    notes = by_name(data["notes"], "note_id")
    assert notes["n1"]["title"] == "客厅改造" and notes["n1"]["total"] == 2
    assert notes["n2"]["total"] == 2 and notes["n2"]["unanswered"] == 1
    assert notes["n3"]["title"] == "" and notes["n3"]["per_day"][3] == 2
    assert data["hours"][9] == 1 and data["hours"][0] == 1 and data["hours"][11] == 2 and sum(data["hours"]) == 6
    assert data["products"][0]["total"] >= data["products"][-1]["total"]


def test_aggregate_in_utc_and_with_filters(seeded):
    with seeded:
        utc = aggregate({}, tz_offset=0)
        n1 = aggregate({"note_id": "n1"}, tz_offset=0)
        window = aggregate({"since": datetime(2026, 11, 22), "until": datetime(2026, 11, 23)}, tz_offset=0)
    assert by_name(utc["products"])["羊毛地毯"]["per_day"][:2] == [2, 0]  # both on the 20th in UTC
    assert utc["hours"][16] == 1 and utc["hours"][1] == 1
    assert n1["total"] == 2 and [n["note_id"] for n in n1["notes"]] == ["n1"]
    assert window["total"] == 2 and window["days"] == ["2026-11-22"]


def test_aggregate_of_nothing_is_empty_not_an_error(app):
    db = app.extensions["linktriage_db"]
    store.bind_models(db)
    with db:
        data = aggregate({}, tz_offset=0)
    assert data["total"] == 0 and data["days"] == [] and data["hours"] == [0] * 24 and data["products"] == []


def test_day_range_is_continuous_and_bounded():
    days = day_range("2026-11-01", "2026-11-03", datetime(2026, 10, 30), datetime(2026, 11, 5), 0)
    assert days == ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
    assert len(day_range("2020-01-01", "2026-11-03", None, datetime(2026, 11, 4), 0)) == 731


def test_api_insights_needs_the_token(client, seeded):
    assert client.get("/api/insights").status_code == 401


def test_api_insights_over_http(client, seeded, dashboard_headers):
    response = client.get("/api/insights?tz_offset=480&note_id=n2", headers=dashboard_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 2 and body["unanswered"] == 1 and body["tz_offset"] == 480
    assert set(body) == {"tz_offset", "days", "total", "unanswered", "hours", "products", "notes"}
    assert body["hours"][11] == 2


@pytest.mark.parametrize("query", ["tz_offset=abc", "tz_offset=100000", "since=yesterday", "status=maybe"])
def test_api_insights_rejects_bad_parameters(client, seeded, dashboard_headers, query):
    response = client.get(f"/api/insights?{query}", headers=dashboard_headers)
    assert response.status_code == 400 and response.get_json()["error"]


def test_insights_csv_has_bom_and_neutralised_formulas(client, seeded, dashboard_headers):
    response = client.get("/api/insights.csv?tz_offset=480", headers=dashboard_headers)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["dimension", "id", "name", "date", "hour", "requests", "unanswered"]
    products = [r for r in rows if r[0] == "product" and r[3] == ""]
    assert ["product", "羊毛地毯", "羊毛地毯", "", "", "2", "1"] in products
    assert any(r[1] == "'=cmd|' /C calc'!A0" for r in products)
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert ["product", "羊毛地毯", "羊毛地毯", "2026-11-21", "", "1", "0"] in rows  # r2, replied
    assert ["product", "羊毛地毯", "羊毛地毯", "2026-11-20", "", "1", "1"] in rows
    assert len([r for r in rows if r[0] == "hour"]) == 24 and rows[-1] == ["total", "", "", "", "", "6", "4"]


def test_dashboard_page_embeds_the_token_and_locks_itself_down(client, dashboard_token):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f'<meta name="linktriage-token" content="{dashboard_token}">' in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    script = client.get("/dashboard/js/main.js")
    assert script.status_code == 200 and "javascript" in script.mimetype


def test_dashboard_page_is_not_served_to_rebinding_hosts_or_cross_site(client):
    assert client.get("/", base_url="http://evil.example:17999").status_code == 403
    assert client.get("/", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    # A link elsewhere may open the page (that site cannot read it), but not frame it.
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert client.get("/", headers={**link, "Sec-Fetch-Dest": "document"}).status_code == 200
    assert client.get("/", headers={**link, "Sec-Fetch-Dest": "iframe"}).status_code == 403
    assert client.get("/dashboard/js/api.js", base_url="http://evil.example:17999").status_code == 403
