"""The Analyzer: comments in, verdicts + product + reply suggestion out (the `helper.nlp` contract).

It loads the trained pipeline lazily on the first `analyze`, so importing it (and `linktriage
--help`, the helper's start) never waits for spaCy. When the pipeline is missing it says so once and
falls back to the keyword baseline (`model_loaded` stays False) instead of failing: a creator without
a trained model still gets the peer-level product.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from helper.nlp.compliance import XHS
from helper.nlp.model_input import NoteContext
from helper.nlp.threads import inherit, is_echo

log = logging.getLogger("linktriage.nlp")

KEYWORD_VERSION = "keywords-1"
# Scores by raw text: repeats ("求链接" ×1000) skip even normalisation. Cleared when full or reloaded.
SCORE_CACHE_SIZE = 50_000
ZONE_AFTER_STRINGS = 50_000  # see Analyzer.memory_zone
# How often a process following a data dir looks for a pipeline `linktriage train` wrote (one stat).
MODEL_CHECK_SECONDS = 5.0


class Analyzer:
    def __init__(self, model_dir: str | Path | None = None):
        self._model_dir = model_dir  # None: resolve_model_dir() at load time ($LINKTRIAGE_MODEL_DIR)
        self._classifier = None
        self._loaded = False  # tried to load (successfully or not)
        self._lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._score_cache: dict[str, float] = {}
        # Long-running processes (the helper) set this: once the vocab holds ZONE_AFTER_STRINGS, the
        # classifier frees each batch's strings (Classifier.memory_zone). The tokens met before that
        # (the commonest) stay, so small batches do not pay for re-creating them every time.
        self.memory_zone = False
        # Set by follow_data_dir: the data dir whose retrained pipeline wins, and when to look again.
        self._data_dir: Path | None = None
        self._next_check = 0.0
        self._stamp = None  # meta.json mtime of the pipeline in use (tells a retrain apart)
        self.check_every = MODEL_CHECK_SECONDS

    # -- model ---------------------------------------------------------------------------------
    @property
    def model_loaded(self) -> bool:
        """True once the trained pipeline is in use; False before the first analyze or on fallback."""
        return self._classifier is not None

    @property
    def model_version(self) -> str:
        """The pipeline's name-version; "keywords-1" on fallback; "" before anything was loaded."""
        if self._classifier is not None:
            return self._classifier.model_version
        return KEYWORD_VERSION if self._loaded else ""

    def set_model_dir(self, model_dir: str | Path | None) -> None:
        """Use this pipeline from now on (the next analyze loads it if it is not the one in use)."""
        with self._lock:
            if model_dir != self._model_dir:
                self._model_dir = model_dir
                self._forget()

    def follow_data_dir(self, data_dir: str | Path) -> None:
        """Prefer DATA_DIR/pipeline (a creator's retrain) over the committed pipeline, and switch to a
        pipeline `linktriage train` writes there later without a restart (looked for at most every
        `check_every` seconds, on the next analyze)."""
        self._data_dir = Path(data_dir)
        self._next_check = 0.0
        self._follow()

    def _follow(self) -> None:
        if self._data_dir is None or time.monotonic() < self._next_check:
            return
        self._next_check = time.monotonic() + self.check_every
        from helper.config import resolve_model_dir

        path = resolve_model_dir(self._data_dir)
        if path != self._model_dir:
            self.set_model_dir(path)
        elif self._loaded and _meta_stamp(path) != self._stamp:
            log.warning("linktriage: a retrained pipeline appeared in %s; loading it", path)
            with self._lock:
                self._forget()

    def _forget(self) -> None:
        """Drop the pipeline in use and its cached scores (call with self._lock held)."""
        self._classifier, self._loaded = None, False
        self._score_cache = {}  # a new dict: another thread may still read the old one

    def load(self) -> bool:
        """Load the pipeline now (the helper may warm up in the background); True if it loaded."""
        with self._lock:
            if not self._loaded:
                from helper.nlp.classifier import load_classifier

                try:
                    self._classifier = load_classifier(self._model_dir)
                except FileNotFoundError as exc:
                    # Once per process; with no logging configured (the CLI) Python's last-resort
                    # handler prints it on stderr.
                    log.warning("linktriage: %s; using the keyword baseline instead", exc)
                except Exception as exc:  # noqa: BLE001  a broken model must not take the helper down
                    log.warning(
                        "linktriage: cannot load the pipeline (%s: %s); using the keyword baseline instead",
                        type(exc).__name__, exc,
                    )
                self._loaded = True
                self._stamp = _meta_stamp(self._model_dir)
        return self._classifier is not None

    def swap_to(self, model_dir: str | Path) -> None:
        """Load the pipeline in `model_dir` now and use it from the next batch on (the automatic
        retrain and its rollback, helper/retraining.py). Loading happens outside the locks, so the
        batches scored meanwhile keep the old pipeline instead of waiting; if it cannot load, the
        error propagates and nothing changes."""
        from helper.nlp.classifier import load_classifier

        classifier = load_classifier(model_dir)
        with self._lock:
            self._model_dir = Path(model_dir)
            self._classifier, self._loaded = classifier, True
            self._stamp = _meta_stamp(self._model_dir)
            self._score_cache = {}  # a new dict: another thread may still read the old one
            self._next_check = time.monotonic() + self.check_every

    def reload(self) -> bool:
        """Forget the loaded pipeline (after `linktriage train`) and load it again."""
        with self._lock:
            self._forget()
        return self.load()

    def clear_cache(self) -> None:
        """Drop the classifier's verdict cache (benchmarks; a retrained model reloads instead)."""
        from helper.nlp import normalize
        from helper.nlp.model_input import clean_comment
        from helper.nlp.products import clear_caches
        from helper.nlp.replies import is_english

        self._score_cache = {}
        normalize.forget()
        clean_comment.cache_clear()
        clear_caches()
        is_english.cache_clear()
        if self._classifier is not None:
            self._classifier.clear_cache()

    def scores(self, texts: list[str], contexts: list | None = None) -> tuple[list[float], float]:
        """Request probabilities for the texts (one batched call) and the threshold to apply.

        `contexts`: one `model_input.NoteContext` or None per text (the note each comment is under).
        """
        self._follow()
        if not self._loaded:
            self.load()
        classifier, cache = self._classifier, self._score_cache
        if classifier is None:
            from helper.nlp.keywords import keyword_is_request

            return [1.0 if keyword_is_request(t) else 0.0 for t in texts], 0.5
        keys = list(zip(texts, contexts)) if contexts is not None else [(t, None) for t in texts]
        # Local copy of the hits: another thread may clear the shared cache meanwhile.
        found = {k: s for k in keys if (s := cache.get(k)) is not None}
        todo = list(dict.fromkeys(k for k in keys if k not in found))
        if todo:
            with self._model_lock:  # one batch at a time: the pipeline and its LRU are not thread-safe
                if self.memory_zone and classifier.uses_spacy:
                    classifier.memory_zone = len(classifier.nlp.vocab.strings) > ZONE_AFTER_STRINGS
                fresh = dict(zip(todo, classifier.scores([t for t, _ in todo], [c for _, c in todo])))
            found.update(fresh)
            if len(cache) + len(fresh) > SCORE_CACHE_SIZE:
                cache.clear()
            cache.update(fresh)
        return [found[k] for k in keys], classifier.threshold

    # -- analysis ------------------------------------------------------------------------------
    def analyze(self, comments: list[dict], products: list | None = None, platform: str = XHS) -> list[dict]:
        """One verdict dict per comment, in order (see README "The analysis interface")."""
        texts = [_text(c) for c in comments]
        selling = _selling_notes(products)
        contexts = [_context(c, selling) for c in comments]
        # The note's author answering is never a request: skip them before the model.
        ask = [i for i, c in enumerate(comments) if not c.get("is_author") and texts[i].strip()]
        # One OpenCC call for the batch; model input, attribution and the thread rule then find each
        # text's normal form instead of converting it again.
        from helper.nlp.normalize import normalize_texts

        normalize_texts([texts[i] for i in ask])
        # A reply that echoes its parent ("同求") takes the parent's verdict: score the parents of the
        # echoes too (any other reply keeps its own score, so its parent is not scored at all).
        echoes = {i for i in ask if is_echo(texts[i])}
        parents = [i for i in ask if i in echoes and _parent_text(comments[i])]
        normalize_texts([_parent_text(comments[i]) for i in parents])
        batch = [texts[i] for i in ask] + [_parent_text(comments[i]) for i in parents]
        batch_contexts = [contexts[i] for i in ask] + [contexts[i] for i in parents]
        scores, threshold = self.scores(batch, batch_contexts) if batch else ([], 0.5)
        parent_score_of = dict(zip(parents, scores[len(ask):]))
        score_of = {i: inherit(texts[i], score, parent_score_of.get(i)) if i in echoes else score
                    for i, score in zip(ask, scores)}

        catalog = None
        results = []
        for i, comment in enumerate(comments):
            score = float(score_of.get(i, 0.0))
            result = {
                "id": comment.get("id"),
                "is_request": i in score_of and score >= threshold,
                "score": round(min(max(score, 0.0), 1.0), 4),
                "products": [],
                "suggested_reply": "",
                "compliance": [],
            }
            if result["is_request"]:
                # Attribution and replies cost more than scoring; only requests need them.
                if catalog is None:
                    from helper.nlp.replies import suggest_reply

                    catalog = _catalog(products)

                note_id = comment.get("note_id")
                attribution = catalog.attribute(texts[i], None if note_id is None else str(note_id))
                attribution, asked = _without_catalog(texts[i], comment, attribution)
                suggestion = suggest_reply(
                    comment_id=comment.get("id"),
                    nickname=_nickname(comment),
                    text=texts[i],
                    attribution=attribution,
                    platform=platform,
                    asked=asked,
                )
                result["products"] = [p.name for p in attribution.products]
                result["suggested_reply"] = suggestion.text
                result["compliance"] = suggestion.compliance
            results.append(result)
        return results


