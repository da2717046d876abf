// One comment as a card in the inbox / all-comments list, with its triage actions.
// Server strings go in as text only (see dom.js).

import { api } from "./api.js";
import { h, formatTime, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";

const STATUSES = ["new", "replied", "ignored"];

function commentPath(item) {
  return `/api/comments/${encodeURIComponent(item.comment_id ?? item.id)}`;
}

export function commentKey(item) {
  return String(item.comment_id ?? item.id);
}

/** PATCH one comment and return the server's updated object (or the old one with the change merged). */
export async function patchComment(item, change) {
  const updated = await api.patch(commentPath(item), change, { platform: item.platform || "xhs" });
  return updated && typeof updated === "object" && !Array.isArray(updated) && (updated.comment_id || updated.id)
    ? { ...item, ...updated }
    : { ...item, ...change };
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    // Clipboard API refused (no focus / permission): fall back to a hidden textarea.
    const area = h("textarea", { class: "offscreen", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(t("action.copied"));
}

/** Is this comment counted as a request once the creator's correction is applied? */
export function effectiveRequest(item) {
  if (item.correction === "missed") return true;
  if (item.correction === "not_request") return false;
  return Boolean(item.is_request);
}

/**
 * renderRow(item, {mode, selected, onChange, onSelect}) -> <article>
 * onChange(newItem) is called after a successful update so the list can re-render the card.
 */
export function renderRow(item, { mode, selected, onChange, onSelect }) {
  const key = commentKey(item);
  const status = STATUSES.includes(item.status) ? item.status : "new";
  const isRequest = effectiveRequest(item);

  async function update(change) {
    try {
      onChange(await patchComment(item, change));
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  const reply = h("textarea", {
    class: "reply-text",
    rows: 2,
    "aria-label": t("row.reply"),
    value: item.suggested_reply || "",
  });
  reply.addEventListener("change", async () => {
    await update({ suggested_reply: reply.value });
    toast(t("action.saved"));
  });

  const products = (item.products || []).length
    ? item.products.map((name) => h("span", { class: "chip" }, name))
    : isRequest ? [h("span", { class: "chip chip-muted" }, t("row.noProduct"))] : [];

  const warnings = (item.compliance || []).map((w) => h("li", {}, String(w)));

  const correctionButton =
    item.correction
      ? h("button", { type: "button", class: "link", onClick: () => update({ correction: null }) }, t("action.undoCorrection"))
      : isRequest
        ? h("button", { type: "button", class: "link", "data-action": "not-request", onClick: () => update({ correction: "not_request" }) }, t("action.notRequest"))
        : h("button", { type: "button", class: "link", "data-action": "missed", onClick: () => update({ correction: "missed" }) }, t("action.missed"));

  const statusButtons =
    status === "new"
      ? [
          h("button", { type: "button", class: "primary", "data-action": "replied", onClick: () => update({ status: "replied" }) }, t("action.replied")),
          h("button", { type: "button", "data-action": "ignore", onClick: () => update({ status: "ignored" }) }, t("action.ignore")),
        ]
      : [h("button", { type: "button", "data-action": "reopen", onClick: () => update({ status: "new" }) }, t("action.reopen"))];

  const score = typeof item.score === "number" ? item.score.toFixed(2) : "";

  return h(
    "article",
    {
      class: `row status-${status}${isRequest ? " is-request" : ""}`,
      tabindex: "-1",
      dataset: { id: key, status },
    },
    h(
      "header",
      { class: "row-head" },
      h("input", {
        type: "checkbox",
        class: "row-select",
        checked: selected,
        "aria-label": key,
        onChange: (e) => onSelect(key, e.target.checked),
      }),
      h("span", { class: "author" }, item.author || item.author_id || "?"),
      item.is_author ? h("span", { class: "chip chip-muted" }, t("row.author")) : null,
      h("time", { class: "when", datetime: item.created_at || "" }, formatTime(item.created_at || item.captured_at)),
      h("span", { class: "note-title", title: item.note_id || "" }, item.note_title || item.note_id || ""),
      h("span", { class: "spacer" }),
      mode === "comments" && isRequest ? h("span", { class: "chip chip-request" }, t("row.request")) : null,
      score !== "" ? h("span", { class: "score", title: t("row.score") }, `${t("row.score")} ${score}`) : null,
      h("span", { class: `status-badge status-${status}` }, t(`status.${status}`))
    ),
    h("p", { class: "comment-text" }, item.text || ""),
    h(
      "div",
      { class: "row-body" },
      h("div", { class: "products" }, products),
      isRequest || item.suggested_reply
        ? h(
            "div",
            { class: "reply" },
            reply,
            h("button", { type: "button", "data-action": "copy", onClick: () => copyText(reply.value) }, t("action.copy")),
            warnings.length ? h("ul", { class: "warnings" }, warnings) : null
          )
        : null,
      h(
        "div",
        { class: "actions" },
        statusButtons,
        correctionButton,
        item.correction ? h("span", { class: "correction" }, t(`row.corrected.${item.correction}`)) : null
      )
    )
  );
}
