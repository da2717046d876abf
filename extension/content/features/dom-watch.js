/* Watches the page with a throttled MutationObserver: hands newly rendered comment items to the DOM
 * fallback, picks up the note title, and (re)draws badges when the site renders or re-renders comment
 * items. Only the nodes a mutation added are looked at (never the whole list again), so the cost per
 * mutation batch follows what the page added, not how long the comment list has grown. A full scan runs
 * at start and after the URL changes. */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const DX = LT.domExtract;
  const THROTTLE_MS = 500;
  const LIST = ".comments-container, .comments-el";
  let timer = null;
  let lastRun = 0;
  let fullScan = false;
  let added = []; // element roots the page inserted since the last run

  function currentNoteId() {
    return LT.comments.noteIdFromUrl(location.href);
  }

  function readTitle(noteId) {
    // The note's own comment count, "共 N 条评论" (the page state's wins when it has one).
    const total = document.querySelector(".comments-container .total");
    const m = total && /共\s*([\d.]+\s*[万千wk]?\+?)\s*条评论/i.exec(total.textContent);
    const count = m ? LT.comments.parseCount(m[1]) : null;
    if (count !== null) LT.capture.setNoteMeta({ id: noteId, comment_count: count }, "dom");
    if (LT.capture.hasTitle(noteId)) return;
    const titleEl = document.querySelector("#detail-title");
    const title = titleEl && titleEl.textContent.trim();
    if (title) LT.capture.setNoteMeta({ id: noteId, title: LT.comments.cutCodePoints(title, 200) }, "dom");
  }

  /** The comment items of the note's comment list among `roots` (each root may be or contain items). */
  function itemsUnder(roots) {
    const items = new Set(); // a root may sit inside another one added in the same period
    for (const node of roots) {
      if (!node.isConnected) continue; // already replaced: its successor was reported too
      if (node.matches(DX.ITEM_SELECTOR)) items.add(node);
      if (node.firstElementChild) for (const item of node.querySelectorAll(DX.ITEM_SELECTOR)) items.add(item);
    }
    return [...items].filter((item) => item.closest(LIST));
  }

  function run() {
    lastRun = Date.now();
    const roots = added;
    const full = fullScan;
    added = [];
    fullScan = false;
    const noteId = currentNoteId();
    let items;
    if (full) {
      const container = document.querySelector(".comments-container") || document.querySelector(".comments-el");
      items = container ? [...container.querySelectorAll(DX.ITEM_SELECTOR)] : [];
    } else {
      items = itemsUnder(roots);
    }
    if (noteId) {
      readTitle(noteId);
      if (items.length) LT.capture.addFromDom(items, noteId);
    }
    if (full || (roots.length && LT.badges.onNoticePage())) LT.badges.renderAll(); // notices carry no comment ids in the DOM
    else if (items.length) LT.badges.renderItems(items);
  }

  function schedule() {
    if (timer) return;
    const wait = Math.max(0, THROTTLE_MS - (Date.now() - lastRun));
    timer = setTimeout(() => {
      timer = null;
      run();
    }, wait);
  }

  /** Look at the whole page again (start, URL changed). */
  function scan() {
    fullScan = true;
    schedule();
  }

  function onMutations(records) {
    let news = false;
    for (const r of records) {
      for (const n of r.addedNodes) {
        // Our own badges are not news (what is inside them lives in shadow roots, which are not observed).
        if (n.nodeType !== 1 || n.hasAttribute("data-linktriage")) continue;
        if (!fullScan) added.push(n);
        news = true;
      }
    }
    if (news) schedule();
  }

  function start() {
    new MutationObserver(onMutations).observe(document.documentElement, { childList: true, subtree: true });
    scan();
  }

  LT.domWatch = { start, scan };
})(globalThis);
