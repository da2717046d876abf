"""The learned link-request classifier: a small spaCy textcat pipeline behind a cached, batched API.

    clf = load_classifier()          # models/pipeline, or $LINKTRIAGE_MODEL_DIR
    clf.scores(["求链接", "好看"])    # → [0.98, 0.02], probability of "asks where/how to buy"
    clf.threshold, clf.model_version

Real feeds repeat the same short comments (求链接, 同求) endlessly, so verdicts are cached by
normalised text in a bounded LRU; only unseen texts reach `nlp.pipe`.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from contextlib import nullcontext
from pathlib import Path

from helper.nlp.model_input import NoteContext, clause_texts, model_text

LABEL = "REQUEST"
RULES_PIPE = "linktriage_ask_rules"  # helper/nlp/ask_rules.py, saved with the pipeline
DEFAULT_THRESHOLD = 0.5
CACHE_SIZE = 50_000
BATCH_SIZE = 1000
# Comments are short (Xiaohongshu caps them near 1,000 characters); a pasted essay or a hostile 10 MB
# body must not hit spaCy's max_length error or stall the batch, so the model reads the start only.
MAX_CHARS = 2000


class Classifier:
    def __init__(self, nlp, cache_size: int = CACHE_SIZE):
        self.nlp = nlp
        meta = nlp.meta
        custom = meta.get("linktriage", {}) or {}
        self.threshold = float(custom.get("threshold", DEFAULT_THRESHOLD))
        self.model_version = str(
            custom.get("model_version") or f"{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
        )
        # Training saw about a third requests, real feeds far fewer: `linktriage train` stores the
        # log-odds correction for that prior shift, so scores are probabilities under the real prior.
        self.logit_shift = float(custom.get("logit_shift", 0.0))
        self._cache: OrderedDict[str, float] = OrderedDict()
        self._cache_size = cache_size
        # A long-running helper sets this: each batch runs in spaCy's memory_zone(), so strings and
        # tokenizer-cache entries of never-seen-again comments are freed (about 30 % slower).
        self.memory_zone = False
        # The rule layer only looks at docs the textcat scored inside its window; calling it here for
        # those alone, instead of as a pipeline step for every doc, keeps ~10 % of throughput.
        self._rules = nlp.get_pipe(RULES_PIPE) if RULES_PIPE in nlp.pipe_names else None
        # Never-repeating comments: the textcat's scores without building a spaCy Doc each (3-4x faster,
        # equal to the last bit); a textcat of another architecture goes through nlp.pipe.
        try:
            from helper.nlp.hashed_bow import HashedBOW

            self._bow = HashedBOW(nlp)
        except (ValueError, KeyError, AttributeError):
            self._bow = None
        # Score each clause of a long comment too and keep the highest (an ask hidden in a review).
        self.clause_max = bool(custom.get("clause_max", False))

    def _calibrate(self, p: float) -> float:
        if not self.logit_shift:
            return p
        p = min(max(p, 1e-9), 1 - 1e-9)
        return 1.0 / (1.0 + math.exp(-(math.log(p / (1 - p)) + self.logit_shift)))

    def scores(self, texts: list[str], contexts: list[NoteContext | None] | None = None) -> list[float]:
        """Probability that each text asks where/how to buy, in input order.

        `contexts` (same length, items may be None) tells the model which note each comment is under.
        """
        if contexts is None:
            contexts = [None] * len(texts)
        # Each comment: its whole text first, then (with clause_max) each of its clauses; it scores
        # the highest of them (helper/nlp/model_input.py clause_texts says why).
        groups = []
        for text, context in zip(texts, contexts, strict=True):
            whole = model_text(text, context, MAX_CHARS)
            parts = clause_texts(text, context, MAX_CHARS) if self.clause_max and whole else []
            groups.append([whole, *parts])
        cache = self._cache
        todo = list(dict.fromkeys(n for group in groups for n in group if n not in cache))
        if "" in todo:  # an empty Doc breaks the BOW n-gram layer, and nothing asks for nothing
            cache[""] = 0.0
            todo.remove("")
        if todo:
            for start in range(0, len(todo), BATCH_SIZE):
                chunk = todo[start:start + BATCH_SIZE]
                cache.update(zip(chunk, self._score_texts(chunk)))
        out = []
        for group in groups:
            for norm in group:
                cache.move_to_end(norm)
            out.append(max(cache[norm] for norm in group))
        while len(cache) > self._cache_size:
            cache.popitem(last=False)
        return out

    def _score_texts(self, texts: list[str]) -> list[float]:
        """Calibrated scores of model texts (none empty), the rule layer applied where it may act."""
        rules = self._rules
        with self.nlp.memory_zone() if self.memory_zone else nullcontext():
            if self._bow is None:  # not a bag-of-n-grams textcat: spaCy's own pipeline
                with self.nlp.select_pipes(disable=[RULES_PIPE]) if rules is not None else nullcontext():
                    docs = list(self.nlp.pipe(texts, batch_size=BATCH_SIZE))
                cats = [doc.cats for doc in docs]
            else:  # the same scores without a Doc per comment (helper/nlp/hashed_bow.py)
                docs, cats = None, self._bow.cats(texts)
            out = []
            for i, (text, cat) in enumerate(zip(texts, cats)):
                raw = cat.get(LABEL, 0.0)
                if rules is not None and rules.min_score <= raw < rules.boost_to:
                    # The rule layer reads tokens: a Doc only for the few comments in its window.
                    doc = docs[i] if docs is not None else self.nlp.make_doc(text)
                    doc.cats = dict(cat)
                    raw = rules(doc).cats[LABEL]
                out.append(self._calibrate(float(raw)))
        return out

    def clear_cache(self) -> None:
        """Forget cached verdicts (the benchmark measures the model itself, not the cache)."""
        self._cache.clear()


def load_classifier(model_dir: str | Path | None = None) -> Classifier:
    """Load the trained pipeline; FileNotFoundError with a hint when it is missing."""
    from helper.config import resolve_model_dir

    path = Path(model_dir) if model_dir is not None else resolve_model_dir()
    if not (path / "config.cfg").is_file() or not (path / "meta.json").is_file():
        raise FileNotFoundError(
            f"no trained link-request pipeline at {path}; run `linktriage train` or scripts/train"
        )
    import spacy

    import helper.nlp.tokenizer  # noqa: F401  registers linktriage.MixedTokenizer.v1 for spacy.load

    return Classifier(spacy.load(path))
