// The activity tab (team mode, issue 14): who changed a status, corrected the model, claimed, released
// or filled a reply, exported, or changed a role, newest first (GET /api/audit), filtered by operator,
// action and account, a page at a time ("more" asks for the page before the last event shown). Live updates
// (live.js) add the events that came since the newest shown at the top (?after=), keeping the pages loaded;
// when more came than LIVE_PAGES pages, it reads the first page again. For an
// owner, the operators and their roles, each changeable (PUT /api/operators/<name>). Comment text is
// put in as text (dom.js), never as HTML. What to ask and what an event says: activity-view.js.

import { ACCOUNT, api } from "./api.js";
import { formatTime } from "./dates.js";
import { h, clear, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { PAGE_SIZE, ROLES, appendPage, auditQuery, eventSummary, managesRoles, newestId, prependEvents } from "./activity-view.js";

const LIVE_PAGES = 4; // a live update reads at most this many pages of new events, else the first page again

export function createActivity(root) {
  const filters = { operator: "", action: "", account: null }; // account null: the top bar's
  let items = null;
  let next = null;
  let operatorsSeen = [];
  let actions = [];
  let accounts = [];
  let team = null; // GET /api/operators: {me, items, roles}
  let loading = false; // one read at a time; what is asked meanwhile runs after it (settle)
  let reload = false; // the first page was asked (a filter chosen, an action) while another read ran
  let liveAgain = false; // a live update came while a read ran: look for new events after it

  function settle() {
    if (reload) {
      reload = liveAgain = false;
      load();
    } else if (liveAgain) {
      liveAgain = false;
      loadNewer();
    }
  }

  async function load(more = false) {
    if (loading) {
      if (!more) reload = true;
      return;
    }
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
    settle();
  }

  /** A live update: put the events that came since the newest shown at the top; the pages loaded stay. */
  async function loadNewer() {
    if (loading) {
      liveAgain = true;
      return;
    }
    const after = newestId(items);
    if (after === null) return load(); // nothing shown yet: the first page is what came
    loading = true;
    const newer = [];
    let complete = false;
    let failed = false;
    try {
      let before = null;
      for (let n = 0; n < LIVE_PAGES && !complete; n += 1) {
        const page = await api.get("/api/audit", auditQuery(filters, before, PAGE_SIZE, after));
        newer.push(...page.items);
        if (page.operators) operatorsSeen = page.operators;
        before = page.next;
        complete = !before;
      }
    } catch (_) {
      failed = true; // the next update (or showing the tab) reads again; the events shown stay
    } finally {
      loading = false;
    }
    if (reload) return settle(); // the filters changed meanwhile: this read is stale, the first page follows
    if (!failed && !complete) return load(); // a flood: start again at the top
    if (!failed && newer.length) {
      items = prependEvents(items, newer);
      root.dataset.liveAdded = String(Number(root.dataset.liveAdded || 0) + newer.length); // tests wait for it
      render();
    }
    settle();
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
    refresh: () => loadNewer(),
    render,
  };
}
