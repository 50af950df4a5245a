// The playground: editor, options, findings, rule docs, step plans, the
// "plan a change" form and a pasted rehearsal report, all from the zerodown
// package running in a worker.
// The whole state lives in the URL hash, so a link reproduces the page.
import { h } from "../lib/dom.js";
import { renderMarkdown } from "../lib/markdown.js";
import { renderPlan } from "../lib/timeline.js";
import { adoptStyles, BASE_CSS, TIMELINE_CSS } from "../lib/styles.js";
import { Editor } from "./editor.js";
import { EXAMPLES } from "./examples.js";
import { CHANGE_KINDS, changeFrom } from "./changes.js";
import { LINK_LIMIT, readState } from "./link.js";
import { readReport, renderError, renderRehearsal } from "./rehearsal.js";

const LINT_DELAY_MS = 120;
const $ = (id) => document.getElementById(id);

const DEFAULTS = {
  sql: EXAMPLES[0].sql,
  lang: "sql", // "ruby": the text is a Rails migration, read by the package's Ruby module
  phase: "regular",
  release: "",
  pg: "16",
  large: "",
  sel: 0,
  change: null, // the last planned change, as submitted in the form
  changeOptions: null, // the plan options the form adds for it (rollback details)
  framework: "plain", // what application steps are written for
};
const state = { ...DEFAULTS };

// ---- worker -------------------------------------------------------------
const { worker, early } = window.zerodownBoot;
let nextId = 1;
const pending = new Map();
let info = null; // {version, rules} (rules without docs: the lint module carries none)
let resolveReady;
const ready = new Promise((ok) => (resolveReady = ok));

worker.onmessage = ({ data }) => {
  if (data.type === "ready") {
    info = data;
    resolveReady();
    return;
  }
  if (data.type === "failed") {
    showStatus(`The zerodown module failed to load: ${data.error.message}`, "error");
    return;
  }
  const p = pending.get(data.id);
  pending.delete(data.id);
  if (data.ok) p?.resolve(data.result);
  else p?.reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
};

for (const event of early.splice(0)) worker.onmessage(event);

/** Sends a request to the worker; the promise carries the request's `id`. */
function call(message) {
  const id = nextId++;
  const promise = new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  });
  promise.id = id;
  return promise;
}

// The full module (plans of changes, rule docs) loads on first need.
let fullLoad = null;
function loadFull() {
  fullLoad ??= call({ type: "load-full" }).then((r) => {
    document.documentElement.dataset.full = "loaded";
    return r;
  }, (e) => {
    fullLoad = null;
    throw e;
  });
  return fullLoad;
}

// ---- state <-> URL ------------------------------------------------------
/** Reads the state from the URL hash, field by field; says what a damaged link could not give. */
function readHash() {
  const { state: read, problems } = readState(location.hash.slice(1), DEFAULTS);
  Object.assign(state, read);
  linkNotice(problems.length
    ? `Part of this link could not be used: ${problems.join("; ")}. The rest of the link is as it was shared.`
    : "");
}

function linkNotice(text) {
  const el = $("link-status");
  el.textContent = text;
  el.hidden = !text;
}

function writeHash() {
  const q = new URLSearchParams();
  q.set("sql", state.sql);
  if (state.lang !== "sql") q.set("lang", state.lang);
  q.set("phase", state.phase);
  if (state.release) q.set("release", state.release);
  q.set("pg", state.pg);
  if (state.large) q.set("large", state.large);
  if (state.sel) q.set("sel", String(state.sel));
  if (state.change) q.set("change", JSON.stringify(state.change));
  if (state.change && state.changeOptions && Object.keys(state.changeOptions).length) q.set("changeopts", JSON.stringify(state.changeOptions));
  if (state.framework !== "plain") q.set("fw", state.framework);
  try {
    history.replaceState(null, "", `#${q}`);
  } catch {
    // Too long for this browser's address bar: "Copy link" says so.
  }
  return `${location.origin}${location.pathname}${location.search}#${q}`;
}

