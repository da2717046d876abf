"use strict";
// Pure helpers of the dashboard's live updates (helper/dashboard/js/live.js, an ES module): reading a
// text/event-stream, which views a change concerns, the reconnect backoff.
const test = require("node:test");
const assert = require("node:assert/strict");

const load = () => import("../../helper/dashboard/js/live.js");

test("events are split at blank lines; the unfinished rest waits for the next chunk", async () => {
  const L = await load();
  const cases = [
    ["", [], ""],
    ["retry: 3000\n\n", [], ""],
    [": ping\n\n", [], ""],
    ['event: hello\ndata: {"live":true}\n\n', [{ event: "hello", data: { live: true } }], ""],
    ['event: change\ndata: {"tables":null}\n\nevent: sta', [{ event: "change", data: { tables: null } }], "event: sta"],
    ['data: {"a":1}\r\n\r\n', [{ event: "message", data: { a: 1 } }], ""],
    ["event: x\ndata:plain\ndata: two\n\n", [{ event: "x", data: "plain\ntwo" }], ""],
    ["event: empty\n\n", [], ""],
    ['retry: 3000\n\nevent: hello\ndata: {"live":false,"backend":"sqlite"}\n\n: ping\n\n', [{ event: "hello", data: { live: false, backend: "sqlite" } }], ""],
  ];
  for (const [buffer, events, rest] of cases) {
    assert.deepEqual(L.parseEvents(buffer), { events, rest }, JSON.stringify(buffer));
  }
});

test("a stream read in pieces gives the same events as read whole", async () => {
  const L = await load();
  const whole = 'event: hello\ndata: {"live":true}\n\n: ping\n\nevent: change\ndata: {"tables":["comment"],"ids":["好"]}\n\n';
  for (let cut = 0; cut <= whole.length; cut++) {
    const first = L.parseEvents(whole.slice(0, cut));
    const second = L.parseEvents(first.rest + whole.slice(cut));
    assert.deepEqual([...first.events, ...second.events], L.parseEvents(whole).events, `cut at ${cut}`);
  }
});

test("a change concerns the views that show its table, for the account shown", async () => {
  const L = await load();
  const comment = { tables: ["comment"], ids: ["c1"], accounts: ["acc1"] };
  const product = { tables: ["product"], ids: ["3"], accounts: [null] };
  const anything = { tables: null, ids: null, accounts: null };
  const cases = [
    [comment, "inbox", "", true],
    [comment, "teach", "", true],
    [comment, "insights", "", true],
    [comment, "products", "", false],
    [comment, "activity", "", true], // its refresh() adds the new events at the top (the pages loaded stay)
    [{ ...comment, accounts: ["acc2"] }, "activity", "acc1", false],
    [comment, "pairing", "", false],
    [comment, "inbox", "acc1", true],
    [comment, "inbox", "acc2", false], // another account's comment: this page does not show it
    [{ ...comment, accounts: ["acc2", null] }, "inbox", "acc1", true], // unknown account: could be shown
    [{ ...comment, accounts: null }, "inbox", "acc1", true], // too many accounts to list
    [product, "products", "acc1", true], // a shared product is every account's
    [{ ...product, accounts: ["acc2"] }, "products", "acc1", false],
    [product, "insights", "", false],
    [anything, "coverage", "acc9", true],
    [anything, "pairing", "", false],
    [null, "inbox", "", false],
  ];
  for (const [change, view, account, expected] of cases) {
    assert.equal(L.affects(change, view, account), expected, `${JSON.stringify(change)} ${view} ${account}`);
  }
});

test("reconnecting backs off to 30 s and honours Retry-After", async () => {
  const L = await load();
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map((n) => L.backoffMs(n)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(L.backoffMs(0, 30), 30000);
  assert.equal(L.backoffMs(5, 2), 30000);
});
