// A step plan drawn as a release timeline: one column per release, its steps
// grouped by where they run (in the order they happen inside a release), each
// SQL block, rollback and code change copyable. Above it, an overview: every
// step in one line (release, phase, title), each a button to its step.
// Headings: a release is an h3, a phase an h4, a step an h5 (the plan sits
// under an h2 in the playground).
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

/**
 * Renders `plan` as a DOM node: a `.zd-plan` with a `nav.zd-overview` (the
 * steps in order, each a button that brings its step into view) and an
 * `ol.zd-timeline`.
 */
export function renderPlan(plan) {
  const known = new Set(PHASES.map(([p]) => p));
  const total = plan.releases.length;
  const order = []; // [release, step, its article], in the order they run
  const columns = plan.releases.map((release, i) => {
    const drawn = (step) => {
      const article = renderStep(step);
      order.push([release, step, article]);
      return article;
    };
    const groups = PHASES.map(([phase, label, when]) => {
      const steps = release.steps.filter((s) => s.phase === phase);
      if (!steps.length) return null;
      return h("section", { class: `zd-phase zd-phase-${phase}`, dataset: { phase } },
        h("h4", null, h("span", { class: "zd-dot", "aria-hidden": "true" }), label, h("span", { class: "zd-when" }, when)),
        steps.map(drawn));
    });
    // Steps of a phase this page does not know yet still show.
    const other = release.steps.filter((s) => !known.has(s.phase)).map(drawn);
    return h("li", { class: "zd-release", dataset: { version: release.version } },
      h("header", { class: "zd-release-head" },
        h("span", { class: "zd-release-index" }, `Release ${i + 1} of ${total}`),
        h("h3", { class: "zd-release-version" }, release.version),
        release.date ? h("time", { datetime: release.date }, release.date) : null),
      groups,
      other.length ? h("section", { class: "zd-phase" }, other) : null);
  });
  const steps = plan.releases.reduce((n, r) => n + r.steps.length, 0);
  return h("div", { class: "zd-plan" },
    h("p", { class: "zd-plan-change" },
      h("code", null, describeChange(plan.change)),
      h("span", null, ` — ${steps} step${steps === 1 ? "" : "s"} over ${total} release${total === 1 ? "" : "s"}`)),
    renderOverview(plan, order),
    h("ol", { class: "zd-timeline", "aria-label": "Release timeline" }, columns));
}

const PHASE_LABELS = new Map(PHASES.map(([phase, label]) => [phase, label]));

/** The overview: one line per step (release, phase, title); each a button to its step. */
function renderOverview(plan, order) {
  let n = 0;
  const releases = [];
  for (const [release, step, article] of order) {
    if (releases.at(-1)?.release !== release) releases.push({ release, items: [] });
    n += 1;
    article.tabIndex = -1; // focusable from its overview line, not in the tab order
    const go = h("button", { type: "button", class: "zd-ov-step", dataset: { phase: step.phase } },
      h("span", { class: "zd-ov-n" }, `${n}.`),
      h("span", { class: "zd-ov-phase" }, PHASE_LABELS.get(step.phase) ?? step.phase),
      h("span", { class: "zd-ov-title" }, inlineCode(step.title)));
    go.addEventListener("click", () => {
      article.scrollIntoView({ block: "start", inline: "nearest", behavior: "smooth" });
      article.focus({ preventScroll: true });
    });
    releases.at(-1).items.push(h("li", null, go));
  }
  return h("nav", { class: "zd-overview", "aria-label": `Plan overview: ${describeChange(plan.change)}` },
    h("ol", { class: "zd-ov-releases" }, releases.map(({ release, items }) =>
      h("li", { class: "zd-ov-release", dataset: { version: release.version } },
        h("span", { class: "zd-ov-version" }, release.version),
        h("ol", { class: "zd-ov-steps" }, items)))));
}

function renderStep(step) {
  const outside = step.outside_transaction ?? step.outsideTransaction;
  return h("article", { class: "zd-step", dataset: { phase: step.phase, name: step.name ?? "" } },
    h("h5", null, inlineCode(step.title)),
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
