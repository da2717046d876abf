"""Texts to benchmark on: the shared real comments (texts only) when present, else our own corpus."""

from __future__ import annotations

import json
from pathlib import Path

from helper.config import MODELS_DIR, REPO_ROOT

SHARED_DEV = REPO_ROOT.parent / "shared" / "data" / "real-comments" / "dev.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def bench_texts() -> tuple[list[str], str]:
    # Only dev.jsonl: the blind set stays unread so nobody is tempted to tune on it.
    if SHARED_DEV.exists():
        return [r["text"] for r in read_jsonl(SHARED_DEV)], "shared real comments (dev.jsonl)"
    corpus = sorted((MODELS_DIR / "corpus").glob("*.jsonl"))
    texts = [r["text"] for p in corpus for r in read_jsonl(p) if r.get("text")]
    if not texts:
        raise SystemExit("no texts: neither ../shared/data/real-comments nor models/corpus/*.jsonl is present")
    return texts, "training corpus (models/corpus)"


def labelled_dev() -> list[dict] | None:
    """Labelled, unambiguous dev rows for the F1 beside the speed, or None without the shared folder."""
    if not SHARED_DEV.exists():
        return None
    return [r for r in read_jsonl(SHARED_DEV) if not r.get("ambiguous")]
