"""`linktriage evaluate`: how good the link-request model is, on two kinds of evidence.

1. The labelled real comments (`../shared/data/real-comments/dev.jsonl` beside the repo), read at run
   time only, never trained on, never copied. The corpus was revised against their errors for many
   rounds, so this is a *tuning* score. `blind.jsonl` is refused: it must stay unseen.
2. With --heldout: hold out whole note genres of the hand-written corpus in turn, train on the rest,
   score the held-out genres (helper/nlp/evaluation.py). That is the generalisation check.

The work is in helper/nlp/evaluation.py; this command reads arguments and prints.
"""

from __future__ import annotations

from pathlib import Path

from helper.errors import UserError
from helper.nlp.evaluation import DEFAULT_DATA, HELDOUT_FOLDS, HELDOUT_STEPS, DataError, load_rows, report


def register(subparsers, common):
    sub = subparsers.add_parser(
        "evaluate", parents=[common], help="score the model and the keyword baseline on labelled comments",
        description="Precision/recall/F1 of the link-request model beside the keyword baseline: on the shared "
                    "labelled comments (a tuning score), and with --heldout on note genres held out of training.",
    )
    sub.add_argument("--data", metavar="PATH", help=f"labelled JSONL (default: {DEFAULT_DATA})")
    sub.add_argument(
        "--model", metavar="DIR",
        help="pipeline to evaluate (default: DATA_DIR/pipeline if you retrained, else models/pipeline)",
    )
    sub.add_argument("--errors", type=int, default=60, metavar="N", help="list at most N errors (0: none)")
    sub.add_argument("--heldout", action="store_true",
                     help=f"also train {HELDOUT_FOLDS} models, each without some note genres, and score those "
                          "genres (several minutes)")
    sub.add_argument("--heldout-only", action="store_true", help="only the held-out-genre check")
    sub.add_argument("--heldout-steps", type=int, default=HELDOUT_STEPS, metavar="N",
                     help=f"training steps per held-out fold (default: {HELDOUT_STEPS})")
    sub.add_argument("--heldout-json", metavar="PATH",
                     help="also write each fold's gold labels and raw log-odds to PATH (to study operating points)")
    sub.set_defaults(func=run)


def run(args) -> int:
    if not args.heldout_only:
        _score_dev(args)
    if args.heldout or args.heldout_only:
        _score_heldout(args)
    return 0


def _score_dev(args) -> None:
    path = Path(args.data) if args.data else DEFAULT_DATA
    if path.name == "blind.jsonl":
        raise UserError("blind.jsonl is the unseen test set; evaluate on dev.jsonl")
    if args.model and not (Path(args.model) / "meta.json").is_file():
        # A pipeline named on the command line must exist, whether or not there is data to score.
        raise UserError(f"no trained link-request pipeline at {args.model}")
    if not path.is_file():
        print(f"linktriage evaluate: skipped: no labelled comments at {path} (the shared folder is absent)")
        return
    from helper.nlp.classifier import load_classifier
    from helper.nlp.keywords import keyword_is_request
    from helper.nlp.model_input import NoteContext

    try:
        from helper.config import resolve_data_dir, resolve_model_dir

        clf = load_classifier(args.model or resolve_model_dir(resolve_data_dir(args.data_dir)))
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    try:
        rows = load_rows(path)
    except DataError as exc:
        raise UserError(str(exc)) from None
    texts = [r["text"] for r in rows]
    scores = clf.scores(texts, [NoteContext(r["note_title"]) if r["note_title"] else None for r in rows])
    model = [s >= clf.threshold for s in scores]
    base = [keyword_is_request(t) for t in texts]
    print(f"TUNING SET (the corpus was revised against these comments' errors): {path}")
    print(f"model {clf.model_version} (threshold {clf.threshold}) vs keyword baseline")
    print("\n".join(report(rows, model, base)))
    errors = [(r, s) for r, s, m in zip(rows, scores, model) if m != r["label"] and not r["ambiguous"]]
    if args.errors and errors:
        print(f"\nmodel errors on unambiguous rows ({len(errors)}; FN = missed request, FP = false alarm):")
        for r, s in errors[: args.errors]:
            kind = "FN" if r["label"] else "FP"
            print(f"  {kind} {s:.2f} [{r['lang']}] {r['id']}: {r['text'][:100]!r}")


def _score_heldout(args) -> None:
    import sys

    from helper.nlp.corpus import CorpusError
    from helper.nlp.evaluation import best_shift, heldout_genres, heldout_report
    from helper.nlp.training import CORPUS_DIR

    if args.heldout_steps < 1:
        raise UserError("--heldout-steps must be at least 1")
    print(f"\nHELD-OUT NOTE GENRES (never seen by the fold's model; {args.heldout_steps} steps per fold):")
    try:
        results = heldout_genres(CORPUS_DIR, max_steps=args.heldout_steps,
                                 progress=lambda line: print("  " + line, file=sys.stderr, flush=True))
    except CorpusError as exc:
        raise UserError(f"training corpus: {exc}") from None
    print("at each fold model's own operating point (its prior correction, as `linktriage train` ships it):")
    print("\n".join(heldout_report(results)))
    if args.heldout_json:
        import dataclasses
        import json

        Path(args.heldout_json).write_text(json.dumps([dataclasses.asdict(r) for r in results]), encoding="utf-8")
    best, f1 = best_shift(results)
    print(f"best operating point on these folds: shift {best:+.2f} (pooled F1 {f1:.3f})")
