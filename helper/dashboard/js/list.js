// The request inbox and the all-comments view: views by status with live counts, keyset paging
// (GET /api/inbox), filters, grouping by note and by buyer, bulk actions, export, and the focused
// row that the keyboard acts on.
//
// Every action takes the row that is focused when it is triggered, changes it on screen at once
// (a handled row leaves the "new" view, focus stays on the row that moved up) and queues its save:
// saves run one after another (triage.ActionQueue), so fast keys never race each other. When the
// queue is idle the page is re-read from where it starts, which also tops it up.

import { api, patchComment } from "./api.js";
import { claimFields, claimHolder, keepHeldRow, needsClaim } from "./claims.js";
import { copyToClipboard } from "./clipboard.js";
import { isWaiting } from "./dates.js";
import { h, clear, debounce, toast } from "./dom.js";
import { exportCsv } from "./export.js";
import { LIST_FILTERS, filtersActive as anyFilter, listExport, readSavedFilters, serverFilters } from "./filter-query.js";
import { filterControls, loadFilterOptions } from "./filters.js";
import { errorText, t } from "./i18n.js";
import { renderRow } from "./row.js";
import {
  ActionQueue, VIEWS, WAITING_HOURS, collapseBuyers, commentKey, focusAfterRemoval, orderByNote,
  pagerNext, pagerPrev, shiftCounts, staysInView, templateChoices, withChange,
} from "./triage.js";
import { createSetup } from "./setup.js";

const PAGE_SIZE = 50;
const UNDO_LIMIT = 50;

