"""The keyword-trigger baseline: what comment-to-DM tools and the platform's auto-reply do.

It is the honest bar the learned model must clear, so it is the list a careful peer would configure
(buying words, link words, their English forms, 🔗, lj), matched on normalised text so 繁體 and
full-width forms count too. It knows nothing about who speaks or what the sentence means.
"""

from __future__ import annotations

import re

from helper.nlp.normalize import normalize_text

_ZH_TRIGGERS = (
    "链接", "求链", "蹲链", "连接", "哪里买", "哪儿买", "在哪买", "哪买", "哪里有卖", "怎么买", "如何购买",
    "怎么购买", "购买方式", "求购", "同款", "口令", "淘口令", "多少钱", "价格", "🔗",
)
_EN_TRIGGERS = re.compile(
    r"\b(?:lj|link|links|where to buy|where can i (?:buy|get)|where did you (?:buy|get)|how to buy"
    r"|how much|price)\b"
)


def keyword_is_request(text: str) -> bool:
    """True when the normalised comment contains any trigger word."""
    norm = normalize_text(text)
    return any(t in norm for t in _ZH_TRIGGERS) or bool(_EN_TRIGGERS.search(norm))
