// Keyboard shortcuts for the triage pass. They are ignored while typing in a form field.

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

/** bindKeys(() => currentListActions | null, openHelp) */
export function bindKeys(getActions, openHelp) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (TYPING.has(target.tagName) || target.isContentEditable) return;
    if (document.querySelector("dialog[open]")) return; // the help is showing; Esc closes it
    if (event.key === "?") {
      event.preventDefault();
      openHelp();
      return;
    }
    const actions = getActions();
    if (!actions) return;
    const table = {
      j: () => actions.move(1),
      k: () => actions.move(-1),
      r: () => actions.setStatus("replied"),
      i: () => actions.setStatus("ignored"),
      c: () => actions.copy(),
      x: () => actions.toggleSelect(),
      "/": () => actions.focusSearch(),
    };
    const action = table[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
}
