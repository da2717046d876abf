"""Reply suggestions and Xiaohongshu compliance warnings (table-driven)."""

import re

import pytest

from helper.nlp.products import Catalog
from helper.nlp.replies import compliance_warnings, is_english, suggest_reply

TAOBAO = "https://item.taobao.com/item.htm?id=42"
XHS_GOODS = "https://www.xiaohongshu.com/goods-detail/65a1b2c3d4e5f60718293a4b"
CATALOG = Catalog([
    {"name": "羊毛地毯", "aliases": ["地毯", "wool rug", "rug"], "link": TAOBAO, "note_ids": ["n1"]},
    {"name": "落地灯", "aliases": ["灯", "lamp"], "link": XHS_GOODS, "note_ids": ["n1"]},
    {"name": "布艺沙发", "aliases": ["沙发"], "link": "", "note_ids": ["n1"]},
    {"name": "帆布包", "aliases": ["包"], "link": "https://xhslink.com/a/Bag1", "note_ids": ["n2"],
     "reply": "@{nickname} {product}戳这里 {link}"},
    {"name": "马克杯", "aliases": ["杯子"], "link": TAOBAO, "note_ids": ["n3"],
     "reply": "{nickname} {product}看这里：{link}"},
    {"name": "香薰", "aliases": [], "link": "", "note_ids": ["n4"],
     "reply": "@{nickname} 加vx abc12345 或 https://shop.taobao.com/x"},
])


def reply(text, note_id="n1", platform="xhs", comment_id="c1", nickname="小鹿"):
    return suggest_reply(
        comment_id=comment_id, nickname=nickname, text=text,
        attribution=CATALOG.attribute(text, note_id), platform=platform,
    )


@pytest.mark.parametrize(
    "text, note_id, platform, must_contain, must_not_contain",
    [
        ("地毯哪里买", "n1", "xhs", ["@小鹿 ", "羊毛地毯"], [TAOBAO, "taobao"]),  # off-platform link left out
        ("灯求链接", "n1", "xhs", ["落地灯"], [TAOBAO]),
        ("地毯哪里买", "n1", "web", ["羊毛地毯", TAOBAO], []),  # elsewhere: the product's own link
        ("地毯哪里买", "n1", "douyin", ["羊毛地毯", TAOBAO], []),
        ("沙发和灯都要", "n1", "xhs", ["布艺沙发", "落地灯"], [TAOBAO]),
        ("求链接", "n1", "xhs", ["羊毛地毯", "落地灯", "布艺沙发", "哪"], []),  # several, none named: which?
        ("求链接", "n9", "xhs", ["@小鹿 "], ["{"]),  # nothing known: a general pointer
        ("where can I buy the rug?", "n1", "xhs", ["@小鹿 ", "wool rug"], [TAOBAO, "羊毛地毯"]),
        ("link please", "n1", "web", ["@小鹿 ", "which one", "wool rug"], []),
    ],
)
def test_reply_content(text, note_id, platform, must_contain, must_not_contain):
    text_out = reply(text, note_id, platform).text
    text_low = text_out.lower()
    for piece in must_contain:
        assert piece.lower() in text_low, (piece, text_out)
    for piece in must_not_contain:
        assert piece.lower() not in text_low, (piece, text_out)


@pytest.mark.parametrize("platform", ["xhs", "douyin", "web"])
@pytest.mark.parametrize("text", ["地毯哪里买", "求链接", "沙发和灯都要", "rug link?"])
def test_rotation_is_stable_per_id_and_varies_across_ids(platform, text):
    replies = [reply(text, platform=platform, comment_id=f"c{i}").text for i in range(40)]
    assert replies[:10] == [reply(text, platform=platform, comment_id=f"c{i}").text for i in range(10)]
    assert len(set(replies)) >= 2, replies[0]


@pytest.mark.parametrize("platform", ["xhs", "douyin", "web"])
@pytest.mark.parametrize("text", ["地毯哪里买", "求链接", "沙发和灯都要", "rug link?", "where to buy"])
def test_consecutive_numbered_ids_get_different_phrasings(platform, text):
    replies = [reply(text, platform=platform, comment_id=f"c{i}").text for i in range(20)]
    assert all(a != b for a, b in zip(replies, replies[1:])), replies[:3]


def test_xhs_reply_never_carries_an_off_platform_link():
    for i in range(50):
        result = reply("地毯哪里买", comment_id=f"id-{i}")
        assert "taobao" not in result.text
        assert result.compliance and "羊毛地毯" in result.compliance[0]  # says why the link is missing
        assert re.search("商品卡|橱窗", result.text)


