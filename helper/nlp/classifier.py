"""The learned link-request classifier: the trained pipeline behind a cached, batched API.

    clf = load_classifier()          # models/pipeline, or $LINKTRIAGE_MODEL_DIR
    clf.scores(["求链接", "好看"])    # → [0.98, 0.02], probability of "asks where/how to buy"
    clf.threshold, clf.model_version

It scores without spaCy: a pipeline written by `linktriage train` carries its bag-of-n-grams weights
exported beside it (helper/nlp/bow_scorer.py) and its rule layer as data (helper/nlp/ask_shapes.py), so
loading is reading two small files, and no comment becomes a spaCy Doc. spaCy is loaded only for a
pipeline without that export (an older one, or another textcat architecture), or when a caller asks for
`clf.nlp`. Real feeds repeat the same short comments (求链接, 同求) endlessly, so verdicts are also cached
by model text in a bounded LRU.
"""

from __future__ import annotations

import json
import math
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


def model_version_of(meta: dict) -> str:
    custom = meta.get("linktriage", {}) or {}
    return str(custom.get("model_version") or f"{meta.get('name', 'pipeline')}-{meta.get('version', '0')}")


class Classifier:
    """From a loaded spaCy pipeline (`Classifier(nlp)`), or from a pipeline folder
    (`Classifier(model_dir=path)`, what `load_classifier` does): there the exported weights are used
    without importing spaCy when they belong to that pipeline."""

    def __init__(self, nlp=None, cache_size: int = CACHE_SIZE, *, model_dir: str | Path | None = None):
        from helper.nlp.ask_shapes import AskShapes
        from helper.nlp.bow_scorer import BowScorer

        if (nlp is None) == (model_dir is None):
            raise TypeError("Classifier needs a spaCy pipeline or a model_dir, not both")
        self._nlp = nlp
        self.model_dir = Path(model_dir) if model_dir is not None else None
        meta = nlp.meta if nlp is not None else json.loads((self.model_dir / "meta.json").read_text(encoding="utf-8"))
        custom = meta.get("linktriage", {}) or {}
        self.threshold = float(custom.get("threshold", DEFAULT_THRESHOLD))
        self.model_version = model_version_of(meta)
        # Training saw about a third requests, real feeds far fewer: `linktriage train` may store a
        # log-odds correction for that prior shift (0 since the held-out genres chose the operating point).
        self.logit_shift = float(custom.get("logit_shift", 0.0))
        self._cache: dict[str, float] = {}
        self._cache_size = cache_size
        # The spaCy path in a long-running helper sets this: each batch runs in spaCy's memory_zone(), so
        # strings of never-seen-again comments are freed. The numpy path keeps a bounded memo instead.
        self.memory_zone = False
        # Score each clause of a long comment too and keep the highest (an ask hidden in a review).
        self.clause_max = bool(custom.get("clause_max", False))
        # The scorer: the exported bag-of-n-grams tables (no spaCy), else the same tables read off the
        # loaded pipeline, else (another textcat architecture) spaCy's own nlp.pipe.
        self._scorer = BowScorer.load(self.model_dir, self.model_version) if self.model_dir is not None else None
        if self._scorer is None:
            nlp = self.nlp  # a pipeline that cannot load fails here, as load_classifier promises
            try:
                self._scorer = BowScorer.from_pipeline(nlp, self.model_version)
            except (ValueError, KeyError, AttributeError):
                self._scorer = None
        # The rule layer only ever looks at comments the model scored inside its window.
        if self.model_dir is not None:
            self._shapes = AskShapes.from_dir(self.model_dir / RULES_PIPE)
        else:
            rules = nlp.get_pipe(RULES_PIPE) if RULES_PIPE in nlp.pipe_names else None
            self._shapes = rules.shapes if rules is not None else None

    @property
    def nlp(self):
        """The spaCy pipeline (loaded on first use when the classifier scores without it)."""
        if self._nlp is None:
            import spacy

            import helper.nlp.tokenizer  # noqa: F401  registers linktriage.MixedTokenizer.v1 for spacy.load

            self._nlp = spacy.load(self.model_dir)
        return self._nlp

    @property
    def uses_spacy(self) -> bool:
        """Whether scoring goes through spaCy (a pipeline without exported weights)."""
        return self._scorer is None

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
        fresh: dict[str, float] = {}
        if "" in todo:  # an empty Doc breaks the BOW n-gram layer, and nothing asks for nothing
            fresh[""] = 0.0
            todo.remove("")
        for start in range(0, len(todo), BATCH_SIZE):
            chunk = todo[start:start + BATCH_SIZE]
            fresh.update(zip(chunk, self._score_texts(chunk)))
        # A memo cleared when full, not an LRU: texts hardly repeat beyond a page, and keeping the
        # recency order cost more per comment than the misses it saves.
        if len(cache) + len(fresh) > self._cache_size:
            kept = {n: cache[n] for group in groups for n in group if n not in fresh}  # this batch's hits
            cache.clear()
            cache.update(kept)
        cache.update(fresh)
        score = cache.__getitem__
        out = [score(group[0]) if len(group) == 1 else max(map(score, group)) for group in groups]
        return out

    def _score_texts(self, texts: list[str]) -> list[float]:
        """Calibrated scores of model texts (none empty), the rule layer applied where it may act."""
        shapes = self._shapes
        if self._scorer is not None:  # numpy, no Doc per comment (helper/nlp/bow_scorer.py)
            raws = self._scorer.request_scores(texts)
            if shapes is not None:
                words = self._scorer.words
                raws = [shapes.apply(text, raw, lambda t=text: words(t)) for text, raw in zip(texts, raws)]
            return [self._calibrate(raw) for raw in raws]
        nlp = self.nlp
        with nlp.memory_zone() if self.memory_zone else nullcontext():
            with nlp.select_pipes(disable=[RULES_PIPE]) if RULES_PIPE in nlp.pipe_names else nullcontext():
                docs = list(nlp.pipe(texts, batch_size=BATCH_SIZE))
            out = []
            for text, doc in zip(texts, docs):
                raw = doc.cats.get(LABEL, 0.0)
                if shapes is not None:
                    raw = shapes.apply(text, raw, lambda d=doc: [t.text for t in d])
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
    return Classifier(model_dir=path)
