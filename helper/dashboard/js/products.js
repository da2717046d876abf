// The product catalog: list, add, edit, delete, CSV import, and the per-product reply template with a
// live preview (POST /api/replies/preview) that shows the platform's compliance warnings. With more
// than one creator account (team mode) a product belongs to one of them or is shared by all.

import { ACCOUNT, api } from "./api.js";
import { h, clear, debounce, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { noteTitles, showAccountSwitcher } from "./filter-query.js";
import { invalidateFilterOptions, loadFilterOptions } from "./filters.js";

const splitList = (text) => text.split(/[,，\n]/).map((s) => s.trim()).filter(Boolean);
const joinList = (list) => (list || []).join(", "); // a product's aliases; a new product has none yet

export function createProducts(root) {
  let products = [];
  let notes = []; // for the note picker and to show titles instead of ids
  let warnings = new Map(); // product name -> compliance warnings of its reply on Xiaohongshu
  let editing = null; // null: closed; {}: new; product: editing it
  let accounts = []; // GET /api/accounts: a product's account is chosen only when there are several

  async function load() {
    try {
      const [data, options, checks, known] = await Promise.all([
        api.get("/api/products"),
        loadFilterOptions().catch(() => ({ notes: [] })),
        api.get("/api/products/compliance").catch(() => ({ items: [] })),
        api.get("/api/accounts").catch(() => ({ items: [] })),
      ]);
      products = data.items;
      accounts = known.items;
      notes = options.notes;
      warnings = new Map(checks.items.map((c) => [c.name, c.compliance]));
    } catch (err) {
      toast(errorText(err), "error");
    }
    render();
  }

  /** Pending suggested replies written by the old template follow the new one (hand edits stay). */
  async function refreshReplies(previous, saved) {
    const changed = ["name", "link", "reply"].some((k) => (previous[k] || "") !== (saved[k] || ""));
    if (!previous.name || !changed) return;
    try {
      const result = await api.post("/api/replies/refresh", { product: saved.name, previous });
      if (result.refreshed || result.kept) toast(t("products.refreshed", { n: result.refreshed, kept: result.kept }));
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  async function importCsv(file) {
    try {
      const result = await api.post("/api/products/import", { csv: await file.text() });
      const skipped = result.skipped;
      const summary = t("products.importSummary", { created: result.created, updated: result.updated, skipped: skipped.length });
      const lines = skipped.slice(0, 3).map((s) => t("products.skippedLine", { line: s.line, reason: s.reason }));
      toast([t("products.imported", { summary }), ...lines].join("\n"), skipped.length ? "error" : "info");
      invalidateFilterOptions();
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  async function remove(product) {
    if (!confirm(t("products.confirmDelete", { name: product.name }))) return;
    try {
      await api.del(`/api/products/${encodeURIComponent(product.id)}`);
      invalidateFilterOptions();
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  function previewPanel(readForm) {
    const platform = h("select", { "data-preview": "platform" }, h("option", { value: "xhs" }, "小红书"), h("option", { value: "douyin" }, "抖音"), h("option", { value: "web" }, "web"));
    const nickname = h("input", { type: "text", "data-preview": "nickname", value: "小鹿", "aria-label": t("products.previewNickname") });
    const text = h("p", { class: "preview-text", "data-preview": "text" });
    const warnings = h("ul", { class: "warnings", "data-preview": "compliance" });
    let last = [];
    const refresh = debounce(async () => {
      const form = readForm();
      try {
        const result = await api.post("/api/replies/preview", {
          template: form.reply,
          product: { name: form.name, link: form.link, aliases: form.aliases },
          nickname: nickname.value,
          platform: platform.value,
        });
        text.textContent = result.text;
        last = platform.value === "xhs" ? result.compliance : [];
        clear(warnings).append(
          ...(result.compliance.length
            ? result.compliance.map((w) => h("li", {}, w))
            : [h("li", { class: "ok" }, t("products.compliant"))])
        );
      } catch (err) {
        text.textContent = errorText(err);
      }
    }, 250);
    platform.addEventListener("change", refresh);
    nickname.addEventListener("input", refresh);
    const panel = h(
      "div",
      { class: "preview" },
      h("h3", {}, t("products.preview")),
      h("div", { class: "preview-controls" },
        h("label", {}, t("products.platform"), platform),
        h("label", {}, t("products.previewNickname"), nickname)),
      text,
      warnings
    );
    return { panel, refresh, lastWarnings: () => last };
  }

  function form(product) {
    const field = (key, value, tag = "input") =>
      tag === "textarea"
        ? h("textarea", { name: key, rows: 3, value: value || "" })
        : h("input", { type: "text", name: key, value: value || "", required: key === "name" });
    const inputs = {
      name: field("name", product.name),
      aliases: field("aliases", joinList(product.aliases)),
      link: field("link", product.link),
      reply: field("reply", product.reply, "textarea"),
    };
    const picker = notePicker(product.note_ids || []);
    // A new product belongs to the account being shown (shared under "all accounts"); shared = "".
    const owner = showAccountSwitcher(accounts)
      ? accountSelect(product.id === undefined ? ACCOUNT : product.account || "")
      : null;
    const read = () => ({
      name: inputs.name.value.trim(),
      aliases: splitList(inputs.aliases.value),
      link: inputs.link.value.trim(),
      note_ids: picker.value(),
      reply: inputs.reply.value.trim() || null,
      ...(owner ? { account: owner.value || null } : {}),
    });
    const { panel, refresh, lastWarnings } = previewPanel(read);
    for (const input of Object.values(inputs)) input.addEventListener("input", refresh);
    refresh();
    return h(
      "form",
      {
        class: "product-form",
        onSubmit: async (e) => {
          e.preventDefault();
          const found = lastWarnings();
          if (found.length && !confirm(t("products.confirmWarnings", { warnings: found.join("\n• ") }))) return;
          try {
            const fields = read();
            if (product.id !== undefined) {
              const saved = await api.put(`/api/products/${encodeURIComponent(product.id)}`, fields);
              await refreshReplies(product, saved);
            } else await api.post("/api/products", fields);
            editing = null;
            invalidateFilterOptions();
            await load();
          } catch (err) {
            toast(errorText(err), "error");
          }
        },
      },
      h("div", { class: "form-fields" },
        h("label", {}, t("products.name"), inputs.name),
        h("label", {}, t("products.aliases"), inputs.aliases),
        h("label", {}, t("products.link"), inputs.link),
        owner ? h("label", {}, t("account.label"), owner) : null,
        h("div", { class: "note-picker-field" }, h("span", { class: "field-label" }, t("products.notes")), picker.element),
        h("label", {}, t("products.reply"), inputs.reply, h("small", {}, t("products.templateHelp")))),
      panel,
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "primary" }, t("products.save")),
        h("button", { type: "button", onClick: () => { editing = null; render(); } }, t("products.cancel")))
    );
  }

  /** The account a product belongs to: "shared by all accounts" first, then each account by name. */
  function accountSelect(current) {
    const el = h("select", { name: "account", "data-field": "account" },
      h("option", { value: "" }, t("products.shared")),
      accounts.map((a) => h("option", { value: a.id, selected: a.id === current }, a.name || a.id)));
    el.value = accounts.some((a) => a.id === current) ? current : "";
    return el;
  }

  const accountName = (id) => (accounts.find((a) => a.id === id) || {}).name || id;

  /** Notes by title (ticked = the product appears in that note); ids of notes not captured yet stay. */
  function notePicker(selected) {
    const chosen = new Set(selected);
    const known = new Set(notes.map((n) => n.note_id));
    const unknown = [...chosen].filter((id) => !known.has(id));
    const boxes = notes.map((n) =>
      h("label", { class: "note-choice" },
        h("input", { type: "checkbox", name: "note_ids", value: n.note_id, checked: chosen.has(n.note_id) }),
        n.title || n.note_id,
        h("small", { class: "muted" }, ` · ${t("products.noteCounts", { requests: n.requests })}`)));
    const extra = h("input", { type: "text", name: "note_ids_extra", value: unknown.join(", "), placeholder: t("products.notesExtra") });
    const element = h("div", { class: "note-picker" },
      boxes.length ? boxes : h("span", { class: "muted" }, t("products.noNotes")),
      h("label", { class: "note-extra" }, t("products.notesExtraLabel"), extra));
    return {
      element,
      value: () => [
        ...[...element.querySelectorAll('input[name="note_ids"]:checked')].map((b) => b.value),
        ...splitList(extra.value),
      ],
    };
  }

  function table() {
    if (!products.length) return h("p", { class: "empty" }, t("products.empty"));
    const titles = noteTitles(notes);
    return h(
      "table",
      { class: "products-table" },
      h("thead", {}, h("tr", {},
        [t("products.name"), t("products.aliases"), t("products.link"), t("products.notesTitles"), t("products.reply"), t("products.rules"), ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, products.map((p) =>
        h("tr", { dataset: { product: p.name, account: p.account || "" } },
          h("td", { class: "name" }, p.name,
            showAccountSwitcher(accounts) ? h("small", { class: "muted account-tag" }, ` · ${p.account ? accountName(p.account) : t("products.shared")}`) : null),
          h("td", {}, joinList(p.aliases)),
          h("td", { class: "link-cell" }, p.link || ""),
          h("td", { class: "note-titles" }, p.note_ids.map((id) => titles.get(id) || id).join("、")),
          h("td", { class: "template" }, p.reply || ""), // null: no template of its own
          h("td", { class: "compliance-cell" }, (warnings.get(p.name) || []).length
            ? h("span", { class: "warn-mark", title: warnings.get(p.name).join("\n"), "data-warnings": String(warnings.get(p.name).length) }, `⚠ ${t("products.warnCount", { n: warnings.get(p.name).length })}`)
            : ""),
          h("td", { class: "row-actions" },
            h("button", { type: "button", onClick: () => { editing = p; render(); } }, t("products.edit")),
            h("button", { type: "button", class: "danger", onClick: () => remove(p) }, t("products.delete"))))))
    );
  }

  function render() {
    const fileInput = h("input", { type: "file", accept: ".csv,text/csv", hidden: true, "data-import": "csv" });
    fileInput.addEventListener("change", () => fileInput.files[0] && importCsv(fileInput.files[0]));
    clear(root).append(
      h("div", { class: "toolbar" },
        h("h2", {}, t("products.title")),
        h("span", { class: "spacer" }),
        h("button", { type: "button", class: "primary", onClick: () => { editing = {}; render(); } }, t("products.add")),
        h("button", { type: "button", onClick: () => fileInput.click() }, t("products.import")),
        fileInput),
      ...(editing ? [form(editing)] : []),
      table()
    );
  }

  return { show: load, render };
}
