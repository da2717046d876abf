/* Service worker: the only part that talks to the helper. Content scripts hand over captured comments;
 * they are written to a persistent queue (chrome.storage.local, one key per item: lib/queue.js) BEFORE
 * being acknowledged, then delivered in order. The worker keeps the queue in memory too (it is the only
 * writer), so delivery of a new batch starts while its write is still under way; a batch whose write had
 * not finished when the worker died was not acknowledged, so the tab still holds it.
 *
 * Delivery never waits long (lib/delivery.js): while anything is queued a retry alarm is set (it wakes a
 * stopped worker, every 30 s), failures retry at a short fixed interval while the worker lives, and a
 * capture, the popup opening or a successful health check deliver at once. A batch the helper refuses is
 * split until the one bad item is found; that item is set aside (listed in the popup, retried after an
 * extension update) and the rest is delivered. A busy helper (503, 429) refuses nothing: the batch stays
 * whole and nothing is sent before its Retry-After (nor before the short retry interval) has passed. */
/* global importScripts */
if (typeof importScripts === "function") {
  // Chromium: one service_worker file. Firefox loads the same files from background.scripts instead.
  importScripts("../lib/constants.js", "../lib/queue.js", "../lib/delivery.js", "helper-client.js");
}

(function () {
  "use strict";

  const K = globalThis.LinkTriage.constants;
  const Q = globalThis.LinkTriage.queue;
  const D = globalThis.LinkTriage.delivery;
  const H = globalThis.LinkTriage.helperClient;
  const RETRY_ALARM = "linktriage-retry";
  const MAX_REJECTED = 500;
  const NOTE_ID = K.NOTE_ID;
  const VERSION = chrome.runtime.getManifest().version;

  let retryTimer = null;
  let draining = null;
  let lastStatus = { state: "unknown" };
  let lastSuccessAt = 0;
  let busyUntil = 0; // the helper answered "busy" (503, 429): deliver nothing before this (ms)
  const failedSince = new Map(); // seq → when that lone item first failed with a 5xx (this worker's life)

  // ---- the persistent queue: changed in memory (synchronously, so changes never overwrite each other),
  // every change written to storage in order, as the items it adds and removes ----
  let memQueue = null;
  let loadingQueue = null;
  let writing = Promise.resolve();

  function loadQueue() {
    if (memQueue) return Promise.resolve(memQueue);
    if (!loadingQueue) {
      loadingQueue = chrome.storage.local.get(null).then((stored) => {
        if (memQueue) return memQueue;
        const { queue, legacy } = Q.fromStorage(stored);
        memQueue = queue;
        if (legacy) persistChange(Q.emptyQueue(), queue, { legacy: true }).catch((err) => console.error("LinkTriage: queue migration", err));
        return memQueue;
      });
      loadingQueue.finally(() => (loadingQueue = null)).catch(() => {});
    }
    return loadingQueue;
  }

  /** Write the change before → after; resolves once it (and every change made before it) is written. */
  function persistChange(before, after, options) {
    const { set, remove } = Q.storageDiff(before, after, options);
    const run = writing.then(async () => {
      if (Object.keys(set).length) await chrome.storage.local.set(set);
      if (remove.length) await chrome.storage.local.remove(remove);
    });
    writing = run.catch(() => {});
    return run;
  }

  /** fn(q) → {queue, result}, synchronous. The new queue is used at once and written; `persisted`
   * false: do not wait for the write (a removal after delivery: redoing it after a crash is harmless). */
  async function withQueue(fn, { persisted = true } = {}) {
    await loadQueue();
    const before = memQueue; // read after the await: another change may have landed meanwhile
    const { queue, result } = fn(before);
    if (queue && queue !== before) {
      memQueue = queue;
      const write = persistChange(before, queue);
      if (persisted) await write;
      else write.catch((err) => console.error("LinkTriage: queue write failed", err));
    }
    return result;
  }

  /** Queue `items`; delivery starts at once; resolves when they are in storage (then the tab may forget them). */
  async function enqueue(items) {
    await loadQueue();
    const before = memQueue; // read after the await: another change may have landed meanwhile
    let queue = before;
    let droppedComments = 0;
    for (const item of items) {
      const r = Q.enqueue(queue, item);
      queue = r.queue;
      droppedComments += r.droppedComments;
    }
    memQueue = queue;
    const written = persistChange(before, queue);
    ensureAlarm();
    drainSoon(); // the queue in memory has the items: no need to wait for the write to deliver them
    await written;
    if (droppedComments) console.warn(`LinkTriage: queue full, dropped ${droppedComments} oldest comments`);
    updateBadge().catch(() => {});
    return { queued: Q.commentCount(queue), droppedComments };
  }

  // ---- items set aside: the helper refused them alone. Listed in the popup, retried after an update ----
  async function setAside(item, reason) {
    const { rejected } = await chrome.storage.local.get("rejected");
    const list = Array.isArray(rejected) ? rejected : [];
    const { seq, pos, failedAt, ...kept } = item;
    list.push({ at: Date.now(), reason, version: VERSION, item: kept });
    await chrome.storage.local.set({ rejected: list.slice(-MAX_REJECTED) });
  }

  /** After an extension update (or a reload of the unpacked extension) the fix may be in: queue what
   * was set aside again. What is still refused is set aside again, with the new reason. */
  async function requeueSetAside() {
    const { rejected } = await chrome.storage.local.get("rejected");
    const again = (Array.isArray(rejected) ? rejected : []).filter((r) => r && r.item && typeof r.item === "object");
    if (!again.length) return 0;
    await chrome.storage.local.set({ rejected: [] });
    await enqueue(again.map((r) => r.item));
    return again.length;
  }

  // ---- status shown by the popup and the toolbar badge ----
  async function setStatus(status) {
    const changed = status.state !== lastStatus.state || status.error !== lastStatus.error;
    lastStatus = { ...status, at: Date.now() };
    // Written when it changes, or at most every 5 s: the popup shows when it was last confirmed.
    if (changed || !setStatus.writtenAt || Date.now() - setStatus.writtenAt > 5000) {
      setStatus.writtenAt = Date.now();
      await chrome.storage.local.set({ helperStatus: lastStatus });
    }
    if (changed) await updateBadge();
  }

  async function updateBadge() {
    const q = await loadQueue();
    const queued = Q.commentCount(q);
    let text = "";
    let color = "#5b6b7a";
    if (q.dropped > 0) {
      text = "!";
      color = "#d93025";
    } else if (queued > 0 && lastStatus.state !== "paired") {
      text = queued > 999 ? "999+" : String(queued);
      color = "#e37400";
    }
    try {
      await chrome.action.setBadgeText({ text });
      await chrome.action.setBadgeBackgroundColor({ color });
    } catch (_) {
      /* no action API (tests under other runtimes) */
    }
  }

  // ---- delivery ----
  /** While anything is queued an alarm is set: it wakes a stopped worker, whatever stopped it (even in
   * the middle of a delivery, before any failure). Cleared once the queue is empty. */
  async function ensureAlarm() {
    try {
      const q = await loadQueue();
      if (!q.items.length) return;
      const existing = await chrome.alarms.get(RETRY_ALARM);
      if (!existing) await chrome.alarms.create(RETRY_ALARM, { delayInMinutes: D.ALARM_MINUTES, periodInMinutes: D.ALARM_MINUTES });
    } catch (err) {
      console.error("LinkTriage alarm", err);
    }
  }

  function scheduleRetry(delay) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      drainSoon({ force: true }); // the wait asked for is over (a timer may fire a moment early)
    }, delay);
  }

  function statusFromError(err) {
    if (err && err.kind === "offline") return { state: "offline" };
    if (err && err.kind === "foreign") return { state: "foreign" };
    if (err && (err.kind === "pairing-refused" || err.kind === "unauthorized")) return { state: "pairing-refused", error: err.message };
    if (err && err.status === 403) return { state: "pairing-refused", error: err.message };
    if (err && err.kind === "http") return { state: "error", error: `HTTP ${err.status}: ${err.message}`, httpStatus: err.status };
    return { state: "error", error: String((err && err.message) || err) };
  }

  async function notifyTab(tabId, message) {
    if (typeof tabId !== "number" || tabId < 0) return;
    try {
      await chrome.tabs.sendMessage(tabId, message, { frameId: 0 });
    } catch (_) {
      /* the tab is gone or shows another page: it will get verdicts again when it re-captures */
    }
  }

  /** Deliver one queue item. Returns {done}, {split: parts}, {setAside: reason} or {skip}; throws when
   * the helper cannot be reached (or refuses us): retry later. */
  async function deliver(item) {
    if (item.kind === "comments") {
      try {
        const { data } = await H.callHelper("POST", "/api/comments", { platform: item.platform || K.SITE_PLATFORM, note: item.note, comments: item.comments }, { timeoutMs: D.DELIVERY_TIMEOUT_MS });
        const results = (data && Array.isArray(data.results) && data.results) || [];
        const threadReplied = (data && Array.isArray(data.thread_replied) && data.thread_replied) || [];
        await notifyTab(item.tabId, { type: "linktriage:verdicts", noteId: item.note && item.note.id, results, threadReplied });
        if (data && Array.isArray(data.skipped)) {
          for (const s of data.skipped) {
            const comment = item.comments[s && s.index];
            if (comment) await setAside({ ...item, comments: [comment] }, `skipped by helper: ${(s && s.reason) || "?"}`);
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
        await H.callHelper("PATCH", `/api/comments/${encodeURIComponent(item.id)}?platform=${encodeURIComponent(item.platform || K.SITE_PLATFORM)}`, item.body, { timeoutMs: D.DELIVERY_TIMEOUT_MS });
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
      const q = await loadQueue();
      const item = q.items.find((it) => !stepped.has(it.seq));
      if (!item) {
        if (!q.items.length) {
          clearTimeout(retryTimer);
          retryTimer = null;
          await chrome.alarms.clear(RETRY_ALARM);
          if (delivered) await setStatus({ state: "paired" });
        } else if (refusal) {
          // Everything left failed alone: the helper itself may be broken. Keep it all, try again soon.
          await setStatus(statusFromError(refusal));
          scheduleRetry(D.RETRY_MS);
        }
        await updateBadge();
        return;
      }
      let outcome;
      try {
        outcome = await deliver(item);
      } catch (err) {
        // Not delivered, and not the item's fault: it stays whole in its place for the next try.
        const delay = D.retryDelay(err);
        busyUntil = D.isBusy(err) ? Date.now() + delay : 0;
        await setStatus(statusFromError(err));
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
        await withQueue((cur) => ({ queue: Q.split(cur, item.seq, outcome.split) }));
        continue;
      }
      if (outcome.setAside) {
        await setAside(item, outcome.setAside);
        failedSince.delete(item.seq);
        await withQueue((cur) => ({ queue: Q.remove(cur, item.seq) }));
        continue;
      }
      lastSuccessAt = Date.now();
      delivered = true;
      if (stepped.size) stepped.clear(); // the helper works: the items stepped over get one more try (then set aside)
      // Not waiting for the removal to be written: after a crash the item is delivered again, and the helper
      // answers a re-sent comment with its stored verdict without storing it twice.
      await withQueue((cur) => ({ queue: Q.remove(cur, item.seq) }), { persisted: false });
      await setStatus({ state: "paired" });
    }
  }

  let drainAgain = false;

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
    clearTimeout(retryTimer);
    retryTimer = null;
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

  // ---- messages from content scripts, popup, options ----
  function cleanNote(note, fallbackId) {
    const n = note && typeof note === "object" ? note : {};
    // Cut by code points: half an emoji is a lone surrogate, which the helper cannot store.
    const str = (v, max = 500) => (typeof v === "string" && v ? Array.from(v).slice(0, max).join("") : null);
    const count = (v) => (Number.isInteger(v) && v >= 0 ? v : undefined);
    return {
      id: str(n.id, 64) || fallbackId,
      title: str(n.title),
      author_id: str(n.author_id, 64),
      author_name: str(n.author_name),
      url: str(n.url, 2048),
      comment_count: count(n.comment_count), // coverage: the note's own count, threads not expanded yet
      unexpanded_threads: count(n.unexpanded_threads),
    };
  }

  async function onCapture(msg, sender) {
    const comments = (Array.isArray(msg.comments) ? msg.comments : []).filter(
      (c) => c && typeof c === "object" && typeof c.id === "string" && c.id && typeof c.text === "string",
    );
    const noteId = msg.note && typeof msg.note.id === "string" && NOTE_ID.test(msg.note.id) ? msg.note.id : null;
    if (!noteId || !comments.length) return { ok: false, permanent: true, error: "empty or malformed capture" };
    const note = cleanNote(msg.note, noteId);
    const tabId = sender.tab ? sender.tab.id : -1;
    const items = Q.chunk(comments, K.SEND_BATCH).map((part) => ({ kind: "comments", tabId, note, comments: part, at: Date.now() }));
    const { queued } = await enqueue(items); // persisted before we acknowledge; delivery already started
    return { ok: true, queued };
  }

  async function onTriage(msg) {
    const body = {};
    if (K.STATUSES.includes(msg.status)) body.status = msg.status;
    if (K.CORRECTIONS.includes(msg.correction)) body.correction = msg.correction;
    if (typeof msg.id !== "string" || !msg.id || !Object.keys(body).length) return { ok: false, error: "bad triage" };
    await enqueue([{ kind: "triage", id: msg.id, body, at: Date.now() }]);
    return { ok: true };
  }

  /** The helper's state as the popup shows it: the health check, a check that our pairing is still
   * accepted, and the last delivery's result (a helper that answers its health check but fails every
   * delivery is not "connected"). Anything we could not find out is reported as unknown (null). */
  async function onStatus() {
    const ping = await H.ping();
    const q = await loadQueue();
    const { rejected, helperStatus } = await chrome.storage.local.get(["rejected", "helperStatus"]);
    const last = helperStatus || lastStatus; // survives worker restarts
    let state = ping.state === "ok" ? "pairing" : ping.state;
    let error = null;
    if (ping.state === "ok") {
      // Pairs right away when there is no token yet and the helper allows it (zero-config); with a token,
      // one authenticated call tells whether it is still accepted (a revoke is noticed here).
      try {
        await H.callHelper("GET", "/api/requests?limit=1", undefined, { timeoutMs: 5000 });
        state = "paired";
      } catch (err) {
        ({ state, error } = statusFromError(err));
      }
      // The health check succeeded: deliver now rather than at the next retry.
      if (q.items.length && state === "paired") drainSoon();
      // ...but a helper that fails deliveries is not "connected", whatever its health check says.
      if (state === "paired" && q.items.length && last.state === "error" && last.at > lastSuccessAt) {
        state = "error";
        error = last.error;
      }
    }
    // Remember what we found out (the toolbar badge follows it), unless it is the same as already known.
    if (state !== lastStatus.state && (state !== "error" || !q.items.length)) await setStatus(error ? { state, error } : { state });
    return {
      state,
      error,
      port: ping.port,
      version: ping.version || null,
      modelLoaded: !!ping.model_loaded,
      queued: Q.commentCount(q),
      queuedItems: q.items.length,
      dropped: q.droppedComments,
      rejected: Array.isArray(rejected) ? rejected.length : 0,
      lastDeliveryAt: lastSuccessAt || null,
      checkedAt: Date.now(),
      dashboard: H.baseUrl(ping.port) + "/",
    };
  }

  /** The items set aside, for the popup's list: what, when and why (comment texts cut short). */
  async function onSetAside() {
    const { rejected } = await chrome.storage.local.get("rejected");
    const list = Array.isArray(rejected) ? rejected : [];
    return {
      ok: true,
      items: list.map((r) => {
        const item = (r && r.item) || {};
        const comments = Array.isArray(item.comments) ? item.comments : [];
        return {
          at: r.at,
          reason: String(r.reason || ""),
          kind: item.kind || "?",
          note: (item.note && (item.note.title || item.note.id)) || null,
          count: item.kind === "comments" ? comments.length : 1,
          text: comments.length ? Array.from(String(comments[0].text || "")).slice(0, 60).join("") : item.id || "",
        };
      }),
    };
  }

  async function onNoteRequests(msg) {
    if (typeof msg.noteId !== "string" || !NOTE_ID.test(msg.noteId)) return { ok: false };
    const { data } = await H.callHelper("GET", `/api/requests?note_id=${encodeURIComponent(msg.noteId)}&limit=1`);
    let captured = null;
    try {
      const cov = (await H.callHelper("GET", `/api/coverage?note_id=${encodeURIComponent(msg.noteId)}`)).data;
      const row = cov && Array.isArray(cov.items) ? cov.items[0] : null;
      if (row && typeof row.captured === "number") captured = row.captured;
    } catch (_) {
      /* an older helper without /api/coverage: the tab's own count is shown */
    }
    return { ok: true, total: data && typeof data.total === "number" ? data.total : null, captured };
  }

  async function onExport(msg) {
    const query = msg.noteId && NOTE_ID.test(msg.noteId) ? `?note_id=${encodeURIComponent(msg.noteId)}` : "";
    const { data } = await H.callHelper("GET", `/api/export.csv${query}`, undefined, { as: "text" });
    return { ok: true, csv: data };
  }

  const handlers = {
    "linktriage:capture": onCapture,
    "linktriage:triage": onTriage,
    "linktriage:status": onStatus,
    "linktriage:note-requests": onNoteRequests,
    "linktriage:export": onExport,
    "linktriage:retry-now": async () => {
      const before = Q.commentCount(await loadQueue());
      await drainSoon({ force: true });
      const q = await loadQueue();
      return { ok: true, delivered: Math.max(0, before - Q.commentCount(q)), queued: Q.commentCount(q), state: lastStatus.state, error: lastStatus.error || null };
    },
    "linktriage:set-aside": onSetAside,
    "linktriage:clear-set-aside": async () => {
      await chrome.storage.local.set({ rejected: [] });
      return { ok: true };
    },
    "linktriage:clear-warning": async () => {
      await withQueue((q) => ({ queue: Q.clearDropped(q) }));
      await updateBadge();
      return { ok: true };
    },
  };

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !msg || typeof msg !== "object") return false;
    const handler = handlers[msg.type];
    if (!handler) return false;
    handler(msg, sender).then(sendResponse, (err) => sendResponse({ ok: false, error: String((err && err.message) || err), kind: err && err.kind }));
    return true; // async response
  });

  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RETRY_ALARM) drainSoon();
  });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.port) drainSoon({ force: true }); // another helper: its own answers count
  });
  chrome.runtime.onStartup.addListener(() => drainSoon());
  chrome.runtime.onInstalled.addListener((details) => {
    if (details && details.reason === "update") requeueSetAside().catch((err) => console.error("LinkTriage requeue", err));
    drainSoon();
  });

  // Every wake-up (a message, an alarm, a browser start) also resumes whatever is still queued.
  drainSoon();
})();
