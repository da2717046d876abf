// The request inbox and the all-comments view: views by status with live counts, keyset paging
// (GET /api/inbox), filters, grouping by note and by buyer, bulk actions, export, and the focused
// row that the keyboard acts on.
//
// Every action takes the row that is focused when it is triggered, changes it on screen at once
// (a handled row leaves the "new" view, focus stays on the row that moved up) and queues its save:
// saves run one after another (triage.ActionQueue), so fast keys never race each other. When the
// queue is idle the page is re-read from where it starts, which also tops it up.

import { api } from "./api.js";
import { h, clear, debounce, localDayStart, saveBlob, today, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { renderRow, patchComment, copyText } from "./row.js";
import { filterSelect, loadFilterOptions, noteOptions, productOptions } from "./filters.js";
import {
  ActionQueue, VIEWS, WAITING_HOURS, collapseBuyers, commentKey, effectiveRequest, focusAfterRemoval,
  noteUrl, pagerNext, pagerPrev, staysInView, templateChoices,
} from "./triage.js";
import { createSetup } from "./setup.js";

const PAGE_SIZE = 50;
const FILTER_KEYS = ["note_id", "product", "since", "until", "q"];
const UNDO_LIMIT = 50;

function loadSaved(mode) {
  try {
    const saved = JSON.parse(localStorage.getItem(`linktriage.filters.${mode}`) || "{}");
    return Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof saved[k] === "string" ? saved[k] : ""]));
  } catch (_) {
    return Object.fromEntries(FILTER_KEYS.map((k) => [k, ""]));
  }
}

