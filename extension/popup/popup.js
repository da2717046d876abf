/* Popup: helper status, queue, this note's numbers, CSV export, dashboard link. All helper traffic goes
 * through the service worker (the one helper client). */
"use strict";

const P = globalThis.LinkTriage.platform;
const R = globalThis.LinkTriage.roleRefusal;
const t = P.i18n.t;
const $ = (id) => document.getElementById(id);

for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
document.documentElement.lang = P.i18n.uiLanguage();

function send(message) {
  return P.runtime.sendMessage(message).catch((err) => ({ ok: false, error: String(err) }));
}

async function tabState(tab) {
  // Both sites: the Chinese one and the international one (same pages, same code).
  if (!tab || !tab.url || !/^https:\/\/www\.(xiaohongshu|rednote)\.com\//.test(tab.url)) return null;
  try {
    return await P.tabs.sendMessage(tab.id, { type: "linktriage:tab-state" });
  } catch (_) {
    return null;
  }
}

function statusText(s) {
  const port = String(s.port);
  switch (s.state) {
    case "offline": return t("statusOffline", [port]);
    case "foreign": return t("statusForeign", [port]);
    case "pairing": return t("statusPairing");
    case "pairing-refused": return t("statusPairingRefused");
    case "paired": return t("statusPaired") + (s.version ? ` · v${s.version}` : "");
    default: return t("statusError", [String(s.error || s.state)]);
  }
}

let lastStatus = null;

function renderStatus(status) {
  if (!status || !status.state) {
    // The service worker did not answer: we do not know, so say so rather than show stale numbers.
    $("status").textContent = t("statusChecking");
    $("status").dataset.state = "checking";
    return;
  }
  lastStatus = status;
  $("status").textContent = statusText(status);
  $("status").dataset.state = status.state;
  $("queued").textContent = String(status.queued);
  $("retry").hidden = !status.queued;
  $("dropped").hidden = !status.dropped;
  $("dropped-text").textContent = t("droppedWarning", [String(status.dropped)]);
  // Team mode: what the helper operator's role refused last ("Your role (viewer) cannot change statuses").
  const notice = R.isNotice(status.roleNotice) ? status.roleNotice : null;
  $("role-notice").hidden = !notice;
  $("role-notice-text").textContent = notice ? R.text(notice, t) : "";
  $("rejected").hidden = !status.rejected;
  $("rejected-text").textContent = t("rejectedWarning", [String(status.rejected)]);
  $("dashboard").href = status.dashboard;
}

async function renderSetAside() {
  if ($("rejected").hidden) return;
  const reply = await send({ type: "linktriage:set-aside" });
  const list = $("rejected-list");
  const items = reply && reply.ok ? reply.items : [];
  list.replaceChildren(
    ...items.map((r) => {
      const li = document.createElement("li");
      const what = r.kind === "comments" ? `${r.note ? r.note + ": " : ""}“${r.text}”${r.count > 1 ? ` (+${r.count - 1})` : ""}` : `${r.kind} ${r.text}`;
      li.append(document.createTextNode(what + " — "));
      const reason = document.createElement("span");
      reason.className = "reason";
      reason.textContent = r.reason;
      li.append(reason);
      return li;
    }),
  );
}

async function renderNote(status) {
  const tab = await P.tabs.active(); // the popup is not a tab: the browser window's active tab
  const state = await tabState(tab);
  if (state && state.notice) {
    $("note-counts").textContent = t("noticeCounts", [String(state.notice.comments), String(state.notice.notes)]);
    $("coverage").hidden = true;
    $("export").disabled = true;
    return;
  }
  if (!state || !state.noteId) {
    $("note-counts").textContent = t("notOnNote");
    $("coverage").hidden = true;
    $("export").disabled = true;
    return;
  }
  // The tab only knows the verdicts it was sent: unless the helper answers, the number of requests is unknown.
  let requests = null;
  let storedCount = null;
  if (status && status.state === "paired") {
    const fromHelper = await send({ type: "linktriage:note-requests", noteId: state.noteId });
    if (fromHelper && fromHelper.ok && typeof fromHelper.total === "number") requests = fromHelper.total;
    if (fromHelper && fromHelper.ok && typeof fromHelper.captured === "number") storedCount = fromHelper.captured;
  }
  renderCoverage(state.coverage, storedCount);
  $("note-counts").textContent =
    requests === null ? t("noteCountsUnknown", [String(state.captured)]) : t("noteCounts", [String(state.captured), String(requests)]);
  $("export").disabled = !(status && status.state === "paired");
  $("export").dataset.noteId = state.noteId;
}

/** "42 of 57 comments captured · 3 threads not expanded — scroll and click 展开 to load them": the tab's
 * view of the note, or the helper's count of stored comments when larger (earlier visits). */
function renderCoverage(cov, storedCount) {
  const el = $("coverage");
  if (!cov) {
    el.hidden = true;
    return;
  }
  const captured = Math.max(cov.captured, storedCount || 0);
  const parts = [cov.commentCount === null ? t("coverageUnknownTotal") : t("coverageCounts", [String(Math.min(captured, cov.commentCount)), String(cov.commentCount)])];
  if (cov.unexpanded) parts.push(t("coverageThreads", [String(cov.unexpanded)]));
  el.textContent = parts.join(" · ");
  el.hidden = false;
}

let refreshing = null;
let refreshAgain = false;

/** Ask the service worker (health check + pairing check + last delivery) and the tab again. One at a time;
 * a request while one runs makes it run once more. */
async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      const status = await send({ type: "linktriage:status" });
      renderStatus(status);
      await renderSetAside();
      await renderNote(status && status.state ? status : null);
    } while (refreshAgain);
  })().finally(() => (refreshing = null));
  return refreshing;
}

