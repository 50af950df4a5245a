// A step plan drawn as a release timeline: one column per release, its steps
// grouped by where they run (in the order they happen inside a release), each
// SQL block, rollback and code change copyable.
//
// The plan is the package's `Plan` as is: {change, releases: [{version, date?,
// steps: [{phase, title, why, sql?, down?, code?, requires?, name,
// outside_transaction?, progress?}]}]}.
import { h, copyText } from "./dom.js";

// The order of a release: its migrations, the deploy of the new code, the
// post-deployment migrations, the background migrations.
const PHASES = [
  ["regular", "Migration", "before the deploy"],
  ["application", "Application code", "ships with the release"],
  ["post-deploy", "Post-deploy migration", "after the deploy"],
  ["background", "Background migration", "batched, after the deploy"],
];

/** Renders `plan` as a DOM node (a `.zd-plan` with an `ol.zd-timeline`). */
export function renderPlan(plan) {
  const known = new Set(PHASES.map(([p]) => p));
  const total = plan.releases.length;
  const columns = plan.releases.map((release, i) => {
    const groups = PHASES.map(([phase, label, when]) => {
      const steps = release.steps.filter((s) => s.phase === phase);
      if (!steps.length) return null;
      return h("section", { class: `zd-phase zd-phase-${phase}`, dataset: { phase } },
        h("h5", null, h("span", { class: "zd-dot", "aria-hidden": "true" }), label, h("span", { class: "zd-when" }, when)),
        steps.map(renderStep));
    });
    // Steps of a phase this page does not know yet still show.
    const other = release.steps.filter((s) => !known.has(s.phase));
    return h("li", { class: "zd-release", dataset: { version: release.version } },
      h("header", { class: "zd-release-head" },
        h("span", { class: "zd-release-index" }, `Release ${i + 1} of ${total}`),
        h("strong", { class: "zd-release-version" }, release.version),
        release.date ? h("time", { datetime: release.date }, release.date) : null),
      groups,
      other.length ? h("section", { class: "zd-phase" }, other.map(renderStep)) : null);
  });
  const steps = plan.releases.reduce((n, r) => n + r.steps.length, 0);
  return h("div", { class: "zd-plan" },
    h("p", { class: "zd-plan-change" },
      h("code", null, describeChange(plan.change)),
      h("span", null, ` — ${steps} step${steps === 1 ? "" : "s"} over ${total} release${total === 1 ? "" : "s"}`)),
    h("ol", { class: "zd-timeline", "aria-label": "Release timeline" }, columns));
}

function renderStep(step) {
  const outside = step.outside_transaction ?? step.outsideTransaction;
  return h("article", { class: "zd-step", dataset: { phase: step.phase, name: step.name ?? "" } },
    h("h6", null, inlineCode(step.title)),
    outside || step.name
      ? h("div", { class: "zd-tags" },
        step.name && step.phase !== "application" ? h("code", { class: "zd-tag zd-name", title: "Migration name" }, step.name) : null,
        outside ? h("span", { class: "zd-tag zd-outside", title: "Do not wrap this migration (or its rollback) in a transaction" }, "outside a transaction") : null)
      : null,
    h("p", { class: "zd-why" }, inlineCode(step.why)),
    step.requires?.length
      ? h("div", { class: "zd-requires" }, h("span", null, "Requires"), h("ul", null, step.requires.map((r) => h("li", null, inlineCode(r)))))
      : null,
    step.sql ? codeBlock("SQL", step.sql, "sql") : null,
    step.down ? codeBlock("Rollback", step.down, "down") : null,
    // Application changes are code (several lines) or an instruction (one line).
    step.code ? codeBlock("Code change", step.code, "code", !step.code.includes("\n")) : null,
    step.progress ? codeBlock("Progress query", step.progress, "progress") : null);
}

function codeBlock(label, text, kind, prose = false) {
  const button = h("button", { type: "button", class: "zd-copy", "aria-label": `Copy ${label.toLowerCase()}` }, "Copy");
  button.addEventListener("click", () => copyText(text, button));
  return h("div", { class: `zd-code zd-code-${kind}`, dataset: { kind } },
    h("div", { class: "zd-code-head" }, h("span", null, label), button),
    prose ? h("p", { class: "zd-prose" }, inlineCode(text)) : h("pre", null, h("code", null, text)));
}

/** `a `b` c` -> text with <code> for the backquoted parts (all text nodes). */
function inlineCode(text) {
  return String(text).split(/(`[^`]+`)/).filter(Boolean).map((part) =>
    part.length > 2 && part.startsWith("`") && part.endsWith("`") ? h("code", null, part.slice(1, -1)) : part);
}

/** One line naming the change: `add-index table=users columns=email` (false flags left out). */
export function describeChange(change) {
  const { kind, ...rest } = change;
  const parts = Object.entries(rest)
    .filter(([, v]) => v !== false && v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : v}`);
  return [kind, ...parts].join(" ");
}
