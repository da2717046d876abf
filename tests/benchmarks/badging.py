"""Browser measures: how fast a freshly loaded note page is badged, and what the content script costs
the page's main thread per batch of DOM mutations.

Runs the unpacked extension in Debian's Chromium against our fixture Xiaohongshu (tests/browser/fixtures,
served on the real URLs; `browser` is tests/browser as a namespace package) and a real `linktriage serve`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.helper_http import running_helper
from benchmarks.stats import summarize
from browser.chromium import launch, point_extension_at
from browser.fixtures import xhs_data as X
from browser.fixtures.xhs_site import FixtureSite

# Main world, before the page's scripts: when did the first comment and each badge appear?
BADGE_CLOCK = """
(() => {
  const clock = (window.__ltBench = { firstItem: null, badges: [] });
  new MutationObserver(() => {
    if (clock.firstItem === null && document.querySelector('.comment-item')) clock.firstItem = performance.now();
    const n = document.querySelectorAll('[data-linktriage="badge"]').length;
    while (clock.badges.length < n) clock.badges.push(performance.now());
  }).observe(document, { childList: true, subtree: true });
})();
"""

# Append `count` new top-level comments (cloned from the page's own markup) in one DOM mutation batch.
APPEND_BATCH = """
([batch, count, texts, tag]) => {
  const list = document.querySelector('.comments-container .list-container');
  const model = list.querySelector('.parent-comment');
  const frag = document.createDocumentFragment();
  for (let i = 0; i < count; i++) {
    const thread = model.cloneNode(true);
    thread.querySelectorAll('[data-linktriage]').forEach(el => el.remove());
    thread.querySelectorAll('.reply-container .comment-item').forEach(el => el.remove());
    const item = thread.querySelector('.comment-item');
    item.id = 'comment-bench' + String(batch * 1000 + i).padStart(16, '0') + tag;
    item.querySelector('.content .note-text span').textContent = texts[i % texts.length];
    frag.append(thread);
  }
  list.append(frag);
}
"""

REQUEST_TEXTS = ["沙发求链接", "灯在哪里买呀", "link please", "同款求链接🔗", "这个多少钱", "好看", "哈哈哈", "已三连"]


def _fresh_note(round_no: int):
    """Note A under a new note id and new comment ids: the helper has never seen them."""
    return X.note_a_under(f"6800{round_no:020x}", f"68{round_no:06x}")


def _badge_latency(page, url: str) -> float | None:
    page.goto(url)
    page.wait_for_function("window.__ltBench && window.__ltBench.badges.length > 0", timeout=15_000)
    time.sleep(2.0)  # let stragglers arrive: the latency is until the LAST badge of the page
    clock = page.evaluate("window.__ltBench")
    return clock["badges"][-1] - clock["firstItem"]


# After the last batch: the content script reads DOM-only comments after a 2 s grace, then they travel to
# the helper and back as badges. That work belongs to the batches too, so it is counted.
SETTLE_S = 3.5
MUTATION_ROUNDS_MAX = 3


def _script_ms_per_batch(context, page, url: str, batches: int, tag: str) -> float:
    """Main-thread script time (all worlds) per appended batch of 10 comments, from CDP metrics, including
    the work the batches cause after the last one (SETTLE_S). `tag` makes the comment ids new to the helper."""
    page.goto(url)
    page.wait_for_selector(".comment-item")
    time.sleep(2.0)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def script_seconds() -> float:
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "ScriptDuration")

    before = script_seconds()
    for batch in range(batches):
        page.evaluate(APPEND_BATCH, [batch, 10, REQUEST_TEXTS, tag])
        time.sleep(0.7)  # past the content script's throttle and the helper round trip (badges)
    time.sleep(SETTLE_S)
    return (script_seconds() - before) * 1000 / batches


def measure_badging(rounds: int, goal_badge_ms: float, goal_mutation_ms: float, goal) -> dict:
    from playwright.sync_api import sync_playwright

    mutation_rounds = max(1, min(rounds, MUTATION_ROUNDS_MAX))
    notes = {n.id: n for n in (_fresh_note(r) for r in range(rounds + 1 + mutation_rounds))}
    site = FixtureSite(notes)
    note_ids = list(notes)
    mutation_notes = note_ids[rounds + 1 :]
    with running_helper() as (port, _pid), sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        ext = launch(p, Path(tmp) / "ext")
        site.install(ext)
        ext.add_init_script(BADGE_CLOCK)
        point_extension_at(ext, port)
        page = ext.new_page()
        _badge_latency(page, site.note_url(note_ids[0]))  # warm-up: pairing, model load
        latencies = [_badge_latency(page, site.note_url(nid)) for nid in note_ids[1 : rounds + 1]]

        # Script time is wall time on a busy machine: alternate with/without over several rounds (fresh
        # notes and comment ids each) and take medians rather than trusting one sample of each.
        bare = launch(p, Path(tmp) / "bare", extension=False)
        site.install(bare)
        bare.add_init_script(BADGE_CLOCK)
        bare_page = bare.new_page()
        with_ext, without_ext = [], []
        for r, nid in enumerate(mutation_notes):
            with_ext.append(_script_ms_per_batch(ext, page, site.note_url(nid), batches=20, tag=f"w{r}"))
            without_ext.append(_script_ms_per_batch(bare, bare_page, site.note_url(nid), batches=20, tag=f"b{r}"))
        ext.close()
        bare.close()

    badge = summarize(latencies)
    with_med, without_med = statistics.median(with_ext), statistics.median(without_ext)
    added = max(0.0, with_med - without_med)
    return {
        "badge_latency_ms": badge.as_dict(),
        "script_ms_per_mutation_batch": {"with_extension": round(with_med, 2), "without": round(without_med, 2),
                                         "added_by_extension": round(added, 2), "rounds": len(with_ext),
                                         "with_extension_rounds": [round(v, 2) for v in with_ext],
                                         "without_rounds": [round(v, 2) for v in without_ext]},
        "goals": [
            goal("page badged after its comments render, p50 (ms)", badge.median, goal_badge_ms),
            goal("content script main-thread time per mutation batch (ms)", added, goal_mutation_ms),
        ],
    }
