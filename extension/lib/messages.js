/* The page→extension message contract. The MAIN-world hook posts what the page itself loaded; the isolated
 * content script accepts a message only from this very window and only in the expected shape, because the
 * page world is untrusted (any page script can post look-alike messages). */
(function (root) {
  "use strict";

  const CHANNEL = "linktriage:page-observed";
  const VERSION = 1;
  const KINDS = new Set(["comment-response", "note-state", "mentions-state", "navigated"]);
  const MAX_MESSAGES = 5000;
  const K = (root.LinkTriage && root.LinkTriage.constants) || require("./constants.js");
  const NOTE_ID = K.NOTE_ID;
  const MAX_URL = 4096;

  /** A plain object: its prototype is null or an Object.prototype — of any realm: in Firefox the page's
   * message data keeps the page's own Object.prototype, which is not the content script's. */
  function isPlainObject(value) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === null || proto === Object.prototype || (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === "[object Object]");
  }

  function isUrl(value) {
    return typeof value === "string" && value.length > 0 && value.length <= MAX_URL;
  }

  /**
   * event: a MessageEvent (or a look-alike in tests); self: the receiving window; origin: its origin.
   * Returns the validated message {kind, ...} or null.
   */
  function validatePageMessage(event, self, origin) {
    if (!event || event.source !== self || event.origin !== origin) return null;
    const data = event.data;
    if (!isPlainObject(data) || data.channel !== CHANNEL || data.v !== VERSION || !KINDS.has(data.kind)) return null;
    switch (data.kind) {
      case "comment-response":
        if (!isUrl(data.url) || !isPlainObject(data.body)) return null;
        return { kind: data.kind, url: data.url, body: data.body };
      case "note-state":
        if (typeof data.noteId !== "string" || !NOTE_ID.test(data.noteId) || !isPlainObject(data.detail)) return null;
        return { kind: data.kind, noteId: data.noteId.toLowerCase(), detail: data.detail };
      case "mentions-state":
        if (!Array.isArray(data.messages) || data.messages.length > MAX_MESSAGES) return null;
        return { kind: data.kind, messages: data.messages.filter(isPlainObject) };
      case "navigated":
        if (!isUrl(data.url)) return null;
        return { kind: data.kind, url: data.url };
      default:
        return null;
    }
  }

  const api = { CHANNEL, VERSION, validatePageMessage, isPlainObject };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.messages = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
