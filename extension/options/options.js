"use strict";

const { constants: K, platform: P } = globalThis.LinkTriage;
const DEFAULT_PORT = K.DEFAULT_PORT;
const t = P.i18n.t;
for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
document.getElementById("port-help").textContent = t("portHelp", [String(DEFAULT_PORT)]);
document.title = t("optionsTitle");

const input = document.getElementById("port");
const message = document.getElementById("message");

P.storage.get("port").then(({ port }) => {
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
  await P.storage.set({ port }); // the service worker listens and retries the queue on the new port
  message.textContent = t("saved");
  message.className = "";
});
