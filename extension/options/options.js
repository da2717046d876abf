"use strict";

const DEFAULT_PORT = globalThis.LinkTriage.constants.DEFAULT_PORT;
const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
document.getElementById("port-help").textContent = t("portHelp", [String(DEFAULT_PORT)]);
document.title = t("optionsTitle");

const input = document.getElementById("port");
const message = document.getElementById("message");

chrome.storage.local.get("port").then(({ port }) => {
  input.value = String(port || DEFAULT_PORT);
});

document.getElementById("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const port = Number(input.value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    message.textContent = t("invalidPort");
    message.className = "error";
    return;
  }
  await chrome.storage.local.set({ port }); // the service worker listens and retries the queue on the new port
  message.textContent = t("saved");
  message.className = "";
});
