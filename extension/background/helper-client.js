/* The ONE place that talks to the local LinkTriage helper (Zotero-connector style): every call goes through
 * callHelper(), which adds the version header, a timeout and the pairing token, and re-pairs once when the
 * helper refuses the token or origin (401/403, lib/delivery.js answerKind "repair"), never on a role refusal.
 * ping() tells "helper offline" (nothing listens) from "something else on that port" (answers, not us).
 * createHelperClient(platform) in node tests (a fake platform, a local HTTP server as the helper); the
 * background uses the one built over lib/platform.js. */
(function (root) {
  "use strict";

  const K = (root.LinkTriage && root.LinkTriage.constants) || require("../lib/constants.js");
  const D = (root.LinkTriage && root.LinkTriage.delivery) || require("../lib/delivery.js");
  const DEFAULT_PORT = K.DEFAULT_PORT;
  const PING_TIMEOUT_MS = 3000;
  const CALL_TIMEOUT_MS = 60000; // a first batch may wait for the model to load

  class HelperError extends Error {
    /** kind: "offline" | "foreign" | "pairing-refused" | "unauthorized" | "role" (403 reason role: the
     * helper's operator may not do this; the pairing is kept; `body` has role and needed) | "http"; `retryAfter`: the
     * answer's Retry-After header, if any (a busy helper's 503, a 429: lib/delivery.js reads it). */
    constructor(kind, message, status = 0, body = null, retryAfter = null) {
      super(message);
      this.name = "HelperError";
      this.kind = kind;
      this.status = status;
      this.body = body;
      this.retryAfter = retryAfter;
    }
  }

  function validPort(value) {
    const n = Number(value);
    return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : null;
  }

  function baseUrl(port) {
    return `http://127.0.0.1:${port}`;
  }

  /** The helper client over `platform` (lib/platform.js: storage for the port and tokens, the version). */
  function createHelperClient(platform) {
    const CLIENT_VERSION = platform.runtime.version();

    // Port and tokens, read from storage once and kept while the worker lives (every call needs them);
    // a change from anywhere (the options page sets the port) drops the copy.
    let settings = null;
    let settingsGeneration = 0;
    function dropSettings() {
      settings = null;
      settingsGeneration += 1;
    }
    platform.storage.onChanged((changes) => {
      if (changes.port || changes.tokens) dropSettings();
    });

    async function readSettings() {
      if (settings) return settings;
      const generation = settingsGeneration;
      const read = await platform.storage.get(["port", "tokens"]);
      const fresh = { port: read.port, tokens: read.tokens || {} };
      if (generation === settingsGeneration) settings = fresh; // else changed while we read: do not keep it
      return fresh;
    }

    async function getPort() {
      const { port } = await readSettings();
      return validPort(port) || DEFAULT_PORT;
    }

    async function getToken(port) {
      const { tokens } = await readSettings();
      return tokens[String(port)] || null;
    }

    async function setToken(port, token) {
      const { tokens } = await platform.storage.get("tokens");
      const next = { ...(tokens || {}) };
      if (token) next[String(port)] = token;
      else delete next[String(port)];
      await platform.storage.set({ tokens: next });
      dropSettings();
    }

    /** fetch with a timeout; a network failure (connection refused, timeout) becomes HelperError("offline"). */
    async function request(port, method, path, { body, token, timeoutMs = CALL_TIMEOUT_MS } = {}) {
      const headers = { "X-LinkTriage-Version": CLIENT_VERSION, Accept: "application/json, text/csv" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (token) headers.Authorization = `Bearer ${token}`;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        return await fetch(baseUrl(port) + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
          credentials: "omit",
          cache: "no-store",
        });
      } catch (err) {
        throw new HelperError("offline", `helper not reachable on 127.0.0.1:${port} (${err && err.name})`);
      } finally {
        clearTimeout(timer);
      }
    }

    async function readJson(response) {
      try {
        return await response.json();
      } catch (_) {
        return null;
      }
    }

    function parseJson(text) {
      try {
        return JSON.parse(text);
      } catch (_) {
        return null;
      }
    }

    /** {state: "offline"|"foreign"|"ok", port, version?, model_loaded?, paired?} — never throws. */
    async function ping() {
      const port = await getPort();
      let response;
      try {
        response = await request(port, "GET", "/api/health", { timeoutMs: PING_TIMEOUT_MS });
      } catch (err) {
        return { state: "offline", port };
      }
      const body = response.ok ? await readJson(response) : null;
      if (!body || body.app !== "linktriage" || !response.headers.get("X-LinkTriage-Version")) {
        return { state: "foreign", port, status: response.status };
      }
      return { state: "ok", port, version: body.version, model_loaded: !!body.model_loaded, paired: !!body.paired };
    }

    /** Zero-config pairing: POST /api/pair from our extension origin; the token is kept per port. */
    async function pair(port) {
      const response = await request(port, "POST", "/api/pair", {
        body: { client: "linktriage-extension", version: CLIENT_VERSION },
        timeoutMs: PING_TIMEOUT_MS * 3,
      });
      const body = await readJson(response);
      if (!response.headers.get("X-LinkTriage-Version")) {
        throw new HelperError("foreign", `something else answers on port ${port}`, response.status);
      }
      if (response.ok && body && typeof body.token === "string" && body.token) {
        await setToken(port, body.token);
        return body.token;
      }
      throw new HelperError("pairing-refused", (body && (body.error || body.message)) || `pairing refused (${response.status})`, response.status, body);
    }

    /**
     * Call the helper: callHelper("POST", "/api/comments", {...}) → {status, data, response}.
     * Pairs when there is no token yet, and once more when the token or origin is refused (401/403 with reason token
     * or origin, or none: answerKind "repair"). A role refusal (403 reason role) keeps the token and is thrown as
     * HelperError("role"). Any other non-2xx is thrown as HelperError("http") carrying the status, so callers
     * decide what it means.
     * `as`: "json" (default) or "text".
     */
    async function callHelper(method, path, body, { as = "json", timeoutMs } = {}) {
      const port = await getPort();
      let token = (await getToken(port)) || (await pair(port));
      let response = await request(port, method, path, { body, token, timeoutMs });
      // 401: token refused. 403: our origin is no longer the paired one (another extension paired, or it was
      // revoked). Either way ask to pair again, once; the helper says no while pairing is closed. A 403 for the
      // operator's role (reason "role") is not about the pairing: the token is kept.
      if (response.headers.get("X-LinkTriage-Version") && (response.status === 401 || response.status === 403)
          && D.answerKind(response.status, await readJson(response.clone())) === "repair") {
        await setToken(port, null);
        token = await pair(port);
        response = await request(port, method, path, { body, token, timeoutMs });
        if (response.status === 401) throw new HelperError("unauthorized", "the helper refuses our token", 401);
      }
      if (!response.headers.get("X-LinkTriage-Version")) {
        throw new HelperError("foreign", `something else answers on port ${port}`, response.status);
      }
      const data = as === "text" ? await response.text() : await readJson(response);
      if (!response.ok) {
        const body = typeof data === "string" ? parseJson(data) : data; // an error is JSON, even when text was asked for
        const message = (body && typeof body === "object" && (body.error || body.message)) || `HTTP ${response.status}`;
        if (D.answerKind(response.status, body) === "role") throw new HelperError("role", String(message), response.status, body);
        throw new HelperError("http", String(message), response.status, body, response.headers.get("Retry-After"));
      }
      return { status: response.status, data, response };
    }

    return { DEFAULT_PORT, HelperError, validPort, getPort, baseUrl, getToken, ping, pair, callHelper };
  }

  root.LinkTriage = root.LinkTriage || {};
  if (root.LinkTriage.platform) root.LinkTriage.helperClient = createHelperClient(root.LinkTriage.platform);
  if (typeof module === "object" && module && module.exports) module.exports = { createHelperClient, HelperError, validPort, baseUrl };
})(globalThis);
