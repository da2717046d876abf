"""A fast tokenizer for mixed Chinese / English / emoji comments, registered for spaCy configs.

Why not the blank Chinese pipeline: its `char` segmenter splits "link" into l-i-n-k, and jieba costs
over a second to load and is slower per comment. Here one compiled regex does it: each CJK character
is a token (a BOW over char n-grams then sees 求链, 链接, 哪里买), ASCII/Latin words and numbers stay
whole, an XHS code like [哭惹r] is one token, every emoji and punctuation mark is its own token.

`spacy.load(models/pipeline)` needs this module imported first (the registry entry is the name in
the pipeline's config.cfg); `helper.nlp.classifier` does that.
"""

from __future__ import annotations

import re

import spacy
from spacy.tokens import Doc
from spacy.util import registry

_TOKEN = re.compile(
    r"\[[^\[\]\s]{1,10}\]"  # XHS emoji code: [哭惹r], [doge]
    r"|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]"  # CJK, kana, hangul: one char
    r"|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+"  # Latin words, numbers
    r"|\S",  # emoji, punctuation: one char each
)


class MixedTokenizer:
    """Callable text → Doc; expects `helper.nlp.normalize.normalize_text` output."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = [], []
        for match in _TOKEN.finditer(text):
            if words and match.start() > end:
                spaces[-1] = True
            words.append(match.group())
            spaces.append(False)
            end = match.end()
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

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
