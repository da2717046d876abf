"use strict";
// The one-click reply's claim (issue 14, team mode): lib/fill-claim.js's pure mapping, table-driven, and the
// background's linktriage:fill handler over the real helper client against a local HTTP server that speaks
// the helper's protocol: only a 409 stops the fill; an offline, slow, old (404) or failing helper fills.
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");

const F = require("../../extension/lib/fill-claim.js");
const Q = require("../../extension/lib/queue.js");
const K = require("../../extension/lib/constants.js");
const { createHelperClient, HelperError } = require("../../extension/background/helper-client.js");
const { createHandlers } = require("../../extension/background/handlers.js");
const { createFakePlatform } = require("./fake-platform.js");

test("fromAnswer / fromError: only a 409 holds the fill", () => {
  const rows = [
    [F.fromAnswer(200, { id: "c1", claimed_by: "Bo", claimed_until: "2026-12-01T18:00:00Z" }), { fill: true, claim: "mine", by: "Bo", until: "2026-12-01T18:00:00Z" }],
    [F.fromAnswer(200, null), { fill: true, claim: "mine", by: null, until: null }],
    [F.fromAnswer(409, { claimed_by: "Ana", claimed_until: "2026-12-01T18:00:00Z" }), { fill: false, claim: "held", by: "Ana", until: "2026-12-01T18:00:00Z" }],
    [F.fromError(new HelperError("http", "Ana is on it", 409, { claimed_by: "Ana", claimed_until: "T" })), { fill: false, claim: "held", by: "Ana", until: "T" }],
    [F.fromError(new HelperError("http", "held", 409, null)), { fill: false, claim: "held", by: null, until: null }],
    [F.fromError(new HelperError("http", "no such comment", 404, { error: "no such comment" })), { fill: true, claim: "unknown", reason: "HTTP 404" }],
    [F.fromError(new HelperError("http", "busy", 503, null, "1")), { fill: true, claim: "unknown", reason: "HTTP 503" }],
    [F.fromError(new HelperError("offline", "not reachable")), { fill: true, claim: "unknown", reason: "offline" }],
    [F.fromError(new HelperError("foreign", "something else")), { fill: true, claim: "unknown", reason: "foreign" }],
    [F.fromError(new HelperError("pairing-refused", "closed", 403)), { fill: true, claim: "unknown", reason: "pairing-refused" }],
    [F.fromError(new Error("boom")), { fill: true, claim: "unknown", reason: "error" }],
    [F.fromError(undefined), { fill: true, claim: "unknown", reason: "error" }],
  ];
  for (const [got, want] of rows) assert.deepEqual(got, want);
});

test("heldBy: a well-formed held outcome stops the fill, anything else fills", () => {
  assert.deepEqual(F.heldBy({ ok: true, fill: false, claim: "held", by: "Ana", until: "T" }), { by: "Ana", until: "T" });
  assert.deepEqual(F.heldBy({ fill: false, claim: "held", by: " ", until: 5 }), { by: null, until: null });
  assert.deepEqual(F.heldBy({ fill: false, claim: "held", by: "x".repeat(100) }).by, "x".repeat(64));
  for (const outcome of [null, undefined, "held", {}, { fill: true, claim: "mine" }, { fill: false }, { fill: "no", claim: "held" },
    { fill: true, claim: "held", by: "Ana" }, { ok: false, error: "worker gone" }]) {
    assert.equal(F.heldBy(outcome), null, JSON.stringify(outcome));
  }
  assert.equal(F.fillPath("6745f0c1 a/b?"), "/api/comments/6745f0c1%20a%2Fb%3F/fill");
});

/** A helper on a free port answering POST /api/comments/<id>/fill with `answer(id, body)` → {status, body}
 * (or `delayMs` before answering); pairing hands out a token. `routes: false`: an older helper (404). */
