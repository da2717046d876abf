"""The Analyzer: comments in, verdicts + product + reply suggestion out (the `helper.nlp` contract).

Which model scores a batch (loaded lazily, followed on disk, swapped by a retrain, the keyword baseline
when none loads) is helper/nlp/model_source.py's job; the Analyzer's methods for it only pass through.
Here: the note context and thread rule around the model, and attribution and replies for requests.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from helper.nlp.compliance import XHS
from helper.nlp.model_input import NoteContext
from helper.nlp.model_source import KEYWORD_VERSION, ModelSource  # noqa: F401  KEYWORD_VERSION: re-exported
from helper.nlp.product_nouns import asked_noun, card_attribution, card_products
from helper.nlp.replies import MAX_LISTED, suggest_reply
from helper.nlp.threads import inherit, is_echo

log = logging.getLogger("linktriage.nlp")

# Scores by raw text: repeats ("求链接" ×1000) skip even normalisation. Cleared when full or reloaded.
SCORE_CACHE_SIZE = 50_000
ZONE_AFTER_STRINGS = 50_000  # see Analyzer.memory_zone


class Analyzer:
    def __init__(self, model_dir: str | Path | None = None):
        self.source = ModelSource(model_dir)
        self._model_lock = threading.Lock()
        # Long-running processes (the helper) set this: on the spaCy path, once the vocab holds
        # ZONE_AFTER_STRINGS, the classifier frees each batch's strings (Classifier.memory_zone). The
        # tokens met before that (the commonest) stay, so small batches do not pay for them every time.
        self.memory_zone = False

    # -- which model: helper/nlp/model_source.py ------------------------------------------------
    @property
    def model_loaded(self) -> bool:
        return self.source.model_loaded

    @property
    def model_version(self) -> str:
        return self.source.model_version

    def load(self) -> bool:
        return self.source.load()

    def reload(self) -> bool:
        return self.source.reload()

    def swap_to(self, model_dir: str | Path) -> None:
        self.source.swap_to(model_dir)

    def set_model_dir(self, model_dir: str | Path | None) -> None:
        self.source.set_model_dir(model_dir)

    def follow_data_dir(self, data_dir: str | Path) -> None:
        self.source.follow_data_dir(data_dir)

    def clear_cache(self) -> None:
        """Drop the classifier's verdict cache (benchmarks; a retrained model reloads instead)."""
        from helper.nlp import normalize
        from helper.nlp.model_input import clean_comment
        from helper.nlp.products import clear_caches
        from helper.nlp.replies import is_english

        self.source.drop_scores()
        normalize.forget()
        clean_comment.cache_clear()
        clear_caches()
        is_english.cache_clear()
        if self.source.classifier is not None:
            self.source.classifier.clear_cache()

    def scores(self, texts: list[str], contexts: list | None = None) -> tuple[list[float], float]:
        """Request probabilities for the texts (one batched call) and the threshold to apply.

        `contexts`: one `model_input.NoteContext` or None per text (the note each comment is under).
        """
        in_use = self.source.current()
        if in_use is None:
            from helper.nlp.keywords import keyword_is_request

            return [1.0 if keyword_is_request(t) else 0.0 for t in texts], 0.5
        classifier, cache = in_use.classifier, in_use.scores
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
    if attribution.products or 1 < len(attribution.candidates) <= MAX_LISTED:
        return attribution, None  # the catalog wins when it says something
    cards = card_attribution(text, card_products(comment.get("note_products")))
    if cards is not None:
        attribution = cards
        if attribution.products or 1 < len(attribution.candidates) <= MAX_LISTED:
            return attribution, None
    return attribution, asked_noun(text)


def _catalog(products):
    """The matcher for this catalog; a product without a name is skipped (logged), never fatal."""
    from helper.nlp.products import CatalogError, CatalogProduct, catalog_for

    usable = []
    for product in products or []:
        try:
            usable.append(product if isinstance(product, CatalogProduct) else CatalogProduct.from_dict(product))
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
