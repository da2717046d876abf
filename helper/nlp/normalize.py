"""One canonical form for comment text, shared by the model, the keyword baseline and the cache.

Comments arrive in Simplified and Traditional Chinese, with full-width letters (ｌｉｎｋ), odd spacing
and emoji. The model is trained on this normal form only, so every path into it must go through
`normalize_text`.

Speed (never-repeating comments, issue 10): one comment is normalised by the model input, product
attribution and the thread rule alike, so results are remembered per text for a while (a pure
function: any remembered answer is right). `normalize_texts` does a whole batch with one OpenCC call,
which costs less than half of one call per text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Emoji presentation selectors and joiners carry no meaning for us and would split emoji tokens.
_INVISIBLE = re.compile("[\ufe0e\ufe0f\u200b\u200c\u200d\u2060\ufeff]")
# Texts remembered between the batch call and the per-text calls that follow it. Cleared when full
# (a dict's get/set are atomic under the GIL, so threads may share it).
MEMO_SIZE = 20_000
_memo: dict[str, str] = {}
# Lines of a joined batch; OpenCC's dictionary keys never contain it (one entry per line), so no
# conversion reaches across it. Texts with a newline of their own, or a NUL (OpenCC's C string ends
# there), are converted one by one.
_JOIN = "\n"


@lru_cache(maxsize=1)
def _converter():
    # Imported lazily: OpenCC loads its dictionaries on construction (~10 ms). 'tw2sp' also maps
    # Taiwanese wording to mainland wording (連結→链接, 滑鼠→鼠标), which plain 't2s' does not.
    import opencc

    return opencc.OpenCC("tw2sp")


def _before_conversion(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    if not text.isascii() and _INVISIBLE.search(text):  # all non-ASCII; a search costs half a sub
        text = _INVISIBLE.sub("", text)
    return text.lower()


def _after_conversion(text: str) -> str:
    # str.split() and re's \s agree on what whitespace is (Py_UNICODE_ISSPACE), so this is the same
    # as collapsing \s+ to one space and stripping, only faster.
    return " ".join(text.split())


def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width), lower-case, Traditional → Simplified, single spaces.

    Emoji and XHS codes such as [哭惹R] survive (lower-cased like everything else).
    """
    if not text:
        return ""
    found = _memo.get(text)
    if found is not None:
        return found
    norm = _after_conversion(_converter().convert(_before_conversion(text)))
    _remember(text, norm)
    return norm


def normalize_texts(texts: list[str]) -> list[str]:
    """`normalize_text` of each text, with one OpenCC call for the batch; also remembered, so the
    per-text calls that follow (model input, attribution, thread rule) find them."""
    out: list[str | None] = [_memo.get(t) if t else "" for t in texts]
    todo = [i for i, norm in enumerate(out) if norm is None]
    if not todo:
        return out  # type: ignore[return-value]
    pre = {i: _before_conversion(texts[i]) for i in todo}
    joinable = [i for i in todo if _JOIN not in pre[i] and "\0" not in pre[i]]
    converted: dict[int, str] = {}
    if len(joinable) > 1:
        parts = _converter().convert(_JOIN.join(pre[i] for i in joinable)).split(_JOIN)
        if len(parts) == len(joinable):  # always, by the argument above; never trust it blindly
            converted = dict(zip(joinable, parts))
    for i in todo:
        text = converted.get(i)
        if text is None:
            text = _converter().convert(pre[i])
        out[i] = norm = _after_conversion(text)
        _remember(texts[i], norm)
    return out  # type: ignore[return-value]


def _remember(text: str, norm: str) -> None:
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()
    _memo[text] = norm


def forget() -> None:
    """Drop remembered texts (benchmarks timing the cold path)."""
    _memo.clear()
