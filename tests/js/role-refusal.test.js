"use strict";
// A role refusal is not a lost pairing (issue 14, team mode). The pure decision (lib/delivery.js answerKind)
// as a table; the notice (lib/role-refusal.js) in both languages; and the background as the service worker
// wires it (real helper client, outbox, delivery, handlers over the fake platform) against a local HTTP
// server speaking the helper's protocol: a viewer's triage and fill are refused with reason "role", the
// token is kept, nothing re-pairs, the triage leaves the queue with a notice while captures still go.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");

const Q = require("../../extension/lib/queue.js");
const D = require("../../extension/lib/delivery.js");
const K = require("../../extension/lib/constants.js");
const R = require("../../extension/lib/role-refusal.js");
const F = require("../../extension/lib/fill-claim.js");
const { createHelperClient, HelperError } = require("../../extension/background/helper-client.js");
const { createOutbox } = require("../../extension/background/outbox.js");
const { createStatus } = require("../../extension/background/badge.js");
const { createDelivery } = require("../../extension/background/delivery.js");
const { createHandlers } = require("../../extension/background/handlers.js");
const { createFakePlatform } = require("./fake-platform.js");

const NOTE = "6745f0c1a2b3c4d5e6f70811";
const ROLE_BODY = { error: "Vi is a viewer here; changing a comment needs the agent role", status: 403, reason: "role", role: "viewer", needed: "agent" };

// ---- the decision ---------------------------------------------------------------------------------------
test("answerKind: what each answer means for the pairing and the action", () => {
  const table = [
    // [status, body, kind]
    [200, { results: [] }, "ok"],
    [204, null, "ok"],
    [401, { error: "wrong token", status: 401, reason: "token" }, "repair"],
    [401, null, "repair"],
    [403, { error: "requests from this origin are not allowed", status: 403, reason: "origin" }, "repair"],
    [403, { error: "wrong", status: 403, reason: "token" }, "repair"],
    [403, { error: "requests from this origin are not allowed", status: 403 }, "repair"], // a helper older than reasons
    [403, null, "repair"],
    [403, ROLE_BODY, "role"],
    [403, { error: "only the dashboard may do this", status: 403, reason: "dashboard-only" }, "refused"],
    [403, { error: "Host not allowed", status: 403, reason: "host" }, "refused"],
    [409, { error: "held", claimed_by: "Ana" }, "held"],
    [503, { error: "busy" }, "busy"],
    [429, { error: "too many" }, "busy"],
    [0, null, "offline"],
    [400, { error: "bad" }, "refused"],
    [404, { error: "no such comment" }, "refused"],
    [500, null, "refused"],
    [403, "not json", "repair"],
  ];
  for (const [status, body, kind] of table) assert.equal(D.answerKind(status, body), kind, `${status} ${JSON.stringify(body)}`);
});

test("onRefused: a role refusal drops a triage with its notice, sets a capture aside, and is never retried", () => {
  const err = new HelperError("role", ROLE_BODY.error, 403, ROLE_BODY);
  const triage = { kind: "triage", id: "c1", body: { status: "replied" }, seq: 3 };
  assert.deepEqual(D.onRefused(triage, err, { now: 1000 }), { drop: { action: "status", role: "viewer", needed: "agent", at: 1000 } });
  const correction = { kind: "triage", id: "c1", body: { correction: "not_request" }, seq: 4 };
  assert.equal(D.onRefused(correction, err, { now: 1 }).drop.action, "correction");
  const capture = { kind: "comments", comments: [{ id: "a" }, { id: "b" }] };
  assert.deepEqual(D.onRefused(capture, err), { setAside: `403 ${ROLE_BODY.error}` });
  // The other 403s are about the pairing: not the item's fault, kept where they are.
  assert.equal(D.onRefused(triage, new HelperError("http", "origin", 403, { reason: "origin" })), null);
  assert.equal(D.onRefused(triage, new HelperError("offline", "down")), null);
  // A fill refused for the role is not filled; one refused for anything else still is.
  assert.deepEqual(F.fromError(err), { fill: false, claim: "role" });
  assert.equal(F.heldBy(F.fromError(err)), null);
  assert.equal(F.fromError(new HelperError("http", "x", 403, { reason: "dashboard-only" })).fill, true);
});

