// The playground: editor, options, findings, rule docs, step plans and the
// "plan a change" form, all from the zerodown package running in a worker.
// The whole state lives in the URL hash, so a link reproduces the page.
import { h } from "../lib/dom.js";
import { renderMarkdown } from "../lib/markdown.js";
import { renderPlan } from "../lib/timeline.js";
import { adoptStyles, BASE_CSS, TIMELINE_CSS } from "../lib/styles.js";
import { Editor } from "./editor.js";
import { EXAMPLES } from "./examples.js";
import { CHANGE_KINDS, changeFrom } from "./changes.js";

const LINT_DELAY_MS = 120;
const $ = (id) => document.getElementById(id);

const state = {
  sql: EXAMPLES[0].sql,
  phase: "regular",
  release: "",
  pg: "16",
  large: "",
  sel: 0,
  change: null, // the last planned change, as submitted in the form
};

// ---- worker -------------------------------------------------------------
const { worker, early } = window.zerodownBoot;
let nextId = 1;
const pending = new Map();
let info = null; // {version, hasPlan, rules}
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

function call(message) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  });
}

// ---- state <-> URL ------------------------------------------------------
function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  if (q.has("sql")) state.sql = q.get("sql");
  for (const k of ["phase", "release", "pg", "large"]) if (q.has(k)) state[k] = q.get(k);
  if (q.has("sel")) state.sel = Number(q.get("sel")) || 0;
  if (q.has("change")) {
    try {
      state.change = JSON.parse(q.get("change"));
    } catch {
      state.change = null;
    }
  }
}

function writeHash() {
  const q = new URLSearchParams();
  q.set("sql", state.sql);
  q.set("phase", state.phase);
  if (state.release) q.set("release", state.release);
  q.set("pg", state.pg);
  if (state.large) q.set("large", state.large);
  if (state.sel) q.set("sel", String(state.sel));
  if (state.change) q.set("change", JSON.stringify(state.change));
  history.replaceState(null, "", `#${q}`);
}

function lintOptions() {
  const options = { phase: state.phase, pgVersion: Number(state.pg), plans: true };
  if (state.release.trim()) options.release = state.release.trim();
  const large = state.large.split(",").map((s) => s.trim()).filter(Boolean);
  if (large.length) options.largeTables = large;
  return options;
}

// ---- UI -----------------------------------------------------------------
adoptStyles(document, BASE_CSS, TIMELINE_CSS);
document.querySelector("form.options").addEventListener("submit", (e) => e.preventDefault());
readHash();
const editor = new Editor($("editor"), {
  onInput: () => {
    state.sql = editor.value;
    schedule();
  },
  onMarkClick: (i) => select(i, { reveal: true }),
});
editor.value = state.sql;

const controls = {
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
    if (state.change) planChange(state.change);
  });
}

const examples = $("examples");
examples.append(h("option", { value: "" }, "Examples…"), ...EXAMPLES.map((e, i) => h("option", { value: String(i) }, e.name)));
examples.addEventListener("change", () => {
  const e = EXAMPLES[Number(examples.value)];
  examples.value = "";
  if (!e) return;
  state.sql = e.sql;
  state.phase = e.phase ?? "regular";
  state.large = e.largeTables ?? "";
  state.sel = 0;
  editor.value = e.sql;
  controls.phase.value = state.phase;
  controls.large.value = state.large;
  lintNow();
});

$("share").addEventListener("click", async () => {
  writeHash();
  try {
    await navigator.clipboard.writeText(location.href);
    $("share").textContent = "Link copied";
  } catch {
    $("share").textContent = "Link in address bar";
  }
  setTimeout(() => ($("share").textContent = "Copy link"), 1500);
});

let timer = 0;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(lintNow, LINT_DELAY_MS);
}