async function startHelper(answer, { routes = true, delayMs = 0 } = {}) {
  const helper = { token: "t-1", fills: [] };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const send = (status, data) => {
        if (res.destroyed) return;
        res.writeHead(status, { "Content-Type": "application/json", "X-LinkTriage-Version": "test" });
        res.end(JSON.stringify(data));
      };
      if (req.url === "/api/pair") return send(200, { token: helper.token });
      if (req.headers.authorization !== `Bearer ${helper.token}`) return send(401, { error: "unknown token" });
      const m = /^\/api\/comments\/([^/]+)\/fill$/.exec(req.url);
      if (!routes || !m || req.method !== "POST") return send(404, { error: "not found", status: 404 });
      const id = decodeURIComponent(m[1]);
      helper.fills.push({ id, body: raw ? JSON.parse(raw) : null });
      const out = answer(id);
      setTimeout(() => send(out.status, out.body), delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  helper.port = server.address().port;
  helper.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
  return helper;
}

function fillHandler(port) {
  const platform = createFakePlatform({ stored: { port } });
  const helper = createHelperClient(platform);
  const none = {};
  return createHandlers({ outbox: none, status: none, delivery: none, helper, Q, K })["linktriage:fill"];
}

const HOLDERS = { c1: null, c2: "Ana" };
const claimAnswer = (id) =>
  !(id in HOLDERS) ? { status: 404, body: { error: "no such comment", status: 404 } }
    : HOLDERS[id] ? { status: 409, body: { error: `${HOLDERS[id]} is on it`, status: 409, claimed_by: HOLDERS[id], claimed_until: "2026-12-01T18:10:00Z" } }
      : { status: 200, body: { id, claimed_by: "Bo", claimed_until: "2026-12-01T18:10:00Z" } };

test("the background's fill: claimed → fill, held by another → no fill with who, unknown comment → fill", async (t) => {
  const helper = await startHelper(claimAnswer);
  t.after(helper.close);
  const fill = fillHandler(helper.port);
  assert.deepEqual(await fill({ type: "linktriage:fill", id: "c1" }), { ok: true, fill: true, claim: "mine", by: "Bo", until: "2026-12-01T18:10:00Z" });
  const held = await fill({ type: "linktriage:fill", id: "c2" });
  assert.deepEqual(held, { ok: true, fill: false, claim: "held", by: "Ana", until: "2026-12-01T18:10:00Z" });
  assert.deepEqual(F.heldBy(held), { by: "Ana", until: "2026-12-01T18:10:00Z" });
  assert.equal((await fill({ type: "linktriage:fill", id: "c404" })).fill, true);
  assert.deepEqual(helper.fills.map((f) => [f.id, f.body.platform]), [["c1", "xhs"], ["c2", "xhs"], ["c404", "xhs"]]);
  assert.equal((await fill({ type: "linktriage:fill", id: "" })).fill, true); // malformed: never asked, never blocked
  assert.equal(helper.fills.length, 3);
});

test("a helper without the endpoint, one that is offline or too slow never blocks the fill", async (t) => {
  const old = await startHelper(claimAnswer, { routes: false });
  t.after(old.close);
  assert.deepEqual(await fillHandler(old.port)({ id: "c2" }), { ok: true, fill: true, claim: "unknown", reason: "HTTP 404" });

  const gone = await startHelper(claimAnswer);
  const port = gone.port;
  await gone.close();
  assert.deepEqual(await fillHandler(port)({ id: "c2" }), { ok: true, fill: true, claim: "unknown", reason: "offline" });

  const slow = await startHelper(claimAnswer, { delayMs: F.FILL_TIMEOUT_MS + 1500 });
  t.after(slow.close);
  const started = Date.now();
  assert.deepEqual(await fillHandler(slow.port)({ id: "c2" }), { ok: true, fill: true, claim: "unknown", reason: "offline" });
  assert.ok(Date.now() - started < F.FILL_TIMEOUT_MS + 1000, "the fill waited past its timeout");
});
