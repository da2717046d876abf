"""Measure tokenizer choices for the link-request model: dev F1, speed, load time.

Trains the same TextCatBOW config on the same corpus with each tokenizer, then scores the shared
real dev comments (read at run time, never stored) and times tokenisation and the full pipeline.

    .venv/bin/python models/compare_tokenizers.py [mixed char jieba] [--ngram N] [--steps N] [--data FILE]

jieba is optional: install it somewhere outside the project (pip install --target DIR jieba) and
put DIR on PYTHONPATH; it is not a dependency of LinkTriage.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from helper.nlp import corpus, evaluation, training
from helper.nlp.classifier import Classifier
from helper.nlp.normalize import normalize_text

MODELS = Path(__file__).resolve().parent
# The shared labelled comments beside a checkout (read at run time, never stored).
SHARED_DEV = MODELS.parent.parent / "shared" / "data" / "real-comments" / "dev.jsonl"
MIXED_BLOCK = '[nlp.tokenizer]\n@tokenizers = "linktriage.MixedTokenizer.v1"'
ZH_BLOCK = '[nlp.tokenizer]\n@tokenizers = "spacy.zh.ChineseTokenizer"\nsegmenter = "{segmenter}"'


def variant_config(name: str, ngram: int, tmp: Path) -> tuple[Path, object]:
    text = (MODELS / "config.cfg").read_text(encoding="utf-8")
    text = re.sub(r"ngram_size = \d+", f"ngram_size = {ngram}", text)
    if name == "mixed":
        nlp = training.blank_nlp()
    else:
        text = text.replace('lang = "xx"', 'lang = "zh"').replace(MIXED_BLOCK, ZH_BLOCK.format(segmenter=name))
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": name}}})
    path = tmp / f"{name}.cfg"
    path.write_text(text, encoding="utf-8")
    return path, nlp


def per_second(model_dir: Path, texts: list[str], whole_pipeline: bool, rounds: int = 5) -> float:
    """Median docs/s over several passes after one warm-up pass (as a long-running helper sees it)."""
    nlp = spacy.load(model_dir)

    def one_pass() -> float:
        start = time.perf_counter()
        if whole_pipeline:
            for _ in nlp.pipe(texts, batch_size=1000):
                pass
        else:
            for text in texts:
                nlp.make_doc(text)
        return len(texts) / (time.perf_counter() - start)

    one_pass()
    return statistics.median(one_pass() for _ in range(rounds))


def load_seconds(model_dir: Path) -> float:
    """Fresh interpreter: import + spacy.load + one comment, as a cold `classify` would pay."""
    code = ("import time; t=time.perf_counter(); from helper.nlp.classifier import load_classifier; "
            f"load_classifier({str(model_dir)!r}).scores(['求链接']); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variants", nargs="*", default=["mixed", "char", "jieba"])
    parser.add_argument("--ngram", type=int, default=3)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--data", type=Path, default=SHARED_DEV, help=f"labelled comments (default {SHARED_DEV})")
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"needs labelled comments (the shared dev.jsonl) at {args.data}")
    rows = [r for r in evaluation.load_rows(args.data) if not r["ambiguous"]]
    texts = [t for t in (normalize_text(r["text"]) for r in rows) if t]
    train_rows, dev_rows = corpus.split_examples(corpus.load_corpus(training.CORPUS_DIR), training.DEV_SHARE)
    print(f"{'tokenizer':<8} {'ngram':>5} {'F1 zh':>6} {'F1 en':>6} {'F1 all':>6} {'tok/s':>8} {'pipe/s':>8} {'cold s':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in args.variants:
            config, nlp = variant_config(name, args.ngram, tmp)
            out = training.train_pipeline(train_rows, dev_rows, tmp / name, max_steps=args.steps,
                                          config_path=config, nlp=nlp)
            clf = Classifier(spacy.load(out))
            pred = [s >= clf.threshold for s in clf.scores([r["text"] for r in rows])]
            f1 = {}
            for lang in ("zh", "en", None):
                idx = [i for i, r in enumerate(rows) if lang is None or r["lang"] == lang]
                f1[lang] = evaluation.prf([rows[i]["label"] for i in idx], [pred[i] for i in idx])["f1"]
            tok = per_second(out, texts, whole_pipeline=False)
            pipe = per_second(out, texts, whole_pipeline=True)
            cold = load_seconds(out) if name == "mixed" else float("nan")
            print(f"{name:<8} {args.ngram:>5} {f1['zh']:>6.3f} {f1['en']:>6.3f} {f1[None]:>6.3f} "
                  f"{tok:>8.0f} {pipe:>8.0f} {cold:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
