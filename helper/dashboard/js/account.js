// The account switcher in the top bar (team mode, issue 14): "all accounts" and each creator account
// (GET /api/accounts), shown only when there is more than one. The choice is remembered
// (ACCOUNT_KEY) and api.js sends it with every GET that filters by account, so it filters every tab;
// changing it reloads the page, so no tab keeps rows, queues or options of the account before.
// What to show and keep is filter-query.js (pure, node-tested).

import { ACCOUNT, api } from "./api.js";
import { h, clear } from "./dom.js";
import { t } from "./i18n.js";
import { ACCOUNT_KEY, accountOptions, keepKnownAccount, showAccountSwitcher } from "./filter-query.js";

let accounts = [];
let container = null;

function choose(id) {
  if (id) localStorage.setItem(ACCOUNT_KEY, id);
  else localStorage.removeItem(ACCOUNT_KEY);
  location.reload();
}

/** (Re)draw the switcher in its language: the label, "all accounts" first, then each account. */
export function renderAccountSwitcher() {
  if (!container) return;
  container.hidden = !showAccountSwitcher(accounts);
  if (container.hidden) return clear(container);
  const select = h(
    "select",
    { "data-filter": "account", onChange: (e) => choose(e.target.value) },
    h("option", { value: "" }, t("account.all")),
    accountOptions(accounts).map(([value, label]) => h("option", { value, selected: value === ACCOUNT }, label))
  );
  select.value = ACCOUNT;
  clear(container).append(t("account.label"), select);
}

/** Fetch the accounts and show the switcher in `el`; a remembered account that is gone (or the only one) is forgotten. */
export async function createAccountSwitcher(el) {
  container = el;
  try {
    accounts = (await api.get("/api/accounts")).items;
  } catch (_) {
    accounts = []; // the helper is offline or busy: the tabs say so; no switcher meanwhile
    return;
  }
  if (ACCOUNT && keepKnownAccount(ACCOUNT, accounts) !== ACCOUNT) return choose("");
  renderAccountSwitcher();
}
