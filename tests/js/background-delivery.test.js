"use strict";
// The background's delivery (background/delivery.js with the outbox, status and handlers wired as the
// service worker wires them) against the fake platform and a local HTTP server that speaks the helper's
// protocol (version header, pairing, POST /api/comments) and answers what each test scripts.
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");

const Q = require("../../extension/lib/queue.js");
const D = require("../../extension/lib/delivery.js");
const K = require("../../extension/lib/constants.js");
const { createHelperClient } = require("../../extension/background/helper-client.js");
const { createOutbox } = require("../../extension/background/outbox.js");
const { createStatus } = require("../../extension/background/badge.js");
const { createDelivery } = require("../../extension/background/delivery.js");
const { createHandlers } = require("../../extension/background/handlers.js");
const { createFakePlatform } = require("./fake-platform.js");

const NOTE = "6745f0c1a2b3c4d5e6f70811";
const comments = (...ids) => ids.map((id) => ({ id, note_id: NOTE, text: `comment ${id}` }));

/** A helper on a free port. `answer(req)` → {status, body, headers} for the API calls; pairing hands out
 * `token` unless `pairingOpen` is false. Every request is recorded in `seen`. */
async function startHelper(answer) {
  const helper = { token: "t-1", pairingOpen: true, pairs: 0, seen: [], answer };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const body = raw ? JSON.parse(raw) : undefined;
      const send = (status, data, headers = {}) => {
        res.writeHead(status, { "Content-Type": "application/json", "X-LinkTriage-Version": "test", ...headers });
        res.end(JSON.stringify(data));
      };
      const call = { method: req.method, path: req.url, body, auth: req.headers.authorization || null };
      helper.seen.push(call);
      if (req.url === "/api/pair") {
        helper.pairs += 1;
        return helper.pairingOpen ? send(200, { token: helper.token }) : send(403, { error: "pairing is closed" });
      }
      if (call.auth !== `Bearer ${helper.token}`) return send(401, { error: "unknown token" });
      const out = helper.answer(call) || { status: 200, body: {} };
      send(out.status, out.body || {}, out.headers);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  helper.port = server.address().port;
  helper.close = () => new Promise((resolve) => server.close(resolve));
  helper.posts = () => helper.seen.filter((c) => c.method === "POST" && c.path === "/api/comments" && c.auth === `Bearer ${helper.token}`);
  return helper;
}

/** The background as background/service-worker.js wires it, over the fake platform; timers recorded. */
function background(helperServer, stored = {}) {
  const platform = createFakePlatform({ stored: { port: helperServer.port, ...stored } });
  const scheduled = [];
  const timers = {
    setTimeout: (fn, ms) => scheduled.push({ fn, ms, live: true }), // the id: its place + 1
    clearTimeout: (id) => {
      if (id) scheduled[id - 1].live = false;
    },
  };
  const helper = createHelperClient(platform);
  const outbox = createOutbox({ platform, Q });
  const status = createStatus({ platform, outbox, Q });
  const delivery = createDelivery({ platform, outbox, status, helper, Q, D, K, timers });
  const handlers = createHandlers({ outbox, status, delivery, helper, Q, K });
  const retry = () => scheduled.filter((t) => t.live).at(-1) || null;
  /** Capture `list` as a tab would, and wait until the delivery run it started has ended. */
  async function capture(list, tabId = 7) {
    const answer = await handlers["linktriage:capture"]({ note: { id: NOTE, title: "风衣" }, comments: list }, { tab: { id: tabId } });
    await delivery.drainSoon();
    return answer;
  }
  return { platform, outbox, status, delivery, handlers, retry, capture };
}

const ids = (call) => call.body.comments.map((c) => c.id);