let report = null;
let lintSeq = 0;
let firstFindings = true;
async function lintNow() {
  clearTimeout(timer);
  const seq = ++lintSeq;
  const sql = state.sql;
  let result;
  try {
    result = await call({ type: "lint", sql, options: lintOptions(), path: "migration.sql" });
  } catch (e) {
    if (seq === lintSeq) showStatus(`${e.code ? `${e.code}: ` : ""}${e.message}`, "error");
    return;
  }
  if (seq !== lintSeq || sql !== editor.value) return; // a newer edit is on its way
  showStatus("");
  report = result;
  if (state.sel >= report.findings.length) state.sel = 0;
  renderFindings();
  writeHash();
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
    findings.map((f, index) => ({ start: f.span.start.utf16, end: Math.max(f.span.end.utf16, f.span.start.utf16 + 1), severity: f.severity, rule: f.rule, index })),
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
  $("findings").replaceChildren(
    ...findings.map((f, i) =>
      h("li", null, h("button", {
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
      h("span", { class: "help" }, f.help))),
    ),
  );
  renderDetail();
}

function select(i, { reveal = false } = {}) {
  if (!report?.findings[i]) return;
  state.sel = i;
  renderFindings();
  writeHash();
  const f = report.findings[i];
  if (reveal) editor.reveal(f.span.start.utf16, f.span.end.utf16);
}

function renderDetail() {
  const f = report?.findings[state.sel];
  const detail = $("detail");
  const planBox = $("finding-plan");
  if (!f) {
    detail.replaceChildren(h("p", { class: "muted" }, "Select a finding to read its rule and its safe path."));
    planBox.replaceChildren();
    return;
  }
  const rule = info?.rules.find((r) => r.id === f.rule);
  detail.replaceChildren(
    h("h3", null, h("span", { class: `sev sev-${f.severity}` }, f.severity), " ", h("code", null, f.rule)),
    rule ? h("p", { class: "summary-line" }, rule.summary) : null,
    h("details", { class: "doc", open: true }, h("summary", null, "Rule documentation"), rule ? renderMarkdown(rule.doc, { skipTitle: true }) : h("p", null, "No documentation.")),
  );
  planBox.replaceChildren(
    h("h2", null, "Safe path for this finding"),
    f.plan
      ? renderPlan(f.plan)
      : h("p", { class: "notice", id: "plan-missing" }, info?.hasPlan
        ? "This finding has no multi-release plan: follow the rule's safe alternative above."
        : "Step plans are not available in this build of the zerodown package (it has no plan export yet)."),
  );
}

// ---- plan a change ------------------------------------------------------
function buildPlanForm() {
  const box = $("plan-change");
  if (!info.hasPlan) {
    box.replaceChildren(
      h("h2", null, "Plan a change"),
      h("p", { class: "notice", id: "plan-form-missing" }, "Planning a change is not available: this build of the zerodown package has no plan export yet."),
    );
    return;
  }
  const kind = h("select", { id: "change-kind", name: "kind", "aria-label": "Change kind" }, Object.keys(CHANGE_KINDS).map((k) => h("option", { value: k }, k)));
  const fields = h("div", { class: "fields" });
  const result = h("div", { id: "change-plan" });
  const form = h("form", { class: "plan-form", id: "plan-form" },
    h("label", null, "Change ", kind), fields, h("button", { type: "submit" }, "Plan it"));
  const drawFields = (values = {}) => {
    fields.replaceChildren(...CHANGE_KINDS[kind.value].map((f) => {
      const input = f.type === "bool"
        ? h("input", { type: "checkbox", name: f.name, checked: Boolean(values[f.name]) })
        : h("input", { type: f.type === "number" ? "number" : "text", name: f.name, required: f.required, placeholder: f.placeholder ?? "",
          value: Array.isArray(values[f.name]) ? values[f.name].join(", ") : values[f.name] ?? "" });
      return h("label", { class: f.type === "bool" ? "check" : null }, h("span", null, f.name, f.required ? " *" : ""), input);
    }));
  };
  kind.addEventListener("change", () => drawFields());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const values = {};
    for (const el of fields.querySelectorAll("input")) values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    state.change = changeFrom(kind.value, values);
    writeHash();
    planChange(state.change);
  });
  if (state.change && CHANGE_KINDS[state.change.kind]) kind.value = state.change.kind;
  drawFields(state.change ?? {});
  box.replaceChildren(h("h2", null, "Plan a change"), form, result);
  if (state.change) planChange(state.change);
}

async function planChange(change) {
  const out = $("change-plan");
  if (!out) return;
  try {
    const plan = await call({ type: "plan", change, options: lintOptions() });
    out.replaceChildren(plan ? renderPlan(plan) : h("p", { class: "notice" }, "No safe plan exists for this change."));
  } catch (e) {
    out.replaceChildren(h("p", { class: "status error" }, `${e.code ? `${e.code}: ` : ""}${e.message}`));
  }
}

window.addEventListener("hashchange", () => {
  readHash();
  if (editor.value !== state.sql) editor.value = state.sql;
  for (const [key, el] of Object.entries(controls)) el.value = state[key];
  lintNow();
});

await ready;
$("version").textContent = `zerodown ${info.version}`;
document.documentElement.dataset.plans = String(info.hasPlan);
buildPlanForm();
lintNow();
