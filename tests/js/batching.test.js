"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const B = require("../../extension/lib/batching.js");

test("flushDelay: first batch of a note at once, later ones throttled (leading edge)", () => {
  const table = [
    // [now, lastFlushAt, firstOfNote, expected delay]
    [1000, -Infinity, false, 0], // nothing sent yet in this tab
    [1000, -Infinity, true, 0],
    [1000, 900, true, 0], // a new note jumps the throttle
    [1000, 900, false, 300], // 100 ms after the last hand-over: wait for the rest of the interval
    [1000, 600, false, 0], // exactly one interval later
    [1000, 100, false, 0], // a quiet page: at once
    [1000, 1000, false, 400],
    [1000, 5000, false, 400], // clock went back: never longer than one interval
  ];
  for (const [now, lastFlushAt, firstOfNote, want] of table) {
    assert.equal(B.flushDelay({ now, lastFlushAt, interval: 400, firstOfNote }), want, JSON.stringify([now, lastFlushAt, firstOfNote]));
  }
});

test("metaWaitLeft: a note without title or author waits a little for them, unless forced", () => {
  const table = [
    // [note, now, force, expected]
    [{ title: "客厅", author_id: null, firstSeen: 0 }, 10, false, 0],
    [{ title: null, author_id: "5a00", firstSeen: 0 }, 10, false, 0],
    [{ title: null, author_id: null, firstSeen: 0 }, 10, false, 1490],
    [{ title: null, author_id: null, firstSeen: 0 }, 1500, false, 0],
    [{ title: null, author_id: null, firstSeen: 0 }, 9000, false, 0],
    [{ title: null, author_id: null, firstSeen: 0 }, 10, true, 0],
  ];
  for (const [note, now, force, want] of table) {
    assert.equal(B.metaWaitLeft(note, now, 1500, force), want, JSON.stringify([note, now, force]));
  }
});
