/* Isolated-world entry point (document_start): wires the page hook's messages, the service worker's
 * verdicts and the DOM watcher to the features. Thin on purpose: the logic lives in lib/ and features/. */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const C = LT.comments;
  let lastUrl = location.href;

  function onPageMessage(event) {
    const msg = LT.messages.validatePageMessage(event, window, location.origin);
    if (!msg) return;
    if (msg.kind === "comment-response" && C.commentEndpoint(msg.url) === "mentions") {
      addMentions(C.parseMentionsResponse(msg.body, { origin: location.origin }));
    } else if (msg.kind === "mentions-state") {
      addMentions(C.parseMentionsResponse(msg.messages, { origin: location.origin }));
    } else if (msg.kind === "comment-response") {
      const query = C.queryOf(msg.url);
      const noteId = query.note_id && LT.constants.NOTE_ID.test(query.note_id) ? query.note_id.toLowerCase() : C.noteIdFromUrl(location.href);
      const parsed = C.parseCommentResponse(msg.body, query, { noteId, noteAuthorId: noteId ? LT.capture.noteAuthorId(noteId) : null });
      if (parsed.ok) LT.capture.add(parsed.comments);
    } else if (msg.kind === "note-state") {
      const parsed = C.parseNoteDetail(msg.detail, msg.noteId);
      if (!parsed) return;
      LT.capture.setNoteMeta(parsed.note);
      LT.capture.add(parsed.comments);
    } else if (msg.kind === "navigated") {
      checkUrl();
    }
  }

  /** Comments from the notifications page: each with its own note (title or opening, author, xsec link). */
  function addMentions(parsed) {
    if (!parsed.ok) return;
    for (const { note } of parsed.mentions) LT.capture.setNoteMeta(note, "notice");
    LT.capture.add(parsed.mentions.map((m) => m.comment));
  }

  function checkUrl() {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    LT.domWatch.scan();
  }

  window.addEventListener("message", onPageMessage);
  // The hook may have posted before we listened (it starts first): ask it to replay.
  window.postMessage({ channel: LT.messages.CHANNEL + ":hello" }, location.origin);

  // From the service worker (verdicts) and the popup (what this tab holds).
  LT.platform.runtime.onMessage((msg) => {
    if (msg.type === "linktriage:verdicts") {
      LT.badges.addVerdicts(msg.results);
      if (LT.missedRequest) LT.missedRequest.addVerdicts(msg.results);
      LT.badges.markReplied(msg.threadReplied);
      return undefined; // nothing to answer
    }
    if (msg.type === "linktriage:role-refused") {
      LT.badges.roleRefused(msg.id, msg.notice); // the operator's role may not make this triage (team mode)
      return undefined;
    }
    if (msg.type === "linktriage:tab-state") {
      const noteId = C.noteIdFromUrl(location.href);
      return {
        noteId,
        notice: !noteId && LT.badges.onNoticePage() ? LT.capture.summary() : null,
        coverage: noteId ? LT.capture.coverage(noteId) : null,
        captured: noteId ? LT.capture.countForNote(noteId) : 0,
        requests: noteId ? LT.badges.requestCount(noteId) : 0,
        unsent: LT.capture.unsent(),
      };
    }
    return undefined;
  });

  setInterval(checkUrl, 1000); // pushState from the page world is also announced by the hook

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => LT.domWatch.start(), { once: true });
  else LT.domWatch.start();
})(globalThis);
