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
  assert.equal(T.staysInView({ ...ask, correction: "not_request" }, "new", "inbox"), false);
  assert.equal(T.staysInView({ ...ask, correction: "not_request" }, "all", "comments"), true);
  assert.equal(T.staysInView({ is_request: false, correction: "missed", status: "new" }, "new", "inbox"), true);
});

test("age reads as minutes, hours, then days", async () => {
  const T = await load();
  const now = Date.parse("2026-11-25T12:00:00Z");
  const table = [
    ["2026-11-25T11:59:30Z", "等了 1 分钟", "waited 1 min"],
    ["2026-11-25T11:20:00Z", "等了 40 分钟", "waited 40 min"],
    ["2026-11-24T10:00:00Z", "等了 26 小时", "waited 26 h"],
    ["2026-11-21T11:00:00Z", "等了 4 天", "waited 4 days"],
  ];
  for (const [created, zh, en] of table) {
    const hours = T.ageHours({ created_at: created }, now);
    assert.equal(T.formatAge(hours, "zh"), zh);
    assert.equal(T.formatAge(hours, "en"), en);
  }
  assert.equal(T.ageHours({ created_at: null, captured_at: "2026-11-25T10:00:00Z" }, now), 2);
  assert.equal(T.ageHours({}, now), null);
});

test("the score shows only when the model is unsure", async () => {
  const T = await load();
  assert.deepEqual([0.1, 0.35, 0.5, 0.65, 0.9, undefined].map(T.isUnsure), [false, true, true, true, false, false]);
});

test("note links: the helper's, else the Xiaohongshu explore page", async () => {
  const T = await load();
  assert.equal(T.noteUrl({ note_url: "https://www.xiaohongshu.com/explore/a?xsec_token=t" }), "https://www.xiaohongshu.com/explore/a?xsec_token=t");
  assert.equal(T.noteUrl({ platform: "xhs", note_id: "6730a1b2000000001e01a2b3" }), "https://www.xiaohongshu.com/explore/6730a1b2000000001e01a2b3");
  assert.equal(T.noteUrl({ platform: "web", note_id: "x" }), null);
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

test("week over week and its label", async () => {
  const T = await load();
  const days = [...Array(7).fill(1), ...Array(7).fill(2)]; // 7 before, 14 in the last week
  assert.equal(T.weekOverWeek(days), 100);
  assert.equal(T.weekOverWeek([0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5]), null);
  assert.equal(T.weekOverWeek([...Array(7).fill(5), ...Array(7).fill(3)]), -40);
  assert.deepEqual([40, -12, 0, null].map(T.formatChange), ["+40 %", "−12 %", "±0 %", ""]);
});

test("legend entries wrap inside the width and never overlap", async () => {
  const T = await load();
  const labels = Array.from({ length: 20 }, (_, i) => `${i % 3 ? "" : "超长名字的"}商品${i}号 (${i})`);
  const places = T.legendLayout(labels, { left: 48, width: 600 });
  for (const [i, a] of places.entries()) {
    assert.ok(a.x >= 48 && a.x + a.width <= 48 + 600 + 1e-9 || a.x === 48, `entry ${i} fits`);
    for (const b of places.slice(i + 1)) {
      assert.ok(a.row !== b.row || a.x + a.width <= b.x || b.x + b.width <= a.x, `entries ${i} apart`);
    }
  }
  assert.ok(places[places.length - 1].row >= 2);
  assert.ok(T.textWidth("落地灯") > T.textWidth("abc"));
});
