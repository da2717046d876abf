// Demand insights: requests per product / per note per day (stacked bars), unanswered counts, the
// hour-of-day pattern, for all notes and products or one of each; exports the aggregates as CSV and
// the chart as SVG or PNG.

import { api } from "./api.js";
import { h, clear, localDayStart, saveBlob, today, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { stackedBars, hourBars, topSeries, svgSource, svgToPng, UNKNOWN_COLOR } from "./chart.js";
import { filterSelect, loadFilterOptions, noteOptions, productOptions } from "./filters.js";
import { formatChange, weekOverWeek } from "./triage.js";

const SERIES_LIMIT = 12; // the legend wraps, so a dozen names stay readable
const SAVED_FILTERS = "linktriage.insights.filters";

// The remembered note / product filters ("" = all).
function loadFilters() {
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(SAVED_FILTERS) || "{}") || {};
  } catch (_) {
    /* unreadable: start with all */
  }
  return { note_id: typeof saved.note_id === "string" ? saved.note_id : "", product: typeof saved.product === "string" ? saved.product : "" };
}

// No default start: the helper fits the days to the data (first request → today), so 14 days of
// data are not drawn in a half-empty 30-day window.
function defaultSince() {
  return "";
}

export function createInsights(root) {
  // Charts are drawn at the width of the view (the SVG/PNG export keeps that size).
  const chartWidth = () => Math.max(640, Math.min(1400, (root.clientWidth || 960) - 2));

  const state = {
    groupBy: localStorage.getItem("linktriage.insights.group") || "product",
    since: defaultSince(),
    until: "",
    filters: loadFilters(),
    notes: [],
    products: [],
    data: null,
  };
  let chart = null;

  // The chart, the table and the CSV export all use these: the same filters as the request list.
  const params = () => ({
    ...state.filters,
    since: localDayStart(state.since),
    until: localDayStart(state.until, 1),
    tz_offset: -new Date().getTimezoneOffset(),
  });

  function setFilter(key, value) {
    state.filters[key] = value;
    localStorage.setItem(SAVED_FILTERS, JSON.stringify(state.filters));
    load();
  }

  async function loadOptions() {
    try {
      Object.assign(state, await loadFilterOptions());
      // A remembered note or product that is gone would filter to nothing behind an "all" select.
      const known = { note_id: noteOptions(state.notes), product: productOptions(state.products) };
      for (const [key, options] of Object.entries(known)) {
        if (state.filters[key] && !options.some(([value]) => value === state.filters[key])) state.filters[key] = "";
      }
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  let optionsReady = Promise.resolve();
  async function load() {
    try {
      // Fetched alongside the notes and products for the selects; drawn once both are known.
      const [data] = await Promise.all([api.get("/api/insights", params()), optionsReady]);
      state.data = data;
    } catch (err) {
      state.data = null;
      toast(errorText(err), "error");
    }
    render();
    root.dataset.loads = String(Number(root.dataset.loads || 0) + 1); // the benchmark waits for fresh numbers
  }

  function groups() {
    const data = state.data;
    if (state.groupBy === "note") {
      return data.notes.map((n) => ({ key: n.note_id, name: n.title || n.note_id, counts: n.per_day, total: n.total, unanswered: n.unanswered, change: weekOverWeek(n.per_day) }));
    }
    return data.products.map((p) => ({
      key: p.name,
      name: p.name || t("insights.unknownProduct"),
      counts: p.per_day,
      total: p.total,
      unanswered: p.unanswered,
      change: p.name ? weekOverWeek(p.per_day) : null,
      ...(p.name ? {} : { color: UNKNOWN_COLOR }),
    }));
  }

  async function exportCsv() {
    const file = `linktriage-insights-${today()}.csv`;
    try {
      saveBlob(await api.blob("/api/insights.csv", params()), file);
      toast(t("export.done", { file }));
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  async function exportChart(kind) {
    if (!chart) return;
    const file = `linktriage-chart-${today()}.${kind}`;
    try {
      const blob = kind === "svg" ? new Blob([svgSource(chart)], { type: "image/svg+xml" }) : await svgToPng(chart);
      saveBlob(blob, file);
      toast(t("export.done", { file }));
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  function controls() {
    const date = (key) =>
      h("input", { type: "date", "data-filter": key, value: state[key], onChange: (e) => { state[key] = e.target.value; load(); } });
    const group = h("select", {
      "data-filter": "group",
      onChange: (e) => { state.groupBy = e.target.value; localStorage.setItem("linktriage.insights.group", state.groupBy); render(); },
    },
    h("option", { value: "product", selected: state.groupBy === "product" }, t("insights.byProduct")),
    h("option", { value: "note", selected: state.groupBy === "note" }, t("insights.byNote")));
    const select = (options, key) => filterSelect(options, key, state.filters[key], (value) => setFilter(key, value));
    return h("div", { class: "filters" },
      h("label", {}, t("filter.note"), select(noteOptions(state.notes), "note_id")),
      h("label", {}, t("filter.product"), select(productOptions(state.products), "product")),
      h("label", {}, t("filter.since"), date("since")),
      h("label", {}, t("filter.until"), date("until")),
      h("label", {}, t("insights.groupBy"), group),
      h("span", { class: "spacer" }),
      h("button", { type: "button", "data-export": "insights-csv", onClick: exportCsv }, t("insights.exportCsv")),
      h("button", { type: "button", "data-export": "svg", onClick: () => exportChart("svg") }, t("insights.exportSvg")),
      h("button", { type: "button", "data-export": "png", onClick: () => exportChart("png") }, t("insights.exportPng")));
  }

  function table(rows) {
    return h("table", { class: "insights-table" },
      h("thead", {}, h("tr", {}, h("th", {}, t("insights.name")), h("th", { class: "num" }, t("insights.total")), h("th", { class: "num" }, t("insights.unanswered")), h("th", { class: "num" }, t("insights.weekChange")))),
      h("tbody", {}, rows.map((r) => h("tr", {},
        h("td", {}, r.name),
        h("td", { class: "num" }, String(r.total)),
        h("td", { class: `num${r.unanswered ? " warn" : ""}` }, String(r.unanswered)),
        h("td", { class: `num change${r.change > 0 ? " up" : r.change < 0 ? " down" : ""}`, "data-change": r.change ?? "" }, formatChange(r.change))))));
  }

  /** "落地灯 +40 %, 地毯 −10 %": the products whose week changed the most, for the summary line. */
  function movers(rows) {
    return rows
      .filter((r) => r.change !== null && r.change !== undefined && r.total >= 3)
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
      .slice(0, 3)
      .map((r) => `${r.name} ${formatChange(r.change)}`)
      .join("，");
  }

  /** What the chart shows, in its title (also in the exported SVG / PNG): grouping, filters, days. */
  function chartTitle(data) {
    const groupName = state.groupBy === "note" ? t("insights.byNote") : t("insights.byProduct");
    const parts = [t("insights.perDay"), groupName];
    if (state.filters.note_id) {
      const note = state.notes.find((n) => String(n.note_id) === state.filters.note_id);
      parts.push(`${t("filter.note")}「${(note && note.title) || state.filters.note_id}」`);
    }
    if (state.filters.product) parts.push(`${t("filter.product")}「${state.filters.product}」`);
    if (data.days.length) parts.push(`${data.days[0]} – ${data.days[data.days.length - 1]}`);
    return parts.join(" · ");
  }

  function render() {
    const parts = [h("h2", {}, t("insights.title")), controls()];
    const data = state.data;
    chart = null;
    if (data) {
      parts.push(h("p", { class: "summary" }, t("insights.summary", { total: data.total, unanswered: data.unanswered })));
      if (!data.total) parts.push(h("p", { class: "empty" }, t("insights.empty")));
      const rows = groups();
      const moving = movers(rows);
      if (moving) parts.push(h("p", { class: "movers" }, t("insights.movers", { list: moving })));
      chart = stackedBars({
        title: chartTitle(data),
        labels: data.days,
        series: topSeries(rows, SERIES_LIMIT, t("insights.other")),
        width: chartWidth(),
      });
      parts.push(h("div", { class: "chart-box", "data-chart": "days" }, chart));
      parts.push(h("div", { class: "chart-box", "data-chart": "hours" }, hourBars({ title: t("insights.hours"), counts: data.hours, width: chartWidth() })));
      parts.push(table(rows));
    }
    clear(root).append(...parts);
  }

  return {
    // The last chart shows at once (it is redrawn when the fresh numbers arrive); the notes and
    // products for the selects are fetched alongside, never before, the numbers.
    async show() {
      if (state.data) render();
      optionsReady = loadOptions();
      await load();
    },
    render,
  };
}
