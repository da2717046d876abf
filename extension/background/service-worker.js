/* Service worker: the only part that talks to the helper. Content scripts hand over captured comments;
 * they are written to the outbox (a persistent queue) before being acknowledged, then delivered in order.
 * This file only wires the parts together:
 *   background/outbox.js      the persistent queue and the items set aside
 *   background/delivery.js    sending the queue: retries, splitting refused batches, setting items aside
 *   background/handlers.js    the messages from content scripts, the popup and the options page
 *   background/badge.js       the helper's status and the toolbar badge
 *   background/helper-client.js  every HTTP call to the helper (pairing, re-pairing on 401/403)
 * over lib/platform.js (the browser's APIs) and the pure lib/constants.js, lib/queue.js, lib/delivery.js. */
/* global importScripts */
if (typeof importScripts === "function") {
  // Chromium: one service_worker file. Firefox loads the same files from manifest.json background.scripts
  // instead (tests/js/locales.test.js checks both lists are the same).
  importScripts(
    "../lib/constants.js",
    "../lib/platform.js",
    "../lib/queue.js",
    "../lib/delivery.js",
    "../lib/fill-claim.js",
    "../lib/role-refusal.js",
    "helper-client.js",
    "outbox.js",
    "badge.js",
    "delivery.js",
    "handlers.js",
  );
}

(function () {
  "use strict";

  const LT = globalThis.LinkTriage;
  const BG = LT.background;
  const platform = LT.platform;
  const Q = LT.queue;
  const helper = LT.helperClient;

  const outbox = BG.outbox.createOutbox({ platform, Q });
  const status = BG.badge.createStatus({ platform, outbox, Q });
  const delivery = BG.delivery.createDelivery({ platform, outbox, status, helper, Q, D: LT.delivery, K: LT.constants });
  const handlers = BG.handlers.createHandlers({ outbox, status, delivery, helper, Q, K: LT.constants });

  platform.runtime.onMessage((msg, sender) => {
    const handler = handlers[msg.type];
    return handler ? handler(msg, sender) : undefined;
  });
  platform.alarms.onAlarm((name) => {
    if (name === BG.delivery.RETRY_ALARM) delivery.drainSoon();
  });
  platform.storage.onChanged((changes) => {
    if (changes.port) delivery.drainSoon({ force: true }); // another helper: its own answers count
  });
  platform.runtime.onStartup(() => delivery.drainSoon());
  platform.runtime.onInstalled((details) => {
    if (details && details.reason === "update") delivery.requeueSetAside().catch((err) => console.error("LinkTriage requeue", err));
    delivery.drainSoon();
  });

  // Every wake-up (a message, an alarm, a browser start) also resumes whatever is still queued.
  delivery.drainSoon();
})();
