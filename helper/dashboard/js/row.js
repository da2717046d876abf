// One comment as a compact row in the inbox / all-comments list. Two lines when not focused
// (who, how long waiting, the note; the comment; the product; the reply; the actions); the focused
// row opens its details: the whole comment, the parent comment of a reply, the same buyer's other
// asks, the editable reply with its ⚠ warnings, the reply choices (1–9) and the rarer actions.
// Buttons call the list's actions, the same code the keyboard uses. Server strings go in as text.

import { h } from "./dom.js";
import { ageHours, formatAge, formatTime, writtenAt } from "./dates.js";
import { getLang, t } from "./i18n.js";
import { claimHolder } from "./claims.js";
import { commentKey, isUnsure } from "./triage.js";

function button(action, label, onClick, attrs = {}) {
  return h("button", { type: "button", "data-action": action, onClick: (e) => { e.stopPropagation(); onClick(); }, ...attrs }, label);
}

/**
 * renderRow({item, siblings}, ctx) -> <article class="row">
 * ctx: {mode, me, selected, choices: [product], act(kind, item, extra), onSelect(key, on), saveReply(item, text)}
 */
export function renderRow({ item, siblings = [] }, ctx) {
  const key = commentKey(item);
  const status = item.status;
  const isRequest = item.is_request; // the helper's verdict, the creator's correction applied
  const lang = getLang();
  const age = ageHours(item);
  const warnings = item.compliance;
  const act = (kind, extra) => ctx.act(kind, item, extra);
  const holder = claimHolder(item, ctx.me, Date.now()); // another operator answering this buyer now

  const products = item.products.length
    ? item.products.map((name) => h("span", { class: "chip" }, name))
    : isRequest ? [h("span", { class: "chip chip-muted" }, t("row.noProduct"))] : [];

  const url = item.note_url;
  const noteLink = url
    ? h("a", { class: "note-title", href: url, target: "_blank", rel: "noopener noreferrer", title: t("row.openOnSite") }, item.note_title || item.note_id)
    : h("span", { class: "note-title", title: item.note_id }, item.note_title || item.note_id);

  const statusActions =
    status === "new"
      ? [
          button("replied", t("action.replied"), () => act("replied"), { class: "primary", title: "r" }),
          button("ignore", t("action.ignore"), () => act("ignored"), { title: "i" }),
        ]
      : [button("reopen", t("action.reopen"), () => act("reopen"))];

  const reply = h("textarea", { class: "reply-text", rows: 2, "aria-label": t("row.reply"), value: item.suggested_reply });
  reply.addEventListener("change", () => ctx.saveReply(item, reply.value));
  reply.addEventListener("keydown", (e) => {
    if (e.key === "Escape" || (e.key === "Enter" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      e.stopPropagation();
      if (reply.value !== item.suggested_reply) ctx.saveReply(item, reply.value);
      ctx.backToList();
    }
  });

  const correction = item.correction
    ? button("undo-correction", t("action.undoCorrection"), () => act("correction", null), { class: "link" })
    : isRequest
      ? button("not-request", `${t("action.notRequest")} (n)`, () => act("not_request"), { class: "link" })
      : button("missed", t("action.missed"), () => act("missed"), { class: "link" });

  const choices = ctx.choices || [];
  // The details are built when the row is first focused (most rows never are): half the DOM per page.
  const makeDetails = () => h(
    "div",
    { class: "row-details" },
    item.parent ? h("p", { class: "parent" }, h("span", { class: "muted" }, t("row.replyTo", { author: item.parent.author || "?" })), " ", item.parent.text) : null,
    h("p", { class: "comment-full" }, item.text),
    siblings.length
      ? h("div", { class: "same-buyer" },
          h("span", { class: "muted" }, t("row.sameBuyer", { n: siblings.length })),
          h("ul", {}, item.same_buyer.filter((a) => siblings.includes(String(a.id))).map((a) => h("li", {}, a.text))))
      : null,
    isRequest || item.suggested_reply
      ? h("div", { class: "reply" },
          reply,
          h("div", { class: "reply-tools" },
            button("copy", `${t("action.copy")} (c)`, () => act("copy")),
            button("edit", `${t("action.edit")} (e)`, () => act("edit"))))
      : null,
    warnings.length ? h("ul", { class: "warnings" }, warnings.map((w) => h("li", {}, `⚠ ${w}`))) : null,
    h("div", { class: "detail-actions" },
      choices.length && (isRequest || item.suggested_reply)
        ? h("span", { class: "choices" },
            h("span", { class: "muted" }, t("row.choices")),
            choices.map((p, i) => button(`choice-${i + 1}`, `${i + 1} ${p.name}`, () => act("choice", i), { class: "chip-button" })))
        : null,
      h("span", { class: "spacer" }),
      url ? h("a", { class: "button-link", href: url, target: "_blank", rel: "noopener noreferrer", "data-action": "open" }, `${t("action.open")} (o)`) : null,
      correction,
      h("span", { class: "muted" }, formatTime(writtenAt(item))),
      item.ip_location ? h("span", { class: "muted" }, item.ip_location) : null)
  );

  const row = h(
    "article",
    {
      class: `row status-${status}${isRequest ? " is-request" : ""}${warnings.length ? " has-warnings" : ""}${holder ? " held" : ""}`,
      tabindex: "-1",
      dataset: { id: key, status },
      "aria-label": `${item.author || ""}: ${item.text}`,
    },
    h("input", {
      type: "checkbox",
      class: "row-select",
      checked: ctx.selected,
      "aria-label": key,
      onChange: (e) => ctx.onSelect(key, e.target.checked),
    }),
    h(
      "div",
      { class: "row-main" },
      h(
        "div",
        { class: "row-head" },
        h("span", { class: "author" }, item.author || item.author_id || "?"),
        siblings.length ? h("span", { class: "chip chip-muted", title: t("row.sameBuyer", { n: siblings.length }) }, `×${siblings.length + 1}`) : null,
        item.is_author ? h("span", { class: "chip chip-muted" }, t("row.author")) : null,
        h("time", { class: `age${age !== null && age >= 24 && status === "new" ? " late" : ""}`, datetime: writtenAt(item) || "", title: formatTime(writtenAt(item)) },
          status === "new" && isRequest ? formatAge(age, lang) : formatTime(writtenAt(item))),
        item.like_count ? h("span", { class: "likes", title: t("row.likes") }, `♥ ${item.like_count}`) : null,
        noteLink,
        ctx.mode === "comments" && isRequest ? h("span", { class: "chip chip-request" }, t("row.request")) : null,
        item.correction ? h("span", { class: "correction chip chip-muted" }, t(`row.corrected.${item.correction}`)) : null,
        isUnsure(item.score) ? h("span", { class: "score unsure", title: t("row.scoreHelp") }, `${t("row.unsure")} ${item.score.toFixed(2)}`) : null,
        status !== "new" ? h("span", { class: `status-badge status-${status}` }, t(`status.${status}`)) : null,
        holder ? h("span", { class: "chip chip-claimed", title: formatTime(item.claimed_until) }, t("row.onIt", { name: holder })) : null
      ),
      h("p", { class: "comment-text" }, item.parent ? h("span", { class: "muted" }, "↳ ") : null, item.text)
    ),
    h("div", { class: "products" }, products),
    h("p", { class: "reply-preview", title: item.suggested_reply }, warnings.length ? h("span", { class: "warn-mark", title: warnings.join("\n") }, "⚠ ") : null, item.suggested_reply),
    h("div", { class: "actions" }, statusActions),
    ctx.focused ? makeDetails() : null
  );
  row.ensureDetails = () => {
    if (!row.querySelector(".row-details")) row.append(makeDetails());
  };
  row.addEventListener("click", (e) => {
    if (e.target.closest("a, button, input, textarea")) return;
    ctx.focusRow(key);
  });
  // Typing in the reply of another row makes that row the focused one (without moving the caret).
  // (Not on mousedown in general: opening this row's details would shift the rows under the mouse.)
  row.addEventListener("focusin", (e) => {
    if (e.target.tagName === "TEXTAREA") ctx.focusRow(key, { keepDomFocus: true });
  });
  return row;
}
