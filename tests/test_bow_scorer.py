"""BowScorer: the textcat's scores from the exported tables, without spaCy, must be spaCy's scores.

The keys (token hashes, n-gram hashes, weight rows) are checked to the bit against spaCy and thinc;
the summed scores to float rounding against `nlp.pipe`, and the verdicts exactly.
"""

import json
import random
import subprocess
import sys

import numpy
import pytest

from helper.config import REPO_ROOT
from helper.nlp.bow_scorer import WEIGHTS_FILE, BowScorer, murmur64a, ngram_keys, tokens, weight_rows
from helper.nlp.corpus import read_jsonl, read_notes
from helper.nlp.model_input import NoteContext, model_text
from helper.nlp.tokenizer import MixedTokenizer

CORPUS = REPO_ROOT / "models" / "corpus"
PIPELINE = REPO_ROOT / "models" / "pipeline"


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
    # spaCy's own symbol names have fixed ids, not string hashes
    "flat NOUN ORTH nsubj", "PERSON 求链接",
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
            continue  # the scorer then uses spaCy's tokenizer itself
        assert words == [t.text for t in tokenizer(text)], text
        checked += 1
    assert checked > 5000
    assert tokens("求  链接") is None and tokens("哈¶旅") is None and tokens("求\n链接") is None
    assert tokens("求 ¶¶tsell:price ¶¶sells:price") == ["求", "¶¶tsell:price", "¶¶sells:price"]


def test_hashes_are_spacys_and_thincs(nlp):
    from spacy.strings import get_string_id
    from spacy.symbols import IDS
    from thinc.api import NumpyOps

    from helper.nlp.bow_scorer import _OrthIds

    orth = _OrthIds({k: v for k, v in IDS.items() if k})

    words = {w for text in _model_texts(2000) + ODD for w in (tokens(text) or text.split())}
    words |= {"", "a", "ab" * 20, "\u00e9", "🔗"}
    for word in words:
        assert orth[word] == get_string_id(word), word
    for word in ("链接", "hello world", "x" * 17):
        assert murmur64a(word.encode(), 1) == get_string_id(word)
    ids = numpy.array([get_string_id(w) for w in sorted(words)], dtype="uint64")
    ops = NumpyOps()
    for n in (2, 3):
        windows = numpy.stack([ids[j:len(ids) - n + 1 + j] for j in range(n)], axis=1)
        assert (ngram_keys(windows) == ops.ngrams(n, ids)).all()


def test_scores_equal_the_pipeline(nlp):
    texts = _model_texts(3000) + [t for t in ODD if t.strip()]
    expected = numpy.array([doc.cats["REQUEST"] for doc in
                            nlp.pipe(texts, disable=[p for p in nlp.pipe_names if p != "textcat"])])
    for scorer in (BowScorer.from_pipeline(nlp, "v"), BowScorer.load(PIPELINE, nlp.meta["linktriage"]["model_version"])):
        got = numpy.array(scorer.request_scores(texts))
        assert numpy.abs(got - expected).max() < 1e-5
        assert ((got >= 0.5) == (expected >= 0.5)).all()
        assert scorer.request_scores([]) == []
        # A batch the token scan can split whole (one scan over the joined texts) scores the same; the
        # batch above holds texts only spaCy's tokenizer splits, so it was scored text by text.
        regular = [i for i, t in enumerate(texts) if tokens(t) is not None]
        assert len(regular) < len(texts)
        got = numpy.array(scorer.request_scores([texts[i] for i in regular]))
        assert numpy.abs(got - expected[regular]).max() < 1e-5
        assert scorer.request_scores(["求链接"]) == scorer.request_scores(["求链接", "好看"])[:1]


def test_weight_rows_are_sparse_linears(nlp):
    """The rows each key reads, checked through thinc's own layer: a table with one non-zero row."""
    linear = nlp.get_pipe("textcat").model.layers[0].layers[0].layers[1].layers[0]
    length = linear.get_dim("length")
    keys = numpy.array([1, 2, 2**63 + 5, 123456789012345], dtype="uint64")
    rows = weight_rows(keys, 0, length), weight_rows(keys, 1, length)
    saved = linear.get_param("W").copy()
    try:
        for i, key in enumerate(keys):
            table = numpy.zeros_like(saved)
            table[rows[0][i]] = 1.0  # class 0, the row seed 0 gives
            table[length + rows[1][i]] += 2.0  # class 1, the row seed 1 gives
            linear.set_param("W", table)
            out = linear.predict((keys[i:i + 1], numpy.ones(1, dtype="f"), numpy.array([1], dtype="int32")))
            bias = linear.get_param("b")
            same = rows[0][i] == rows[1][i]  # both lookups of a class then land on the one set row
            assert out[0][0] - bias[0] == pytest.approx(2.0 if same else 1.0)
            assert out[0][1] - bias[1] == pytest.approx(4.0 if same else 2.0)
    finally:
        linear.set_param("W", saved)


def test_export_is_tied_to_its_training(tmp_path, nlp):
    scorer = BowScorer.from_pipeline(nlp, "request-x")
    scorer.save(tmp_path / WEIGHTS_FILE)
    assert BowScorer.load(tmp_path, "request-x") is not None
    assert BowScorer.load(tmp_path, "request-other") is None  # a pipeline retrained without re-export
    (tmp_path / WEIGHTS_FILE).write_bytes(b"not an npz")
    assert BowScorer.load(tmp_path, "request-x") is None
    assert BowScorer.load(tmp_path / "missing", "request-x") is None


def test_the_classifier_scores_without_importing_spacy():
    code = (
        "import sys, json\n"
        "from helper.nlp import get_analyzer\n"
        "out = get_analyzer().analyze([{'id': 'a', 'text': '求链接'}, {'id': 'b', 'text': '好看', 'note_title': '旅行'},"
        " {'id': 'c', 'text': '同求', 'parent_text': '蹲一个沙发链接'}], [{'name': '羊毛地毯', 'aliases': ['地毯']}])\n"
        "print(json.dumps([[r['is_request'], r['score']] for r in out]))\n"
        "print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    verdicts, modules = proc.stdout.strip().splitlines()
    assert json.loads(modules) == []
    assert [v[0] for v in json.loads(verdicts)] == [True, False, True]