function lintOptions() {
  const options = { phase: state.phase, pgVersion: Number(state.pg), plans: true };
  if (state.release.trim()) options.release = state.release.trim();
  const large = state.large.split(",").map((s) => s.trim()).filter(Boolean);
  if (large.length) options.largeTables = large;
  return options;
}

/** Plan options (the package's PlanOptions) for the "plan a change" form. */
function planOptions() {
  const options = { pgVersion: Number(state.pg), framework: state.framework, ...(state.changeOptions ?? {}) };
  if (state.release.trim()) options.release = state.release.trim();
  return options;
}

// ---- UI -----------------------------------------------------------------
adoptStyles(document, BASE_CSS, TIMELINE_CSS);
document.querySelector("form.options").addEventListener("submit", (e) => e.preventDefault());
readHash();
const editor = new Editor($("editor"), {
  onInput: () => {
    state.sql = editor.value;
    if (!applyingFix) fixNotice("");
    schedule();
  },
  onMarkClick: (i) => select(i, { reveal: true }),
});
editor.value = state.sql;

const controls = {
  lang: $("opt-lang"),
  phase: $("opt-phase"),
  release: $("opt-release"),
  pg: $("opt-pg"),
  large: $("opt-large"),
};
for (const [key, el] of Object.entries(controls)) {
  el.value = state[key];
  el.addEventListener("input", () => {
    state[key] = el.value;
    schedule();
    if (key === "lang") applySchema();
    if (state.change) planChange();
  });
}

const examples = $("examples");
examples.append(h("option", { value: "" }, "Examples…"), ...EXAMPLES.map((e, i) => h("option", { value: String(i) }, e.name)));
examples.addEventListener("change", () => {
  const e = EXAMPLES[Number(examples.value)];
  examples.value = "";
  if (!e) return;
  state.sql = e.sql;
  state.lang = e.lang ?? "sql";
  controls.lang.value = state.lang;
  state.phase = e.phase ?? "regular";
  state.large = e.largeTables ?? "";
  state.sel = 0;
  editor.value = e.sql;
  fixNotice("");
  controls.phase.value = state.phase;
  controls.large.value = state.large;
  lintNow();
});

let shareReset = 0;
$("share").addEventListener("click", async () => {
  // A label from an earlier click must not overwrite this click's.
  clearTimeout(shareReset);
  const link = writeHash();
  const share = $("share");
  if (link.length > LINK_LIMIT) {
    // A link that long would not open: say so rather than copy it.
    share.textContent = "Link too long";
    linkNotice(`This page is too long to share as a link: its link would be ${megabytes(link.length)}, and browsers ` +
      `open links of up to ${megabytes(LINK_LIMIT)}. Share the migration as a file instead, or shorten it.`);
  } else {
    try {
      await navigator.clipboard.writeText(link);
      share.textContent = "Link copied";
    } catch {
      share.textContent = "Link in address bar";
    }
  }
  shareReset = setTimeout(() => (share.textContent = "Copy link"), 2500);
});

function megabytes(chars) {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}

let timer = 0;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(lintNow, LINT_DELAY_MS);
}

let report = null;
let hashTimer = 0;
// Writing the URL of a long text (encoding it, replacing the history entry)
// takes tens of milliseconds: for a long text it waits until the text has
// been still for a second, so it never lands between two keystrokes, and it
// is written at once when the page is hidden. A short text's URL follows
// every lint, in a task of its own.
function scheduleHash() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(writeHash, state.sql.length > 20_000 ? 1000 : 0);
}
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "hidden") return;
  clearTimeout(hashTimer);
  writeHash();
});
let lintSeq = 0;
let firstFindings = true;
// One lint at a time: an edit made while the worker lints is linted when
// it is done. A result arrives as JSON text, parsed only when it is still
// the text on screen, so stale results cost the page nothing.
let linting = false;
let lintAgain = false;
async function lintNow() {
  clearTimeout(timer);
  if (linting) {
    lintAgain = true;
    return;
  }
  linting = true;
  lintAgain = false;
  try {
    await lintOnce();
  } finally {
    linting = false;
    if (lintAgain) lintNow();
  }
}

