// The teach tab: one comment at a time, the ones the model is least sure about (GET /api/teach/next),
// answered with one key — y request, n not a request, space skip, u undo. Every answer is a
// correction (PATCH /api/comments/<id>), which the helper learns from by itself; the state line
// above the card says what the model is doing (GET /api/model) and offers the previous model back.
// Its strings live here (zh/en) so the tab is one file.

import { api, patchComment } from "./api.js";
import { formatTime } from "./dates.js";
import { h, clear, toast } from "./dom.js";
import { errorText, getLang } from "./i18n.js";

const STRINGS = {
  zh: {
    title: "教模型",
    intro: "模型最拿不准的评论，一次一条。你的每个回答都是一次纠正，模型会自己学习（不用命令行）。",
    yes: "是求链接", no: "不是", skip: "跳过", undo: "撤销",
    keys: "键盘：y 是 · n 不是 · 空格 跳过 · u 撤销",
    counter: "本次回答 {n} 条 · 共 {total} 条纠正",
    empty: "现在没有要问的了。新评论进来后再看看。",
    note: "笔记", replyTo: "回复", replies: "下面的回复", score: "模型判断：{p}% 可能是求链接",
    learning: "正在从 {n} 条纠正中学习…",
    waiting: "{n} 条新纠正等待学习（{s} 秒后，或再 {more} 条时开始）",
    waitingSoon: "{n} 条新纠正，马上开始学习",
    modelOf: "当前模型：{time}，学了 {n} 条纠正",
    baseModel: "当前模型：出厂模型（还没学你的纠正）",
    held: "已回到之前的模型；有新纠正时才会再学习",
    failed: "上次学习失败：{e}",
    retrain: "现在学习", rollback: "回到上一个模型", rolledBack: "已回到之前的模型",
    answered: "已记下", undone: "已撤销",
  },
  en: {
    title: "Teach the model",
    intro: "The comments the model is least sure about, one at a time. Every answer is a correction; the model learns from them by itself (no command line).",
    yes: "Request", no: "Not a request", skip: "Skip", undo: "Undo",
    keys: "Keys: y request · n not a request · space skip · u undo",
    counter: "{n} answered now · {total} corrections in all",
    empty: "Nothing to ask right now. Come back when new comments arrive.",
    note: "Note", replyTo: "Reply to", replies: "Replies", score: "Model: {p}% likely a request",
    learning: "Learning from {n} corrections…",
    waiting: "{n} new corrections waiting (learning in {s} s, or after {more} more)",
    waitingSoon: "{n} new corrections; learning starts now",
    modelOf: "Model of {time}, {n} corrections",
    baseModel: "Model: the shipped model (none of your corrections yet)",
    held: "Back on the previous model; it learns again when corrections change",
    failed: "Last learning run failed: {e}",
    retrain: "Learn now", rollback: "Go back to the previous model", rolledBack: "Back on the previous model",
    answered: "Saved", undone: "Undone",
  },
};

