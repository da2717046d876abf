/* Delivery: the outbox's items sent to the helper in order (the helper sees batches in capture order).
 *
 * Never waits long (the rules are lib/delivery.js's): while anything is queued a retry alarm is set (it
 * wakes a stopped worker, every 15-30 s), failures retry at a short fixed interval while the worker
 * lives, and a capture, the popup opening or a successful health check deliver at once. A batch the helper
 * refuses (413 too large, any 4xx/5xx) is split until the one bad item is found; that item is set aside
 * (listed in the popup, retried after an extension update) and the rest is delivered. Comments the helper
 * skips in an accepted batch are set aside the same way. A busy helper (503, 429) refuses nothing: the
 * batch stays whole and nothing is sent before its Retry-After (nor before the short retry interval) has
 * passed. A refused pairing token (401, 403) is re-paired by the helper client; while pairing is closed
 * the queue waits and is tried again slowly. A triage the helper operator's role may not make (403 reason
 * role, team mode) is dropped — the pairing stays — and the popup says so once (status.setNotice). */
(function (root) {
  "use strict";

  const RETRY_ALARM = "linktriage-retry";
  // Called as functions, not as methods of this object: a browser's setTimeout with another `this` throws.
  const GLOBAL_TIMERS = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };

  /** A failed call → the helper's status as the popup shows it. */
  function statusFromError(err) {
    if (err && err.kind === "offline") return { state: "offline" };
    if (err && err.kind === "foreign") return { state: "foreign" };
    if (err && err.kind === "role") return { state: "paired" }; // the token works; the operator's role refused the call
    if (err && (err.kind === "pairing-refused" || err.kind === "unauthorized")) return { state: "pairing-refused", error: err.message };
    if (err && err.status === 403) return { state: "pairing-refused", error: err.message };
    if (err && err.kind === "http") return { state: "error", error: `HTTP ${err.status}: ${err.message}`, httpStatus: err.status };
    return { state: "error", error: String((err && err.message) || err) };
  }

  /**
   * platform: lib/platform.js; outbox: background/outbox.js; status: background/badge.js createStatus;
   * helper: background/helper-client.js; Q, D, K: lib/queue.js, lib/delivery.js, lib/constants.js;
   * timers: {setTimeout, clearTimeout} (the retry timer; tests pass their own clock).
   */
  function createDelivery({ platform, outbox, status, helper, Q, D, K, timers = GLOBAL_TIMERS }) {
    let retryTimer = null;
    let draining = null;
    let drainAgain = false;
    let lastSuccessAt = 0;
    let busyUntil = 0; // the helper answered "busy" (503, 429): deliver nothing before this (ms)
    const failedSince = new Map(); // seq → when that lone item first failed with a 5xx (this worker's life)

    /** Queue `items`; delivery starts at once; resolves when they are in storage (then the tab may forget them). */
    async function enqueue(items) {
      const { queue, droppedComments, written } = await outbox.add(items);
      ensureAlarm();
      drainSoon(); // the queue in memory has the items: no need to wait for the write to deliver them
      await written;
      if (droppedComments) console.warn(`LinkTriage: queue full, dropped ${droppedComments} oldest comments`);
      status.updateBadge().catch(() => {});
      return { queued: Q.commentCount(queue), droppedComments };
    }

    /** After an extension update (or a reload of the unpacked extension) the fix may be in: queue what
     * was set aside again. What is still refused is set aside again, with the new reason. */
    async function requeueSetAside() {
      const again = await outbox.takeRejected();
      if (!again.length) return 0;
      await enqueue(again);
      return again.length;
    }

    /** While anything is queued an alarm is set: it wakes a stopped worker, whatever stopped it (even in
     * the middle of a delivery, before any failure). Cleared once the queue is empty. */
    async function ensureAlarm() {
      try {
        const q = await outbox.load();
        if (!q.items.length) return;
        const existing = await platform.alarms.get(RETRY_ALARM);
        if (!existing) await platform.alarms.create(RETRY_ALARM, { delayInMinutes: D.ALARM_MINUTES, periodInMinutes: D.ALARM_MINUTES });
      } catch (err) {
        console.error("LinkTriage alarm", err);
      }
    }

    function clearRetry() {
      timers.clearTimeout(retryTimer);
      retryTimer = null;
    }

    function scheduleRetry(delay) {
      timers.clearTimeout(retryTimer);
      retryTimer = timers.setTimeout(() => {
        retryTimer = null;
        drainSoon({ force: true }); // the wait asked for is over (a timer may fire a moment early)
      }, delay);
    }

    async function notifyTab(tabId, message) {
      if (typeof tabId !== "number" || tabId < 0) return;
      try {
        await platform.tabs.sendMessage(tabId, message);
      } catch (_) {
        /* the tab is gone or shows another page: it will get verdicts again when it re-captures */
      }
    }

    /** Deliver one queue item. Returns {done}, {split: parts}, {setAside: reason}, {drop: notice} or {skip}; throws when
     * the helper cannot be reached (or refuses us): retry later. */
    async function deliver(item) {
      const platformName = item.platform || K.SITE_PLATFORM;
      if (item.kind === "comments") {
        try {
          const { data } = await helper.callHelper("POST", "/api/comments", { platform: platformName, note: item.note, comments: item.comments }, { timeoutMs: D.DELIVERY_TIMEOUT_MS });
          const results = (data && Array.isArray(data.results) && data.results) || [];
          const threadReplied = (data && Array.isArray(data.thread_replied) && data.thread_replied) || [];
          await notifyTab(item.tabId, { type: "linktriage:verdicts", noteId: item.note && item.note.id, results, threadReplied });
          if (data && Array.isArray(data.skipped)) {
            for (const s of data.skipped) {
              const comment = item.comments[s && s.index];
              if (comment) await outbox.setAside({ ...item, comments: [comment] }, `skipped by helper: ${(s && s.reason) || "?"}`);
            }
          }
          return { done: true };
        } catch (err) {
          const outcome = D.onRefused({ ...item, failedAt: item.failedAt || failedSince.get(item.seq) }, err, { lastSuccessAt });
          if (!outcome) throw err;
          return { ...outcome, error: err };
        }
      }
      if (item.kind === "triage") {
        try {
          await helper.callHelper("PATCH", `/api/comments/${encodeURIComponent(item.id)}?platform=${encodeURIComponent(platformName)}`, item.body, { timeoutMs: D.DELIVERY_TIMEOUT_MS });
        } catch (err) {
          // Same rule as a lone comment: a 4xx (e.g. 404, the comment is unknown) sets it aside; a 5xx steps
          // over it until the helper is seen working, so a bad triage never blocks the comments behind it;
          // a busy helper (503, 429) is retried later like a connection failure.
          const outcome = D.onRefused({ ...item, failedAt: item.failedAt || failedSince.get(item.seq) }, err, { lastSuccessAt });
          if (!outcome) throw err;
          return { ...outcome, error: err };
        }
        return { done: true };
      }
      return { setAside: "unknown queue item" };
    }

    /** Deliver the queue in order. An item that failed alone with a 5xx (not yet known to be its own fault)
     * is stepped over for this run, so the items behind it still go. */
    async function drain() {
      await ensureAlarm();
      const stepped = new Set();
      let refusal = null;
      let delivered = false;
      for (;;) {
        const q = await outbox.load();
        const item = q.items.find((it) => !stepped.has(it.seq));
        if (!item) {
          if (!q.items.length) {
            clearRetry();
            await platform.alarms.clear(RETRY_ALARM);
            if (delivered) await status.set({ state: "paired" });
          } else if (refusal) {
            // Everything left failed alone: the helper itself may be broken. Keep it all, try again soon.
            await status.set(statusFromError(refusal));
            scheduleRetry(D.RETRY_MS);
          }
          await status.updateBadge();
          return;
        }
        let outcome;
        try {
          outcome = await deliver(item);
        } catch (err) {
          // Not delivered, and not the item's fault: it stays whole in its place for the next try.
          const delay = D.retryDelay(err);
          busyUntil = D.isBusy(err) ? Date.now() + delay : 0;
          await status.set(statusFromError(err));
          scheduleRetry(delay);
          return;
        }
        if (outcome.skip) {
          stepped.add(item.seq);
          refusal = outcome.error;
          failedSince.set(item.seq, outcome.failedAt);
          continue;
        }
        if (outcome.split) {
          await outbox.update((cur) => ({ queue: Q.split(cur, item.seq, outcome.split) }));
          continue;
        }
        if (outcome.drop) {
          // The operator's role may not do this: retrying cannot help. The helper answered, so it works.
          await status.setNotice(outcome.drop);
          await notifyTab(item.tabId, { type: "linktriage:role-refused", id: item.id, notice: outcome.drop });
          failedSince.delete(item.seq);
          await outbox.update((cur) => ({ queue: Q.remove(cur, item.seq) }));
          lastSuccessAt = Date.now();
          delivered = true;
          continue;
        }
        if (outcome.setAside) {
          await outbox.setAside(item, outcome.setAside);
          failedSince.delete(item.seq);
          await outbox.update((cur) => ({ queue: Q.remove(cur, item.seq) }));
          continue;
        }
        lastSuccessAt = Date.now();
        delivered = true;
        if (stepped.size) stepped.clear(); // the helper works: the items stepped over get one more try (then set aside)
        // Not waiting for the removal to be written: after a crash the item is delivered again, and the helper
        // answers a re-sent comment with its stored verdict without storing it twice.
        await outbox.update((cur) => ({ queue: Q.remove(cur, item.seq) }), { persisted: false });
        await status.set({ state: "paired" });
      }
    }

    /** Start delivering, or — if a delivery run is under way — make it look at the queue once more when it
     * ends (it may have found the queue empty just before this new item was written). While the helper
     * asked us to wait (busy), a capture, an alarm or the popup only make sure the retry is set;
     * `force` (the retry timer, the popup's "retry now") delivers anyway. */
    function drainSoon({ force = false } = {}) {
      if (draining) {
        drainAgain = true;
        return draining;
      }
      const wait = busyUntil - Date.now();
      if (wait > 0 && !force) {
        scheduleRetry(wait);
        return Promise.resolve();
      }
      clearRetry();
      draining = (async () => {
        do {
          drainAgain = false;
          try {
            await drain();
          } catch (err) {
            console.error("LinkTriage drain", err);
            scheduleRetry(D.RETRY_MS);
          }
        } while (drainAgain && !retryTimer);
      })().finally(() => (draining = null));
      return draining;
    }

    return {
      enqueue,
      requeueSetAside,
      drainSoon,
      statusFromError,
      /** When the helper last accepted a delivery (ms; 0: not in this worker's life). */
      get lastSuccessAt() {
        return lastSuccessAt;
      },
    };
  }

  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.background = root.LinkTriage.background || {};
  root.LinkTriage.background.delivery = { createDelivery, statusFromError, RETRY_ALARM };
  if (typeof module === "object" && module && module.exports) module.exports = root.LinkTriage.background.delivery;
})(globalThis);