def _without_catalog(text: str, comment: dict, attribution):
    """When the catalog neither names a product nor has a short list to ask about (issue 16): the
    note's product cards (`note_products`), else the product noun the comment asks for (asked)."""
    from helper.nlp.replies import MAX_LISTED

    if attribution.products or 1 < len(attribution.candidates) <= MAX_LISTED:
        return attribution, None  # the catalog wins when it says something
    from helper.nlp.product_nouns import asked_noun, card_attribution, card_products

    cards = card_attribution(text, card_products(comment.get("note_products")))
    if cards is not None:
        attribution = cards
        if attribution.products or 1 < len(attribution.candidates) <= MAX_LISTED:
            return attribution, None
    return attribution, asked_noun(text)


def _catalog(products):
    """The matcher for this catalog; a product without a name is skipped (logged), never fatal."""
    from helper.nlp.products import CatalogError, Product, catalog_for

    usable = []
    for product in products or []:
        try:
            usable.append(product if isinstance(product, Product) else Product.from_dict(product))
        except (CatalogError, AttributeError, TypeError) as exc:
            log.warning("linktriage: product skipped for attribution: %s (%r)", exc, product)
    return catalog_for(usable)


def _text(comment: dict) -> str:
    text = comment.get("text")
    return text if isinstance(text, str) else ("" if text is None else str(text))


