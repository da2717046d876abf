// The activity tab (team mode, issue 14): pure helpers (no DOM, no fetch, no i18n import). What
// GET /api/audit is asked (filters + keyset page), what one event says (a string key and its values,
// which activity.js translates), and how pages join. node:test checks them (tests/js/dashboard-activity.test.js).

export const ACTIONS = ["status", "correction", "claim", "release", "reply_fill", "export", "role"];
export const ROLES = ["owner", "agent", "viewer"];
export const PAGE_SIZE = 50;

/** The query of one page: the set filters, `before` for a following page (keyset), the page size, `after`
 * for only the events newer than that id (a live update: what came since the newest shown). An account of
 * "" is sent as such only when chosen here (null: the top bar's account applies). */
export function auditQuery(filters = {}, before = null, limit = PAGE_SIZE, after = null) {
  const params = { limit };
  for (const key of ["operator", "action"]) if (filters[key]) params[key] = filters[key];
  if (typeof filters.account === "string") params.account = filters.account;
  if (before) params.before = before;
  if (after) params.after = after;
  return params;
}

/** [i18n key, values] for the sentence that says what an event did. */
export function eventSummary(event) {
  const d = (event && event.detail) || {};
  switch (event && event.action) {
    case "status":
      return [d.bulk ? "activity.statusBulk" : "activity.status", { from: d.from ?? "", to: d.to ?? "" }];
    case "correction":
      if (d.to === "missed") return ["activity.correctionMissed", {}];
      if (d.to === "not_request") return ["activity.correctionNot", {}];
      return ["activity.correctionCleared", {}];
    case "claim":
      return ["activity.claim", {}];
    case "release":
      return ["activity.release", {}];
    case "reply_fill":
      return ["activity.fill", {}];
    case "export": {
      const what = d.what === "insights" ? "activity.what.insights" : "activity.what.comments";
      if (d.rows === null || d.rows === undefined) return ["activity.exportRunning", { what }];
      return [d.complete === false ? "activity.exportStopped" : "activity.export", { what, rows: d.rows }];
    }
    case "role":
      if (!d.from) return ["activity.roleJoined", { name: d.name ?? "", to: d.to ?? "" }];
      return ["activity.roleChange", { name: d.name ?? "", from: d.from, to: d.to ?? "" }];
    default:
      return ["activity.other", { action: (event && event.action) || "" }];
  }
}

/** The events shown after another page came: the old ones, then the page's that are not there yet. */
export function appendPage(items, page) {
  const seen = new Set(items.map((e) => e.id));
  return [...items, ...((page && page.items) || []).filter((e) => !seen.has(e.id))];
}

/** The id of the newest event shown (ids grow with time), or null when none is. */
export function newestId(items) {
  let newest = null;
  for (const e of items || []) if (e && Number.isFinite(e.id) && (newest === null || e.id > newest)) newest = e.id;
  return newest;
}

/** The events shown after a live update: the ones that came since (`newer`, newest first, as GET /api/audit
 * ?after= pages them), then every one shown before -- the pages loaded stay; none is shown twice. */
export function prependEvents(items, newer) {
  const seen = new Set((items || []).map((e) => e.id));
  const fresh = [];
  for (const e of newer || []) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    fresh.push(e);
  }
  fresh.sort((a, b) => b.id - a.id);
  return [...fresh, ...(items || [])];
}

/** May this helper's operator manage roles? (GET /api/operators' `me`.) */
export const managesRoles = (me) => Boolean(me && me.role === "owner");
