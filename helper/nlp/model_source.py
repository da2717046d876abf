"""Which trained pipeline is in use: loaded lazily, followed on disk, swapped without stopping anyone.

The analyzer asks `source.current()` for the model of each batch and gets an `InUse` (the classifier
and the score cache that belongs to it), or None when no pipeline could load (the keyword baseline).
Everything about *which* model lives here:

- lazily loaded on the first batch, so importing the helper (and `linktriage --help`) never waits;
- `follow_data_dir`: a creator's retrained pipeline (DATA_DIR/pipeline) wins over the committed one,
  and one `linktriage train` writes later is picked up within `check_every` seconds, without a restart;
- `swap_to`: the automatic retrain and its rollback load a pipeline outside the locks and switch to it
  between batches;
- a missing or broken pipeline is said once and falls back to keywords instead of failing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("linktriage.nlp")

KEYWORD_VERSION = "keywords-1"
# How often a process following a data dir looks for a pipeline `linktriage train` wrote (one stat).
MODEL_CHECK_SECONDS = 5.0


@dataclass
class InUse:
    """The loaded classifier and the scores it gave (a new model starts with an empty cache, so no
    score of the previous one is ever served by it)."""

    classifier: object
    scores: dict = field(default_factory=dict)


class ModelSource:
    def __init__(self, model_dir: str | Path | None = None):
        self._model_dir = model_dir  # None: resolve_model_dir() at load time ($LINKTRIAGE_MODEL_DIR)
        self._in_use: InUse | None = None
        self._loaded = False  # tried to load (successfully or not)
        self._lock = threading.Lock()
        # Set by follow_data_dir: the data dir whose retrained pipeline wins, and when to look again.
        self._data_dir: Path | None = None
        self._next_check = 0.0
        self._stamp = None  # meta.json mtime of the pipeline in use (tells a retrain apart)
        self.check_every = MODEL_CHECK_SECONDS

    @property
    def classifier(self):
        """The classifier in use, or None (not loaded yet, or the keyword fallback)."""
        in_use = self._in_use
        return in_use.classifier if in_use is not None else None

    @property
    def model_loaded(self) -> bool:
        """True once the trained pipeline is in use; False before the first batch or on fallback."""
        return self._in_use is not None

    @property
    def model_version(self) -> str:
        """The pipeline's name-version; "keywords-1" on fallback; "" before anything was loaded."""
        in_use = self._in_use
        if in_use is not None:
            return in_use.classifier.model_version
        return KEYWORD_VERSION if self._loaded else ""

    def current(self) -> InUse | None:
        """The model for the next batch (loading or switching first when due); None: use keywords."""
        self._follow()
        if not self._loaded:
            self.load()
        return self._in_use

    def drop_scores(self) -> None:
        """Forget the scores the model in use gave (benchmarks timing the cold path)."""
        in_use = self._in_use
        if in_use is not None:
            in_use.scores.clear()

    def set_model_dir(self, model_dir: str | Path | None) -> None:
        """Use this pipeline from now on (the next batch loads it if it is not the one in use)."""
        with self._lock:
            if model_dir != self._model_dir:
                self._model_dir = model_dir
                self._forget()

    def follow_data_dir(self, data_dir: str | Path) -> None:
        """Prefer DATA_DIR/pipeline (a creator's retrain) over the committed pipeline, and switch to a
        pipeline `linktriage train` writes there later without a restart (looked for at most every
        `check_every` seconds, on the next batch)."""
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
        self._in_use, self._loaded = None, False

    def load(self) -> bool:
        """Load the pipeline now (the helper may warm up in the background); True if it loaded."""
        with self._lock:
            if not self._loaded:
                from helper.nlp.classifier import load_classifier

                try:
                    self._in_use = InUse(load_classifier(self._model_dir))
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
        return self._in_use is not None

    def swap_to(self, model_dir: str | Path) -> None:
        """Load the pipeline in `model_dir` now and use it from the next batch on (the automatic
        retrain and its rollback, helper/retraining.py). Loading happens outside the lock, so the
        batches scored meanwhile keep the old pipeline instead of waiting; if it cannot load, the
        error propagates and nothing changes."""
        from helper.nlp.classifier import load_classifier

        in_use = InUse(load_classifier(model_dir))
        with self._lock:
            self._model_dir = Path(model_dir)
            self._in_use, self._loaded = in_use, True
            self._stamp = _meta_stamp(self._model_dir)
            self._next_check = time.monotonic() + self.check_every

    def reload(self) -> bool:
        """Forget the loaded pipeline (after `linktriage train`) and load it again."""
        with self._lock:
            self._forget()
        return self.load()


def _meta_stamp(model_dir) -> int | None:
    """When the pipeline's meta.json was written (train swaps a whole new pipeline in), or None."""
    if model_dir is None:
        return None
    try:
        return os.stat(Path(model_dir) / "meta.json").st_mtime_ns
    except OSError:
        return None
