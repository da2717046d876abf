"""HashedBOW: the textcat's scores without a Doc per comment must equal nlp.pipe's to the last bit."""

import random

import pytest

from helper.config import REPO_ROOT
from helper.nlp.corpus import read_jsonl, read_notes
from helper.nlp.hashed_bow import HashedBOW, tokens
from helper.nlp.model_input import NoteContext, model_text
from helper.nlp.tokenizer import MixedTokenizer

CORPUS = REPO_ROOT / "models" / "corpus"


def _model_texts(limit: int) -> list[str]:
    """What the classifier really scores: cleaned comments, some with their note's tokens."""
    notes = read_notes(CORPUS / "notes")
    rows = [(c.text, c.note) for c in notes] + [(r.text, r.context) for r in read_jsonl(CORPUS / "generated.jsonl")]
    random.Random(5).shuffle(rows)
    texts = []
    for i, (text, note) in enumerate(rows[:limit]):
        context = note if i % 2 else NoteContext(note.title, note.desc, i % 3 == 0) if note else None
        texts.append(model_text(text, context, 2000))
    return [t for t in texts if t]


ODD = [
    "求链接[哭惹r]😭", "[doge]好看[doge]", "[不是表情 链接", "link pls!!", "where can i buy it?", "abc_def求链接",
    "ｌｉｎｋ", "a¶b求", "哈¶旅", "¶", "¶¶sells:price", "求 ¶¶tsell:price ¶¶sells:price", "100元 2件", "哈哈 哈",
    "emoji🔥🔥 and 中文mix123abc", "é à ü 求", "x" * 50, "求  链接", "求\t链接", " 求链接", "求链接 ", "求\n链接",
]


@pytest.fixture(scope="module")
def nlp():
    from helper.nlp.classifier import load_classifier

    return load_classifier().nlp


def test_tokens_are_the_tokenizers(nlp):
    tokenizer = MixedTokenizer(nlp.vocab)
    rng = random.Random(11)
    alphabet = list("求链接好看哈¶[]rR _-+!！?？😭🔥abcXYZ019é ") + ["[哭惹r]", "¶¶sells:price"]
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25))) for _ in range(3000)]
    checked = 0
    for text in _model_texts(4000) + ODD + fuzz:
        words = tokens(text)
        if words is None:
            continue  # the classifier then uses spaCy's tokenizer itself
        assert words == [t.text for t in tokenizer(text)], text
        checked += 1
    assert checked > 5000
    assert tokens("求  链接") is None and tokens("哈¶旅") is None and tokens("求\n链接") is None


def test_scores_equal_the_pipeline_to_the_last_bit(nlp):
    texts = _model_texts(3000) + [t for t in ODD if t.strip()]
    expected = [doc.cats for doc in nlp.pipe(texts, disable=[p for p in nlp.pipe_names if p != "textcat"])]
    assert HashedBOW(nlp).cats(texts) == expected
    assert HashedBOW(nlp).cats([]) == []
