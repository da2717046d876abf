/* Puts a suggested reply into the site's own composer, in reply mode for one comment. Never sends: the
 * creator reads it and presses the site's send button. */
(function (root) {
  "use strict";

  const LT = root.LinkTriage;
  const COMPOSER = "#content-textarea, .content-edit p.content-input, .content-edit [contenteditable='true']";

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function waitFor(fn, timeoutMs = 2000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = fn();
      if (value || Date.now() > deadline) return value;
      await sleep(50);
    }
  }

  /** The comment's own reply control: anywhere in its .right (it moved out of .info over time). */
  function replyControl(item) {
    return LT.domExtract.own(item, ".right .reply") || LT.domExtract.own(item, ".interactions .reply") || LT.domExtract.own(item, ".reply");
  }

  function editable(el) {
    return el && (el.isContentEditable || el.getAttribute("contenteditable") === "true");
  }

  function setText(box, text) {
    box.focus();
    const selection = box.ownerDocument.getSelection();
    const range = box.ownerDocument.createRange();
    range.selectNodeContents(box);
    selection.removeAllRanges();
    selection.addRange(range);
    // insertText goes through the browser's editing pipeline (beforeinput/input), which frameworks follow.
    let ok = false;
    try {
      ok = box.ownerDocument.execCommand("insertText", false, text);
    } catch (_) {
      ok = false;
    }
    if (!ok || box.textContent !== text) {
      box.textContent = text; // text only, never markup
      box.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: text }));
    }
    range.selectNodeContents(box);
    range.collapse(false);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /** Open reply mode for `item` and fill the composer with `text`. Resolves to the composer element. */
  async function fillReply(item, text) {
    const control = replyControl(item);
    if (!control) throw new Error("no reply control on this comment");
    control.click();
    let box = await waitFor(() => document.querySelector(COMPOSER));
    if (!box) throw new Error("composer not found");
    if (!editable(box)) {
      const placeholder = document.querySelector(".inner-when-not-active");
      if (placeholder) placeholder.click();
      box = await waitFor(() => {
        const el = document.querySelector(COMPOSER);
        return editable(el) ? el : null;
      });
      if (!box) throw new Error("composer stays read-only");
    }
    setText(box, text);
    return box;
  }

  /** Set a textarea/input's value the way typing does: through the native setter, then an input event
   * (frameworks keep their own copy of the value and follow input events). */
  function setFieldText(field, text) {
    field.focus();
    if (field.isContentEditable) {
      setText(field, text);
      return;
    }
    const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(field, text);
    field.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: text }));
  }

  /** The notifications page: open the message's own reply box and fill it ("filled"); when the message
   * has no reply box, open the note (with its xsec_token link) in a new tab instead ("opened"). */
  async function fillNoticeReply(message, text, comment) {
    const ND = LT.noticeDom;
    const control = ND.replyControl(message);
    if (control) {
      control.click();
      const box = await waitFor(() => ND.replyBox(document, message), 1500);
      if (box) {
        setFieldText(box, text);
        return "filled";
      }
    }
    const url = (comment && LT.capture.noteUrl(comment.note_id)) || null;
    if (!url) throw new Error("no reply box and no link to the note");
    window.open(url, "_blank", "noopener");
    return "opened";
  }

  async function copyText(text, shadowRoot) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      const area = document.createElement("textarea");
      area.value = text;
      (shadowRoot || document.body).appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      return ok;
    }
  }

  LT.replyComposer = { fillReply, fillNoticeReply, copyText, replyControl };
})(globalThis);
