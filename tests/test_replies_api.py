"""POST /api/replies/preview (helper/api/replies.py): the reply a template renders for a product, with
the platform's compliance warnings, and the input it refuses."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "template, text, warning",
    [
        # The warnings come in the language of the reply the preview renders.
        ("@{nickname} {product}在这里：https://item.taobao.com/item.htm?id=9", "@小鹿 落地灯在这里：https://item.taobao.com/item.htm?id=9",
         "含站外链接 item.taobao.com（淘宝）：小红书评论区禁止站外链接，请改为引导到商品卡或橱窗"),
        ("@{nickname} get the {product} here: https://item.taobao.com/item.htm?id=9",
         "@小鹿 get the 落地灯 here: https://item.taobao.com/item.htm?id=9",
         "off-platform link (item.taobao.com, 淘宝): Xiaohongshu removes comments that link outside it; "
         "point to the product card (商品卡) or 橱窗 instead"),
    ],
)
def test_reply_preview_warns_about_off_platform_links_on_xiaohongshu(client, dashboard_headers, template, text, warning):
    payload = {
        "template": template,
        "product": {"name": "落地灯", "link": "https://www.xiaohongshu.com/goods-detail/1"},
        "nickname": "小鹿",
        "platform": "xhs",
    }
    body = client.post("/api/replies/preview", json=payload, headers=dashboard_headers).get_json()
    assert body["text"] == text
    assert body["compliance"] == [warning]
    web = client.post("/api/replies/preview", json={**payload, "platform": "web"}, headers=dashboard_headers).get_json()
    assert web["compliance"] == []


def test_reply_preview_with_a_catalog_product_and_its_link(client, dashboard_headers):
    created = client.post(
        "/api/products",
        json={"name": "羊毛地毯", "link": "https://item.jd.com/1.html"},
        headers=dashboard_headers,
    )
    assert created.status_code in (200, 201)
    body = client.post(
        "/api/replies/preview",
        json={"template": "{product}：{link}", "product": "羊毛地毯", "nickname": "", "platform": "xhs"},
        headers=dashboard_headers,
    ).get_json()
    # The off-platform link is kept out of an xhs reply, and the preview says why (in the reply's language).
    assert "jd.com" not in body["text"] and body["text"].startswith("羊毛地毯：")
    assert body["compliance"] == ["羊毛地毯的链接不在小红书站内，已改为引导到商品卡/橱窗；在商品里填小红书商品链接即可附上"]
    english = client.post(
        "/api/replies/preview",
        json={"template": "{product}: {link}", "product": "羊毛地毯", "platform": "xhs", "text": "link please"},
        headers=dashboard_headers,
    ).get_json()
    assert english["text"] == "羊毛地毯: the product card on this note"
    assert len(english["compliance"]) == 1 and english["compliance"][0].startswith("link of 羊毛地毯 left out")
    default = client.post(
        "/api/replies/preview", json={"product": "羊毛地毯", "nickname": "Jess"}, headers=dashboard_headers
    ).get_json()
    assert default["text"].startswith("@Jess ") and "羊毛地毯" in default["text"]


@pytest.mark.parametrize(
    "payload, status",
    [
        ({"product": "nope"}, 404),
        ({"template": 5}, 400),
        ({"platform": "myspace"}, 400),
        ({"extra": 1}, 400),
        ({"product": 7}, 400),
    ],
)
def test_reply_preview_rejects_bad_input(client, dashboard_headers, payload, status):
    response = client.post("/api/replies/preview", json=payload, headers=dashboard_headers)
    assert response.status_code == status and response.get_json()["error"]


def test_reply_preview_refuses_form_posts_and_foreign_origins(client, dashboard_headers):
    form = client.post("/api/replies/preview", data={"template": "x"}, headers=dashboard_headers)
    assert form.status_code == 415
    foreign = client.post(
        "/api/replies/preview", json={}, headers={**dashboard_headers, "Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