// ---- the notice ------------------------------------------------------------------------------------------
/** platform.i18n.t over the extension's own messages.json (placeholders $1 filled as the browser does). */
function translator(lang) {
  const messages = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "extension", "_locales", lang, "messages.json"), "utf8"));
  return (key, subs = []) => {
    const m = messages[key];
    if (!m) return key;
    return m.message.replace(/\$([A-Z_]+)\$/g, (_, name) => {
      const content = m.placeholders[name.toLowerCase()].content;
      return content.replace(/\$(\d)/, (__, i) => subs[Number(i) - 1]);
    });
  };
}

test("the notice says which role may not do what, in English and Chinese", () => {
  const en = translator("en");
  const zh = translator("zh_CN");
  const err = new HelperError("role", ROLE_BODY.error, 403, ROLE_BODY);
  const table = [
    ["status", "Your role (viewer) cannot change statuses", "你的角色（查看者）不能更改状态"],
    ["correction", "Your role (viewer) cannot correct comments", "你的角色（查看者）不能纠正评论"],
    ["fill", "Your role (viewer) cannot fill replies", "你的角色（查看者）不能填入回复"],
  ];
  for (const [action, english, chinese] of table) {
    const notice = R.fromError(err, action);
    assert.ok(R.isNotice(notice));
    assert.equal(R.text(notice, en), english);
    assert.equal(R.text(notice, zh), chinese);
  }
  assert.equal(R.text(R.fromError(new HelperError("role", "x", 403, { reason: "role", role: "agent" }), "fill"), en), "Your role (agent) cannot fill replies");
  assert.equal(R.fromError(new HelperError("http", "x", 403, ROLE_BODY), "status"), null, "only the client's role errors");
  assert.equal(R.fromError(err, "export"), null, "only actions it can word");
  assert.equal(R.text({ action: "nope" }, en), "");
});

// ---- the background against a local helper ---------------------------------------------------------------
/** A helper on a free port whose operator is a viewer: triage and fill answer 403 reason role (or `refusal`). */
async function startViewerHelper(refusal = ROLE_BODY) {
  const helper = { token: "t-1", pairs: 0, seen: [], refusal };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const send = (status, data) => {
        res.writeHead(status, { "Content-Type": "application/json", "X-LinkTriage-Version": "test" });
        res.end(JSON.stringify(data));
      };
      const call = { method: req.method, path: req.url, body: raw ? JSON.parse(raw) : undefined, auth: req.headers.authorization || null };
      helper.seen.push(call);
      if (req.url === "/api/pair") {
        helper.pairs += 1;
        return send(200, { token: helper.token });
      }
      if (req.url === "/api/health") return send(200, { app: "linktriage", version: "test", model_loaded: true, paired: true });
      if (call.auth !== `Bearer ${helper.token}`) return send(401, { error: "wrong token", status: 401, reason: "token" });
      if (req.method === "POST" && req.url === "/api/comments") return send(200, { results: call.body.comments.map((c) => ({ id: c.id, is_request: true })) });
      if (req.method === "PATCH" || /\/fill$/.test(req.url)) return send(helper.refusal.status, helper.refusal);
      return send(200, { items: [], total: 0 });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  helper.port = server.address().port;
  helper.close = () => new Promise((resolve) => server.close(resolve));
  return helper;
}

