/* The messages the service worker answers (from content scripts, the popup and the options page): one
 * handler per message type, each resolving to the answer. A capture is acknowledged only once it is in
 * the outbox's storage. */
(function (root) {
  "use strict";

  /** A note's fields as the helper stores them; strings cut by code points (half an emoji is a lone
   * surrogate, which the helper cannot store). */
  function cleanNote(note, fallbackId) {
    const n = note && typeof note === "object" ? note : {};
    const str = (v, max = 500) => (typeof v === "string" && v ? Array.from(v).slice(0, max).join("") : null);
    const count = (v) => (Number.isInteger(v) && v >= 0 ? v : undefined);
    return {
      id: str(n.id, 64) || fallbackId,
      title: str(n.title),
      author_id: str(n.author_id, 64),
      author_name: str(n.author_name),
      url: str(n.url, 2048),
      comment_count: count(n.comment_count), // coverage: the note's own count, threads not expanded yet
      unexpanded_threads: count(n.unexpanded_threads),
    };
  }

  /**
   * {type: handler(msg, sender) → Promise<answer>}. outbox, status, delivery: the background modules;
   * helper: background/helper-client.js; Q, D, K: lib/queue.js, lib/delivery.js, lib/constants.js.
   */
  function createHandlers({
    outbox, status, delivery, helper, Q, K,
    F = (root.LinkTriage && root.LinkTriage.fillClaim) || require("../lib/fill-claim.js"),
    R = (root.LinkTriage && root.LinkTriage.roleRefusal) || require("../lib/role-refusal.js"),
  }) {
    async function onCapture(msg, sender) {
      const comments = (Array.isArray(msg.comments) ? msg.comments : []).filter(
        (c) => c && typeof c === "object" && typeof c.id === "string" && c.id && typeof c.text === "string",
      );
      const noteId = msg.note && typeof msg.note.id === "string" && K.NOTE_ID.test(msg.note.id) ? msg.note.id : null;
      if (!noteId || !comments.length) return { ok: false, permanent: true, error: "empty or malformed capture" };
      const note = cleanNote(msg.note, noteId);
      const tabId = sender && sender.tab ? sender.tab.id : -1;
      const items = Q.chunk(comments, K.SEND_BATCH).map((part) => ({ kind: "comments", tabId, note, comments: part, at: Date.now() }));
      const { queued } = await delivery.enqueue(items); // persisted before we acknowledge; delivery already started
      return { ok: true, queued };
    }

    async function onTriage(msg, sender) {
      const body = {};
      if (K.STATUSES.includes(msg.status)) body.status = msg.status;
      if (K.CORRECTIONS.includes(msg.correction)) body.correction = msg.correction;
      if (typeof msg.id !== "string" || !msg.id || !Object.keys(body).length) return { ok: false, error: "bad triage" };
      // The tab is told if the helper operator's role refuses it (linktriage:role-refused).
      const tabId = sender && sender.tab ? sender.tab.id : -1;
      await delivery.enqueue([{ kind: "triage", id: msg.id, body, tabId, at: Date.now() }]);
      return { ok: true };
    }

    /** The helper's state as the popup shows it: the health check, a check that our pairing is still
     * accepted, and the last delivery's result (a helper that answers its health check but fails every
     * delivery is not "connected"). Anything we could not find out is reported as unknown (null). */
    async function onStatus() {
      const ping = await helper.ping();
      const q = await outbox.load();
      const rejected = await outbox.rejected();
      const last = (await status.stored()) || status.last; // survives worker restarts
      let state = ping.state === "ok" ? "pairing" : ping.state;
      let error = null;
      if (ping.state === "ok") {
        // Pairs right away when there is no token yet and the helper allows it (zero-config); with a token,
        // one authenticated call tells whether it is still accepted (a revoke is noticed here).
        try {
          await helper.callHelper("GET", "/api/requests?limit=1", undefined, { timeoutMs: 5000 });
          state = "paired";
        } catch (err) {
          ({ state, error } = delivery.statusFromError(err));
        }
        // The health check succeeded: deliver now rather than at the next retry.
        if (q.items.length && state === "paired") delivery.drainSoon();
        // ...but a helper that fails deliveries is not "connected", whatever its health check says.
        if (state === "paired" && q.items.length && last.state === "error" && last.at > delivery.lastSuccessAt) {
          state = "error";
          error = last.error;
        }
      }
      // Remember what we found out (the toolbar badge follows it), unless it is the same as already known.
      if (state !== status.last.state && (state !== "error" || !q.items.length)) await status.set(error ? { state, error } : { state });
      return {
        state,
        error,
        port: ping.port,
        version: ping.version || null,
        modelLoaded: !!ping.model_loaded,
        queued: Q.commentCount(q),
        queuedItems: q.items.length,
        dropped: q.droppedComments,
        rejected: rejected.length,
        roleNotice: await status.notice(), // the last thing the operator's role refused (team mode), until dismissed
        lastDeliveryAt: delivery.lastSuccessAt || null,
        checkedAt: Date.now(),
        dashboard: helper.baseUrl(ping.port) + "/",
      };
    }

    /** The items set aside, for the popup's list: what, when and why (comment texts cut short). */
    async function onSetAside() {
      const list = await outbox.rejected();
      return {
        ok: true,
        items: list.map((r) => {
          const item = (r && r.item) || {};
          const comments = Array.isArray(item.comments) ? item.comments : [];
          return {
            at: r.at,
            reason: String(r.reason || ""),
            kind: item.kind || "?",
            note: (item.note && (item.note.title || item.note.id)) || null,
            count: item.kind === "comments" ? comments.length : 1,
            text: comments.length ? Array.from(String(comments[0].text || "")).slice(0, 60).join("") : item.id || "",
          };
        }),
      };
    }

    async function onNoteRequests(msg) {
      if (typeof msg.noteId !== "string" || !K.NOTE_ID.test(msg.noteId)) return { ok: false };
      const { data } = await helper.callHelper("GET", `/api/requests?note_id=${encodeURIComponent(msg.noteId)}&limit=1`);
      let captured = null;
      try {
        const cov = (await helper.callHelper("GET", `/api/coverage?note_id=${encodeURIComponent(msg.noteId)}`)).data;
        const row = cov && Array.isArray(cov.items) ? cov.items[0] : null;
        if (row && typeof row.captured === "number") captured = row.captured;
      } catch (_) {
        /* an older helper without /api/coverage: the tab's own count is shown */
      }
      return { ok: true, total: data && typeof data.total === "number" ? data.total : null, captured };
    }

    /** The one-click reply is about to fill a request's reply: claim it for the helper's operator (team
     * mode). Answers {ok, fill, claim, by?, until?, notice?}: fill false when another operator holds it (409)
     * or when the operator's role may not fill replies (claim "role", with the notice the popup shows too);
     * offline, slow, old or otherwise refusing helpers all answer fill true (lib/fill-claim.js). */
    async function onFill(msg) {
      if (typeof msg.id !== "string" || !msg.id || msg.id.length > 128) return { ok: false, fill: true, claim: "unknown", reason: "bad id" };
      const platformName = K.PLATFORMS.includes(msg.platform) ? msg.platform : K.SITE_PLATFORM;
      try {
        const { status: code, data } = await helper.callHelper("POST", F.fillPath(msg.id), { platform: platformName }, { timeoutMs: F.FILL_TIMEOUT_MS });
        return { ok: true, ...F.fromAnswer(code, data) };
      } catch (err) {
        const outcome = F.fromError(err);
        const notice = outcome.claim === "role" ? R.fromError(err, "fill") : null;
        if (notice) await status.setNotice(notice);
        return notice ? { ok: true, ...outcome, notice } : { ok: true, ...outcome };
      }
    }

    async function onExport(msg) {
      const query = msg.noteId && K.NOTE_ID.test(msg.noteId) ? `?note_id=${encodeURIComponent(msg.noteId)}` : "";
      const { data } = await helper.callHelper("GET", `/api/export.csv${query}`, undefined, { as: "text" });
      return { ok: true, csv: data };
    }

    async function onRetryNow() {
      const before = Q.commentCount(await outbox.load());
      await delivery.drainSoon({ force: true });
      const q = await outbox.load();
      const last = status.last;
      return { ok: true, delivered: Math.max(0, before - Q.commentCount(q)), queued: Q.commentCount(q), state: last.state, error: last.error || null };
    }

    return {
      "linktriage:capture": onCapture,
      "linktriage:triage": onTriage,
      "linktriage:fill": onFill,
      "linktriage:status": onStatus,
      "linktriage:note-requests": onNoteRequests,
      "linktriage:export": onExport,
      "linktriage:retry-now": onRetryNow,
      "linktriage:set-aside": onSetAside,
      "linktriage:clear-set-aside": async () => {
        await outbox.clearRejected();
        return { ok: true };
      },
      "linktriage:clear-notice": async () => {
        await status.setNotice(null);
        return { ok: true };
      },
      "linktriage:clear-warning": async () => {
        await outbox.update((q) => ({ queue: Q.clearDropped(q) }));
        await status.updateBadge();
        return { ok: true };
      },
    };
  }

  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.background = root.LinkTriage.background || {};
  root.LinkTriage.background.handlers = { createHandlers, cleanNote };
  if (typeof module === "object" && module && module.exports) module.exports = root.LinkTriage.background.handlers;
})(globalThis);
