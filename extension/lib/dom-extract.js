/* DOM fallback: read comments from the rendered comment list when the page state and API responses are not
 * available. Reads only the parts of an item that are the comment's own (never the item's whole
 * textContent, which mixes name, date and place). Needs a DOM (browser); tested in the browser. */
(function (root) {
  "use strict";

  const C = root.LinkTriage && root.LinkTriage.comments;
  const ID_PREFIX = "comment-";
  const ITEM_SELECTOR = '.comment-item[id^="comment-"]';

  /** The first element matching `selector` inside `item` that belongs to this item, not a nested one. */
  function own(item, selector) {
    for (const el of item.querySelectorAll(selector)) {
      if (el.closest(".comment-item") === item) return el;
    }
    return null;
  }

  /** Visible comment text: text nodes and @mentions, emoji images by their alt, no reply-target name. */
  function textOf(el) {
    if (!el) return "";
    let out = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) out += child.data;
        else if (child.nodeType === 1) {
          if (child.matches("span.nickname, [data-linktriage]")) continue;
          if (child.matches("img")) out += child.getAttribute("alt") || "";
          else if (child.matches("br")) out += "\n";
          else walk(child);
        }
      }
    };
    walk(el);
    return out.replace(/^\s*回复\s*[:：]\s*/, "").trim();
  }

  function isoDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((text || "").trim());
    if (!m) return null;
    const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]) - 8 * 3600 * 1000; // the site shows Beijing dates
    return Number.isFinite(ms) ? ms : null;
  }

  function commentIdOf(item) {
    return item && item.id && item.id.startsWith(ID_PREFIX) ? item.id.slice(ID_PREFIX.length) : null;
  }

  function parentIdOf(item) {
    if (!item.classList.contains("comment-item-sub")) return null;
    const thread = item.closest(".parent-comment");
    if (!thread) return null;
    for (const top of thread.querySelectorAll(".comment-item:not(.comment-item-sub)")) {
      if (top.closest(".parent-comment") === thread) return commentIdOf(top);
    }
    return null;
  }

  function isAuthorItem(item, authorId, noteAuthorId) {
    if (authorId && noteAuthorId && authorId === noteAuthorId) return true;
    const wrapper = own(item, ".author-wrapper") || own(item, ".author");
    if (!wrapper) return false;
    for (const el of wrapper.querySelectorAll(".tag, .author-tag, span, div")) {
      if (!el.children.length && el.textContent.trim() === "作者") return true;
    }
    return false;
  }

  /** One `.comment-item` element → the helper's comment shape, or null when it has no comment id. */
  function extractItem(item, ctx = {}) {
    const id = commentIdOf(item);
    if (!id) return null;
    const nameEl = own(item, ".author .name") || own(item, "a.name[data-user-id]") || own(item, ".name");
    const authorId = (nameEl && nameEl.getAttribute("data-user-id")) || null;
    const dateEl = own(item, ".info .date span") || own(item, ".date");
    const placeEl = own(item, ".location");
    const likeEl = own(item, ".like .count");
    const textEl = own(item, ".content .note-text") || own(item, ".note-text");
    return {
      id,
      note_id: ctx.noteId || null,
      parent_id: parentIdOf(item),
      text: textOf(textEl),
      author: nameEl ? nameEl.textContent.trim() || null : null,
      author_id: authorId,
      created_at: isoDate(dateEl && dateEl.textContent),
      like_count: C && likeEl ? C.parseCount(likeEl.textContent) : null,
      ip_location: placeEl ? placeEl.textContent.trim() || null : null,
      is_author: isAuthorItem(item, authorId, ctx.noteAuthorId),
    };
  }

  /** Every comment item under `rootEl` (top-level and replies), in document order; `ctx.skip(id)` true
   * skips an item (already known) without reading it. */
  function extractComments(rootEl, ctx = {}) {
    const out = [];
    for (const item of rootEl.querySelectorAll(ITEM_SELECTOR)) {
      if (ctx.skip && ctx.skip(commentIdOf(item))) continue;
      const c = extractItem(item, ctx);
      if (c) out.push(c);
    }
    return out;
  }

  /** The `.comment-item` of a comment id in `doc`, or null. */
  function findItem(doc, commentId) {
    return doc.getElementById(ID_PREFIX + commentId);
  }

  const api = { ITEM_SELECTOR, own, textOf, extractItem, extractComments, findItem, commentIdOf, isAuthorItem };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.domExtract = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
