// Note and product filter selects, shared by the lists and the insights view (both send the same
// note_id / product filters to the helper).

import { api } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

// The helper's notes and catalog products, for the selects; a failure is the caller's to show.
export async function loadFilterOptions() {
  const [notes, products] = await Promise.all([api.get("/api/notes"), api.get("/api/products")]);
  return {
    notes: Array.isArray(notes) ? notes : notes.items || notes.notes || [],
    products: Array.isArray(products) ? products : products.items || products.products || [],
  };
}

export const noteOptions = (notes) => notes.map((n) => [String(n.note_id ?? n.id), n.title || String(n.note_id ?? n.id)]);
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
