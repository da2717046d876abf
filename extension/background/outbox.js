/* The outbox: the persistent delivery queue and the list of items set aside. Content scripts' captures are
 * written here (storage.local, one key per item: lib/queue.js) BEFORE being acknowledged. The worker is
 * the only writer, so the queue is kept in memory too: a change is made in memory at once (synchronously,
 * so changes never overwrite each other) and written to storage in order, as the items it adds and
 * removes. Delivery may start on an item whose write is still under way; an item whose write had not
 * finished when the worker died was not acknowledged, so its tab still holds it. */
(function (root) {
  "use strict";

  // At most this many items set aside are kept (the oldest go first).
  const MAX_REJECTED = 500;

  /** The outbox over `platform` (lib/platform.js) and `Q` (lib/queue.js, the pure queue transitions). */
  function createOutbox({ platform, Q }) {
    let memQueue = null;
    let loadingQueue = null;
    let writing = Promise.resolve();

    /** The queue (read from storage once, then the copy in memory). */
    function load() {
      if (memQueue) return Promise.resolve(memQueue);
      if (!loadingQueue) {
        loadingQueue = platform.storage.get().then((stored) => {
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
        if (Object.keys(set).length) await platform.storage.set(set);
        if (remove.length) await platform.storage.remove(remove);
      });
      writing = run.catch(() => {});
      return run;
    }

    /** fn(q) → {queue, result}, synchronous. The new queue is used at once and written; `persisted`
     * false: do not wait for the write (a removal after delivery: redoing it after a crash is harmless). */
    async function update(fn, { persisted = true } = {}) {
      await load();
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

    /** Append `items`. Resolves once they are in the queue in memory (delivery may start) to
     * {queue, droppedComments, written}: `written` resolves when they are in storage (then the tab may
     * forget them). Past the queue's bounds the oldest items are dropped and counted. */
    async function add(items) {
      await load();
      const before = memQueue; // read after the await: another change may have landed meanwhile
      let queue = before;
      let droppedComments = 0;
      for (const item of items) {
        const r = Q.enqueue(queue, item);
        queue = r.queue;
        droppedComments += r.droppedComments;
      }
      memQueue = queue;
      return { queue, droppedComments, written: persistChange(before, queue) };
    }

    // ---- items set aside: the helper refused them alone. Listed in the popup, retried after an update ----
    async function rejected() {
      const { rejected: list } = await platform.storage.get("rejected");
      return Array.isArray(list) ? list : [];
    }

    async function setAside(item, reason) {
      const list = await rejected();
      const { seq, pos, failedAt, ...kept } = item;
      list.push({ at: Date.now(), reason, version: platform.runtime.version(), item: kept });
      await platform.storage.set({ rejected: list.slice(-MAX_REJECTED) });
    }

    async function clearRejected() {
      await platform.storage.set({ rejected: [] });
    }

    /** Empty the list; resolves to the items that were set aside (to queue them again). */
    async function takeRejected() {
      const again = (await rejected()).filter((r) => r && r.item && typeof r.item === "object");
      if (again.length) await clearRejected();
      return again.map((r) => r.item);
    }

    return { load, update, add, rejected, setAside, clearRejected, takeRejected };
  }

  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.background = root.LinkTriage.background || {};
  root.LinkTriage.background.outbox = { createOutbox, MAX_REJECTED };
  if (typeof module === "object" && module && module.exports) module.exports = root.LinkTriage.background.outbox;
})(globalThis);
