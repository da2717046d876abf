// The coverage tab (issue 16): per note, how many of its comments are captured and how many threads
// still have replies the page has not loaded — "42 of 57 captured, 3 threads not expanded — scroll and
// click 展开 to load them". Nothing is fetched from the site: the creator opens the note and scrolls.

import { api } from "./api.js";
import { formatTime } from "./dates.js";
import { h, clear, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";

/** The sentence for one note of GET /api/coverage. */
export function coverageText(row) {
  const parts = [];
  if (row.comment_count === null) parts.push(t("coverage.capturedOnly", { n: row.captured }));
  else parts.push(t("coverage.captured", { n: Math.min(row.captured, row.comment_count), total: row.comment_count }));
  if (row.unexpanded_threads) parts.push(t("coverage.threads", { n: row.unexpanded_threads }));
  return parts.join(t("coverage.sep"));
}

export function createCoverage(root) {
  let items = null;

  async function load() {
    try {
      items = (await api.get("/api/coverage")).items;
    } catch (err) {
      items = null;
      toast(errorText(err), "error");
    }
    render();
  }

  function render() {
    const parts = [h("h2", {}, t("coverage.title")), h("p", { class: "muted" }, t("coverage.help"))];
    if (items && !items.length) parts.push(h("p", { class: "empty" }, t("coverage.none")));
    if (items && items.length) {
      parts.push(h("table", { class: "coverage-table" },
        h("thead", {}, h("tr", {}, [t("coverage.note"), t("coverage.state"), t("coverage.seen")].map((c) => h("th", {}, c)))),
        h("tbody", {}, items.map((row) => {
          const title = row.title || row.note_id;
          const complete = row.missing === 0 && !row.unexpanded_threads;
          return h("tr", { "data-note-id": row.note_id, class: complete ? "complete" : "" },
            h("td", {}, row.url ? h("a", { href: row.url, target: "_blank", rel: "noopener noreferrer" }, title) : title),
            h("td", { class: "coverage-state" }, coverageText(row)),
            h("td", {}, formatTime(row.seen_at)));
        }))));
    }
    clear(root).append(...parts);
  }

  return { show: load, render };
}
