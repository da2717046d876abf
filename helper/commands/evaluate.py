"""`linktriage evaluate`: precision/recall/F1 of the model beside the keyword baseline.

Reads the labelled real comments (`../shared/data/real-comments/dev.jsonl` beside the repo) at run
time only — they are for measuring, never for training, and never copied into the project. Scores
the unambiguous rows first, then all rows, then each language, and lists the model's errors.
`blind.jsonl` is refused: it must stay unseen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from helper.config import SHARED_DEV
from helper.errors import UserError

DEFAULT_DATA = SHARED_DEV


def register(subparsers, common):
    sub = subparsers.add_parser(
        "evaluate", parents=[common], help="score the model and the keyword baseline on labelled comments",
        description="Precision/recall/F1 of the link-request model beside the keyword baseline.",
    )
    sub.add_argument("--data", metavar="PATH", help=f"labelled JSONL (default: {DEFAULT_DATA})")
    sub.add_argument(
        "--model", metavar="DIR",
        help="pipeline to evaluate (default: DATA_DIR/pipeline if you retrained, else models/pipeline)",
    )
    sub.add_argument("--errors", type=int, default=60, metavar="N", help="list at most N errors (0: none)")
    sub.set_defaults(func=run)


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
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                rows.append({"id": row.get("id", number), "text": str(row["text"]), "label": bool(row["label"]),
                             "ambiguous": bool(row.get("ambiguous")), "lang": row.get("lang") or "?"})
            except (ValueError, KeyError, TypeError) as exc:
                raise UserError(f"{path}:{number}: not a labelled row ({exc})") from None
    return rows


def _line(name: str, rows: list[dict], model: list[bool], base: list[bool]) -> str:
    gold = [r["label"] for r in rows]
    m, b = prf(gold, model), prf(gold, base)
    return (f"{name:<22} {m['n']:>5} {m['pos']:>5}  {m['p']:.3f} {m['r']:.3f} {m['f1']:.3f}"
            f"   {b['p']:.3f} {b['r']:.3f} {b['f1']:.3f}")


def report(rows: list[dict], model: list[bool], base: list[bool]) -> list[str]:
    head = f"{'rows':<22} {'n':>5} {'pos':>5}  {'model P  R     F1':<19}   keyword P  R     F1"
    groups = [("unambiguous", [i for i, r in enumerate(rows) if not r["ambiguous"]]),
              ("all", list(range(len(rows))))]
    by_lang = defaultdict(list)
    for i, r in enumerate(rows):
        if not r["ambiguous"]:
            by_lang[r["lang"]].append(i)
    groups += [(f"unambiguous lang={lang}", idx) for lang, idx in sorted(by_lang.items(), key=lambda kv: -len(kv[1]))]
    lines = [head]
    for name, idx in groups:
        lines.append(_line(name, [rows[i] for i in idx], [model[i] for i in idx], [base[i] for i in idx]))
    return lines


def run(args) -> int:
    path = Path(args.data) if args.data else DEFAULT_DATA
    if path.name == "blind.jsonl":
        raise UserError("blind.jsonl is the unseen test set; evaluate on dev.jsonl")
    if not path.is_file():
        print(f"linktriage evaluate: skipped: no labelled comments at {path} (the shared folder is absent)")
        return 0
    from helper.nlp.classifier import load_classifier
    from helper.nlp.keywords import keyword_is_request

    try:
        from helper.config import resolve_data_dir, resolve_model_dir

        clf = load_classifier(args.model or resolve_model_dir(resolve_data_dir(args.data_dir)))
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    rows = load_rows(path)
    texts = [r["text"] for r in rows]
    scores = clf.scores(texts)
    model = [s >= clf.threshold for s in scores]
    base = [keyword_is_request(t) for t in texts]
    print(f"model {clf.model_version} (threshold {clf.threshold}) vs keyword baseline on {path}")
    print("\n".join(report(rows, model, base)))
    errors = [(r, s) for r, s, m in zip(rows, scores, model) if m != r["label"] and not r["ambiguous"]]
    if args.errors and errors:
        print(f"\nmodel errors on unambiguous rows ({len(errors)}; FN = missed request, FP = false alarm):")
        for r, s in errors[: args.errors]:
            kind = "FN" if r["label"] else "FP"
            print(f"  {kind} {s:.2f} [{r['lang']}] {r['id']}: {r['text'][:100]!r}")
    return 0
