"""The fast retrain: a base pipeline + the creator's corrections → the creator's pipeline, in seconds.

`linktriage train` rebuilds the model from scratch (minutes on two cores). A creator correcting
comments in the inbox should see the model change while they work, so this module fine-tunes instead:

1. load the **base** pipeline (the committed model, or `$LINKTRIAGE_BASE_MODEL_DIR`) — always the base,
   never the previous learned model, so every retrain is "base + all corrections" and repeated
   retrains cannot drift, and a new base (an upgrade) plus the same corrections rebuilds the model;
2. update its textcat for `steps` minibatches, each made of corrections (cycled through, every one
   under its note title and alone, as the corpus teaches) and a replay sample of the corpus the base
   learned from, so the model does not forget what it knew;
3. write it beside the destination and swap it in (a running helper never sees half a pipeline).

The replay sample is converted once and cached as a DocBin (the corpus takes seconds to read and
tokenise). A base pipeline may carry its own `replay.spacy` (the learning-curve benchmark's base,
trained without one note genre, must not replay that genre); otherwise the sample is drawn from
models/corpus and cached under `cache_dir`.

Why fine-tuning and not a separate per-creator layer: see models/README.md "Learning from corrections".
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from helper.config import MODELS_DIR
from helper.nlp.model_input import NoteContext, model_text
from helper.nlp.training import write_pipeline

REPLAY_FILE = "replay.spacy"  # a base pipeline's own replay sample (optional)
REPLAY_SIZE = 3000  # corpus examples replayed (a seeded sample); ~0.3 s to load from the cache
STEPS = 120  # minibatch updates; ~25 ms each on two cores
CORRECTIONS_PER_BATCH = 16
# A little replay per step: enough that one-sided corrections (only "not a request") do not drag every
# score down, little enough that the corrections win (models/README.md "Learning from corrections").
REPLAY_PER_BATCH = 4
DROPOUT = 0.1
LEARN_RATE = 0.001
SEED = 17615


@dataclass(frozen=True)
class Correction:
    """One comment the creator labelled by hand: its text, the truth, and the note it sits under."""

    text: str
    label: bool
    note_title: str = ""


def base_model_dir() -> Path:
    """The pipeline corrections are learned on top of: $LINKTRIAGE_BASE_MODEL_DIR or the committed one."""
    from helper.config import base_model_dir as configured

    return configured()


def read_meta(model_dir: Path) -> dict:
    """The pipeline's meta.json (empty when missing or unreadable)."""
    try:
        return json.loads((Path(model_dir) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def model_version_of(model_dir: Path) -> str:
    return str((read_meta(model_dir).get("linktriage") or {}).get("model_version") or "")


def corrections_digest(corrections: list[Correction]) -> str:
    digest = hashlib.sha1()
    for c in corrections:
        digest.update(f"{c.text}\x1f{int(c.label)}\x1f{c.note_title}\x1e".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:8]


# -- the replay sample ---------------------------------------------------------------------------
def corpus_stamp(corpus_dir: Path) -> str:
    """Changes when any corpus file changes (names, sizes, mtimes): the cached sample is then redrawn."""
    digest = hashlib.sha1()
    for path in sorted(Path(corpus_dir).rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(corpus_dir)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:10]


def replay_docs(nlp, base_dir: Path, cache_dir: Path | None, size: int = REPLAY_SIZE):
    """Docs with cats of the corpus sample to replay: the base's own replay.spacy, else a seeded sample
    of models/corpus (cached in cache_dir by corpus stamp and size)."""
    from spacy.tokens import DocBin

    own = Path(base_dir) / REPLAY_FILE
    if own.is_file():
        return list(DocBin().from_disk(own).get_docs(nlp.vocab))
    corpus_dir = MODELS_DIR / "corpus"
    cached = Path(cache_dir) / f"replay-{corpus_stamp(corpus_dir)}-{size}.spacy" if cache_dir else None
    if cached is not None and cached.is_file():
        return list(DocBin().from_disk(cached).get_docs(nlp.vocab))
    from helper.nlp import corpus

    rows = corpus.load_corpus(corpus_dir)
    docbin = write_replay(nlp, rows, size)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("replay-*.spacy"):
            old.unlink(missing_ok=True)
        tmp = cached.with_suffix(".tmp")
        docbin.to_disk(tmp)
        tmp.replace(cached)
    return list(docbin.get_docs(nlp.vocab))


def write_replay(nlp, rows, size: int = REPLAY_SIZE, path: Path | None = None):
    """A DocBin of a seeded sample of corpus Examples (helper.nlp.corpus.Example), written to `path` if given."""
    from spacy.tokens import DocBin

    rng = random.Random(SEED)
    sample = rows if len(rows) <= size else rng.sample(rows, size)
    docbin = DocBin(store_user_data=False)
    for row in sample:
        text = model_text(row.text, row.context)
        if not text:
            continue
        doc = nlp.make_doc(text)
        doc.cats = {"REQUEST": float(row.label), "OTHER": float(not row.label)}
        docbin.add(doc)
    if path is not None:
        docbin.to_disk(path)
    return docbin


# -- the retrain ---------------------------------------------------------------------------------
def correction_examples(nlp, corrections: list[Correction]):
    """spaCy Examples of the corrections: each under its note title (when known) and alone."""
    from spacy.training import Example

    out = []
    for c in corrections:
        contexts = [NoteContext(c.note_title), None] if c.note_title.strip() else [None]
        for context in contexts:
            text = model_text(c.text, context)
            if not text:
                continue
            doc = nlp.make_doc(text)
            out.append(Example.from_dict(doc, {"cats": {"REQUEST": float(c.label), "OTHER": float(not c.label)}}))
    return out


def learn(corrections: list[Correction], out_dir: Path, *, base_dir: Path | None = None,
          cache_dir: Path | None = None, steps: int = STEPS, replay_size: int = REPLAY_SIZE,
          learn_rate: float = LEARN_RATE, corrections_per_batch: int = CORRECTIONS_PER_BATCH,
          replay_per_batch: int = REPLAY_PER_BATCH) -> dict:
    """Fine-tune the base pipeline on the corrections and write it to out_dir; returns its meta
    (`linktriage` part) with `seconds` added. With no corrections the base is copied as it is."""
    import spacy
    from spacy.training import Example

    import helper.nlp.tokenizer  # noqa: F401  registers the tokenizer for spacy.load

    started = time.perf_counter()
    base_dir = Path(base_dir) if base_dir is not None else base_model_dir()
    out_dir = Path(out_dir)
    nlp = spacy.load(base_dir)
    base_meta = dict(nlp.meta.get("linktriage") or {})
    examples = correction_examples(nlp, corrections)
    if examples and steps > 0:
        replay = [] if replay_size <= 0 else [
            Example.from_dict(d, {"cats": d.cats}) for d in replay_docs(nlp, base_dir, cache_dir, replay_size) if len(d)]
        rng = random.Random(SEED)
        optimizer = nlp.resume_training()
        optimizer.learn_rate = learn_rate
        order: list = []
        disabled = [name for name in nlp.pipe_names if name != "textcat"]
        with nlp.select_pipes(disable=disabled):
            for _ in range(steps):
                while len(order) < corrections_per_batch:
                    order += rng.sample(examples, len(examples))  # cycle through every correction evenly
                batch = order[:corrections_per_batch]
                del order[:corrections_per_batch]
                if replay:
                    batch = batch + rng.sample(replay, min(replay_per_batch, len(replay)))
                nlp.update(batch, sgd=optimizer, drop=DROPOUT)
    stamp = datetime.now(timezone.utc)
    base_version = str(base_meta.get("model_version") or "base")
    digest = corrections_digest(corrections)
    meta = {
        **base_meta,
        "model_version": f"{base_version}+{len(corrections)}c-{digest}" if corrections else base_version,
        "trained_at": stamp.isoformat(timespec="seconds"),
        "corrections": len(corrections),
        "base_model_version": base_version,
        "base_trained_at": base_meta.get("trained_at"),
        "learned": {"steps": steps if examples else 0, "replay": replay_size, "learn_rate": learn_rate,
                    "corrections_digest": digest},
    }
    nlp.meta["linktriage"] = meta
    write_pipeline(nlp, out_dir)
    return {**meta, "seconds": round(time.perf_counter() - started, 2)}


