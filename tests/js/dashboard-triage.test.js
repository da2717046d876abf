"use strict";
// Pure helpers of the dashboard's triage pass (helper/dashboard/js/triage.js, an ES module).
const test = require("node:test");
const assert = require("node:assert/strict");

const load = () => import("../../helper/dashboard/js/triage.js");

test("a handled row leaves the new and waiting views, stays in all; not-a-request leaves the inbox", async () => {
  const T = await load();
  const ask = { is_request: true, status: "new", correction: null };
  assert.equal(T.staysInView({ ...ask, status: "replied" }, "new", "inbox"), false);
  assert.equal(T.staysInView({ ...ask, status: "replied" }, "waiting", "inbox"), false);
  assert.equal(T.staysInView({ ...ask, status: "replied" }, "all", "inbox"), true);
  assert.equal(T.staysInView({ ...ask, status: "replied" }, "replied", "inbox"), true);
  assert.equal(T.staysInView({ ...ask, is_request: false }, "new", "inbox"), false);
  assert.equal(T.staysInView({ ...ask, is_request: false }, "all", "comments"), true);
  assert.deepEqual(T.VIEWS.map(T.viewStatus), ["new", "new", "replied", "ignored", null]);
});

test("the verdict is the helper's is_request: a stored correction is not applied again", async () => {
  const T = await load();
  // As GET /api/inbox sends them: is_request already has the correction applied.
  const corrected = { id: "a", status: "new", is_request: false, model_is_request: true, correction: "not_request" };
  const missed = { id: "b", status: "new", is_request: true, model_is_request: false, correction: "missed" };
  assert.equal(T.staysInView(corrected, "all", "inbox"), false);
  assert.equal(T.staysInView(missed, "new", "inbox"), true);
  // The same fields with a helper that said otherwise: the row follows the helper, not the correction.
  assert.equal(T.staysInView({ ...corrected, is_request: true }, "new", "inbox"), true);
});

test("a change shown before the helper answers: a correction sets the verdict, none brings back the model's", async () => {
  const T = await load();
  const row = { id: "a", status: "new", is_request: true, model_is_request: true, correction: null, text: "求链接" };
  // [row, PATCH body] -> is_request shown until the helper's answer replaces the row
  const table = [
    [row, { correction: "not_request" }, false],
    [{ ...row, is_request: false, model_is_request: false }, { correction: "missed" }, true],
    [{ ...row, is_request: false, correction: "not_request" }, { correction: null }, true],
    [{ ...row, model_is_request: false, correction: "missed" }, { correction: null }, false],
    [row, { status: "replied" }, true],
  ];
  for (const [item, change, want] of table) {
    const next = T.withChange(item, change);
    assert.equal(next.is_request, want, JSON.stringify(change));
    assert.deepEqual({ ...next, is_request: item.is_request }, { ...item, ...change });
  }
  assert.equal(row.correction, null); // the row itself is not changed
});

test("tab counts follow a row: status, waiting, and in or out of the inbox", async () => {
  const T = await load();
  const counts = { new: 5, waiting: 2, replied: 1, ignored: 0, all: 6 };
  const at = (status, waiting = false, listed = true) => ({ status, waiting, listed });
  // replied: new -1 (and waiting), replied +1; all unchanged
  assert.deepEqual(T.shiftCounts(counts, 1, at("new", true), at("replied")), { new: 4, waiting: 1, replied: 2, ignored: 0, all: 6 });
  // not a request: out of every inbox count; undoing it brings it back
  const out = T.shiftCounts(counts, 2, at("new", true), at("new", true, false));
  assert.deepEqual(out, { new: 3, waiting: 0, replied: 1, ignored: 0, all: 4 });
  assert.deepEqual(T.shiftCounts(out, 2, at("new", true, false), at("new", true)), counts);
  // never below zero
  assert.deepEqual(T.shiftCounts({ new: 0, all: 0 }, 1, at("new"), at("new", false, false)), { new: 0, all: 0 });
  assert.equal(counts.new, 5); // new counts, the old ones stay
});

