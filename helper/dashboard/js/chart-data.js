// The numbers behind the insights charts and table: axis scale, which series are kept, colours,
// legend placement, week-over-week change. Pure (no DOM): chart.js draws with them, node:test checks
// them (tests/js/dashboard-charts.test.js).

export const PALETTE = ["#d9480f", "#1971c2", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#e64980", "#5c940d", "#7048e8", "#a61e4d", "#1098ad", "#e8590c"];
export const OTHER_COLOR = "#adb5bd";
export const UNKNOWN_COLOR = "#ced4da"; // "product unknown" is not a product: grey, never the brand colour

/** An axis maximum with four whole-number ticks: 4 × a "nice" step (1, 2, 5 × 10^n). */
export function niceMax(value) {
  const raw = Math.max(1, value / 4);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return 4 * Math.max(1, step * power);
  return 40 * power;
}

/**
 * Keep the `limit` largest series; fold the rest into one "other" series. A series that brings its
 * own colour (e.g. "product unknown" in grey) keeps it, takes no palette colour and is drawn last
 * (on top of the stack), after "other".
 */
export function topSeries(series, limit, otherName) {
  const sorted = [...series].sort((a, b) => b.total - a.total);
  const fixed = sorted.filter((s) => s.color);
  const plain = sorted.filter((s) => !s.color);
  const room = Math.max(0, limit - fixed.length);
  const kept = plain.slice(0, room).map((s, i) => ({ ...s, color: PALETTE[i % PALETTE.length] }));
  const rest = plain.slice(room);
  if (rest.length) {
    const counts = rest[0].counts.map((_, day) => rest.reduce((sum, s) => sum + (s.counts[day] || 0), 0));
    kept.push({ name: otherName, counts, total: rest.reduce((sum, s) => sum + s.total, 0), color: OTHER_COLOR });
  }
  return [...kept, ...fixed];
}

/** Rough width of a label in px at 12 px: CJK and full-width characters count double. */
export function textWidth(text, px = 12) {
  let units = 0;
  for (const ch of String(text)) units += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 1 : 0.6;
  return units * px;
}

/** A legend entry: the series name (cut at 40 characters) and its total. */
export function legendLabel(series) {
  const name = series.name.length > 40 ? `${series.name.slice(0, 39)}…` : series.name;
  return `${name} (${series.total})`;
}

/**
 * Legend entries placed left to right, wrapping to a new line when the next would not fit.
 * labels: [text] -> [{x, y, row, width}] (x from `left`, rows `lineHeight` apart from 0).
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

/**
 * The rows of the chart and the table from GET /api/insights, grouped by "product" or "note":
 * [{key, name, counts, total, unanswered, change, color?}]. The product the model could not name
 * ("") is called `unknownName`, drawn grey, and has no week change.
 */
export function insightRows(data, groupBy, unknownName) {
  if (groupBy === "note") {
    return data.notes.map((n) => ({ key: n.note_id, name: n.title || n.note_id, counts: n.per_day, total: n.total, unanswered: n.unanswered, change: weekOverWeek(n.per_day) }));
  }
  return data.products.map((p) => ({
    key: p.name,
    name: p.name || unknownName,
    counts: p.per_day,
    total: p.total,
    unanswered: p.unanswered,
    change: p.name ? weekOverWeek(p.per_day) : null,
    ...(p.name ? {} : { color: UNKNOWN_COLOR }),
  }));
}

/** "落地灯 +40 %，地毯 −10 %": the (at most 3) rows whose week changed the most, among rows with 3+ requests. */
export function movers(rows) {
  return rows
    .filter((r) => r.change !== null && r.total >= 3)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
    .slice(0, 3)
    .map((r) => `${r.name} ${formatChange(r.change)}`)
    .join("，");
}
