// Note and product filter selects, shared by the lists and the insights view (both send the same
// note_id / product filters to the helper), and the cached notes / products lists behind them.
//
// Every tab needs the notes and products for its selects, but they change slowly: they are fetched
// once and kept for OPTIONS_TTL_MS (a tab switch no longer waits for /api/notes before its rows),
// refreshed in the background after that, and dropped at once when the dashboard changes a product.

import { api } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

const OPTIONS_TTL_MS = 30_000;
let cached = null; // {at, promise}

function fetchOptions() {
  return Promise.all([api.get("/api/notes"), api.get("/api/products")]).then(([notes, products]) => ({
    notes: Array.isArray(notes) ? notes : notes.items || notes.notes || [],
    products: Array.isArray(products) ? products : products.items || products.products || [],
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

/** note_id -> title, from the cached notes (ids stay ids when no title is known). */
export function noteTitles(notes) {
  return new Map(notes.map((n) => [String(n.note_id ?? n.id), n.title || ""]));
}

export const noteOptions = (notes, withCounts = false) =>
  notes.map((n) => {
    const id = String(n.note_id ?? n.id);
    const label = n.title || id;
    return [id, withCounts && n.unanswered ? `${label} (${n.unanswered})` : label];
  });
export const productOptions = (products) => products.map((p) => [p.name, p.name]);

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
