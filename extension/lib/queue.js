/* The delivery queue as pure state transitions, and how a change is written to storage. The service
 * worker keeps the state in memory and in storage.local, and delivers the head first, so the
 * helper sees batches in capture order.
 * Stored append-only: one key per item ("q:<seq>") plus a small "qmeta" record, so a change writes only
 * the items it added and removes the ones it dropped — never the whole queue again (at its 20,000-comment
 * bound the queue is ~5 MB; rewriting it on every delivery took ~1.5 s a time).
 * Bounded: past the limits the OLDEST items are dropped and counted, so the popup and the toolbar badge
 * can warn (nothing is dropped silently). */
(function (root) {
  "use strict";

  const DEFAULT_LIMITS = Object.freeze({ maxComments: 20000, maxItems: 2000 });
  const ITEM_PREFIX = "q:";
  const META_KEY = "qmeta";
  const LEGACY_KEY = "queue"; // before the append-only layout: the whole queue under one key

  function emptyQueue() {
    return { items: [], nextSeq: 1, dropped: 0, droppedComments: 0 };
  }

  function validItem(it) {
    return !!it && typeof it === "object" && Number.isInteger(it.seq);
  }

  /** Repair whatever storage gave back (missing, older shape, garbage) into a valid queue state. */
  function coerceQueue(value) {
    const q = emptyQueue();
    if (!value || typeof value !== "object") return q;
    if (Array.isArray(value.items)) q.items = value.items.filter(validItem).map((it) => (typeof it.pos === "number" ? it : { ...it, pos: it.seq }));
    q.nextSeq = Math.max(Number.isInteger(value.nextSeq) ? value.nextSeq : 1, ...q.items.map((it) => it.seq + 1), 1);
    q.dropped = Number.isInteger(value.dropped) ? value.dropped : 0;
    q.droppedComments = Number.isInteger(value.droppedComments) ? value.droppedComments : 0;
    return q;
  }

  function keyOf(seq) {
    return ITEM_PREFIX + seq;
  }

  /** Everything storage.local held (lib/platform.js storage.get()) → the queue (items in delivery order). Reads the
   * older one-key layout too; `legacy` true means it should be rewritten in the new layout once. */
  function fromStorage(all) {
    const stored = all && typeof all === "object" ? all : {};
    const meta = stored[META_KEY] && typeof stored[META_KEY] === "object" ? stored[META_KEY] : {};
    const items = [];
    for (const key of Object.keys(stored)) {
      if (key.startsWith(ITEM_PREFIX) && validItem(stored[key]) && keyOf(stored[key].seq) === key) items.push(stored[key]);
    }
    const legacy = stored[LEGACY_KEY] && typeof stored[LEGACY_KEY] === "object" ? coerceQueue(stored[LEGACY_KEY]) : null;
    if (legacy) {
      const have = new Set(items.map((it) => it.seq));
      for (const it of legacy.items) if (!have.has(it.seq)) items.push(it);
    }
    const q = coerceQueue({
      items,
      nextSeq: Math.max(meta.nextSeq || 1, legacy ? legacy.nextSeq : 1),
      dropped: (meta.dropped || 0) + (legacy ? legacy.dropped : 0),
      droppedComments: (meta.droppedComments || 0) + (legacy ? legacy.droppedComments : 0),
    });
    q.items.sort((a, b) => a.pos - b.pos || a.seq - b.seq);
    return { queue: q, legacy: !!legacy };
  }

  function metaOf(q) {
    return { nextSeq: q.nextSeq, dropped: q.dropped, droppedComments: q.droppedComments };
  }

  /** What to write for the change before → after: {set: {key: value}, remove: [keys]}. Items are
   * immutable once queued, so an item is new exactly when its seq is. Write `set` before `remove`: a
   * crash between the two then delivers an item twice (the helper dedupes) instead of losing one. */
  function storageDiff(before, after, { legacy = false } = {}) {
    const set = {};
    const remove = [];
    const had = new Set(legacy ? [] : before.items.map((it) => it.seq));
    const has = new Set(after.items.map((it) => it.seq));
    for (const it of after.items) if (!had.has(it.seq)) set[keyOf(it.seq)] = it;
    for (const it of before.items) if (!has.has(it.seq)) remove.push(keyOf(it.seq));
    const m0 = metaOf(before);
    const m1 = metaOf(after);
    if (legacy || m0.nextSeq !== m1.nextSeq || m0.dropped !== m1.dropped || m0.droppedComments !== m1.droppedComments) set[META_KEY] = m1;
    if (legacy) remove.push(LEGACY_KEY);
    return { set, remove };
  }

  function weight(item) {
    return item.kind === "comments" && Array.isArray(item.comments) ? item.comments.length : 1;
  }

  function commentCount(q) {
    let n = 0;
    for (const it of q.items) if (it.kind === "comments") n += weight(it);
    return n;
  }

  function totalWeight(q) {
    let n = 0;
    for (const it of q.items) n += weight(it);
    return n;
  }

  /** Append `item` (given the next seq); drop the oldest items while over the limits. */
  function enqueue(q, item, limits = DEFAULT_LIMITS) {
    const last = q.items.length ? q.items[q.items.length - 1].pos : 0;
    const next = { ...q, items: [...q.items, { ...item, seq: q.nextSeq, pos: Math.max(q.nextSeq, Math.floor(last) + 1) }], nextSeq: q.nextSeq + 1 };
    let dropped = 0;
    let droppedComments = 0;
    let total = totalWeight(next);
    let start = 0;
    while (next.items.length - start > 1 && (total > limits.maxComments || next.items.length - start > limits.maxItems)) {
      const oldest = next.items[start++];
      total -= weight(oldest);
      dropped += 1;
      if (oldest.kind === "comments") droppedComments += weight(oldest);
    }
    if (start) next.items = next.items.slice(start);
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

  /** Replace item `seq` in place by `parts` (a refused batch split in two); they keep its position:
   * their `pos` lies between the split item's and the next one's. */
  function split(q, seq, parts) {
    const items = [];
    let nextSeq = q.nextSeq;
    q.items.forEach((it, i) => {
      if (it.seq !== seq) {
        items.push(it);
        return;
      }
      const after = i + 1 < q.items.length ? q.items[i + 1].pos : it.pos + 1;
      const step = (after - it.pos) / parts.length;
      parts.forEach((part, k) => items.push({ ...part, seq: nextSeq++, pos: it.pos + k * step }));
    });
    return { ...q, items, nextSeq };
  }

  function clearDropped(q) {
    return { ...q, dropped: 0, droppedComments: 0 };
  }

  /** Cut a list into chunks of at most `size`. */
  function chunk(list, size) {
    const out = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return out;
  }

  const api = {
    DEFAULT_LIMITS,
    ITEM_PREFIX,
    META_KEY,
    LEGACY_KEY,
    emptyQueue,
    coerceQueue,
    fromStorage,
    storageDiff,
    keyOf,
    enqueue,
    head,
    remove,
    split,
    clearDropped,
    commentCount,
    chunk,
  };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.queue = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
