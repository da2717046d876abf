/* "Missed request?" on hover: for a comment the helper did NOT flag, pointing at it shows one small
 * button; a click tells the helper it is a request (a correction the model learns from, like the badge's
 * "not a request") and badges it at once. Light on long notes: one delegated pointerover listener for the
 * page, no node at all until the creator points at an unflagged comment, and the button is removed when
 * the pointer leaves. Its own shadow root and strings (textContent only), so it never touches badges.js. */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const notFlagged = new Map(); // commentId → the helper's verdict, for comments it did not flag
  const corrected = new Set(); // told "missed" in this tab
  const zh = /^zh/i.test(navigator.language || "zh");
  const TEXT = zh
    ? { ask: "漏判？是求链接", done: "已告诉 LinkTriage：是求链接", title: "LinkTriage 没把这条当成求链接；点一下纠正，模型会学会" }
    : { ask: "Missed request?", done: "Told LinkTriage: a request", title: "LinkTriage did not flag this comment; click to correct it (the model learns from it)" };
  const STYLE = `
    :host { all: initial; display: block; margin: 2px 0; }
    button { font: 12px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; cursor: pointer;
             border-radius: 12px; border: 1px dashed #f5a3ad; background: #fff; color: #c41d36; padding: 0 8px; }
    button:hover { background: #fff1f3; }
  `;
  let current = null; // {host, item}

  function el(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isAuthor(item, id) {
    const c = LT.capture && LT.capture.get(id);
    if (c && c.is_author) return true;
    const noteAuthor = c && LT.capture.noteAuthorId(c.note_id);
    if (c && c.author_id && noteAuthor && c.author_id === noteAuthor) return true;
    return LT.domExtract.isAuthorItem(item, null, null);
  }

  function hasBadge(item) {
    return [...item.querySelectorAll('[data-linktriage="badge"]')].some((b) => b.closest(".comment-item") === item);
  }

  function remove() {
    if (current) current.host.remove();
    current = null;
  }

  function show(item, id) {
    if (current && current.item === item) return;
    remove();
    const host = document.createElement("div");
    host.setAttribute("data-linktriage", "missed");
    host.setAttribute("data-comment-id", id);
    const shadow = host.attachShadow({ mode: "open" });
    shadow.appendChild(el("style", STYLE));
    const button = el("button", TEXT.ask);
    button.title = TEXT.title;
    button.setAttribute("data-linktriage", "missed-request");
    button.addEventListener("click", async (event) => {
      event.preventDefault();
      event.stopPropagation(); // not a click on the comment for the site
      button.disabled = true;
      const answer = await LT.platform.runtime
        .sendMessage({ type: "linktriage:triage", id, correction: "missed" })
        .catch(() => ({ ok: false }));
      if (!answer || !answer.ok) {
        button.disabled = false;
        return;
      }
      corrected.add(id);
      const v = notFlagged.get(id) || { id };
      notFlagged.delete(id);
      remove();
      // Badge it now, as the helper will show it from here on (the correction overrides the model).
      LT.badges.addVerdicts([{ ...v, id, is_request: true }]);
    });
    shadow.appendChild(button);
    const right = LT.domExtract.own(item, ".right");
    const content = right && LT.domExtract.own(item, ".right .content");
    if (content && content.parentNode) content.parentNode.insertBefore(host, content.nextSibling);
    else (right || item).appendChild(host);
    current = { host, item };
  }

  function onPointerOver(event) {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (current && current.host.contains(target)) return;
    const item = target.closest(".comment-item");
    if (!item) {
      remove();
      return;
    }
    if (current && current.item === item) return;
    const id = LT.domExtract.commentIdOf(item);
    if (!id || !notFlagged.has(id) || corrected.has(id) || hasBadge(item) || isAuthor(item, id)) {
      if (current && !current.item.contains(item)) remove();
      return;
    }
    show(item, id);
  }

  /** Verdicts from the helper: remember the comments it did not flag (and forget those it did). */
  function addVerdicts(results) {
    for (const r of Array.isArray(results) ? results : []) {
      if (!r || typeof r.id !== "string") continue;
      if (r.is_request === false && r.status !== "ignored") notFlagged.set(r.id, r);
      else notFlagged.delete(r.id);
    }
  }

  document.addEventListener("pointerover", onPointerOver, { passive: true });
  LT.missedRequest = { addVerdicts };
})(globalThis);
