"""The training corpus, read from models/corpus: what the link-request model learns from.

Three sources, each documented (with licences) in models/README.md:

- `notes/*.txt` — hand-written comments under hand-written notes, one file per note genre. The
  format (a parser reads it, people write it):

      @genre tours_services
      @note 大理洱海3天2晚纯玩小团｜可接机
      @desc 6人精品小团 含酒店和接送机
      @sells yes
      1 两个人多少钱
      0 > 洱海真的好美               (a reply under the comment above, by another user)
      0 >author 已私你啦              (the note's author replying: always an answer)

- `*.jsonl` — `{"text", "label", "family"}` rows: the templated corpus (`generated.jsonl`, written by
  models/generate_corpus.py) and licensed real non-request text (`real_negatives.jsonl`,
  models/real_text.py). Optional `note_title` / `note_desc` / `note_sells` give a row a note.

A hand-written comment becomes three training examples: under its full note (title, description,
whether it sells), under its title alone (what a caller that knows only the title sends), and alone
(no note known) — so the model uses the note when it has one and still works without it. An echo
reply ("同求" under a request) is left to the thread rule (helper/nlp/threads.py), not the model.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from helper.nlp.model_input import NoteContext, clean_comment

# The templated families multiply a few skeletons into thousands of rows; capped per family so they
# add coverage (typos, explicit-ask variants, many languages) without outvoting the hand-written notes
# (each family keeps a seeded sample). Held-out-genre F1 at the best operating point: cap 400 → 0.889,
# cap 150 → 0.894, the same within noise: the cap barely matters for unseen genres. But a family of
# fixed phrases (bare asks, connect-lookalikes like 耳机怎么连接手机) holds one lesson per phrase, and at
# 150-300 rows those lessons thinned out, so 600. Bare fragments (≤ SHORT_CHARS: 同问, 蹲, 求链接, +1)
# are the commonest real comments: never capped away.
TEMPLATE_FAMILY_CAP = 600
SHORT_CHARS = 4
# Share of templated rows shown under a random note's title (no "sells" token): note words then
# appear with both labels and do not stand for "hand-written row".
TEMPLATE_NOTE_SHARE = 0.25
SEED = 17615
# The same comment (and label) under more notes than this adds nothing but weight on its words.
MAX_TEXT_REPEATS = 3


@dataclass(frozen=True)
class Example:
    text: str
    label: bool
    context: NoteContext | None = None
    genre: str = ""  # the note genre of a hand-written row; "" for templated and real rows
    family: str = ""  # template family, real-text source, or "notes:<kind>"


@dataclass(frozen=True)
class NoteComment:
    """One labelled line of a notes file, with the note it sits under."""

    genre: str
    note: NoteContext
    text: str
    label: bool
    kind: str  # "top", "reply" (another user under the last top comment) or "author"
    parent: str = ""  # the top-level comment a reply answers
    parent_label: bool | None = None
    where: str = ""  # file:line, for error messages and the audit


class CorpusError(ValueError):
    pass


_LINE = re.compile(r"([01]) (>author |> )?(.*\S)\s*$")


def read_notes_file(path: Path) -> list[NoteComment]:
    genre, title, desc, sells = path.stem, "", "", None
    parent, parent_label = "", None
    out: list[NoteComment] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{path.name}:{number}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("@genre "):
            genre = line[7:].strip()
        elif line.startswith("@note "):
            title, desc, sells, parent, parent_label = line[6:].strip(), "", None, "", None
        elif line.startswith("@desc "):
            desc = line[6:].strip()
        elif line.startswith("@sells "):
            value = line[7:].strip()
            if value not in ("yes", "no"):
                raise CorpusError(f"{where}: @sells takes yes or no, not {value!r}")
            sells = value == "yes"
        elif match := _LINE.match(line):
            if not title:
                raise CorpusError(f"{where}: a comment before the first @note")
            label, marker, text = match.group(1) == "1", (match.group(2) or "").strip(), match.group(3)
            note = NoteContext(title, desc, sells)
            if marker == "":
                out.append(NoteComment(genre, note, text, label, "top", where=where))
                parent, parent_label = text, label
            else:
                kind = "author" if marker == ">author" else "reply"
                if kind == "author" and label:
                    raise CorpusError(f"{where}: the author's own reply is an answer, label 0")
                out.append(NoteComment(genre, note, text, label, kind, parent, parent_label, where))
        else:
            raise CorpusError(f"{where}: cannot read {line[:60]!r}")
    return out


def read_notes(notes_dir: Path) -> list[NoteComment]:
    rows: list[NoteComment] = []
    for path in sorted(Path(notes_dir).glob("*.txt")):
        rows.extend(read_notes_file(path))
    return rows


def json_lines(path: Path):
    """(line number, text) for each non-blank line of a JSONL file."""
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                yield number, line


def read_jsonl(path: Path) -> list[Example]:
    rows = []
    for number, line in json_lines(path):
        try:
            row = json.loads(line)
            rows.append(Example(str(row["text"]), bool(row["label"]), NoteContext.of(row),
                                str(row.get("genre") or ""), str(row.get("family") or path.stem)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CorpusError(f"{path.name}:{number}: not a corpus row ({exc})") from None
    return rows


def note_examples(comments: list[NoteComment], max_repeats: int = MAX_TEXT_REPEATS) -> list[Example]:
    """Each hand-written comment under its full note, its title alone, and no note (see above)."""
    from helper.nlp.threads import is_echo

    out = []
    seen: dict[tuple[str, bool], int] = defaultdict(int)
    for c in comments:
        if c.kind == "reply" and is_echo(c.text):
            continue  # its label is its parent's: the thread rule's job, not the model's
        key = (clean_comment(c.text), c.label)
        seen[key] += 1
        if seen[key] > max_repeats:
            continue  # a stock phrase written under many notes would teach its words, not the genre
        family = f"notes:{c.kind}"
        for context in (c.note, NoteContext(c.note.title), None):
            out.append(Example(c.text, c.label, context, c.genre, family))
    return out


def capped_templates(rows: list[Example], cap: int = TEMPLATE_FAMILY_CAP, seed: int = SEED) -> list[Example]:
    by_family: dict[str, list[Example]] = defaultdict(list)
    for row in rows:
        by_family[row.family].append(row)
    rng = random.Random(seed)
    out = []
    for family in sorted(by_family):
        members = by_family[family]
        if len(members) <= cap:
            out.extend(members)
            continue
        short = [r for r in members if len(clean_comment(r.text)) <= SHORT_CHARS]
        longer = [r for r in members if len(clean_comment(r.text)) > SHORT_CHARS]
        out.extend(short + rng.sample(longer, max(0, min(len(longer), cap - len(short)))))
    return out


def with_random_notes(rows: list[Example], notes: list[NoteContext], share: float = TEMPLATE_NOTE_SHARE,
                      seed: int = SEED) -> list[Example]:
    if not notes:
        return rows
    rng = random.Random(seed + 1)
    return [replace(r, context=NoteContext(n.title, n.desc)) if rng.random() < share and (n := rng.choice(notes))
            else r for r in rows]


def load_corpus(corpus_dir: Path, *, template_cap: int | None = TEMPLATE_FAMILY_CAP) -> list[Example]:
    """Every training example in corpus_dir (see the module docstring)."""
    corpus_dir = Path(corpus_dir)
    notes = read_notes(corpus_dir / "notes") if (corpus_dir / "notes").is_dir() else []
    templated, real = [], []
    for path in sorted(corpus_dir.glob("*.jsonl")):
        (templated if path.name == "generated.jsonl" else real).extend(read_jsonl(path))
    if template_cap is not None:
        templated = capped_templates(templated, template_cap)
    contexts = sorted({c.note for c in notes}, key=lambda n: (n.title, n.desc))
    templated = with_random_notes(templated, contexts)
    return note_examples(notes) + templated + real


def split_key(example: Example) -> str:
    """Rows of one comment (its note variants) share a key, so they land on one side of a split."""
    return clean_comment(example.text)


def split_examples(rows: list[Example], dev_share: float):
    """Deterministic train/dev split by a hash of the cleaned comment (never the same text on both)."""
    train, dev = [], []
    for row in rows:
        digest = hashlib.md5(split_key(row).encode("utf-8")).digest()
        (dev if digest[0] < 256 * dev_share else train).append(row)
    return train, dev


def genres(rows: list[Example]) -> list[str]:
    return sorted({r.genre for r in rows if r.genre})
