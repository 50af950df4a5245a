// Renders zerodown's CI reports as the platforms show them to a reviewer:
// GitLab's Code Quality widget (from `--format gitlab`) and a code-scanning
// alert list (from `--format sarif`). Text nodes only: a report is data.
// `show({codeQuality, sarif})` renders given reports; without it, the page
// reviews the widget's example diff with the package and renders that.
import { h } from "../lib/dom.js";

const SEVERITY_ORDER = ["blocker", "critical", "major", "minor", "info"];

/** The Code Quality widget: a headline, then one line per entry, worst first. */
export function renderCodeQuality(entries) {
  const sorted = [...entries].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  return h("div", { class: "panel", dataset: { count: entries.length } },
    h("div", { class: "panel-head" },
      entries.length ? `Code Quality scans found ${entries.length} new finding${entries.length === 1 ? "" : "s"}` : "Code Quality: no changes to code quality"),
    sorted.map((e) => h("div", { class: "item cq-item", dataset: { check: e.check_name, fingerprint: e.fingerprint } },
      h("span", { class: `sev sev-${e.severity}` }, e.severity),
      h("span", { class: "text" }, e.description),
      h("span", { class: "where" }, `${e.location.path}:${e.location.lines.begin} · ${e.check_name}`))));
}

/** A code-scanning alert list: each result with its rule, level, location and the rule's help link. */
export function renderSarif(log) {
  const run = log.runs?.[0] ?? {};
  const rules = run.tool?.driver?.rules ?? [];
  const results = run.results ?? [];
  const notices = run.invocations?.flatMap((i) => i.toolExecutionNotifications ?? []) ?? [];
  return h("div", { class: "panel", dataset: { count: results.length } },
    h("div", { class: "panel-head" },
      `${run.tool?.driver?.name ?? "tool"} ${run.tool?.driver?.version ?? ""}: ${results.length} alert${results.length === 1 ? "" : "s"}`),
    results.map((r) => {
      const rule = rules[r.ruleIndex] ?? rules.find((x) => x.id === r.ruleId) ?? {};
      const loc = r.locations?.[0]?.physicalLocation;
      const region = loc?.region ?? {};
      const [message, todo] = String(r.message?.text ?? "").split("\nDo instead: ");
      return h("div", { class: "item sarif-item", dataset: { rule: r.ruleId, level: r.level } },
        h("span", { class: `sev sev-${r.level}` }, r.level),
        h("span", { class: "text" }, message),
        todo ? h("span", { class: "text" }, `Do instead: ${todo}`) : null,
        h("span", { class: "where" },
          `${decodeURIComponent(loc?.artifactLocation?.uri ?? "")}:${region.startLine}:${region.startColumn} · `,
          h("span", { class: "rule" }, rule.helpUri ? h("a", { href: rule.helpUri }, r.ruleId) : r.ruleId),
          r.relatedLocations?.length ? ` · plan of ${r.relatedLocations.length} step${r.relatedLocations.length === 1 ? "" : "s"}` : ""));
    }),
    notices.map((n) => h("div", { class: "notice" },
      `${n.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ""}: ${n.message?.text ?? ""}`)));
}

export function show({ codeQuality, sarif }) {
  document.getElementById("code-quality").replaceChildren(renderCodeQuality(codeQuality));
  document.getElementById("sarif").replaceChildren(renderSarif(sarif));
  document.documentElement.dataset.shown = "true";
}

async function example() {
  const zd = await import("../pkg/full/zerodown.js");
  await zd.default();
  const diff = await (await fetch("../widget/example.diff")).text();
  const report = zd.lintDiff(diff, {});
  show({ codeQuality: JSON.parse(zd.format(report, "gitlab")), sarif: JSON.parse(zd.format(report, "sarif")) });
}

window.zerodownCiView = { show };
if (!new URLSearchParams(location.search).has("empty")) {
  example().catch((e) => {
    document.getElementById("code-quality").replaceChildren(h("p", { class: "error" }, `Could not review the example: ${e?.message ?? e}`));
  });
}