function background(helperServer) {
  const platform = createFakePlatform({ stored: { port: helperServer.port } });
  const timers = { setTimeout: () => 0, clearTimeout: () => {} }; // retries are not run here: each test drains itself
  const helper = createHelperClient(platform);
  const outbox = createOutbox({ platform, Q });
  const status = createStatus({ platform, outbox, Q });
  const delivery = createDelivery({ platform, outbox, status, helper, Q, D, K, timers });
  const handlers = createHandlers({ outbox, status, delivery, helper, Q, K });
  return { platform, outbox, status, delivery, handlers };
}

test("a viewer's helper: captures go, the refused triage is dropped with a notice, the pairing is kept", async (t) => {
  const helper = await startViewerHelper();
  t.after(helper.close);
  const bg = background(helper);
  const tab = { tab: { id: 7 } };
  await bg.handlers["linktriage:capture"]({ note: { id: NOTE }, comments: [{ id: "c1", text: "求链接" }] }, tab);
  await bg.handlers["linktriage:triage"]({ id: "c1", status: "replied" }, tab);
  await bg.handlers["linktriage:capture"]({ note: { id: NOTE }, comments: [{ id: "c2", text: "怎么买" }] }, tab);
  await bg.delivery.drainSoon();
  await bg.delivery.drainSoon();

  assert.equal(helper.pairs, 1, "paired once, never again");
  assert.deepEqual((await bg.platform.storage.get("tokens")).tokens, { [helper.port]: "t-1" });
  assert.deepEqual(helper.seen.filter((c) => c.method === "PATCH").length, 1, "the refused triage is sent once, not retried");
  assert.deepEqual(helper.seen.filter((c) => c.path === "/api/comments").flatMap((c) => c.body.comments.map((x) => x.id)), ["c1", "c2"]);
  assert.equal((await bg.outbox.load()).items.length, 0, "nothing stays queued");
  assert.deepEqual(await bg.outbox.rejected(), [], "dropped, not set aside to be retried after an update");
  assert.equal(bg.status.last.state, "paired");
  const refusedTab = bg.platform.test.tabMessages.find((m) => m.message.type === "linktriage:role-refused");
  assert.equal(refusedTab.tabId, 7);
  assert.equal(refusedTab.message.id, "c1");

  // The popup shows the notice (and the helper as connected) until it is dismissed.
  const shown = await bg.handlers["linktriage:status"]({});
  assert.equal(shown.state, "paired");
  assert.deepEqual({ ...shown.roleNotice, at: 0 }, { action: "status", role: "viewer", needed: "agent", at: 0 });
  assert.equal(R.text(shown.roleNotice, translator("en")), "Your role (viewer) cannot change statuses");
  await bg.handlers["linktriage:clear-notice"]({});
  assert.equal((await bg.handlers["linktriage:status"]({})).roleNotice, null);

  // The one-click reply: not filled, and why; the notice is the popup's too. Still no new pairing.
  const fill = await bg.handlers["linktriage:fill"]({ id: "c2" });
  assert.equal(fill.fill, false);
  assert.equal(fill.claim, "role");
  assert.equal(R.text(fill.notice, translator("en")), "Your role (viewer) cannot fill replies");
  assert.equal((await bg.handlers["linktriage:status"]({})).roleNotice.action, "fill");
  assert.equal(helper.pairs, 1);
});

test("a 403 for the origin still re-pairs (the pairing was replaced), unlike a role refusal", async (t) => {
  const helper = await startViewerHelper({ error: "requests from this origin are not allowed", status: 403, reason: "origin" });
  t.after(helper.close);
  const bg = background(helper);
  await bg.handlers["linktriage:triage"]({ id: "c1", status: "replied" }, { tab: { id: 7 } });
  await bg.delivery.drainSoon();
  // Paired, then paired again after each 403 (the helper pairs it, but refuses the origin again).
  assert.ok(helper.pairs >= 2, `pairs: ${helper.pairs}`);
  assert.equal((await bg.outbox.load()).items.length, 1, "kept for the next try");
  assert.equal(await bg.status.notice(), null);
});
