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