async function lintOnce() {
  const seq = ++lintSeq;
  const sql = state.sql;
  let result;
  try {
    // The file name picks the front end: a Rails migration is read by the Ruby module (loaded on first use).
    const request = call({ type: "lint", sql, options: lintOptions(), path: state.lang === "ruby" ? "migration.rb" : "migration.sql" });
    const { json, schemaLoads } = await request;
    $("schema-pane").dataset.schemaLoads = String(schemaLoads);
    if (sql !== editor.value) return; // a newer edit is on its way
    result = JSON.parse(json);
    result.lintId = request.id;
    result.sql = sql; // the text the findings' offsets (and fixes) are for
    result.plans = new Map(); // finding index -> its plan, fetched from the worker when shown
    // The selected finding's plan comes with the findings, so both show at once.
    const sel = state.sel < result.findings.length ? state.sel : 0;
    if (result.findings[sel]?.hasPlan) await findingPlan(result, sel).catch(() => null);
  } catch (e) {
    if (seq === lintSeq) showStatus(`${e.code ? `${e.code}: ` : ""}${e.message}`, "error");
    return;
  }
  if (seq !== lintSeq || sql !== editor.value) return; // a newer edit is on its way
  showStatus("");
  report = result;
  if (state.sel >= report.findings.length) state.sel = 0;
  renderFindings();
  scheduleHash();
  if (firstFindings) {
    firstFindings = false;
    performance.mark("zerodown:first-findings");
    document.documentElement.dataset.linted = "true";
  }
}

function showStatus(text, kind = "") {
  const el = $("status");
  el.textContent = text;
  el.className = `status ${kind}`;
  el.hidden = !text;
}

function location1(f) {
  return `${f.span.start.line}:${f.span.start.column}`;
}

function renderFindings() {
  const { findings, summary } = report;
  editor.setMarks(
    findings.map((f, index) => ({
      start: f.span.start.utf16, end: Math.max(f.span.end.utf16, f.span.start.utf16 + 1), line: f.span.start.line,
      severity: f.severity, rule: f.rule, index,
    })),
    state.sel,
  );
  $("summary").replaceChildren(...[
    findings.length
      ? [
          summary.errors ? h("span", { class: "pill sev-error" }, `${summary.errors} error${summary.errors > 1 ? "s" : ""}`) : null,
          summary.warnings ? h("span", { class: "pill sev-warning" }, `${summary.warnings} warning${summary.warnings > 1 ? "s" : ""}`) : null,
          summary.infos ? h("span", { class: "pill sev-info" }, `${summary.infos} info`) : null,
        ]
      : h("span", { class: "pill ok" }, "No findings: safe to run without downtime"),
  ].flat().filter(Boolean));
  // A lint after a keystroke mostly finds what the last one found: items
  // whose finding reads the same stay in the DOM, so only changed rows are
  // laid out and painted again.
  const list = $("findings");
  list.querySelector(".more")?.remove();
  const upto = Math.min(findings.length, LIST_PAGE);
  const rows = list.children;
  for (let i = 0; i < upto; i++) {
    const key = itemKey(findings[i], i);
    if (listKeys[i] === key && rows[i]) continue;
    const item = findingItem(findings[i], i);
    if (rows[i]) rows[i].replaceWith(item);
    else list.append(item);
    listKeys[i] = key;
  }
  while (rows.length > upto) rows[rows.length - 1].remove();
  listKeys.length = upto;
  listed = upto;
  listMore(0);
  renderDetail();
}

/** What a list item shows: an item with the same key is kept as it is. */
function itemKey(f, i) {
  return [i === state.sel, f.severity, f.rule, location1(f), f.message, f.help, f.fix ? JSON.stringify(f.fix) : ""].join("\u0000");
}

