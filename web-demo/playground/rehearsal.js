// The playground's rehearsal pane: a report of `zerodown rehearse --format
// json`, pasted, drawn as its verdict and a row per step (with a stall chart
// of inline bars), beside the core's own text rendering (`formatRehearsal`).
// Every string of the report is a text node (`h`): a title or an error
// message holding markup stays text.
import { h } from "../lib/dom.js";

/** The version of the report's JSON contract this page reads (`REHEARSAL_VERSION`). */
export const REHEARSAL_VERSION = 1;

/** The most bars a stall chart draws: a longer chart shows the slowest of each group of slices. */
const MAX_BARS = 120;

/**
 * `v` with `digits` (0 or 1) decimals, as Rust's `{:.N}` writes it: an exact
 * tie rounds to even (38.5 -> "38", 4.25 -> "4.2"), where toFixed rounds up.
 * Exact ties are n + 1/2 for no decimal, n + 1/4 and n + 3/4 for one.
 */
function fixed(v, digits) {
  const quarters = v * (digits ? 4 : 2);
  if (Number.isInteger(quarters) && quarters % 2 !== 0) {
    const scale = 10 ** digits;
    const low = Math.floor(v * scale);
    return ((low % 2 === 0 ? low : low + 1) / scale).toFixed(digits);
  }
  return v.toFixed(digits);
}

/** Milliseconds as the text rendering writes them (src/report/rehearsal.rs `ms`). */
export function ms(v) {
  if (v >= 10_000) return `${fixed(v / 1000, 1)} s`;
  if (v >= 10) return `${fixed(v, 0)} ms`;
  return `${fixed(v, 1)} ms`;
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Where JSON.parse stopped, as an offset into `text` (UTF-16), or -1 when the
 * text is valid JSON. V8 names the position for some errors only
 * ("Unexpected token 'x', "..." is not valid JSON" has none): this scanner
 * finds it for all. Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonErrorOffset(text) {
  const n = text.length;
  let i = 0;
  const stack = []; // "}" or "]": what closes each open container
  const space = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const string = () => { // at '"'; false with `i` at the fault
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return false;
        }
      } else {
        i++;
      }
    }
    return false;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let state = "value";
  for (;;) {
    space();
    if (state === "key") {
      if (text[i] !== '"' || !string()) return i;
      space();
      if (text[i] !== ":") return i;
      i++;
      state = "value";
      continue;
    }
    if (state === "value") {
      const c = text[i];
      if (c === "{" || c === "[") {
        i++;
        space();
        const close = c === "{" ? "}" : "]";
        if (text[i] === close) {
          i++;
          state = "after";
        } else {
          stack.push(close);
          state = c === "{" ? "key" : "value";
        }
        continue;
      }
      if (c === '"') {
        if (!string()) return i;
      } else if (text.startsWith("true", i) || text.startsWith("null", i)) {
        i += 4;
      } else if (text.startsWith("false", i)) {
        i += 5;
      } else {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return i;
        i = NUMBER.lastIndex;
      }
      state = "after";
      continue;
    }
    // after a value
    if (!stack.length) return i < n ? i : -1;
    const close = stack[stack.length - 1];
    if (text[i] === ",") {
      i++;
      state = close === "}" ? "key" : "value";
    } else if (text[i] === close) {
      i++;
      stack.pop();
    } else {
      return i;
    }
  }
}

