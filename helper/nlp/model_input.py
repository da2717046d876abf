"""What the link-request model reads: the comment, cleaned of noise, and the note it sits under.

Training (`helper.nlp.training`) and scoring (`helper.nlp.classifier`) both build the model's text
here, so the two can never drift apart.

- **Noise** says nothing about buying and must not flip a verdict: markup debris (`<img …>`), URLs,
  @mentions, formula prefixes (`=`, `+`, `-` at the start), long runs of one emoji. They are removed or
  folded before the model sees the comment ("<img src=x>外套链接" reads as "外套链接").
- **Note context**: whether "两人价格" asks to buy depends on whether the note sells a tour. The note
  never adds evidence by itself (that taught the model a bias per note); it changes how a price,
  booking, contact, place, stock or date question reads. For each such question in the comment, one
  conjunction token says what the note is: from whether it sells (catalog products linked to it,
  product cards on its page) when known, and from its title's words (helper/nlp/context_cues.py).
  Tokens start with `NOTE_MARK`, which the tokenizer keeps whole and a comment can never contain.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from helper.nlp.context_cues import cue_classes, title_kind
from helper.nlp.normalize import normalize_text

NOTE_MARK = "¶"
# An XHS emoji code ([哭惹r], [doge]): one token for the tokenizers, decoration for the thread rule.
XHS_CODE = r"\[[^\[\]\s]{1,10}\]"
_SELLS_STATE = {True: "sells", False: "nosell"}

_MARKUP = re.compile(r"<[^<>]{0,300}>")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef]+")  # on normalised (lower-case) text
# A mention is "@name" followed by a space (how the site renders it), or a last word of its own; without
# that boundary we cannot tell where the name stops, so "@小鱼求链接" is left alone.
_MENTION = re.compile(r"@[^\s@]{1,24}(?=\s)|(?<=\s)@[^\s@]{1,24}$")
_FORMULA_PREFIX = re.compile(r"^[=+\-\s]+(?=\S)")  # "@" starts a mention here, handled above
_REPEAT_RUN = re.compile(r"(\S)\1\1+")  # 🔥🔥🔥🔥 → 🔥🔥 (CJK 哈哈哈 is folded the same way)


class NoteContext(NamedTuple):
    """What the model may know about the note a comment sits under; every field is optional.

    A named tuple, not a dataclass: one is built and hashed (the score cache's key) for every comment
    under a known note, and a tuple does both in C."""

    title: str = ""
    desc: str = ""
    sells: bool | None = None  # None: unknown (no catalog, no product cards seen)

    @classmethod
    def of(cls, comment: dict) -> "NoteContext | None":
        """The context carried by a comment dict (`note_title`, `note_desc`, `note_sells`), or None."""
        title = comment.get("note_title") or ""
        desc = comment.get("note_desc") or ""
        sells = comment.get("note_sells")
        if not isinstance(title, str):
            title = ""
        if not isinstance(desc, str):
            desc = ""
        if sells not in (True, False):
            sells = None
        if not (title.strip() or desc.strip()) and sells is None:
            return None
        return cls(title, desc, sells)


@lru_cache(maxsize=8192)
def clean_comment(text: str) -> str:
    """The normalised comment without the noise described above.

    Remembered for the last few thousand texts: within a batch the thread rule (is_echo) and the model
    input clean the same comment, and a batch is at most a few hundred comments."""
    text = normalize_text(text)
    if not text:
        return ""
    if "<" in text:
        text = _MARKUP.sub(" ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" url ", text)
    if "@" in text:
        text = _MENTION.sub("@", text)
    if text[:1] in ("=", "+", "-"):
        text = _FORMULA_PREFIX.sub("", text)
    if _REPEAT_RUN.search(text):  # most comments have no run: a search is half a sub's cost
        text = _REPEAT_RUN.sub(r"\1\1", text)
    if NOTE_MARK in text:  # the comment must never forge note tokens
        text = text.replace(NOTE_MARK, " ")
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def _note_kind(title: str, desc: str) -> str | None:
    # Notes repeat for every comment under them, so this runs once per note, not per comment.
    return title_kind(normalize_text(f"{title} {desc}")) if (title or desc) else None


def note_tokens(context: NoteContext | None, comment: str) -> str:
    """The conjunction tokens for a cleaned comment under this note ("" when nothing applies)."""
    return _cue_tokens(_note_states(context), comment)


def _note_states(context: NoteContext | None) -> list[str]:
    """What the note is, as the tokens' first halves ("sells", "tdiary"...); [] when unknown."""
    if context is None:
        return []
    states = []
    if context.sells is not None:
        states.append(_SELLS_STATE[context.sells])
    kind = _note_kind(context.title or "", context.desc or "")
    if kind is not None:
        states.append("t" + kind)
    return states


def _cue_tokens(states: list[str], comment: str) -> str:
    if not states:
        return ""
    cues = cue_classes(comment)
    if not cues:  # most comments ask nothing whose meaning depends on the note
        return ""
    return " ".join([f"{NOTE_MARK * 2}{state}:{cue}" for state in states for cue in cues])


_CLAUSE_END = re.compile(r"[，,。.!！?？;；~～…\n]+")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\]]) +(?=[\u3400-\u9fff\[])")  # a space between Chinese clauses
MAX_CLAUSES = 8


def clause_texts(text: str, context: NoteContext | None = None, max_chars: int | None = None) -> list[str]:
    """The model's text for each clause of a comment with several ("" list for one clause).

    A bag of n-grams sums evidence over the whole comment, so one short ask inside a long review
    ("翻译得很不错，很快速，大概多少钱？北美买得到吗") drowns in the praise around it. Scoring each clause too,
    and keeping the highest, lets the ask speak for itself.
    """
    comment = clean_comment(text)
    if max_chars is not None:
        comment = comment[:max_chars]
    pieces = [p.strip() for part in _CLAUSE_END.split(comment) for p in _CJK_SPACE.split(part)]
    pieces = [p for p in pieces if len(p) >= 2]
    if len(pieces) < 2:
        return []
    states = _note_states(context)
    # A clause's cues are among its comment's (a cue found in a piece is found in the whole, the pieces
    # being cut at punctuation or spaces): a comment without any spares each clause the search.
    if states and not cue_classes(comment):
        states = []
    out = []
    for piece in pieces[:MAX_CLAUSES]:
        extra = _cue_tokens(states, piece)
        out.append(f"{piece} {extra}" if extra else piece)
    return out


def model_text(text: str, context: NoteContext | None = None, max_chars: int | None = None) -> str:
    """The string the model is trained on and scores: clean comment (its first `max_chars`
    characters), then the note's tokens."""
    comment = clean_comment(text)
    if max_chars is not None:
        comment = comment[:max_chars]
    if not comment:
        return ""  # nothing to judge; the note alone never makes a request
    extra = note_tokens(context, comment)
    return f"{comment} {extra}" if extra else comment
