"""The rule layer's logic on plain token lists: explicit link asks the model scores just under the line.

"蹲一个沙发链接", "求分享地毯的lj", "链接在哪里呀": an ask word, a few words, a link word (or a link word
and then a where word). The bag-of-n-grams model sees these as n-grams and can miss a new filler
between the ask and the link; exact token sequences catch the shape. The rules only *raise* a score,
and only when

- the model already leans that way (raw REQUEST ≥ `min_score`), so a link ask the model firmly
  rejects (求报名链接, a form) stays rejected,
- and none of the `exceptions` occur in the text (sellers: 需要的私我 / 评论区 / 已上链接; buyers
  sharing: 同一个链接…; finished: 蹲到了; 链接 as "connect").

The rules are data (`models/ask_rules.json`, copied into each pipeline as
`linktriage_ask_rules/rules.json`). This module needs no spaCy: the classifier calls it with the
tokens it already has; the pipeline's spaCy component (helper/nlp/ask_rules.py) calls it with a Doc's
token texts, so both apply the same rules the same way.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Callable

LABEL = "REQUEST"
RULES_FILE = "rules.json"


def is_punct(word: str) -> bool:
    """spaCy's IS_PUNCT lexeme attribute: every character a Unicode punctuation mark."""
    return all(unicodedata.category(ch).startswith("P") for ch in word)


def _find(words: list[str], patterns: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Every (start, end) where one of the exact token sequences occurs (overlaps included)."""
    out = []
    for pattern in patterns:
        n, first = len(pattern), pattern[0]
        for i, word in enumerate(words):
            if word == first and tuple(words[i:i + n]) == pattern:
                out.append((i, i + n))
    return out


class AskShapes:
    def __init__(self, rules: dict):
        self.rules = dict(rules)
        self.min_score = float(rules["min_score"])
        self.boost_to = float(rules["boost_to"])
        self.max_gap = int(rules["max_gap"])
        self.where_gap = int(rules.get("where_gap", 0))  # older rule files have no where shape
        self.exceptions = tuple(rules["exceptions"])
        self.ask = [tuple(seq) for seq in rules["ask"]]
        self.link = [tuple(seq) for seq in rules["link"]]
        self.where = [tuple(seq) for seq in rules.get("where", [])]
        # A comment without any link word cannot match: a substring test skips the token scan for it.
        self.link_markers = tuple("".join(seq) for seq in self.link)

    @classmethod
    def from_dir(cls, component_dir: str | Path) -> AskShapes | None:
        path = Path(component_dir) / RULES_FILE
        if not path.is_file():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def in_window(self, score: float) -> bool:
        """Whether the rules may change this raw score at all (most comments: no)."""
        return self.min_score <= score < self.boost_to

    def could_match(self, text: str) -> bool:
        return any(m in text for m in self.link_markers) and not any(e in text for e in self.exceptions)

    def matches(self, words: list[str]) -> bool:
        """An ask word followed, in the same clause and within max_gap tokens, by a link word; or a link
        word followed within where_gap tokens by a where word."""
        links = _find(words, self.link)
        if not links:
            return False

        def one_clause(start: int, end: int) -> bool:
            return not any(w.isspace() or is_punct(w) for w in words[start:end])

        for _, ask_end in _find(words, self.ask):
            for link_start, _ in links:
                if 0 <= link_start - ask_end <= self.max_gap and one_clause(ask_end, link_start):
                    return True
        if self.where:
            for where_start, _ in _find(words, self.where):
                for _, link_end in links:
                    if 0 <= where_start - link_end <= self.where_gap and one_clause(link_end, where_start):
                        return True
        return False

    def apply(self, text: str, score: float, words: Callable[[], list[str]]) -> float:
        """The raw REQUEST score after the rules: `boost_to` for a matched ask in the window, else as is.
        `words()` gives the text's tokens; it is called only for the few comments the rules may change."""
        if self.in_window(score) and self.could_match(text) and self.matches(words()):
            return self.boost_to
        return score
