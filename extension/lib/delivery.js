/* What the service worker does when the helper answers a delivery with an error. Pure, tested in node.
 *
 * A batch the helper answers with any 4xx or 5xx is split in halves until the item that fails alone is
 * found; the good halves go through. A lone comment the helper refuses with a 4xx is set aside at once (it
 * will never be accepted as it is). A lone comment answered with a 5xx is set aside only once the helper
 * has been seen accepting other batches since this one first failed — before that, a 5xx may just as well
 * mean the helper itself is broken, and setting the whole queue aside would be wrong; meanwhile the items
 * behind it are tried (one bad item never blocks the queue). */
(function (root) {
  "use strict";

  // While anything is queued, try again this often (a refused loopback connection costs nothing).
  const RETRY_MS = 5000;
  // Something else answers on the port, or pairing is refused: nothing changes quickly, ask less often.
  const SLOW_RETRY_MS = 30000;
  // Chrome stops an idle extension service worker after 30 s; a delivery must end well before.
  const DELIVERY_TIMEOUT_MS = 20000;
  // Comments per delivery: small enough that the helper answers well within DELIVERY_TIMEOUT_MS.
  const BATCH_MAX = 200;
  // Alarm period: it wakes a stopped worker while anything is queued. Chrome fires an unpacked extension's
  // alarms (how LinkTriage is installed) at this period; a store-installed one at its 30 s minimum.
  const ALARM_MINUTES = 0.25;

  const PAIRING_STATUSES = new Set([401, 403]);

  /** The retry delay after an error of this kind. */
  function retryDelay(err) {
    const kind = err && err.kind;
    return kind === "foreign" || kind === "pairing-refused" || kind === "unauthorized" ? SLOW_RETRY_MS : RETRY_MS;
  }

  /** Is this error an answer about the batch (split it), rather than about the connection? */
  function refusesBatch(err) {
    return !!err && err.kind === "http" && err.status >= 400 && err.status < 600 && !PAIRING_STATUSES.has(err.status);
  }

  /**
   * The helper refused comments item `item` with `err`. Returns one of
   *   {split: [part, part]}   deliver the halves instead (they keep the item's place);
   *   {setAside: reason}      keep it aside, listed in the popup, retried after an extension update;
   *   {skip: true}            leave it where it is and deliver the items behind it first;
   *   null                    not a refusal of this batch: the connection failed, retry later.
   * `lastSuccessAt`: when the helper last accepted a delivery (ms); `now`: ms.
   */
  function onRefused(item, err, { lastSuccessAt = 0, now = Date.now() } = {}) {
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

  const api = { RETRY_MS, SLOW_RETRY_MS, DELIVERY_TIMEOUT_MS, BATCH_MAX, ALARM_MINUTES, retryDelay, refusesBatch, onRefused };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.delivery = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
