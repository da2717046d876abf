"""Dashboard tab switches at 100k comments (issue 15): every tab's first rows in < 300 ms.

Builds a data dir with `--comments` comments (default 100,000) over 60 notes and 30 days through the
real CLI (`products import`, `ingest`), starts `linktriage serve` on it, opens the dashboard in
Debian's Chromium and, round after round, switches to each tab and times (in the page, with
performance.now) from the click to the tab's first rows on screen: the request and comment lists'
rows, the product table, the insights chart's bars, the pairing panel. The view's old content is
removed first, so every switch is timed to fresh rows, not to what was left from the last visit.

    PYTHONPATH=tests .venv/bin/python -m benchmarks.dashboard_tabs [--comments 100000] [--rounds 5] [--data-dir DIR]

Texts come from our own corpus (models/corpus), never from the shared real comments. `--data-dir`
keeps the built data dir for the next run (building 100k takes a minute or two).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks import CORPUS_DIR
from benchmarks.stats import summarize
from live_helper import linktriage, serve_helper

GOAL_TAB_MS = 300.0
NOTES = 60
DAYS = 30
PRODUCTS = ["落地灯", "羊毛地毯", "香薰蜡烛", "亚麻窗帘", "陶瓷花瓶", "藤编收纳篮", "床头柜", "抱枕套"]

# tab -> what "its first rows are on screen" means
FIRST_ROWS = {
    "inbox": "#view-inbox .row",
    "comments": "#view-comments .row",
    "products": "#view-products tr[data-product]",
    "insights": "#view-insights [data-chart=days] rect.bar",
    "pairing": "#view-pairing h2",
}
DEFAULT_FIRST = "#view-{tab} > *"  # a tab added later (e.g. teach): its first content

# In the page: empty the view, click its tab, and resolve with [ms until `selector` matches (first
# rows on screen), ms until the view has read fresh data from the helper (its data-loads counter
# moves; null for views without one)].
TIME_TAB = """
([tab, selector]) => new Promise((resolve, reject) => {
  const section = document.getElementById(`view-${tab}`);
  section.replaceChildren();
  const loadsBefore = section.dataset.loads;
  const counted = loadsBefore !== undefined;
  let first = null;
  const started = performance.now();
  const check = () => {
    if (first === null && document.querySelector(selector)) first = performance.now() - started;
    const fresh = counted && section.dataset.loads !== loadsBefore && document.querySelector(selector);
    if (first !== null && (!counted || fresh)) {
      observer.disconnect();
      resolve([first, counted ? performance.now() - started : null]);
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.querySelector('main'), { childList: true, subtree: true, attributes: true, attributeFilter: ['data-loads'] });
  setTimeout(() => { observer.disconnect(); reject(new Error(`${tab}: no ${selector} within 20 s`)); }, 20000);
  document.querySelector(`[data-view="${tab}"]`).click();
})
"""

# The helper's answers behind the tabs, each timed fresh: insights with a tz_offset never asked
# before (its cache is per filter), the lists as they are (they are not cached).
API_PATHS = {
    "inbox": "/api/inbox?mode=requests&view=new&limit=50",
    "comments": "/api/inbox?mode=comments&view=all&limit=50",
    "waiting": "/api/inbox?mode=requests&view=waiting&limit=50",
    "notes": "/api/notes",
    "insights (uncached)": "/api/insights?tz_offset={n}",
}


def _cli(data_dir: Path, *args: str) -> None:
    proc = linktriage(*args, data_dir=data_dir, timeout=None)
    if proc.returncode != 0:
        raise SystemExit(f"bench dashboard: linktriage {' '.join(args)} failed: {proc.stderr[-800:]}")


def build_data_dir(data_dir: Path, comments: int, seed: int = 15) -> None:
    """`comments` comments from our corpus over NOTES notes and DAYS days, plus a small catalog."""
    from helper.nlp.corpus import load_corpus

    texts = [row.text for row in load_corpus(CORPUS_DIR) if row.text]
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    notes = [f"68{n:022x}" for n in range(NOTES)]
    catalog = data_dir / "catalog.csv"
    lines = ["name,link,aliases,note_ids,reply"]
    for i, name in enumerate(PRODUCTS):
        lines.append(f"{name},,,{'|'.join(notes[i::len(PRODUCTS)])},")
    catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _cli(data_dir, "products", "import", str(catalog))
    path = data_dir / "comments.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(comments):
            note = notes[rng.randrange(NOTES)]
            created = now - timedelta(seconds=rng.randrange(DAYS * 86400))
            out.write(json.dumps({
                "id": f"d{i:09d}", "note_id": note, "note_title": f"笔记 {notes.index(note) + 1}",
                "text": rng.choice(texts), "author": f"用户{i % 4999}", "author_id": f"u{i % 4999}",
                "created_at": created.isoformat(), "like_count": rng.randrange(20),
            }, ensure_ascii=False) + "\n")
    _cli(data_dir, "ingest", str(path))
    (data_dir / "bench-comments.txt").write_text(str(comments))


def _ready(data_dir: Path, comments: int) -> bool:
    marker = data_dir / "bench-comments.txt"
    return marker.exists() and marker.read_text().strip() == str(comments)


def time_tabs(port: int, rounds: int) -> dict[str, list[float]]:
    from browser.chromium import launch
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="linktriage-bench-profile-") as profile, sync_playwright() as p:
        context = launch(p, Path(profile), extension=False)
        page = context.new_page()
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/#inbox")
        page.wait_for_selector(FIRST_ROWS["inbox"], timeout=60_000)
        tabs = page.locator("nav.tabs [data-view]").evaluate_all("as => as.map(a => a.dataset.view)")
        tabs = tabs[1:] + tabs[:1]  # never "switch" to the tab already shown (no hashchange, nothing to time)
        for tab in tabs:  # warm-up: the browser's caches and the helper's first queries
            page.evaluate(TIME_TAB, [tab, FIRST_ROWS.get(tab, DEFAULT_FIRST.format(tab=tab))])
        for _ in range(rounds):
            for tab in tabs:
                first, fresh = page.evaluate(TIME_TAB, [tab, FIRST_ROWS.get(tab, DEFAULT_FIRST.format(tab=tab))])
                samples.setdefault(tab, []).append(first)
                if fresh is not None:
                    samples.setdefault(f"{tab} (fresh data)", []).append(fresh)
        token = page.evaluate("document.querySelector('meta[name=linktriage-token]').content")
        context.close()
    for n in range(rounds):
        for name, path in API_PATHS.items():
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path.format(n=n + 1)}", headers={"X-LinkTriage-Token": token})
            started = time.perf_counter()
            urllib.request.urlopen(request, timeout=60).read()
            samples.setdefault(f"API {name}", []).append((time.perf_counter() - started) * 1000)
    return samples


def measure_dashboard_tabs(comments: int = 100_000, rounds: int = 5, data_dir: str | None = None, goal=None) -> dict:
    """{tab: {median, ...}, "goals": [...]} — `goal(what, measured, goal)` as measures._goal."""
    holder = None
    if data_dir is None:
        holder = tempfile.TemporaryDirectory(prefix="linktriage-bench-dashboard-")
        data_dir = holder.name
    root = Path(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        if not _ready(root, comments):
            build_data_dir(root, comments)
        build_s = time.perf_counter() - started
        with serve_helper(root) as helper:
            samples = time_tabs(helper.port, rounds)
    finally:
        if holder is not None:
            holder.cleanup()
    result = {"comments": comments, "build_seconds": round(build_s, 1), "tabs_ms": {}}
    goals = []
    for tab, values in samples.items():
        stats = summarize(values)
        result["tabs_ms"][tab] = {**stats.as_dict(), "max": round(max(values), 1)}
        if goal is not None and not tab.startswith("API ") and not tab.endswith("(fresh data)"):
            goals.append(goal(f"dashboard tab '{tab}' first rows at {comments:,} comments, median (ms)", stats.median, GOAL_TAB_MS))
    result["goals"] = goals
    return result


def describe_dashboard(result: dict) -> list[str]:
    lines = [f"{result['comments']:,} comments (data built in {result['build_seconds']} s)"]
    for tab, s in result["tabs_ms"].items():
        lines.append(f"{tab}: median {s['median']:.1f} ms (max {s['max']:.1f} ms)")
    return lines


def _goal(what: str, measured: float, goal: float) -> dict:
    return {"what": what, "measured": round(measured, 1), "goal": goal, "met": measured <= goal}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir", help="build (once) and keep the benchmark's data dir here")
    parser.add_argument("--out", help="also write the result as JSON to this file")
    args = parser.parse_args(argv)
    result = measure_dashboard_tabs(args.comments, args.rounds, args.data_dir, _goal)
    print(f"dashboard tabs at {args.comments:,} comments ({args.rounds} rounds; data built in {result['build_seconds']} s):")
    for line in describe_dashboard(result)[1:]:
        print("  " + line)
    for g in result["goals"]:
        print(f"  [{'ok' if g['met'] else 'MISSED'}] {g['what']}: {g['measured']} (goal ≤ {g['goal']})")
    if args.out:
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if all(g["met"] for g in result["goals"]) else 1


if __name__ == "__main__":
    sys.exit(main())
