// The one function that calls the helper. Every data call carries the page's own token in
// X-LinkTriage-Token (the token is embedded in the page by the helper; other sites cannot read it).
// Every GET that filters by account carries the chosen account (account.js; "" = all accounts).

import { ACCOUNT_KEY, queryString, withAccount } from "./filter-query.js";

const TOKEN = document.querySelector('meta[name="linktriage-token"]')?.content || "";

/** The account this page shows (remembered; account.js changes it and reloads the page). */
export const ACCOUNT = localStorage.getItem(ACCOUNT_KEY) || "";

export class ApiError extends Error {
  constructor(status, message, data = null) {
    super(message);
    this.status = status;
    this.data = data; // the helper's error body (a 409 of a claim says claimed_by / claimed_until)
  }
}

async function call(method, path, { params, body, raw } = {}) {
  const headers = { "X-LinkTriage-Token": TOKEN, Accept: raw ? "*/*" : "application/json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path + queryString(method === "GET" ? withAccount(path, params, ACCOUNT) : params), init);
  } catch (err) {
    throw new ApiError(0, "helper offline");
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    let data = null;
    try {
      data = await response.json();
      message = data.error || message; // the helper answers errors as {"error", "status"}
    } catch (_) {
      /* not JSON: keep the status line */
    }
    throw new ApiError(response.status, message, data);
  }
  if (raw) return response.blob();
  if (response.status === 204) return null;
  return response.json();
}

export const api = {
  get: (path, params) => call("GET", path, { params }),
  blob: (path, params) => call("GET", path, { params, raw: true }),
  post: (path, body, params) => call("POST", path, { body: body ?? {}, params }),
  put: (path, body) => call("PUT", path, { body }),
  patch: (path, body, params) => call("PATCH", path, { body, params }),
  del: (path) => call("DELETE", path, { body: {} }),
};

/** PATCH /api/comments/<id> (status, correction, suggested_reply): the helper answers with the comment as stored. */
export const patchComment = (item, change) =>
  api.patch(`/api/comments/${encodeURIComponent(item.id)}`, change, { platform: item.platform });