test("a 413 splits the batch until every part is accepted; all comments arrive, in order", async (t) => {
  const helper = await startHelper((call) => (call.body.comments.length > 2 ? { status: 413, body: { error: "batch too large" } } : { status: 200, body: { results: call.body.comments.map((c) => ({ id: c.id, is_request: false })) } }));
  t.after(helper.close);
  const bg = background(helper);
  assert.deepEqual(await bg.capture(comments("a", "b", "c", "d", "e")), { ok: true, queued: 5 });
  assert.deepEqual(helper.posts().map(ids), [["a", "b", "c", "d", "e"], ["a", "b", "c"], ["a", "b"], ["c"], ["d", "e"]]);
  assert.equal((await bg.outbox.load()).items.length, 0);
  assert.deepEqual(await bg.outbox.rejected(), []);
  assert.equal(bg.status.last.state, "paired");
  // The tab is told the verdicts of every accepted part.
  assert.deepEqual(bg.platform.test.tabMessages.flatMap((m) => m.message.results.map((r) => r.id)), ["a", "b", "c", "d", "e"]);
  assert.ok(bg.platform.test.tabMessages.every((m) => m.tabId === 7 && m.message.type === "linktriage:verdicts"));
  assert.equal(bg.platform.test.alarms.size, 0, "nothing queued: no retry alarm");
});

test("items the helper rejects are set aside and counted; the rest are delivered", async (t) => {
  // "x" is refused (422) whenever it is in a batch; "y" the helper skips in an accepted batch.
  const helper = await startHelper((call) => {
    if (ids(call).includes("x")) return { status: 422, body: { error: "comment x: text is not valid" } };
    const skipped = ids(call).flatMap((id, index) => (id === "y" ? [{ index, reason: "empty text" }] : []));
    return { status: 200, body: { results: [], skipped } };
  });
  t.after(helper.close);
  const bg = background(helper);
  await bg.capture(comments("a", "x", "b", "y"));
  const accepted = helper.posts().filter((c) => !ids(c).includes("x")).flatMap(ids);
  assert.deepEqual(accepted, ["a", "b", "y"]);
  assert.equal((await bg.outbox.load()).items.length, 0, "nothing stays queued");
  const setAside = await bg.handlers["linktriage:set-aside"]({});
  assert.deepEqual(setAside.items.map((r) => [r.text, r.reason]), [
    ["comment x", "422 comment x: text is not valid"],
    ["comment y", "skipped by helper: empty text"],
  ]);
  assert.ok(setAside.items.every((r) => r.kind === "comments" && r.count === 1 && r.note === "风衣"));
  // After an extension update they are queued again (the fix may be in); still refused, set aside again.
  helper.answer = () => ({ status: 200, body: { results: [] } });
  assert.equal(await bg.delivery.requeueSetAside(), 2);
  await bg.delivery.drainSoon();
  assert.deepEqual(await bg.outbox.rejected(), []);
  assert.deepEqual(helper.posts().slice(-2).map(ids), [["x"], ["y"]]);
});

test("a refused token (401) is re-paired once and the batch goes through; closed pairing (403) waits, slowly", async (t) => {
  const helper = await startHelper(() => ({ status: 200, body: { results: [] } }));
  t.after(helper.close);
  const bg = background(helper);
  await bg.platform.storage.set({ tokens: { [helper.port]: "revoked-token" } });
  await bg.capture(comments("a"));
  assert.deepEqual(helper.seen.map((c) => `${c.method} ${c.path} ${c.auth}`), [
    "POST /api/comments Bearer revoked-token",
    "POST /api/pair null",
    "POST /api/comments Bearer t-1",
  ]);
  assert.deepEqual((await bg.platform.storage.get("tokens")).tokens, { [helper.port]: "t-1" });
  assert.equal((await bg.outbox.load()).items.length, 0);

  // The creator revokes the pairing on the dashboard and pairing is closed: nothing is lost.
  helper.token = "t-2";
  helper.pairingOpen = false;
  await bg.capture(comments("b", "c"));
  assert.equal(helper.pairs, 2);
  assert.deepEqual((await bg.outbox.load()).items.map((it) => it.comments.map((c) => c.id)), [["b", "c"]], "kept whole");
  assert.deepEqual(await bg.outbox.rejected(), []);
  assert.equal(bg.status.last.state, "pairing-refused");
  assert.equal(bg.retry().ms, D.SLOW_RETRY_MS);
  assert.deepEqual(bg.platform.test.badges.at(-1), { text: "2", color: "#e37400" }, "the badge counts what waits");

  // Pairing reopened: the retry delivers.
  helper.pairingOpen = true;
  bg.retry().fn();
  await bg.delivery.drainSoon();
  assert.deepEqual(helper.posts().at(-1).body.comments.map((c) => c.id), ["b", "c"]);
  assert.equal((await bg.outbox.load()).items.length, 0);
  assert.equal(bg.status.last.state, "paired");
  assert.deepEqual(bg.platform.test.badges.at(-1), { text: "", color: "#5b6b7a" });
});