const loadSaved = (mode) => readSavedFilters(localStorage.getItem(`linktriage.filters.${mode}`), LIST_FILTERS);

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
    me: null, // who this helper claims as (team mode; the inbox answers it)
  };
  const undoStack = [];
  const queue = new ActionQueue(() => refreshSoon());
  const setup = mode === "inbox" ? createSetup(() => load({ keepKey: focusedKey() })) : null;

  const filtersActive = () => anyFilter(state.filters);

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
  /** Read the current page (from its start cursor); keep focus on `keepKey` if it is still there.
   * `keepHeld` (a live re-read): the row the operator is on stays when it left the "new" view only because
   * another operator claimed it meanwhile -- shown as held, not pulled from under her (she moves on, the
   * next re-read leaves it out). */
  async function load({ keepKey = null, keepHeld = false } = {}) {
    const seq = ++loadSeq;
    const list = root.querySelector(".rows");
    if (list) list.setAttribute("aria-busy", "true");
    try {
      const params = {
        mode: mode === "inbox" ? "requests" : "comments",
        view: state.view,
        ...serverFilters(state.filters),
        after: state.starts[state.starts.length - 1] || "",
        limit: PAGE_SIZE,
        waiting_hours: WAITING_HOURS,
      };
      const data = await api.get("/api/inbox", params);
      if (seq !== loadSeq) return; // a newer load started meanwhile
      const gone = keepKey !== null && !data.items.some((item) => commentKey(item) === keepKey);
      if (keepHeld && gone && state.view === "new" && state.items.some((item) => commentKey(item) === keepKey)) {
        const wider = await api.get("/api/inbox", { ...params, claimed: 1 }); // the same page with others' claims
        if (seq !== loadSeq) return;
        data.items = keepHeldRow(data.items, wider.items, keepKey, data.me || null, Date.now());
      }
      state.items = data.items;
      state.counts = data.counts;
      state.next = data.next;
      state.me = data.me || null;
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
  let liveAsked = false; // a live update asked (live.js): the re-read keeps the row she is on if held now
  const refreshSoon = debounce(() => {
    if (queue.busy) return;
    const editing = root.contains(document.activeElement) && document.activeElement.tagName === "TEXTAREA";
    if (editing) return refreshSoon();
    const keepHeld = liveAsked;
    liveAsked = false;
    load({ keepKey: focusedKey(), keepHeld });
  }, 500);

  function computeEntries() {
    const collapse = mode === "inbox" && (state.view === "new" || state.view === "waiting");
    const entries = collapseBuyers(state.items, collapse);
    state.entries = state.groupByNote ? orderByNote(entries) : entries;
  }

  const focused = () => state.entries[state.focus];
  const focusedKey = () => (focused() ? commentKey(focused().item) : null);
  const entryOf = (item) => state.entries.find((e) => commentKey(e.item) === commentKey(item));

  // -- rendering ---------------------------------------------------------------------------------

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
    return h(
      "div",
      { class: "filters" },
      filterControls({ filters: f, notes: state.notes, products: state.products, onChange: setFilter, withCounts: mode === "inbox" }),
      search,
      filtersActive() ? h("button", { type: "button", class: "link", "data-action": "clear-filters", onClick: clearFilters }, t("filter.reset")) : null
    );
  }

  function clearFilters() {
    for (const k of LIST_FILTERS) state.filters[k] = "";
    saveFilters();
    restart();
  }

  async function bulk(status) {
    const ids = [...state.selected];
    if (!ids.length) return;
    try {
      const answer = await queue.push(() => api.post("/api/comments/bulk", { ids, platform: "xhs", status }));
      if (answer?.held?.length) toast(t("claim.bulkHeld", { n: answer.held.length }), "error");
      state.selected.clear();
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  function exportList(all) {
    const { params, file } = listExport({ mode, view: state.view, filters: state.filters, all });
    return exportCsv("/api/export.csv", params, file);
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
      h("button", { type: "button", "data-export": "filtered", onClick: () => exportList(false) }, t("export.filtered")),
      h("button", { type: "button", "data-export": "all", onClick: () => exportList(true) }, t("export.all"))
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
      me: state.me,
      focused: state.entries[state.focus] === entry,
      selected: state.selected.has(commentKey(item)),
      choices: item.is_request || item.suggested_reply ? templateChoices(item, state.products) : [],
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
        claimOpened();
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
  /** Move `items` from one count to another on the tabs (the next read of the page has the helper's). */
  function adjustCounts(items, from, to) {
    if (!state.counts) return;
    state.counts = shiftCounts(state.counts, items.length, from, to);
    onCounts(state.counts);
  }

  // Where a row counts: its status, "waiting", and whether the inbox lists it at all.
  const place = (item, inView) => ({ status: item.status, waiting: isWaiting(item, WAITING_HOURS), listed: mode !== "inbox" || inView });
  const listed = (item) => item.is_request; // the inbox counts requests only

  /**
   * Apply a change on screen now; it leaves the view or is updated in place. Returns the rows as they
   * were: `before` (on this page) and `elsewhere` (the same buyer's asks on other pages).
   */
  function applyLocally(entry, change, { moveOn = true } = {}) {
    const keys = new Set([commentKey(entry.item), ...entry.siblings]);
    const before = state.items.filter((i) => keys.has(commentKey(i)));
    // The same buyer's asks on other pages are handled too: the row stands for all of them.
    const loaded = new Set(before.map(commentKey));
    const elsewhere = entry.item.same_buyer
      .filter((ask) => keys.has(String(ask.id)) && !loaded.has(String(ask.id)))
      .map((ask) => ({ platform: entry.item.platform, id: String(ask.id), created_at: ask.created_at,
                       is_request: true, model_is_request: entry.item.model_is_request, correction: null, status: "new" }));
    const all = [...before, ...elsewhere];
    const after = all.map((i) => withChange(i, change));
    const index = state.entries.indexOf(entry);
    adjustCounts(all, place(all[0], listed(all[0])), place(after[0], listed(after[0])));
    if (staysInView(after[0], state.view, mode)) {
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
    return { before, elsewhere, index };
  }

  function remember(undo) {
    undoStack.push(undo);
    if (undoStack.length > UNDO_LIMIT) undoStack.shift();
  }

  /**
   * Queue the save of `change` for `items`. A PATCH answers with each comment as the helper stored it
   * (its verdict after a correction): when no later action is queued behind it, those rows show it.
   */
  function save(items, change) {
    const ids = items.map(commentKey);
    const job = "status" in change && ids.length > 1
      ? () => api.post("/api/comments/bulk", { ids, platform: items[0].platform, status: change.status }).then((answer) => {
          if (answer.held?.length) toast(t("claim.bulkHeld", { n: answer.held.length }), "error");
        })
      : () => Promise.all(items.map((item) => patchComment(item, change))).then((stored) => {
          if (queue.pending === 1) showStored(stored);
        });
    return queue.push(job).catch((err) => {
      toast(errorText(err), "error");
      load({ keepKey: focusedKey() }); // show what really is stored
    });
  }

  /** The helper's answer over the rows on this page (inbox fields such as cursor and note_url stay). */
  function showStored(stored) {
    for (const comment of stored) {
      const current = state.items.find((i) => commentKey(i) === commentKey(comment));
      if (current) replaceRow({ ...current, ...comment });
    }
  }

  function handled(entry, change, message) {
    const { before, elsewhere, index } = applyLocally(entry, change);
    remember({ items: before, elsewhere, index, change });
    save([...before, ...elsewhere], change);
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
    const all = [...last.items, ...last.elsewhere];
    const restore = {};
    for (const key of Object.keys(last.change)) restore[key] = all[0][key];
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
    const after = all.map((i) => withChange(i, last.change));
    adjustCounts(all, place(after[0], listed(after[0])), place(all[0], listed(all[0])));
    computeEntries();
    const index = state.entries.findIndex((e) => keys.has(commentKey(e.item)));
    if (index >= 0) state.focus = index;
    renderRows();
    save(after, restore);
    toast(t("action.undone"));
  }

  const savingReply = new Map(); // key -> the text being saved: Esc saves, then the blur's "change" must not
  async function saveReply(item, text) {
    const key = commentKey(item);
    if (text === item.suggested_reply || savingReply.get(key) === text) return;
    if (heldElsewhere(itemOf(key) || item)) return replaceRow(itemOf(key) || item); // the text goes back
    savingReply.set(key, text);
    const local = { ...item, suggested_reply: text };
    replaceRow(local);
    try {
      const updated = await queue.push(() => patchComment(item, { suggested_reply: text }));
      const current = state.items.find((i) => commentKey(i) === key);
      if (current) replaceRow({ ...current, ...updated });
      const warnings = updated.compliance;
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
        platform: item.platform,
        text: item.text,
      });
      await saveReply(state.items.find((i) => commentKey(i) === commentKey(item)) || item, preview.text);
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  /** Copy a reply; one with compliance warnings asks first (it may break the platform's rules). */
  async function copyReply(text, warnings) {
    if (warnings.length && !confirm(t("confirm.copyWarnings", { warnings: warnings.join("\n• ") }))) return;
    if (await copyToClipboard(text)) toast(t("action.copied"));
    else toast(t("action.copyFailed"), "error");
  }

  // -- claims (team mode) ------------------------------------------------------------------------
  let claimedKey = null; // the request this dashboard holds now (opening another releases it)
  const claimPath = (item) => `/api/comments/${encodeURIComponent(item.id)}/claim`;
  const itemOf = (key) => state.items.find((i) => commentKey(i) === key);

  /** Opening a request claims it for this helper's operator; another operator's answers who holds it. */
  async function claimOpened() {
    const entry = focused();
    if (!entry || !needsClaim(entry.item, state.me, Date.now())) return;
    const item = entry.item;
    const key = commentKey(item);
    const previous = claimedKey !== key ? itemOf(claimedKey) : null;
    claimedKey = key;
    if (previous && previous.status === "new") {
      api.del(`${claimPath(previous)}?platform=${encodeURIComponent(previous.platform)}`).catch(() => {});
      replaceRow({ ...previous, claimed_by: null, claimed_until: null });
    }
    try {
      const stored = await api.post(claimPath(item), {}, { platform: item.platform });
      const current = itemOf(key);
      if (current) replaceRow({ ...current, ...claimFields(stored) });
    } catch (err) {
      if (claimedKey === key) claimedKey = null;
      if (err.status !== 409) return toast(errorText(err), "error");
      const current = itemOf(key);
      if (current) replaceRow({ ...current, ...claimFields(err.data) });
      toast(t("claim.heldBy", { name: err.data?.claimed_by || "?" }), "error");
    }
  }

  /** Another operator answers this buyer: say so instead of filling or answering it. */
  function heldElsewhere(item) {
    const holder = claimHolder(item, state.me, Date.now());
    if (holder) toast(t("claim.heldBy", { name: holder }), "error");
    return Boolean(holder);
  }

  const ANSWERING = new Set(["replied", "ignored", "reopen", "copy", "edit", "choice"]);

  function act(kind, entry, extra) {
    if (!entry) return;
    const item = entry.item;
    if (ANSWERING.has(kind) && heldElsewhere(item)) return;
    switch (kind) {
      case "replied":
        return handled(entry, { status: "replied" }, t("toast.replied"));
      case "ignored":
        return handled(entry, { status: "ignored" }, t("toast.ignored"));
      case "reopen":
        return handled(entry, { status: "new" }, t("toast.reopened"));
      case "not_request":
        if (!item.is_request) return;
        return handled(entry, { correction: "not_request" }, t("toast.notRequest"));
      case "missed":
        return handled(entry, { correction: "missed" }, t("toast.missed"));
      case "correction":
        return handled(entry, { correction: extra }, t("toast.correctionUndone"));
      case "copy": {
        const area = root.querySelector(`.row[data-id="${CSS.escape(commentKey(item))}"] .reply-text`);
        const text = area ? area.value : item.suggested_reply;
        if (text) copyReply(text, item.compliance).then(() => markFocus(true, false));
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
        if (item.note_url) window.open(item.note_url, "_blank", "noopener,noreferrer");
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
      claimOpened();
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
    refresh: () => {
      liveAsked = true;
      refreshSoon();
    }, // live updates (live.js): re-read when no action is in flight and no one types
    render,
    actions,
  };
}