/** Line and column (1-based; columns in UTF-16 code units) of `offset` in `text`. */
export function lineColumn(text, offset) {
  let line = 1;
  let start = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) {
    line++;
    start = at + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * Reads pasted text as a rehearsal report: `{report}`, or `{error}` with
 * where the JSON breaks (`{line, column, excerpt}`) when it is not JSON, or why
 * it cannot be a report (not an object, another contract version). Whether
 * its fields are the report's is the package's to say (`formatRehearsal`).
 */
export function readReport(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch (e) {
    let offset = jsonErrorOffset(text);
    if (offset < 0) offset = Number(/at position (\d+)/.exec(e.message)?.[1] ?? text.length);
    const { line, column } = lineColumn(text, offset);
    const lineText = text.split("\n")[line - 1] ?? "";
    // The line around the fault, at most 80 characters of it.
    const from = Math.max(0, column - 1 - 40);
    const excerpt = lineText.slice(from, from + 80);
    const where = offset >= text.length ? `at the end (line ${line}, column ${column})` : `at line ${line}, column ${column}`;
    return {
      error: {
        kind: "json",
        message: `Not valid JSON ${where}: ${e.message}`,
        line,
        column,
        excerpt: { text: excerpt, caret: column - 1 - from },
      },
    };
  }
  if (report === null || typeof report !== "object" || Array.isArray(report)) {
    return { error: { kind: "shape", message: "Not a rehearsal report: expected a JSON object, the output of `zerodown rehearse --format json`." } };
  }
  if (report.version !== REHEARSAL_VERSION) {
    return {
      error: {
        kind: "shape",
        message: `Not a rehearsal report this playground reads: its "version" is ${JSON.stringify(report.version) ?? "missing"}, ` +
          `and this page reads version ${REHEARSAL_VERSION}.`,
      },
    };
  }
  return { report };
}

/** The error of `readReport` or of the package, as the pane shows it. */
export function renderError(error) {
  const parts = [h("p", { class: "status error rh-error", role: "alert", dataset: { kind: error.kind ?? "", code: error.code ?? "" } },
    error.code ? h("code", null, error.code) : null, error.code ? ": " : null, error.message)];
  if (error.excerpt) {
    parts.push(h("pre", { class: "rh-excerpt" },
      error.excerpt.text, "\n", `${" ".repeat(Math.max(0, error.excerpt.caret))}^`));
  }
  return parts;
}

/** One scale for every chart: the budget, or the worst stall if higher (as the text rendering does). */
function chartTop(report) {
  let top = report.budget.maxStallMs;
  for (const s of report.steps) for (const v of s.chart) top = Math.max(top, v);
  return top > 0 ? top : 1;
}

/** A step's stall chart: a bar per slice (at most MAX_BARS), its height the slowest query finishing in it. */
function stallChart(step, top, budget) {
  if (!step.chart.length || !step.latency.queries) return h("span", { class: "muted" }, "–");
  const group = Math.ceil(step.chart.length / MAX_BARS);
  const values = [];
  for (let i = 0; i < step.chart.length; i += group) values.push(Math.max(...step.chart.slice(i, i + group)));
  const slice = step.sliceMs * group;
  const slowest = Math.max(...values);
  const chart = h("span", {
    class: "rh-chart",
    role: "img",
    "aria-label": `Stall chart: ${plural(values.length, "slice")} of ${ms(slice)}, slowest query ${ms(slowest)}, scale up to ${ms(top)}`,
    dataset: { sliceMs: String(slice) },
  });
  chart.style.setProperty("--bars", String(values.length));
  values.forEach((v, i) => {
    const bar = h("span", {
      class: `rh-bar${v > budget ? " over" : ""}`,
      title: `${ms(i * slice)}–${ms((i + 1) * slice)}: slowest query ${ms(v)}`,
      dataset: { value: String(v) },
    });
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    bar.style.height = `${Math.max(4, Math.min(100, (v / top) * 100))}%`;
    chart.append(bar);
  });
  // The budget's line on the same scale.
  const line = h("span", { class: "rh-budget", "aria-hidden": "true" });
  line.style.bottom = `${Math.min(100, (budget / top) * 100)}%`;
  chart.append(line);
  return chart;
}

const OUTCOME = { applied: "applied", failed: "FAILED", "not-run": "not run" };

function listCell(items, empty = "–") {
  return items.length ? h("ul", { class: "rh-list" }, items.map((x) => h("li", null, x))) : h("span", { class: "muted" }, empty);
}

function stepRow(s, top, budget) {
  const ran = s.outcome !== "not-run";
  const none = () => h("span", { class: "muted" }, "–");
  const latency = (v) => (ran && s.latency.queries ? ms(v) : none());
  return h("tr", { class: `rh-step rh-${s.outcome}`, dataset: { index: String(s.index), outcome: s.outcome, kind: s.kind } },
    h("td", { class: "rh-index" }, String(s.index)),
    h("td", null, h("span", { class: "rh-phase", dataset: { phase: s.phase } }, s.phase)),
    h("th", { scope: "row", class: "rh-title" },
      h("span", null, s.title),
      h("span", { class: "rh-sub" }, [s.kind, s.release ? `release ${s.release}` : null, `live: ${s.live.join(", ") || "–"}`].filter(Boolean).join(" · ")),
      s.error ? h("span", { class: "rh-step-error" }, s.error) : null),
    h("td", null, h("span", { class: `rh-outcome rh-outcome-${s.outcome}` }, OUTCOME[s.outcome] ?? s.outcome)),
    h("td", { class: "rh-num" }, ran ? ms(s.durationMs) : none()),
    h("td", { class: "rh-num", "data-col": "p99" }, latency(s.latency.p99Ms)),
    h("td", { class: "rh-num", "data-col": "max" }, latency(s.latency.maxMs)),
    h("td", { class: "rh-num", "data-col": "lock-wait" }, ran && s.maxLockWaitMs > 0 ? ms(s.maxLockWaitMs) : none()),
    h("td", { "data-col": "errors" }, !ran ? none() : [
      h("span", { class: `rh-count${s.errors ? " bad" : ""}` }, String(s.errors)),
      s.firstErrors.length
        ? h("ul", { class: "rh-list rh-first-errors" }, s.firstErrors.map((e) => h("li", null,
          `${e.count}× ${e.version} `, h("code", null, e.statement), `: ${e.message}`)))
        : null,
    ]),
    h("td", { "data-col": "rewritten" }, ran ? listCell(s.rewritten.map((t) => h("code", null, t))) : none()),
    h("td", { "data-col": "locks" }, ran ? listCell(s.locks.map((l) => [
      h("code", null, l.relation), " ", l.mode, l.granted ? null : h("span", { class: "rh-waited" }, " (waited)"),
    ])) : none()),
    h("td", { "data-col": "chart" }, ran ? stallChart(s, top, budget) : none()),
  );
}

/** The verdict: PASS or FAIL, the figures it rests on, and FAIL's reasons. */
function verdict(r) {
  const v = r.verdict;
  const counts = {};
  for (const s of r.steps) counts[s.outcome] = (counts[s.outcome] ?? 0) + 1;
  const steps = [plural(r.steps.length, "step"), counts.applied ? `${counts.applied} applied` : null,
    counts.failed ? `${counts.failed} failed` : null, counts["not-run"] ? `${counts["not-run"]} not run` : null].filter(Boolean).join(", ");
  const budget = `budget: no query over ${ms(r.budget.maxStallMs)}, at most ${plural(r.budget.maxErrors, "workload error")}`;
  return h("div", { id: "rehearsal-verdict", class: `rh-verdict ${v.pass ? "pass" : "fail"}`, dataset: { pass: String(v.pass) } },
    h("p", { class: "rh-headline" },
      h("span", { class: `pill ${v.pass ? "ok" : "sev-error"} rh-mark` }, v.pass ? "PASS" : "FAIL"), " ",
      h("span", null, `${steps}; slowest query ${ms(v.maxStallMs)}, ${plural(v.errors, "workload error")} (${budget}); ${ms(r.durationMs)} in all.`)),
    v.reasons.length ? h("ul", { id: "rehearsal-reasons", class: "rh-reasons", "aria-label": "Why it failed" }, v.reasons.map((x) => h("li", null, x))) : null);
}

function facts(r) {
  const w = r.workload;
  const d = r.data;
  const row = (term, ...desc) => [h("dt", null, term), h("dd", null, ...desc)];
  const baseline = r.baseline.queries
    ? `${r.baseline.queries} queries, p50 ${ms(r.baseline.p50Ms)}, p99 ${ms(r.baseline.p99Ms)}, max ${ms(r.baseline.maxMs)}`
    : "no workload query";
  return h("dl", { class: "rh-facts" },
    row("PostgreSQL", r.server),
    row("Database", r.database),
    row("Workload", `${w.source} (versions ${w.versions.join(", ")}), ${plural(w.sessions, "session")} (${w.preparedSessions} with prepared statements)` +
      `${w.longTransactionMs > 0 ? `, a ${w.longTransactionWrites ? "writing" : "read"} transaction held up to ${ms(w.longTransactionMs)} as each migration starts` : ""}` +
      `; ${r.rows} rows per table`),
    row("Before the first step", baseline),
    row("Data", `${d.rowsChecked} rows checked at the end, ${d.readsChecked} reads during the run; ${d.lost} lost, ${d.duplicated} duplicated, ${d.changed} changed${d.unchecked > 0 ? `, ${d.unchecked} could not be checked` : ""}`,
      d.examples.length ? h("ul", { class: "rh-list" }, d.examples.map((x) => h("li", null, x))) : null));
}

function stopped(st) {
  if (!st) return null;
  const at = st.statement ? [st.line ? ` at line ${st.line}: ` : ": ", h("code", null, st.statement)] : [];
  return h("div", { id: "rehearsal-stopped", class: "rh-stopped" },
    h("h3", null, `Stopped at step ${st.step}`, ...at),
    h("p", { class: "rh-step-error" }, st.error),
    h("p", null, st.note),
    st.rollback.length ? h("p", null, "Rollback of the steps applied, last first:") : null,
    st.rollback.length ? h("ol", { class: "rh-rollback" }, st.rollback.map((rb) => h("li", { dataset: { step: String(rb.step) } },
      h("span", null, `step ${rb.step}: ${rb.title}`),
      rb.sql ? h("pre", { class: "md-code" }, rb.sql.trimEnd()) : h("span", { class: "muted" }, " (no rollback SQL known)")))) : null);
}

/** A report (as `formatRehearsal` accepted it) drawn as DOM: the verdict first, then the facts, the steps, where it stopped. */
export function renderRehearsal(r) {
  const top = chartTop(r);
  const head = h("tr", null, ["#", "Phase", "Step", "Outcome", "Duration", "p99", "Max", "Longest lock wait", "Errors", "Rewrote", "Locks", "Stalls"]
    .map((t) => h("th", { scope: "col" }, t)));
  return {
    verdict: verdict(r),
    body: [
      facts(r),
      h("div", { class: "rh-scroll", tabindex: "0", role: "region", "aria-label": "Rehearsal steps (scrolls sideways)" },
        h("table", { id: "rehearsal-steps", class: "rh-steps" },
          h("caption", null, `Steps (stall charts on one scale: up to ${ms(top)}; red bars are over the budget of ${ms(r.budget.maxStallMs)})`),
          h("thead", null, head),
          h("tbody", null, r.steps.map((s) => stepRow(s, top, r.budget.maxStallMs))))),
      stopped(r.stopped),
    ].filter(Boolean),
  };
}
