// The pairing panel: which extension is paired, when it was last seen; revoke; re-open pairing.

import { api } from "./api.js";
import { formatTime } from "./dates.js";
import { h, clear, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";

export function createPairing(root) {
  let data = null;

  async function load() {
    try {
      data = await api.get("/api/pairing");
    } catch (err) {
      data = null;
      toast(errorText(err), "error");
    }
    render();
  }

  async function act(path, confirmText) {
    if (confirmText && !confirm(confirmText)) return;
    try {
      await api.post(path, {});
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  function render() {
    const parts = [h("h2", {}, t("pairing.title"))];
    if (data) {
      // GET /api/pairing: the one active extension (`extension`, null when none is paired).
      const p = data.extension;
      if (!p) parts.push(h("p", { class: "empty" }, t("pairing.none")));
      else
        parts.push(h("table", { class: "pairing-table" },
          h("thead", {}, h("tr", {}, [t("pairing.origin"), t("pairing.pairedAt"), t("pairing.lastSeen"), t("filter.status")].map((c) => h("th", {}, c)))),
          h("tbody", {}, h("tr", {},
            h("td", { class: "origin" }, p.origin),
            h("td", {}, formatTime(p.paired_at)),
            h("td", {}, formatTime(p.last_seen)),
            h("td", {}, t("pairing.active"))))));
      const open = data.pairing_open;
      parts.push(h("p", { class: open ? "notice" : "muted", "data-pairing": open ? "open" : "closed" }, open ? t("pairing.isOpen") : t("pairing.isClosed")));
      parts.push(h("div", { class: "toolbar" },
        h("button", {
          type: "button", class: "danger", "data-action": "revoke",
          disabled: !data.paired,
          onClick: () => act("/api/pairing/revoke", t("pairing.confirmRevoke")),
        }, t("pairing.revoke")),
        h("button", { type: "button", class: "primary", "data-action": "open-pairing", onClick: () => act("/api/pairing/open") }, t("pairing.open"))));
    }
    clear(root).append(...parts);
  }

  return { show: load, render };
}
