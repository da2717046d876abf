/* MAIN world, document_start. Observes — never alters, never re-issues — the page's own comment API
 * responses (XMLHttpRequest and fetch) and reads the note state the page embedded, then hands plain copies
 * to the isolated content script with window.postMessage. Nothing here calls the site's API.
 * Kept self-contained: the page world must not see our library namespace. */
(function () {
  "use strict";

  const CHANNEL = "linktriage:page-observed";
  const VERSION = 1;
  // A note's comment pages and replies, and the notifications page's list of new comments on all notes.
  const ENDPOINTS = ["/api/sns/web/v2/comment/page", "/api/sns/web/v2/comment/sub/page", "/api/sns/web/v1/you/mentions"];
  const API_HOST = /(^|\.)(xiaohongshu|rednote)\.com$/; // the Chinese site and the international one
  // Its own copy of lib/constants.js NOTE_ID_PATTERN (tests/js/page-hook.test.js checks they are equal).
  const NOTE_ID_PATTERN = "[0-9a-f]{24}";
  const NOTE_PATH = new RegExp(`^/(?:explore|discovery/item|search_result|user/profile/[0-9a-z]+)/(${NOTE_ID_PATTERN})(?:[/?#]|$)`, "i");

  function isCommentApi(url) {
    try {
      const u = new URL(url, typeof location === "undefined" ? "https://www.xiaohongshu.com/" : location.href);
      return API_HOST.test(u.hostname) && ENDPOINTS.includes(u.pathname);
    } catch (_) {
      return false;
    }
  }

  // Vue refs (`_rawValue` / `_value`) unwrapped into a plain, cycle-free copy that postMessage can clone.
  function unwrapRef(v) {
    for (let i = 0; i < 8 && v && typeof v === "object" && !Array.isArray(v) && (v.__v_isRef === true || "_rawValue" in v || "_value" in v); i++) {
      v = "_rawValue" in v ? v._rawValue : v._value;
    }
    return v;
  }
  function toPlain(value, depth, seen) {
    value = unwrapRef(value);
    if (value === null || typeof value !== "object") {
      return typeof value === "function" || typeof value === "symbol" || value === undefined ? undefined : value;
    }
    if (depth <= 0 || seen.has(value)) return undefined;
    seen.add(value);
    let out;
    if (Array.isArray(value)) {
      out = [];
      for (let i = 0; i < value.length && i < 5000; i++) {
        const p = toPlain(value[i], depth - 1, seen);
        out.push(p === undefined ? null : p);
      }
    } else {
      out = {};
      for (const key of Object.keys(value)) {
        if (key.startsWith("__v_") || key === "dep") continue;
        const p = toPlain(value[key], depth - 1, seen);
        if (p !== undefined) out[key] = p;
      }
    }
    seen.delete(value);
    return out;
  }

  // Under node (unit tests) only the pure parts above are used; nothing is installed.
  if (typeof window === "undefined") {
    if (typeof module === "object" && module && module.exports) module.exports = { isCommentApi, unwrapRef, toPlain, NOTE_PATH, NOTE_ID_PATTERN };
    return;
  }

  const recent = []; // replayed when the isolated script (re)announces itself
  function post(message) {
    const full = { channel: CHANNEL, v: VERSION, ...message };
    recent.push(full);
    if (recent.length > 50) recent.shift();
    try {
      window.postMessage(full, location.origin);
    } catch (_) {
      /* uncloneable: ignore, the DOM fallback still sees the comments */
    }
  }

  function reportBody(url, body) {
    if (body && typeof body === "object") post({ kind: "comment-response", url: String(url), body: toPlain(body, 14, new WeakSet()) });
  }

  // ---- XMLHttpRequest (what the site uses) ----
  const XHR = window.XMLHttpRequest;
  if (XHR && XHR.prototype) {
    const open = XHR.prototype.open;
    const send = XHR.prototype.send;
    const urls = new WeakMap();
    XHR.prototype.open = function (method, url) {
      try {
        urls.set(this, String(url));
      } catch (_) {}
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      const url = urls.get(this);
      if (url && isCommentApi(url)) {
        this.addEventListener("load", function () {
          try {
            if (this.status !== 200) return;
            let body = null;
            if (this.responseType === "" || this.responseType === "text") body = JSON.parse(this.responseText);
            else if (this.responseType === "json") body = this.response;
            reportBody(url, body); // the URL the page asked for: its query names the note and thread (a redirect's may not)
          } catch (_) {
            /* not JSON: nothing to observe */
          }
        });
      }
      return send.apply(this, arguments);
    };
  }

  // ---- fetch (in case the site switches) ----
  const origFetch = window.fetch;
  if (typeof origFetch === "function") {
    window.fetch = function (input) {
      const promise = origFetch.apply(this, arguments);
      try {
        const url = typeof input === "string" ? input : input && input.url;
        if (url && isCommentApi(url)) {
          promise
            .then((res) => (res && res.ok ? res.clone().json() : null))
            .then((body) => reportBody(url, body))
            .catch(() => {});
        }
      } catch (_) {}
      return promise;
    };
  }

  // ---- the note state the page embedded (first comment page, title, author) ----
  function currentNoteId() {
    const m = NOTE_PATH.exec(location.pathname);
    return m ? m[1].toLowerCase() : null;
  }

  function readNoteState(noteId) {
    try {
      const state = window.__INITIAL_STATE__;
      const noteState = unwrapRef(state && unwrapRef(state.note));
      const map = unwrapRef(noteState && noteState.noteDetailMap);
      const detail = map && unwrapRef(map[noteId]);
      if (!detail || typeof detail !== "object") return false;
      const plain = toPlain(detail, 14, new WeakSet());
      const note = plain && plain.note;
      if (!note || (note.noteId && String(note.noteId).toLowerCase() !== noteId)) return false;
      post({ kind: "note-state", noteId, detail: plain });
      return true;
    } catch (_) {
      return false;
    }
  }

  // The notifications page embeds its first page of messages (later pages come by XHR, observed above).
  function readMentionsState() {
    try {
      const state = window.__INITIAL_STATE__;
      const notification = unwrapRef(state && unwrapRef(state.notification));
      const map = unwrapRef(notification && notification.notificationMap);
      const mentions = unwrapRef(map && map.mentions);
      const list = unwrapRef(mentions && mentions.messageList);
      if (!Array.isArray(list) || !list.length) return false;
      post({ kind: "mentions-state", messages: toPlain(list, 10, new WeakSet()) });
      return true;
    } catch (_) {
      return false;
    }
  }

  let stateTimer = null;
  function watchNoteState() {
    const noteId = currentNoteId();
    clearTimeout(stateTimer);
    if (!noteId) {
      if (/^\/notification(\/|$)/.test(location.pathname)) {
        let tries = 0;
        const attempt = () => {
          if (!readMentionsState() && ++tries < 20) stateTimer = setTimeout(attempt, 250);
        };
        attempt();
      }
      return;
    }
    // After a pushState the site fills the state a little later: look a few times.
    let tries = 0;
    const attempt = () => {
      if (currentNoteId() !== noteId) return;
      if (!readNoteState(noteId) && ++tries < 20) stateTimer = setTimeout(attempt, 250);
    };
    attempt();
  }

  function onNavigated() {
    post({ kind: "navigated", url: location.href });
    watchNoteState();
  }

  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    if (typeof original !== "function") continue;
    history[name] = function () {
      const before = location.href;
      const result = original.apply(this, arguments);
      if (location.href !== before) setTimeout(onNavigated, 0);
      return result;
    };
  }
  window.addEventListener("popstate", () => setTimeout(onNavigated, 0));

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchNoteState, { once: true });
  else watchNoteState();

  // The isolated script says hello when it starts (it may start after our first messages): replay.
  window.addEventListener("message", (event) => {
    if (event.source !== window || !event.data || event.data.channel !== CHANNEL + ":hello") return;
    for (const message of recent) window.postMessage(message, location.origin);
    watchNoteState();
  });
})();
