"""One canonical form for comment text, shared by the model, the keyword baseline and the cache.

Comments arrive in Simplified and Traditional Chinese, with full-width letters (ｌｉｎｋ), odd spacing
and emoji. The model is trained on this normal form only, so every path into it must go through
`normalize_text`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Emoji presentation selectors and joiners carry no meaning for us and would split emoji tokens.
_INVISIBLE = re.compile("[\ufe0e\ufe0f\u200b\u200c\u200d\u2060\ufeff]")


@lru_cache(maxsize=1)
def _converter():
    # Imported lazily: OpenCC loads its dictionaries on construction (~10 ms). 'tw2sp' also maps
    # Taiwanese wording to mainland wording (連結→链接, 滑鼠→鼠标), which plain 't2s' does not.
    import opencc

    return opencc.OpenCC("tw2sp")


def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width), lower-case, Traditional → Simplified, single spaces.

    Emoji and XHS codes such as [哭惹R] survive (lower-cased like everything else).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = _INVISIBLE.sub("", text).lower()
    text = _converter().convert(text)
    return _SPACES.sub(" ", text).strip()
