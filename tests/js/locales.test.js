"use strict";
// Every UI string exists in English and Chinese with the same placeholders, and every key the code asks
// for is defined (a missing key would show the raw key name in the UI).
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const EXT = path.join(__dirname, "..", "..", "extension");
const load = (lang) => JSON.parse(fs.readFileSync(path.join(EXT, "_locales", lang, "messages.json"), "utf8"));

function sources(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "_locales") out.push(...sources(full));
    else if (/\.(js|html|json)$/.test(entry.name)) out.push(full);
  }
  return out;
}

test("en and zh_CN define the same keys and placeholders", () => {
  const en = load("en");
  const zh = load("zh_CN");
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.ok(en[key].message && zh[key].message, key);
    assert.deepEqual(Object.keys(zh[key].placeholders || {}).sort(), Object.keys(en[key].placeholders || {}).sort(), key);
    for (const name of Object.keys(en[key].placeholders || {})) {
      for (const [lang, msgs] of [["en", en], ["zh_CN", zh]]) {
        assert.ok(msgs[key].message.includes(`$${name.toUpperCase()}$`), `${lang} ${key} uses $${name.toUpperCase()}$`);
      }
    }
  }
});

test("every message key used by the extension exists", () => {
  const en = load("en");
  const used = new Set();
  for (const file of sources(EXT)) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/\bt\("([A-Za-z]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n="([A-Za-z]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/__MSG_([A-Za-z]+)__/g)) used.add(m[1]);
  }
  assert.ok(used.size > 20, `found only ${used.size} keys`);
  for (const key of used) assert.ok(en[key], `missing message ${key}`);
});

test("manifest: MV3, Firefox-ready background, MAIN-world hook at document_start", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXT, "manifest.json"), "utf8"));
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.default_locale, "en");
  assert.ok(manifest.background.service_worker);
  assert.equal(manifest.background.scripts.at(-1), manifest.background.service_worker);
  assert.ok(manifest.browser_specific_settings.gecko.id);
  const hook = manifest.content_scripts.find((cs) => cs.world === "MAIN");
  assert.deepEqual(hook.js, ["content/page-hook.js"]);
  assert.equal(hook.run_at, "document_start");
  for (const cs of manifest.content_scripts) for (const file of cs.js) assert.ok(fs.existsSync(path.join(EXT, file)), file);
  for (const file of manifest.background.scripts) assert.ok(fs.existsSync(path.join(EXT, file)), file);
  // Chromium loads the background with the worker's importScripts, Firefox with background.scripts: the same files in the same order.
  const worker = fs.readFileSync(path.join(EXT, manifest.background.service_worker), "utf8");
  const imported = [...worker.match(/importScripts\(([^)]*)\)/)[1].matchAll(/"([^"]+)"/g)].map((m) => path.posix.join(path.posix.dirname(manifest.background.service_worker), m[1]));
  assert.deepEqual([...imported, manifest.background.service_worker], manifest.background.scripts);
  // The content scripts, popup and options page load the words and the platform layer before anything else.
  const isolated = manifest.content_scripts.find((cs) => cs.world !== "MAIN");
  assert.deepEqual(isolated.js.slice(0, 2), ["lib/constants.js", "lib/platform.js"]);
  for (const page of ["popup/popup.html", "options/options.html"]) {
    const scripts = [...fs.readFileSync(path.join(EXT, page), "utf8").matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(scripts.slice(0, 2), ["../lib/constants.js", "../lib/platform.js"], page);
  }
  // The helper on loopback, and the two sites (the international one too): nothing else.
  assert.deepEqual(manifest.host_permissions.sort(), ["http://127.0.0.1/*", "http://localhost/*", "https://www.rednote.com/*", "https://www.xiaohongshu.com/*"]);
  for (const cs of manifest.content_scripts) assert.deepEqual(cs.matches.sort(), ["https://www.rednote.com/*", "https://www.xiaohongshu.com/*"]);
});
