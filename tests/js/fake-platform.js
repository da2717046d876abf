"use strict";
/* An in-memory stand-in for extension/lib/platform.js, for node tests of the background modules: the same
 * interface (tests/js/platform.test.js checks the shapes match), storage with the browser's semantics
 * (values copied in and out, change events after each write), and `test` to look inside and to fire
 * events the browser would. */

function createFakePlatform({ id = "linktriage-test", version = "0.1.0", stored = {} } = {}) {
  const data = new Map(Object.entries(structuredClone(stored)));
  const on = { changed: [], message: [], alarm: [], startup: [], installed: [] };
  const alarmsSet = new Map();
  const tabMessages = [];
  const opened = [];
  const badges = [];

  function emit(changes) {
    if (!Object.keys(changes).length) return;
    // Like the browser: listeners run after the write has resolved, not inside it.
    setImmediate(() => {
      for (const fn of on.changed) fn(structuredClone(changes));
    });
  }

  const keysOf = (keys) => (keys === undefined || keys === null ? [...data.keys()] : typeof keys === "string" ? [keys] : keys);

  const storage = {
    async get(keys) {
      const out = {};
      for (const key of keysOf(keys)) if (data.has(key)) out[key] = structuredClone(data.get(key));
      return out;
    },
    async set(items) {
      const changes = {};
      for (const [key, value] of Object.entries(items)) {
        changes[key] = { oldValue: data.get(key), newValue: structuredClone(value) };
        data.set(key, structuredClone(value));
      }
      emit(changes);
    },
    async remove(keys) {
      const changes = {};
      for (const key of typeof keys === "string" ? [keys] : keys) {
        if (data.has(key)) changes[key] = { oldValue: data.get(key) };
        data.delete(key);
      }
      emit(changes);
    },
    onChanged: (fn) => on.changed.push(fn),
  };

  const runtime = {
    id: () => id,
    version: () => version,
    connected: () => true,
    /** Delivered to this platform's own onMessage listeners, as from another part of the extension. */
    async sendMessage(message) {
      for (const fn of on.message) {
        const answer = fn(structuredClone(message), { id });
        if (answer !== undefined) return structuredClone(await answer);
      }
      return undefined;
    },
    onMessage: (fn) => on.message.push(fn),
    onStartup: (fn) => on.startup.push(fn),
    onInstalled: (fn) => on.installed.push(fn),
  };

  const tabs = {
    async sendMessage(tabId, message) {
      tabMessages.push({ tabId, message: structuredClone(message) });
      return undefined;
    },
    active: async () => null,
    open: async (url) => opened.push(url),
  };

  const alarms = {
    get: async (name) => (alarmsSet.has(name) ? { name, ...alarmsSet.get(name) } : undefined),
    create: async (name, when) => void alarmsSet.set(name, { ...when }),
    clear: async (name) => alarmsSet.delete(name),
    onAlarm: (fn) => on.alarm.push(fn),
  };

  const badge = {
    set: async ({ text, color }) => void badges.push({ text, color }),
  };

  const i18n = { t: (key) => key, uiLanguage: () => "en" };

  const test = {
    data,
    tabMessages,
    opened,
    badges,
    alarms: alarmsSet,
    fireAlarm: (name) => on.alarm.forEach((fn) => fn(name)),
    message: (msg, sender = { id }) => on.message.map((fn) => fn(msg, sender)).find((a) => a !== undefined),
  };

  return { storage, runtime, tabs, alarms, badge, i18n, test };
}

module.exports = { createFakePlatform };
