"use strict";
// What the dashboard's filters send (helper/dashboard/js/filter-query.js, an ES module).
process.env.TZ = "Asia/Shanghai"; // UTC+8: the dates below turn into fixed instants
const test = require("node:test");
const assert = require("node:assert/strict");

const load = () => import("../../helper/dashboard/js/filter-query.js");

test("remembered filters: each key a string, anything else (or unreadable text) is 'all'", async () => {
  const F = await load();
  const keys = ["note_id", "product", "q"];
  const table = [
    ['{"note_id":"n1","product":"灯","q":"蜡烛"}', { note_id: "n1", product: "灯", q: "蜡烛" }],
    ['{"note_id":7,"product":null,"extra":"x"}', { note_id: "", product: "", q: "" }],
    ["not json", { note_id: "", product: "", q: "" }],
    ["null", { note_id: "", product: "", q: "" }],
    [null, { note_id: "", product: "", q: "" }],
  ];
  for (const [text, want] of table) assert.deepEqual(F.readSavedFilters(text, keys), want, String(text));
  assert.equal(F.filtersActive({ note_id: "", q: "" }), false);
  assert.equal(F.filtersActive({ note_id: "", q: "x" }), true);
});

test("the helper gets instants: from the chosen day's local midnight to the end of the 'to' day", async () => {
  const F = await load();
  const sent = F.serverFilters({ note_id: "n1", product: "", since: "2026-11-20", until: "2026-11-22", q: "灯" });
  assert.deepEqual(sent, { note_id: "n1", product: "", since: "2026-11-19T16:00:00.000Z", until: "2026-11-22T16:00:00.000Z", q: "灯" });
  assert.deepEqual(F.serverFilters({ since: "", until: "" }), { since: "", until: "" });
});

test("query strings leave out empty values and encode the rest", async () => {
  const F = await load();
  const table = [
    [{}, ""],
    [null, ""],
    [{ a: "", b: null, c: undefined }, ""],
    [{ mode: "requests", limit: 50, after: "" }, "?mode=requests&limit=50"],
    [{ product: "落地灯", q: "a&b=c" }, "?product=%E8%90%BD%E5%9C%B0%E7%81%AF&q=a%26b%3Dc"],
    [{ all: 1, zero: 0, no: false }, "?all=1&zero=0&no=false"],
  ];
  for (const [params, want] of table) assert.equal(F.queryString(params), want, JSON.stringify(params));
});

test("list export: the view's status and the filters, requests in the inbox, every comment otherwise", async () => {
  const F = await load();
  const date = new Date("2026-11-24T03:00:00Z");
  const filters = { note_id: "n1", product: "", since: "2026-11-20", until: "", q: "" };
  const base = { note_id: "n1", product: "", since: "2026-11-19T16:00:00.000Z", until: "", q: "" };
  // [mode, view, all] -> [status, all param, file]
  const table = [
    ["inbox", "new", false, "new", "", "linktriage-requests-2026-11-24.csv"],
    ["inbox", "waiting", false, "new", "", "linktriage-requests-2026-11-24.csv"],
    ["inbox", "replied", false, "replied", "", "linktriage-requests-2026-11-24.csv"],
    ["inbox", "all", false, "", "", "linktriage-requests-2026-11-24.csv"],
    ["comments", "ignored", false, "ignored", 1, "linktriage-comments-2026-11-24.csv"],
  ];
  for (const [mode, view, all, status, allParam, file] of table) {
    assert.deepEqual(F.listExport({ mode, view, filters, all, date }), { params: { ...base, status, all: allParam }, file }, `${mode} ${view}`);
  }
  // "all comments": nothing but all=1, whatever the list shows
  assert.deepEqual(F.listExport({ mode: "inbox", view: "new", filters, all: true, date }), { params: { all: 1 }, file: "linktriage-comments-2026-11-24.csv" });
  assert.equal(F.exportName("chart", "png", date), "linktriage-chart-2026-11-24.png");
  assert.equal(F.exportName("insights", undefined, new Date("2026-11-24T16:30:00Z")), "linktriage-insights-2026-11-25.csv");
});

