// Lints off the main thread so typing never waits for the linter.
//
// It starts with the package's lint module (`pkg/web`: findings, with their
// plans, and the rule list without docs). The full module (`pkg/full`:
// `plan()`, the rules' docs and `formatRehearsal()`) is fetched only when the
// page first asks for a change's plan, a rule's documentation or a rehearsal
// report's rendering; the Ruby module (`pkg/ruby`:
// the lint module that also reads Rails migrations) only when the page
// first lints a `.rb` path.
//
// Protocol: {id, type: "lint", sql, options, path}  -> {json}: the LintReport
//             as JSON text (parsed by the page only if still current), each
//             finding's plan left out (`hasPlan: true` in its place) and
//             kept here for "finding-plan", its `statement` span left out
//           {id, type: "finding-plan", lint, index} -> that finding's plan
//             (`lint` is the id of the lint it came from)
//           {id, type: "plan", change, options}     -> plan(change, options)  (full)
//           {id, type: "explain", rule}              -> the rule's Markdown   (full)
//           {id, type: "load-full"}                  -> {hasPlan}            (full)
//           {id, type: "rehearsal", report}          -> formatRehearsal(report): the
//             rehearsal report as `zerodown rehearse` prints it   (full)
//           {id, type: "schema", text, path, ruby}   -> {counts, problems, loads, ms}: the
//             schema every later lint runs on ("" for none). Read once per
//             module with loadSchema (in the Ruby module when `ruby`, or when
//             a lint of a `.rb` path first needs it: handles cannot cross
//             modules) and freed when the text changes.
//           A lint's answer also carries `schemaLoads`: how many times
//           loadSchema has run in this worker (a keystroke never adds one).
//        -> {id, ok: true, result} | {id, ok: false, error: {message, code}}
// On start it posts {type: "ready", version, rules}.
import init, * as zerodown from "../pkg/web/zerodown.js";

const ready = init({ module_or_path: new URL("../pkg/web/zerodown_bg.wasm", import.meta.url) }).then(() => {
  postMessage({ type: "ready", version: zerodown.version(), rules: zerodown.rules() });
}, (e) => postMessage({ type: "failed", error: { message: String(e?.message ?? e) } }));

let full = null;
/** The full module, fetched and compiled on first use. */
function loadFull() {
  full ??= import("../pkg/full/zerodown.js").then(async (module) => {
    await module.default({ module_or_path: new URL("../pkg/full/zerodown_bg.wasm", import.meta.url) });
    return module;
  }).catch((e) => {
    full = null; // a later request tries again
    throw new Error(`The zerodown full module failed to load: ${e?.message ?? e}`);
  });
  return full;
}

let ruby = null;
/** The Ruby module, fetched and compiled on first use. */
function loadRuby() {
  ruby ??= import("../pkg/ruby/zerodown.js").then(async (module) => {
    await module.default({ module_or_path: new URL("../pkg/ruby/zerodown_bg.wasm", import.meta.url) });
    return module;
  }).catch((e) => {
    ruby = null; // a later request tries again
    throw new Error(`The zerodown Ruby module failed to load: ${e?.message ?? e}`);
  });
  return ruby;
}

// The schema the lints run on: its text, and one handle per module that has read it.
let schema = { text: "", path: null, handles: new Map() };
let schemaLoads = 0;

/** The schema's handle in `linter` (a module), read on first use; null without a schema. */
function schemaIn(linter) {
  if (!schema.text) return null;
  let handle = schema.handles.get(linter);
  if (!handle) {
    schemaLoads++;
    handle = linter.loadSchema(schema.text, schema.path);
    schema.handles.set(linter, handle);
  }
  return handle;
}

function setSchema(text, path) {
  if (text === schema.text && path === schema.path) return;
  for (const handle of schema.handles.values()) handle.free();
  schema = { text, path, handles: new Map() };
}

// The plans of the last lint's findings: a long migration's plans are most of
// its report, and the page shows one at a time.
let plans = { lint: 0, list: [] };

onmessage = async ({ data }) => {
  await ready;
  try {
    let result;
    if (data.type === "lint") {
      const linter = /\.rb$/i.test(data.path ?? "") ? await loadRuby() : zerodown;
      const withSchema = schemaIn(linter);
      result = (withSchema ?? linter).lint(data.sql, data.options, data.path ?? null);
      plans = { lint: data.id, list: result.findings.map((f) => f.plan ?? null) };
      for (const f of result.findings) {
        if (f.plan) f.hasPlan = true;
        delete f.plan;
        delete f.statement; // the page marks the finding's own span
      }
      result = { json: JSON.stringify(result), schemaLoads };
    } else if (data.type === "schema") {
      setSchema(String(data.text ?? ""), data.path || "db/structure.sql");
      try {
        const module = data.ruby ? await loadRuby() : zerodown;
        const t0 = performance.now();
        const handle = schemaIn(module);
        const ms = Math.round(performance.now() - t0); // loadSchema (and freeing the previous handles: above)
        result = handle ? { counts: handle.counts, problems: handle.problems, loads: schemaLoads, ms } : { counts: null, problems: [], loads: schemaLoads, ms: 0 };
      } catch (e) {
        setSchema("", null); // lints go on without it; the page says why
        throw e;
      }
    } else if (data.type === "finding-plan") {
      if (data.lint !== plans.lint) throw Object.assign(new Error("a newer lint replaced these findings"), { code: "stale" });
      result = plans.list[data.index] ?? null;
    } else if (data.type === "plan") {
      result = (await loadFull()).plan(data.change, data.options);
    } else if (data.type === "explain") {
      result = (await loadFull()).explain(data.rule);
    } else if (data.type === "rehearsal") {
      const module = await loadFull();
      if (typeof module.formatRehearsal !== "function") {
        throw new Error("Rendering a rehearsal report is not available: this build of the zerodown package has no formatRehearsal export.");
      }
      result = module.formatRehearsal(data.report);
    } else if (data.type === "load-full") {
      result = { hasPlan: typeof (await loadFull()).plan === "function" };
    } else {
      throw new Error(`unknown request ${data.type}`);
    }
    postMessage({ id: data.id, ok: true, result });
  } catch (e) {
    postMessage({ id: data.id, ok: false, error: { message: String(e?.message ?? e), code: e?.code } });
  }
};
