/* When the content script hands captured comments to the service worker. Pure, so it is tested in node.
 * uBlock-style: a page can load hundreds of comments in a burst, so hand-overs are throttled — but the
 * first batch of a note goes at once (the creator is looking at it and waits for its badges), and so
 * does any batch after a quiet interval (leading-edge throttle, not a debounce). */
(function (root) {
  "use strict";

  /**
   * Milliseconds until the next hand-over (0 = now).
   * now, lastFlushAt: ms timestamps (lastFlushAt -Infinity before the first);
   * interval: at most one hand-over per interval while comments keep coming;
   * firstOfNote: some pending comment belongs to a note of which nothing was handed over yet.
   */
  function flushDelay({ now, lastFlushAt, interval, firstOfNote }) {
    if (firstOfNote) return 0;
    return Math.max(0, Math.min(interval, lastFlushAt + interval - now));
  }

  /**
   * Is a note ready to be sent? Its title/author make the helper's note row useful, so its comments wait
   * for them — at most `metaWait` ms after the note was first seen, and never when `force` (tab closing).
   * Returns 0 when ready, else the ms left to wait.
   */
  function metaWaitLeft(note, now, metaWait, force = false) {
    if (force || note.title || note.author_id) return 0;
    return Math.max(0, note.firstSeen + metaWait - now);
  }

  const api = { flushDelay, metaWaitLeft };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.batching = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
