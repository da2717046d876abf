"""Replies that name what was asked without a catalog (issue 16): the note's product cards, else a
hand-written lexicon of product nouns (helper/nlp/product_nouns.txt). Table-driven."""

import json
import os
import re
import subprocess
import sys

import pytest

from helper.nlp.analyzer import Analyzer
from helper.nlp.compliance import compliance_warnings
from helper.nlp.product_nouns import LEXICON_FILE, asked_noun, card_attribution, card_products, nouns_in


@pytest.mark.parametrize(
    "text, noun",
    [
        ("风衣是什么牌子的呀", "风衣"),  # the example
        ("這件風衣在哪買", "风衣"),  # Traditional: matched on the normal form, named in it
        ("羽绒服外套求链接", "羽绒服"),  # longest noun wins
        ("求这条连衣裙的链接", "连衣裙"),  # not 裙子 / 裙
        ("图2的床垫链接挂一下", "床垫"),
        ("口红色号求", "口红"),
        ("猫爬架在哪买的", "猫爬架"),
        ("行车记录仪什么牌子", "行车记录仪"),
        ("请问咖啡豆是哪家的", "咖啡豆"),  # not 咖啡
        ("民宿怎么预约", "民宿"),
        ("第三张的瑜伽垫求店铺", "瑜伽垫"),
        ("ipad壳哪里买", "ipad"),
        ("ＩＰＡＤ哪里买", "ipad"),  # full-width, upper case
        ("where did you get those lamps?", "lamp"),  # English plural → the noun
        ("link to the tote bags pls", "tote bag"),
        ("glasses brand?", "glasses"),
        ("where is the clamp from", None),  # a whole word only: "lamp" is not in "clamp"
        ("手机号多少", None),  # 手机号 names no product (a "!" line)
        ("小红书上能买吗", None),
        ("求链接", None),
        ("好看", None),
        ("", None),
    ],
)
def test_asked_noun(text, noun):
    assert asked_noun(text) == noun


def test_nouns_longest_first_then_position():
    assert nouns_in("外套和羽绒服和围巾都要") == ["羽绒服", "外套", "围巾"]


CARDS = ["MaxMara 羊毛大衣", "羊绒围巾"]


@pytest.mark.parametrize(
    "text, cards, named, candidates, implied",
    [
        ("这件大衣求链接", CARDS, ["MaxMara 羊毛大衣"], CARDS, False),  # the noun is in one card
        ("求链接", ["MaxMara 羊毛大衣"], [], ["MaxMara 羊毛大衣"], True),  # the note's only card
        ("求链接", CARDS, [], CARDS, False),  # several cards, nothing named: ask which
        ("maxmara 羊毛大衣还有吗", CARDS, ["MaxMara 羊毛大衣"], CARDS, False),  # the card's own name
        ("大衣求链接", ["羊毛大衣 黑", "羊毛大衣 灰"], [], ["羊毛大衣 黑", "羊毛大衣 灰"], False),  # which of those
    ],
)
def test_card_attribution(text, cards, named, candidates, implied):
    found = card_attribution(text, card_products(cards))
    assert [p.name for p in found.named] == named
    assert [p.name for p in found.candidates] == candidates
    assert found.implied is implied


@pytest.mark.parametrize(
    "text, cards",
    [("风衣求链接", CARDS), ("风衣求链接", []), ("求链接", None), ("求链接", "not a list"), ("求链接", [1, " ", None])],
)
def test_no_card_answer(text, cards):
    """A noun no card shows, or no usable cards: the lexicon (or nothing) answers instead."""
    assert card_attribution(text, card_products(cards)) is None


@pytest.fixture(scope="module")
def analyzer():
    analyzer = Analyzer()
    assert analyzer.load(), "the trained pipeline is needed: these comments must be requests"
    return analyzer


CATALOG = [{"name": "羊毛地毯", "aliases": ["地毯"], "link": "", "note_ids": ["n1"]},
           {"name": "落地灯", "aliases": ["灯"], "link": "", "note_ids": ["n1"]}]


