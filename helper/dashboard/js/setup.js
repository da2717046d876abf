// The first-run checklist at the top of the inbox: helper running → extension paired → catalog
// imported → first comments captured. Each step ticks by itself (GET /api/setup every few seconds
// while something is left to do) and says what to do next; the list goes away once all are done.

import { api } from "./api.js";
import { h, clear } from "./dom.js";
import { t } from "./i18n.js";

const POLL_MS = 3000;
const STEPS = [
  { key: "helper", done: (s) => Boolean(s && s.helper) },
  { key: "paired", done: (s) => Boolean(s && s.paired) },
  { key: "catalog", done: (s) => Boolean(s && s.products > 0) },
  { key: "captured", done: (s) => Boolean(s && s.comments_captured) },
];

/** The steps done for a /api/setup answer (null: the helper did not answer). */
export function stepsDone(setup) {
  return STEPS.map((step) => step.done(setup));
}

/** createSetup(onCaptured): onCaptured() runs when the first comments arrive while it watches. */
export function createSetup(onCaptured = () => {}) {
  const element = h("section", { class: "setup", "aria-label": "setup", hidden: true });
  let state = undefined; // undefined: not asked yet; null: no answer
  let timer = null;
  let running = false;

  function hint(key) {
    if (key === "paired" && state && !state.paired && !state.pairing_open) {
      return h("span", {}, t("setup.paired.closed"), " ", h("a", { href: "#pairing" }, t("nav.pairing")));
    }
    if (key === "catalog") return h("span", {}, t("setup.catalog.hint"), " ", h("a", { href: "#products" }, t("nav.products")));
    return t(`setup.${key}.hint`);
  }

  function render() {
    const done = stepsDone(state);
    element.hidden = state === undefined || done.every(Boolean);
    const next = done.indexOf(false);
    clear(element).append(
      h("h2", {}, t("setup.title")),
      h("ol", { class: "setup-steps" },
        STEPS.map((step, i) =>
          h("li", { class: done[i] ? "done" : i === next ? "next" : "todo", "data-step": step.key, "data-done": done[i] ? "true" : "false" },
            h("span", { class: "tick", "aria-hidden": "true" }, done[i] ? "✓" : String(i + 1)),
            h("span", { class: "step-title" }, t(`setup.${step.key}`))))),
      next >= 0 ? h("p", { class: "step-hint", "data-hint": STEPS[next].key }, hint(STEPS[next].key)) : null
    );
  }

  async function poll() {
    const before = state;
    try {
      state = await api.get("/api/setup");
    } catch (_) {
      state = null;
    }
    if (before && !before.comments_captured && state && state.comments_captured) onCaptured();
    render();
    if (running && !stepsDone(state).every(Boolean)) timer = setTimeout(poll, POLL_MS);
  }

  return {
    element,
    start() {
      if (running) return;
      running = true;
      poll();
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
    render,
  };
}
