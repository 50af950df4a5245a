// A step plan drawn as a release timeline: one column per release, its steps
// grouped by where they run, each SQL block and rollback copyable.
import { h, copyText } from "./dom.js";

const PHASES = [
  ["regular", "Migration (before deploy)"],
  ["application", "Application code"],
  ["post-deploy", "Post-deploy migration"],
  ["background", "Background migration"],
];

/** Renders `plan` ({change, releases:[{version, date?, steps}]}) as a DOM node. */
export function renderPlan(plan) {
  const columns = plan.releases.map((release, i) => {
    const groups = PHASES.map(([phase, label]) => {
      const steps = release.steps.filter((s) => s.phase === phase);
      if (!steps.length) return null;
      return h("section", { class: `zd-phase zd-phase-${phase}` }, h("h5", null, label), steps.map(renderStep));
    });
    // Steps of a phase this page does not know yet still show.
    const known = new Set(PHASES.map(([p]) => p));
    const other = release.steps.filter((s) => !known.has(s.phase));
    return h("li", { class: "zd-release", dataset: { version: release.version } },
      h("header", { class: "zd-release-head" },
        h("span", { class: "zd-release-index" }, `Release ${i + 1}`),
        h("strong", { class: "zd-release-version" }, release.version),
        release.date ? h("time", { datetime: release.date }, release.date) : null),
      groups,
      other.length ? h("section", { class: "zd-phase" }, other.map(renderStep)) : null);
  });
  return h("div", { class: "zd-plan" },
    h("p", { class: "zd-plan-change" }, "Change: ", h("code", null, describeChange(plan.change))),
    h("ol", { class: "zd-timeline", "aria-label": "Release timeline" }, columns));
}

function renderStep(step) {
  return h("article", { class: "zd-step", dataset: { phase: step.phase } },
    h("h6", null, step.title),
    h("p", { class: "zd-why" }, step.why),
    step.requires?.length ? h("ul", { class: "zd-requires", "aria-label": "Requires" }, step.requires.map((r) => h("li", null, r))) : null,
    step.sql ? codeBlock("SQL", step.sql) : null,
    step.down ? codeBlock("Rollback", step.down) : null,
    step.code ? codeBlock("Code", step.code) : null);
}

function codeBlock(label, text) {
  const button = h("button", { type: "button", class: "zd-copy", "aria-label": `Copy ${label}` }, "Copy");
  button.addEventListener("click", () => copyText(text, button));
  return h("div", { class: "zd-code" },
    h("div", { class: "zd-code-head" }, h("span", null, label), button),
    h("pre", null, h("code", null, text)));
}

/** One line naming the change: `add-index users (email)`. */
export function describeChange(change) {
  const { kind, ...rest } = change;
  const parts = Object.entries(rest).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : v}`);
  return [kind, ...parts].join(" ");
}