@pytest.mark.parametrize(
    "comment, catalog, platform, reply_has, products",
    [
        # No catalog, no cards: the lexicon names what was asked (the example).
        ({"text": "风衣是什么牌子的呀"}, [], "xhs", "风衣", []),
        ({"text": "where can I buy the trench coat?"}, [], "xhs", "The trench coat", []),
        ({"text": "风衣是什么牌子的呀"}, [], "douyin", "风衣", []),
        ({"text": "风衣是什么牌子的呀"}, [], "web", "风衣", []),
        # The page's product cards: the card asked for, the only card, or which of them.
        ({"text": "这件大衣求链接", "note_products": CARDS}, [], "xhs", "MaxMara 羊毛大衣", ["MaxMara 羊毛大衣"]),
        ({"text": "求链接", "note_products": ["羊绒围巾"]}, [], "xhs", "羊绒围巾", ["羊绒围巾"]),
        ({"text": "求链接", "note_products": CARDS}, [], "xhs", "MaxMara 羊毛大衣和羊绒围巾", []),
        ({"text": "风衣求链接", "note_products": CARDS}, [], "xhs", "风衣", []),  # not on a card: the noun
        # The catalog wins when it names a product or has a short list to ask about.
        ({"text": "地毯哪里买", "note_id": "n1", "note_products": CARDS}, CATALOG, "xhs", "羊毛地毯", ["羊毛地毯"]),
        ({"text": "风衣求链接", "note_id": "n1"}, CATALOG, "xhs", "羊毛地毯和落地灯", []),
        # A catalog with nothing for this note: the noun again.
        ({"text": "风衣求链接", "note_id": "n9"}, [{**CATALOG[0], "note_ids": ["n1"]}, {**CATALOG[1], "note_ids": ["n2"]}],
         "xhs", "风衣", []),
    ],
)
def test_reply_names_what_was_asked(analyzer, comment, catalog, platform, reply_has, products):
    [verdict] = analyzer.analyze([{"id": "c1", "author": "小鹿", **comment}], catalog, platform=platform)
    assert verdict["is_request"], comment
    assert reply_has in verdict["suggested_reply"]
    assert verdict["products"] == products
    assert verdict["suggested_reply"].startswith("@小鹿 ")


def test_replies_stay_compliant(analyzer):
    """Every noun reply on Xiaohongshu: in-platform routes only, no warning of any kind."""
    comments = [{"id": f"c{i}", "text": f"{noun}求链接"} for i, noun in enumerate(["风衣", "口红", "猫粮", "民宿", "相机"])]
    comments += [{"id": "e1", "text": "where did you get the lamp?"}, {"id": "e2", "text": "tote bag link pls"}]
    for verdict in analyzer.analyze(comments, []):
        assert verdict["is_request"] and verdict["compliance"] == []
        assert compliance_warnings(verdict["suggested_reply"], "xhs", "zh") == []
        assert not re.search(r"https?://|www\.|淘宝|taobao", verdict["suggested_reply"])


def test_the_lexicon_file():
    """Hand-written and shipped: many genres, no one-character Chinese nouns, no duplicates."""
    lines = [line.strip() for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines()]
    genres = [line for line in lines if line.startswith("# ")]
    words = [line.lstrip("!") for line in lines if line and not line.startswith("#")]
    assert len(words) > 400 and len(set(words)) == len(words)
    assert not [w for w in words if len(w) == 1]
    for genre in ("fashion", "beauty", "home", "appliances", "electronics", "cars", "food", "pets", "kids",
                  "study", "fitness", "photography", "hobby", "tours"):
        assert any(genre in g for g in genres), genre
    assert LEXICON_FILE.parent.name == "nlp"  # package data next to the module (pyproject: "*.txt")


def test_classify_cli_passes_the_cards(tmp_path):
    """`note_products` on a JSONL line reaches the reply (keyword baseline: no model needed)."""
    empty = tmp_path / "no-model"
    empty.mkdir()
    env = {**os.environ, "LINKTRIAGE_MODEL_DIR": str(empty), "LINKTRIAGE_DATA_DIR": str(tmp_path / "data")}
    lines = [{"id": "c1", "text": "大衣求链接", "note_products": CARDS}, {"id": "c2", "text": "风衣求链接"}]
    data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    done = subprocess.run([sys.executable, "-m", "helper.cli", "classify"], input=data, capture_output=True,
                          env=env, timeout=120)
    rows = [json.loads(row) for row in done.stdout.decode().splitlines()]
    assert done.returncode == 0, done.stderr
    assert rows[0]["products"] == ["MaxMara 羊毛大衣"] and "MaxMara 羊毛大衣" in rows[0]["suggested_reply"]
    assert "风衣" in rows[1]["suggested_reply"]
