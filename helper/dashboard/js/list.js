// The request inbox and the all-comments view: filters, server-side paging, bulk actions, export,
// and the focused row that the keyboard shortcuts act on.

import { api } from "./api.js";
import { h, clear, debounce, localDayStart, saveBlob, today, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { renderRow, commentKey, patchComment, copyText } from "./row.js";
import { filterSelect, loadFilterOptions, noteOptions, productOptions } from "./filters.js";

const PAGE_SIZE = 50;
const FILTER_KEYS = ["note_id", "product", "status", "since", "until", "q"];

function loadFilters(mode) {
  try {
    const saved = JSON.parse(localStorage.getItem(`linktriage.filters.${mode}`) || "{}");
    return Object.fromEntries(FILTER_KEYS.map((k) => [k, typeof saved[k] === "string" ? saved[k] : ""]));
  } catch (_) {
    return Object.fromEntries(FILTER_KEYS.map((k) => [k, ""]));
  }
}

export function createList(root, mode) {
  const endpoint = mode === "inbox" ? "/api/requests" : "/api/comments";
  const state = {
    filters: loadFilters(mode),
    offset: 0,
    items: [],
    total: 0,
    selected: new Set(),
    focus: 0,
    notes: [],
    products: [],
  };

  // The server takes instants: "from" is the chosen day's local midnight, "to" includes its whole day.
  function serverFilters() {
    const f = state.filters;
    return { ...f, since: localDayStart(f.since), until: localDayStart(f.until, 1) };
  }

  function saveFilters() {
    localStorage.setItem(`linktriage.filters.${mode}`, JSON.stringify(state.filters));
  }

  function setFilter(key, value) {
    state.filters[key] = value;
    state.offset = 0;
    saveFilters();
    load();
  }

  async function loadOptions() {
    try {
      Object.assign(state, await loadFilterOptions());
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  async function load() {
    const list = root.querySelector(".rows");
    if (list) list.setAttribute("aria-busy", "true");
    try {
      const data = await api.get(endpoint, { ...serverFilters(), limit: PAGE_SIZE, offset: state.offset });
      state.items = data.items || [];
      state.total = data.total ?? state.items.length;
      state.focus = Math.min(state.focus, Math.max(0, state.items.length - 1));
      const keys = new Set(state.items.map(commentKey));
      for (const key of [...state.selected]) if (!keys.has(key)) state.selected.delete(key);
    } catch (err) {
      state.items = [];
      state.total = 0;
      toast(errorText(err), "error");
    }
    render();
  }

  const select = (options, key, current) => filterSelect(options, key, current, (value) => setFilter(key, value));

  function filterBar() {
    const f = state.filters;
    const statusOptions = ["new", "replied", "ignored"].map((s) => [s, t(`status.${s}`)]);
    const search = h("input", { type: "search", "data-filter": "q", placeholder: t("filter.search"), value: f.q });
    search.addEventListener("input", debounce(() => setFilter("q", search.value.trim()), 300));
    const date = (key) =>
      h("input", { type: "date", "data-filter": key, value: f[key], onChange: (e) => setFilter(key, e.target.value) });
    return h(
      "div",
      { class: "filters" },
      h("label", {}, t("filter.note"), select(noteOptions(state.notes), "note_id", f.note_id)),
      h("label", {}, t("filter.product"), select(productOptions(state.products), "product", f.product)),
      h("label", {}, t("filter.status"), select(statusOptions, "status", f.status)),
      h("label", {}, t("filter.since"), date("since")),
      h("label", {}, t("filter.until"), date("until")),
      search,
      h("button", {
        type: "button",
        class: "link",
        onClick: () => {
          for (const k of FILTER_KEYS) state.filters[k] = "";
          state.offset = 0;
          saveFilters();
          load();
        },
      }, t("filter.reset"))
    );
  }

  async function bulk(status) {
    const ids = [...state.selected];
    if (!ids.length) return;
    try {
      await api.post("/api/comments/bulk", { ids, platform: "xhs", status });
      state.selected.clear();
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  async function exportCsv(all) {
    const params = all ? { all: 1 } : { ...serverFilters(), all: mode === "comments" ? 1 : "" };
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
            render();
          },
        }),
        t("bulk.selectAll")),
      h("span", { class: "selected-count" }, t("bulk.selected", { n: state.selected.size })),
      h("button", { type: "button", "data-bulk": "replied", disabled: !state.selected.size, onClick: () => bulk("replied") }, t("bulk.replied")),
      h("button", { type: "button", "data-bulk": "ignored", disabled: !state.selected.size, onClick: () => bulk("ignored") }, t("bulk.ignore")),
      h("span", { class: "spacer" }),
      h("button", { type: "button", "data-export": "filtered", onClick: () => exportCsv(false) }, t("export.filtered")),
      h("button", { type: "button", "data-export": "all", onClick: () => exportCsv(true) }, t("export.all"))
    );
  }

  function pager() {
    const from = state.total ? state.offset + 1 : 0;
    const to = state.offset + state.items.length;
    return h(
      "div",
      { class: "pager" },
      h("button", {
        type: "button",
        "data-page": "prev",
        disabled: state.offset === 0,
        onClick: () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); state.focus = 0; load(); },
      }, t("page.prev")),
      h("span", { class: "range" }, t("page.range", { from, to, total: state.total })),
      h("button", {
        type: "button",
        "data-page": "next",
        disabled: to >= state.total,
        onClick: () => { state.offset += PAGE_SIZE; state.focus = 0; load(); },
      }, t("page.next"))
    );
  }

  function replaceItem(newItem) {
    const key = commentKey(newItem);
    state.items = state.items.map((i) => (commentKey(i) === key ? newItem : i));
    render();
  }

  function render() {
    const rows = state.items.map((item, index) => {
      const row = renderRow(item, {
        mode,
        selected: state.selected.has(commentKey(item)),
        onChange: replaceItem,
        onSelect: (key, on) => {
          if (on) state.selected.add(key);
          else state.selected.delete(key);
          render();
        },
      });
      if (index === state.focus) row.classList.add("focused");
      row.addEventListener("click", () => {
        if (state.focus !== index) {
          state.focus = index;
          markFocus();
        }
      });
      return row;
    });
    const searchHadFocus = document.activeElement?.dataset?.filter === "q";
    clear(root).append(
      filterBar(),
      toolbar(),
      h("div", { class: "rows", "aria-busy": "false" }, rows.length ? rows : h("p", { class: "empty" }, t("list.empty"))),
      pager()
    );
    if (searchHadFocus) {
      const search = root.querySelector('[data-filter="q"]');
      search.focus();
      search.setSelectionRange(search.value.length, search.value.length);
    }
  }

  function markFocus() {
    root.querySelectorAll(".row").forEach((row, index) => row.classList.toggle("focused", index === state.focus));
    root.querySelectorAll(".row")[state.focus]?.scrollIntoView({ block: "nearest" });
  }

  // Keyboard actions (see keys.js); they act on the focused row.
  const focused = () => state.items[state.focus];
  const actions = {
    move(step) {
      if (!state.items.length) return;
      state.focus = Math.max(0, Math.min(state.items.length - 1, state.focus + step));
      markFocus();
    },
    async setStatus(status) {
      const item = focused();
      if (!item) return;
      try {
        replaceItem(await patchComment(item, { status }));
        actions.move(1);
      } catch (err) {
        toast(errorText(err), "error");
      }
    },
    copy() {
      const row = root.querySelectorAll(".row")[state.focus];
      const area = row?.querySelector(".reply-text");
      if (area) copyText(area.value);
    },
    toggleSelect() {
      const item = focused();
      if (!item) return;
      const key = commentKey(item);
      if (state.selected.has(key)) state.selected.delete(key);
      else state.selected.add(key);
      render();
    },
    focusSearch() {
      root.querySelector('[data-filter="q"]')?.focus();
    },
  };

  return {
    async show() {
      await loadOptions();
      await load();
    },
    render,
    actions,
  };
}
