"""The corpus shortcut audit: no cue word real comments use both ways may carry one label in the corpus."""

import importlib.util

import pytest

from helper.config import MODELS_DIR
from helper.nlp.corpus import Example, load_corpus

spec = importlib.util.spec_from_file_location("audit_corpus", MODELS_DIR / "audit_corpus.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


@pytest.fixture(scope="module")
def table():
    return audit.cue_table(load_corpus(audit.CORPUS_DIR))


def test_every_cue_appears_on_both_sides_and_no_cue_is_nearly_pure(table):
    shortcuts = [(cue, n, round(share, 2)) for cue, n, share, _ in table
                 if n < audit.MIN_ROWS or audit.purity(share) > audit.MAX_PURITY]
    assert shortcuts == []


def test_the_audit_finds_a_planted_shortcut():
    rows = [Example(f"几号色 {i}", True) for i in range(30)] + [Example(f"好看 {i}", False) for i in range(30)]
    cue = {c: (n, share) for c, n, share, _ in audit.cue_table(rows)}
    assert cue["几号"] == (30, 1.0)
    assert audit.purity(cue["几号"][1]) > audit.MAX_PURITY


@pytest.mark.parametrize(("text", "cue", "found"), [("加我vx", "vx", True), ("vxx", "vx", False),
                                                    ("link pls", "link", True), ("linked", "link", False)])
def test_ascii_cues_match_as_words_even_next_to_cjk(text, cue, found):
    assert audit._contains(text, cue) is found
