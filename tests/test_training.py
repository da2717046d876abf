"""Training and evaluation plumbing: corpus → DocBins → spacy train → a loadable pipeline;
corrections from the helper's database; `evaluate` skipping cleanly and refusing the blind set."""

import importlib.util
import json
import subprocess
import sys

import pytest

from helper import store
from helper.config import DEFAULT_MODEL_DIR, MODELS_DIR
from helper.cli import main
from helper.commands import train as train_cmd
from helper.nlp import corpus, training
from helper.nlp.corpus import Example
from helper.nlp.classifier import load_classifier


def test_committed_corpus_is_what_the_generator_makes(monkeypatch):
    monkeypatch.syspath_prepend(str(MODELS_DIR))  # as when run as a script: its phrase lists, corpus_phrases.py
    spec = importlib.util.spec_from_file_location("generate_corpus", MODELS_DIR / "generate_corpus.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    rows = generator.generate()
    with (MODELS_DIR / "corpus" / "generated.jsonl").open(encoding="utf-8") as fh:
        committed = [json.loads(line) for line in fh]
    assert rows == committed  # fixed seed: scripts/train rebuilds exactly this corpus


def test_plain_spacy_load_works_once_the_tokenizer_is_registered():
    code = (
        "import spacy, helper.nlp.tokenizer; "
        f"nlp = spacy.load({str(DEFAULT_MODEL_DIR)!r}); "
        "print(round(nlp('求链接').cats['REQUEST']))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_corpus_is_labelled_and_split_deterministically():
    rows = train_cmd.corpus_rows()
    assert len(rows) > 5000
    labels = {row.label for row in rows}
    assert labels == {True, False}
    train1, dev1 = corpus.split_examples(rows, training.DEV_SHARE)
    train2, dev2 = corpus.split_examples(rows, training.DEV_SHARE)
    assert dev1 == dev2 and len(train1) == len(train2)
    assert 0.10 < len(dev1) / len(rows) < 0.20
    # A comment never lands on both sides (the split hashes the cleaned comment, whatever its note).
    assert not {corpus.split_key(r) for r in dev1} & {corpus.split_key(r) for r in train1}


@pytest.mark.slow
def test_training_from_the_corpus_writes_a_loadable_pipeline(tmp_path):
    rows = train_cmd.corpus_rows()[:600]
    train_rows, dev_rows = corpus.split_examples(rows, training.DEV_SHARE)
    out = training.train_pipeline(train_rows, dev_rows, tmp_path / "pipeline", max_steps=20)
    clf = load_classifier(out)
    assert clf.model_version.startswith("request-")
    assert clf.nlp.meta["linktriage"]["train_examples"] == len(train_rows)
    scores = clf.scores(["求链接", "好看"])
    assert all(0.0 <= s <= 1.0 for s in scores)
    # The pipeline carries its weights for scoring without spaCy, and they give spaCy's scores.
    assert (out / "bow_weights.npz").is_file() and not clf.uses_spacy
    texts = ["求链接", "好看", "where can i buy this", "多少钱 ¶¶sells:price"]
    spacy_scores = [doc.cats["REQUEST"] for doc in clf.nlp.pipe(texts, disable=["linktriage_ask_rules"])]
    assert clf._scorer.request_scores(texts) == pytest.approx(spacy_scores, abs=1e-5)


def test_corrections_come_from_the_helper_database(tmp_path):
    db = store.init_db(store.db_path(tmp_path))
    with db:
        for n, (text, correction) in enumerate([("这个杯子有卖吗", "missed"), ("链接已挂好", "not_request"),
                                                ("未纠正的评论", None)]):
            store.Comment.create(comment_id=f"c{n}", note_id="n1", text=text, correction=correction)
    assert [(e.text, e.label) for e in train_cmd.stored_corrections(tmp_path)] == [
        ("这个杯子有卖吗", True), ("链接已挂好", False)]
    assert train_cmd.stored_corrections(tmp_path / "empty") == []


def test_evaluate_skips_cleanly_without_the_shared_folder(tmp_path, capsys):
    assert main(["evaluate", "--data", str(tmp_path / "absent" / "dev.jsonl")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_evaluate_refuses_the_blind_set(tmp_path, capsys):
    blind = tmp_path / "blind.jsonl"
    blind.write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    assert main(["evaluate", "--data", str(blind)]) == 2
    assert "blind" in capsys.readouterr().err


def test_evaluate_reports_model_and_baseline_side_by_side(tmp_path, capsys):
    rows = [
        {"id": "1", "text": "哪家店铺呀", "label": 1, "ambiguous": False, "lang": "zh"},
        {"id": "2", "text": "同款 超好穿", "label": 0, "ambiguous": False, "lang": "zh"},
        {"id": "3", "text": "how can I purchase it?", "label": 1, "ambiguous": False, "lang": "en"},
        {"id": "4", "text": "so cute", "label": 0, "ambiguous": True, "lang": "en"},
    ]
    data = tmp_path / "dev.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert main(["evaluate", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0] + (" " + line.split()[1] if line.startswith("unambiguous lang") else ""): line
             for line in out.splitlines() if line[:1].isalpha()}
    assert "unambiguous" in lines and "all" in lines and "unambiguous lang=zh" in lines
    # Keyword baseline: misses 1 and 3, fires on 2 → F1 0 on the unambiguous rows.
    assert lines["unambiguous"].split()[-1] == "0.000"


def test_evaluate_rejects_a_malformed_file(tmp_path, capsys):
    data = tmp_path / "dev.jsonl"
    data.write_text('{"text": "求链接"}\nnot json\n', encoding="utf-8")
    assert main(["evaluate", "--data", str(data)]) == 2
    assert "dev.jsonl:1" in capsys.readouterr().err


@pytest.mark.slow
def test_train_command_adds_the_creators_corrections(tmp_path, monkeypatch, capsys):
    subset = train_cmd.corpus_rows()[:300]
    monkeypatch.setattr(train_cmd, "corpus_rows", lambda: list(subset))
    data_dir = tmp_path / "data"
    db = store.init_db(store.db_path(data_dir))
    with db:
        store.Comment.create(comment_id="c1", note_id="n1", text="这个杯子有卖吗", correction="missed")
    out = tmp_path / "pipeline"
    assert main(["train", "--data-dir", str(data_dir), "--out", str(out), "--max-steps", "10"]) == 0
    assert "(corrections: 1)" in capsys.readouterr().out
    meta = load_classifier(out).nlp.meta["linktriage"]
    assert meta["corrections"] == 1
    train_rows, _ = corpus.split_examples(subset, training.DEV_SHARE)
    assert meta["train_examples"] == len(train_rows) + training.CORRECTION_WEIGHT


@pytest.mark.parametrize(
    ("train_share", "real_prior", "shift"),
    [(0.5, 0.5, 0.0), (0.5, 0.2, -1.3863), (0.2, 0.5, 1.3863), (1 / 3, 0.15, -1.0415)],
)
def test_prior_shift_swaps_training_odds_for_real_odds(train_share, real_prior, shift):
    assert training.prior_shift(train_share, real_prior) == pytest.approx(shift, abs=1e-4)
