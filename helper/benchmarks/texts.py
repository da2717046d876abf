"""Texts to benchmark on: the shared real comments (texts only) when present, else our own corpus."""

from __future__ import annotations

from helper.nlp.evaluation import DEFAULT_DATA as SHARED_DEV


def bench_texts() -> tuple[list[str], str]:
    # Only dev.jsonl: the blind set stays unread so nobody is tempted to tune on it.
    from helper.nlp.evaluation import load_rows
    from helper.commands.train import corpus_rows

    if SHARED_DEV.exists():
        return [r["text"] for r in load_rows(SHARED_DEV)], "shared real comments (dev.jsonl)"
    texts = [row.text for row in corpus_rows() if row.text]
    if not texts:
        raise SystemExit("no texts: neither ../shared/data/real-comments nor models/corpus/*.jsonl is present")
    return texts, "training corpus (models/corpus)"


def labelled_dev() -> list[dict] | None:
    """Labelled, unambiguous dev rows for the F1 beside the speed, or None without the shared folder."""
    from helper.nlp.evaluation import load_rows

    if not SHARED_DEV.exists():
        return None
    return [r for r in load_rows(SHARED_DEV) if not r["ambiguous"]]