def test_in_platform_goods_link_may_appear_on_xhs():
    texts = {reply("灯求链接", comment_id=f"c{i}").text for i in range(40)}
    assert any(XHS_GOODS in t for t in texts)
    assert all(not reply("灯求链接", comment_id=f"c{i}").compliance for i in range(40))


def test_custom_template_with_in_platform_link():
    result = reply("包包求链接", note_id="n2")
    assert result.text == "@小鹿 帆布包戳这里 https://xhslink.com/a/Bag1"
    assert result.compliance == []


def test_custom_template_off_platform_link_replaced_on_xhs_kept_elsewhere():
    on_xhs = reply("杯子哪里买", note_id="n3")
    assert on_xhs.text == "小鹿 马克杯看这里：笔记里的商品卡"
    assert on_xhs.compliance  # explains the missing link
    on_web = reply("杯子哪里买", note_id="n3", platform="web")
    assert on_web.text == f"小鹿 马克杯看这里：{TAOBAO}" and on_web.compliance == []


def test_custom_template_that_itself_breaks_the_rules_is_kept_but_flagged():
    result = reply("求链接", note_id="n4")
    assert result.text == "@小鹿 加vx abc12345 或 https://shop.taobao.com/x"
    joined = " ".join(result.compliance)
    assert "WeChat" in joined and "shop.taobao.com" in joined


def test_a_long_catalog_is_not_listed_in_a_reply():
    many = Catalog([{"name": f"款式{i}", "aliases": [], "note_ids": ["big"]} for i in range(12)])
    result = suggest_reply(comment_id="c1", nickname="a", text="求链接", attribution=many.attribute("求链接", "big"))
    assert "款式" not in result.text and ("商品卡" in result.text or "橱窗" in result.text)


def test_no_nickname_no_at_sign():
    assert not reply("地毯哪里买", nickname=None).text.startswith("@")
    assert not reply("包包求链接", note_id="n2", nickname="").text.startswith("@")


@pytest.mark.parametrize(
    "text, english",
    [
        ("where can I buy this?", True),
        ("Price please", True),
        ("lj", False),  # pinyin shorthand
        ("pdd有吗", False),
        ("求lj", False),
        ("这个 link 有吗", False),
        ("🔗", False),
        ("¿dónde lo compro?", True),  # other Latin-script languages get the English reply
    ],
)
def test_reply_language(text, english):
    assert is_english(text) is english


@pytest.mark.parametrize(
    "text, expected",
    [
        ("已经放在商品卡啦", []),
        ("商品链接 " + XHS_GOODS, []),
        ("短链 xhslink.com/a/AbC123", []),
        ("see it here https://item.taobao.com/item.htm?id=1", ["off-platform link"]),
        ("m.tb.cn/h.5abc 打开", ["off-platform link"]),
        ("去jd.com看看", ["off-platform link"]),
        ("https://mobile.yangkeduo.com/goods.html?id=1", ["off-platform link"]),
        ("https://v.douyin.com/AbC/", ["off-platform link"]),
        ("ｔａｏｂａｏ．ｃｏｍ", ["off-platform link"]),  # full-width
        ("taobao。com/x", ["off-platform link"]),
        ("￥AbCd1234Ef￥", ["shopping code"]),
        ("₤Xy12ab34Cd₤", ["shopping code"]),
        ("復製這段話打開手機淘寶", ["shopping code"]),
        ("vx: abc_12345", ["WeChat/QQ"]),
        ("加v", ["WeChat/QQ"]),
        ("微信号 linktriage1", ["WeChat/QQ"]),
        ("QQ 123456789", ["WeChat/QQ"]),
        ("扫码进群", ["QR code"]),
        ("二維碼在主頁", ["QR code"]),
        ("电话 13812345678", ["phone number"]),
        ("138 1234 5678", ["phone number"]),
        ("价格19.7元，4条装", []),
        ("发邮件到 shop@example.com", ["email address"]),
        ("@小鹿 在商品卡", []),
        ("到手价 129", []),
        ("taobao.com 加微信 abc123456", ["off-platform link", "WeChat/QQ"]),
    ],
)
def test_compliance_warnings_on_xhs(text, expected):
    warnings = compliance_warnings(text, "xhs")
    assert len(warnings) == len(expected), warnings
    assert all(w.startswith(kind) for w, kind in zip(warnings, expected)), warnings


@pytest.mark.parametrize("platform", ["douyin", "web"])
def test_no_xhs_rules_elsewhere(platform):
    assert compliance_warnings("https://item.taobao.com/item.htm?id=1 vx abc12345", platform) == []
