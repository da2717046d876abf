"use strict";
// Pure helpers of the dashboard's claims (helper/dashboard/js/claims.js, an ES module).
const test = require("node:test");
const assert = require("node:assert/strict");

const load = () => import("../../helper/dashboard/js/claims.js");
const NOW = Date.parse("2026-12-01T10:00:00Z");
const ask = { is_request: true, status: "new", claimed_by: null, claimed_until: null };

test("another operator's live claim names her; mine, none or a lapsed one name no one", async () => {
  const C = await load();
  const ana = { ...ask, claimed_by: "Ana", claimed_until: "2026-12-01T10:05:00Z" };
  assert.equal(C.claimHolder(ana, "Bo", NOW), "Ana");
  assert.equal(C.claimHolder(ana, "Ana", NOW), null);
  assert.equal(C.claimHolder(ask, "Bo", NOW), null);
  assert.equal(C.claimHolder({ ...ana, claimed_until: "2026-12-01T09:59:59Z" }, "Bo", NOW), null);
  assert.equal(C.claimHolder({ ...ana, claimed_until: "2026-12-01T10:00:00Z" }, "Bo", NOW), null);
  assert.equal(C.claimHolder(ana, null, NOW), "Ana"); // before the inbox said who I am
  assert.equal(C.claimHolder(undefined, "Bo", NOW), null);
});

test("opening claims a new request unless it is mine for another minute", async () => {
  const C = await load();
  assert.equal(C.needsClaim(ask, "Bo", NOW), true);
  assert.equal(C.needsClaim({ ...ask, status: "replied" }, "Bo", NOW), false);
  assert.equal(C.needsClaim({ ...ask, is_request: false }, "Bo", NOW), false);
  assert.equal(C.needsClaim({ ...ask, claimed_by: "Bo", claimed_until: "2026-12-01T10:09:00Z" }, "Bo", NOW), false);
  assert.equal(C.needsClaim({ ...ask, claimed_by: "Bo", claimed_until: "2026-12-01T10:00:30Z" }, "Bo", NOW), true); // renewed
  assert.equal(C.needsClaim({ ...ask, claimed_by: "Ana", claimed_until: "2026-12-01T10:09:00Z" }, "Bo", NOW), true); // the helper says
});

test("a claim's answer gives the row its claim fields", async () => {
  const C = await load();
  assert.deepEqual(C.claimFields({ id: "c1", claimed_by: "Bo", claimed_until: "2026-12-01T10:10:00Z" }),
    { claimed_by: "Bo", claimed_until: "2026-12-01T10:10:00Z" });
  assert.deepEqual(C.claimFields({ error: "x", claimed_by: "Ana", claimed_until: "2026-12-01T10:10:00Z" }).claimed_by, "Ana");
  assert.deepEqual(C.claimFields(null), { claimed_by: null, claimed_until: null });
});

test("a live re-read keeps the row the operator is on when another operator claimed it, in its place", async () => {
  const C = await load();
  const row = (id, extra = {}) => ({ ...ask, id, ...extra });
  const ana = { claimed_by: "Ana", claimed_until: "2026-12-01T10:05:00Z" };
  const page = [row("a"), row("c"), row("d")]; // the "new" view: b left it (Ana holds it)
  const wider = [row("a"), row("b", ana), row("c")]; // claimed=1: b in place, the page ends earlier
  const cases = [
    // [what, items, wider, key, me, expected ids]
    ["held by Ana now: back between a and c", page, wider, "b", "Bo", ["a", "b", "c", "d"]],
    ["first of the page", page.slice(1), [row("b", ana), row("c")], "b", "Bo", ["b", "c", "d"]],
    ["after every row of the page", [row("a")], [row("a"), row("b", ana)], "b", "Bo", ["a", "b"]],
    ["still in the view: unchanged", page, wider, "c", "Bo", ["a", "c", "d"]],
    ["not held (answered, gone): left out", page, [row("a"), row("c")], "b", "Bo", ["a", "c", "d"]],
    ["held by me: not another operator's, left out", page, wider, "b", "Ana", ["a", "c", "d"]],
    ["a lapsed claim: left out", page, [row("b", { ...ana, claimed_until: "2026-12-01T09:00:00Z" })], "b", "Bo", ["a", "c", "d"]],
    ["no wider page", page, null, "b", "Bo", ["a", "c", "d"]],
  ];
  for (const [what, items, wide, key, me, ids] of cases) {
    assert.deepEqual(C.keepHeldRow(items, wide, key, me, NOW).map((i) => i.id), ids, what);
  }
  assert.equal(C.keepHeldRow(page, wider, "b", "Bo", NOW)[1].claimed_by, "Ana"); // shown as held
});
