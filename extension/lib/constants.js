/* The words the extension shares with the helper, written once for every extension file: the copy of
 * helper/vocab.py (the extension loads unpacked, with no build step to generate it). The helper's names
 * and values exactly; tests/test_vocab_agreement.py checks that both sides agree on every shared name.
 * Only content/page-hook.js (MAIN world, self-contained on purpose) keeps its own copy of the note-id
 * pattern; tests/js/page-hook.test.js checks it equals this one. */
(function (root) {
  "use strict";

  // The port `linktriage serve` listens on by default (127.0.0.1 only).
  const DEFAULT_PORT = 17615;

  // A comment's triage status, and the two ways a creator corrects the model's verdict.
  const STATUSES = Object.freeze(["new", "replied", "ignored"]);
  const CORRECTIONS = Object.freeze(["not_request", "missed"]);

  // Where a suggested reply goes (the helper words it per platform).
  const PLATFORMS = Object.freeze(["xhs", "douyin", "web"]);

  // Comments per POST /api/comments: the helper refuses more than MAX_BATCH (413); the extension sends
  // at most SEND_BATCH at a time so one slow or refused request carries little.
  const MAX_BATCH = 500;
  const SEND_BATCH = 200;

  // A Xiaohongshu note id: 24 lowercase hex digits (the site's ObjectId).
  const NOTE_ID_PATTERN = "[0-9a-f]{24}";

  // ---- the extension's own names, derived from the shared ones (not in helper/vocab.py) ----
  // A whole note id, either case (the site's URLs and messages are lowercased after this test).
  const NOTE_ID = new RegExp(`^${NOTE_ID_PATTERN}$`, "i");
  // The platform this extension captures (one of PLATFORMS).
  const SITE_PLATFORM = "xhs";

  const api = Object.freeze({
    DEFAULT_PORT, STATUSES, CORRECTIONS, PLATFORMS, MAX_BATCH, SEND_BATCH, NOTE_ID_PATTERN,
    NOTE_ID, SITE_PLATFORM,
  });
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.constants = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
