/* The one-click reply in a team (issue 14): before the extension fills a suggested reply into the site's
 * composer, the background tells the helper (POST /api/comments/<id>/fill), which claims the request for
 * its operator and records the fill. What the answer means for the fill:
 *   200           → fill: the request is this operator's now;
 *   409           → do not fill: "<name> is on it" (the creator may still choose "Answer anyway");
 *   403 role      → do not fill: the helper's operator may not fill replies (a viewer; lib/role-refusal.js
 *                   words the notice);
 *   anything else → fill as always: a helper that is offline, slow, busy, too old for the endpoint (404) or
 *                   that does not know the comment yet (404) must never block a lone creator.
 * Pure: the background maps the helper's answer or error to an outcome (fromAnswer / fromError), the badge
 * reads the outcome the service worker sent back (heldBy). Node-tested in tests/js/fill-claim.test.js. */
(function (root) {
  "use strict";

  // A fill waits at most this long for the helper: the creator clicked and expects her reply now.
  const FILL_TIMEOUT_MS = 3000;

  const text = (v, max = 200) => (typeof v === "string" && v.trim() ? Array.from(v.trim()).slice(0, max).join("") : null);

  /** The helper's path for the comment's fill. */
  function fillPath(commentId) {
    return `/api/comments/${encodeURIComponent(commentId)}/fill`;
  }

  function held(body) {
    const b = body && typeof body === "object" ? body : {};
    return { fill: false, claim: "held", by: text(b.claimed_by, 64), until: text(b.claimed_until, 40) };
  }

  /** The outcome of an answer the helper gave (callHelper resolves only for 2xx). */
  function fromAnswer(status, data) {
    if (status === 409) return held(data);
    if (status >= 200 && status < 300) {
      const by = data && typeof data === "object" ? text(data.claimed_by, 64) : null;
      return { fill: true, claim: "mine", by, until: data && typeof data === "object" ? text(data.claimed_until, 40) : null };
    }
    return { fill: true, claim: "unknown", reason: `HTTP ${status}` };
  }

  /** The outcome of a call that failed (background/helper-client.js HelperError: kind, status, body). */
  function fromError(err) {
    if (err && err.kind === "http" && err.status === 409) return held(err.body);
    if (err && err.kind === "role") return { fill: false, claim: "role" };
    const reason = err && err.kind ? (err.kind === "http" ? `HTTP ${err.status}` : err.kind) : "error";
    return { fill: true, claim: "unknown", reason };
  }

  /** In the page: {by, until} when another operator holds the request (do not fill), else null (fill).
   * Anything but a well-formed "held" outcome fills: a worker that did not answer never blocks. */
  function heldBy(outcome) {
    if (!outcome || typeof outcome !== "object" || outcome.fill !== false || outcome.claim !== "held") return null;
    return { by: text(outcome.by, 64), until: text(outcome.until, 40) };
  }

  const api = Object.freeze({ FILL_TIMEOUT_MS, fillPath, fromAnswer, fromError, heldBy });
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.fillClaim = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
