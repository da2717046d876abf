"use strict";
// Dates and times of the dashboard (helper/dashboard/js/dates.js, an ES module), in a fixed zone.
process.env.TZ = "Asia/Shanghai"; // UTC+8, no daylight saving: local midnight is 16:00Z the day before
const test = require("node:test");
const assert = require("node:assert/strict");

const load = () => import("../../helper/dashboard/js/dates.js");

test("a date input's day is sent as the instant of its local midnight; 'until' as the next one", async () => {
  const D = await load();
  const table = [
    ["2026-11-20", 0, "2026-11-19T16:00:00.000Z"],
    ["2026-11-22", 1, "2026-11-22T16:00:00.000Z"],
    ["2026-12-31", 1, "2026-12-31T16:00:00.000Z"],
    ["2024-02-28", 1, "2024-02-28T16:00:00.000Z"],
    ["", 0, ""],
    ["not a date", 0, ""],
  ];
  for (const [day, plus, want] of table) assert.equal(D.localDayStart(day, plus), want, `${day} +${plus}`);
});

test("file names carry the local day", async () => {
  const D = await load();
  assert.equal(D.dayStamp(new Date("2026-11-24T15:59:00Z")), "2026-11-24");
  assert.equal(D.dayStamp(new Date("2026-11-24T16:00:00Z")), "2026-11-25"); // local midnight
  assert.equal(D.dayStamp(new Date("2026-01-05T00:00:00Z")), "2026-01-05");
});

test("times: the local time of an API instant; what cannot be read stays as given", async () => {
  const D = await load();
  const shown = D.formatTime("2026-11-24T12:05:00Z");
  assert.match(shown, /2026/);
  assert.match(shown, /20:05|8:05/); // 12:05Z is 20:05 in Shanghai, in the locale's own clock
  assert.equal(D.formatTime(Date.parse("2026-11-24T12:05:00Z")), shown);
  assert.equal(D.formatTime(""), "");
  assert.equal(D.formatTime(null), "");
  assert.equal(D.formatTime("yesterday-ish"), "yesterday-ish");
});

test("age reads as minutes, hours, then days", async () => {
  const D = await load();
  const now = Date.parse("2026-11-25T12:00:00Z");
  const table = [
    ["2026-11-25T11:59:30Z", "等了 1 分钟", "waited 1 min"],
    ["2026-11-25T11:20:00Z", "等了 40 分钟", "waited 40 min"],
    ["2026-11-24T10:00:00Z", "等了 26 小时", "waited 26 h"],
    ["2026-11-22T13:00:00Z", "等了 71 小时", "waited 71 h"],
    ["2026-11-21T11:00:00Z", "等了 4 天", "waited 4 days"],
  ];
  for (const [created, zh, en] of table) {
    const hours = D.ageHours({ created_at: created }, now);
    assert.equal(D.formatAge(hours, "zh"), zh);
    assert.equal(D.formatAge(hours, "en"), en);
  }
  assert.equal(D.ageHours({ created_at: null, captured_at: "2026-11-25T10:00:00Z" }, now), 2);
  assert.equal(D.ageHours({ created_at: "2026-11-26T00:00:00Z" }, now), 0); // a clock ahead is not negative
  assert.equal(D.ageHours({ created_at: null, captured_at: null }, now), null);
  assert.equal(D.formatAge(null), "");
});

test("waiting: new and written at least the cutoff ago", async () => {
  const D = await load();
  const now = Date.parse("2026-11-25T12:00:00Z");
  const table = [
    [{ status: "new", created_at: "2026-11-24T12:00:00Z" }, true],
    [{ status: "new", created_at: "2026-11-24T12:00:01Z" }, false],
    [{ status: "replied", created_at: "2026-11-20T12:00:00Z" }, false],
    [{ status: "new", created_at: null, captured_at: "2026-11-20T12:00:00Z" }, true],
    [{ status: "new", created_at: null, captured_at: null }, false],
  ];
  for (const [item, want] of table) assert.equal(D.isWaiting(item, 24, now), want, JSON.stringify(item));
});
