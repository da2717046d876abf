// The product catalog: list, add, edit, delete, CSV import, and the per-product reply template with a
// live preview (POST /api/replies/preview) that shows the platform's compliance warnings.

import { api } from "./api.js";
import { h, clear, debounce, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";

const splitList = (text) => text.split(/[,，\n]/).map((s) => s.trim()).filter(Boolean);
const joinList = (list) => (Array.isArray(list) ? list.join(", ") : list || "");

export function createProducts(root) {
  let products = [];
  let editing = null; // null: closed; {}: new; product: editing it

  async function load() {
    try {
      const data = await api.get("/api/products");
      products = Array.isArray(data) ? data : data.items || data.products || [];
    } catch (err) {
      toast(errorText(err), "error");
    }
    render();
  }

  async function importCsv(file) {
    try {
      const result = await api.post("/api/products/import", { csv: await file.text() });
      const summary = Object.entries(result || {})
        .filter(([, v]) => typeof v === "number")
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      toast(t("products.imported", { summary: summary || "ok" }));
      await load();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  async function remove(product) {
    if (!confirm(t("products.confirmDelete", { name: product.name }))) return;
    try {
      await api.del(`/api/products/${encodeURIComponent(product.id)}`);
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
    return { panel, refresh };
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
      note_ids: field("note_ids", joinList(product.note_ids)),
      reply: field("reply", product.reply, "textarea"),
    };
    const read = () => ({
      name: inputs.name.value.trim(),
      aliases: splitList(inputs.aliases.value),
      link: inputs.link.value.trim(),
      note_ids: splitList(inputs.note_ids.value),
      reply: inputs.reply.value.trim() || null,
    });
    const { panel, refresh } = previewPanel(read);
    for (const input of Object.values(inputs)) input.addEventListener("input", refresh);
    refresh();
    return h(
      "form",
      {
        class: "product-form",
        onSubmit: async (e) => {
          e.preventDefault();
          try {
            if (product.id !== undefined) await api.put(`/api/products/${encodeURIComponent(product.id)}`, read());
            else await api.post("/api/products", read());
            editing = null;
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
        h("label", {}, t("products.notes"), inputs.note_ids),
        h("label", {}, t("products.reply"), inputs.reply, h("small", {}, t("products.templateHelp")))),
      panel,
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "primary" }, t("products.save")),
        h("button", { type: "button", onClick: () => { editing = null; render(); } }, t("products.cancel")))
    );
  }

  function table() {
    if (!products.length) return h("p", { class: "empty" }, t("products.empty"));
    return h(
      "table",
      { class: "products-table" },
      h("thead", {}, h("tr", {},
        [t("products.name"), t("products.aliases"), t("products.link"), t("products.notes"), t("products.reply"), ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, products.map((p) =>
        h("tr", { dataset: { product: p.name } },
          h("td", { class: "name" }, p.name),
          h("td", {}, joinList(p.aliases)),
          h("td", { class: "link-cell" }, p.link || ""),
          h("td", {}, joinList(p.note_ids)),
          h("td", { class: "template" }, p.reply || ""),
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
