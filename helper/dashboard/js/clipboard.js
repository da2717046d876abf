// The dashboard's one copy-to-clipboard helper.

import { h } from "./dom.js";

/** Put `text` on the clipboard: the Clipboard API, else (no focus / permission) a hidden textarea. */
export async function copyToClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (_) {
    const area = h("textarea", { class: "offscreen", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}
