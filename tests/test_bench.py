"""The benchmark harness itself (its numbers live in its records, never in assertions here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmarks.cli import main
from benchmarks.measures import goal
from benchmarks.stats import summarize
from live_helper import REPO


@pytest.mark.parametrize(
    "values, median, p90, low, high",
    [
        ([5.0], 5.0, 5.0, 5.0, 5.0),
        ([3.0, 1.0, 2.0], 2.0, 3.0, 1.0, 3.0),
        ([4.0, 1.0, 3.0, 2.0], 2.5, 4.0, 1.0, 4.0),
        ([float(v) for v in range(1, 11)], 5.5, 9.0, 1.0, 10.0),
    ],
)
def test_summarize(values, median, p90, low, high):
    s = summarize(values)
    assert (s.median, s.p90, s.min, s.max, s.rounds) == (median, p90, low, high, len(values))


def test_summarize_refuses_nothing():
    with pytest.raises(ValueError):
        summarize([])


@pytest.mark.parametrize(
    "measured, target, higher_is_better, met",
    [(9.9, 10, False, True), (10.1, 10, False, False), (20_001, 20_000, True, True), (19_999, 20_000, True, False)],
)
def test_goal_direction(measured, target, higher_is_better, met):
    assert goal("x", measured, target, higher_is_better)["met"] is met


def test_bench_writes_a_record(tmp_path, capsys):
    code = main(["--only", "coldstart", "--rounds", "1", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    [record_path] = tmp_path.glob("*.json")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    cold = record["results"]["coldstart"]
    assert cold["seconds"]["rounds"] == 1 and cold["seconds"]["median"] > 0
    [goal] = cold["goals"]
    assert code == (0 if goal["met"] else 1)
    assert ("all goals met" in out) == goal["met"]
    assert record["machine"]["cores"] >= 1 and record["commit"]


def test_never_repeating_comments():
    """The classify headline's input: no text twice (no verdict cache can help), from our corpus, with
    note titles on some lines and parent comments on others, the same every run."""
    from benchmarks.texts import never_repeating_comments

    comments = never_repeating_comments(60_000)  # more lines than the corpus has comments: recombined
    texts = [c["text"] for c in comments]
    assert len(comments) == 60_000 and len(set(texts)) == len(texts)
    assert all(isinstance(t, str) and t.strip() for t in texts)
    with_title = sum("note_title" in c for c in comments) / len(comments)
    with_parent = sum("parent_text" in c for c in comments) / len(comments)
    assert 0.3 < with_title < 0.7 and 0.05 < with_parent < 0.3
    assert len({c["id"] for c in comments}) == len(comments)
    assert never_repeating_comments(500) == comments[:500]


@pytest.mark.parametrize("args", [["--only", "everything"], ["--only", "export", "--export-comments", "0"],
                                  ["--rounds", "0"]])
def test_bad_options_are_one_line_and_exit_2(args):
    """As scripts/bench runs it: `python -m benchmarks` with tests/ on PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests")}
    result = subprocess.run([sys.executable, "-m", "benchmarks", *args], capture_output=True, text=True, cwd=REPO,
                            env=env, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "error:" in result.stderr.splitlines()[-1]
