/* Popup: helper status, queue, this note's numbers, CSV export, dashboard link. All helper traffic goes
 * through the service worker (the one helper client). */
"use strict";

const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
const $ = (id) => document.getElementById(id);

for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
document.documentElement.lang = chrome.i18n.getUILanguage();

function send(message) {
  return chrome.runtime.sendMessage(message).catch((err) => ({ ok: false, error: String(err) }));
}

/** The tab the creator is looking at: the active tab of the last focused browser window (the popup is
 * not a tab; opened as a window of its own it must still find the browser window's tab). */
async function activeTab() {
  try {
    const win = await chrome.windows.getLastFocused({ windowTypes: ["normal"] });
    const [tab] = await chrome.tabs.query({ active: true, windowId: win.id });
    if (tab) return tab;
  } catch (_) {
    /* no normal window */
  }
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab || null;
}

async function tabState(tab) {
  if (!tab || !tab.url || !tab.url.startsWith("https://www.xiaohongshu.com/")) return null;
  try {
    return await chrome.tabs.sendMessage(tab.id, { type: "linktriage:tab-state" }, { frameId: 0 });
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

async function refresh() {
  const status = await send({ type: "linktriage:status" });
  if (status && status.state) {
    $("status").textContent = statusText(status);
    $("status").dataset.state = status.state;
    $("queued").textContent = String(status.queued);
    $("retry").hidden = !status.queued;
    $("dropped").hidden = !status.dropped;
    $("dropped-text").textContent = t("droppedWarning", [String(status.dropped)]);
    $("rejected").hidden = !status.rejected;
    $("rejected").textContent = t("rejectedWarning", [String(status.rejected)]);
    $("dashboard").href = status.dashboard;
  }

  const tab = await activeTab();
  const state = await tabState(tab);
  if (!state || !state.noteId) {
    $("note-counts").textContent = t("notOnNote");
    $("export").disabled = true;
    return;
  }
  let requests = state.requests;
  if (status && status.state === "paired") {
    const fromHelper = await send({ type: "linktriage:note-requests", noteId: state.noteId });
    if (fromHelper && fromHelper.ok && typeof fromHelper.total === "number") requests = fromHelper.total;
  }
  $("note-counts").textContent = t("noteCounts", [String(state.captured), String(requests)]);
  $("export").disabled = false;
  $("export").dataset.noteId = state.noteId;
}

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
  await send({ type: "linktriage:retry-now" });
  refresh();
});

$("dismiss").addEventListener("click", async () => {
  await send({ type: "linktriage:clear-warning" });
  refresh();
});

$("dashboard").addEventListener("click", (event) => {
  event.preventDefault();
  chrome.tabs.create({ url: $("dashboard").href });
});

refresh();
