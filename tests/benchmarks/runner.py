"""Run the performance measures of issue 7, print them, and write a JSON record.

Each measure warms up, runs several rounds, and reports the median and spread. Goals are checked in
the same run so one invocation shows whether all of them hold.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import REPO, RESULTS_DIR, measures
from benchmarks.texts import bench_texts
from helper import __version__

ALL = ["classify", "coldstart", "helper", "memory", "export", "browser", "learning", "dashboard", "team"]


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True)
        return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_benchmarks(args) -> int:
    selected = args.only or ALL
    texts, source = bench_texts()
    print(f"scripts/bench, linktriage {__version__} · {len(texts)} texts from {source} · {os.cpu_count()} cores")
    results: dict[str, dict] = {}
    for name in ALL:
        if name not in selected:
            continue
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        results[name] = getattr(measures, f"measure_{name}")(texts, args)
        results[name]["wall_seconds"] = round(time.perf_counter() - started, 1)
        for line in measures.describe(name, results[name]):
            print("  " + line)

    goals = [(name, g) for name, r in results.items() for g in r.get("goals", [])]
    print("\n== goals")
    for name, g in goals:
        print(f"  {'PASS' if g['met'] else 'FAIL'}  {name}: {g['what']} (measured {g['measured']}, goal {g['goal']})")
    all_met = all(g["met"] for _, g in goals)
    print("all goals met" if all_met else "SOME GOALS NOT MET")

    record = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "version": __version__,
        "machine": {"cores": os.cpu_count(), "cpu": _cpu_model(), "python": sys.version.split()[0]},
        "text_source": source,
        "texts": len(texts),
        "rounds": args.rounds,
        "results": results,
        "all_goals_met": all_met,
    }
    out_dir = Path(args.out) if args.out else RESULTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"{stamp}-{record['commit']}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"record: {path}")
    return 0 if all_met else 1
