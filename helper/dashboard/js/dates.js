// Dates and times as the dashboard shows and sends them. Pure (no DOM, no fetch): node:test checks
// them (tests/js/dashboard-dates.test.js).

const pad = (n) => String(n).padStart(2, "0");

/** A date input's YYYY-MM-DD as the UTC instant of that local midnight (+days), for since/until. */
export function localDayStart(value, days = 0) {
  if (!value) return "";
  const [y, m, d] = value.split("-").map(Number);
  const start = new Date(y, m - 1, d + days);
  return Number.isNaN(start.getTime()) ? "" : start.toISOString();
}

/** 2026-11-24 in the local time of `date` (default now), for file names. */
export function dayStamp(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** An API time (ISO 8601 text, or epoch ms) in the browser's locale; what cannot be read stays as given. */
export function formatTime(value) {
  if (!value) return "";
  const d = new Date(typeof value === "number" ? value : String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(undefined, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

/** When the comment was written (captured, when the site gave no time): the API's created_at may be null. */
export const writtenAt = (item) => item.created_at || item.captured_at;

/** Hours since the comment was written. */
export function ageHours(item, now = Date.now()) {
  const when = Date.parse(writtenAt(item) || "");
  if (Number.isNaN(when)) return null;
  return Math.max(0, (now - when) / 3_600_000);
}

/** Is this a new comment that has waited `hours` or longer (the inbox's "waiting" view)? */
export function isWaiting(item, hours, now = Date.now()) {
  const age = ageHours(item, now);
  return item.status === "new" && age !== null && age >= hours;
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
