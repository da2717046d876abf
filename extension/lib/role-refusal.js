/* A role refusal (issue 14, team mode): the helper runs as an operator whose role may not do what the extension
 * asked (a viewer changing a status, correcting, filling a reply). The helper answers 403 with
 * {"reason": "role", "role", "needed"} (helper/roles.py); the helper client throws HelperError("role") for it
 * and keeps its pairing (lib/delivery.js answerKind). The refused action is dropped — retrying cannot make it
 * allowed, only an owner can change the role — and one notice says so in the popup (and, for a fill, in the
 * page's badge): "Your role (viewer) cannot change statuses".
 * Pure: the background makes the notice (fromError), the popup and the content script word it (text).
 * Node-tested in tests/js/role-refusal.test.js. */
(function (root) {
  "use strict";

  const ROLES = ["viewer", "agent", "owner"];
  // What was refused → its message (_locales: "Your role ($ROLE$) cannot ...").
  const MESSAGES = { status: "roleCannotStatus", correction: "roleCannotCorrect", fill: "roleCannotFill" };
  const ROLE_NAMES = { viewer: "roleViewer", agent: "roleAgent", owner: "roleOwner" };

  /** The action a queued triage item asks for: "status" or "correction" (a status wins when both). */
  function triageAction(item) {
    const body = (item && item.body) || {};
    return typeof body.status === "string" ? "status" : "correction";
  }

  /** A role refusal's notice {action, role, needed, at}, or null when `err` (background/helper-client.js
   * HelperError) is not one. `action`: "status" | "correction" | "fill". */
  function fromError(err, action, now = Date.now()) {
    if (!err || err.kind !== "role" || !MESSAGES[action]) return null;
    const body = err.body && typeof err.body === "object" ? err.body : {};
    return {
      action,
      role: ROLES.includes(body.role) ? body.role : null,
      needed: ROLES.includes(body.needed) ? body.needed : null,
      at: now,
    };
  }

  /** Is this a well-formed notice (as stored, or as the service worker sent it)? */
  function isNotice(notice) {
    return !!notice && typeof notice === "object" && !!MESSAGES[notice.action];
  }

  /** The notice in the UI's words: t is platform.i18n.t. */
  function text(notice, t) {
    if (!isNotice(notice)) return "";
    const role = notice.role ? t(ROLE_NAMES[notice.role]) : "?";
    return t(MESSAGES[notice.action], [role]);
  }

  const api = Object.freeze({ MESSAGES, ROLE_NAMES, triageAction, fromError, isNotice, text });
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.roleRefusal = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
