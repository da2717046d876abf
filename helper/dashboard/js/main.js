// Entry point: tabs (by location.hash), language toggle, help dialog, keyboard shortcuts.

import { applyStatic, getLang, setLang } from "./i18n.js";
import { bindKeys } from "./keys.js";
import { createList } from "./list.js";
import { createProducts } from "./products.js";
import { createInsights } from "./insights.js";
import { createPairing } from "./pairing.js";

const section = (name) => document.getElementById(`view-${name}`);
const views = {
  inbox: createList(section("inbox"), "inbox"),
  comments: createList(section("comments"), "comments"),
  products: createProducts(section("products")),
  insights: createInsights(section("insights")),
  pairing: createPairing(section("pairing")),
};
let current = null;

function show(name) {
  if (!views[name]) name = "inbox";
  current = name;
  for (const key of Object.keys(views)) section(key).hidden = key !== name;
  for (const tab of document.querySelectorAll("[data-view]")) {
    tab.classList.toggle("active", tab.dataset.view === name);
    if (tab.dataset.view === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  views[name].show();
}

const helpDialog = document.getElementById("help-dialog");
const openHelp = () => helpDialog.open || helpDialog.showModal();

document.getElementById("help-button").addEventListener("click", openHelp);
document.getElementById("lang-toggle").addEventListener("click", () => {
  setLang(getLang() === "zh" ? "en" : "zh");
  applyStatic();
  views[current].render();
});
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
bindKeys(() => (current === "inbox" || current === "comments" ? views[current].actions : null), openHelp);

applyStatic();
show(location.hash.slice(1) || "inbox");
