// The service worker: runs the zerodown package for the content scripts (the
// WebAssembly module lives here, under the extension's own CSP), fetches a
// GitHub pull request's `.diff` (which redirects to another origin, out of the
// page's reach), and keeps the content script registered on the self-hosted
// GitLab hosts the user granted.
import init, { lintDiff, lintFiles, loadSchema } from "./vendor/zerodown.js";
// The package's Ruby module (lint exports that also read Rails migrations):
// its glue is imported here (a service worker cannot import() later), its
// WebAssembly is fetched and compiled only for a change holding a `.rb`
// migration.
import initRuby, * as ruby from "./vendor/ruby/zerodown.js";

const SCRIPT_ID = "zerodown-self-hosted";
// The manifest's own hosts (content scripts, the GitHub diff fetch): not self-hosted GitLab hosts.
const manifest = chrome.runtime.getManifest();
const BUILT_IN = [...manifest.content_scripts.flatMap((c) => c.matches), ...(manifest.host_permissions ?? [])];
let ready = null;
let readyRuby = null;
// Which WebAssembly modules this worker has compiled (for debugging, and
// read by the end-to-end tests: the Ruby one only after a change with Ruby).
globalThis.zerodownLoaded = { lint: false, ruby: false, schemaLoads: 0 };

// The last schema a content script sent (a GitLab target branch's
// db/structure.sql), read once per module with that module's loadSchema and
// freed when another one comes.
let schema = { text: null, handles: new Map() };
/** `mod` (a module's lint exports) or its handle of the schema `text`: {linter, info}. */
function withSchema(name, mod, text) {
  if (typeof text !== "string" || !text) return { linter: mod, info: null };
  if (schema.text !== text) {
    for (const handle of schema.handles.values()) handle.free();
    schema = { text, handles: new Map() };
  }
  let handle = schema.handles.get(name);
  if (!handle) {
    handle = mod.loadSchema(text, "db/structure.sql");
    globalThis.zerodownLoaded.schemaLoads++;
    schema.handles.set(name, handle);
  }
  return { linter: handle, info: { counts: handle.counts, problems: handle.problems } };
}

const failure = (e) => ({ ok: false, error: { message: String(e?.message ?? e), code: e?.code } });

/**
 * The unified diff of the pull request at `path` (`/owner/repo/pull/N`) on
 * the origin of the page that asks: only that URL, never one a message names.
 */
async function fetchDiff(path, sender) {
  if (typeof path !== "string" || !/^\/[^/]+\/[^/]+\/pull\/\d+$/.test(path)) throw new Error("not a pull request path");
  const origin = sender.origin ?? new URL(sender.url).origin;
  const url = `${origin}${path}.diff`;
  const response = await fetch(url, { credentials: "include", headers: { accept: "text/plain" } }).catch((e) => {
    throw new Error(`cannot read the pull request's diff (${url}: ${e?.message ?? e}): nothing was checked`);
  });
  if (!response.ok) throw new Error(`cannot read the pull request's diff (${url}: HTTP ${response.status}): nothing was checked`);
  return response.text();
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message?.type === "fetchDiff") {
    fetchDiff(message.path, sender).then((diff) => reply({ ok: true, diff }), (e) => reply(failure(e)));
    return true; // reply is asynchronous
  }
  if (message?.type !== "lintDiff" && message?.type !== "lintFiles") return false;
  let loaded;
  let mod;
  if (message.ruby === true) {
    loaded = readyRuby ??= initRuby({ module_or_path: chrome.runtime.getURL("vendor/ruby/zerodown_bg.wasm") }).then(() => {
      globalThis.zerodownLoaded.ruby = true;
    }, (e) => {
      readyRuby = null; // a later review tries again
      throw new Error(`the zerodown Ruby module failed to load: ${e?.message ?? e}`);
    });
    mod = ruby;
  } else {
    loaded = ready ??= init({ module_or_path: chrome.runtime.getURL("vendor/zerodown_bg.wasm") }).then(() => {
      globalThis.zerodownLoaded.lint = true;
    });
    mod = { lintDiff, lintFiles, loadSchema };
  }
  loaded
    .then(() => {
      if (message.type !== "lintDiff") return reply({ ok: true, report: mod.lintFiles(message.files, message.options) });
      const { linter, info } = withSchema(message.ruby === true ? "ruby" : "lint", mod, message.schema);
      reply({ ok: true, report: linter.lintDiff(message.diff, message.options, message.migrations), schema: info });
    })
    .catch((e) => reply(failure(e)));
  return true;
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
