"""Product attribution: which catalog product(s) a buying request names.

    catalog = catalog_for(products)          # built once per catalog content, then cached
    found = catalog.attribute("地毯哪里买", note_id="n1")
    found.named      # [CatalogProduct(name="羊毛地毯", ...)]  named in the text (alias or name)
    found.candidates # products of note n1 (+ products linked to no note)
    found.implied    # True when nothing was named and the note has exactly one product

Matching is exact token sequences of `normalize_text` output, on both the
aliases and the comment, so case, full-width letters and 繁/简 do not matter ("燈" finds alias "灯").
Tokens: one per CJK character, whole ASCII/Latin words (so alias "lamp" does not fire inside
"clamp"), one per emoji or punctuation mark.

Overlaps resolve to the longest match, then to products of the comment's note: with aliases
"灯" (落地灯, this note) and "灯芯绒" (沙发套), "灯芯绒沙发套" names only the sofa cover.
Limitation: character matching cannot tell words apart by itself, so a one-character alias such as
"灯" still fires inside "灯芯绒" when no product has the longer alias. Give products specific aliases.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from helper.nlp.normalize import normalize_text
from helper.vocab import CJK_RANGE as _CJK

_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+|\S")
_ASCII_WORD = re.compile(r"[a-z]+")
_CACHE_SIZE = 8
# Real feeds repeat the same requests ("求链接", "地毯哪里买") endlessly: remember answers per text.
_NAMED_CACHE_SIZE = 20_000


class CatalogError(ValueError):
    """The product catalog cannot be used (bad CSV, missing names)."""


@dataclass(frozen=True)
class CatalogProduct:
    """A product as attribution sees it (frozen, hashable: a catalog's content is its cache key); the
    stored row is helper.store.Product."""

    name: str
    link: str = ""
    aliases: tuple[str, ...] = ()
    note_ids: tuple[str, ...] = ()
    reply: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> "CatalogProduct":
        name = str(data.get("name") or "").strip()
        if not name:
            raise CatalogError("a product has no name")
        return cls(
            name=name,
            link=str(data.get("link") or "").strip(),
            aliases=_as_tuple(data.get("aliases")),
            note_ids=_as_tuple(data.get("note_ids")),
            reply=(str(data["reply"]) if data.get("reply") else None),
        )


def _as_tuple(value) -> tuple[str, ...]:
    """Lists, or the CSV form "a|b|c"; blanks dropped."""
    if not value:
        return ()
    items = value.split("|") if isinstance(value, str) else value
    return tuple(s for s in (str(v).strip() for v in items) if s)


@dataclass(frozen=True)
class Attribution:
    """Shared through a cache: treat as read-only."""

    named: list[CatalogProduct]
    candidates: list[CatalogProduct]
    implied: bool = False

    @property
    def products(self) -> list[CatalogProduct]:
        """What the comment is about: the named products, else the note's only product."""
        return self.named or (self.candidates[:1] if self.implied else [])


_NOTHING = Attribution(named=[], candidates=[])


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize_text(text))


