/* Service worker: the only part that talks to the helper. Content scripts hand over captured comments;
 * they are written to a persistent queue (chrome.storage.local) BEFORE being acknowledged, then delivered
 * in order. Failed deliveries retry with backoff (a timer while the worker lives, an alarm to wake it),
 * so nothing is lost across worker or browser restarts. The worker keeps the queue in memory too (it is
 * the only writer), so delivery of a new batch starts while its write is still under way; a batch whose
 * write had not finished when the worker died was not acknowledged, so the tab still holds it. */
/* global importScripts */
if (typeof importScripts === "function") {
  // Chromium: one service_worker file. Firefox loads the same files from background.scripts instead.
  importScripts("../lib/queue.js", "helper-client.js");
}

(function () {
  "use strict";

  const Q = globalThis.LinkTriage.queue;
  const H = globalThis.LinkTriage.helperClient;
  const RETRY_ALARM = "linktriage-retry";
  const BATCH_MAX = 500; // README: POST /api/comments takes ≤ 500 comments
  const MAX_REJECTED = 500;
  const NOTE_ID = /^[0-9a-f]{24}$/i;

  let failures = 0;
  let retryTimer = null;
  let draining = null;
  let lastStatus = { state: "unknown" };

  // ---- the persistent queue: changed in memory (synchronously, so changes never overwrite each other),
  // every change written to storage in order ----
  let memQueue = null;
  let loadingQueue = null;
  let writing = Promise.resolve();

  function loadQueue() {
    if (memQueue) return Promise.resolve(memQueue);
    if (!loadingQueue) {
      loadingQueue = chrome.storage.local.get("queue").then((stored) => {
        if (!memQueue) memQueue = Q.coerceQueue(stored.queue);
        return memQueue;
      });
      loadingQueue.finally(() => (loadingQueue = null)).catch(() => {});
    }
    return loadingQueue;
  }

  /** Write the queue as it is now; resolves once a write made after this call has finished. */
  function persistQueue() {
    const run = writing.then(() => chrome.storage.local.set({ queue: memQueue }));
    writing = run.catch(() => {});
    return run;
  }

  /** fn(q) → {queue, result}, synchronous. The new queue is used at once and written; `persisted`
   * false: do not wait for the write (a removal after delivery: redoing it after a crash is harmless). */
  async function withQueue(fn, { persisted = true } = {}) {
    await loadQueue();
    const { queue, result } = fn(memQueue); // read after the await: another change may have landed meanwhile
    if (queue && queue !== memQueue) {
      memQueue = queue;
      const write = persistQueue();
      if (persisted) await write;
      else write.catch((err) => console.error("LinkTriage: queue write failed", err));
    }
    return result;
  }

  /** Queue `items`; delivery starts at once; resolves when they are in storage (then the tab may forget them). */
  async function enqueue(items) {
    await loadQueue();
    let queue = memQueue; // read after the await: another change may have landed meanwhile
    let droppedComments = 0;
    for (const item of items) {
      const r = Q.enqueue(queue, item);
      queue = r.queue;
      droppedComments += r.droppedComments;
    }
    memQueue = queue;
    const written = persistQueue();
    drainSoon(); // the queue in memory has the items: no need to wait for the write to deliver them
    await written;
    if (droppedComments) console.warn(`LinkTriage: queue full, dropped ${droppedComments} oldest comments`);
    updateBadge().catch(() => {});
    return { queued: Q.commentCount(queue), droppedComments };
  }

  async function addRejected(item, reason) {
    const { rejected } = await chrome.storage.local.get("rejected");
    const list = Array.isArray(rejected) ? rejected : [];
    list.push({ at: Date.now(), reason, item });
    await chrome.storage.local.set({ rejected: list.slice(-MAX_REJECTED) });
  }

  // ---- status shown by the popup and the toolbar badge ----
  async function setStatus(status) {
    lastStatus = { ...status, at: Date.now() };
    await chrome.storage.local.set({ helperStatus: lastStatus });
    await updateBadge();
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
  function scheduleRetry() {
    const delay = Q.backoffMs(failures);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => drainSoon(), delay);
    // The timer dies with the worker; the alarm wakes a stopped worker (Chrome fires them ≥ 30 s apart).
    chrome.alarms.create(RETRY_ALARM, { delayInMinutes: Math.max(0.5, delay / 60000) });
  }

  function statusFromError(err) {
    if (err && err.kind === "offline") return { state: "offline" };
    if (err && err.kind === "foreign") return { state: "foreign" };
    if (err && (err.kind === "pairing-refused" || err.kind === "unauthorized")) return { state: "pairing-refused", error: err.message };
    if (err && err.status === 403) return { state: "pairing-refused", error: err.message };
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

  /** Deliver one queue item. Returns {done: true} or {split: [parts]}; throws to retry later. */
  async function deliver(item) {
    if (item.kind === "comments") {
      try {
        const { data } = await H.callHelper("POST", "/api/comments", { platform: "xhs", note: item.note, comments: item.comments });
        const results = (data && Array.isArray(data.results) && data.results) || [];
        await notifyTab(item.tabId, { type: "linktriage:verdicts", noteId: item.note && item.note.id, results });
        if (data && Array.isArray(data.skipped) && data.skipped.length) {
          await addRejected({ ...item, comments: data.skipped.map((s) => item.comments[s.index]).filter(Boolean) }, "skipped by helper");
        }
        return { done: true };
      } catch (err) {
        if (err.kind === "http" && err.status === 413 && item.comments.length > 1) {
          const half = Math.ceil(item.comments.length / 2);
          return { split: [{ ...item, comments: item.comments.slice(0, half) }, { ...item, comments: item.comments.slice(half) }] };
        }
        if (err.kind === "http" && [400, 413, 415, 422].includes(err.status)) {
          await addRejected(item, `${err.status} ${err.message}`); // kept for inspection, never silently lost
          return { done: true };
        }
        throw err;
      }
    }
    if (item.kind === "triage") {
      try {
        await H.callHelper("PATCH", `/api/comments/${encodeURIComponent(item.id)}?platform=xhs`, item.body);
      } catch (err) {
        if (err.kind === "http" && [400, 404, 422].includes(err.status)) {
          await addRejected(item, `${err.status} ${err.message}`);
          return { done: true };
        }
        throw err;
      }
      return { done: true };
    }
    await addRejected(item, "unknown queue item");
    return { done: true };
  }

  async function drain() {
    for (;;) {
      const item = Q.head(await loadQueue());
      if (!item) {
        failures = 0;
        clearTimeout(retryTimer);
        await chrome.alarms.clear(RETRY_ALARM);
        await updateBadge();
        return;
      }
      let outcome;
      try {
        outcome = await deliver(item);
      } catch (err) {
        failures += 1;
        await setStatus(statusFromError(err));
        scheduleRetry();
        return;
      }
      failures = 0;
      // Not waiting for the removal to be written: after a crash the item is delivered again, and the helper
      // answers a re-sent comment with its stored verdict without storing it twice.
      await withQueue((q) => ({ queue: outcome.split ? Q.split(q, item.seq, outcome.split) : Q.remove(q, item.seq) }), { persisted: !!outcome.split });
      if (lastStatus.state !== "paired") await setStatus({ state: "paired" });
    }
  }

  let drainAgain = false;

  /** Start delivering, or — if a delivery run is under way — make it look at the queue once more when it
   * ends (it may have found the queue empty just before this new item was written). */
  function drainSoon() {
    if (draining) {
      drainAgain = true;
      return draining;
    }
    draining = (async () => {
      do {
        drainAgain = false;
        try {
          await drain();
        } catch (err) {
          console.error("LinkTriage drain", err);
        }
      } while (drainAgain && failures === 0);
    })().finally(() => (draining = null));
    return draining;
  }

  // ---- messages from content scripts, popup, options ----
  function cleanNote(note, fallbackId) {
    const n = note && typeof note === "object" ? note : {};
    const str = (v, max = 500) => (typeof v === "string" && v ? v.slice(0, max) : null);
    return { id: str(n.id, 64) || fallbackId, title: str(n.title), author_id: str(n.author_id, 64), author_name: str(n.author_name), url: str(n.url, 2048) };
  }

  async function onCapture(msg, sender) {
    const comments = (Array.isArray(msg.comments) ? msg.comments : []).filter(
      (c) => c && typeof c === "object" && typeof c.id === "string" && c.id && typeof c.text === "string",
    );
    const noteId = msg.note && typeof msg.note.id === "string" && NOTE_ID.test(msg.note.id) ? msg.note.id : null;
    if (!noteId || !comments.length) return { ok: false, permanent: true, error: "empty or malformed capture" };
    const note = cleanNote(msg.note, noteId);
    const tabId = sender.tab ? sender.tab.id : -1;
    const items = Q.chunk(comments, BATCH_MAX).map((part) => ({ kind: "comments", tabId, note, comments: part, at: Date.now() }));
    const { queued } = await enqueue(items); // persisted before we acknowledge; delivery already started
    return { ok: true, queued };
  }

  async function onTriage(msg) {
    const body = {};
    if (msg.status === "replied" || msg.status === "ignored" || msg.status === "new") body.status = msg.status;
    if (msg.correction === "not_request" || msg.correction === "missed") body.correction = msg.correction;
    if (typeof msg.id !== "string" || !msg.id || !Object.keys(body).length) return { ok: false, error: "bad triage" };
    await enqueue([{ kind: "triage", id: msg.id, body, at: Date.now() }]);
    return { ok: true };
  }

  async function onStatus() {
    const ping = await H.ping();
    const stored = await chrome.storage.local.get("rejected");
    const q = await loadQueue();
    let token = await H.getToken(ping.port);
    let state = ping.state;
    if (ping.state === "ok" && !token) {
      // Zero-config: opening the popup pairs right away when the helper allows it.
      try {
        token = await H.pair(ping.port);
        await setStatus({ state: "paired" });
      } catch (err) {
        await setStatus(statusFromError(err));
      }
    }
    if (ping.state === "ok") {
      const last = (await chrome.storage.local.get("helperStatus")).helperStatus || lastStatus; // survives restarts
      state = token ? (last.state === "pairing-refused" ? "pairing-refused" : "paired") : last.state === "pairing-refused" ? "pairing-refused" : "pairing";
    }
    // Helper back and usable: deliver now rather than at the next retry (a refused pairing waits for its
    // backoff instead, so a popup opened repeatedly does not hammer the helper).
    if (q.items.length && state === "paired") drainSoon();
    return {
      state,
      port: ping.port,
      version: ping.version || null,
      modelLoaded: !!ping.model_loaded,
      queued: Q.commentCount(q),
      queuedItems: q.items.length,
      dropped: q.droppedComments,
      rejected: Array.isArray(stored.rejected) ? stored.rejected.length : 0,
      dashboard: H.baseUrl(ping.port) + "/",
    };
  }

  async function onNoteRequests(msg) {
    if (typeof msg.noteId !== "string" || !NOTE_ID.test(msg.noteId)) return { ok: false };
    const { data } = await H.callHelper("GET", `/api/requests?note_id=${encodeURIComponent(msg.noteId)}&limit=1`);
    return { ok: true, total: data && typeof data.total === "number" ? data.total : null };
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
      failures = 0;
      await drainSoon();
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
    if (area === "local" && changes.port) {
      failures = 0;
      drainSoon();
    }
  });
  chrome.runtime.onStartup.addListener(() => drainSoon());
  chrome.runtime.onInstalled.addListener(() => drainSoon());

  // Every wake-up (a message, an alarm, a browser start) also resumes whatever is still queued.
  drainSoon();
})();