// A long migration can have thousands of findings: the list shows them a
// page at a time ("Show more"), so a lint never stalls typing to build it.
const LIST_PAGE = 200;
let listed = 0;
let listKeys = []; // itemKey of each listed finding, in order
function listMore(count) {
  const { findings } = report;
  const list = $("findings");
  list.querySelector(".more")?.remove();
  const upto = Math.min(findings.length, listed + count);
  const items = [];
  for (let i = listed; i < upto; i++) {
    items.push(findingItem(findings[i], i));
    listKeys[i] = itemKey(findings[i], i);
  }
  listed = upto;
  const rest = findings.length - listed;
  if (rest > 0) {
    items.push(h("li", { class: "more" }, h("button", { type: "button", onclick: () => listMore(LIST_PAGE) },
      `Show ${Math.min(rest, LIST_PAGE)} more of ${rest} findings`)));
  }
  list.append(...items);
}

function findingItem(f, i) {
  return h("li", null, findingButton(f, i), f.fix ? fixRow(f, i) : null);
}

/** A finding's fix: its title and "Apply fix" (a button of its own: buttons do not nest). */
function fixRow(f, i) {
  return h("div", { class: "fix", dataset: { rule: f.rule, index: i } },
    h("span", { class: "fix-title" }, h("span", { class: "fix-label" }, "Fix: "), f.fix.title),
    h("button", {
      type: "button",
      class: "apply-fix",
      "aria-label": `Apply fix: ${f.fix.title} (${f.rule}, line ${f.span.start.line})`,
      onclick: () => applyFix(i),
    }, "Apply fix"));
}

let applyingFix = false;
/**
 * Applies finding `i`'s fix to the editor's text: its edits (UTF-16 offsets
 * of the linted text, sorted, not overlapping) from last to first, as one
 * edit of the textarea so that the browser's undo takes it back, then lints.
 * Nothing happens when the text changed since the lint (a newer one is on
 * its way, with its own fixes).
 */
function applyFix(i) {
  const f = report?.findings[i];
  if (!f?.fix?.edits.length || report.sql !== editor.value) return;
  const edits = [...f.fix.edits].sort((a, b) => a.span.start.utf16 - b.span.start.utf16);
  const from = edits[0].span.start.utf16;
  const to = Math.max(...edits.map((e) => e.span.end.utf16));
  let text = editor.value.slice(from, to);
  for (const e of [...edits].reverse()) {
    text = text.slice(0, e.span.start.utf16 - from) + e.text + text.slice(e.span.end.utf16 - from);
  }
  applyingFix = true;
  try {
    editor.replace(from, to, text);
  } finally {
    applyingFix = false;
  }
  state.sql = editor.value;
  fixNotice(`Applied: ${f.fix.title} (${f.rule}). Undo with Ctrl+Z in the editor.`);
  lintNow();
}

function fixNotice(text) {
  const el = $("fix-status");
  if (el.textContent !== text) el.textContent = text;
}

function findingButton(f, i) {
  return h("button", {
    type: "button",
    class: `finding${i === state.sel ? " selected" : ""}`,
    "aria-pressed": String(i === state.sel),
    dataset: { rule: f.rule, index: i },
    onclick: () => select(i, { reveal: true }),
  },
  h("span", { class: `sev sev-${f.severity}` }, f.severity),
  h("span", { class: "rule" }, f.rule),
  h("span", { class: "loc" }, `line ${location1(f)}`),
  h("span", { class: "msg" }, f.message),
  h("span", { class: "help" }, f.help));
}

function select(i, { reveal = false } = {}) {
  if (!report?.findings[i]) return;
  state.sel = i;
  if (i >= listed) listMore(i + 1 - listed);
  // Only the selection changes: the list and the marks stay.
  for (const el of $("findings").querySelectorAll(".finding")) {
    const on = Number(el.dataset.index) === i;
    el.classList.toggle("selected", on);
    el.setAttribute("aria-pressed", String(on));
  }
  editor.select(i);
  renderDetail();
  writeHash();
  const f = report.findings[i];
  if (reveal) editor.reveal(f.span.start.utf16, f.span.end.utf16);
}

