/* The delivery queue as pure state transitions. The service worker keeps the state in
 * chrome.storage.local and delivers the head first, so the helper sees batches in capture order.
 * Bounded: past the limits the OLDEST items are dropped and counted, so the popup and the toolbar badge
 * can warn (nothing is dropped silently). */
(function (root) {
  "use strict";

  const DEFAULT_LIMITS = Object.freeze({ maxComments: 20000, maxItems: 2000 });

  function emptyQueue() {
    return { items: [], nextSeq: 1, dropped: 0, droppedComments: 0 };
  }

  /** Repair whatever storage gave back (missing, older shape, garbage) into a valid queue state. */
  function coerceQueue(value) {
    const q = emptyQueue();
    if (!value || typeof value !== "object") return q;
    if (Array.isArray(value.items)) q.items = value.items.filter((it) => it && typeof it === "object" && Number.isInteger(it.seq));
    q.nextSeq = Math.max(Number.isInteger(value.nextSeq) ? value.nextSeq : 1, ...q.items.map((it) => it.seq + 1), 1);
    q.dropped = Number.isInteger(value.dropped) ? value.dropped : 0;
    q.droppedComments = Number.isInteger(value.droppedComments) ? value.droppedComments : 0;
    return q;
  }

  function weight(item) {
    return item.kind === "comments" && Array.isArray(item.comments) ? item.comments.length : 1;
  }

  function commentCount(q) {
    return q.items.reduce((n, it) => n + (it.kind === "comments" ? weight(it) : 0), 0);
  }

  function totalWeight(q) {
    return q.items.reduce((n, it) => n + weight(it), 0);
  }

  /** Append `item` (given the next seq); drop the oldest items while over the limits. */
  function enqueue(q, item, limits = DEFAULT_LIMITS) {
    const next = { ...q, items: [...q.items, { ...item, seq: q.nextSeq }], nextSeq: q.nextSeq + 1 };
    let dropped = 0;
    let droppedComments = 0;
    while (next.items.length > 1 && (totalWeight(next) > limits.maxComments || next.items.length > limits.maxItems)) {
      const [oldest, ...rest] = next.items;
      next.items = rest;
      dropped += 1;
      if (oldest.kind === "comments") droppedComments += weight(oldest);
    }
    next.dropped += dropped;
    next.droppedComments += droppedComments;
    return { queue: next, dropped, droppedComments };
  }

  function head(q) {
    return q.items.length ? q.items[0] : null;
  }

  /** Remove the delivered item (by seq, wherever it is now: the queue may have changed meanwhile). */
  function remove(q, seq) {
    return { ...q, items: q.items.filter((it) => it.seq !== seq) };
  }

  /** Replace item `seq` in place by `parts` (a batch split in two after 413); they keep its position. */
  function split(q, seq, parts) {
    const items = [];
    let nextSeq = q.nextSeq;
    for (const it of q.items) {
      if (it.seq === seq) {
        for (const part of parts) items.push({ ...part, seq: nextSeq++ });
      } else {
        items.push(it);
      }
    }
    // Keep delivery order = array order; seq only identifies items.
    return { ...q, items, nextSeq };
  }

  function clearDropped(q) {
    return { ...q, dropped: 0, droppedComments: 0 };
  }

  /** Retry delay after `failures` consecutive failures: 2 s, 4 s, 8 s … capped at 5 minutes. */
  function backoffMs(failures) {
    const n = Math.max(0, Math.min(failures, 20));
    return Math.min(2000 * 2 ** n, 5 * 60 * 1000);
  }

  /** Cut a list into chunks of at most `size` (the helper takes ≤ 500 comments a request). */
  function chunk(list, size) {
    const out = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return out;
  }

  const api = { DEFAULT_LIMITS, emptyQueue, coerceQueue, enqueue, head, remove, split, clearDropped, commentCount, backoffMs, chunk };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.queue = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
