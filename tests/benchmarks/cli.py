"""The benchmark's command line (`scripts/bench`, `python -m benchmarks`): options, then the runner."""

from __future__ import annotations

import argparse

from benchmarks.runner import ALL as SECTIONS, run_benchmarks


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scripts/bench",
        description=(
            "Runs each performance measure with warm-up and several rounds, prints median and spread, "
            "and writes a JSON record under tests/benchmarks/results/. The classify headline runs on "
            "never-repeating comments built from the training corpus (no verdict cache can help); the "
            "cache-hit line, helper and memory measures use the shared real comments (texts only) when "
            "../shared/data/real-comments is present, else the training corpus. Exit status 0 when every "
            "goal measured is met, 1 otherwise, 2 for a bad option."
        ),
    )
    p.add_argument("--rounds", type=int, default=5, help="measured rounds per measure (default 5)")
    p.add_argument("--only", action="append", choices=SECTIONS, help="run only this measure (repeatable)")
    p.add_argument("--memory-comments", type=int, default=100_000, help="comments ingested for the memory measure")
    p.add_argument("--export-comments", type=int, default=200_000, help="comments exported for the export measure")
    p.add_argument("--out", metavar="DIR", help="where to write the JSON record (default tests/benchmarks/results)")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    for flag, value in (("--rounds", args.rounds), ("--memory-comments", args.memory_comments),
                        ("--export-comments", args.export_comments)):
        if value < 1:
            p.error(f"{flag} must be at least 1")

    return run_benchmarks(args)

