"""Link-request analysis: the model (or keyword baseline), product attribution, reply suggestions.

    from helper.nlp import get_analyzer
    results = get_analyzer().analyze(comments, products, platform="xhs")

Importing this package stays cheap (no spaCy, no OpenCC): the CLI's cold start and the helper's
start-up must not pay for the model before a comment arrives. Names below resolve on first use.
"""

from __future__ import annotations

import importlib
import threading

__all__ = ["get_analyzer", "use_data_dir", "Analyzer", "compliance_warnings", "keyword_is_request", "normalize_text"]

_LAZY = {
    "Analyzer": "helper.nlp.analyzer",
    "compliance_warnings": "helper.nlp.compliance",
    "keyword_is_request": "helper.nlp.keywords",
    "normalize_text": "helper.nlp.normalize",
}

_analyzer = None
_analyzer_lock = threading.Lock()


def get_analyzer():
    """The process-wide Analyzer (created once, thread-safe; the model loads on first analyze)."""
    global _analyzer
    if _analyzer is None:
        with _analyzer_lock:
            if _analyzer is None:
                from helper.nlp.analyzer import Analyzer

                _analyzer = Analyzer()
    return _analyzer


def use_data_dir(data_dir) -> None:
    """Make the process-wide Analyzer prefer the pipeline retrained in `data_dir` (`linktriage train`),
    also one written while the process runs (the helper picks it up within seconds)."""
    from helper.config import resolve_data_dir

    get_analyzer().follow_data_dir(resolve_data_dir(data_dir))


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'helper.nlp' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
