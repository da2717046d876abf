// Tiny DOM helpers. Everything that comes from the server is put into the page as text nodes
// (textContent / createTextNode), never as HTML: comment text is data, not markup.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "value" || key === "checked" || key === "disabled" || key === "selected") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h("button", {class: "x", onClick: fn}, "text", childNode) */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** svg("rect", {x: 1, y: 2}) — SVG elements for the charts. */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Save a Blob as a file via a temporary object URL. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 2026-11-24 in the browser's local time, for file names. */
export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatTime(value) {
  if (!value) return "";
  const d = new Date(typeof value === "number" ? value : String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(undefined, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * A short-lived message in the status bar (role=status, so screen readers hear it too), in the
 * bottom-right corner where it does not cover the focused row. `action` ({label, onClick}) adds a
 * button, e.g. undo; messages with an action stay a little longer.
 */
export function toast(text, kind = "info", action = null) {
  const bar = document.getElementById("toast");
  if (!bar) return;
  bar.replaceChildren(h("span", { class: "toast-text" }, text));
  if (action) {
    bar.append(h("button", { type: "button", class: "toast-action", tabindex: "-1", onClick: () => { bar.hidden = true; action.onClick(); } }, action.label));
  }
  bar.dataset.kind = kind;
  bar.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (bar.hidden = true), action ? 6000 : 4000);
}

/** A date input's YYYY-MM-DD as the UTC instant of that local midnight (+days), for since/until. */
export function localDayStart(value, days = 0) {
  if (!value) return "";
  const [y, m, d] = value.split("-").map(Number);
  const start = new Date(y, m - 1, d + days);
  return Number.isNaN(start.getTime()) ? "" : start.toISOString();
}
