// Live updates (team mode, issue 14): the helper streams what changed in the store (GET /api/events,
// Server-Sent Events: another operator's status change, correction or claim, comments the extension or
// the CLI stored, a product change) and the shown view is read again, keeping the row the operator is on
// (a view's refresh() if it has one -- the lists re-read when none of their own saves is in flight --
// else its show(); both keep the focused row). A small indicator in the top bar says whether the
// page is live.
//
// The stream is read with fetch(), not EventSource: EventSource cannot send headers, and the dashboard's
// token goes in X-LinkTriage-Token as on every other call, never in a URL (logs, history). A lost stream
// is opened again with backoff; while it is down the dashboard works as it always did (views are read
// when shown and after each action). A refresh waits while the operator types (a reply, a filter), acts
// (keys and clicks within the last second), has a dialog open, or the page is hidden.
//
// The pure part (parseEvents, affects, backoffMs) has node units in tests/js/dashboard-live.test.js.

import { ACCOUNT_KEY } from "./filter-query.js";

/** Which views a table's changes show in ("comment": every view that lists or counts comments; "activity":
 * the events of status changes, corrections, claims and fills are written with their comment, and its
 * refresh() adds the new events at the top, keeping the pages loaded). */
export const VIEWS_OF = {
  comment: ["inbox", "comments", "insights", "teach", "coverage", "activity"],
  product: ["products", "inbox", "comments"],
};

/**
 * Split a text/event-stream chunk sequence: `buffer` is what arrived so far (after the previous call's
 * rest). Returns complete events [{event, data}] (data parsed as JSON when it is) and the unfinished rest.
 * Comment lines (": ping") and retry: / id: fields are skipped.
 */
export function parseEvents(buffer) {
  const events = [];
  const text = buffer.replace(/\r\n?/g, "\n");
  const blocks = text.split("\n\n");
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (!data.length) continue;
    const raw = data.join("\n");
    let parsed = raw;
    try {
      parsed = JSON.parse(raw);
    } catch (_) {
      /* not JSON: keep the text */
    }
    events.push({ event, data: parsed });
  }
  return { events, rest };
}

/**
 * Does a change event concern `view` as it shows `account` ("" = all accounts)? A null list means "could
 * be anything" (SQLite's detector, a burst too large to list): yes. A shared product (account null) is
 * every account's.
 */
export function affects(change, view, account) {
  if (!change) return false;
  const tables = change.tables;
  if (tables && !tables.some((table) => (VIEWS_OF[table] || []).includes(view))) return false;
  if (!tables && !Object.values(VIEWS_OF).some((views) => views.includes(view))) return false;
  if (!account || !change.accounts) return true;
  return change.accounts.some((a) => a === null || a === account);
}

/** How long to wait before reconnecting after `attempt` failures in a row (1 s, 2 s, 4 s ... 30 s). */
export function backoffMs(attempt, retryAfterS = 0) {
  const wait = Math.min(30000, 1000 * 2 ** Math.max(0, attempt));
  return Math.max(wait, retryAfterS * 1000);
}

// -- the platform part: the stream, the indicator, refreshing ------------------------------------------
const LABELS = {
  zh: { live: "实时", connecting: "连接中", off: "未实时", liveTitle: "其他同事的改动会自动显示", offTitle: "实时更新已断开；切换页面时仍会刷新" },
  en: { live: "Live", connecting: "Connecting", off: "Not live", liveTitle: "Changes by others show here by themselves", offTitle: "Live updates are off; views still refresh when shown" },
};
const SILENCE_MS = 45000; // the helper sends a comment every 15 s: this long without a byte means a dead stream
const REFRESH_DELAY_MS = 300; // a burst of events is one refresh
const QUIET_MS = 1000; // no re-read within this long after the operator's last key, click or input

const TOKEN = () => document.querySelector('meta[name="linktriage-token"]')?.content || "";

/**
 * Start the stream. `current()`: the name of the view shown; `refresh()`: read it again (keeping focus),
 * when the view finds it safe.
 * The account the page shows is the remembered one (api.js reads the same; "" = all accounts).
 */
export function startLive({ current, refresh }) {
  const account = localStorage.getItem(ACCOUNT_KEY) || "";
  const indicator = document.createElement("span");
  indicator.id = "live-indicator";
  indicator.className = "live-indicator";
  indicator.setAttribute("role", "status");
  document.querySelector(".topbar-tools")?.prepend(indicator);

  let state = "connecting";
  let attempt = 0;
  let connectedOnce = false;
  let pending = null;

  function label() {
    const words = document.documentElement.lang === "en" ? LABELS.en : LABELS.zh;
    indicator.dataset.state = state;
    indicator.textContent = words[state];
    indicator.title = state === "live" ? words.liveTitle : words.offTitle;
  }
  function setState(next) {
    state = next;
    label();
  }
  new MutationObserver(label).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  label();

  // The operator acting now (keys, clicks: a burst of "r" presses) is never interrupted by a re-read:
  // it waits until she pauses for QUIET_MS (her own actions re-read the view after a burst anyway).
  let lastInput = 0;
  for (const type of ["keydown", "pointerdown", "input"]) {
    document.addEventListener(type, () => (lastInput = Date.now()), true);
  }
  const busy = () => {
    const el = document.activeElement;
    const typing = el && el !== document.body && ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
    const acting = Date.now() - lastInput < QUIET_MS;
    return typing || acting || document.hidden || Boolean(document.querySelector("dialog[open]"));
  };

  function refreshSoon() {
    if (pending) return;
    pending = setTimeout(function run() {
      if (busy()) {
        pending = setTimeout(run, 250);
        return;
      }
      pending = null;
      document.body.dataset.liveRefreshes = String(Number(document.body.dataset.liveRefreshes || 0) + 1);
      refresh();
    }, REFRESH_DELAY_MS);
  }
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && pending) {
      clearTimeout(pending);
      pending = null;
      refreshSoon();
    }
  });

  function handle({ event, data }) {
    if (event === "hello") {
      attempt = 0;
      setState(data && data.live ? "live" : "connecting");
      if (connectedOnce) refreshSoon(); // what changed while we were away was not told
      connectedOnce = true;
    } else if (event === "status") {
      setState(data && data.live ? "live" : "off");
    } else if (event === "resync") {
      refreshSoon();
    } else if (event === "change") {
      if (affects(data, current(), account)) refreshSoon();
    }
  }

  async function connect() {
    const controller = new AbortController();
    let watchdog = null;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    let retryAfter = 0;
    try {
      arm();
      const response = await fetch("/api/events", {
        headers: { "X-LinkTriage-Token": TOKEN(), Accept: "text/event-stream" },
        credentials: "same-origin",
        cache: "no-store",
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        retryAfter = Number(response.headers.get("Retry-After")) || 0;
        throw new Error(`live stream: ${response.status}`);
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        buffer += decoder.decode(value, { stream: true });
        const parsed = parseEvents(buffer);
        buffer = parsed.rest;
        parsed.events.forEach(handle);
      }
    } catch (_) {
      /* offline, refused, aborted: try again below */
    } finally {
      clearTimeout(watchdog);
    }
    setState("off");
    setTimeout(connect, backoffMs(attempt++, retryAfter));
  }

  connect();
  return { state: () => state };
}
