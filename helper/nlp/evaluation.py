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
import math
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

# The labelled real comments beside a checkout (../shared/data/real-comments/dev.jsonl, the checkout
# being two folders up from here): evaluation tooling only, read at run time, never copied. The
# helper's runtime config knows nothing of them; outside a checkout, give `linktriage evaluate --data`.
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real-comments" / "dev.jsonl"
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
    from helper.nlp.corpus import json_lines

    rows = []
    for number, line in json_lines(path):
        try:
            row = json.loads(line)
            title = row.get("note_title")
            rows.append({"id": row.get("id", number), "text": str(row["text"]), "label": bool(row["label"]),
                         "ambiguous": bool(row.get("ambiguous")), "lang": row.get("lang") or "?",
                         "note_title": title if isinstance(title, str) else None})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
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
    """One fold's held-out comments and the fold model's raw log-odds (no prior correction), so a
    report can apply any operating point."""

    fold: int
    genres: list[str]
    gold: list[bool]
    with_note: list[float]  # under the note: title, description, whether it sells
    title_only: list[float]  # under the title alone (what a caller that knows only the title sends)
    alone: list[float]  # no note at all
    keyword: list[bool]
    shift: float = 0.0  # the fold model's own operating point (what `linktriage train` would ship)
    by_clause: list[float] = field(default_factory=list)  # under the note, the best clause's score too


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
            shipped_shift = clf.logit_shift
            clf.logit_shift = 0.0  # raw model odds; the report applies the operating point
            texts = [c.text for c in test]

            def log_odds(contexts):
                return [_logit(p) for p in clf.scores(texts, contexts)]

            results.append(HeldoutResult(
                number, held, [c.label for c in test],
                log_odds([c.note for c in test]),
                log_odds([NoteContext(c.note.title) for c in test]),
                log_odds(None),
                [keyword_is_request(t) for t in texts],
                shipped_shift,
                _with_clauses(clf, lambda: log_odds([c.note for c in test])),
            ))
    return results


def _with_clauses(clf, score):
    shipped = clf.clause_max
    clf.clause_max = True
    try:
        return score()
    finally:
        clf.clause_max = shipped


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def pooled(results: list[HeldoutResult]) -> HeldoutResult:
    out = HeldoutResult(0, [], [], [], [], [], [])
    for r in results:
        out.by_clause += r.by_clause
        out.genres += r.genres
        out.gold += r.gold
        out.with_note += r.with_note
        out.title_only += r.title_only
        out.alone += r.alone
        out.keyword += r.keyword
    return out


def best_shift(results: list[HeldoutResult]) -> tuple[float, float]:
    """The log-odds shift (operating point) that maximises pooled held-out F1 over the three ways a
    comment arrives (under its note, under its title, alone), and that F1."""
    every = pooled(results)
    gold = every.gold * 3
    odds = every.with_note + every.title_only + every.alone
    best = (0.0, -1.0)
    for step in range(-60, 61):
        shift = step / 20
        f1 = prf(gold, [o + shift >= 0 for o in odds])["f1"]
        if f1 > best[1] + 1e-9:
            best = (shift, f1)
    return best


def heldout_report(results: list[HeldoutResult], shift: float | None = None) -> list[str]:
    """The table at one operating point: `shift` is added to the raw log-odds (decision line 0);
    None: each fold model's own prior correction, as `linktriage train` would ship it."""
    def verdicts(r: HeldoutResult, odds: list[float]) -> list[bool]:
        add = r.shift if shift is None else shift
        return [o + add >= 0 for o in odds]

    lines = [TABLE_HEAD]
    for r in results:
        lines.append(table_line(f"fold {r.fold} under note", r.gold, verdicts(r, r.with_note), r.keyword))
    gold = [g for r in results for g in r.gold]
    keyword = [k for r in results for k in r.keyword]
    for name, attr in (("under note", "with_note"), ("title only", "title_only"), ("no note", "alone"),
                       ("under note + clauses", "by_clause")):
        pred = [v for r in results for v in verdicts(r, getattr(r, attr))]
        if len(pred) == len(gold):
            lines.append(table_line(f"all folds, {name}", gold, pred, keyword))
    lines.append("folds: " + "; ".join(f"{r.fold}: {', '.join(r.genres)}" for r in results))
    return lines
