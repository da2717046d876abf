"use strict";
// lib/platform.js over a recording stand-in of the browser's `chrome` namespace: the behaviour the rest of
// the extension relies on, and that tests/js/fake-platform.js has the same interface.
const test = require("node:test");
const assert = require("node:assert/strict");
const { createPlatform } = require("../../extension/lib/platform.js");
const { createFakePlatform } = require("./fake-platform.js");

function event() {
  const listeners = [];
  return { addListener: (fn) => listeners.push(fn), listeners };
}

function fakeChrome({ action = true, windows = true } = {}) {
  const calls = [];
  const ns = {
    runtime: { id: "ext", getManifest: () => ({ version: "9.9.9" }), onMessage: event(), onStartup: event(), onInstalled: event(), sendMessage: async (m) => ({ echo: m }) },
    storage: { local: { get: async (k) => (calls.push(["get", k]), {}), set: async (v) => calls.push(["set", v]), remove: async (k) => calls.push(["remove", k]) }, onChanged: event() },
    tabs: {
      query: async (q) => (calls.push(["query", q]), q.windowId === 3 ? [] : [{ id: 11, url: "https://www.xiaohongshu.com/" }]),
      sendMessage: async (...a) => (calls.push(["tabs.sendMessage", ...a]), "ok"),
      create: async (o) => calls.push(["create", o]),
    },
    alarms: { get: async () => undefined, create: async () => {}, clear: async () => true, onAlarm: event() },
    i18n: { getMessage: (key, subs) => (key === "known" ? `K ${subs ? subs.join(",") : ""}`.trim() : ""), getUILanguage: () => "zh-CN" },
  };
  if (action) ns.action = { setBadgeText: async (o) => calls.push(["text", o]), setBadgeBackgroundColor: async (o) => calls.push(["color", o]) };
  if (windows) ns.windows = { getLastFocused: async () => ({ id: 3 }) };
  return { ns, calls };
}

/** Send a message through the registered listener the way the browser does; resolves to the answer. */
function deliver(ns, msg, sender) {
  return new Promise((resolve) => {
    let keepOpen = null;
    let answered = false;
    let early;
    keepOpen = ns.runtime.onMessage.listeners[0](msg, sender, (answer) => {
      answered = true;
      if (keepOpen === null) early = answer; // answered inside the listener
      else resolve({ answer, async: keepOpen });
    });
    if (!keepOpen) resolve({ answer: answered ? early : undefined, async: false });
  });
}

test("onMessage: only this extension's messages; a value answers at once, a promise later, a failure as {ok: false}", async () => {
  const { ns } = fakeChrome();
  const P = createPlatform(ns);
  P.runtime.onMessage((msg) => {
    if (msg.type === "sync") return { n: 1 };
    if (msg.type === "async") return Promise.resolve({ n: 2 });
    if (msg.type === "fails") return Promise.reject(Object.assign(new Error("no"), { kind: "offline" }));
    return undefined;
  });
  const own = { id: "ext" };
  assert.deepEqual(await deliver(ns, { type: "sync" }, own), { answer: { n: 1 }, async: false });
  assert.deepEqual(await deliver(ns, { type: "async" }, own), { answer: { n: 2 }, async: true });
  assert.deepEqual(await deliver(ns, { type: "fails" }, own), { answer: { ok: false, error: "no", kind: "offline" }, async: true });
  assert.deepEqual(await deliver(ns, { type: "other" }, own), { answer: undefined, async: false });
  assert.deepEqual(await deliver(ns, { type: "sync" }, { id: "someone-else" }), { answer: undefined, async: false });
  assert.deepEqual(await deliver(ns, "sync", own), { answer: undefined, async: false });
});

test("storage: get() reads everything, onChanged only hears storage.local", async () => {
  const { ns, calls } = fakeChrome();
  const P = createPlatform(ns);
  await P.storage.get();
  await P.storage.get(["a"]);
  assert.deepEqual(calls, [["get", null], ["get", ["a"]]]);
  const heard = [];
  P.storage.onChanged((changes) => heard.push(changes));
  for (const fn of ns.storage.onChanged.listeners) {
    fn({ port: { newValue: 1 } }, "sync");
    fn({ port: { newValue: 2 } }, "local");
  }
  assert.deepEqual(heard, [{ port: { newValue: 2 } }]);
});

test("badge: drawn with the action API, skipped without it", async () => {
  const withAction = fakeChrome();
  await createPlatform(withAction.ns).badge.set({ text: "3", color: "#e37400" });
  assert.deepEqual(withAction.calls, [["text", { text: "3" }], ["color", { color: "#e37400" }]]);
  const without = fakeChrome({ action: false });
  await createPlatform(without.ns).badge.set({ text: "3", color: "#e37400" });
  assert.deepEqual(without.calls, []);
});

test("tabs: the active tab of the last focused window, else of the current window; messages to the top frame", async () => {
  const { ns, calls } = fakeChrome();
  const P = createPlatform(ns);
  assert.equal((await P.tabs.active()).id, 11); // window 3 has no active tab here: the current window's
  assert.deepEqual(calls.map((c) => c[1]), [{ active: true, windowId: 3 }, { active: true, currentWindow: true }]);
  const noWindows = fakeChrome({ windows: false });
  assert.equal((await createPlatform(noWindows.ns).tabs.active()).id, 11);
  assert.equal(await P.tabs.sendMessage(11, { type: "x" }), "ok");
  assert.deepEqual(calls.at(-1), ["tabs.sendMessage", 11, { type: "x" }, { frameId: 0 }]);
});

test("i18n and runtime", () => {
  const { ns } = fakeChrome();
  const P = createPlatform(ns);
  assert.equal(P.i18n.t("known", ["a", "b"]), "K a,b");
  assert.equal(P.i18n.t("missingKey"), "missingKey");
  assert.equal(P.i18n.uiLanguage(), "zh-CN");
  assert.equal(P.runtime.version(), "9.9.9");
  assert.equal(P.runtime.connected(), true);
  delete ns.runtime.id; // what an orphaned content script sees after the extension is reloaded
  assert.equal(P.runtime.connected(), false);
});

test("the fake platform of the node tests has the real one's interface", () => {
  const shape = (p) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== "test").map(([k, v]) => [k, Object.keys(v).sort()]));
  assert.deepEqual(shape(createFakePlatform()), shape(createPlatform(fakeChrome().ns)));
});

test("no extension file but lib/platform.js calls the browser's extension APIs", () => {
  const fs = require("node:fs");
  const path = require("node:path");
  const ext = path.join(__dirname, "..", "..", "extension");
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (/\.(js|html)$/.test(e.name)) files.push(path.join(dir, e.name));
    }
  };
  walk(ext);
  const api = /\b(chrome|browser)\.(runtime|storage|tabs|windows|alarms|action|i18n|permissions|scripting)\b/;
  const offenders = files.filter((f) => !f.endsWith(path.join("lib", "platform.js")) && api.test(fs.readFileSync(f, "utf8")));
  assert.ok(files.length > 20, files.length);
  assert.deepEqual(offenders.map((f) => path.relative(ext, f)), []);
});