/** createList(root, mode, {onCounts}) — mode "inbox" (requests) or "comments" (all comments). */
export function createList(root, mode, { onCounts = () => {} } = {}) {
  const views = mode === "inbox" ? VIEWS : VIEWS.filter((v) => v !== "waiting");
  const state = {
    filters: loadSaved(mode),
    view: mode === "inbox" ? "new" : "all",
    groupByNote: localStorage.getItem(`linktriage.group.${mode}`) === "note",
    starts: [null], // keyset pages visited: each page begins after starts[i]
    items: [],
    entries: [], // items as shown: buyers collapsed, grouped by note
    counts: null,
    next: null,
    selected: new Set(),
    focus: 0,
    notes: [],
    products: [],
    loaded: false,
  };
  const undoStack = [];
  const queue = new ActionQueue(() => refreshSoon());
  const setup = mode === "inbox" ? createSetup(() => load({ keepKey: focusedKey() })) : null;

  // The server takes instants: "from" is the chosen day's local midnight, "to" includes its whole day.
  function serverFilters() {
    const f = state.filters;
    return { ...f, since: localDayStart(f.since), until: localDayStart(f.until, 1) };
  }
  const filtersActive = () => FILTER_KEYS.some((k) => state.filters[k]);

  function saveFilters() {
    localStorage.setItem(`linktriage.filters.${mode}`, JSON.stringify(state.filters));
  }

  function restart() {
    state.starts = [null];
    state.focus = 0;
    load();
  }

  function setFilter(key, value) {
    state.filters[key] = value;
    saveFilters();
    restart();
  }

  function setView(view) {
    state.view = view;
    state.selected.clear();
    restart();
  }

  async function loadOptions() {
    try {
      Object.assign(state, await loadFilterOptions());
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  let loadSeq = 0;
  /** Read the current page (from its start cursor); keep focus on `keepKey` if it is still there. */
  async function load({ keepKey = null } = {}) {
    const seq = ++loadSeq;
    const list = root.querySelector(".rows");
    if (list) list.setAttribute("aria-busy", "true");
    try {
      const data = await api.get("/api/inbox", {
        mode: mode === "inbox" ? "requests" : "comments",
        view: state.view,
        ...serverFilters(),
        after: state.starts[state.starts.length - 1] || "",
        limit: PAGE_SIZE,
        waiting_hours: WAITING_HOURS,
      });
      if (seq !== loadSeq) return; // a newer load started meanwhile
      state.items = data.items || [];
      state.counts = data.counts || null;
      state.next = data.next || null;
      state.loaded = true;
      root.dataset.loads = String(Number(root.dataset.loads || 0) + 1); // tests wait for a fresh read
      const keys = new Set(state.items.map(commentKey));
      for (const key of [...state.selected]) if (!keys.has(key)) state.selected.delete(key);
      onCounts(state.counts);
    } catch (err) {
      if (seq !== loadSeq) return;
      state.items = [];
      state.counts = null;
      state.next = null;
      toast(errorText(err), "error");
    }
    computeEntries();
    if (keepKey !== null) {
      const index = state.entries.findIndex((e) => commentKey(e.item) === keepKey);
      if (index >= 0) state.focus = index;
    }
    state.focus = Math.min(state.focus, Math.max(0, state.entries.length - 1));
    render();
  }

  // After a burst of actions: re-read the page (counts, new rows, top-up) unless the user is editing.
  const refreshSoon = debounce(() => {
    if (queue.busy) return;
    const editing = root.contains(document.activeElement) && document.activeElement.tagName === "TEXTAREA";
    if (editing) return refreshSoon();
    load({ keepKey: focusedKey() });
  }, 500);

  function computeEntries() {
    const collapse = mode === "inbox" && (state.view === "new" || state.view === "waiting");
    let entries = collapseBuyers(state.items, collapse);
    if (state.groupByNote) {
      const order = new Map();
      for (const e of entries) if (!order.has(e.item.note_id)) order.set(e.item.note_id, order.size);
      entries = entries
        .map((e, i) => [e, i])
        .sort((a, b) => order.get(a[0].item.note_id) - order.get(b[0].item.note_id) || a[1] - b[1])
        .map(([e]) => e);
    }
    state.entries = entries;
  }

  const focused = () => state.entries[state.focus];
  const focusedKey = () => (focused() ? commentKey(focused().item) : null);
  const entryOf = (item) => state.entries.find((e) => commentKey(e.item) === commentKey(item));

  // -- rendering ---------------------------------------------------------------------------------
  const select = (options, key, current) => filterSelect(options, key, current, (value) => setFilter(key, value));

  function viewTabs() {
    const counts = state.counts || {};
    return h(
      "div",
      { class: "view-tabs", role: "tablist" },
      views.map((view) =>
        h("button", {
          type: "button",
          role: "tab",
          class: `view-tab${state.view === view ? " active" : ""}${view === "waiting" && counts.waiting ? " late" : ""}`,
          "data-list-view": view,
          "aria-selected": state.view === view ? "true" : "false",
          onClick: () => setView(view),
        }, t(`view.${view}`, { hours: WAITING_HOURS }), h("span", { class: "count" }, counts[view] ?? "")))
    );
  }

  function filterBar() {
    const f = state.filters;
    const search = h("input", { type: "search", "data-filter": "q", placeholder: t("filter.search"), value: f.q });
    search.addEventListener("input", debounce(() => setFilter("q", search.value.trim()), 300));
    const date = (key) =>
      h("input", { type: "date", "data-filter": key, value: f[key], onChange: (e) => setFilter(key, e.target.value) });
    return h(
      "div",
      { class: "filters" },
      h("label", {}, t("filter.note"), select(noteOptions(state.notes, mode === "inbox"), "note_id", f.note_id)),
      h("label", {}, t("filter.product"), select(productOptions(state.products), "product", f.product)),
      h("label", { class: "dates" }, t("filter.since"), date("since"), t("filter.until"), date("until")),
      search,
      filtersActive() ? h("button", { type: "button", class: "link", "data-action": "clear-filters", onClick: clearFilters }, t("filter.reset")) : null
    );
  }

  function clearFilters() {
    for (const k of FILTER_KEYS) state.filters[k] = "";
    saveFilters();
    restart();
  }

  async function bulk(status) {
    const ids = [...state.selected];
    if (!ids.length) return;
    try {
      await queue.push(() => api.post("/api/comments/bulk", { ids, platform: "xhs", status }));
      state.selected.clear();
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  async function exportCsv(all) {
    const params = all ? { all: 1 } : { ...serverFilters(), status: state.view === "all" ? "" : state.view === "waiting" ? "new" : state.view, all: mode === "comments" ? 1 : "" };
    const file = `linktriage-${all || mode === "comments" ? "comments" : "requests"}-${today()}.csv`;
    try {
      saveBlob(await api.blob("/api/export.csv", params), file);
      toast(t("export.done", { file }));
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  function toolbar() {
    const allSelected = state.items.length > 0 && state.items.every((i) => state.selected.has(commentKey(i)));
    return h(
      "div",
      { class: "toolbar" },
      h("label", { class: "select-all" },
        h("input", {
          type: "checkbox",
          checked: allSelected,
          onChange: (e) => {
            for (const item of state.items) {
              if (e.target.checked) state.selected.add(commentKey(item));
              else state.selected.delete(commentKey(item));
            }
            renderRows();
          },
        }),
        t("bulk.selectAll")),
      h("span", { class: "selected-count" }, t("bulk.selected", { n: state.selected.size })),
      h("button", { type: "button", "data-bulk": "replied", disabled: !state.selected.size, onClick: () => bulk("replied") }, t("bulk.replied")),
      h("button", { type: "button", "data-bulk": "ignored", disabled: !state.selected.size, onClick: () => bulk("ignored") }, t("bulk.ignore")),
      h("label", { class: "group-toggle" },
        h("input", {
          type: "checkbox",
          "data-group": "note",
          checked: state.groupByNote,
          onChange: (e) => {
            state.groupByNote = e.target.checked;
            localStorage.setItem(`linktriage.group.${mode}`, state.groupByNote ? "note" : "");
            const key = focusedKey();
            computeEntries();
            state.focus = Math.max(0, state.entries.findIndex((en) => commentKey(en.item) === key));
            renderRows();
          },
        }),
        t("list.groupByNote")),
      h("span", { class: "spacer" }),
      h("button", { type: "button", "data-export": "filtered", onClick: () => exportCsv(false) }, t("export.filtered")),
      h("button", { type: "button", "data-export": "all", onClick: () => exportCsv(true) }, t("export.all"))
    );
  }

  function pager() {
    const total = state.counts ? state.counts[state.view] ?? 0 : 0;
    const page = state.starts.length;
    return h(
      "div",
      { class: "pager" },
      h("button", { type: "button", "data-page": "prev", disabled: page === 1, onClick: () => actions.page(-1), title: "[" }, `${t("page.prev")} [`),
      h("span", { class: "range" }, t("page.range", { page, shown: state.entries.length, total })),
      h("button", { type: "button", "data-page": "next", disabled: !state.next, onClick: () => actions.page(1), title: "]" }, `${t("page.next")} ]`)
    );
  }

  function emptyState() {
    const counts = state.counts || {};
    if (filtersActive()) {
      return h("div", { class: "empty" }, h("p", {}, t("list.emptyFiltered")),
        h("button", { type: "button", onClick: clearFilters }, t("filter.reset")));
    }
    if (mode === "inbox" && !counts.all) return h("div", { class: "empty" }, h("p", {}, t("list.emptyNoRequests")));
    if (mode === "inbox" && (state.view === "new" || state.view === "waiting")) {
      return h("div", { class: "empty done" }, h("p", {}, state.view === "new" ? t("list.allDone", { n: counts.replied || 0 }) : t("list.noneWaiting", { hours: WAITING_HOURS })));
    }
    return h("div", { class: "empty" }, h("p", {}, t("list.emptyView")));
  }

  function rowFor(entry) {
    const item = entry.item;
    return renderRow(entry, {
      mode,
      focused: state.entries[state.focus] === entry,
      selected: state.selected.has(commentKey(item)),
      choices: effectiveRequest(item) || item.suggested_reply ? templateChoices(item, state.products) : [],
      act: (kind, it, extra) => act(kind, entryOf(it) || { item: it, siblings: [] }, extra),
      onSelect: (key, on) => {
        if (on) state.selected.add(key);
        else state.selected.delete(key);
        root.querySelector(".selected-count").textContent = t("bulk.selected", { n: state.selected.size });
        root.querySelectorAll("[data-bulk]").forEach((b) => (b.disabled = !state.selected.size));
      },
      saveReply,
      focusRow: (key, { keepDomFocus = false } = {}) => {
        const index = state.entries.findIndex((e) => commentKey(e.item) === key);
        // From a click or a field inside the row: no scrolling (it would move the row under the mouse).
        if (index >= 0 && index !== state.focus) {
          state.focus = index;
          markFocus(!keepDomFocus, false);
        } else if (!keepDomFocus) markFocus(true, false);
      },
      backToList: () => markFocus(true),
    });
  }

  function rowsBody() {
    if (!state.loaded) return h("p", { class: "muted" }, t("list.loading"));
    if (!state.entries.length) return emptyState();
    const out = [];
    let lastNote = null;
    state.entries.forEach((entry, index) => {
      if (state.groupByNote && entry.item.note_id !== lastNote) {
        lastNote = entry.item.note_id;
        out.push(h("h3", { class: "note-group" }, entry.item.note_title || entry.item.note_id));
      }
      const row = rowFor(entry);
      if (index === state.focus) row.classList.add("focused");
      out.push(row);
    });
    return out;
  }

  function render() {
    const searchHadFocus = document.activeElement?.dataset?.filter === "q";
    clear(root).append(
      ...(setup ? [setup.element] : []),
      h("div", { class: "list-head" }, viewTabs(), filterBar()),
      toolbar(),
      h("div", { class: "rows", "aria-busy": "false" }, rowsBody()),
      pager()
    );
    if (searchHadFocus) {
      const search = root.querySelector('[data-filter="q"]');
      search.focus();
      search.setSelectionRange(search.value.length, search.value.length);
    } else if (root.offsetParent !== null && !isTyping()) {
      markFocus(true, false);
    }
  }

  /** Re-draw the rows, the counts and the pager only (filters and the search box stay as they are). */
  function renderRows() {
    const rows = root.querySelector(".rows");
    if (!rows) return render();
    clear(rows).append(...[rowsBody()].flat());
    root.querySelector(".view-tabs")?.replaceWith(viewTabs());
    root.querySelector(".pager")?.replaceWith(pager());
    const sel = root.querySelector(".selected-count");
    if (sel) sel.textContent = t("bulk.selected", { n: state.selected.size });
    markFocus(!isTyping());
  }

  /** Replace one row in place (after its reply was saved): focus and caret stay where they are. */
  function replaceRow(item) {
    const key = commentKey(item);
    state.items = state.items.map((i) => (commentKey(i) === key ? item : i));
    const index = state.entries.findIndex((e) => commentKey(e.item) === key);
    if (index < 0) return;
    state.entries[index] = { ...state.entries[index], item };
    const old = root.querySelector(`.row[data-id="${CSS.escape(key)}"]`);
    if (!old) return;
    const hadFocus = old.contains(document.activeElement);
    const typing = hadFocus && document.activeElement.tagName === "TEXTAREA";
    const fresh = rowFor(state.entries[index]);
    if (index === state.focus) fresh.classList.add("focused");
    if (typing) return; // never pull the text out from under the caret; the next render shows it
    old.replaceWith(fresh);
    if (hadFocus || index === state.focus) markFocus(hadFocus, false);
  }

  function isTyping() {
    const el = document.activeElement;
    return Boolean(el && el !== document.body && ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  }

  function markFocus(moveDomFocus = true, scroll = true) {
    const rows = root.querySelectorAll(".row");
    rows.forEach((row, index) => row.classList.toggle("focused", index === state.focus));
    const row = rows[state.focus];
    if (!row) return;
    row.ensureDetails?.();
    if (moveDomFocus && root.offsetParent !== null) row.focus({ preventScroll: true });
    if (scroll) row.scrollIntoView({ block: "nearest" });
  }

  // -- actions (buttons and keys) ----------------------------------------------------------------
  function adjustCounts(items, from, to) {
    const c = state.counts;
    if (!c) return;
    for (const item of items) {
      if (from) c[from.status] = Math.max(0, (c[from.status] || 0) - 1);
      if (from && from.waiting) c.waiting = Math.max(0, (c.waiting || 0) - 1);
      if (from && from.leaves) c.all = Math.max(0, (c.all || 0) - 1);
      if (to) c[to.status] = (c[to.status] || 0) + 1;
      if (to && to.waiting) c.waiting = (c.waiting || 0) + 1;
      if (to && to.enters) c.all = (c.all || 0) + 1;
    }
    onCounts(c);
  }

  const isWaiting = (item) => item.status === "new" && Date.now() - Date.parse(item.created_at || item.captured_at || "") >= WAITING_HOURS * 3_600_000;

  /** Apply a change on screen now; it leaves the view or is updated in place. */
  function applyLocally(entry, change, { moveOn = true } = {}) {
    const keys = new Set([commentKey(entry.item), ...entry.siblings]);
    const before = state.items.filter((i) => keys.has(commentKey(i)));
    // The same buyer's asks on other pages are handled too: the row stands for all of them.
    const loaded = new Set(before.map(commentKey));
    for (const ask of entry.item.same_buyer || []) {
      if (keys.has(String(ask.id)) && !loaded.has(String(ask.id))) {
        before.push({ platform: entry.item.platform, id: String(ask.id), text: ask.text, created_at: ask.created_at,
                      is_request: true, correction: null, status: "new" });
      }
    }
    const after = before.map((i) => ({ ...i, ...change }));
    const index = state.entries.indexOf(entry);
    const stays = staysInView(after[0], state.view, mode);
    const wasRequest = effectiveRequest(before[0] || entry.item);
    const isRequest = effectiveRequest(after[0] || entry.item);
    const leavesAll = mode === "inbox" && wasRequest && !isRequest;
    const entersAll = mode === "inbox" && !wasRequest && isRequest;
    adjustCounts(before, { status: before[0]?.status || entry.item.status, waiting: isWaiting(before[0] || entry.item), leaves: leavesAll },
      leavesAll ? null : { status: after[0]?.status || change.status, waiting: isWaiting(after[0] || entry.item), enters: entersAll });
    if (stays) {
      const byKey = new Map(after.map((i) => [commentKey(i), i]));
      state.items = state.items.map((i) => byKey.get(commentKey(i)) || i);
      computeEntries();
      if (moveOn) state.focus = Math.min(state.entries.length - 1, index + 1);
    } else {
      state.items = state.items.filter((i) => !keys.has(commentKey(i)));
      computeEntries();
      state.focus = focusAfterRemoval(state.focus, index, state.entries.length);
      for (const key of keys) state.selected.delete(key);
    }
    renderRows();
    return { before, index };
  }

  function remember(undo) {
    undoStack.push(undo);
    if (undoStack.length > UNDO_LIMIT) undoStack.shift();
  }

  function save(items, change) {
    const ids = items.map(commentKey);
    const job = "status" in change && ids.length > 1
      ? () => api.post("/api/comments/bulk", { ids, platform: items[0].platform || "xhs", status: change.status })
      : () => Promise.all(items.map((item) => patchComment(item, change)));
    return queue.push(job).catch((err) => {
      toast(errorText(err), "error");
      load({ keepKey: focusedKey() }); // show what really is stored
    });
  }

  function handled(entry, change, message) {
    const { before, index } = applyLocally(entry, change);
    if (!before.length) return;
    remember({ items: before, index, change });
    save(before, change);
    toastUndo(message);
  }

  function toastUndo(message) {
    toast(message, "info", { label: `${t("action.undo")} (u)`, onClick: () => actions.undo() });
  }

  function undo() {
    const last = undoStack.pop();
    if (!last) {
      toast(t("action.nothingToUndo"));
      return;
    }
    const restore = {};
    for (const key of Object.keys(last.change)) restore[key] = last.items[0][key] ?? null;
    // Put the rows back where they were, focused, then save the old values (after the queued saves).
    const keys = new Set(last.items.map(commentKey));
    const present = state.items.some((i) => keys.has(commentKey(i)));
    if (present) {
      const byKey = new Map(last.items.map((i) => [commentKey(i), i]));
      state.items = state.items.map((i) => byKey.get(commentKey(i)) || i);
    } else {
      const at = Math.min(last.index, state.entries.length);
      const anchor = state.entries[at]?.item;
      const pos = anchor ? state.items.findIndex((i) => commentKey(i) === commentKey(anchor)) : state.items.length;
      state.items.splice(pos < 0 ? state.items.length : pos, 0, ...last.items);
    }
    const after = last.items.map((i) => ({ ...i, ...last.change }));
    adjustCounts(after, { status: after[0].status, waiting: isWaiting(after[0]), leaves: mode === "inbox" && effectiveRequest(after[0]) && !effectiveRequest(last.items[0]) },
      { status: last.items[0].status, waiting: isWaiting(last.items[0]), enters: mode === "inbox" && !effectiveRequest(after[0]) && effectiveRequest(last.items[0]) });
    computeEntries();
    const index = state.entries.findIndex((e) => keys.has(commentKey(e.item)));
    if (index >= 0) state.focus = index;
    renderRows();
    save(last.items.map((i) => ({ ...i, ...last.change })), restore);
    toast(t("action.undone"));
  }

  const savingReply = new Map(); // key -> the text being saved: Esc saves, then the blur's "change" must not
  async function saveReply(item, text) {
    const key = commentKey(item);
    if (text === (item.suggested_reply || "") || savingReply.get(key) === text) return;
    savingReply.set(key, text);
    const local = { ...item, suggested_reply: text };
    replaceRow(local);
    try {
      const updated = await queue.push(() => patchComment(item, { suggested_reply: text }));
      const current = state.items.find((i) => commentKey(i) === key);
      if (current) replaceRow({ ...current, ...updated });
      const warnings = updated.compliance || [];
      toast(warnings.length ? t("action.savedWithWarnings", { n: warnings.length }) : t("action.saved"), warnings.length ? "error" : "info");
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      if (savingReply.get(key) === text) savingReply.delete(key);
    }
  }

  async function pickChoice(entry, index) {
    const item = entry.item;
    const product = templateChoices(item, state.products)[index];
    if (!product) return;
    try {
      const preview = await api.post("/api/replies/preview", {
        template: product.reply || "",
        product: product.name,
        nickname: item.author || "",
        platform: item.platform || "xhs",
        text: item.text || "",
      });
      await saveReply(state.items.find((i) => commentKey(i) === commentKey(item)) || item, preview.text);
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  function act(kind, entry, extra) {
    if (!entry) return;
    const item = entry.item;
    switch (kind) {
      case "replied":
        return handled(entry, { status: "replied" }, t("toast.replied"));
      case "ignored":
        return handled(entry, { status: "ignored" }, t("toast.ignored"));
      case "reopen":
        return handled(entry, { status: "new" }, t("toast.reopened"));
      case "not_request":
        if (!effectiveRequest(item)) return;
        return handled(entry, { correction: "not_request" }, t("toast.notRequest"));
      case "missed":
        return handled(entry, { correction: "missed" }, t("toast.missed"));
      case "correction":
        return handled(entry, { correction: extra ?? null }, t("toast.correctionUndone"));
      case "copy": {
        const area = root.querySelector(`.row[data-id="${CSS.escape(commentKey(item))}"] .reply-text`);
        const text = area ? area.value : item.suggested_reply || "";
        if (text) copyText(text, item.compliance || []).then(() => markFocus(true, false));
        return;
      }
      case "edit": {
        const area = root.querySelector(`.row[data-id="${CSS.escape(commentKey(item))}"] .reply-text`);
        if (area) {
          area.focus();
          area.setSelectionRange(area.value.length, area.value.length);
        }
        return;
      }
      case "open": {
        const url = noteUrl(item);
        if (url) window.open(url, "_blank", "noopener,noreferrer");
        return;
      }
      case "choice":
        return pickChoice(entry, extra);
      default:
        return;
    }
  }

  // Keyboard actions (see keys.js); each takes the row focused at the moment the key is pressed.
  const onFocused = (kind, extra) => () => act(kind, focused(), extra);
  const actions = {
    move(step) {
      if (!state.entries.length) return;
      state.focus = Math.max(0, Math.min(state.entries.length - 1, state.focus + step));
      markFocus(true);
    },
    setStatus: (status) => act(status === "replied" ? "replied" : "ignored", focused()),
    replied: onFocused("replied"),
    ignore: onFocused("ignored"),
    notRequest: onFocused("not_request"),
    edit: onFocused("edit"),
    open: onFocused("open"),
    copy: onFocused("copy"),
    choice: (index) => act("choice", focused(), index),
    undo,
    page(step) {
      if (step > 0) {
        if (!state.next) return;
        const last = state.items[state.items.length - 1];
        state.starts = pagerNext(state.starts, last ? last.cursor : state.next);
      } else {
        if (state.starts.length === 1) return;
        state.starts = pagerPrev(state.starts);
      }
      state.focus = 0;
      load();
    },
    toggleSelect() {
      const entry = focused();
      if (!entry) return;
      const key = commentKey(entry.item);
      if (state.selected.has(key)) state.selected.delete(key);
      else state.selected.add(key);
      renderRows();
    },
    focusSearch() {
      root.querySelector('[data-filter="q"]')?.focus();
    },
    backToList() {
      if (document.activeElement && root.contains(document.activeElement)) document.activeElement.blur();
      markFocus(true);
    },
  };

  return {
    async show() {
      if (setup) setup.start();
      if (state.loaded && !root.querySelector(".rows")) render(); // the last rows at once, fresh ones follow
      const options = loadOptions(); // cached: a tab switch does not wait for /api/notes
      await Promise.all([options, load({ keepKey: focusedKey() })]);
      if (state.notes.length && root.querySelector('[data-filter="note_id"] option:nth-child(2)') === null) render();
    },
    hide() {
      if (setup) setup.stop();
    },
    render,
    actions,
  };
}
