"""Measuring the link-request model: precision/recall/F1 on labelled comments, and a generalisation
check the corpus cannot be tuned to.

- `score_labelled`: the model beside the keyword baseline on a labelled JSONL file (the shared dev
  comments; rows may carry `note_title`). Those comments have guided the corpus for many rounds, so
  their score measures the tuning, not the generalisation.
- `heldout_genres`: hold out whole note genres of the hand-written corpus in turn, train on the rest
  (templates and real text included), score the held-out genres' comments under their notes and
  alone. No text of a held-out genre was seen in its fold's training.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from helper.config import REPO_ROOT

# The labelled real comments beside the repo: for evaluation only, read at run time, never copied.
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "real-comments" / "dev.jsonl"
HELDOUT_FOLDS = 5
HELDOUT_STEPS = 2000  # per fold; the committed model trains with config.cfg's steps


class DataError(ValueError):
    pass


def prf(gold: list[bool], pred: list[bool]) -> dict:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(gold), "pos": sum(gold), "p": precision, "r": recall, "f1": f1}


def load_rows(path: Path) -> list[dict]:
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                rows.append({"id": row.get("id", number), "text": str(row["text"]), "label": bool(row["label"]),
                             "ambiguous": bool(row.get("ambiguous")), "lang": row.get("lang") or "?",
                             "note_title": row.get("note_title") if isinstance(row.get("note_title"), str) else None})
            except (ValueError, KeyError, TypeError) as exc:
                raise DataError(f"{path}:{number}: not a labelled row ({exc})") from None
    return rows


def table_line(name: str, gold: list[bool], model: list[bool], base: list[bool] | None = None) -> str:
    m = prf(gold, model)
    line = f"{name:<30} {m['n']:>5} {m['pos']:>5}  {m['p']:.3f} {m['r']:.3f} {m['f1']:.3f}"
    if base is not None:
        b = prf(gold, base)
        line += f"   {b['p']:.3f} {b['r']:.3f} {b['f1']:.3f}"
    return line


TABLE_HEAD = f"{'rows':<30} {'n':>5} {'pos':>5}  {'model P  R     F1':<19}   keyword P  R     F1"


def report(rows: list[dict], model: list[bool], base: list[bool]) -> list[str]:
    groups = [("unambiguous", [i for i, r in enumerate(rows) if not r["ambiguous"]]),
              ("all", list(range(len(rows))))]
    by_lang = defaultdict(list)
    for i, r in enumerate(rows):
        if not r["ambiguous"]:
            by_lang[r["lang"]].append(i)
    groups += [(f"unambiguous lang={lang}", idx) for lang, idx in sorted(by_lang.items(), key=lambda kv: -len(kv[1]))]
    lines = [TABLE_HEAD]
    for name, idx in groups:
        lines.append(table_line(name, [rows[i]["label"] for i in idx], [model[i] for i in idx], [base[i] for i in idx]))
    return lines


@dataclass
class HeldoutResult:
    fold: int
    genres: list[str]
    gold: list[bool]
    with_note: list[bool]  # scored under the note: title, description, whether it sells
    title_only: list[bool]  # under the title alone (what a caller that knows only the title sends)
    alone: list[bool]  # no note at all
    keyword: list[bool]


def genre_folds(genres: list[str], folds: int = HELDOUT_FOLDS) -> list[list[str]]:
    """Genres dealt round-robin into `folds` groups (sorted, so the folds are stable)."""
    groups = [[] for _ in range(min(folds, len(genres)))]
    for i, genre in enumerate(sorted(genres)):
        groups[i % len(groups)].append(genre)
    return groups


def heldout_genres(corpus_dir: Path, *, folds: int = HELDOUT_FOLDS, max_steps: int | None = HELDOUT_STEPS,
                   progress: Callable[[str], None] = print) -> list[HeldoutResult]:
    """Train once per fold without that fold's genres; score their hand-written comments."""
    from helper.nlp import corpus, training
    from helper.nlp.classifier import load_classifier
    from helper.nlp.keywords import keyword_is_request
    from helper.nlp.model_input import NoteContext

    from helper.nlp.threads import is_echo

    rows = corpus.load_corpus(corpus_dir)
    # Echo replies ("同求" under a request) take their parent's label: the thread rule's job, not the model's.
    notes = [c for c in corpus.read_notes(Path(corpus_dir) / "notes") if not (c.kind == "reply" and is_echo(c.text))]
    groups = genre_folds(corpus.genres(rows), folds)
    results = []
    for number, held in enumerate(groups, 1):
        held_set = set(held)
        train_rows = [r for r in rows if r.genre not in held_set]
        test = [c for c in notes if c.genre in held_set]
        progress(f"fold {number}/{len(groups)}: holding out {', '.join(held)} ({len(test)} comments), "
                 f"training on {len(train_rows)} rows")
        fit, dev = corpus.split_examples(train_rows, training.DEV_SHARE)
        with tempfile.TemporaryDirectory(prefix="linktriage-heldout-") as tmp:
            out = training.train_pipeline(fit, dev, Path(tmp) / "pipeline", max_steps=max_steps, quiet=True)
            clf = load_classifier(out)
            texts = [c.text for c in test]
            threshold = clf.threshold

            def verdicts(contexts):
                return [s >= threshold for s in clf.scores(texts, contexts)]

            results.append(HeldoutResult(
                number, held, [c.label for c in test],
                verdicts([c.note for c in test]),
                verdicts([NoteContext(c.note.title) for c in test]),
                verdicts(None),
                [keyword_is_request(t) for t in texts],
            ))
    return results


def heldout_report(results: list[HeldoutResult]) -> list[str]:
    lines = [TABLE_HEAD]
    for r in results:
        lines.append(table_line(f"fold {r.fold} under note", r.gold, r.with_note, r.keyword))
    pooled = HeldoutResult(0, [], [], [], [], [], [])
    for r in results:
        pooled.gold += r.gold
        pooled.with_note += r.with_note
        pooled.title_only += r.title_only
        pooled.alone += r.alone
        pooled.keyword += r.keyword
    lines.append(table_line("all folds, under note", pooled.gold, pooled.with_note, pooled.keyword))
    lines.append(table_line("all folds, title only", pooled.gold, pooled.title_only, pooled.keyword))
    lines.append(table_line("all folds, no note", pooled.gold, pooled.alone, pooled.keyword))
    lines.append("folds: " + "; ".join(f"{r.fold}: {', '.join(r.genres)}" for r in results))
    return lines
