// Claims (team mode): pure helpers (no DOM, no fetch). An operator who opens a request claims it
// (POST /api/comments/<id>/claim) so two operators never answer the same buyer; another operator's row
// says "Ana is on it" and the dashboard does not fill or answer it. `me` is who this helper claims as
// (GET /api/inbox answers it); times are the API's ISO strings and Date.now() milliseconds.

export const RENEW_BEFORE_MS = 60 * 1000; // a claim of mine with less left than this is renewed on opening

/** Who else holds `item` now: the operator's name, or null (no one, me, or a claim that lapsed). */
export function claimHolder(item, me, now) {
  if (!item || !item.claimed_by || item.claimed_by === me) return null;
  const until = item.claimed_until ? Date.parse(item.claimed_until) : NaN;
  if (!Number.isNaN(until) && until <= now) return null;
  return item.claimed_by;
}

/** Should opening `item` claim it? A new request that is not mine for at least RENEW_BEFORE_MS more
 * (one another operator seems to hold is asked too: the helper says who holds it now). */
export function needsClaim(item, me, now) {
  if (!item || !item.is_request || item.status !== "new") return false;
  if (me && item.claimed_by === me && item.claimed_until) {
    return Date.parse(item.claimed_until) - now < RENEW_BEFORE_MS;
  }
  return true;
}

/** The row's claim fields after the helper answered a claim: its comment (200) or the holder (409). */
export function claimFields(answer) {
  return { claimed_by: answer?.claimed_by ?? null, claimed_until: answer?.claimed_until ?? null };
}

/**
 * A live re-read of the "new" view (which leaves out requests other operators hold) must not pull the row the
 * operator is on from under her because someone claimed it meanwhile. `items`: the view's page as read;
 * `wider`: the same page read with claimed=1 (others' claims in it); `key`: the row she is on. Returns `items`
 * with that row put back where it stands in `wider`, when another operator holds it now; otherwise `items`
 * unchanged (it is there already, or it left the view for another reason: answered, ignored, gone).
 */
export function keepHeldRow(items, wider, key, me, now, keyOf = (item) => String(item.id)) {
  if (items.some((item) => keyOf(item) === key)) return items;
  const at = (wider || []).findIndex((item) => keyOf(item) === key);
  if (at < 0 || !claimHolder(wider[at], me, now)) return items;
  const before = new Set(wider.slice(0, at).map(keyOf));
  let pos = items.findIndex((item) => !before.has(keyOf(item)));
  if (pos < 0) pos = items.length;
  return [...items.slice(0, pos), wider[at], ...items.slice(pos)];
}
