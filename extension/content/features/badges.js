/* Badges on flagged comments: a small box inside the comment's own .comment-item, in an open shadow root
 * with its own styles (one constructed stylesheet shared by every badge), built with textContent only
 * (comment-derived text is never parsed as HTML). */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const labels = new Map(); // the UI strings never change while the page lives: look each up once
  const t = (key) => {
    if (!labels.has(key)) labels.set(key, chrome.i18n.getMessage(key) || key);
    return labels.get(key);
  };
  const verdicts = new Map(); // commentId → verdict from the helper (+ local triage)
  const dismissed = new Set(); // "not a request" in this tab
  const rendered = new WeakMap(); // badge host → signature of what it shows

  const STYLE = `
    :host { all: initial; display: block; margin: 6px 0 2px; }
    .box { font: 12px/1.45 -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
           color: #333; background: #fff8e6; border: 1px solid #f5c26b; border-radius: 8px; padding: 6px 8px;
           max-width: 100%; box-sizing: border-box; }
    .box.replied { background: #f2f7f2; border-color: #9cc59c; }
    .head { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; margin-bottom: 4px; }
    .tag { background: #ff2442; color: #fff; border-radius: 4px; padding: 0 5px; font-weight: 600; }
    .replied .tag { background: #3c8c3c; }
    .product { background: #fff; border: 1px solid #f0d9a8; border-radius: 4px; padding: 0 5px; }
    .none { color: #8a6d3b; }
    .reply-text { white-space: pre-wrap; word-break: break-word; background: #fff; border-radius: 6px;
                  padding: 4px 6px; margin: 2px 0 4px; color: #222; }
    .warn { color: #b3261e; margin: 2px 0 4px; }
    .actions { display: flex; flex-wrap: wrap; gap: 6px; }
    button { font: inherit; cursor: pointer; border-radius: 14px; border: 1px solid #d0d0d0; background: #fff;
             padding: 1px 10px; color: #333; }
    button.primary { background: #ff2442; border-color: #ff2442; color: #fff; }
    button:disabled { opacity: .6; cursor: default; }
    .note { color: #666; }
  `;

  let sharedSheet; // CSSStyleSheet, or null where adoptedStyleSheets cannot be used
  function addStyles(shadow) {
    if (sharedSheet === undefined) {
      try {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(STYLE);
      } catch (_) {
        sharedSheet = null;
      }
    }
    if (sharedSheet) {
      try {
        if (shadow.adoptedStyleSheets[0] !== sharedSheet) shadow.adoptedStyleSheets = [sharedSheet];
        return;
      } catch (_) {
        sharedSheet = null; // e.g. Firefox content scripts: fall back to a <style> per badge
      }
    }
    shadow.appendChild(el("style", null, STYLE));
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function isAuthorComment(place, id) {
    const c = LT.capture.get(id);
    if (c && c.is_author) return true;
    const authorId = c && c.author_id;
    const noteAuthor = c && LT.capture.noteAuthorId(c.note_id);
    if (authorId && noteAuthor && authorId === noteAuthor) return true;
    return place.kind === "note" && LT.domExtract.isAuthorItem(place.item, null, null);
  }

  function onNoticePage() {
    return /^\/notification(\/|$)/.test(location.pathname);
  }

  /** Where comment `id` is shown: {kind: "note", item} (a note page's .comment-item) or {kind: "notice",
   * item, anchor} (a message of the notifications page and its text block), or null. */
  function locate(id) {
    const item = LT.domExtract.findItem(document, id);
    if (item && item.classList.contains("comment-item")) return { kind: "note", item };
    if (onNoticePage()) {
      const found = LT.noticeDom.findMessage(document, LT.capture.get(id));
      if (found) return { kind: "notice", item: found.message, anchor: found.textEl };
    }
    return null;
  }

  function shouldBadge(id) {
    const v = verdicts.get(id);
    return !!v && v.is_request === true && !dismissed.has(id) && v.status !== "ignored";
  }

  function ownBadge(place) {
    if (place.kind === "notice") return place.item.querySelector('[data-linktriage="badge"]');
    for (const host of place.item.querySelectorAll('[data-linktriage="badge"]')) {
      if (host.closest(".comment-item") === place.item) return host;
    }
    return null;
  }

  function sendTriage(id, fields) {
    return chrome.runtime.sendMessage({ type: "linktriage:triage", id, ...fields }).catch(() => ({ ok: false }));
  }

  function build(host, place, id, v) {
    const shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
    shadow.replaceChildren();
    addStyles(shadow);
    const replied = v.status === "replied";
    const box = el("div", replied ? "box replied" : "box");
    const head = el("div", "head");
    head.appendChild(el("span", "tag", replied ? t("badgeReplied") : t("badgeRequest")));
    const products = Array.isArray(v.products) ? v.products.filter((p) => typeof p === "string" && p) : [];
    if (products.length) for (const p of products) head.appendChild(el("span", "product", p));
    else head.appendChild(el("span", "none", t("badgeNoProduct")));
    box.appendChild(head);

    const replyText = typeof v.suggested_reply === "string" ? v.suggested_reply : "";
    if (replyText) box.appendChild(el("div", "reply-text", replyText));
    for (const w of Array.isArray(v.compliance) ? v.compliance : []) {
      if (typeof w === "string" && w) box.appendChild(el("div", "warn", "⚠ " + w));
    }

    const actions = el("div", "actions");
    const status = el("span", "note");
    const replyBtn = el("button", "primary", t("actionReply"));
    replyBtn.setAttribute("data-linktriage", "reply");
    replyBtn.disabled = !replyText;
    replyBtn.addEventListener("click", async (event) => {
      event.preventDefault();
      event.stopPropagation();
      try {
        if (place.kind === "notice") {
          const how = await LT.replyComposer.fillNoticeReply(place.item, replyText, LT.capture.get(id));
          status.textContent = how === "filled" ? t("replyFilled") : t("noteOpened");
        } else {
          await LT.replyComposer.fillReply(place.item, replyText);
          status.textContent = t("replyFilled");
        }
      } catch (err) {
        status.textContent = t("replyFailed");
        console.warn("LinkTriage reply", err);
      }
    });
    const copyBtn = el("button", null, t("actionCopy"));
    copyBtn.setAttribute("data-linktriage", "copy");
    copyBtn.disabled = !replyText;
    copyBtn.addEventListener("click", async (event) => {
      event.stopPropagation();
      status.textContent = (await LT.replyComposer.copyText(replyText, shadow)) ? t("copied") : t("copyFailed");
    });
    const doneBtn = el("button", null, t("actionMarkReplied"));
    doneBtn.setAttribute("data-linktriage", "mark-replied");
    doneBtn.disabled = replied;
    doneBtn.addEventListener("click", async (event) => {
      event.stopPropagation();
      verdicts.set(id, { ...v, status: "replied" });
      await sendTriage(id, { status: "replied" });
      renderOne(id);
    });
    const notBtn = el("button", null, t("actionNotRequest"));
    notBtn.setAttribute("data-linktriage", "not-request");
    notBtn.addEventListener("click", async (event) => {
      event.stopPropagation();
      dismissed.add(id);
      await sendTriage(id, { correction: "not_request" });
      renderOne(id);
    });
    actions.append(replyBtn, copyBtn, doneBtn, notBtn, status);
    box.appendChild(actions);
    shadow.appendChild(box);
  }

  function signature(v) {
    return JSON.stringify([v.status, v.products, v.suggested_reply, v.compliance]);
  }

  function renderOne(id) {
    const place = locate(id);
    if (!place) return;
    const existing = ownBadge(place);
    if (!shouldBadge(id) || isAuthorComment(place, id)) {
      if (existing) existing.remove();
      return;
    }
    const v = verdicts.get(id);
    let host = existing;
    if (!host) {
      host = document.createElement("div");
      host.setAttribute("data-linktriage", "badge");
      host.setAttribute("data-comment-id", id);
      if (place.kind === "notice") {
        place.anchor.after(host);
      } else {
        const right = LT.domExtract.own(place.item, ".right");
        const content = right && LT.domExtract.own(place.item, ".right .content");
        if (content && content.parentNode) content.parentNode.insertBefore(host, content.nextSibling);
        else (right || place.item).appendChild(host);
      }
    }
    const sig = signature(v);
    if (rendered.get(host) !== sig) {
      build(host, place, id, v);
      rendered.set(host, sig);
    }
  }

  function renderAll() {
    for (const id of verdicts.keys()) renderOne(id);
  }

  /** Comment items the page (re)rendered: draw the badges of those we have verdicts for. */
  function renderItems(items) {
    for (const item of items) {
      const id = LT.domExtract.commentIdOf(item);
      if (id && verdicts.has(id)) renderOne(id);
    }
  }

  /** The helper saw the creator's own reply in these comments' threads: they are answered. */
  function markReplied(ids) {
    for (const id of Array.isArray(ids) ? ids : []) {
      const v = verdicts.get(id);
      if (!v || v.status === "replied") continue;
      verdicts.set(id, { ...v, status: "replied" });
      renderOne(id);
    }
  }

  /** Verdicts from the helper: [{id, is_request, products, suggested_reply, compliance, status}]. */
  function addVerdicts(results) {
    for (const r of Array.isArray(results) ? results : []) {
      if (!r || typeof r.id !== "string") continue;
      const local = verdicts.get(r.id);
      // A status the creator set here wins over an older one the helper echoes back.
      verdicts.set(r.id, local && local.status === "replied" ? { ...r, status: "replied" } : r);
      renderOne(r.id);
    }
  }

  function requestCount(noteId) {
    let n = 0;
    for (const id of verdicts.keys()) {
      const c = LT.capture.get(id);
      if (shouldBadge(id) && c && c.note_id === noteId && !c.is_author) n += 1;
    }
    return n;
  }

  LT.badges = { addVerdicts, markReplied, renderAll, renderItems, requestCount, onNoticePage };
})(globalThis);
