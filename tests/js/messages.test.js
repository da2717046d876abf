"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const M = require("../../extension/lib/messages.js");

const self = { name: "this window" };
const other = { name: "an iframe" };
const ORIGIN = "https://www.xiaohongshu.com";
const base = { channel: M.CHANNEL, v: M.VERSION };
const ev = (data, over = {}) => ({ source: self, origin: ORIGIN, data, ...over });

test("validatePageMessage accepts the three kinds", () => {
  const url = "https://edith.xiaohongshu.com/api/sns/web/v2/comment/page?note_id=x";
  assert.deepEqual(M.validatePageMessage(ev({ ...base, kind: "comment-response", url, body: { code: 0 } }), self, ORIGIN), {
    kind: "comment-response", url, body: { code: 0 },
  });
  assert.deepEqual(M.validatePageMessage(ev({ ...base, kind: "note-state", noteId: "65F0A1B2C3D4E5F601234567", detail: {} }), self, ORIGIN), {
    kind: "note-state", noteId: "65f0a1b2c3d4e5f601234567", detail: {},
  });
  assert.deepEqual(M.validatePageMessage(ev({ ...base, kind: "navigated", url: ORIGIN + "/explore" }), self, ORIGIN), {
    kind: "navigated", url: ORIGIN + "/explore",
  });
});

test("validatePageMessage refuses everything else", () => {
  const good = { ...base, kind: "navigated", url: ORIGIN };
  const table = [
    ["other source", ev(good, { source: other })],
    ["null source", ev(good, { source: null })],
    ["other origin", ev(good, { origin: "https://evil.example" })],
    ["no data", ev(undefined)],
    ["string data", ev("linktriage")],
    ["array data", ev([good])],
    ["wrong channel", ev({ ...good, channel: "x" })],
    ["wrong version", ev({ ...good, v: 2 })],
    ["unknown kind", ev({ ...good, kind: "verdicts" })],
    ["hello", ev({ channel: M.CHANNEL + ":hello" })],
    ["response without body", ev({ ...base, kind: "comment-response", url: "https://e/x" })],
    ["response with array body", ev({ ...base, kind: "comment-response", url: "https://e/x", body: [] })],
    ["response with huge url", ev({ ...base, kind: "comment-response", url: "h".repeat(5000), body: {} })],
    ["state with bad note id", ev({ ...base, kind: "note-state", noteId: "../../etc", detail: {} })],
    ["state without detail", ev({ ...base, kind: "note-state", noteId: "65f0a1b2c3d4e5f601234567" })],
    ["navigated without url", ev({ ...base, kind: "navigated" })],
    ["class instance", ev(Object.assign(new (class X {})(), good))],
  ];
  for (const [name, event] of table) assert.equal(M.validatePageMessage(event, self, ORIGIN), null, name);
  assert.equal(M.validatePageMessage(null, self, ORIGIN), null);
});

test("validatePageMessage: the notifications page's state is a list of plain objects", () => {
  const messages = [{ id: "m1", type: "comment/item" }, "junk", null, { id: "m2" }];
  assert.deepEqual(M.validatePageMessage(ev({ ...base, kind: "mentions-state", messages }), self, ORIGIN), {
    kind: "mentions-state", messages: [{ id: "m1", type: "comment/item" }, { id: "m2" }],
  });
  for (const bad of [{ messages: "x" }, {}, { messages: new Array(5001).fill({}) }]) {
    assert.equal(M.validatePageMessage(ev({ ...base, kind: "mentions-state", ...bad }), self, ORIGIN), null);
  }
});
