/* The notifications page's DOM ("评论和@"): find the message that shows a given comment, its text and its
 * reply control. That DOM is less documented than the note page's and its class names may change, so
 * nothing here depends on them: a message is the largest element around a link to its note that holds
 * no other note link; the comment's text, its author's name and the "回复" control are found by their
 * text; the reply box by its placeholder ("回复 …") or as the editable box the message opened. */
(function (root) {
  "use strict";

  const NOTE_LINK = 'a[href*="/explore/"]';
  const REPLY_WORDS = ["回复", "Reply"];

  function noteLinkCount(el) {
    return el.querySelectorAll(NOTE_LINK).length;
  }

  /** The message elements about note `noteId` in `doc`. */
  function messagesOfNote(doc, noteId) {
    const out = new Set();
    for (const link of doc.querySelectorAll(`a[href*="/explore/${noteId}"]`)) {
      let el = link;
      while (el.parentElement && el.parentElement !== doc.body && noteLinkCount(el.parentElement) <= 1) el = el.parentElement;
      if (el !== link) out.add(el);
    }
    return [...out];
  }

  function insideOurs(el) {
    return !!el.closest("[data-linktriage]");
  }

  /** The outermost element of `message` whose whole text is `text` (the comment's text block). */
  function textElement(message, text) {
    const want = (text || "").trim();
    if (!want) return null;
    for (const el of message.querySelectorAll("*")) {
      if (insideOurs(el) || el.matches("a, textarea, input, button")) continue;
      if (el.textContent.trim() === want) return el;
    }
    return null;
  }

  /** {message, textEl} of comment `c` ({id, note_id, text, author}) on this page, or null. */
  function findMessage(doc, c) {
    if (!c || !c.note_id) return null;
    for (const message of messagesOfNote(doc, c.note_id)) {
      if (c.author && !message.textContent.includes(c.author)) continue;
      const textEl = textElement(message, c.text);
      if (textEl) return { message, textEl };
    }
    return null;
  }

  /** The message's own reply control: the outermost element whose text is just "回复". */
  function replyControl(message) {
    for (const el of message.querySelectorAll("*")) {
      if (insideOurs(el) || el.matches("textarea, input")) continue;
      if (REPLY_WORDS.includes(el.textContent.trim())) return el;
    }
    return null;
  }

  function isEditable(el) {
    return !!el && !el.disabled && !el.readOnly && (el.matches("textarea, input[type=text], input:not([type])") || el.isContentEditable);
  }

  /** The reply box the message opened: an editable box in it, else one on the page whose placeholder
   * names a reply. */
  function replyBox(doc, message) {
    for (const el of message.querySelectorAll("textarea, input, [contenteditable='true']")) if (isEditable(el) && !insideOurs(el)) return el;
    for (const el of doc.querySelectorAll("textarea[placeholder], input[placeholder], [contenteditable='true'][placeholder], [contenteditable='true'][data-placeholder]")) {
      const hint = el.getAttribute("placeholder") || el.getAttribute("data-placeholder") || "";
      if (isEditable(el) && REPLY_WORDS.some((w) => hint.includes(w))) return el;
    }
    return null;
  }

  const api = { messagesOfNote, findMessage, textElement, replyControl, replyBox, isEditable };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.noticeDom = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