const NOTES = [
  { platform: "xhs", note_id: "n1", title: "客厅改造", unanswered: 3, requests: 5 },
  { platform: "xhs", note_id: "n2", title: null, unanswered: 0, requests: 1 },
];
const PRODUCTS = [{ id: 1, name: "落地灯", note_ids: ["n1"] }, { id: 2, name: "地毯", note_ids: [] }];

test("note and product options from GET /api/notes and /api/products", async () => {
  const F = await load();
  assert.deepEqual(F.noteOptions(NOTES), [["n1", "客厅改造"], ["n2", "n2"]]);
  assert.deepEqual(F.noteOptions(NOTES, true), [["n1", "客厅改造 (3)"], ["n2", "n2"]]);
  assert.deepEqual(F.productOptions(PRODUCTS), [["落地灯", "落地灯"], ["地毯", "地毯"]]);
  assert.deepEqual([...F.noteTitles(NOTES)], [["n1", "客厅改造"], ["n2", ""]]);
});

test("a remembered note or product that is gone is dropped; the rest stay", async () => {
  const F = await load();
  const table = [
    [{ note_id: "n1", product: "地毯", since: "2026-11-01" }, { note_id: "n1", product: "地毯", since: "2026-11-01" }],
    [{ note_id: "gone", product: "地毯" }, { note_id: "", product: "地毯" }],
    [{ note_id: "n2", product: "旧商品" }, { note_id: "n2", product: "" }],
    [{ note_id: "", product: "" }, { note_id: "", product: "" }],
  ];
  for (const [filters, want] of table) assert.deepEqual(F.keepKnownFilters(filters, NOTES, PRODUCTS), want);
});

test("accounts: the chosen account goes with the GETs that filter by it, never elsewhere", async () => {
  const F = await load();
  // [path, params, account] -> params sent
  const table = [
    ["/api/inbox", { view: "new" }, "ana", { view: "new", account: "ana" }],
    ["/api/export.csv", { all: 1 }, "ana", { all: 1, account: "ana" }],
    ["/api/insights", undefined, "ana", { account: "ana" }],
    ["/api/notes", undefined, "ana", { account: "ana" }],
    ["/api/teach/next", { limit: 10 }, "ana", { limit: 10, account: "ana" }],
    ["/api/products", undefined, "ana", { account: "ana" }],
    ["/api/inbox", { view: "new" }, "", { view: "new" }], // all accounts: nothing added
    ["/api/accounts", undefined, "ana", undefined], // the switcher's own list is every account
    ["/api/model", undefined, "ana", undefined],
    ["/api/inbox", { account: "bo" }, "ana", { account: "bo" }], // an explicit account wins
  ];
  for (const [path, params, account, want] of table) {
    assert.deepEqual(F.withAccount(path, params, account), want, `${path} ${account}`);
  }
  assert.equal(F.queryString(F.withAccount("/api/inbox", { view: "new" }, "安娜 1")), "?view=new&account=%E5%AE%89%E5%A8%9C+1");
});

test("accounts: the switcher shows with more than one account; a remembered account is kept only while listed", async () => {
  const F = await load();
  const two = [{ id: "ana", name: "安娜", unanswered: 3 }, { id: "bo", name: null, unanswered: 0 }];
  assert.equal(F.showAccountSwitcher([]), false);
  assert.equal(F.showAccountSwitcher([two[0]]), false);
  assert.equal(F.showAccountSwitcher(two), true);
  assert.equal(F.showAccountSwitcher(undefined), false);
  // [saved, accounts] -> kept
  const table = [
    ["ana", two, "ana"],
    ["bo", two, "bo"],
    ["gone", two, ""],
    ["ana", [two[0]], ""], // the only account: no switcher, so nothing is filtered away behind it
    ["", two, ""],
    [null, two, ""],
  ];
  for (const [saved, accounts, want] of table) assert.equal(F.keepKnownAccount(saved, accounts), want, `${saved} of ${accounts.length}`);
  assert.deepEqual(F.accountOptions(two), [["ana", "安娜 (3)"], ["bo", "bo"]]);
});
