/* What the service worker does when the helper answers a delivery with an error. Pure, tested in node.
 *
 * A batch the helper answers with any 4xx or 5xx is split in halves until the item that fails alone is
 * found; the good halves go through. A lone comment the helper refuses with a 4xx is set aside at once (it
 * will never be accepted as it is). A lone comment answered with a 5xx is set aside only once the helper
 * has been seen accepting other batches since this one first failed — before that, a 5xx may just as well
 * mean the helper itself is broken, and setting the whole queue aside would be wrong; meanwhile the items
 * behind it are tried (one bad item never blocks the queue).
 *
 * A 503 or 429 is not about the batch: the helper is busy (its database is held by another writer for
 * over a second, too many exports run) or throttling. The batch stays whole and in place and is tried
 * again like after a connection failure, after RETRY_MS or the answer's Retry-After if longer (at most
 * MAX_RETRY_AFTER_MS); it is never split or set aside for it.
 *
 * A 401, or a 403 refusing our token or origin, is about the pairing: the helper client pairs again. A 403
 * with reason "role" (team mode: the helper's operator may not do this, helper/roles.py) is not: the pairing
 * stays, a refused triage is dropped with a notice (lib/role-refusal.js), never retried. answerKind says
 * which is which. */
(function (root) {
  "use strict";

  // While anything is queued, try again this often (a refused loopback connection costs nothing).
  const RETRY_MS = 5000;
  // Something else answers on the port, or pairing is refused: nothing changes quickly, ask less often.
  const SLOW_RETRY_MS = 30000;
  // Chrome stops an idle extension service worker after 30 s; a delivery must end well before.
  const DELIVERY_TIMEOUT_MS = 20000;
  // Alarm period: it wakes a stopped worker while anything is queued. Chrome fires an unpacked extension's
  // alarms (how LinkTriage is installed) at this period; a store-installed one at its 30 s minimum.
  const ALARM_MINUTES = 0.25;

  // A Retry-After longer than this is not waited for: the alarm wakes the worker anyway, and a
  // helper that wrongly asks for an hour must not stall the queue that long.
  const MAX_RETRY_AFTER_MS = 30000;

  const PAIRING_STATUSES = new Set([401, 403]);
  // The helper's refusal reasons (the JSON body's "reason", helper/security.py REASONS) after which pairing
  // again can help: our token or our origin is not the paired one.
  const REPAIR_REASONS = new Set(["token", "origin"]);
  // "Busy, try again later" (the helper's database lock, its export limit) and "throttled".
  const BUSY_STATUSES = new Set([429, 503]);

  /** Retry-After (delta-seconds or an HTTP date) → ms from `now`; 0 when absent or unreadable. */
  function retryAfterMs(value, now = Date.now()) {
    if (typeof value !== "string" || !value.trim()) return 0;
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number(text) * 1000;
    const at = Date.parse(text);
    return Number.isFinite(at) ? Math.max(0, at - now) : 0;
  }

  /**
   * What the helper's answer means, from its status (0: nothing answered) and JSON body (null: none):
   *   "ok"       2xx;
   *   "repair"   401, or 403 refusing our token or origin (reason "token" / "origin", or no reason: a helper
   *              older than reasons): forget the token, pair again;
   *   "role"     403 reason "role": the helper's operator may not do this; the pairing is fine, keep it, drop
   *              the action (lib/role-refusal.js);
   *   "held"     409: another operator holds the request (lib/fill-claim.js);
   *   "busy"     429, 503: try again later, the same;
   *   "offline"  nothing answered;
   *   "refused"  any other 4xx/5xx, or a 403 that pairing cannot fix (dashboard-only, host, ...).
   */
  function answerKind(status, body) {
    if (!status) return "offline";
    if (status >= 200 && status < 300) return "ok";
    const reason = body && typeof body === "object" && typeof body.reason === "string" ? body.reason : null;
    if (status === 401) return "repair";
    if (status === 403) {
      if (reason === "role") return "role";
      return reason === null || REPAIR_REASONS.has(reason) ? "repair" : "refused";
    }
    if (status === 409) return "held";
    if (BUSY_STATUSES.has(status)) return "busy";
    return "refused";
  }

  /** Is this the helper saying "busy, try again later" (503, 429), not a refusal of what was sent? */
  function isBusy(err) {
    return !!err && err.kind === "http" && BUSY_STATUSES.has(err.status);
  }

  /** The retry delay after an error of this kind. `err.retryAfter`: the answer's Retry-After header. */
  function retryDelay(err, now = Date.now()) {
    const kind = err && err.kind;
    if (kind === "foreign" || kind === "pairing-refused" || kind === "unauthorized") return SLOW_RETRY_MS;
    if (isBusy(err)) return Math.max(RETRY_MS, Math.min(retryAfterMs(err.retryAfter, now), MAX_RETRY_AFTER_MS));
    return RETRY_MS;
  }

  /** Is this error an answer about the batch (split it), rather than about the connection or the
   * helper's load? */
  function refusesBatch(err) {
    return !!err && err.kind === "http" && err.status >= 400 && err.status < 600 && !PAIRING_STATUSES.has(err.status) && !isBusy(err);
  }

  /**
   * The helper refused comments item `item` with `err`. Returns one of
   *   {split: [part, part]}   deliver the halves instead (they keep the item's place);
   *   {setAside: reason}      keep it aside, listed in the popup, retried after an extension update;
   *   {skip: true}            leave it where it is and deliver the items behind it first;
   *   {drop: notice}          a triage the operator's role may not make (403 reason role): remove it from
   *                           the queue for good and show the notice (lib/role-refusal.js);
   *   null                    not a refusal of this batch: the connection failed or the helper is
   *                           busy (503, 429); keep it whole where it is, retry after retryDelay(err).
   * `lastSuccessAt`: when the helper last accepted a delivery (ms); `now`: ms.
   */
  function onRefused(item, err, { lastSuccessAt = 0, now = Date.now() } = {}) {
    if (err && err.kind === "role") {
      // Captures are every role's (a viewer's too): a helper that refuses them anyway is set aside, never dropped.
      if (item.kind !== "triage") return { setAside: `403 ${err.message || "role"}`.trim() };
      const R = (root.LinkTriage && root.LinkTriage.roleRefusal) || require("./role-refusal.js");
      return { drop: R.fromError(err, R.triageAction(item), now) };
    }
    if (!refusesBatch(err)) return null;
    const failedAt = item.failedAt || now;
    const comments = Array.isArray(item.comments) ? item.comments : [];
    if (comments.length > 1) {
      const half = Math.ceil(comments.length / 2);
      return { split: [{ ...item, failedAt, comments: comments.slice(0, half) }, { ...item, failedAt, comments: comments.slice(half) }] };
    }
    const reason = `${err.status} ${err.message || ""}`.trim();
    if (err.status < 500) return { setAside: reason };
    if (lastSuccessAt > failedAt) return { setAside: reason };
    return { skip: true, failedAt };
  }

  const api = {
    RETRY_MS, SLOW_RETRY_MS, MAX_RETRY_AFTER_MS, DELIVERY_TIMEOUT_MS, ALARM_MINUTES,
    retryAfterMs, answerKind, isBusy, retryDelay, refusesBatch, onRefused,
  };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.delivery = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
