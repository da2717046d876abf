"use strict";
// Pure helpers of the dashboard's activity tab (helper/dashboard/js/activity-view.js, an ES module).
const test = require("node:test");
const assert = require("node:assert/strict");

const load = () => import("../../helper/dashboard/js/activity-view.js");

test("a page's query carries the set filters, the keyset cursor and the page size", async () => {
  const A = await load();
  assert.deepEqual(A.auditQuery({}), { limit: 50 });
  assert.deepEqual(A.auditQuery({ operator: "Ana", action: "", account: null }, 120, 20), { limit: 20, operator: "Ana", before: 120 });
  assert.deepEqual(A.auditQuery({ action: "export", account: "acct-b" }), { limit: 50, action: "export", account: "acct-b" });
  // "" = all accounts, chosen in the tab: sent, so the top bar's account does not apply.
  assert.deepEqual(A.auditQuery({ account: "" }), { limit: 50, account: "" });
});

const CASES = [
  [{ action: "status", detail: { from: "new", to: "replied" } }, ["activity.status", { from: "new", to: "replied" }]],
  [{ action: "status", detail: { from: "new", to: "ignored", bulk: true } }, ["activity.statusBulk", { from: "new", to: "ignored" }]],
  [{ action: "correction", detail: { from: null, to: "missed", label: true } }, ["activity.correctionMissed", {}]],
  [{ action: "correction", detail: { from: null, to: "not_request", label: false } }, ["activity.correctionNot", {}]],
  [{ action: "correction", detail: { from: "missed", to: null } }, ["activity.correctionCleared", {}]],
  [{ action: "claim", detail: { until: "x" } }, ["activity.claim", {}]],
  [{ action: "release", detail: {} }, ["activity.release", {}]],
  [{ action: "reply_fill", detail: {} }, ["activity.fill", {}]],
  [{ action: "export", detail: { what: "comments", rows: 12 } }, ["activity.export", { what: "activity.what.comments", rows: 12 }]],
  [{ action: "export", detail: { what: "insights", rows: 0 } }, ["activity.export", { what: "activity.what.insights", rows: 0 }]],
  [{ action: "export", detail: { what: "comments", rows: null } }, ["activity.exportRunning", { what: "activity.what.comments" }]],
  [{ action: "export", detail: { what: "comments", rows: 3, complete: false } }, ["activity.exportStopped", { what: "activity.what.comments", rows: 3 }]],
  [{ action: "role", detail: { name: "Bo", from: null, to: "agent" } }, ["activity.roleJoined", { name: "Bo", to: "agent" }]],
  [{ action: "role", detail: { name: "Bo", from: "agent", to: "viewer" } }, ["activity.roleChange", { name: "Bo", from: "agent", to: "viewer" }]],
  [{ action: "archive", detail: null }, ["activity.other", { action: "archive" }]],
];

test("each event says what it did", async () => {
  const A = await load();
  for (const [event, expected] of CASES) assert.deepEqual(A.eventSummary(event), expected, JSON.stringify(event));
  assert.deepEqual(A.eventSummary(undefined), ["activity.other", { action: "" }]);
});

test("a following page is appended without repeating an event", async () => {
  const A = await load();
  const first = [{ id: 9 }, { id: 8 }];
  assert.deepEqual(A.appendPage(first, { items: [{ id: 8 }, { id: 7 }] }).map((e) => e.id), [9, 8, 7]);
  assert.deepEqual(A.appendPage([], null), []);
});

test("only an owner manages roles", async () => {
  const A = await load();
  assert.equal(A.managesRoles({ name: null, role: "owner" }), true);
  assert.equal(A.managesRoles({ name: "Bo", role: "agent" }), false);
  assert.equal(A.managesRoles(null), false);
  assert.deepEqual(A.ROLES, ["owner", "agent", "viewer"]);
});

test("a live update asks for the events after the newest shown, with the same filters", async () => {
  const A = await load();
  assert.deepEqual(A.auditQuery({ operator: "Bo" }, null, 50, 812), { limit: 50, operator: "Bo", after: 812 });
  assert.deepEqual(A.auditQuery({}, 900, 50, 812), { limit: 50, before: 900, after: 812 }); // the rest of a flood
  assert.equal(A.newestId([{ id: 7 }, { id: 12 }, { id: 9 }]), 12);
  assert.equal(A.newestId([]), null);
  assert.equal(A.newestId(null), null);
});

test("the events that came go on top; the pages loaded stay; none is shown twice", async () => {
  const A = await load();
  const ev = (id) => ({ id, action: "status" });
  const shown = [ev(10), ev(9), ev(8), ev(3), ev(2)]; // two pages loaded ("more" was used)
  const cases = [
    // [what, shown, newer (as pages of ?after= answer them), expected ids]
    ["three new ones", shown, [ev(13), ev(12), ev(11)], [13, 12, 11, 10, 9, 8, 3, 2]],
    ["nothing new", shown, [], [10, 9, 8, 3, 2]],
    ["an answer repeating one shown", shown, [ev(11), ev(10)], [11, 10, 9, 8, 3, 2]],
    ["two pages of a burst, in page order", shown, [ev(15), ev(14), ev(12), ev(11)], [15, 14, 12, 11, 10, 9, 8, 3, 2]],
    ["pages overlapping", shown, [ev(12), ev(11), ev(11)], [12, 11, 10, 9, 8, 3, 2]],
    ["out of order", shown, [ev(11), ev(12)], [12, 11, 10, 9, 8, 3, 2]],
    ["nothing shown yet", [], [ev(2), ev(1)], [2, 1]],
    ["no answer", shown, null, [10, 9, 8, 3, 2]],
  ];
  for (const [what, items, newer, ids] of cases) {
    assert.deepEqual(A.prependEvents(items, newer).map((e) => e.id), ids, what);
  }
  const before = shown.slice();
  A.prependEvents(shown, [ev(11)]);
  assert.deepEqual(shown, before); // the shown list is not changed in place
});
