// The filter controls the lists and the insights share (note, product, from/to dates) and the
// cached notes / products lists behind the selects. What the filters send is filter-query.js.
//
// Every tab needs the notes and products for its selects, but they change slowly: they are fetched
// once and kept for OPTIONS_TTL_MS (a tab switch no longer waits for /api/notes before its rows),
// refreshed in the background after that, and dropped at once when the dashboard changes a product.

import { api } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { noteOptions, productOptions } from "./filter-query.js";

const OPTIONS_TTL_MS = 30_000;
let cached = null; // {at, promise}

function fetchOptions() {
  return Promise.all([api.get("/api/notes"), api.get("/api/products")]).then(([notes, products]) => ({
    notes: notes.items,
    products: products.items,
  }));
}

// The helper's notes and catalog products, for the selects; a failure is the caller's to show.
// A stale copy is answered at once while a fresh one is fetched for next time.
export function loadFilterOptions({ fresh = false } = {}) {
  const now = Date.now();
  if (!cached || fresh) {
    cached = { at: now, promise: fetchOptions() };
  } else if (now - cached.at > OPTIONS_TTL_MS) {
    const stale = cached.promise;
    const next = { at: now, promise: fetchOptions() };
    next.promise.then(() => (cached = next), () => {});
    cached.at = now; // one background refresh at a time
    return stale;
  }
  const mine = cached;
  mine.promise.catch(() => {
    if (cached === mine) cached = null; // do not keep a failure
  });
  return mine.promise;
}

/** Forget the cached notes / products (after the dashboard changed a product). */
export function invalidateFilterOptions() {
  cached = null;
}

// A <select data-filter=key> with "all" first; options are [value, label] pairs.
export function filterSelect(options, key, current, onChange) {
  const el = h(
    "select",
    { "data-filter": key, onChange: (e) => onChange(e.target.value) },
    h("option", { value: "" }, t("filter.all")),
    options.map(([value, label]) => h("option", { value, selected: value === current }, label))
  );
  el.value = current;
  return el;
}

/**
 * The note, product and date controls: [<label> note, <label> product, <label> from … to …].
 * filters: {note_id, product, since, until} (dates as YYYY-MM-DD); onChange(key, value) on any change.
 * withCounts: the note select shows each note's unanswered requests.
 */
export function filterControls({ filters, notes, products, onChange, withCounts = false }) {
  const select = (options, key) => filterSelect(options, key, filters[key], (value) => onChange(key, value));
  const date = (key) => h("input", { type: "date", "data-filter": key, value: filters[key], onChange: (e) => onChange(key, e.target.value) });
  return [
    h("label", {}, t("filter.note"), select(noteOptions(notes, withCounts), "note_id")),
    h("label", {}, t("filter.product"), select(productOptions(products), "product")),
    h("label", { class: "dates" }, t("filter.since"), date("since"), t("filter.until"), date("until")),
  ];
}
