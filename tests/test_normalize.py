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
