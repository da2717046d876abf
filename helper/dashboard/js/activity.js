// The activity tab (team mode, issue 14): who changed a status, corrected the model, claimed, released
// or filled a reply, exported, or changed a role, newest first (GET /api/audit), filtered by operator,
// action and account, a page at a time ("more" asks for the page before the last event shown). For an
// owner, the operators and their roles, each changeable (PUT /api/operators/<name>). Comment text is
// put in as text (dom.js), never as HTML. What to ask and what an event says: activity-view.js.

import { ACCOUNT, api } from "./api.js";
import { formatTime } from "./dates.js";
import { h, clear, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { ROLES, appendPage, auditQuery, eventSummary, managesRoles } from "./activity-view.js";

export function createActivity(root) {
  const filters = { operator: "", action: "", account: null }; // account null: the top bar's
  let items = null;
  let next = null;
  let operatorsSeen = [];
  let actions = [];
  let accounts = [];
  let team = null; // GET /api/operators: {me, items, roles}
  let loading = false;

  async function load(more = false) {
    if (loading) return;
    loading = true;
    try {
      const page = await api.get("/api/audit", auditQuery(filters, more ? next : null));
      items = more ? appendPage(items || [], page) : page.items;
      next = page.next;
      if (!more) {
        operatorsSeen = page.operators || operatorsSeen;
        actions = page.actions || actions;
      }
    } catch (err) {
      if (!more) items = null;
      toast(errorText(err), "error");
    } finally {
      loading = false;
    }
    render();
  }

  async function loadTeam() {
    try {
      team = await api.get("/api/operators");
    } catch (err) {
      team = null;
    }
    try {
      accounts = (await api.get("/api/accounts")).items;
    } catch (_) {
      accounts = [];
    }
    render();
  }

  async function setRole(name, role) {
    try {
      await api.put(`/api/operators/${encodeURIComponent(name)}`, { role });
      toast(t("activity.roleSet", { name, role: t(`role.${role}`) }));
    } catch (err) {
      toast(errorText(err), "error");
    }
    await Promise.all([loadTeam(), load()]);
  }

  function choose(key, value) {
    filters[key] = value;
    load();
  }

  function select(key, options, current) {
    const el = h("select", { "data-filter": key, onChange: (e) => choose(key, e.target.value) },
      h("option", { value: "" }, t(key === "account" ? "account.all" : "filter.all")),
      options.map(([value, label]) => h("option", { value, selected: value === current }, label)));
    el.value = current;
    return el;
  }

  function controls() {
    const parts = [
      h("label", {}, t("activity.operator"), select("operator", operatorsSeen.map((o) => [o, o]), filters.operator)),
      h("label", {}, t("activity.action"), select("action", actions.map((a) => [a, t(`activity.action.${a}`)]), filters.action)),
    ];
    if (accounts.length > 1) {
      const current = filters.account === null ? ACCOUNT : filters.account;
      parts.push(h("label", {}, t("activity.account"), select("account", accounts.map((a) => [a.id, a.name || a.id]), current)));
    }
    return h("div", { class: "filters" }, parts);
  }

  function summary(event) {
    const [key, vars] = eventSummary(event);
    const values = { ...vars };
    if (values.what) values.what = t(values.what);
    for (const k of ["from", "to"]) {
      if (values[k] && event.action === "status") values[k] = t(`status.${values[k]}`);
      if (values[k] && event.action === "role") values[k] = t(`role.${values[k]}`);
    }
    return t(key, values);
  }

  function accountName(id) {
    if (!id) return "";
    const found = accounts.find((a) => a.id === id);
    return (found && found.name) || id;
  }

  function eventsTable() {
    return h("table", { class: "activity-table" },
      h("thead", {}, h("tr", {}, [t("activity.when"), t("activity.operator"), t("activity.what"), t("activity.comment"), t("activity.account")]
        .map((c) => h("th", {}, c)))),
      h("tbody", {}, items.map((event) => h("tr", { "data-event-id": event.id, "data-action": event.action },
        h("td", { class: "activity-when" }, formatTime(event.at)),
        h("td", { class: "activity-operator" }, event.operator),
        h("td", { class: "activity-summary" }, summary(event)),
        h("td", { class: "activity-text" }, event.text ?? (event.comment_id ? t("activity.gone") : "")),
        h("td", { class: "activity-account" }, accountName(event.account))))));
  }

  function rolesSection() {
    if (!team) return null;
    const me = team.me || {};
    const who = me.name ? t("activity.me", { name: me.name, role: t(`role.${me.role}`) }) : t("activity.meLocal");
    const parts = [h("h3", {}, t("activity.roles")), h("p", { class: "muted", "data-me-role": me.role }, who)];
    if (!managesRoles(me)) return h("section", { class: "roles" }, parts);
    if (!team.items.length) parts.push(h("p", { class: "empty" }, t("activity.noOperators")));
    else {
      parts.push(h("table", { class: "roles-table" },
        h("thead", {}, h("tr", {}, [t("activity.operator"), t("activity.role"), t("activity.since")].map((c) => h("th", {}, c)))),
        h("tbody", {}, team.items.map((op) => {
          const pick = h("select", { "data-operator": op.name, onChange: (e) => setRole(op.name, e.target.value) },
            ROLES.map((r) => h("option", { value: r, selected: r === op.role }, t(`role.${r}`))));
          pick.value = op.role;
          return h("tr", { "data-operator": op.name }, h("td", {}, op.name), h("td", {}, pick), h("td", {}, formatTime(op.created)));
        }))));
      parts.push(h("p", { class: "muted" }, t("activity.rolesHelp")));
    }
    return h("section", { class: "roles" }, parts);
  }

  function render() {
    const parts = [h("h2", {}, t("activity.title")), h("p", { class: "muted" }, t("activity.help")), controls()];
    if (items && !items.length) parts.push(h("p", { class: "empty" }, t("activity.none")));
    if (items && items.length) {
      parts.push(eventsTable());
      if (next) parts.push(h("div", { class: "pager" }, h("button", { type: "button", class: "activity-more", onClick: () => load(true) }, t("activity.more"))));
    }
    parts.push(rolesSection());
    clear(root).append(...parts.filter(Boolean));
  }

  return {
    show: () => {
      loadTeam();
      load();
    },
    render,
  };
}