test("the score shows only when the model is unsure", async () => {
  const T = await load();
  assert.deepEqual([0.1, 0.35, 0.5, 0.65, 0.9, undefined].map(T.isUnsure), [false, true, true, true, false, false]);
});

test("keyset pages: next starts after the last row shown, prev goes back, the first page stays", async () => {
  const T = await load();
  let starts = [null];
  starts = T.pagerNext(starts, "2026-11-25 10:00:00|51");
  starts = T.pagerNext(starts, "2026-11-25 09:00:00|7");
  assert.deepEqual(starts, [null, "2026-11-25 10:00:00|51", "2026-11-25 09:00:00|7"]);
  assert.deepEqual(T.pagerPrev(T.pagerPrev(T.pagerPrev(starts))), [null]);
  assert.deepEqual(T.pagerNext([null], null), [null]);
});

test("the same buyer under one note is one row; focus after a row leaves", async () => {
  const T = await load();
  const items = [
    { id: "a", same_buyer: [{ id: "c" }] },
    { id: "b", same_buyer: [] },
    { id: "c", same_buyer: [{ id: "a" }] },
  ];
  assert.deepEqual(T.collapseBuyers(items).map((e) => [e.item.id, e.siblings]), [["a", ["c"]], ["b", []]]);
  assert.deepEqual(T.collapseBuyers(items, false).map((e) => e.item.id), ["a", "b", "c"]);
  assert.equal(T.commentKey({ id: 42 }), "42");
  // [focus, removed index, rows left] -> new focus
  const table = [[3, 3, 9, 3], [3, 1, 9, 2], [3, 5, 9, 3], [9, 9, 9, 8], [0, 0, 0, 0]];
  for (const [focus, removed, length, want] of table) assert.equal(T.focusAfterRemoval(focus, removed, length), want);
});

test("ActionQueue runs saves one at a time in the order the keys were pressed", async () => {
  const T = await load();
  const log = [];
  let idle = 0;
  const queue = new T.ActionQueue(() => idle++);
  const slow = (name, ms) => () => new Promise((resolve) => setTimeout(() => { log.push(name); resolve(name); }, ms));
  const results = await Promise.all([queue.push(slow("r1", 30)), queue.push(slow("r2", 1)), queue.push(slow("i3", 10))]);
  assert.deepEqual(log, ["r1", "r2", "i3"]);
  assert.deepEqual(results, ["r1", "r2", "i3"]);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(idle, 1);
  // A failed save does not stop the ones after it.
  await assert.rejects(queue.push(() => Promise.reject(new Error("500"))));
  assert.equal(await queue.push(async () => "after"), "after");
});

test("grouped by note: notes in the order they first appear, rows keep their order inside a note", async () => {
  const T = await load();
  const entries = [["a", "n2"], ["b", "n1"], ["c", "n2"], ["d", "n3"], ["e", "n1"]].map(([id, note_id]) => ({ item: { id, note_id } }));
  assert.deepEqual(T.orderByNote(entries).map((e) => e.item.id), ["a", "c", "b", "e", "d"]);
  assert.deepEqual(T.orderByNote([]), []);
});

test("reply choices: named products, then the note's own, then unlinked ones; at most 9", async () => {
  const T = await load();
  const products = [
    { name: "灯", note_ids: ["n2"] }, { name: "毯", note_ids: ["n1"] }, { name: "蜡烛", note_ids: [] },
    ...Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, note_ids: ["n9"] })),
  ];
  const picked = T.templateChoices({ note_id: "n1", products: ["灯"] }, products).map((p) => p.name);
  assert.deepEqual(picked.slice(0, 3), ["灯", "毯", "蜡烛"]);
  assert.equal(picked.length, 9);
});
