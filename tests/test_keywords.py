"""The keyword baseline: honest triggers, and the blind spots the learned model exists for."""

import pytest

from helper.nlp.keywords import keyword_is_request


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("求链接", True),
        ("求連結！", True),  # normalised first, so 繁體 counts
        ("这个沙发哪里买的", True),
        ("怎么买呀", True),
        ("🔗", True),
        ("lj呢", False),  # "lj" glued to 呢 is not a whole word: keyword lists miss it
        ("LINK PLEASE", True),
        ("where can I buy this?", True),
        ("好看", False),
        ("哪家店铺", False),  # an implicit request keyword lists miss
        ("how can I purchase it?", False),
        ("同款 超好穿", True),  # a finished purchase keyword lists flag
        ("第一条链接可以购买哦", True),  # the seller answering: flagged too
    ],
)
def test_keyword_baseline(text, fires):
    assert keyword_is_request(text) is fires