/** A finding's plan, from the worker (which keeps the plans of the last lint). */
function findingPlan(r, i) {
  if (!r.plans.has(i)) {
    const p = call({ type: "finding-plan", lint: r.lintId, index: i }).then((plan) => {
      r.plans.set(i, plan);
      return plan;
    }, (e) => {
      r.plans.delete(i);
      throw e;
    });
    r.plans.set(i, p);
  }
  return Promise.resolve(r.plans.get(i));
}

// Rule docs come from the full module: fetched when the reader opens them.
let docsOpen = false;
const docs = new Map(); // rule -> Promise<markdown>
function ruleDoc(rule) {
  if (!docs.has(rule)) {
    docs.set(rule, loadFull().then(() => call({ type: "explain", rule })).catch((e) => {
      docs.delete(rule);
      throw e;
    }));
  }
  return docs.get(rule);
}

function fillDoc(body, rule) {
  if (body.dataset.rule === rule) return;
  body.dataset.rule = rule;
  body.replaceChildren(h("p", { class: "muted" }, "Loading the rule's documentation…"));
  ruleDoc(rule).then(
    (md) => body.dataset.rule === rule && body.replaceChildren(renderMarkdown(md, { skipTitle: true })),
    (e) => body.dataset.rule === rule && body.replaceChildren(h("p", { class: "status error", role: "alert" },
      `The rule's documentation could not be loaded: ${e.code ? `${e.code}: ` : ""}${e.message}`)),
  );
}

// What the detail and plan panes show: a lint that finds the same finding
// selected, with the same plan, leaves them as they are.
let shownDetail = null;
function renderDetail() {
  const f = report?.findings[state.sel];
  const detail = $("detail");
  const planBox = $("finding-plan");
  const plan = f?.hasPlan ? report.plans.get(state.sel) : null;
  const key = f && [itemKey(f, state.sel), Boolean(info?.rules.some((r) => r.id === f.rule)), f.hasPlan,
    plan && !(plan instanceof Promise) ? JSON.stringify(plan) : ""].join("\u0001");
  if (key && key === shownDetail) return;
  shownDetail = key;
  if (!f) {
    detail.replaceChildren(h("p", { class: "muted" }, "Select a finding to read its rule and its safe path."));
    planBox.replaceChildren();
    return;
  }
  const rule = info?.rules.find((r) => r.id === f.rule);
  const body = h("div", { class: "doc-body" });
  const doc = h("details", { class: "doc", open: docsOpen }, h("summary", null, "Rule documentation"), body);
  doc.addEventListener("toggle", () => {
    docsOpen = doc.open;
    if (doc.open) fillDoc(body, f.rule);
  });
  if (docsOpen) fillDoc(body, f.rule);
  detail.replaceChildren(
    h("h3", null, h("span", { class: `sev sev-${f.severity}` }, f.severity), " ", h("code", null, f.rule)),
    rule ? h("p", { class: "summary-line" }, rule.summary) : null,
    doc,
  );
  const head = h("div", { class: "pane-head" },
    h("h2", null, "Safe path for this finding"),
    h("span", { class: "muted" }, h("code", null, f.rule), ` at line ${location1(f)}`));
  if (!f.hasPlan) {
    planBox.replaceChildren(head, h("p", { class: "notice", id: "plan-missing" },
      "This finding has no multi-release plan: the fix is a single statement, described in the rule's safe alternative above."));
    return;
  }
  const r = report;
  const i = state.sel;
  const known = r.plans.get(i);
  if (known && !(known instanceof Promise)) {
    planBox.replaceChildren(head, renderPlan(known));
    return;
  }
  planBox.replaceChildren(head, h("p", { class: "muted" }, "Loading the plan…"));
  findingPlan(r, i).then((plan) => {
    if (report === r && state.sel === i) planBox.replaceChildren(head, renderPlan(plan));
  }, () => {}); // a newer lint is on its way and redraws this
}

