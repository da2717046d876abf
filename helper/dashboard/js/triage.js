// Pure helpers of the triage pass (no DOM, no fetch): what the list, the keys and the charts decide.
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
  if (mode === "inbox" && !effectiveRequest(item)) return false;
  return true;
}

/** Is this comment counted as a request once the creator's correction is applied? */
export function effectiveRequest(item) {
  if (item.correction === "missed") return true;
  if (item.correction === "not_request") return false;
  return Boolean(item.is_request);
}

/** Hours since the comment was written (captured, when the site gave no time). */
export function ageHours(item, now = Date.now()) {
  const when = Date.parse(item.created_at || item.captured_at || "");
  if (Number.isNaN(when)) return null;
  return Math.max(0, (now - when) / 3_600_000);
}

/** "等了 26 小时" / "waited 26 h" — how long a buyer has been waiting, in the coarsest useful unit. */
export function formatAge(hours, lang = "zh") {
  if (hours === null || hours === undefined) return "";
  const zh = lang === "zh";
  if (hours < 1) {
    const m = Math.max(1, Math.floor(hours * 60));
    return zh ? `等了 ${m} 分钟` : `waited ${m} min`;
  }
  if (hours < 72) {
    const h = Math.floor(hours);
    return zh ? `等了 ${h} 小时` : `waited ${h} h`;
  }
  const d = Math.floor(hours / 24);
  return zh ? `等了 ${d} 天` : `waited ${d} days`;
}

/** The model's score is shown only when it is unsure: between 0.35 and 0.65. */
export function isUnsure(score) {
  return typeof score === "number" && score >= 0.35 && score <= 0.65;
}

/** The note on its site: the helper's note_url, else the Xiaohongshu explore page for xhs notes. */
export function noteUrl(item) {
  if (item.note_url) return item.note_url;
  if ((item.platform || "xhs") === "xhs" && item.note_id) {
    return `https://www.xiaohongshu.com/explore/${encodeURIComponent(item.note_id)}`;
  }
  return null;
}

/** Key of a comment in the lists (one platform per helper in practice; the id is unique there). */
export function commentKey(item) {
  return String(item.comment_id ?? item.id);
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
  const own = products.filter((p) => (p.note_ids || []).includes(item.note_id));
  const unlinked = products.filter((p) => !(p.note_ids || []).length);
  const named = products.filter((p) => (item.products || []).includes(p.name));
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

/** Change of the last 7 days against the 7 before, in %; null when the earlier week had none. */
export function weekOverWeek(perDay) {
  const n = perDay.length;
  const sum = (from, to) => perDay.slice(Math.max(0, from), Math.max(0, to)).reduce((a, b) => a + b, 0);
  const last = sum(n - 7, n);
  const before = sum(n - 14, n - 7);
  if (!before) return null;
  return Math.round(((last - before) / before) * 100);
}

/** "+40 %" / "−12 %" / "" (no earlier week). */
export function formatChange(percent) {
  if (percent === null || percent === undefined) return "";
  if (percent === 0) return "±0 %";
  return percent > 0 ? `+${percent} %` : `−${Math.abs(percent)} %`;
}

/** Rough width of a label in px at 12 px: CJK and full-width characters count double. */
export function textWidth(text, px = 12) {
  let units = 0;
  for (const ch of String(text)) units += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 1 : 0.6;
  return units * px;
}

/**
 * Legend entries placed left to right, wrapping to a new line when the next would not fit.
 * entries: [{label}] -> [{x, y, row}] (x from `left`, rows `lineHeight` apart from 0).
 */
export function legendLayout(labels, { left, width, swatch = 18, gap = 16, lineHeight = 20, px = 12 }) {
  const out = [];
  let x = left;
  let row = 0;
  for (const label of labels) {
    const w = swatch + textWidth(label, px);
    if (x > left && x + w > left + width) {
      row += 1;
      x = left;
    }
    out.push({ x, y: row * lineHeight, row, width: w });
    x += w + gap;
  }
  return out;
}

/** The days to draw: from the first day with data (or the first filter day) to the end. */
export function fitDays(days, totals) {
  const first = totals.findIndex((n) => n > 0);
  if (first <= 0) return { days, from: 0 };
  return { days: days.slice(first), from: first };
}
