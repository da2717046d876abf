"""What a request asks for when no catalog names it: the note's product cards, else a product noun.

    asked_noun("风衣是什么牌子的呀")                      → "风衣"
    card_attribution("这件大衣求链接", ["MaxMara 羊毛大衣", "羊绒围巾"])
        → Attribution(named=[CatalogProduct("MaxMara 羊毛大衣")], ...)

Issue 16: a creator without a catalog got "笔记里的商品卡片可以直接买哦～" for every request. Now the reply
names what was asked. Order of trust (helper.nlp.analyzer applies it): the catalog, then the product
cards the note's page shows (`note_products`, names only), then the hand-written lexicon of product
nouns in product_nouns.txt (longest noun wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helper.nlp.normalize import normalize_text, normalize_texts
from helper.nlp.products import Attribution, CatalogProduct

LEXICON_FILE = Path(__file__).with_name("product_nouns.txt")
MAX_CARDS = 20  # a page shows a handful; more is not a note's cards but junk, and costs per request
_ASCII_NOUN = re.compile(r"[a-z0-9][a-z0-9 '&-]*")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class _Lexicon:
    display: dict[str, str | None]  # normal form → how a reply shows it (None: a "!" word, no product)
    chinese: re.Pattern  # every noun with a non-ASCII character, as a trie (see _trie_pattern)
    english: re.Pattern  # the ASCII nouns as whole words, plural s/es too, longest first


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    entries = []  # (word, blocked)
    for raw in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            entries.append((line[1:].strip(), True) if line.startswith("!") else (line, False))
    display: dict[str, str | None] = {}
    for (word, blocked), norm in zip(entries, normalize_texts([word for word, _ in entries])):
        if norm:
            display[norm] = None if blocked else word
    english = sorted((n for n in display if _ASCII_NOUN.fullmatch(n)), key=lambda n: (-len(n), n))
    if not all(n[0].isalpha() for n in english):  # what the English pattern's (?=[a-z]) relies on
        raise ValueError(f"{LEXICON_FILE.name}: an English noun must start with a letter")
    chinese = [n for n in display if not _ASCII_NOUN.fullmatch(n)]
    return _Lexicon(
        display,
        re.compile(_trie_pattern(chinese)),
        # (?=[a-z]) first: every English noun starts with a letter, and a leading character class lets
        # the regex engine skip ahead to the next letter instead of trying hundreds of words at every
        # character (2.5x faster on mixed Chinese/English comments; the same matches). The words as a
        # trie too: the nouns matching at one place are prefixes of each other, and the trie tries them
        # longest first, as the longest-first alternation did.
        re.compile(r"(?=[a-z])(?<![a-z0-9])(?:" + _trie_pattern(english) + r")(?:s|es)?(?![a-z0-9])"),
    )


def _trie_pattern(words: list[str]) -> str:
    """One regex for the words, shaped as their trie ("手(?:机(?:壳|膜)?|表)"): the regex engine then
    walks it in C instead of trying hundreds of alternatives at every character, and the greedy
    optional tails give the longest word at a position."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie) or "(?!)"


def _matches(text: str) -> list[tuple[int, str | None]]:
    """(start, display or None) of each noun: scanning left to right, at one position the longest
    noun wins and the scan goes on after it. English nouns only as whole words, plural s/es too."""
    lexicon = _lexicon()
    display = lexicon.display
    spans = [(m.start(), m.end(), display[m.group()]) for m in lexicon.chinese.finditer(text)]
    if _LATIN.search(text):  # every English noun has a letter (the lexicon's check)
        for m in lexicon.english.finditer(text):
            norm = m.group()
            if norm not in display:  # a plural: its singular is the entry
                norm = norm[:-2] if norm.endswith("es") and norm[:-2] in display else norm[:-1]
            spans.append((m.start(), m.end(), display[norm]))
    if len(spans) > 1:  # the two patterns may overlap: keep the leftmost, then longest
        spans.sort(key=lambda s: (s[0], s[0] - s[1]))
        kept, resume = [], 0
        for span in spans:
            if span[0] >= resume:
                kept.append(span)
                resume = span[1]
        spans = kept
    return [(start, word) for start, _end, word in spans]


def nouns_in(text: str) -> list[str]:
    """The lexicon's product nouns in the text (display form), longest first, then by position."""
    found = [(-len(word), start, word) for start, word in _matches(normalize_text(text)) if word is not None]
    return list(dict.fromkeys(word for _, _, word in sorted(found)))


def asked_noun(text: str) -> str | None:
    """The longest product noun in the comment (the first of `nouns_in`), or None."""
    found = [(-len(word), start, word) for start, word in _matches(normalize_text(text)) if word is not None]
    return min(found)[2] if found else None  # what sorting all of them would put first


def card_products(cards) -> list[CatalogProduct]:
    """The note's product cards (`note_products`: a list of names) as products; junk dropped."""
    if not isinstance(cards, (list, tuple)):
        return []
    names = [c.strip() for c in cards if isinstance(c, str) and c.strip()]
    return [CatalogProduct(name=name) for name in dict.fromkeys(names)][:MAX_CARDS]


def card_attribution(text: str, cards: list[CatalogProduct]) -> Attribution | None:
    """Which of the note's cards the comment asks for: a card whose name the comment contains, else
    the cards whose names contain the comment's longest product noun, else (nothing named) the only
    card. None when there are no cards, or the comment asks for a noun no card has."""
    if not cards:
        return None
    comment = normalize_text(text)
    named = [card for card in cards if normalize_text(card.name) in comment]
    if not named:
        for noun in nouns_in(text):
            norm = normalize_text(noun)
            named = [card for card in cards if norm in normalize_text(card.name)]
            if named:
                break
        else:
            if nouns_in(text):
                return None  # they ask for something the cards do not show: name that instead
    if len(named) > 1:  # the same noun in several cards: ask which of those
        return Attribution(named=[], candidates=named, implied=False)
    return Attribution(named=named, candidates=list(cards), implied=not named and len(cards) == 1)
