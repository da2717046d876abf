"use strict";
// The numbers behind the insights charts (helper/dashboard/js/chart-data.js, an ES module).
const test = require("node:test");
const assert = require("node:assert/strict");

const load = () => import("../../helper/dashboard/js/chart-data.js");

test("the axis maximum has four whole-number ticks of 1, 2 or 5 × 10^n", async () => {
  const C = await load();
  // [largest value, axis maximum]
  const table = [[0, 4], [1, 4], [4, 4], [5, 8], [9, 20], [17, 20], [21, 40], [150, 200], [401, 800], [4001, 8000], [2.5, 4]];
  for (const [value, want] of table) assert.equal(C.niceMax(value), want, `niceMax(${value})`);
  for (let value = 0; value < 3000; value += 7) {
    const max = C.niceMax(value);
    assert.ok(max >= value && Number.isInteger(max / 4), `${value} -> ${max}`);
  }
});

test("the largest series are kept in palette colours, the rest folded into 'other'", async () => {
  const C = await load();
  const series = Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, counts: [i, 1], total: i + 1 }));
  const folded = C.topSeries(series, 3, "other");
  assert.deepEqual(folded.map((s) => s.name), ["p9", "p8", "p7", "other"]);
  assert.deepEqual(folded.map((s) => s.color), [...C.PALETTE.slice(0, 3), C.OTHER_COLOR]);
  assert.deepEqual(folded[3].counts, [0 + 1 + 2 + 3 + 4 + 5 + 6, 7]);
  assert.equal(folded[3].total, 21 + 7);
  assert.deepEqual(C.topSeries(series.slice(0, 2), 3, "other").map((s) => s.name), ["p1", "p0"]); // nothing to fold
});

test("a series with its own colour (product unknown) keeps it and is drawn last, after 'other'", async () => {
  const C = await load();
  const series = [
    { name: "a", counts: [1], total: 1 },
    { name: "unknown", counts: [9], total: 9, color: C.UNKNOWN_COLOR },
    { name: "b", counts: [5], total: 5 },
    { name: "c", counts: [3], total: 3 },
  ];
  const kept = C.topSeries(series, 3, "other");
  assert.deepEqual(kept.map((s) => [s.name, s.color]), [["b", C.PALETTE[0]], ["c", C.PALETTE[1]], ["other", C.OTHER_COLOR], ["unknown", C.UNKNOWN_COLOR]]);
  assert.equal(series[0].color, undefined); // the input is not coloured in place
});

test("legend entries wrap inside the width and never overlap", async () => {
  const C = await load();
  const labels = Array.from({ length: 20 }, (_, i) => `${i % 3 ? "" : "超长名字的"}商品${i}号 (${i})`);
  const places = C.legendLayout(labels, { left: 48, width: 600 });
  for (const [i, a] of places.entries()) {
    assert.ok(a.x >= 48 && a.x + a.width <= 48 + 600 + 1e-9 || a.x === 48, `entry ${i} fits`);
    for (const b of places.slice(i + 1)) {
      assert.ok(a.row !== b.row || a.x + a.width <= b.x || b.x + b.width <= a.x, `entries ${i} apart`);
    }
  }
  assert.ok(places[places.length - 1].row >= 2);
  assert.deepEqual(places.map((p) => p.y), places.map((p) => p.row * 20));
  assert.ok(C.textWidth("落地灯") > C.textWidth("abc"));
  assert.equal(C.textWidth("灯灯"), 24);
  assert.equal(C.textWidth("ab", 10), 12);
});

test("legend labels: name (total), long names cut at 40 characters", async () => {
  const C = await load();
  assert.equal(C.legendLabel({ name: "落地灯", total: 12 }), "落地灯 (12)");
  const long = C.legendLabel({ name: "长".repeat(50), total: 3 });
  assert.equal(long, `${"长".repeat(39)}… (3)`);
  assert.equal(C.legendLabel({ name: "x".repeat(40), total: 1 }), `${"x".repeat(40)} (1)`);
});

test("week over week and its label", async () => {
  const C = await load();
  const days = [...Array(7).fill(1), ...Array(7).fill(2)]; // 7 before, 14 in the last week
  assert.equal(C.weekOverWeek(days), 100);
  assert.equal(C.weekOverWeek([0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5]), null);
  assert.equal(C.weekOverWeek([...Array(7).fill(5), ...Array(7).fill(3)]), -40);
  assert.equal(C.weekOverWeek([1, 2, 3]), null); // less than two weeks of days
  assert.deepEqual([40, -12, 0, null].map(C.formatChange), ["+40 %", "−12 %", "±0 %", ""]);
});

const INSIGHTS = {
  days: ["2026-11-10", "2026-11-11"],
  total: 9,
  unanswered: 4,
  products: [
    { name: "落地灯", per_day: [2, 4], unanswered_per_day: [1, 1], total: 6, unanswered: 2 },
    { name: "", per_day: [1, 2], unanswered_per_day: [1, 1], total: 3, unanswered: 2 },
  ],
  notes: [
    { platform: "xhs", note_id: "n2", title: "卧室灯光分享", per_day: [2, 4], unanswered_per_day: [1, 1], total: 6, unanswered: 2 },
    { platform: "xhs", note_id: "n9", title: "", per_day: [1, 2], unanswered_per_day: [1, 1], total: 3, unanswered: 2 },
  ],
};

test("insight rows by product (the unknown one named and grey) and by note (untitled: its id)", async () => {
  const C = await load();
  const byProduct = C.insightRows(INSIGHTS, "product", "（未识别商品）");
  assert.deepEqual(byProduct.map((r) => [r.key, r.name, r.total, r.unanswered, r.change, r.color]), [
    ["落地灯", "落地灯", 6, 2, null, undefined],
    ["", "（未识别商品）", 3, 2, null, C.UNKNOWN_COLOR],
  ]);
  assert.deepEqual(byProduct[0].counts, [2, 4]);
  const byNote = C.insightRows(INSIGHTS, "note", "-");
  assert.deepEqual(byNote.map((r) => [r.key, r.name, r.total]), [["n2", "卧室灯光分享", 6], ["n9", "n9", 3]]);
});

test("movers: the three biggest weekly changes among rows with 3+ requests", async () => {
  const C = await load();
  const rows = [
    { name: "灯", change: 40, total: 10 },
    { name: "毯", change: -60, total: 5 },
    { name: "蜡烛", change: 300, total: 2 }, // too few to count
    { name: "花瓶", change: null, total: 50 },
    { name: "窗帘", change: 10, total: 3 },
    { name: "杯", change: 5, total: 9 },
  ];
  assert.equal(C.movers(rows), "毯 −60 %，灯 +40 %，窗帘 +10 %");
  assert.equal(C.movers([]), "");
});