function s(key, vars = {}) {
  const text = (STRINGS[getLang()] || STRINGS.en)[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);
const REFILL_BELOW = 3;

export function createTeach(root) {
  let queue = [];
  let skipped = new Set();
  let history = []; // [{item, previous}] — what `u` undoes, newest last
  let answeredNow = 0;
  let totalAnswered = 0;
  let model = null;
  let loading = false;
  let busy = false;
  let timer = null;
  let visible = false;

  const stateLine = h("p", { class: "model-state", role: "status" });
  const toolbar = h("div", { class: "toolbar teach-model-tools" });
  const counter = h("p", { class: "teach-counter" });
  const card = h("div", { class: "teach-card" });

  async function refill() {
    if (loading) return;
    loading = true;
    try {
      const exclude = [...skipped, ...queue.map((c) => c.id)].slice(-400).join(",");
      const data = await api.get("/api/teach/next", { limit: 10, exclude });
      const known = new Set(queue.map((c) => c.id));
      for (const item of data.items) if (!known.has(item.id) && !skipped.has(item.id)) queue.push(item);
      totalAnswered = data.answered;
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      loading = false;
    }
    renderCard();
  }

  async function loadModel() {
    try {
      model = await api.get("/api/model");
    } catch (err) {
      model = null;
    }
    renderModel();
  }

  async function answer(isRequest) {
    const item = queue[0];
    if (!item || busy) return;
    await saveCorrection(item, isRequest ? "missed" : "not_request", () => {
      history.push({ item, previous: item.correction });
      queue.shift();
      answeredNow += 1;
      totalAnswered += 1;
      toast(s("answered"));
    });
    if (queue.length < REFILL_BELOW) refill();
  }

  function skip() {
    const item = queue.shift();
    if (!item) return;
    skipped.add(item.id);
    renderCard();
    if (queue.length < REFILL_BELOW) refill();
  }

  async function undo() {
    const last = history.at(-1);
    if (!last || busy) return;
    await saveCorrection(last.item, last.previous, () => {
      history.pop();
      queue.unshift(last.item);
      answeredNow = Math.max(0, answeredNow - 1);
      totalAnswered = Math.max(0, totalAnswered - 1);
      toast(s("undone"));
    });
  }

  // One correction to the helper, one at a time; `onSaved` updates the queue and counters only once
  // the helper has it. Either way the card and the model state are drawn again.
  async function saveCorrection(item, correction, onSaved) {
    busy = true;
    try {
      await patchComment(item, { correction });
      onSaved();
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      busy = false;
    }
    renderCard();
    loadModel();
  }

  async function modelAction(path, done) {
    try {
      model = await api.post(path, {});
      if (done) toast(done);
    } catch (err) {
      toast(errorText(err), "error");
    }
    renderModel();
  }

  function onKey(event) {
    if (!visible || event.ctrlKey || event.metaKey || event.altKey) return;
    if (TYPING.has(event.target.tagName) || event.target.isContentEditable) return;
    if (document.querySelector("dialog[open]")) return;
    const table = { y: () => answer(true), n: () => answer(false), " ": skip, u: undo };
    const action = table[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // the inbox's own shortcuts (n, u…) must not act on a hidden list
    action();
  }

  function renderModel() {
    if (!model) {
      clear(stateLine);
      clear(toolbar);
      return;
    }
    let text;
    if (model.state === "learning") text = s("learning", { n: model.learning_from });
    else if (model.state === "waiting" && model.next_in_s !== null && model.next_in_s !== undefined)
      text = s("waiting", { n: model.pending, s: Math.ceil(model.next_in_s), more: Math.max(1, model.retrain_after - model.pending) });
    else if (model.state === "waiting") text = s("waitingSoon", { n: model.pending });
    else if (model.model && model.model.kind !== "base") text = s("modelOf", { time: formatTime(model.model.trained_at), n: model.model.corrections });
    else text = s("baseModel");
    const parts = [text];
    if (model.held) parts.push(" · " + s("held"));
    if (model.error) parts.push(" · " + s("failed", { e: model.error }));
    stateLine.textContent = parts.join("");
    stateLine.dataset.state = model.state;
    clear(toolbar).append(
      h("button", { type: "button", "data-action": "retrain", tabindex: "-1", disabled: model.state === "learning",
                    onClick: () => modelAction("/api/model/retrain") }, s("retrain")),
      h("button", { type: "button", "data-action": "rollback", tabindex: "-1", disabled: !model.can_rollback,
                    onClick: () => modelAction("/api/model/rollback", s("rolledBack")) }, s("rollback")),
    );
  }

  function renderCard() {
    counter.textContent = s("counter", { n: answeredNow, total: totalAnswered });
    counter.dataset.answered = String(answeredNow);
    const item = queue[0];
    if (!item) {
      card.removeAttribute("data-id");
      clear(card).append(h("p", { class: "empty" }, loading ? "…" : s("empty")));
      return;
    }
    card.dataset.id = item.id;
    const thread = item.thread || {};
    // Native append would print a null as "null": optional parts are filtered out first.
    const parts = [
      h("p", { class: "teach-note" }, `${s("note")}: `, h("strong", {}, item.note_title || item.note_id)),
      thread.parent ? h("p", { class: "teach-parent" }, `${s("replyTo")} ${thread.parent.author || ""}: `, thread.parent.text) : null,
      h("blockquote", { class: "teach-text" }, item.text),
      h("p", { class: "muted" }, item.author ? `— ${item.author}` : "", " · ", s("score", { p: Math.round((item.score || 0) * 100) })),
      thread.replies && thread.replies.length
        ? h("div", { class: "teach-replies" }, h("p", { class: "muted" }, s("replies")),
            h("ul", {}, thread.replies.map((r) => h("li", {}, `${r.author || ""}: `, r.text))))
        : null,
      h("div", { class: "toolbar teach-answers" },
        h("button", { type: "button", class: "primary", "data-action": "yes", tabindex: "-1", onClick: () => answer(true) }, `${s("yes")} (y)`),
        h("button", { type: "button", "data-action": "no", tabindex: "-1", onClick: () => answer(false) }, `${s("no")} (n)`),
        h("button", { type: "button", "data-action": "skip", tabindex: "-1", onClick: skip }, `${s("skip")} (space)`),
        h("button", { type: "button", "data-action": "undo", tabindex: "-1", disabled: !history.length, onClick: undo }, `${s("undo")} (u)`)),
    ];
    clear(card).append(...parts.filter(Boolean));
  }

  function render() {
    clear(root).append(
      h("h2", {}, s("title")),
      h("p", { class: "muted" }, s("intro")),
      stateLine, toolbar, counter, card,
      h("p", { class: "muted teach-keys" }, s("keys")),
    );
    renderModel();
    renderCard();
  }

  // Capture phase: runs before the inbox's document-level shortcuts.
  document.addEventListener("keydown", onKey, true);

  return {
    show() {
      visible = true;
      render();
      if (!queue.length) refill();
      loadModel();
      clearInterval(timer);
      timer = setInterval(loadModel, 2000);
    },
    hide() {
      visible = false;
      clearInterval(timer);
      timer = null;
    },
    render,
  };
}
