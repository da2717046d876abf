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
