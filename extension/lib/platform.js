/* The browser, in one place (uBlock Origin's vAPI): every extension API the extension uses — storage,
 * messaging, tabs, alarms, the toolbar badge, UI strings — is called here and nowhere else, so browser
 * differences are handled once and the logic can be tested in node against a fake of this one interface
 * (tests/js/fake-platform.js; tests/js/platform.test.js checks both have the same shape).
 *
 * Chromium and Firefox (MV3) both provide `chrome.*` with promises, which is what the extension has
 * always used; Firefox's `browser.*` is the fallback when `chrome` is missing. Differences handled here:
 * no `action` API (the badge is then skipped), no `windows` API (the active tab of the current window is
 * used). The background's other difference — Chromium's single service-worker file with importScripts,
 * Firefox's `background.scripts` list — is in background/service-worker.js and manifest.json. */
(function (root) {
  "use strict";

  /** The platform over the extension API namespace `ns` (chrome or browser, or a fake in tests). */
  function createPlatform(ns) {
    const storage = {
      /** storage.local: get(keys) → {key: value}; get() → everything. */
      get: (keys) => ns.storage.local.get(keys === undefined ? null : keys),
      set: (items) => ns.storage.local.set(items),
      remove: (keys) => ns.storage.local.remove(keys),
      /** fn(changes) after every change of storage.local, by any part of the extension. */
      onChanged(fn) {
        ns.storage.onChanged.addListener((changes, area) => {
          if (area === "local") fn(changes);
        });
      },
    };

    const runtime = {
      id: () => ns.runtime.id,
      version: () => ns.runtime.getManifest().version,
      /** False in a content script whose extension was reloaded or removed (it can no longer send). */
      connected() {
        try {
          return !!(ns.runtime && ns.runtime.id);
        } catch (_) {
          return false;
        }
      },
      /** Send to the extension's other parts (the service worker); resolves to the answer. */
      sendMessage: (message) => ns.runtime.sendMessage(message),
      /**
       * fn(msg, sender) for every message object from this extension itself (never from elsewhere).
       * Returns undefined: not handled, no answer. A value: the answer. A promise: the answer when it
       * settles; a rejection answers {ok: false, error, kind}.
       */
      onMessage(fn) {
        ns.runtime.onMessage.addListener((msg, sender, sendResponse) => {
          if (!sender || sender.id !== ns.runtime.id || !msg || typeof msg !== "object") return false;
          const answer = fn(msg, sender);
          if (answer === undefined) return false;
          if (!answer || typeof answer.then !== "function") {
            sendResponse(answer);
            return false;
          }
          answer.then(sendResponse, (err) => sendResponse({ ok: false, error: String((err && err.message) || err), kind: err && err.kind }));
          return true; // the answer comes later
        });
      },
      onStartup: (fn) => ns.runtime.onStartup.addListener(fn),
      /** fn(details) when the extension is installed, updated or reloaded (details.reason). */
      onInstalled: (fn) => ns.runtime.onInstalled.addListener(fn),
    };

    const tabs = {
      /** Send to the content script of the tab's top frame; resolves to its answer. */
      sendMessage: (tabId, message) => ns.tabs.sendMessage(tabId, message, { frameId: 0 }),
      /** The tab the user is looking at: the active tab of the last focused browser window (a popup
       * opened as a window of its own is not it), or of the current window without a windows API. */
      async active() {
        if (ns.windows && typeof ns.windows.getLastFocused === "function") {
          try {
            const win = await ns.windows.getLastFocused({ windowTypes: ["normal"] });
            const [tab] = await ns.tabs.query({ active: true, windowId: win.id });
            if (tab) return tab;
          } catch (_) {
            /* no normal window */
          }
        }
        const [tab] = await ns.tabs.query({ active: true, currentWindow: true });
        return tab || null;
      },
      open: (url) => ns.tabs.create({ url }),
    };

    const alarms = {
      get: (name) => ns.alarms.get(name),
      /** when: {delayInMinutes, periodInMinutes}. */
      create: (name, when) => ns.alarms.create(name, when),
      clear: (name) => ns.alarms.clear(name),
      /** fn(name) when an alarm fires (it wakes a stopped background). */
      onAlarm: (fn) => ns.alarms.onAlarm.addListener((alarm) => fn(alarm && alarm.name)),
    };

    const badge = {
      /** The toolbar badge: text ("" hides it) on a background colour. Never throws: a browser (or
       * a runtime) without the action API shows none. */
      async set({ text, color }) {
        if (!ns.action) return;
        try {
          await ns.action.setBadgeText({ text });
          await ns.action.setBadgeBackgroundColor({ color });
        } catch (_) {
          /* no badge here */
        }
      },
    };

    const i18n = {
      /** The UI string `key` in the browser's language, placeholders filled from `subs`; the key itself
       * when it is missing (shows what to add rather than nothing). */
      t: (key, subs) => ns.i18n.getMessage(key, subs) || key,
      uiLanguage: () => ns.i18n.getUILanguage(),
    };

    return { storage, runtime, tabs, alarms, badge, i18n };
  }

  const ns = root.chrome && root.chrome.runtime ? root.chrome : root.browser && root.browser.runtime ? root.browser : null;
  root.LinkTriage = root.LinkTriage || {};
  if (ns) root.LinkTriage.platform = createPlatform(ns);
  if (typeof module === "object" && module && module.exports) module.exports = { createPlatform };
})(globalThis);