// ---- plan a change ------------------------------------------------------
function buildPlanForm() {
  const box = $("plan-change");
  const head = h("div", { class: "pane-head" }, h("h2", null, "Plan a change"),
    h("span", { class: "muted" }, "The safe path for a change, release by release (release and PostgreSQL version from the options above)."));
  const kind = h("select", { id: "change-kind", name: "kind" }, Object.keys(CHANGE_KINDS).map((k) => h("option", { value: k }, k)));
  const framework = h("select", { id: "change-framework", name: "framework" },
    h("option", { value: "plain" }, "any (plain instructions)"), h("option", { value: "rails" }, "Ruby on Rails"));
  const fields = h("div", { class: "fields" });
  const result = h("div", { id: "change-plan", "aria-live": "polite" });
  const form = h("form", { class: "plan-form", id: "plan-form" },
    h("label", { class: "kind" }, h("span", null, "Change"), kind), fields,
    h("label", null, h("span", null, "Application code for"), framework),
    h("button", { type: "submit" }, "Plan it"));
  const drawFields = (values) => {
    fields.replaceChildren(...CHANGE_KINDS[kind.value].fields.map((f) => {
      const v = values[f.name];
      const input = f.type === "bool"
        ? h("input", { type: "checkbox", name: f.name, checked: Boolean(v) })
        : h("input", { type: f.type === "number" ? "number" : "text", name: f.name, required: f.required,
          value: Array.isArray(v) ? v.join(", ") : v ?? "",
          spellcheck: "false", autocapitalize: "off" });
      return h("label", { class: `${f.type === "bool" ? "check" : ""} ${f.type === "text" && !["table", "column", "name"].includes(f.name) ? "wide" : ""}`.trim() || null },
        h("span", null, f.label ?? f.name, f.required ? " *" : ""), input);
    }));
  };
  kind.addEventListener("change", () => drawFields(CHANGE_KINDS[kind.value].example));
  // The full module plans: fetched as soon as the reader starts on the form.
  form.addEventListener("focusin", () => loadFull().catch(() => {}), { once: true });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const values = {};
    for (const el of fields.querySelectorAll("input")) values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    const { change, options } = changeFrom(kind.value, values);
    state.change = change;
    state.changeOptions = options;
    state.framework = framework.value;
    writeHash();
    planChange();
  });
  framework.value = state.framework;
  if (state.change && CHANGE_KINDS[state.change.kind]) {
    kind.value = state.change.kind;
    drawFields({ ...state.change, ...(state.changeOptions ?? {}) });
  } else {
    drawFields(CHANGE_KINDS[kind.value].example);
  }
  box.replaceChildren(head, form, result);
  if (state.change) planChange();
}

let planSeq = 0;
async function planChange() {
  const out = $("change-plan");
  if (!out || !state.change) return;
  const seq = ++planSeq;
  try {
    const { hasPlan } = await loadFull();
    if (!hasPlan) throw new Error("Planning a change is not available: this build of the zerodown package has no plan export.");
    const plan = await call({ type: "plan", change: state.change, options: planOptions() });
    if (seq !== planSeq) return;
    out.replaceChildren(renderPlan(plan));
  } catch (e) {
    if (seq !== planSeq) return;
    out.replaceChildren(h("p", { class: "status error plan-error", role: "alert", dataset: { code: e.code ?? "" } },
      e.code ? h("code", null, e.code) : null, e.code ? ": " : null, e.message));
  }
}

// ---- schema -------------------------------------------------------------
// The dump in the schema pane is sent to the worker once per change of its
// text: the worker reads it with loadSchema (in the module that lints: the
// Ruby module in Ruby mode) and every lint runs on that handle until the
// text changes. It is not part of the link: a dump can be megabytes.
const SCHEMA_DELAY_MS = 300;
const SCHEMA_PROBLEMS_SHOWN = 200;
const schemaText = $("schema-text");
// A dump loaded from a file is kept here, not put in the text area: drawing
// megabytes in a text area blocks the page for about a second (GitLab's
// 2.7 MB dump: 830 ms to set the value, 190 ms for the next frame). Typing
// in the text area replaces it; so does "Clear the schema".
let schemaFile = null; // {name, text}
let schemaSent = null; // {text, path, lang} last sent to the worker
let schemaSeq = 0;
let schemaTimer = 0;

