// Pure helpers of the triage pass (no DOM, no fetch): what the list and the keys decide.
// Kept apart so node:test can check them (tests/js/dashboard-triage.test.js).

/** The views of the request inbox, in tab order; "new" is the default. */
export const VIEWS = ["new", "waiting", "replied", "ignored", "all"];
export const WAITING_HOURS = 24;

/** Which status an item must have to stay in a view (null: any). */
export function viewStatus(view) {
  if (view === "waiting") return "new";
  return view === "all" ? null : view;
}

/** Does an item still belong in `view` of `mode` after a change? (handled rows leave "new") */
export function staysInView(item, view, mode) {
  const status = viewStatus(view);
  if (status && item.status !== status) return false;
  if (mode === "inbox" && !item.is_request) return false;
  return true;
}

/**
 * The row as it will be once the helper has stored `change` (the PATCH body), shown until the
 * helper's answer replaces it: a correction sets the verdict the creator sees (missed: a request,
 * not_request: not one, none: the model's own `model_is_request`). Rows from the helper already
 * carry that verdict in `is_request`; it is never worked out again from `correction`.
 */
export function withChange(item, change) {
  const next = { ...item, ...change };
  if ("correction" in change) {
    next.is_request = change.correction === "missed" || (change.correction !== "not_request" && Boolean(item.model_is_request));
  }
  return next;
}

/** Key of a comment in the lists: its `id` (one platform per helper in practice; the id is unique there). */
export function commentKey(item) {
  return String(item.id);
}

/** The model's score is shown only when it is unsure: between 0.35 and 0.65. */
export function isUnsure(score) {
  return typeof score === "number" && score >= 0.35 && score <= 0.65;
}

/**
 * Keyset pages: `starts` holds the cursor each visited page began after (null = the top).
 * next: the page after the last row shown now (rows that left do not move the position).
 */
export function pagerNext(starts, lastCursor) {
  return lastCursor ? [...starts, lastCursor] : starts;
}
export function pagerPrev(starts) {
  return starts.length > 1 ? starts.slice(0, -1) : starts;
}

/**
 * Collapse the same buyer's asks under one note into one item: later rows whose id is among an
 * earlier row's `same_buyer` are hidden (the earlier row acts for all of them).
 * Returns [{item, siblings: [ids]}] in order.
 */
export function collapseBuyers(items, enabled = true) {
  const absorbed = new Set();
  const out = [];
  for (const item of items) {
    const key = commentKey(item);
    if (enabled && absorbed.has(key)) continue;
    const siblings = enabled ? (item.same_buyer || []).map((a) => String(a.id)) : [];
    for (const id of siblings) absorbed.add(id);
    out.push({ item, siblings });
  }
  return out;
}

/** Entries grouped by note, notes in the order they first appear, rows in their order within a note. */
export function orderByNote(entries) {
  const order = new Map();
  for (const e of entries) if (!order.has(e.item.note_id)) order.set(e.item.note_id, order.size);
  return entries
    .map((e, i) => [e, i])
    .sort((a, b) => order.get(a[0].item.note_id) - order.get(b[0].item.note_id) || a[1] - b[1])
    .map(([e]) => e);
}

/**
 * The tab counts after `n` rows moved from one place to another. A place is {status, waiting,
 * listed}: `waiting` counts it under "waiting" too, `listed` says the list counts the row at all
 * (the inbox counts requests only, so a correction can take a row out of every count or bring it
 * in). Returns new counts; none goes below 0.
 */
export function shiftCounts(counts, n, from, to) {
  const c = { ...counts };
  const add = (key, d) => (c[key] = Math.max(0, (c[key] || 0) + d));
  for (const [place, sign] of [[from, -1], [to, 1]]) {
    if (!place.listed) continue;
    add(place.status, sign * n);
    if (place.waiting) add("waiting", sign * n);
  }
  if (from.listed !== to.listed) add("all", to.listed ? n : -n);
  return c;
}

/** The focus index after the row at `removed` left a list that now has `length` rows. */
export function focusAfterRemoval(focus, removed, length) {
  if (length <= 0) return 0;
  if (removed < focus) return focus - 1;
  return Math.min(focus, length - 1);
}

/**
 * A queue that runs async jobs one after another, in the order they were pushed. A key press acts
 * on the row focused when it was pressed; its save waits for the earlier saves, never races them.
 * onIdle() runs when the last pending job has finished.
 */
export class ActionQueue {
  constructor(onIdle = () => {}) {
    this.tail = Promise.resolve();
    this.pending = 0;
    this.onIdle = onIdle;
  }

  push(job) {
    this.pending += 1;
    const run = this.tail.then(job);
    this.tail = run.catch(() => {}).then(() => {
      this.pending -= 1;
      if (this.pending === 0) this.onIdle();
    });
    return run;
  }

  get busy() {
    return this.pending > 0;
  }
}

/** Products a row's reply can be picked from with keys 1–9: the note's own products first. */
export function templateChoices(item, products, limit = 9) {
  const own = products.filter((p) => p.note_ids.includes(item.note_id));
  const unlinked = products.filter((p) => !p.note_ids.length);
  const named = products.filter((p) => item.products.includes(p.name));
  const seen = new Set();
  const out = [];
  for (const p of [...named, ...own, ...unlinked, ...products]) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    out.push(p);
    if (out.length >= limit) break;
  }
  return out;
}
