"""`linktriage train`: retrain the link-request pipeline from the corpus plus the creator's corrections.

convert (corpus jsonl → normalised spaCy DocBins) → `spacy train` with models/config.cfg (fixed seed)
→ the pipeline written to --out (default: DATA_DIR/pipeline, which the helper prefers over the
committed model; with --corpus-only, models/pipeline itself). A comment the creator marked "not a
request" or "missed" becomes a training example, repeated so that a handful of corrections can
outweigh thousands of synthetic rows.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from helper.config import MODELS_DIR
from helper.errors import UserError

CORPUS_DIR = MODELS_DIR / "corpus"
CONFIG_PATH = MODELS_DIR / "config.cfg"
# Explicit link asks the learned model may score just under the line (helper/nlp/ask_rules.py);
# saved into the pipeline as its last component.
RULES_PATH = MODELS_DIR / "ask_rules.json"
DEV_SHARE = 0.15
CORRECTION_WEIGHT = 5
# The corpus is about one third requests; under a real note far fewer comments are (about one in
# seven in the labelled sample, which was enriched with buying words, fewer in a raw feed). The
# classifier corrects the model's posterior for that prior shift (meta "logit_shift") instead of
# re-sampling the corpus, so a score is a probability under the real prior and 0.5 stays the line.
REQUEST_PRIOR = 0.15


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


def run(args) -> int:
    from helper.config import DEFAULT_MODEL_DIR, own_model_dir, resolve_data_dir

    rows = corpus_rows()
    if not rows:
        raise UserError(f"no training corpus in {CORPUS_DIR} (run models/generate_corpus.py)")
    train_rows, dev_rows = split_rows(rows)
    data_dir = resolve_data_dir(args.data_dir)
    corrections = [] if args.corpus_only else stored_corrections(data_dir)
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


def corpus_rows(corpus_dir: Path = CORPUS_DIR) -> list[tuple[str, bool]]:
    """Every (text, label) in corpus_dir/*.jsonl ({"text", "label"} per line)."""
    rows = []
    for path in sorted(Path(corpus_dir).glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    rows.append((row["text"], bool(row["label"])))
    return rows


def split_rows(rows, dev_share: float = DEV_SHARE):
    """Deterministic train/dev split by a hash of the normalised text (a text never lands in both)."""
    from helper.nlp.normalize import normalize_text

    train, dev = [], []
    for text, label in rows:
        digest = hashlib.md5(normalize_text(text).encode("utf-8")).digest()
        (dev if digest[0] < 256 * dev_share else train).append((text, label))
    return train, dev


def stored_corrections(data_dir: Path) -> list[tuple[str, bool]]:
    """The creator's corrections from the helper's database; none when there is no database yet."""
    from helper import store

    path = store.db_path(data_dir)
    if not path.exists():
        return []
    db = store.init_db(path)
    with db:
        return [(text, bool(label)) for text, label in store.Comment.corrections() if text]


def blank_nlp():
    """The untrained pipeline shell with our tokenizer, for converting text to Docs."""
    import spacy

    import helper.nlp.tokenizer  # noqa: F401  registers the tokenizer

    return spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "linktriage.MixedTokenizer.v1"}}})


def write_docbin(rows, path: Path, nlp=None) -> None:
    from spacy.tokens import DocBin

    from helper.nlp.normalize import normalize_text

    nlp = nlp or blank_nlp()
    docbin = DocBin(store_user_data=False)
    for text, label in rows:
        doc = nlp.make_doc(normalize_text(text))
        doc.cats = {"REQUEST": float(label), "OTHER": float(not label)}
        docbin.add(doc)
    docbin.to_disk(path)


def prior_shift(train_share: float, real_prior: float) -> float:
    """What to add to the model's log-odds to swap the training prior for the real one.

    The model's odds are (likelihood ratio × training odds); the real-world odds are the same
    likelihood ratio × real odds.
    """
    train_share = min(max(train_share, 1e-3), 1 - 1e-3)
    return math.log(real_prior / (1 - real_prior)) - math.log(train_share / (1 - train_share))


def train_pipeline(train_rows, dev_rows, out_dir: Path, *, max_steps: int | None = None,
                   config_path: Path = CONFIG_PATH, n_corrections: int = 0, nlp=None,
                   rules_path: Path | None = RULES_PATH) -> Path:
    """Train with spaCy's own loop and write the final pipeline (with our meta) to out_dir.

    `nlp` tokenises the training docs; it must match the config's tokenizer (default: ours).
    `rules_path` (None: no rule layer) adds the ask-rules component after the textcat.
    """
    import spacy
    from spacy.cli.train import train

    import helper.nlp.tokenizer  # noqa: F401

    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="linktriage-train-") as tmp:
        tmp = Path(tmp)
        nlp = nlp or blank_nlp()
        write_docbin(train_rows, tmp / "train.spacy", nlp)
        write_docbin(dev_rows, tmp / "dev.spacy", nlp)
        overrides = {"paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy")}
        if max_steps is not None:
            overrides.update({"training.max_steps": max_steps, "training.eval_frequency": max(1, max_steps // 2)})
        train(config_path, output_path=tmp / "out", overrides=overrides)
        trained = spacy.load(tmp / "out" / "model-last")
        rules_text = ""
        if rules_path is not None and Path(rules_path).is_file():
            from helper.nlp import ask_rules

            ask_rules.add_to(trained, rules_path)
            rules_text = Path(rules_path).read_text(encoding="utf-8")
        stamp = datetime.now(timezone.utc)
        # The version names what went in: the training rows, the config and the rules.
        recipe = json.dumps(sorted(train_rows)) + Path(config_path).read_text(encoding="utf-8") + rules_text
        corpus_hash = hashlib.sha1(recipe.encode("utf-8")).hexdigest()[:8]
        trained.meta.update(name="linktriage_request", version="1.0.0",
                            description="LinkTriage: does a comment ask where/how to buy?")
        share = sum(bool(label) for _, label in train_rows) / max(1, len(train_rows))
        trained.meta["linktriage"] = {
            "threshold": 0.5,
            "logit_shift": round(prior_shift(share, REQUEST_PRIOR), 4),
            "train_request_share": round(share, 4),
            "request_prior": REQUEST_PRIOR,
            "model_version": f"request-{stamp:%Y%m%d}-{corpus_hash}",
            "trained_at": stamp.isoformat(timespec="seconds"),
            "train_examples": len(train_rows),
            "dev_examples": len(dev_rows),
            "corrections": n_corrections,
        }
        # Write beside the target, then swap, so a running helper never sees half a pipeline.
        staging = out_dir.with_name(out_dir.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        trained.to_disk(staging)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    return out_dir