test("a busy helper (503, 429) is transient: the batch stays whole, nothing is sent before the retry", async (t) => {
  let busy = { status: 503, body: { error: "database busy" }, headers: { "Retry-After": "12" } };
  const helper = await startHelper(() => busy || { status: 200, body: { results: [] } });
  t.after(helper.close);
  const bg = background(helper);
  await bg.capture(comments("a", "b", "c"));
  assert.equal(helper.posts().length, 1);
  assert.deepEqual((await bg.outbox.load()).items.map((it) => it.comments.length), [3], "not split");
  assert.deepEqual(await bg.outbox.rejected(), [], "not set aside");
  assert.equal(bg.status.last.httpStatus, 503);
  assert.equal(bg.retry().ms, 12000, "its Retry-After");
  assert.ok(bg.platform.test.alarms.has("linktriage-retry"), "the alarm wakes a stopped worker meanwhile");

  // A capture (or an alarm) while the helper asked to wait sends nothing; it only keeps the retry set.
  await bg.capture(comments("d"));
  await bg.delivery.drainSoon();
  assert.equal(helper.posts().length, 1);
  assert.ok(bg.retry().ms > 10000 && bg.retry().ms <= 12000);

  // 429 without Retry-After: the short retry interval.
  busy = { status: 429, body: { error: "too many" } };
  bg.retry().fn();
  await bg.delivery.drainSoon();
  assert.equal(helper.posts().length, 2);
  assert.equal(bg.retry().ms, D.RETRY_MS);
  assert.deepEqual((await bg.outbox.load()).items.map((it) => it.comments.map((c) => c.id)), [["a", "b", "c"], ["d"]]);

  busy = null;
  bg.retry().fn();
  await bg.delivery.drainSoon();
  assert.deepEqual(helper.posts().slice(2).map(ids), [["a", "b", "c"], ["d"]]);
  assert.equal((await bg.outbox.load()).items.length, 0);
});

test("the outbox: acknowledged captures are in storage, one key per item, and a restarted worker finds them", async (t) => {
  const helper = await startHelper(() => ({ status: 503, body: {} }));
  t.after(helper.close);
  const bg = background(helper);
  await bg.capture(comments("a", "b"));
  const keys = [...bg.platform.test.data.keys()].filter((k) => k.startsWith(Q.ITEM_PREFIX) || k === Q.META_KEY);
  assert.deepEqual(keys.sort(), ["q:1", Q.META_KEY].sort());
  // A new worker over the same storage.
  const stored = Object.fromEntries(bg.platform.test.data);
  const again = createOutbox({ platform: createFakePlatform({ stored }), Q });
  assert.deepEqual((await again.load()).items.map((it) => it.comments.map((c) => c.id)), [["a", "b"]]);
  // A malformed capture is refused for good (the tab drops it), a triage is queued.
  assert.deepEqual(await bg.handlers["linktriage:capture"]({ note: { id: "nope" }, comments: comments("z") }, {}), { ok: false, permanent: true, error: "empty or malformed capture" });
  assert.deepEqual(await bg.handlers["linktriage:triage"]({ id: "a", status: "shipped" }), { ok: false, error: "bad triage" });
  assert.deepEqual(await bg.handlers["linktriage:triage"]({ id: "a", status: K.STATUSES[1] }), { ok: true });
  assert.deepEqual((await bg.outbox.load()).items.at(-1).body, { status: "replied" });
});
