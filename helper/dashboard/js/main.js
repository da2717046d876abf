// Entry point: the tabs (data-driven: add a view by adding an entry to TABS), the language toggle,
// the help dialog (built from the shortcut table) and the keyboard shortcuts.

import { applyStatic, getLang, setLang, t } from "./i18n.js";
import { h, clear } from "./dom.js";
import { bindKeys } from "./keys.js";
import { createList } from "./list.js";
import { createProducts } from "./products.js";
import { createInsights } from "./insights.js";
import { createPairing } from "./pairing.js";
import { createTeach } from "./teach.js";
import { createCoverage } from "./coverage.js";
import { createActivity } from "./activity.js";
import { createAccountSwitcher, renderAccountSwitcher } from "./account.js";
import { startLive } from "./live.js";

const nav = document.querySelector("nav.tabs");
const main = document.querySelector("main");

function setTabCount(name, count) {
  const badge = nav.querySelector(`[data-view="${name}"] .count`);
  if (badge) badge.textContent = count ? String(count) : "";
}

// One entry per tab, in order: name (the #hash), its label key, and how to build its view.
// A view is {show(), render(), hide?(), actions?} — actions make the keyboard shortcuts work on it.
const TABS = [
  { name: "inbox", label: "nav.inbox", create: (root) => createList(root, "inbox", { onCounts: (c) => setTabCount("inbox", c && c.new) }) },
  { name: "comments", label: "nav.comments", create: (root) => createList(root, "comments") },
  { name: "products", label: "nav.products", create: createProducts },
  { name: "insights", label: "nav.insights", create: createInsights },
  { name: "teach", label: "nav.teach", create: createTeach },
  { name: "coverage", label: "nav.coverage", create: createCoverage },
  { name: "activity", label: "nav.activity", create: createActivity },
  { name: "pairing", label: "nav.pairing", create: createPairing },
];

const views = {};
for (const tab of TABS) {
  const section = h("section", { id: `view-${tab.name}`, class: "view", hidden: true });
  main.append(section);
  nav.append(h("a", { href: `#${tab.name}`, "data-view": tab.name }, h("span", { class: "label", "data-i18n": tab.label }), h("span", { class: "count" })));
  views[tab.name] = tab.create(section);
}
let current = null;

function show(name) {
  if (!views[name]) name = TABS[0].name;
  if (current && current !== name && views[current].hide) views[current].hide();
  current = name;
  for (const key of Object.keys(views)) document.getElementById(`view-${key}`).hidden = key !== name;
  for (const tab of nav.querySelectorAll("[data-view]")) {
    tab.classList.toggle("active", tab.dataset.view === name);
    if (tab.dataset.view === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  views[name].show();
}

// The help lists every shortcut (keys.js SHORTCUTS, grouped as shown here).
const HELP = [
  ["j / k", "help.j"], ["r", "help.r"], ["i", "help.i"], ["n", "help.n"], ["e", "help.e"], ["Esc", "help.esc"],
  ["u", "help.u"], ["o", "help.o"], ["c", "help.c"], ["1–9", "help.digits"], ["] / [", "help.pages"],
  ["x", "help.x"], ["/", "help.slash"], ["?", "help.help"],
];
const helpDialog = document.getElementById("help-dialog");
function fillHelp() {
  clear(helpDialog.querySelector(".shortcuts")).append(
    ...HELP.flatMap(([keys, label]) => [h("dt", {}, keys.split(" ").map((k) => (k === "/" && keys !== "/" ? " / " : h("kbd", {}, k)))), h("dd", {}, t(label))])
  );
}
const openHelp = () => {
  fillHelp();
  if (!helpDialog.open) helpDialog.showModal();
};

document.getElementById("help-button").addEventListener("click", openHelp);
document.getElementById("lang-toggle").addEventListener("click", () => {
  setLang(getLang() === "zh" ? "en" : "zh");
  applyStatic();
  renderAccountSwitcher();
  views[current].render();
});
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
bindKeys(() => (views[current] && views[current].actions) || null, openHelp);

applyStatic();
show(location.hash.slice(1) || TABS[0].name);
createAccountSwitcher(document.getElementById("account-switcher"));
startLive({ current: () => current, refresh: () => (views[current].refresh ? views[current].refresh() : views[current].show()) });
