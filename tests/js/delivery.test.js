"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const D = require("../../extension/lib/delivery.js");

const item = (n, extra = {}) => ({ kind: "comments", seq: 1, note: { id: "n" }, comments: Array.from({ length: n }, (_, i) => ({ id: `c${i}` })), ...extra });
const http = (status) => ({ kind: "http", status, message: `HTTP ${status}` });

test("a refused batch is split in halves, whatever the 4xx or 5xx but busy", () => {
  for (const status of [400, 404, 413, 422, 500, 502, 504]) {
    const out = D.onRefused(item(5), http(status), { now: 1000 });
    assert.deepEqual(out.split.map((p) => p.comments.map((c) => c.id)), [["c0", "c1", "c2"], ["c3", "c4"]], String(status));
    assert.ok(out.split.every((p) => p.failedAt === 1000), "the halves remember when their batch first failed");
  }
  // Split again: the time of the first failure is kept.
  const again = D.onRefused(item(2, { failedAt: 500 }), http(500), { now: 2000 });
  assert.ok(again.split.every((p) => p.failedAt === 500));
});

test("a lone comment: a 4xx sets it aside; a 5xx only once the helper took other batches since", () => {
  assert.deepEqual(D.onRefused(item(1), http(422), { now: 10 }), { setAside: "422 HTTP 422" });
  // 5xx and the helper accepted nothing since the batch first failed: maybe the helper is broken. Step over it.
  assert.deepEqual(D.onRefused(item(1, { failedAt: 100 }), http(500), { lastSuccessAt: 50, now: 200 }), { skip: true, failedAt: 100 });
  assert.deepEqual(D.onRefused(item(1), http(500), { lastSuccessAt: 0, now: 300 }), { skip: true, failedAt: 300 });
  // The helper took another batch after this one failed: this item is the problem.
  assert.deepEqual(D.onRefused(item(1, { failedAt: 100 }), http(500), { lastSuccessAt: 150, now: 200 }), { setAside: "500 HTTP 500" });
});

test("connection failures and pairing answers are not refusals of the batch", () => {
  for (const err of [{ kind: "offline" }, { kind: "foreign" }, { kind: "pairing-refused" }, http(401), http(403), null]) {
    assert.equal(D.onRefused(item(3), err), null, JSON.stringify(err));
  }
});

test("retries: a short fixed interval, slower only when nothing will change soon; deliveries end before the worker's idle limit", () => {
  assert.ok(D.RETRY_MS <= 30000);
  for (let i = 0; i < 10; i++) assert.equal(D.retryDelay({ kind: "offline" }), D.RETRY_MS, "never grows with failures");
  assert.equal(D.retryDelay(http(500)), D.RETRY_MS);
  assert.ok(D.retryDelay({ kind: "pairing-refused" }) <= 30000);
  assert.ok(D.DELIVERY_TIMEOUT_MS < 30000);
  assert.ok(D.ALARM_MINUTES * 60000 <= 30000);
});

test("a triage item (no comments) follows the lone-item rule", () => {
  const triage = { kind: "triage", seq: 9, id: "c1", body: { status: "replied" } };
  assert.deepEqual(D.onRefused(triage, http(404)), { setAside: "404 HTTP 404" });
  assert.deepEqual(D.onRefused(triage, http(500), { now: 7 }), { skip: true, failedAt: 7 });
  assert.deepEqual(D.onRefused({ ...triage, failedAt: 7 }, http(500), { lastSuccessAt: 8 }), { setAside: "500 HTTP 500" });
});

const busy = (status, retryAfter = null) => ({ ...http(status), retryAfter });

test("a busy helper (503, 429) refuses nothing: the batch stays whole, never split nor set aside", () => {
  for (const err of [busy(503, "1"), busy(503, "5"), busy(429, "30"), busy(503), busy(429)]) {
    assert.ok(D.isBusy(err));
    assert.equal(D.refusesBatch(err), false);
    // Whatever the batch's size or history (even after the helper took other batches since it first failed).
    assert.equal(D.onRefused(item(5), err, { now: 10 }), null, JSON.stringify(err));
    assert.equal(D.onRefused(item(1, { failedAt: 100 }), err, { lastSuccessAt: 150, now: 200 }), null);
    assert.equal(D.onRefused({ kind: "triage", seq: 2, id: "c1", body: { status: "replied" } }, err, { lastSuccessAt: 9, now: 10 }), null);
  }
  // A 500 or 502 is still about the batch.
  assert.equal(D.isBusy(http(500)), false);
  assert.equal(D.isBusy({ kind: "offline", status: 503 }), false, "only the helper's own answer");
});

test("busy: retried after the short interval, or after Retry-After when longer, at most 30 s", () => {
  assert.equal(D.retryDelay(busy(503, "1")), D.RETRY_MS, "the helper's database lock: the usual interval");
  assert.equal(D.retryDelay(busy(503)), D.RETRY_MS, "no Retry-After");
  assert.equal(D.retryDelay(busy(429, "garbage")), D.RETRY_MS);
  assert.equal(D.retryDelay(busy(429, "12")), 12000);
  assert.equal(D.retryDelay(busy(503, " 20 ")), 20000);
  assert.equal(D.retryDelay(busy(429, "3600")), D.MAX_RETRY_AFTER_MS, "capped");
  assert.equal(D.MAX_RETRY_AFTER_MS, 30000);
  // An HTTP date counts from now.
  const now = Date.parse("2026-12-01T13:00:00Z");
  assert.equal(D.retryDelay(busy(503, "Tue, 01 Dec 2026 13:00:17 GMT"), now), 17000);
  assert.equal(D.retryDelay(busy(503, "Tue, 01 Dec 2026 12:00:00 GMT"), now), D.RETRY_MS, "a date gone by");
  // Retry-After on another error changes nothing.
  assert.equal(D.retryDelay({ ...http(500), retryAfter: "25" }), D.RETRY_MS);
});

test("Retry-After values", () => {
  assert.equal(D.retryAfterMs("0"), 0);
  assert.equal(D.retryAfterMs("7"), 7000);
  assert.equal(D.retryAfterMs(null), 0);
  assert.equal(D.retryAfterMs(""), 0);
  assert.equal(D.retryAfterMs("-3"), 0);
  assert.equal(D.retryAfterMs("1.5"), 0, "delta-seconds are whole");
});
