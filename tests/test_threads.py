"""Thread context: an echo reply takes its parent's verdict; the author's reply is an answer."""

import pytest

from helper.nlp import get_analyzer
from helper.nlp.threads import ECHO_ALONE_MAX, inherit, is_echo


@pytest.mark.parametrize(
    ("text", "echo"),
    [("同求", True), ("+1", True), ("同求+1", True), ("我也要😭", True), ("me too 🙏", True), ("Same here!!", True),
     ("[哭惹R]同问", True), ("蹲+1", True), ("1", True),
     ("同问 求链接", False), ("我也买了", False), ("好看", False), ("扣1", False), ("哈哈哈", False),
     ("我也要去大理 有没有搭子一起", False)],
)
def test_echo_replies(text, echo):
    assert is_echo(text) is echo


def test_an_echo_takes_its_parents_score_and_alone_is_a_bare_fragment():
    assert inherit("同求", 0.1, 0.9) == 0.9
    assert inherit("同求", 0.7, 0.2) == 0.2
    assert inherit("好看", 0.1, 0.9) == 0.1  # not an echo: its own words decide
    assert inherit("同求", 0.6, None) == ECHO_ALONE_MAX < 0.5
    assert inherit("同求", 0.1, None) == 0.1


def test_analyzer_applies_the_thread_rule():
    analyzer = get_analyzer()
    out = analyzer.analyze([
        {"id": "a", "text": "同求", "parent_text": "裙子求链接"},
        {"id": "b", "text": "同求"},
        {"id": "c", "text": "同求", "parent_text": "哈哈哈笑死我了"},
        {"id": "d", "text": "已私你啦", "parent_text": "裙子求链接", "is_author": True},
    ], [])
    assert [v["is_request"] for v in out] == [True, False, False, False]
    # Top-level fragments ask nothing by themselves, whatever the model makes of them.
    alone = analyzer.analyze([{"id": str(i), "text": t} for i, t in enumerate(["同问", "同求", "+1", "蹲", "me too"])], [])
    assert not any(v["is_request"] for v in alone)


def test_the_api_gives_an_echo_reply_its_parents_verdict_within_a_batch_and_across_batches(paired_extension):
    from helper_support import batch, comment

    first = paired_extension.post("/api/comments", batch(
        [comment("p1", "这条裙子求链接", author_id="fan1"),
         comment("r1", "同求", author_id="fan2", parent_id="p1"),
         comment("r2", "同求", author_id="fan3")],
        title="春日连衣裙穿搭"))
    assert first.status_code == 200
    verdicts = {v["id"]: v["is_request"] for v in first.get_json()["results"]}
    assert verdicts == {"p1": True, "r1": True, "r2": False}
    later = paired_extension.post("/api/comments", batch([comment("r3", "+1", author_id="fan4", parent_id="p1")]))
    assert {v["id"]: v["is_request"] for v in later.get_json()["results"]} == {"r3": True}
