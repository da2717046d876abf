"""The benchmark: LinkTriage's performance goals measured and recorded (README "Performance").

Tooling beside the tests, not part of the helper's package (a wheel does not carry it). Run it from a
checkout with `scripts/bench` (`scripts/bench --help`), which puts tests/ on PYTHONPATH and runs
`python -m benchmarks`; its records go to tests/benchmarks/results/. It starts helpers through the
tests' own support module (tests/live_helper.py) and drives the browser fixtures of tests/browser.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
CORPUS_DIR = REPO / "models" / "corpus"  # our own texts (never the shared real comments)
# The shared labelled comments beside a checkout (texts only, read at run time): only dev.jsonl, the
# blind set stays unread so nobody is tempted to tune on it.
SHARED_DEV = REPO.parent / "shared" / "data" / "real-comments" / "dev.jsonl"
