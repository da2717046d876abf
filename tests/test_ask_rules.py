"""The rule layer after the textcat (helper/nlp/ask_rules.py): it raises explicit link asks the
model leans towards, never lowers a score, and leaves sellers, sharers and firm rejections alone."""

import json

import pytest
import spacy

import helper.nlp.tokenizer  # noqa: F401  registers the tokenizer and the component
from helper.config import MODELS_DIR
from helper.nlp import ask_rules

RULES = json.loads((MODELS_DIR / "ask_rules.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "linktriage.MixedTokenizer.v1"}}})
    ask_rules.add_to(pipeline, MODELS_DIR / "ask_rules.json")
    return pipeline


def run(nlp, text, score):
    doc = nlp.make_doc(text)
    doc.cats = {"REQUEST": score, "OTHER": 1 - score}
    return nlp.get_pipe("linktriage_ask_rules")(doc).cats["REQUEST"]


@pytest.mark.parametrize("text, score, expected", [
    ("蹲一个沙发链接", 0.4, RULES["boost_to"]),  # ask + filler + link, the model leaning: raised
    ("求这个奶油风的小台灯lj", 0.3, RULES["boost_to"]),
    ("dd 窗帘🔗", 0.3, RULES["boost_to"]),
    ("想要图三的地毯连接", 0.3, RULES["boost_to"]),
    ("蹲一个沙发链接", 0.05, 0.05),  # the model firmly says no: not the rules' call
    ("蹲一个沙发链接", 0.99, 0.99),  # never lowered
    ("需要链接的姐妹私我", 0.4, 0.4),  # seller
    ("同一个链接 我买的米色", 0.4, 0.4),  # sharing
    ("蹲到链接了", 0.4, 0.4),  # finished
    ("求报名链接", 0.4, 0.4),  # not a product
    ("求求你了，这个视频太好笑了 链接发群里", 0.4, 0.4),  # punctuation ends the ask
    ("蹲一个超级超级超级超级超级超级好看的沙发链接", 0.4, 0.4),  # too far apart
    ("好看", 0.4, 0.4),
    ("链接在哪里呀 #1", 0.4, RULES["boost_to"]),  # a link word asked after: where is it
    ("lj呢", 0.3, RULES["boost_to"]),
    ("报名链接在哪", 0.4, 0.4),  # a sign-up form, not a product
    ("链接在主页", 0.4, 0.4),  # a seller pointing to it
    ("链接，在哪里都能买到", 0.4, 0.4),  # punctuation between: not one ask
    ("链接我找了半天在哪都没有", 0.4, 0.4),  # the where word too far after the link
])
def test_rules_raise_only_unmistakable_asks(nlp, text, score, expected):
    assert run(nlp, text, score) == pytest.approx(expected)


def test_rules_travel_with_the_pipeline(nlp, tmp_path):
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["linktriage_ask_rules"]
    assert loaded.get_pipe("linktriage_ask_rules").rules == RULES
    assert run(loaded, "蹲一个沙发链接", 0.4) == pytest.approx(RULES["boost_to"])
