// The page's state in a link (the URL hash), read back field by field: a
// damaged or hand-edited link keeps what is valid, falls back to the default
// for the rest, and says in plain words what it could not use.
import { CHANGE_KINDS } from "./changes.js";

/**
 * The longest link the page copies, in characters: browsers refuse to open
 * longer ones (1 MiB is the lowest such limit among current browsers).
 */
export const LINK_LIMIT = 1024 * 1024;

export const PHASES = ["regular", "post-deploy", "background"];
export const LANGS = ["sql", "ruby"];
export const PG_VERSIONS = ["12", "13", "14", "15", "16", "17", "18"];
const RELEASE = /^\d+\.\d+(\.\d+)?$/;

/** `text`, cut to `max` characters for a message. */
function quote(text, max = 40) {
  const s = String(text);
  return `“${s.length > max ? `${s.slice(0, max)}…` : s}”`;
}

/**
 * Reads `hash` (without its `#`) over `defaults`. Returns {state, problems}:
 * `problems` are sentences, one per field that could not be used.
 */
export function readState(hash, defaults) {
  const state = { ...defaults, change: null, changeOptions: null };
  const problems = [];
  const q = new URLSearchParams(hash);
  if (q.has("sql")) state.sql = q.get("sql");
  if (q.has("lang")) {
    const v = q.get("lang");
    if (LANGS.includes(v)) state.lang = v;
    else problems.push(`the language ${quote(v)} is not one of ${LANGS.join(", ")}, so it is ${defaults.lang}`);
  }
  if (q.has("phase")) {
    const v = q.get("phase");
    if (PHASES.includes(v)) state.phase = v;
    else problems.push(`the phase ${quote(v)} is not one of ${PHASES.join(", ")}, so it is ${defaults.phase}`);
  }
  if (q.has("release")) {
    const v = q.get("release").trim();
    if (!v || RELEASE.test(v)) state.release = v;
    else problems.push(`the release ${quote(v)} is not a version like 16.4 or 16.4.1, so none is set`);
  }
  if (q.has("pg")) {
    const v = q.get("pg");
    if (PG_VERSIONS.includes(v)) state.pg = v;
    else problems.push(`PostgreSQL ${quote(v)} is not a version the playground offers (${PG_VERSIONS[0]} to ${PG_VERSIONS.at(-1)}), so it is ${defaults.pg}`);
  }
  if (q.has("large")) state.large = q.get("large");
  if (q.has("sel")) {
    const v = q.get("sel");
    if (/^\d{1,6}$/.test(v)) state.sel = Number(v);
    else problems.push(`the selected finding ${quote(v)} is not a finding number, so the first one is selected`);
  }
  if (q.has("fw")) {
    const v = q.get("fw");
    if (v === "rails" || v === "plain") state.framework = v;
    else problems.push(`the framework ${quote(v)} is neither plain nor rails, so steps are plain instructions`);
  }
  if (q.has("change")) {
    const { change, problem } = readChange(q.get("change"));
    if (problem) problems.push(`${problem}, so no change is planned`);
    else state.change = change;
  }
  if (q.has("changeopts") && state.change) {
    const { options, problem } = readChangeOptions(q.get("changeopts"), state.change.kind);
    if (problem) problems.push(`${problem}, so the plan is made without them`);
    else state.changeOptions = options;
  }
  return { state, problems };
}

function parseObject(text) {
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** Whether `v` fits a field of the form (`text`, `list`, `bool`, `number`). */
function fits(field, v) {
  if (field.type === "bool") return typeof v === "boolean";
  if (field.type === "number") return typeof v === "number" && Number.isFinite(v);
  if (field.type === "list") return Array.isArray(v) && v.every((x) => typeof x === "string");
  return typeof v === "string";
}

const TYPE_WORDS = { bool: "true or false", number: "a number", list: "a list of names", text: "text" };

function readChange(text) {
  const change = parseObject(text);
  if (!change) return { problem: "the planned change is not readable (not a JSON object)" };
  const kind = CHANGE_KINDS[change.kind];
  if (typeof change.kind !== "string" || !kind) {
    return { problem: `the planned change's kind ${quote(change.kind ?? "(none)")} is not one the planner knows` };
  }
  const fields = new Map(kind.fields.filter((f) => !f.option).map((f) => [f.name, f]));
  for (const [name, v] of Object.entries(change)) {
    if (name === "kind") continue;
    const field = fields.get(name);
    if (!field) return { problem: `the planned ${change.kind} has a field ${quote(name)} it does not take` };
    if (!fits(field, v)) return { problem: `the planned ${change.kind}'s ${name} should be ${TYPE_WORDS[field.type]}` };
  }
  const missing = [...fields.values()].filter((f) => f.required && (change[f.name] === undefined || change[f.name] === ""));
  if (missing.length) return { problem: `the planned ${change.kind} lacks its ${missing.map((f) => f.name).join(" and ")}` };
  return { change };
}

function readChangeOptions(text, kind) {
  const options = parseObject(text);
  if (!options) return { problem: "the plan options are not readable (not a JSON object)" };
  const fields = new Map(CHANGE_KINDS[kind].fields.filter((f) => f.option).map((f) => [f.name, f]));
  for (const [name, v] of Object.entries(options)) {
    const field = fields.get(name);
    if (!field) return { problem: `the plan option ${quote(name)} is not one a ${kind} takes` };
    if (!fits(field, v)) return { problem: `the plan option ${name} should be ${TYPE_WORDS[field.type]}` };
  }
  return { options };
}
