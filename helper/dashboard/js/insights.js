// Demand insights: requests per product / per note per day (stacked bars), unanswered counts, the
// hour-of-day pattern, for all notes and products or one of each; exports the aggregates as CSV and
// the chart as SVG or PNG.

import { api } from "./api.js";
import { h, clear, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { stackedBars, hourBars } from "./chart.js";
import { formatChange, insightRows, movers, topSeries } from "./chart-data.js";
import { exportChart, exportCsv } from "./export.js";
import { INSIGHTS_FILTERS, exportName, keepKnownFilters, noteTitles, readSavedFilters, serverFilters } from "./filter-query.js";
import { filterControls, loadFilterOptions } from "./filters.js";

const SERIES_LIMIT = 12; // the legend wraps, so a dozen names stay readable
const SAVED_FILTERS = "linktriage.insights.filters";

// The remembered note / product filters ("" = all). No dates: with no start the helper fits the days
// to the data (first request → today), so 14 days of data are not drawn in a half-empty 30-day window.
function loadFilters() {
  const saved = readSavedFilters(localStorage.getItem(SAVED_FILTERS), ["note_id", "product"]);
  return Object.fromEntries(INSIGHTS_FILTERS.map((k) => [k, saved[k] || ""]));
}

export function createInsights(root) {
  // Charts are drawn at the width of the view (the SVG/PNG export keeps that size).
  const chartWidth = () => Math.max(640, Math.min(1400, (root.clientWidth || 960) - 2));

  const state = {
    groupBy: localStorage.getItem("linktriage.insights.group") || "product",
    filters: loadFilters(),
    notes: [],
    products: [],
    data: null,
  };
  let chart = null;

  // The chart, the table and the CSV export all use these: the same filters as the request list.
  const params = () => ({ ...serverFilters(state.filters), tz_offset: -new Date().getTimezoneOffset() });

  function setFilter(key, value) {
    state.filters[key] = value;
    const { note_id, product } = state.filters; // the dates are not remembered
    localStorage.setItem(SAVED_FILTERS, JSON.stringify({ note_id, product }));
    load();
  }

  async function loadOptions() {
    try {
      Object.assign(state, await loadFilterOptions());
      state.filters = keepKnownFilters(state.filters, state.notes, state.products);
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

  function controls() {
    const group = h("select", {
      "data-filter": "group",
      onChange: (e) => { state.groupBy = e.target.value; localStorage.setItem("linktriage.insights.group", state.groupBy); render(); },
    },
    h("option", { value: "product", selected: state.groupBy === "product" }, t("insights.byProduct")),
    h("option", { value: "note", selected: state.groupBy === "note" }, t("insights.byNote")));
    const chartFile = (kind) => chart && exportChart(chart, kind, exportName("chart", kind));
    return h("div", { class: "filters" },
      filterControls({ filters: state.filters, notes: state.notes, products: state.products, onChange: setFilter }),
      h("label", {}, t("insights.groupBy"), group),
      h("span", { class: "spacer" }),
      h("button", { type: "button", "data-export": "insights-csv", onClick: () => exportCsv("/api/insights.csv", params(), exportName("insights")) }, t("insights.exportCsv")),
      h("button", { type: "button", "data-export": "svg", onClick: () => chartFile("svg") }, t("insights.exportSvg")),
      h("button", { type: "button", "data-export": "png", onClick: () => chartFile("png") }, t("insights.exportPng")));
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

  /** What the chart shows, in its title (also in the exported SVG / PNG): grouping, filters, days. */
  function chartTitle(data) {
    const groupName = state.groupBy === "note" ? t("insights.byNote") : t("insights.byProduct");
    const parts = [t("insights.perDay"), groupName];
    if (state.filters.note_id) parts.push(`${t("filter.note")}「${noteTitles(state.notes).get(state.filters.note_id) || state.filters.note_id}」`);
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
      const rows = insightRows(data, state.groupBy, t("insights.unknownProduct"));
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
