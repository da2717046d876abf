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

test("backoff grows and is capped; chunk", () => {
  assert.deepEqual([0, 1, 2, 3].map(Q.backoffMs), [2000, 4000, 8000, 16000]);
  assert.equal(Q.backoffMs(50), 300000);
  assert.deepEqual(Q.chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(Q.chunk([], 2), []);
});