schemaText.addEventListener("input", () => {
  schemaFile = null;
  $("schema-file").value = "";
  clearTimeout(schemaTimer);
  schemaTimer = setTimeout(applySchema, SCHEMA_DELAY_MS);
});
$("schema-file").addEventListener("change", async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  try {
    schemaFile = { name: file.name, text: await file.text() };
  } catch (error) {
    showSchema({ error: `The file could not be read: ${error?.message ?? error}` });
    return;
  }
  schemaText.value = "";
  applySchema();
});
$("schema-clear").addEventListener("click", () => {
  schemaText.value = "";
  schemaFile = null;
  $("schema-file").value = "";
  applySchema();
});

/** Sends the schema (the loaded file's, or the text area's) to the worker when it or the module that lints changed, then lints again. */
async function applySchema() {
  clearTimeout(schemaTimer);
  const text = schemaFile?.text ?? schemaText.value;
  const path = text.trim() ? schemaFile?.name ?? "structure.sql" : null;
  const lang = state.lang;
  if (schemaSent && schemaSent.text === text && schemaSent.path === path && (schemaSent.lang === lang || !text.trim())) return;
  schemaSent = { text, path, lang };
  const seq = ++schemaSeq;
  if (text.trim()) showSchema({ reading: true });
  let read;
  try {
    read = await call({ type: "schema", text: text.trim() ? text : "", path, ruby: lang === "ruby" });
  } catch (e) {
    if (seq === schemaSeq) {
      schemaSent = null;
      showSchema({ error: `The schema could not be read: ${e.code ? `${e.code}: ` : ""}${e.message}` });
      lintNow();
    }
    return;
  }
  if (seq !== schemaSeq) return;
  $("schema-pane").dataset.schemaLoads = String(read.loads);
  showSchema({ ...read, file: schemaFile && { name: schemaFile.name, size: schemaFile.text.length } });
  lintNow();
}

/** What the schema pane says: what the package read, and each statement it skipped (line and reason). */
function showSchema({ counts = null, problems = [], reading = false, error = null, ms = null, file = null }) {
  const box = $("schema-info");
  if (error) {
    box.replaceChildren(h("p", { class: "status error", role: "alert" }, error));
    return;
  }
  if (reading) {
    box.replaceChildren(h("p", { class: "muted" }, "Reading the schema…"));
    return;
  }
  if (!counts) {
    box.replaceChildren(h("p", { class: "muted", id: "schema-none" }, "No schema: the migration is checked on its own."));
    return;
  }
  const n = (k, one, many) => `${counts[k]} ${counts[k] === 1 ? one : many}`;
  const items = problems.slice(0, SCHEMA_PROBLEMS_SHOWN).map((p) => h("li", null,
    h("span", { class: "loc" }, `${p.path}:${p.line}`), p.reason));
  if (problems.length > items.length) items.push(h("li", null, `and ${problems.length - items.length} more`));
  box.replaceChildren(...[
    file ? h("p", { id: "schema-source" }, `From the file ${file.name} (${file.size < 1048576 ? `${Math.ceil(file.size / 1024)} KB` : megabytes(file.size)}), not shown above.`) : null,
    h("p", { id: "schema-counts" }, `Schema read${ms === null ? "" : ` in ${ms} ms`}: ${n("tables", "table", "tables")}, ${n("columns", "column", "columns")}, ${n("indexes", "index", "indexes")}.`),
    problems.length
      ? h("p", null, `${problems.length} statement${problems.length === 1 ? "" : "s"} skipped (the rest of the dump is used):`)
      : null,
    problems.length ? h("ol", { id: "schema-problems", class: "schema-problems", "aria-label": "Skipped statements" }, items) : null,
  ].filter(Boolean));
}
showSchema({});

