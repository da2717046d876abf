"""A fast tokenizer for mixed Chinese / English / emoji comments, registered for spaCy configs.

Why not the blank Chinese pipeline: its `char` segmenter splits "link" into l-i-n-k, and jieba costs
over a second to load and is slower per comment. Here spaCy's own Cython tokenizer with one infix regex
does it: each CJK character is a token (a BOW over char n-grams then sees 求链, 链接, 哪里买), ASCII/Latin words and numbers stay
whole, an XHS code like [哭惹r] is one token, every emoji and punctuation mark is its own token.

`spacy.load(models/pipeline)` needs this module imported first: it registers the names the
pipeline's config.cfg uses (this tokenizer, via helper.nlp.bow the classifier architecture, via
helper.nlp.ask_rules the rule layer after it);
`helper.nlp.classifier` does that.
"""

from __future__ import annotations

import re

import spacy
from spacy.tokenizer import Tokenizer
from spacy.util import registry

import helper.nlp.ask_rules  # noqa: F401  registers the linktriage_ask_rules component (pipeline's rule layer)
import helper.nlp.bow  # noqa: F401  registers linktriage.TextCatBOW.v1, the other name in config.cfg
from helper.nlp.model_input import NOTE_MARK, XHS_CODE
from helper.vocab import CJK_RANGE as _CJK

# Inside each whitespace-separated chunk, these become tokens of their own; what lies between them
# (Latin words, numbers) stays whole.
_INFIX = re.compile(
    rf"{XHS_CODE}"  # XHS emoji code: [哭惹r], [doge]
    rf"|[{_CJK}]"  # one CJK character
    r"|[^\w\s]"  # emoji, punctuation: one char each
)

_PREFIX = re.compile("^(?:" + _INFIX.pattern + ")")
_NOTE_TOKEN = re.compile(re.escape(NOTE_MARK) + r"\S+")


class MixedTokenizer:
    """Callable text → Doc; expects `helper.nlp.normalize.normalize_text` output.

    Wraps spaCy's Cython Tokenizer (whitespace split + our infix rule), which is ~4× faster than
    building Docs from a Python word list and caches repeated chunks.
    """

    def __init__(self, vocab):
        self.vocab = vocab
        # spaCy ignores an infix at the very start of a chunk ("¿dónde"), so the same rule also
        # serves as a prefix.
        # A note-context token (¶旅, ¶¶sells; helper/nlp/model_input.py) stays one token, so the
        # note's words never share features with the comment's own.
        self._tokenizer = Tokenizer(vocab, prefix_search=_PREFIX.search, infix_finditer=_INFIX.finditer,
                                    token_match=_NOTE_TOKEN.match)

    def __call__(self, text: str):
        return self._tokenizer(text)

    def pipe(self, texts, batch_size=1000):
        return self._tokenizer.pipe(texts, batch_size=batch_size)

    # Nothing to learn: the tokenizer is fully defined by the regex above. spaCy still calls these;
    # the marker file keeps the folder in git (empty folders are not committed).
    def to_disk(self, path, **kwargs):
        path.mkdir(parents=True, exist_ok=True)
        (path / "tokenizer.txt").write_text("linktriage.MixedTokenizer.v1: no state; see helper/nlp/tokenizer.py\n")

    def from_disk(self, path, **kwargs):
        return self

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self


@registry.tokenizers("linktriage.MixedTokenizer.v1")
def create_mixed_tokenizer():
    def make(nlp: spacy.Language) -> MixedTokenizer:
        return MixedTokenizer(nlp.vocab)

    return make
