"""A long note (issue 16, item 11): 1,500 comments, ~750 of them requests. The badges must not make the
page janky: the long tasks (> 50 ms on the main thread) while the verdicts arrive and the badges are drawn
are measured with the browser's own PerformanceObserver.

The helper is down while the creator scrolls the whole note (everything waits in the queue), then comes
back: from then on the page itself does nothing, so every long task in that window is the extension's.
"""

from __future__ import annotations

import os
import time

import pytest

from chromium import point_extension_at
from fixtures import xhs_data as X
from fixtures.xhs_site import FixtureSite
from test_extension import badged_ids, flagged_ids, load_everything, queued_comment_ids, stored_comments, wait_until

pytestmark = pytest.mark.browser

OBSERVE_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
  .observe({ type: 'longtask', buffered: true });
"""
# Measured on this 2-core machine under the team's load (500 badges): with a box of four buttons per badge
# drawn as each batch of verdicts arrived, 5 long tasks / ~1.2 s; the same extension drawing no badge, 0;
# compact chips gathered into one insertion, 0–2 long tasks / ≤ 0.35 s. The limits leave room for a
# slower moment, not for the old way.
MAX_LONG_TASKS = int(os.environ.get("LINKTRIAGE_MAX_LONG_TASKS", "4"))
MAX_LONG_TASK_MS = float(os.environ.get("LINKTRIAGE_MAX_LONG_TASK_MS", "800"))


def measure_long_tasks(launch_chromium, helper_server_factory, badges: bool = True):
    """Scroll the long note with the helper down, bring the helper up, wait for every badge (or, with
    badges=False, for a quiet 5 s: for comparing against an extension that draws none) and return
    (badges expected, [(start ms, duration ms)] of the long tasks since the helper came back, page)."""
    helper = helper_server_factory()
    context = launch_chromium(extension=True)
    note = X.LONG_NOTE
    site = FixtureSite({note.id: note}).install(context)
    context.add_init_script(OBSERVE_LONG_TASKS)
    point_extension_at(context, helper.port)
    page = context.new_page()
    page.goto(site.note_url(note.id))
    load_everything(page)
    total = len(note.all_comments())
    wait_until(lambda: len(queued_comment_ids(context)) == total, timeout=60, message="everything queued", page=page)
    page.wait_for_timeout(1000)

    start = page.evaluate("performance.now()")
    helper.start()
    wait_until(lambda: len(stored_comments(helper)) == total, timeout=120, message="everything delivered", page=page)
    expected = {i for i in flagged_ids(helper, note)}
    assert len(expected) >= total // 4
    if badges:
        wait_until(lambda: badged_ids(page) == expected, timeout=60, message="every request badged", page=page)
        page.wait_for_timeout(500)
    else:
        page.wait_for_timeout(5000)
    tasks = [(t, d) for t, d in page.evaluate("window.__longTasks") if t >= start]
    return expected, tasks, page


def test_badges_on_a_1500_comment_note_add_few_long_tasks(launch_chromium, helper_server_factory):
    expected, tasks, page = measure_long_tasks(launch_chromium, helper_server_factory)
    total = len(X.LONG_NOTE.all_comments())
    longest = max((d for _, d in tasks), default=0)
    busy = sum(d for _, d in tasks)
    print(f"\n{len(expected)} badges on a {total}-comment note: {len(tasks)} long tasks, {busy:.0f} ms in all, longest {longest:.0f} ms")
    assert len(tasks) <= MAX_LONG_TASKS, tasks
    assert busy <= MAX_LONG_TASK_MS, tasks
    # Compact chips: their action buttons do not exist until the creator points at one.
    with_buttons = page.evaluate("""() => [...document.querySelectorAll('[data-linktriage="badge"]')]
        .filter(b => b.shadowRoot && b.shadowRoot.querySelector('button')).length""")
    assert with_buttons <= 1


def test_a_hand_over_stays_quick_with_the_queue_at_its_bound(launch_chromium, helper_server_factory):
    """The queue is stored append-only: handing over a batch with 20,000 comments already queued writes
    that batch, not the whole queue again (before: ~1.5 s per hand-over at the bound)."""
    from test_extension import extension_page

    helper = helper_server_factory()  # down: everything stays queued
    context = launch_chromium(extension=True)
    point_extension_at(context, helper.port)
    ext = extension_page(context)
    note_id = "6746dd00000000000000bb01"
    timings = ext.evaluate(
        """async (noteId) => {
            const text = '这条评论的字数和真实评论差不多，问一下沙发在哪里买的呀？顺便说一句客厅真好看';
            const batch = (b) => Array.from({length: 200}, (_, i) => ({id: `q${b}-${i}`, note_id: noteId, text, author: '买家', author_id: 'u' + i}));
            const times = [];
            for (let b = 0; b < 101; b++) {
                const t0 = performance.now();
                const reply = await chrome.runtime.sendMessage({type: 'linktriage:capture', note: {id: noteId, title: '队列'}, comments: batch(b)});
                if (!reply || !reply.ok) throw new Error(JSON.stringify(reply));
                times.push(performance.now() - t0);
            }
            return times;
        }""",
        note_id,
    )
    at_bound = sorted(timings[-10:])[5]
    print(f"\nhand-over of 200 comments: {timings[0]:.0f} ms into an empty queue, median {at_bound:.0f} ms at 20,000 queued")
    assert at_bound < 300, timings[-10:]

    # The helper comes back with 20,000 waiting: delivery starts within 30 s and goes on to the end.
    from test_extension import queued_comment_ids, stored_comments

    queued = len(queued_comment_ids(context))
    assert queued == 20000
    helper.start()
    back = time.monotonic()
    wait_until(lambda: stored_comments(helper), timeout=60, interval=0.5, message="the first batch", page=ext)
    first = time.monotonic() - back
    wait_until(lambda: len(stored_comments(helper)) >= queued, timeout=600, interval=2, message="all 20,000 delivered", page=ext)
    everything = time.monotonic() - back
    print(f"20,000 queued: first batch stored {first:.1f} s after the helper was back, all {everything:.0f} s")
    assert first <= 30