def _selling_notes(products) -> set[str]:
    """Ids of the notes the catalog links products to: those notes sell something."""
    ids: set[str] = set()
    for product in products or []:
        note_ids = product.get("note_ids") if isinstance(product, dict) else getattr(product, "note_ids", None)
        if isinstance(note_ids, (list, tuple, set, frozenset)):
            ids.update(str(n) for n in note_ids)
    return ids


def _context(comment: dict, selling: set[str]) -> NoteContext | None:
    """The note a comment sits under, as far as the caller knows it. Whether the note sells is known
    when the catalog links products to it (True); otherwise the comment's own `note_sells`, if any."""
    if not comment.get("note_title") and not comment.get("note_desc") and comment.get("note_sells") not in (True, False):
        context = None  # what NoteContext.of says for a comment without a note, ~10x faster
    else:
        context = NoteContext.of(comment)
    note_id = comment.get("note_id")
    if selling and note_id is not None and str(note_id) in selling:
        return NoteContext(context.title, context.desc, True) if context else NoteContext(sells=True)
    return context


def _parent_text(comment: dict) -> str:
    parent = comment.get("parent_text")
    return parent if isinstance(parent, str) and parent.strip() else ""


def _nickname(comment: dict) -> str | None:
    author = comment.get("author")
    return author.strip() if isinstance(author, str) and author.strip() else None


def _meta_stamp(model_dir) -> int | None:
    """When the pipeline's meta.json was written (train swaps a whole new pipeline in), or None."""
    if model_dir is None:
        return None
    try:
        return os.stat(Path(model_dir) / "meta.json").st_mtime_ns
    except OSError:
        return None
