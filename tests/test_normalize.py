"""normalize_text: one canonical form for the model, the baseline and the verdict cache."""

import pytest

from helper.nlp.normalize import normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("求連結", "求链接"),  # Traditional → Simplified, Taiwanese wording → mainland (連結 → 链接)
        ("這件外套在哪裡買", "这件外套在哪里买"),
        ("ＬＩＮＫ　ＰＬＳ！", "link pls!"),  # full-width letters, ideographic space, full-width "!"
        ("Where  can\tI\nbuy it?", "where can i buy it?"),
        ("  求链接  ", "求链接"),
        ("求链接[哭惹R]😭", "求链接[哭惹r]😭"),  # XHS codes and emoji survive
        ("🔗❤️", "🔗❤"),  # the emoji variation selector carries no meaning and is dropped
        ("", ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_is_idempotent():
    once = normalize_text("請問這個滑鼠多少錢？ＰＤＤ有嗎")
    assert normalize_text(once) == once
    assert "鼠标" in once and "pdd" in once


# -- the batch path (issue 10: one OpenCC call per batch) must give exactly the per-text answers --------
TRICKY = [
    "求連結", "這件外套在哪裡買", "ＬＩＮＫ　ＰＬＳ！", "Where  can\tI\nbuy it?", "  求链接  ", "求链接[哭惹R]😭", "🔗❤️", "",
    "滑鼠\n軟體", "a\x00b連結",  # a newline of its own, a NUL (OpenCC stops there): converted one by one
    "影片\u2028程式", "\u200b\u200d", "   ", "网路\u00a0连结\x85", "ﬁ Ⅻ ① ㎏", "請問這個滑鼠多少錢？ＰＤＤ有嗎", "連", "結",
]


def _fresh_texts(texts):
    """Copies the memo has never seen (it is keyed by the text itself)."""
    from helper.nlp import normalize

    normalize.forget()
    return list(texts)


def test_batch_equals_one_by_one():
    from helper.nlp.normalize import normalize_texts

    one_by_one = [normalize_text(t) for t in _fresh_texts(TRICKY)]
    assert normalize_texts(_fresh_texts(TRICKY)) == one_by_one
    assert one_by_one[8] == "鼠标\n软件".replace("\n", " ") and one_by_one[9] == "a"


def test_batch_equals_one_by_one_on_the_corpus():
    """Joined conversion must not let a phrase reach across the line break: the corpus in one batch."""
    from helper.nlp.corpus import read_notes
    from helper.nlp.normalize import normalize_texts
    from helper.config import REPO_ROOT

    texts = [c.text for c in read_notes(REPO_ROOT / "models" / "corpus" / "notes")][:3000]
    import opencc

    to_taiwan = opencc.OpenCC("s2twp")
    traditional = [to_taiwan.convert(t) for t in texts]  # 軟體, 影片, 網路 next to each other
    batch = normalize_texts(_fresh_texts(texts + traditional))
    assert batch == [normalize_text(t) for t in _fresh_texts(texts + traditional)]
    assert sum(a != b for a, b in zip(batch[len(texts):], traditional)) > len(texts) // 2


def test_remembered_answers_are_the_same():
    from helper.nlp.normalize import normalize_texts

    texts = _fresh_texts(["求連結", "好看"])
    first = [normalize_text(t) for t in texts]
    assert normalize_texts(texts) == first and [normalize_text(t) for t in texts] == first