// Live: what the service worker writes (queue items, its status, the set-aside list) shows at once, and
// the helper is checked again every few seconds while the popup is open.
let changeTimer = null;
P.storage.onChanged((changes) => {
  const relevant = Object.keys(changes).some((k) => k.startsWith("q:") || k === "qmeta" || k === "helperStatus" || k === "rejected" || k === "roleNotice");
  if (!relevant || changeTimer) return;
  changeTimer = setTimeout(() => {
    changeTimer = null;
    refresh();
  }, 300);
});
setInterval(refresh, 3000);

$("export").addEventListener("click", async () => {
  const noteId = $("export").dataset.noteId;
  $("export-error").hidden = true;
  const reply = await send({ type: "linktriage:export", noteId });
  if (!reply || !reply.ok) {
    $("export-error").hidden = false;
    $("export-error").textContent = t("exportFailed", [String((reply && reply.error) || "?")]);
    return;
  }
  const url = URL.createObjectURL(new Blob([reply.csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `linktriage-${noteId}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});

$("retry").addEventListener("click", async () => {
  const button = $("retry");
  const result = $("retry-result");
  button.disabled = true;
  result.hidden = false;
  result.textContent = t("sending");
  const reply = await send({ type: "linktriage:retry-now" });
  button.disabled = false;
  if (reply && reply.ok && !reply.queued) {
    result.textContent = t("sendResult", [String(reply.delivered), "0"]);
  } else if (reply && reply.ok) {
    const why = reply.state === "paired" ? String(reply.delivered) + "/" + String(reply.delivered + reply.queued) : statusText({ ...lastStatus, state: reply.state, error: reply.error });
    result.textContent = reply.delivered ? t("sendResult", [String(reply.delivered), String(reply.queued)]) : t("sendFailed", [why, String(reply.queued)]);
  } else {
    result.textContent = t("sendFailed", [String((reply && reply.error) || "?"), "?"]);
  }
  refresh();
});

$("clear-rejected").addEventListener("click", async () => {
  await send({ type: "linktriage:clear-set-aside" });
  refresh();
});

$("dismiss").addEventListener("click", async () => {
  await send({ type: "linktriage:clear-warning" });
  refresh();
});

$("dismiss-notice").addEventListener("click", async () => {
  await send({ type: "linktriage:clear-notice" });
  refresh();
});

$("dashboard").addEventListener("click", (event) => {
  event.preventDefault();
  P.tabs.open($("dashboard").href);
});

refresh();
