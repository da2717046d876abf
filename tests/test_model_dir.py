"""Which pipeline is used: $LINKTRIAGE_MODEL_DIR › the creator's retrained one in DATA_DIR/pipeline ›
the committed models/pipeline. Retraining never has to touch the repository."""

from __future__ import annotations

import json
import shutil

import pytest

from helper.config import DEFAULT_MODEL_DIR, own_model_dir, resolve_model_dir
from helper.nlp.analyzer import Analyzer


@pytest.fixture
def retrained(tmp_path):
    """A data dir holding a 'retrained' pipeline: the committed one under another version."""
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_MODEL_DIR, own_model_dir(data_dir))
    meta_path = own_model_dir(data_dir) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = "9.9.9"
    meta.setdefault("linktriage", {})["model_version"] = "creator-retrained-test"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return data_dir


@pytest.mark.parametrize(
    "env, data_dir_kind, expected",
    [
        (None, None, "committed"),
        (None, "empty", "committed"),  # no pipeline there yet: the committed one
        (None, "retrained", "own"),
        ("env", "retrained", "env"),  # the environment variable wins over everything
    ],
)
def test_resolve_model_dir_order(env, data_dir_kind, expected, retrained, tmp_path, monkeypatch):
    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    if env:
        monkeypatch.setenv("LINKTRIAGE_MODEL_DIR", str(tmp_path / "from-env"))
    data_dir = {None: None, "empty": tmp_path / "empty", "retrained": retrained}[data_dir_kind]
    want = {"committed": DEFAULT_MODEL_DIR, "own": own_model_dir(retrained), "env": tmp_path / "from-env"}[expected]
    assert resolve_model_dir(data_dir) == want


def test_analyzer_switches_to_the_creators_pipeline(retrained, monkeypatch):
    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    analyzer = Analyzer()
    analyzer.analyze([{"id": "1", "text": "求链接"}], [])
    committed_version = analyzer.model_version
    assert committed_version != "creator-retrained-test"

    analyzer.set_model_dir(resolve_model_dir(retrained))
    assert not analyzer.model_loaded  # forgets the old pipeline; the next analyze loads the new one
    [verdict] = analyzer.analyze([{"id": "1", "text": "求链接"}], [])
    assert analyzer.model_version == "creator-retrained-test"
    assert verdict["is_request"] is True


@pytest.mark.slow
def test_retraining_with_corrections_writes_to_the_data_dir_not_the_repo(tmp_path, monkeypatch, capsys):
    from helper import store
    from helper.cli import main
    from helper.commands import train as train_cmd

    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    subset = train_cmd.corpus_rows()[:300]
    monkeypatch.setattr(train_cmd, "corpus_rows", lambda: list(subset))
    committed_meta = (DEFAULT_MODEL_DIR / "meta.json").read_bytes()
    data_dir = tmp_path / "data"
    db = store.init_db(store.db_path(data_dir))
    with db:
        store.Comment.create(comment_id="c1", note_id="n1", text="链接已挂好", correction="not_request")

    assert main(["train", "--data-dir", str(data_dir), "--max-steps", "5"]) == 0

    out = capsys.readouterr().out
    assert str(own_model_dir(data_dir)) in out and "switches to it" in out
    assert (own_model_dir(data_dir) / "meta.json").is_file()
    assert resolve_model_dir(data_dir) == own_model_dir(data_dir)
    assert (DEFAULT_MODEL_DIR / "meta.json").read_bytes() == committed_meta


def _write_version(pipeline_dir, version: str, mtime_ns: int | None = None) -> None:
    import os

    meta_path = pipeline_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["linktriage"]["model_version"] = version
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    if mtime_ns is not None:
        os.utime(meta_path, ns=(mtime_ns, mtime_ns))


def test_a_process_following_the_data_dir_picks_up_a_retrain_without_restart(tmp_path, monkeypatch):
    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    analyzer = Analyzer()
    analyzer.source.check_every = 0  # look on every analyze (the helper looks every few seconds)
    analyzer.follow_data_dir(data_dir)
    ask = [{"id": "1", "text": "求链接"}]

    analyzer.analyze(ask, [])
    committed = analyzer.model_version
    assert analyzer.model_loaded and committed != "creator-1"

    # `linktriage train` writes DATA_DIR/pipeline: the next analyze switches to it.
    shutil.copytree(DEFAULT_MODEL_DIR, own_model_dir(data_dir))
    _write_version(own_model_dir(data_dir), "creator-1")
    [verdict] = analyzer.analyze(ask, [])
    assert analyzer.model_version == "creator-1" and verdict["is_request"] is True

    # A second retrain replaces it in place (a newer meta.json): switched again.
    stamp = (own_model_dir(data_dir) / "meta.json").stat().st_mtime_ns
    _write_version(own_model_dir(data_dir), "creator-2", mtime_ns=stamp + 1_000_000_000)
    analyzer.analyze(ask, [])
    assert analyzer.model_version == "creator-2"

    # Removing the creator's pipeline falls back to the committed one.
    shutil.rmtree(own_model_dir(data_dir))
    analyzer.analyze(ask, [])
    assert analyzer.model_version == committed


def test_a_process_looks_for_a_retrain_only_every_few_seconds(tmp_path, monkeypatch):
    monkeypatch.delenv("LINKTRIAGE_MODEL_DIR", raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    analyzer = Analyzer()
    analyzer.source.check_every = 3600
    analyzer.follow_data_dir(data_dir)
    analyzer.analyze([{"id": "1", "text": "求链接"}], [])
    committed = analyzer.model_version
    shutil.copytree(DEFAULT_MODEL_DIR, own_model_dir(data_dir))
    _write_version(own_model_dir(data_dir), "creator-1")
    analyzer.analyze([{"id": "1", "text": "求链接"}], [])
    assert analyzer.model_version == committed  # not looked yet: no stat per batch
