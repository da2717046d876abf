// What the tabs' filters send to the helper: the remembered filters, the instants for since/until,
// the query string, the export's parameters and file name, and the note / product select options.
// Pure (no DOM, no fetch): filters.js builds the controls with it, api.js the URLs; node:test checks
// it (tests/js/dashboard-filters.test.js).

import { dayStamp, localDayStart } from "./dates.js";
import { viewStatus } from "./triage.js";

/** The list filters (GET /api/inbox and /api/export.csv); insights take all but `q`. */
export const LIST_FILTERS = ["note_id", "product", "since", "until", "q"];
export const INSIGHTS_FILTERS = ["note_id", "product", "since", "until"];

/** Filters remembered as JSON text (localStorage): each of `keys` as a string, "" when unset or unreadable. */
export function readSavedFilters(text, keys) {
  let saved = {};
  try {
    saved = JSON.parse(text || "{}") || {};
  } catch (_) {
    /* unreadable: start with all */
  }
  return Object.fromEntries(keys.map((k) => [k, typeof saved[k] === "string" ? saved[k] : ""]));
}

export const filtersActive = (filters) => Object.values(filters).some(Boolean);

/** The filters as the helper takes them: "since" is the chosen day's local midnight, "until" includes its whole day. */
export function serverFilters(filters) {
  return { ...filters, since: localDayStart(filters.since), until: localDayStart(filters.until, 1) };
}

/** "?a=1&b=x" from an object; empty, null and undefined values are left out ("" when nothing is left). */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== "" && value !== null && value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** linktriage-<kind>-2026-11-24.<ext> (local date). */
export function exportName(kind, ext = "csv", date = new Date()) {
  return `linktriage-${kind}-${dayStamp(date)}.${ext}`;
}

/**
 * GET /api/export.csv for a list: {params, file}. `all`: every comment, unfiltered; otherwise the
 * list's filters and view (requests only in the inbox, every comment in the all-comments list).
 */
export function listExport({ mode, view, filters, all = false, date = new Date() }) {
  const params = all ? { all: 1 } : { ...serverFilters(filters), status: viewStatus(view) ?? "", all: mode === "comments" ? 1 : "" };
  return { params, file: exportName(all || mode === "comments" ? "comments" : "requests", "csv", date) };
}

/** note_id -> title, from GET /api/notes items ("" when the note has no title yet). */
export function noteTitles(notes) {
  return new Map(notes.map((n) => [n.note_id, n.title || ""]));
}

/** [value, label] options of the note select: the title (the id when untitled), with the unanswered count if asked. */
export const noteOptions = (notes, withCounts = false) =>
  notes.map((n) => {
    const label = n.title || n.note_id;
    return [n.note_id, withCounts && n.unanswered ? `${label} (${n.unanswered})` : label];
  });
export const productOptions = (products) => products.map((p) => [p.name, p.name]);

/** The filters without a remembered note or product that is gone (it would filter to nothing behind "all"). */
export function keepKnownFilters(filters, notes, products) {
  const known = { note_id: new Set(notes.map((n) => n.note_id)), product: new Set(products.map((p) => p.name)) };
  const out = { ...filters };
  for (const [key, values] of Object.entries(known)) if (out[key] && !values.has(out[key])) out[key] = "";
  return out;
}

// -- Accounts (team mode, issue 14) -------------------------------------------------------------
// One creator account (a note author's id) or all of them ("") filters every tab: the helper's GETs
// below take `account`; the switcher shows only when there is more than one account.

/** Where the chosen account is remembered (localStorage), like the other filters. */
export const ACCOUNT_KEY = "linktriage.account";

/** The GET endpoints that filter by account (listings, inbox, insights, exports, notes, teach, catalog, coverage, activity). */
export const ACCOUNT_PATHS = [
  "/api/inbox", "/api/comments", "/api/requests", "/api/export.csv", "/api/insights", "/api/insights.csv",
  "/api/notes", "/api/teach/next", "/api/products", "/api/coverage", "/api/audit",
];

/** The GET parameters with the chosen account added, for the paths that take one (an explicit `account` wins). */
export function withAccount(path, params, account) {
  if (!account || !ACCOUNT_PATHS.includes(path) || (params && "account" in params)) return params;
  return { ...(params || {}), account };
}

/** Is there a choice to make? Only with more than one account. */
export const showAccountSwitcher = (accounts) => Array.isArray(accounts) && accounts.length > 1;

/** The remembered account if it is still one of several listed, else "" (all accounts): a gone or only account filters nothing away. */
export function keepKnownAccount(saved, accounts) {
  if (!saved || !showAccountSwitcher(accounts)) return "";
  return accounts.some((a) => a.id === saved) ? saved : "";
}

/** [value, label] options of the account switcher: the author's name (the id when unknown), with the unanswered count. */
export const accountOptions = (accounts) =>
  accounts.map((a) => {
    const label = a.name || a.id;
    return [a.id, a.unanswered ? `${label} (${a.unanswered})` : label];
  });
