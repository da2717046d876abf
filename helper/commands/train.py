"""`linktriage train`: retrain the link-request pipeline from the corpus plus the creator's corrections.

The work is in helper/nlp/corpus.py (what is learned from) and helper/nlp/training.py (how); this
command picks the inputs and the destination: --out, else DATA_DIR/pipeline (which the helper prefers
over the committed model), or with --corpus-only models/pipeline itself. A comment the creator marked
"not a request" or "missed" becomes a training example, repeated so that a handful of corrections can
outweigh thousands of corpus rows.
"""

from __future__ import annotations

from pathlib import Path

from helper.errors import UserError
from helper.nlp import corpus
from helper.nlp.corpus import Example
from helper.nlp.training import CORPUS_DIR, CORRECTION_WEIGHT, DEV_SHARE, train_pipeline


def register(subparsers, common):
    sub = subparsers.add_parser(
        "train", parents=[common], help="retrain the link-request model",
        description="Retrain the link-request classifier from models/corpus plus your corrections.",
    )
    sub.add_argument("--corpus-only", action="store_true", help="ignore corrections stored in the database")
    sub.add_argument(
        "--out", metavar="DIR",
        help="where to write the pipeline (default: DATA_DIR/pipeline, which the helper then prefers; "
             "with --corpus-only: models/pipeline)",
    )
    sub.add_argument("--max-steps", type=int, default=None, help="training steps (default: from config.cfg)")
    sub.set_defaults(func=run)


def corpus_rows() -> list[Example]:
    """The training corpus (a seam the tests shrink)."""
    try:
        return corpus.load_corpus(CORPUS_DIR)
    except corpus.CorpusError as exc:
        raise UserError(f"training corpus: {exc}") from None


def run(args) -> int:
    from helper.config import DEFAULT_MODEL_DIR, own_model_dir, resolve_data_dir

    if args.max_steps is not None and args.max_steps < 1:
        raise UserError("--max-steps must be at least 1")
    rows = corpus_rows()
    if not rows:
        raise UserError(f"no training corpus in {CORPUS_DIR} (run scripts/train)")
    train_rows, dev_rows = corpus.split_examples(rows, DEV_SHARE)
    data_dir = resolve_data_dir(args.data_dir)
    corrections = [] if args.corpus_only else stored_corrections(data_dir, args.database)
    train_rows += corrections * CORRECTION_WEIGHT
    # The developer's rebuild (scripts/train) replaces the committed model; a creator's retrain with
    # corrections goes to the data dir, which the helper prefers from its next start.
    default_out = DEFAULT_MODEL_DIR if args.corpus_only else own_model_dir(data_dir)
    out = Path(args.out) if args.out else default_out
    print(f"training on {len(train_rows)} examples (corrections: {len(corrections)}), dev {len(dev_rows)}")
    train_pipeline(train_rows, dev_rows, out, max_steps=args.max_steps, n_corrections=len(corrections))
    print(f"pipeline written to {out}")
    if not args.out and not args.corpus_only:
        print("a running helper switches to it within seconds; `linktriage evaluate` scores it")
    return 0


def stored_corrections(data_dir: Path, database: str | None = None) -> list[Example]:
    """The creator's corrections from the helper's database (the SQLite file in the data dir, or the team
    database `database` / $LINKTRIAGE_DATABASE_URL names); none when there is no SQLite file yet."""
    from helper import store

    try:
        target = store.store_target(data_dir, database)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if not isinstance(target, str) and not target.exists():
        return []
    db = store.open_for_cli(str(data_dir), database)
    with db:
        return [Example(text, bool(label), family="correction") for text, label in store.Comment.corrections() if text]