// ---- rehearsal report ---------------------------------------------------
// A report of `zerodown rehearse --format json`, pasted or loaded from a
// file: read in the page (JSON.parse; a syntax error is shown with its line
// and column), then checked and printed by the full module's
// formatRehearsal (a report of the wrong shape is its `bad-input` error),
// and drawn only once the module has accepted it. Not part of the link.
const REHEARSAL_DELAY_MS = 300;
const rehearsalText = $("rehearsal-json");
let rehearsalSeq = 0;
let rehearsalTimer = 0;
// The full module prints the report: fetched as soon as the reader starts on the pane.
$("rehearsal").addEventListener("focusin", () => loadFull().catch(() => {}), { once: true });
rehearsalText.addEventListener("input", () => {
  $("rehearsal-file").value = "";
  clearTimeout(rehearsalTimer);
  rehearsalTimer = setTimeout(showRehearsal, REHEARSAL_DELAY_MS);
});
$("rehearsal-file").addEventListener("change", async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  try {
    rehearsalText.value = await file.text(); // a report is kilobytes: shown as it is
  } catch (error) {
    $("rehearsal-result").replaceChildren(...renderError({ message: `The file could not be read: ${error?.message ?? error}` }));
    $("rehearsal-view").replaceChildren();
    $("rehearsal").dataset.shown = String(++rehearsalSeq);
    return;
  }
  showRehearsal();
});
$("rehearsal-clear").addEventListener("click", () => {
  rehearsalText.value = "";
  $("rehearsal-file").value = "";
  showRehearsal();
});

/** Reads the pane's report and draws it, or says why it cannot be read. */
async function showRehearsal() {
  clearTimeout(rehearsalTimer);
  const seq = ++rehearsalSeq;
  const result = $("rehearsal-result");
  const view = $("rehearsal-view");
  // How many reports (or errors) the pane has drawn: the tests wait on it.
  const shown = () => ($("rehearsal").dataset.shown = String(seq));
  const fail = (error) => {
    result.replaceChildren(...renderError(error));
    view.replaceChildren();
    shown();
  };
  const text = rehearsalText.value;
  if (!text.trim()) {
    result.replaceChildren(h("p", { class: "muted", id: "rehearsal-none" }, "No report: paste one above to see its verdict and its steps."));
    view.replaceChildren();
    shown();
    return;
  }
  const { report, error } = readReport(text);
  if (error) {
    fail(error);
    return;
  }
  // The first report waits for the full module to load; later ones take milliseconds.
  if (!document.documentElement.dataset.full) result.replaceChildren(h("p", { class: "muted" }, "Reading the report…"));
  try {
    await loadFull();
  } catch (e) {
    if (seq === rehearsalSeq) fail({ code: e.code, message: e.message });
    return;
  }
  let printed;
  try {
    printed = await call({ type: "rehearsal", report });
  } catch (e) {
    if (seq === rehearsalSeq) fail({ kind: "report", code: e.code, message: `Not a rehearsal report: ${e.message}` });
    return;
  }
  if (seq !== rehearsalSeq) return;
  let drawn;
  try {
    drawn = renderRehearsal(report);
  } catch (e) {
    fail({ kind: "report", message: `The report could not be drawn: ${e?.message ?? e}` });
    return;
  }
  result.replaceChildren(drawn.verdict);
  view.replaceChildren(...drawn.body,
    h("details", { class: "rh-text", open: true },
      h("summary", null, "As ", h("code", null, "zerodown rehearse"), " prints it"),
      h("pre", { id: "rehearsal-printed", class: "rh-printed", tabindex: "0", role: "region", "aria-label": "The report as zerodown rehearse prints it" }, printed)));
  shown();
}
showRehearsal();

window.addEventListener("hashchange", () => {
  readHash();
  if (editor.value !== state.sql) {
    editor.value = state.sql;
    fixNotice("");
  }
  for (const [key, el] of Object.entries(controls)) el.value = state[key];
  lintNow();
  if (info) buildPlanForm();
});

await ready;
$("version").textContent = `zerodown ${info.version}`;
buildPlanForm();
lintNow();
