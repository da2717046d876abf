/* Watches the comment list with a throttled MutationObserver: reads comments from the DOM as a fallback,
 * picks up the note title, and (re)draws badges when the site renders or re-renders comment items. */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const THROTTLE_MS = 500;
  let timer = null;
  let lastRun = 0;

  function currentNoteId() {
    return LT.comments.noteIdFromUrl(location.href);
  }

  function scan() {
    lastRun = Date.now();
    const noteId = currentNoteId();
    if (noteId) {
      const titleEl = document.querySelector("#detail-title");
      if (titleEl && titleEl.textContent.trim()) LT.capture.setNoteMeta({ id: noteId, title: titleEl.textContent.trim().slice(0, 200) });
      const container = document.querySelector(".comments-container") || document.querySelector(".comments-el");
      if (container) LT.capture.addFromDom(LT.domExtract.extractComments(container, { noteId, noteAuthorId: LT.capture.noteAuthorId(noteId), skip: LT.capture.has }));
    }
    LT.badges.renderAll();
  }

  function schedule() {
    if (timer) return;
    const wait = Math.max(0, THROTTLE_MS - (Date.now() - lastRun));
    timer = setTimeout(() => {
      timer = null;
      scan();
    }, wait);
  }

  function onMutations(records) {
    for (const r of records) {
      // Our own badge insertions are not news.
      if (r.target && r.target.closest && r.target.closest('[data-linktriage="badge"]')) continue;
      for (const n of r.addedNodes) {
        if (n.nodeType === 1 && !(n.getAttribute && n.getAttribute("data-linktriage"))) return schedule();
      }
      for (const n of r.removedNodes) {
        if (n.nodeType === 1) return schedule();
      }
    }
  }

  function start() {
    new MutationObserver(onMutations).observe(document.documentElement, { childList: true, subtree: true });
    schedule();
  }

  LT.domWatch = { start, scan: schedule };
})(globalThis);
