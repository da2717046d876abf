"""`linktriage bench`: measure the performance goals (issue 7) and record them."""

from __future__ import annotations


def register(sub, common) -> None:
    p = sub.add_parser(
        "bench",
        parents=[common],
        help="measure classify speed, cold start, helper latency, memory and export; write a JSON record",
        description=(
            "Runs each performance measure with warm-up and several rounds, prints median and spread, "
            "and writes a JSON record under tests/benchmarks/results/. The classify headline runs on "
            "never-repeating comments built from the training corpus (no verdict cache can help); the "
            "cache-hit line, helper and memory measures use the shared real comments (texts only) when "
            "../shared/data/real-comments is present, else the training corpus."
        ),
    )
    p.add_argument("--rounds", type=int, default=5, help="measured rounds per measure (default 5)")
    p.add_argument(
        "--only",
        action="append",
        choices=["classify", "coldstart", "helper", "memory", "export", "browser", "learning", "dashboard"],
        help="run only this measure (repeatable)",
    )
    p.add_argument("--memory-comments", type=int, default=100_000, help="comments ingested for the memory measure")
    p.add_argument("--export-comments", type=int, default=200_000, help="comments exported for the export measure")
    p.add_argument("--out", metavar="DIR", help="where to write the JSON record (default tests/benchmarks/results)")
    p.set_defaults(func=run)


def run(args) -> int:
    from helper.benchmarks.runner import run_benchmarks
    from helper.errors import UserError

    for flag, value in (("--rounds", args.rounds), ("--memory-comments", args.memory_comments), ("--export-comments", args.export_comments)):
        if value < 1:
            raise UserError(f"{flag} must be at least 1")

    return run_benchmarks(args)