class Catalog:
    def __init__(self, products: Iterable[CatalogProduct | dict]):
        self.products = [p if isinstance(p, CatalogProduct) else CatalogProduct.from_dict(p) for p in products]
        # Alias token sequences by their first token: (sequence, product index). A plain dict scan
        # finds every occurrence, overlaps included (what spaCy's PhraseMatcher did, without importing
        # spaCy into every process that attributes a request).
        self._patterns: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._known: set[str] = set()
        # Plain dict, cleared when full: get/set are atomic under the GIL, so threads can share it.
        self._attribution_cache: dict[tuple[str, str | None], Attribution] = {}
        self._candidates_cache: dict[str | None, list[CatalogProduct]] = {}
        for index, product in enumerate(self.products):
            patterns = set()
            for term in (product.name, *product.aliases):
                words = tokens(term)
                if not words:
                    continue
                patterns.add(tuple(words))
                # English plurals: alias "lamp" should find "lamps"/"boxes" too.
                if _ASCII_WORD.fullmatch(words[-1]) and len(words[-1]) > 2:
                    patterns.add((*words[:-1], words[-1] + "s"))
                    patterns.add((*words[:-1], words[-1] + "es"))
            for words in sorted(patterns):
                self._known.update(words)
                self._patterns.setdefault(words[0], []).append((words, index))

    def _matches(self, words: list[str]) -> list[tuple[int, int, int]]:
        """(product index, start, end) of every alias occurrence in the token list."""
        out = []
        for start, word in enumerate(words):
            for pattern, index in self._patterns.get(word, ()):
                end = start + len(pattern)
                if tuple(words[start:end]) == pattern:
                    out.append((index, start, end))
        return out

    def candidates(self, note_id: str | None) -> list[CatalogProduct]:
        """Products of this note plus those linked to no note; the whole catalog when unknown."""
        found = self._candidates_cache.get(note_id)
        if found is None:
            if len(self._candidates_cache) >= _NAMED_CACHE_SIZE:
                self._candidates_cache.clear()
            if note_id is None or note_id == "":
                found = list(self.products)
            else:
                found = [p for p in self.products if not p.note_ids or str(note_id) in p.note_ids]
            self._candidates_cache[note_id] = found
        return list(found)

    def named(self, text: str, note_id: str | None = None) -> list[CatalogProduct]:
        """Products named in the text, in order of first mention."""
        if not self._known:
            return []  # no product has a name or alias to find (an empty catalog)
        words = tokens(text)
        if self._known.isdisjoint(words):
            return []  # no alias token at all: most requests
        preferred = {id(p) for p in self.candidates(note_id)}
        hits = []
        for index, start, end in self._matches(words):
            product = self.products[index]
            hits.append((-(end - start), id(product) not in preferred, start, end, product))
        # Greedy: longest span first, then products of this note; a span overlapping a taken one
        # loses, except that the same span may name several products of the same preference.
        hits.sort(key=lambda h: h[:3])
        taken: list[tuple[int, int, bool]] = []
        chosen: list[tuple[int, CatalogProduct]] = []
        for _neg_len, other_note, start, end, product in hits:
            clash = [t for t in taken if start < t[1] and t[0] < end]
            if clash and not all(t[:2] == (start, end) and t[2] == other_note for t in clash):
                continue
            taken.append((start, end, other_note))
            chosen.append((start, product))
        seen, out = set(), []
        for _start, product in sorted(chosen, key=lambda c: c[0]):
            if id(product) not in seen:
                seen.add(id(product))
                out.append(product)
        return out

    def attribute(self, text: str, note_id: str | None = None) -> Attribution:
        if not self.products:  # no catalog (most creators): nothing named, nothing to pick from
            return _NOTHING
        key = (text, note_id)
        found = self._attribution_cache.get(key)
        if found is None:
            named = self.named(text, note_id)
            candidates = self.candidates(note_id)
            # Nothing named under a note that sells exactly one thing: that thing is what they want.
            implied = not named and len(candidates) == 1
            found = Attribution(named=named, candidates=candidates, implied=implied)
            if len(self._attribution_cache) >= _NAMED_CACHE_SIZE:
                self._attribution_cache.clear()
            self._attribution_cache[key] = found
        return found


_cache: OrderedDict[tuple, Catalog] = OrderedDict()
_cache_lock = threading.Lock()


def catalog_for(products: Iterable[CatalogProduct | dict]) -> Catalog:
    """The Catalog for this product list, built once per distinct content (small LRU)."""
    items = [p if isinstance(p, CatalogProduct) else CatalogProduct.from_dict(p) for p in products]
    key = tuple(items)  # frozen dataclasses: the content itself is the fingerprint
    with _cache_lock:
        catalog = _cache.get(key)
        if catalog is not None:
            _cache.move_to_end(key)
            return catalog
    catalog = Catalog(items)
    with _cache_lock:
        _cache[key] = catalog
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return catalog


def clear_caches() -> None:
    """Forget remembered attributions (benchmarks timing the cold path); matchers stay built."""
    with _cache_lock:
        catalogs = list(_cache.values())
    for catalog in catalogs:
        catalog._attribution_cache.clear()
        catalog._candidates_cache.clear()


CATALOG_COLUMNS = ("name", "link", "aliases", "note_ids", "reply")


def load_catalog_csv(path: str | Path) -> list[CatalogProduct]:
    """Read a catalog CSV (columns name, link, aliases, note_ids, reply; lists |-separated).

    Parsing is `helper.csvio` (BOM, RFC 4180, line numbers), shared with `linktriage products import`;
    unlike that import this is strict: any bad row makes the whole catalog an error, because a
    `classify` run with half a catalog would quietly attribute the wrong products.
    """
    from helper.csvio import CSVFormatError, read_csv, read_text_file
    from helper.products_io import ProductError, clean_product  # the same field rules as `products import`

    try:
        text = read_text_file(path)
    except CSVFormatError as exc:
        raise CatalogError(f"cannot read catalog {path}: {exc}") from None
    try:
        _columns, rows = read_csv(text, required=["name"])
    except CSVFormatError as exc:
        raise CatalogError(f"catalog {path}: {exc}") from None
    products, names = [], set()
    for line, row in rows:
        if "__error__" in row:
            raise CatalogError(f"catalog {path}, line {line}: {row['__error__']}")
        try:
            product = CatalogProduct.from_dict(clean_product(row))
        except (ProductError, CatalogError) as exc:
            raise CatalogError(f"catalog {path}, line {line}: {exc}") from None
        if product.name in names:
            raise CatalogError(f"catalog {path}, line {line}: product {product.name!r} is listed twice")
        names.add(product.name)
        products.append(product)
    return products
