"""Thread context: an echo reply takes its parent's verdict; the author's reply is an answer."""

import pytest

from helper.nlp import get_analyzer
from helper.nlp.threads import inherit, is_echo


@pytest.mark.parametrize(
    ("text", "echo"),
    [("同求", True), ("+1", True), ("同求+1", True), ("我也要😭", True), ("me too 🙏", True), ("Same here!!", True),
     ("[哭惹R]同问", True), ("蹲+1", True), ("1", True),
     ("同问 求链接", False), ("我也买了", False), ("好看", False), ("扣1", False), ("哈哈哈", False),
     ("我也要去大理 有没有搭子一起", False)],
)
def test_echo_replies(text, echo):
    assert is_echo(text) is echo


def test_inherit_only_raises_an_echo():
    assert inherit("同求", 0.1, 0.9) == 0.9
    assert inherit("好看", 0.1, 0.9) == 0.1
    assert inherit("同求", 0.1, None) == 0.1
    assert inherit("同求", 0.7, 0.2) == 0.7


def test_analyzer_applies_the_thread_rule():
    analyzer = get_analyzer()
    out = analyzer.analyze([
        {"id": "a", "text": "同求", "parent_text": "裙子求链接"},
        {"id": "b", "text": "同求"},
        {"id": "c", "text": "同求", "parent_text": "哈哈哈笑死我了"},
        {"id": "d", "text": "已私你啦", "parent_text": "裙子求链接", "is_author": True},
    ], [])
    assert [v["is_request"] for v in out] == [True, False, False, False]
