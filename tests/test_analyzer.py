"""The Analyzer (helper.nlp contract): order, authors, keyword fallback, a real (tiny) trained model."""

import subprocess
import sys
import threading

import pytest

from helper.nlp.analyzer import KEYWORD_VERSION, Analyzer

CATALOG = [
    {"name": "羊毛地毯", "aliases": ["地毯", "rug"], "link": "https://item.taobao.com/item.htm?id=1", "note_ids": ["n1"]},
    {"name": "落地灯", "aliases": ["灯", "lamp"], "link": "", "note_ids": ["n1"]},
]
REQUESTS = ["求链接", "地毯哪里买", "链接呢", "where can I buy the rug", "灯的链接", "怎么买", "link please"]
OTHERS = ["好看", "已经买了", "哈哈哈", "so pretty", "太美了", "喜欢", "love it"]


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A real spaCy pipeline of the production shape (MixedTokenizer + BOW textcat), trained briefly."""
    import spacy
    from spacy.training import Example

    import helper.nlp.tokenizer  # noqa: F401  registers linktriage.MixedTokenizer.v1
    from helper.nlp.normalize import normalize_text

    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "linktriage.MixedTokenizer.v1"}}})
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
        "no_output_layer": False, "length": 2 ** 14, "nO": None,
    }})
    for label in ("OTHER", "REQUEST"):
        textcat.add_label(label)
    data = [(t, 1) for t in REQUESTS] + [(t, 0) for t in OTHERS]
    examples = [
        Example.from_dict(nlp.make_doc(normalize_text(t)), {"cats": {"REQUEST": float(y), "OTHER": 1.0 - y}})
        for t, y in data
    ]
    nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples)
    nlp.meta["name"], nlp.meta["version"] = "tiny", "0.0.1"
    path = tmp_path_factory.mktemp("tiny-model")
    nlp.to_disk(path)
    return path


def comments(texts, **extra):
    return [{"id": f"c{i}", "text": t, "note_id": "n1", "author": f"user{i}", **extra} for i, t in enumerate(texts)]


def test_trained_model_flags_requests_in_order(tiny_model_dir):
    analyzer = Analyzer(model_dir=tiny_model_dir)
    assert analyzer.model_loaded is False and analyzer.model_version == ""  # lazy
    mixed = [t for pair in zip(REQUESTS, OTHERS) for t in pair]
    results = analyzer.analyze(comments(mixed), CATALOG)
    assert analyzer.model_loaded is True and analyzer.model_version == "tiny-0.0.1"
    assert [r["id"] for r in results] == [f"c{i}" for i in range(len(mixed))]
    assert [r["is_request"] for r in results] == [t in REQUESTS for t in mixed]
    for result in results:
        assert set(result) == {"id", "is_request", "score", "products", "suggested_reply", "compliance"}
        assert 0.0 <= result["score"] <= 1.0
        if result["is_request"]:
            assert result["suggested_reply"].startswith("@user")
        else:
            assert result["suggested_reply"] == "" and result["products"] == [] and result["compliance"] == []


def test_products_and_compliance_reach_the_result(tiny_model_dir):
    analyzer = Analyzer(model_dir=tiny_model_dir)
    (rug,) = analyzer.analyze([{"id": "x", "text": "地毯哪里买", "note_id": "n1", "author": "小鹿"}], CATALOG)
    assert rug["is_request"] and rug["products"] == ["羊毛地毯"]
    assert "taobao" not in rug["suggested_reply"] and rug["compliance"]  # off-platform link left out
    (web,) = analyzer.analyze([{"id": "x", "text": "地毯哪里买", "note_id": "n1"}], CATALOG, platform="web")
    assert "item.taobao.com" in web["suggested_reply"] and web["compliance"] == []


def test_repeated_texts_score_the_same(tiny_model_dir):
    analyzer = Analyzer(model_dir=tiny_model_dir)
    first = analyzer.analyze(comments(["求链接", "好看", "求链接"]), [])
    again = analyzer.analyze(comments(["求链接"]), [])
    assert first[0]["score"] == first[2]["score"] == again[0]["score"]
    analyzer.clear_cache()
    assert analyzer.analyze(comments(["求链接"]), [])[0]["score"] == first[0]["score"]


def test_the_note_author_is_never_a_request(tiny_model_dir):
    analyzer = Analyzer(model_dir=tiny_model_dir)
    results = analyzer.analyze(comments(["求链接", "链接呢"], is_author=True), CATALOG)
    assert all(not r["is_request"] and r["suggested_reply"] == "" and r["score"] == 0.0 for r in results)
    # The same texts from a visitor are requests: the author rule, not the text, made the difference.
    assert all(r["is_request"] for r in analyzer.analyze(comments(["求链接", "链接呢"]), CATALOG))


def test_keyword_fallback_when_the_model_dir_is_empty(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("LINKTRIAGE_MODEL_DIR", str(tmp_path))
    analyzer = Analyzer()
    with caplog.at_level("WARNING", logger="linktriage.nlp"):
        results = analyzer.analyze(comments(["求链接", "好看", "where can I buy the lamp"]), CATALOG)
        analyzer.analyze(comments(["链接呢"]), CATALOG)
    assert analyzer.model_loaded is False and analyzer.model_version == KEYWORD_VERSION
    assert [r["is_request"] for r in results] == [True, False, True]
    assert [r["score"] for r in results] == [1.0, 0.0, 1.0]
    assert results[2]["products"] == ["落地灯"]
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1  # said once
    assert "keyword baseline" in caplog.records[0].message


def test_broken_pipeline_falls_back_too(tmp_path, caplog):
    (tmp_path / "config.cfg").write_text("this is not a spaCy config", encoding="utf-8")
    (tmp_path / "meta.json").write_text("{}", encoding="utf-8")
    analyzer = Analyzer(model_dir=tmp_path)
    with caplog.at_level("WARNING", logger="linktriage.nlp"):
        (result,) = analyzer.analyze([{"id": 1, "text": "求链接"}], [])
    assert result["is_request"] is True and analyzer.model_version == KEYWORD_VERSION
    assert "cannot load the pipeline" in caplog.text


def test_odd_comments_do_not_crash(tmp_path):
    analyzer = Analyzer(model_dir=tmp_path)  # keyword fallback keeps this test model-free
    results = analyzer.analyze(
        [{"id": 1, "text": None}, {"id": 2, "text": ""}, {"id": 3, "text": "  "}, {"text": "求链接"}], None
    )
    assert [r["id"] for r in results] == [1, 2, 3, None]
    assert [r["is_request"] for r in results] == [False, False, False, True]
    assert analyzer.analyze([], CATALOG) == []
    # A broken catalog entry costs that product, not the batch.
    broken = [{"name": ""}, "not a product", *CATALOG]
    (result,) = analyzer.analyze([{"id": 9, "text": "灯的链接", "note_id": "n1"}], broken)
    assert result["is_request"] and result["products"] == ["落地灯"]


def test_get_analyzer_is_one_instance_across_threads():
    import helper.nlp

    seen = []
    threads = [threading.Thread(target=lambda: seen.append(helper.nlp.get_analyzer())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(a) for a in seen}) == 1 and seen[0] is helper.nlp.get_analyzer()


def test_importing_helper_nlp_does_not_import_spacy():
    code = (
        "import sys, helper.nlp as n; a = n.get_analyzer(); n.compliance_warnings; n.keyword_is_request;"
        "assert 'spacy' not in sys.modules, 'spacy imported'; print(a.model_loaded)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_concurrent_batches_from_threads(tiny_model_dir):
    """The helper serves requests on several threads; all share one Analyzer."""
    analyzer = Analyzer(model_dir=tiny_model_dir)
    expected = [r["is_request"] for r in analyzer.analyze(comments(REQUESTS + OTHERS), CATALOG)]
    analyzer.clear_cache()
    outcomes, errors = [], []

    def work(k):
        try:
            for _ in range(20):
                texts = REQUESTS + OTHERS + [f"{t} {k}" for t in REQUESTS]
                results = analyzer.analyze(comments(texts), CATALOG)
                outcomes.append([r["is_request"] for r in results][: len(expected)] == expected)
        except Exception as exc:  # noqa: BLE001  the test reports it below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(outcomes) == 80 and all(outcomes)
