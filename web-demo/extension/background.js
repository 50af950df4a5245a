// The service worker: runs the zerodown package for the content scripts (the
// WebAssembly module lives here, under the extension's own CSP) and keeps the
// content script registered on the self-hosted GitLab hosts the user granted.
import init, { lintFiles } from "./vendor/zerodown.js";

const SCRIPT_ID = "zerodown-self-hosted";
const BUILT_IN = ["https://gitlab.com/*", "https://github.com/*"];
let ready = null;

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type !== "lintFiles") return false;
  ready ??= init({ module_or_path: chrome.runtime.getURL("vendor/zerodown_bg.wasm") });
  ready
    .then(() => reply({ ok: true, report: lintFiles(message.files, message.options) }))
    .catch((e) => reply({ ok: false, error: { message: String(e?.message ?? e), code: e?.code } }));
  return true; // reply is asynchronous
});

/** Registers the content script on every granted origin beyond the built-in ones. */
async function syncHosts() {
  const { origins = [] } = await chrome.permissions.getAll();
  const matches = origins.filter((o) => !BUILT_IN.includes(o));
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length) {
    await chrome.scripting.registerContentScripts([
      { id: SCRIPT_ID, matches, js: ["vendor/review.js", "content.js"], runAt: "document_idle" },
    ]);
  }
}

chrome.permissions.onAdded.addListener(syncHosts);
chrome.permissions.onRemoved.addListener(syncHosts);
chrome.runtime.onInstalled.addListener(syncHosts);
