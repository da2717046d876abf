"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Q = require("../../extension/lib/queue.js");

const batch = (n, tag) => ({ kind: "comments", note: { id: tag }, comments: Array.from({ length: n }, (_, i) => ({ id: `${tag}-${i}` })) });

test("enqueue keeps order and numbers items", () => {
  let q = Q.emptyQueue();
  for (const tag of ["a", "b", "c"]) q = Q.enqueue(q, batch(2, tag)).queue;
  assert.deepEqual(q.items.map((it) => [it.seq, it.note.id]), [[1, "a"], [2, "b"], [3, "c"]]);
  assert.equal(Q.head(q).note.id, "a");
  assert.equal(Q.commentCount(q), 6);
  q = Q.remove(q, 1);
  assert.equal(Q.head(q).note.id, "b");
  q = Q.remove(Q.remove(q, 2), 3);
  assert.equal(Q.head(q), null);
});

test("bounds drop the oldest and count them", () => {
  const limits = { maxComments: 10, maxItems: 3 };
  const table = [
    // [batch sizes, expected remaining tags, dropped items, dropped comments]
    [[4, 4], ["b0", "b1"], 0, 0],
    [[4, 4, 4], ["b1", "b2"], 1, 4],
    [[1, 1, 1, 1], ["b1", "b2", "b3"], 1, 1],
    [[50], ["b0"], 0, 0], // a single oversized batch is kept: it is the newest, never drop the last one
    [[3, 50], ["b1"], 1, 3],
  ];
  for (const [sizes, tags, dropped, droppedComments] of table) {
    let q = Q.emptyQueue();
    sizes.forEach((n, i) => (q = Q.enqueue(q, batch(n, `b${i}`), limits).queue));
    assert.deepEqual(q.items.map((it) => it.note.id), tags, JSON.stringify(sizes));
    assert.equal(q.dropped, dropped, JSON.stringify(sizes));
    assert.equal(q.droppedComments, droppedComments, JSON.stringify(sizes));
  }
  const triage = Q.enqueue(Q.emptyQueue(), { kind: "triage", id: "x", body: { status: "replied" } });
  assert.equal(Q.commentCount(triage.queue), 0);
});

test("split keeps the position of the split batch", () => {
  let q = Q.emptyQueue();
  for (const tag of ["a", "b", "c"]) q = Q.enqueue(q, batch(4, tag)).queue;
  const b = q.items[1];
  q = Q.split(q, b.seq, [{ ...b, comments: b.comments.slice(0, 2) }, { ...b, comments: b.comments.slice(2) }]);
  assert.deepEqual(q.items.map((it) => `${it.note.id}:${it.comments.length}`), ["a:4", "b:2", "b:2", "c:4"]);
  assert.equal(new Set(q.items.map((it) => it.seq)).size, 4);
  assert.ok(q.nextSeq > Math.max(...q.items.map((it) => it.seq)));
});

test("coerceQueue repairs whatever storage returns", () => {
  assert.deepEqual(Q.coerceQueue(undefined), Q.emptyQueue());
  assert.deepEqual(Q.coerceQueue("garbage"), Q.emptyQueue());
  const q = Q.coerceQueue({ items: [{ seq: 7, kind: "comments", comments: [] }, null, { seq: "x" }], nextSeq: 2, dropped: 1 });
  assert.equal(q.items.length, 1);
  assert.equal(q.nextSeq, 8, "nextSeq never reuses a queued seq");
  assert.equal(q.dropped, 1);
});

test("chunk", () => {
  assert.deepEqual(Q.chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(Q.chunk([], 2), []);
});

/** Apply a storageDiff to a plain object standing for chrome.storage.local. */
function applyDiff(store, { set, remove }) {
  Object.assign(store, set);
  for (const key of remove) delete store[key];
}

test("storage is append-only: a change writes only the items it adds and removes", () => {
  const store = {};
  let q = Q.emptyQueue();
  for (const tag of ["a", "b", "c"]) {
    const next = Q.enqueue(q, batch(3, tag)).queue;
    const diff = Q.storageDiff(q, next);
    assert.deepEqual(Object.keys(diff.set).sort(), [Q.META_KEY, Q.keyOf(next.nextSeq - 1)].sort(), "one item and the small meta record");
    assert.deepEqual(diff.remove, []);
    applyDiff(store, diff);
    q = next;
  }
  // Delivering the head removes one key and writes nothing else.
  const afterRemove = Q.remove(q, q.items[0].seq);
  const diff = Q.storageDiff(q, afterRemove);
  assert.deepEqual(diff, { set: {}, remove: [Q.keyOf(1)] });
  applyDiff(store, diff);
  q = afterRemove;
  // A split writes its parts (before removing the original) and keeps the position.
  const b = q.items[0];
  const split = Q.split(q, b.seq, [{ ...b, comments: b.comments.slice(0, 1) }, { ...b, comments: b.comments.slice(1) }]);
  applyDiff(store, Q.storageDiff(q, split));
  const { queue: loaded, legacy } = Q.fromStorage({ ...store, tokens: { 17615: "x" }, rejected: [] });
  assert.equal(legacy, false);
  assert.deepEqual(loaded.items.map((it) => `${it.note.id}:${it.comments.length}`), ["b:1", "b:2", "c:3"]);
  assert.deepEqual(loaded.items, split.items);
  assert.equal(loaded.nextSeq, split.nextSeq);
});

test("the older one-key layout is read and rewritten once", () => {
  let old = Q.emptyQueue();
  for (const tag of ["a", "b"]) old = Q.enqueue(old, batch(2, tag)).queue;
  const stored = { queue: { items: old.items.map(({ pos, ...it }) => it), nextSeq: old.nextSeq, dropped: 2, droppedComments: 7 } };
  const { queue, legacy } = Q.fromStorage(stored);
  assert.equal(legacy, true);
  assert.deepEqual(queue.items.map((it) => it.note.id), ["a", "b"]);
  assert.equal(queue.droppedComments, 7);
  const diff = Q.storageDiff(Q.emptyQueue(), queue, { legacy: true });
  applyDiff(stored, diff);
  assert.ok(!("queue" in stored));
  const again = Q.fromStorage(stored);
  assert.equal(again.legacy, false);
  assert.deepEqual(again.queue, queue);
});

test("a split of a split still sits before the next item", () => {
  let q = Q.emptyQueue();
  for (const tag of ["a", "b"]) q = Q.enqueue(q, batch(8, tag)).queue;
  for (let depth = 0; depth < 3; depth++) {
    const first = q.items[0];
    const half = first.comments.length / 2;
    q = Q.split(q, first.seq, [{ ...first, comments: first.comments.slice(0, half) }, { ...first, comments: first.comments.slice(half) }]);
  }
  assert.deepEqual(q.items.map((it) => `${it.note.id}:${it.comments.length}`), ["a:1", "a:1", "a:2", "a:4", "b:8"]);
  const positions = q.items.map((it) => it.pos);
  assert.deepEqual([...positions].sort((x, y) => x - y), positions);
});
