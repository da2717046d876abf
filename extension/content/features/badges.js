/* Badges on flagged comments: a compact one-line chip inside the comment's own item, in an open shadow root
 * with its own styles (one constructed stylesheet shared by every badge), built with textContent only
 * (comment-derived text is never parsed as HTML). Light on long notes: the chip is a handful of nodes with
 * paint containment; its actions (fill reply, copy, mark replied, not a request) are created only when the
 * creator points at it, focuses it or clicks it; and badges are drawn in slices between frames, not a
 * whole batch of verdicts in one task. */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const labels = new Map(); // the UI strings never change while the page lives: look each up once
  const t = (key) => {
    if (!labels.has(key)) labels.set(key, LT.platform.i18n.t(key));
    return labels.get(key);
  };
  const verdicts = new Map(); // commentId → verdict from the helper (+ local triage)
  const dismissed = new Set(); // "not a request" in this tab
  const beforeTriage = new Map(); // commentId → its verdict before this tab's last triage (undone if the role refuses it)
  const rendered = new WeakMap(); // badge host → signature of what it shows
  const SLICE_MS = 8; // drawing budget per task: well under a frame

  const STYLE = `
    :host { all: initial; display: block; margin: 4px 0 2px; contain: content; max-width: 100%;
            content-visibility: auto; contain-intrinsic-block-size: auto 20px; }
    .chip { font: 12px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
            color: #333; background: #fff8e6; border: 1px solid #f5c26b; border-radius: 12px; padding: 1px 8px;
            display: flex; gap: 4px; align-items: center; white-space: nowrap; overflow: hidden; cursor: pointer;
            box-sizing: border-box; max-width: 100%; }
    .chip:focus-visible { outline: 2px solid #ff2442; }
    .chip.replied { background: #f2f7f2; border-color: #9cc59c; }
    .tag { background: #ff2442; color: #fff; border-radius: 8px; padding: 0 5px; font-weight: 600; flex: none; }
    .replied .tag { background: #3c8c3c; }
    .product { border: 1px solid #f0d9a8; border-radius: 8px; padding: 0 5px; flex: none; background: #fff; }
    .none { color: #8a6d3b; flex: none; }
    .reply-text { color: #555; overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 1 1 auto; }
    .warn { color: #b3261e; overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 0 1 auto; }
    .open .chip { white-space: normal; flex-wrap: wrap; border-radius: 8px; }
    .open .reply-text { white-space: pre-wrap; word-break: break-word; flex-basis: 100%; color: #222; }
    .open .warn { flex-basis: 100%; }
    .actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; font: 12px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; }
    button { font: inherit; cursor: pointer; border-radius: 14px; border: 1px solid #d0d0d0; background: #fff;
             padding: 1px 10px; color: #333; }
    button.primary { background: #ff2442; border-color: #ff2442; color: #fff; }
    button:disabled { opacity: .6; cursor: default; }
    .note { color: #666; }
    .held { background: #5b6b7a; color: #fff; border-radius: 8px; padding: 0 5px; flex: none; }
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
    return LT.platform.runtime.sendMessage({ type: "linktriage:triage", id, ...fields }).catch(() => ({ ok: false }));
  }

  function build(host, place, id, v) {
    const shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
    shadow.replaceChildren();
    addStyles(shadow);
    const replied = v.status === "replied";
    const wrap = el("div", "wrap");
    const chip = el("div", replied ? "chip replied" : "chip");
    chip.tabIndex = 0;
    chip.setAttribute("role", "button");
    chip.setAttribute("aria-expanded", "false");
    chip.appendChild(el("span", "tag", replied ? t("badgeReplied") : t("badgeRequest")));
    const products = Array.isArray(v.products) ? v.products.filter((p) => typeof p === "string" && p) : [];
    if (products.length) for (const p of products) chip.appendChild(el("span", "product", p));
    else chip.appendChild(el("span", "none", t("badgeNoProduct")));
    const replyText = typeof v.suggested_reply === "string" ? v.suggested_reply : "";
    if (replyText) chip.appendChild(el("span", "reply-text", replyText));
    for (const w of Array.isArray(v.compliance) ? v.compliance : []) {
      if (typeof w === "string" && w) chip.appendChild(el("span", "warn", "⚠ " + w));
    }
    wrap.appendChild(chip);
    shadow.appendChild(wrap);

    // The actions exist only once wanted: pointing at the chip, focusing it (keyboard) or clicking it.
    const showActions = () => {
      if (!wrap.querySelector(".actions")) wrap.appendChild(buildActions(shadow, place, id, v, replyText, replied));
    };
    chip.addEventListener("pointerenter", showActions);
    chip.addEventListener("focus", showActions);
    chip.addEventListener("click", (event) => {
      event.stopPropagation(); // the site must not take it as a click on the comment
      showActions();
      const open = wrap.classList.toggle("open");
      chip.setAttribute("aria-expanded", String(open));
    });
    chip.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        chip.click();
      }
    });
  }

  function buildActions(shadow, place, id, v, replyText, replied) {
    const actions = el("div", "actions");
    const status = el("span", "note");
    const replyBtn = el("button", "primary", t("actionReply"));
    replyBtn.setAttribute("data-linktriage", "reply");
    replyBtn.disabled = !replyText;
    async function fill() {
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
    }
    replyBtn.addEventListener("click", async (event) => {
      event.preventDefault();
      event.stopPropagation();
      // Team mode: the helper claims the request for this operator first; another operator's claim stops
      // the fill (lib/fill-claim.js). No helper, an old one, a slow one: the reply is filled as always.
      replyBtn.disabled = true;
      const outcome = await claimForFill(id);
      const holder = LT.fillClaim.heldBy(outcome);
      replyBtn.disabled = !replyText;
      if (outcome && outcome.claim === "role" && LT.roleRefusal.isNotice(outcome.notice)) {
        // The helper's operator may not fill replies (a viewer): nothing is filled, and she is told why.
        status.textContent = LT.roleRefusal.text(outcome.notice, LT.platform.i18n.t);
        status.setAttribute("data-linktriage", "role-notice");
        return;
      }
      if (holder) {
        showHeld(shadow, actions, status, holder, fill);
        return;
      }
      await fill();
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
      beforeTriage.set(id, { verdict: verdicts.get(id), dismissed: dismissed.has(id) });
      verdicts.set(id, { ...v, status: "replied" });
      await sendTriage(id, { status: "replied" });
      renderOne(id);
    });
    const notBtn = el("button", null, t("actionNotRequest"));
    notBtn.setAttribute("data-linktriage", "not-request");
    notBtn.addEventListener("click", async (event) => {
      event.stopPropagation();
      beforeTriage.set(id, { verdict: verdicts.get(id), dismissed: dismissed.has(id) });
      dismissed.add(id);
      await sendTriage(id, { correction: "not_request" });
      renderOne(id);
    });
    actions.append(replyBtn, copyBtn, doneBtn, notBtn, status);
    return actions;
  }

  /** Ask the service worker to claim the request before its reply is filled (linktriage:fill); resolves to
   * its outcome, or null when it cannot answer in time (then the reply is filled). */
  function claimForFill(id) {
    if (!LT.platform.runtime.connected()) return Promise.resolve(null);
    const asked = LT.platform.runtime.sendMessage({ type: "linktriage:fill", id }).catch(() => null);
    const late = new Promise((resolve) => setTimeout(() => resolve(null), LT.fillClaim.FILL_TIMEOUT_MS + 2000));
    return Promise.race([asked, late]);
  }

  /** Another operator holds the request: say who, on the chip and in the actions, and offer "Answer anyway". */
  function showHeld(shadow, actions, status, holder, fill) {
    const message = holder.by ? LT.platform.i18n.t("claimHeld", [holder.by]) : t("claimHeldSomeone");
    status.textContent = message;
    const chip = shadow.querySelector(".chip");
    if (chip) {
      let mark = chip.querySelector(".held");
      if (!mark) {
        mark = el("span", "held");
        chip.insertBefore(mark, chip.children[1] || null);
      }
      mark.textContent = message;
    }
    if (actions.querySelector('[data-linktriage="answer-anyway"]')) return;
    const anyway = el("button", null, t("actionAnswerAnyway"));
    anyway.setAttribute("data-linktriage", "answer-anyway");
    anyway.addEventListener("click", async (event) => {
      event.preventDefault();
      event.stopPropagation();
      anyway.remove();
      await fill();
    });
    actions.insertBefore(anyway, status);
  }

  function signature(v) {
    return JSON.stringify([v.status, v.products, v.suggested_reply, v.compliance]);
  }

  /** Draw (or remove) the badge of comment `id`. With `pending` (an array), a new badge is built detached
   * and its insertion pushed there as a function, so that many are put into the page at once: every
   * insertion into a long comment list costs the page a layout, one per frame is enough. */
  function renderOne(id, pending = null) {
    const place = locate(id);
    if (!place) return;
    const existing = ownBadge(place);
    if (!shouldBadge(id) || isAuthorComment(place, id)) {
      if (existing) existing.remove();
      return;
    }
    const v = verdicts.get(id);
    let host = existing;
    let insert = null;
    if (!host) {
      host = document.createElement("div");
      host.setAttribute("data-linktriage", "badge");
      host.setAttribute("data-comment-id", id);
      const newHost = host;
      insert = () => {
        if (!place.item.isConnected || ownBadge(place)) return; // re-rendered or drawn meanwhile
        if (place.kind === "notice") {
          place.anchor.after(newHost);
        } else {
          const right = LT.domExtract.own(place.item, ".right");
          const content = right && LT.domExtract.own(place.item, ".right .content");
          if (content && content.parentNode) content.parentNode.insertBefore(newHost, content.nextSibling);
          else (right || place.item).appendChild(newHost);
        }
      };
    }
    const sig = signature(v);
    if (rendered.get(host) !== sig) {
      build(host, place, id, v);
      rendered.set(host, sig);
    }
    if (insert) {
      if (pending) pending.push(insert);
      else insert();
    }
  }

  function renderAll() {
    for (const id of verdicts.keys()) drawSoon(id);
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

  // Badges waiting to be drawn. Built in slices of SLICE_MS (one slice per task: hundreds of verdicts
  // never hold the main thread), then put into the page all together in one animation frame. On a long
  // note every change to the comment list costs the page a layout of the whole list (measured: one
  // 100–400 ms layout whether 20 or 500 badges go in), so insertions wait while verdicts keep arriving
  // (QUIET_MS) — at most GATHER_MS — and then go in at once: one layout instead of one per batch.
  const QUIET_MS = 300;
  const GATHER_MS = 1500;
  const toDraw = new Set();
  let built = [];
  let drawing = false;
  let gatherSince = 0;
  let lastArrival = 0;
  function drawSoon(id) {
    toDraw.add(id);
    lastArrival = performance.now();
    if (!gatherSince) gatherSince = lastArrival;
    if (drawing) return;
    drawing = true;
    setTimeout(drawSlice, 0);
  }
  function drawSlice() {
    const until = performance.now() + SLICE_MS;
    for (const id of toDraw) {
      toDraw.delete(id);
      renderOne(id, built);
      if (performance.now() > until) break;
    }
    if (toDraw.size) {
      setTimeout(drawSlice, 0);
      return;
    }
    const now = performance.now();
    if (built.length && now - lastArrival < QUIET_MS && now - gatherSince < GATHER_MS) {
      setTimeout(drawSlice, QUIET_MS - (now - lastArrival)); // more verdicts are coming: gather them first
      return;
    }
    requestAnimationFrame(() => {
      const inserts = built;
      built = [];
      gatherSince = 0;
      for (const insert of inserts) insert();
      drawing = false;
      if (toDraw.size) drawSoon(toDraw.values().next().value);
    });
  }

  /** Verdicts from the helper: [{id, is_request, products, suggested_reply, compliance, status}]. */
  function addVerdicts(results) {
    for (const r of Array.isArray(results) ? results : []) {
      if (!r || typeof r.id !== "string") continue;
      const local = verdicts.get(r.id);
      // A status the creator set here wins over an older one the helper echoes back.
      verdicts.set(r.id, local && local.status === "replied" ? { ...r, status: "replied" } : r);
      drawSoon(r.id);
    }
  }

  /** The helper operator's role refused this tab's triage of `id` (team mode: a viewer): undo what the
   * badge showed at once, and say why on its chip (lib/role-refusal.js). */
  function roleRefused(id, notice) {
    if (typeof id !== "string" || !LT.roleRefusal.isNotice(notice)) return;
    const before = beforeTriage.get(id);
    beforeTriage.delete(id);
    if (before) {
      if (before.verdict) verdicts.set(id, before.verdict);
      if (!before.dismissed) dismissed.delete(id);
    }
    renderOne(id);
    const place = locate(id);
    const host = place && ownBadge(place);
    const chip = host && host.shadowRoot && host.shadowRoot.querySelector(".chip");
    if (!chip) return;
    let mark = chip.querySelector('[data-linktriage="role-notice"]');
    if (!mark) {
      mark = el("span", "warn");
      mark.setAttribute("data-linktriage", "role-notice");
      chip.appendChild(mark);
    }
    mark.textContent = LT.roleRefusal.text(notice, LT.platform.i18n.t);
  }

  function requestCount(noteId) {
    let n = 0;
    for (const id of verdicts.keys()) {
      const c = LT.capture.get(id);
      if (shouldBadge(id) && c && c.note_id === noteId && !c.is_author) n += 1;
    }
    return n;
  }

  LT.badges = { addVerdicts, markReplied, roleRefused, renderAll, renderItems, requestCount, onNoticePage };
})(globalThis);
