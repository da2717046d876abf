"""Texts to benchmark on.

- `never_repeating_comments`: the classify headline. Real feeds hardly ever repeat a whole comment, so
  every line here is a text no other line has (the verdict caches never answer), built from our own
  corpus (models/corpus): each corpus comment once as written, then recombined with another short
  corpus clause. Like the extension's traffic, some lines carry their note's title (the model reads it)
  and some are replies carrying the comment they answer (`parent_text`, the thread rule scores it too).
- `bench_texts`: plain texts for the helper and memory measures and the cache-hit line.
"""

from __future__ import annotations

import random

from benchmarks import CORPUS_DIR, SHARED_DEV

SEED = 20261201
NOTE_TITLE_SHARE = 0.5  # how many lines send their note's title (the page's note, or the corpus row's own)
NOTE_DESC_SHARE = 0.15
PARENT_SHARE = 0.15  # of the other lines, how many are sent as replies to a random comment
COMMENTS_PER_NOTE = 40  # consecutive lines share a note id, as a page's comments do
SEPARATORS = ("，", " ", "。", "！", "～", "", "...", "[笑哭r]")
SHORT_CLAUSE_CHARS = 10


def never_repeating_comments(count: int, seed: int = SEED) -> list[dict]:
    """`count` comment dicts for `linktriage classify` / `Analyzer.analyze`, no two with the same text
    (nor the same text, note and parent), from models/corpus only (never the shared real comments)."""
    from helper.nlp.corpus import read_jsonl, read_notes

    corpus = CORPUS_DIR
    rng = random.Random(seed)
    # (text, note context or None, parent text or "")
    bases: list[tuple] = [(c.text, c.note, c.parent if c.kind == "reply" else "")
                          for c in read_notes(corpus / "notes") if c.kind != "author"]
    for path in sorted(corpus.glob("*.jsonl")):
        bases.extend((row.text, row.context, "") for row in read_jsonl(path))
    if not bases:
        raise SystemExit("bench: no corpus under models/corpus to build texts from")
    clauses = sorted({t for t, _, _ in bases if 1 < len(t) <= SHORT_CLAUSE_CHARS})
    parents = [t for t, _, _ in bases if len(t) <= 40]
    notes = sorted({note for _, note, _ in bases if note is not None and note.title}, key=lambda n: (n.title, n.desc))
    rng.shuffle(bases)

    seen: set[str] = set()
    out: list[dict] = []
    position = 0
    while len(out) < count:
        text, note, parent = bases[position % len(bases)]
        position += 1
        if text in seen:  # recombine: the same opening with a clause it never had
            for _ in range(20):
                clause = rng.choice(clauses)
                candidate = f"{text}{rng.choice(SEPARATORS)}{clause}" if rng.random() < 0.7 else f"{clause}{rng.choice(SEPARATORS)}{text}"
                if candidate not in seen:
                    text = candidate
                    break
            else:
                continue
        seen.add(text)
        n = len(out)
        comment = {"id": f"c{n}", "text": text, "author": f"用户{n % 997}",
                   "note_id": f"n{n // COMMENTS_PER_NOTE}"}
        if (note is None or not note.title) and notes:  # a templated row sits under the page's note
            note = notes[(n // COMMENTS_PER_NOTE) * 7919 % len(notes)]
        if note is not None and note.title and rng.random() < NOTE_TITLE_SHARE:
            comment["note_title"] = note.title
            if note.desc and rng.random() < NOTE_DESC_SHARE / NOTE_TITLE_SHARE:
                comment["note_desc"] = note.desc
        if not parent and rng.random() < PARENT_SHARE:
            parent = rng.choice(parents)
        if parent:
            comment["parent_text"] = parent
        out.append(comment)
    return out


def bench_texts() -> tuple[list[str], str]:
    # Only dev.jsonl: the blind set stays unread so nobody is tempted to tune on it.
    from helper.nlp.corpus import load_corpus
    from helper.nlp.evaluation import load_rows

    if SHARED_DEV.exists():
        return [r["text"] for r in load_rows(SHARED_DEV)], "shared real comments (dev.jsonl)"
    texts = [row.text for row in load_corpus(CORPUS_DIR) if row.text]
    if not texts:
        raise SystemExit("no texts: neither ../shared/data/real-comments nor models/corpus/*.jsonl is present")
    return texts, "training corpus (models/corpus)"


def labelled_dev() -> list[dict] | None:
    """Labelled, unambiguous dev rows for the F1 beside the speed, or None without the shared folder."""
    from helper.nlp.evaluation import load_rows

    if not SHARED_DEV.exists():
        return None
    return [r for r in load_rows(SHARED_DEV) if not r["ambiguous"]]
