/* What the popup and the toolbar badge show of the helper: its last known state ("paired", "offline",
 * "error", ...), kept in memory and in storage (it survives a worker restart), and the badge drawn from it
 * and the queue: "!" when captures were dropped, the number of queued comments while not delivering. And
 * the last role refusal's notice (team mode, lib/role-refusal.js: "Your role (viewer) cannot change
 * statuses"), in storage until dismissed in the popup. */
(function (root) {
  "use strict";

  // The state is written when it changes, or at most this often (the popup shows when it was confirmed).
  const WRITE_EVERY_MS = 5000;

  /** The toolbar badge for queue `q` (lib/queue.js) and the helper's state: {text, color}. Pure. */
  function badgeFor(q, helperState, Q) {
    const queued = Q.commentCount(q);
    if (q.dropped > 0) return { text: "!", color: "#d93025" };
    if (queued > 0 && helperState !== "paired") return { text: queued > 999 ? "999+" : String(queued), color: "#e37400" };
    return { text: "", color: "#5b6b7a" };
  }

  /** The helper's status over `platform` (lib/platform.js), the outbox (background/outbox.js) and Q. */
  function createStatus({ platform, outbox, Q }) {
    let last = { state: "unknown" };
    let writtenAt = 0;

    async function updateBadge() {
      await platform.badge.set(badgeFor(await outbox.load(), last.state, Q));
    }

    /** status: {state, error?, httpStatus?}. */
    async function set(status) {
      const changed = status.state !== last.state || status.error !== last.error;
      last = { ...status, at: Date.now() };
      if (changed || !writtenAt || Date.now() - writtenAt > WRITE_EVERY_MS) {
        writtenAt = Date.now();
        await platform.storage.set({ helperStatus: last });
      }
      if (changed) await updateBadge();
    }

    /** The last state written by this worker or an earlier one (null when none was). */
    async function stored() {
      const { helperStatus } = await platform.storage.get("helperStatus");
      return helperStatus || null;
    }

    /** The last role refusal (lib/role-refusal.js notice), shown in the popup until dismissed; null: none. */
    async function setNotice(notice) {
      await platform.storage.set({ roleNotice: notice || null });
    }

    async function notice() {
      const { roleNotice } = await platform.storage.get("roleNotice");
      return roleNotice || null;
    }

    return {
      /** The state this worker last found: {state, error?, at?}. */
      get last() {
        return last;
      },
      set,
      stored,
      setNotice,
      notice,
      updateBadge,
    };
  }

  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.background = root.LinkTriage.background || {};
  root.LinkTriage.background.badge = { createStatus, badgeFor };
  if (typeof module === "object" && module && module.exports) module.exports = root.LinkTriage.background.badge;
})(globalThis);
