// Keyboard shortcuts for the triage pass. Ignored while typing in a form field, except Esc, which
// leaves the field and goes back to the list (so the next `j` moves instead of typing "j").

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

/** The shortcut table: key -> [action name, argument]; also what the help dialog lists. */
export const SHORTCUTS = [
  ["j", "move", 1], ["ArrowDown", "move", 1], ["k", "move", -1], ["ArrowUp", "move", -1],
  ["r", "replied"], ["i", "ignore"], ["n", "notRequest"], ["e", "edit"], ["u", "undo"],
  ["o", "open"], ["c", "copy"], ["x", "toggleSelect"], ["]", "page", 1], ["[", "page", -1],
  ["/", "focusSearch"],
  ...Array.from({ length: 9 }, (_, i) => [String(i + 1), "choice", i]),
];
const TABLE = new Map(SHORTCUTS.map(([key, name, arg]) => [key, [name, arg]]));

/** bindKeys(() => currentListActions | null, openHelp) */
export function bindKeys(getActions, openHelp) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return; // the help is showing; Esc closes it
    const target = event.target;
    if (TYPING.has(target.tagName) || target.isContentEditable) {
      if (event.key === "Escape") {
        const actions = getActions();
        if (actions) {
          event.preventDefault();
          actions.backToList();
        } else target.blur();
      }
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      openHelp();
      return;
    }
    const actions = getActions();
    if (!actions) return;
    if (event.key === "Escape") {
      actions.backToList();
      return;
    }
    const entry = TABLE.get(event.key);
    if (!entry) return;
    const [name, arg] = entry;
    if (typeof actions[name] !== "function") return;
    event.preventDefault();
    actions[name](arg);
  });
}
