/* Collects the comments of the notes shown in this tab, dedupes them by id, and hands them to the service
 * worker in throttled batches (uBlock style: the page can load hundreds at once; lib/batching.js decides
 * when: a note's first batch at once, later ones at most one per interval). A batch stays in the outbox
 * until the service worker acknowledges that it is stored in its persistent queue. */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const B = LT.batching;
  const FLUSH_INTERVAL_MS = 400;
  const META_WAIT_MS = 1500; // give the note's title/author a moment to arrive before the first batch
  const DOM_GRACE_MS = 2000; // DOM-read comments wait for the richer API/state copy
  const K = LT.constants;
  const SEND_BATCH = K.SEND_BATCH; // comments per hand-over: what the worker sends in one request
  const NOTE_ID = new RegExp(`^${K.NOTE_ID_PATTERN}$`); // lowercase only, as the helper stores it

  const notes = new Map(); // noteId → {id, title, author_id, author_name, url, firstSeen}
  const comments = new Map(); // commentId → comment (as sent)
  const threads = new Map(); // top comment id → {noteId, replies: its reply count as the site says, captured}
  const pending = []; // comments not yet in the outbox
  const outbox = []; // [{note, comments}] awaiting the service worker's acknowledgement
  const listeners = new Set();
  let flushTimer = null;
  let flushAt = Infinity; // when the scheduled hand-over runs
  let lastFlushAt = -Infinity;
  let sending = false;
  let sendFailures = 0;

  function noteFor(noteId) {
    let note = notes.get(noteId);
    if (!note) {
      note = { id: noteId, title: null, author_id: null, author_name: null, url: null, firstSeen: Date.now(), handedOver: false };
      notes.set(noteId, note);
    }
    return note;
  }

  /** A link to the note that opens from elsewhere: the site answers 404 without the note's xsec_token. */
  function pageUrlFor(noteId) {
    const token = new URLSearchParams(location.search).get("xsec_token");
    if (LT.comments.noteIdFromUrl(location.href) === noteId) return LT.comments.noteUrl(noteId, token, location.origin, "pc_share");
    return LT.comments.noteUrl(noteId, null, LT.comments.isSitePage(location.href) ? location.origin : undefined);
  }

  /** What the meta wait waits for: the page state's facts (a DOM title may be stale, see setNoteMeta). */
  function stateMeta(note) {
    return { title: note.stateTitle, author_id: note.author_id, firstSeen: note.firstSeen };
  }

  function isTitleOfAnotherNote(noteId, title) {
    for (const other of notes.values()) if (other.id !== noteId && other.title === title) return true;
    return false;
  }

  /** Note title/author. `source` "state" (the page state: the note's own facts, they win) or "dom" (the
   * title element: only a fallback — right after an in-page navigation it still shows the previous
   * note's title, so a DOM title equal to another note's is not taken). */
  function setNoteMeta(meta, source = "state") {
    if (!meta || !meta.id) return;
    const note = noteFor(meta.id);
    const wasWaiting = B.metaWaitLeft(stateMeta(note), Date.now(), META_WAIT_MS) > 0;
    if (source === "dom") {
      if (meta.title && !note.stateTitle && !isTitleOfAnotherNote(meta.id, meta.title)) note.domTitle = meta.title;
    } else if (source === "notice") {
      // The notifications page: the note's title or opening, its author and a link with its xsec_token.
      // Fills gaps only (the note page's own state knows the title better).
      if (meta.title && !note.stateTitle) note.stateTitle = meta.title;
      for (const key of ["author_id", "author_name", "url"]) if (meta[key] && !note[key]) note[key] = meta[key];
    } else {
      if (meta.title) note.stateTitle = meta.title;
      for (const key of ["author_id", "author_name"]) if (meta[key]) note[key] = meta[key];
    }
    // The note's own comment count: the page state's, else the DOM's "共 N 条评论".
    if (Number.isInteger(meta.comment_count) && (source !== "dom" || note.comment_count == null)) note.comment_count = meta.comment_count;
    note.title = note.stateTitle || note.domTitle || null;
    // Its comments were waiting for this: send them now rather than when the wait runs out.
    if (wasWaiting && (note.stateTitle || note.author_id) && pending.some((c) => c.note_id === meta.id)) scheduleFlush();
    // Comments captured before we knew the author: the author's own ones are marked now.
    if (note.author_id && note.author_id === meta.author_id && !note.authorMarked) {
      note.authorMarked = true;
      for (const c of comments.values()) {
        if (c.note_id === meta.id && c.author_id === note.author_id) c.is_author = true;
      }
    }
    emit();
  }

  function noteAuthorId(noteId) {
    const note = notes.get(noteId);
    return note ? note.author_id : null;
  }

  /** Add comments (already in the helper's shape). Returns how many were new to this tab. */
  function add(list) {
    let added = 0;
    for (const c of list) {
      if (!c || !c.id || !NOTE_ID.test(c.note_id || "") || comments.has(c.id)) continue;
      if (!c.is_author && c.author_id && c.author_id === noteAuthorId(c.note_id)) c.is_author = true;
      comments.set(c.id, c);
      noteFor(c.note_id);
      countThread(c);
      pending.push(c);
      added += 1;
    }
    if (added) {
      scheduleFlush();
      emit();
    }
    return added;
  }

  function threadOf(id, noteId) {
    let t = threads.get(id);
    if (!t) {
      t = { noteId, replies: null, captured: 0 };
      threads.set(id, t);
    }
    return t;
  }

  function countThread(c) {
    if (c.parent_id) threadOf(c.parent_id, c.note_id).captured += 1;
    else if (Number.isInteger(c.replyCount)) threadOf(c.id, c.note_id).replies = c.replyCount;
  }

  /** How much of note `noteId` this tab has: comments captured, the note's own count (null when the page
   * did not say) and the threads whose replies are not all loaded yet (the creator clicks 展开). */
  function coverage(noteId) {
    let captured = 0;
    for (const c of comments.values()) if (c.note_id === noteId) captured += 1;
    let unexpanded = 0;
    for (const t of threads.values()) if (t.noteId === noteId && t.replies !== null && t.captured < t.replies) unexpanded += 1;
    const note = notes.get(noteId);
    return { captured, commentCount: note && Number.isInteger(note.comment_count) ? note.comment_count : null, unexpanded };
  }

  /** Did this tab see any thread of the note with its reply count (a note page; not the notifications page)? */
  function threadsKnown(noteId) {
    for (const t of threads.values()) if (t.noteId === noteId && t.replies !== null) return true;
    return false;
  }

  /** DOM fallback: rendered `.comment-item` elements of note `noteId`. An item is read only if the API/state
   * copy of its comment has not come within a grace period — most never need reading. Read when the grace
   * ends (the element object still holds the comment even if the page removed it meanwhile), or at once
   * when the tab is being hidden or left. */
  const domWaiting = new Map(); // commentId → {item, noteId}
  let domTimer = null;

  function addFromDom(items, noteId) {
    for (const item of items) {
      const id = LT.domExtract.commentIdOf(item);
      if (id && !comments.has(id)) domWaiting.set(id, { item, noteId });
    }
    if (domWaiting.size && !domTimer) domTimer = setTimeout(readDomWaiting, DOM_GRACE_MS);
  }

  function readDomWaiting() {
    clearTimeout(domTimer);
    domTimer = null;
    const list = [];
    for (const [id, { item, noteId }] of domWaiting) {
      if (comments.has(id)) continue;
      const c = LT.domExtract.extractItem(item, { noteId, noteAuthorId: noteAuthorId(noteId) });
      if (c) list.push(c);
    }
    domWaiting.clear();
    add(list);
  }

  /** Schedule the next hand-over (`minDelay`: not before, e.g. the rest of a note's meta wait). */
  function scheduleFlush(minDelay = 0) {
    const now = Date.now();
    const firstOfNote = pending.some((c) => !noteFor(c.note_id).handedOver);
    const delay = Math.max(minDelay, B.flushDelay({ now, lastFlushAt, interval: FLUSH_INTERVAL_MS, firstOfNote }));
    if (flushTimer && flushAt <= now + delay) return;
    clearTimeout(flushTimer);
    flushAt = now + delay;
    // Even "now" goes through a timer: comments added in the same task travel together.
    flushTimer = setTimeout(() => {
      flushTimer = null;
      flushAt = Infinity;
      flush();
    }, delay);
  }

  /** `now`: the tab is being hidden or left, so hand over everything at once, known title or not. */
  function flush(now = false) {
    const started = Date.now();
    const byNote = new Map();
    const waiting = [];
    let waitLeft = Infinity;
    for (const c of pending.splice(0)) {
      const left = B.metaWaitLeft(stateMeta(noteFor(c.note_id)), started, META_WAIT_MS, now);
      if (left > 0) {
        waiting.push(c);
        waitLeft = Math.min(waitLeft, left);
        continue;
      }
      if (!byNote.has(c.note_id)) byNote.set(c.note_id, []);
      byNote.get(c.note_id).push(c);
    }
    pending.push(...waiting);
    for (const [noteId, list] of byNote) {
      const note = noteFor(noteId);
      note.handedOver = true;
      const cov = coverage(noteId);
      const meta = { id: noteId, title: note.title, author_id: note.author_id, author_name: note.author_name, url: note.url || pageUrlFor(noteId) };
      if (cov.commentCount !== null) meta.comment_count = cov.commentCount;
      if (threadsKnown(noteId)) meta.unexpanded_threads = cov.unexpanded;
      note.url = meta.url;
      for (let i = 0; i < list.length; i += SEND_BATCH) outbox.push({ note: meta, comments: list.slice(i, i + SEND_BATCH) });
    }
    if (byNote.size) lastFlushAt = started;
    if (waiting.length) scheduleFlush(waitLeft);
    sendOutbox();
  }

  async function sendOutbox() {
    if (sending) return;
    if (!LT.platform.runtime.connected()) return; // extension reloaded: this script is orphaned
    sending = true;
    try {
      while (outbox.length) {
        const batch = outbox[0];
        let reply;
        try {
          reply = await LT.platform.runtime.sendMessage({ type: "linktriage:capture", note: batch.note, comments: batch.comments });
        } catch (err) {
          reply = null; // worker restarting: keep the batch, try again
        }
        if (reply && reply.permanent) {
          console.warn("LinkTriage: the service worker refused a batch", reply.error);
          outbox.shift(); // malformed: retrying cannot help, and it must not block the batches behind it
          continue;
        }
        if (!reply || !reply.ok) {
          sendFailures += 1;
          setTimeout(sendOutbox, Math.min(1000 * 2 ** Math.min(sendFailures, 5), 30000));
          return;
        }
        sendFailures = 0;
        outbox.shift();
      }
    } finally {
      sending = false;
    }
  }

  // The batches wait in this tab for a moment: do not let closing or leaving the tab lose them.
  function flushNow() {
    if (domWaiting.size) readDomWaiting();
    clearTimeout(flushTimer);
    flushTimer = null;
    flushAt = Infinity;
    flush(true);
  }
  addEventListener("pagehide", flushNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushNow();
  });

  function onChange(fn) {
    listeners.add(fn);
  }
  function emit() {
    for (const fn of listeners) {
      try {
        fn();
      } catch (err) {
        console.error("LinkTriage", err);
      }
    }
  }

  LT.capture = {
    add,
    addFromDom,
    setNoteMeta,
    noteAuthorId,
    noteUrl: (noteId) => (notes.get(noteId) || {}).url || null,
    get: (id) => comments.get(id),
    has: (id) => comments.has(id),
    hasTitle: (noteId) => !!(notes.get(noteId) || {}).title, // from the state, or a DOM title we took
    countForNote: (noteId) => coverage(noteId).captured,
    coverage,
    // Everything this tab read: comments, and on how many notes (the notifications page shows many).
    summary: () => ({ comments: comments.size, notes: new Set([...comments.values()].map((c) => c.note_id)).size }),
    unsent: () => pending.length + outbox.reduce((n, b) => n + b.comments.length, 0),
    onChange,
  };
})(globalThis);
