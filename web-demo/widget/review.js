// The reviewer view: migration files of a change, each with its lines and the
// findings under the lines they point at, the plan one click away. Renders
// into any element or shadow root; every piece of content is a text node.
import { h } from "../lib/dom.js";
import { renderPlan } from "../lib/timeline.js";
import { isMigration, DEFAULT_GLOBS } from "./glob.js";
import { parseUnifiedDiff } from "./diff.js";

/**
 * The files to lint, from either a unified diff or a list of
 * `{path, sql, diff?}` (the new contents). Returns entries with
 * `{path, sql, status, hunks|null, complete}`.
 */
export function collectFiles({ diff, files, globs = DEFAULT_GLOBS }) {
  const picked = [];
  if (files?.length) {
    for (const f of files) {
      if (!isMigration(f.path, globs)) continue;
      const parsed = f.diff ? parseUnifiedDiff(f.diff)[0] : null;
      picked.push({ path: f.path, sql: String(f.sql ?? ""), status: parsed?.status ?? "modified", hunks: parsed?.hunks ?? null, complete: true });
    }
  } else if (diff) {
    for (const f of parseUnifiedDiff(diff)) {
      if (f.status === "deleted" || f.binary || !isMigration(f.path, globs)) continue;
      picked.push({ path: f.path, sql: f.newText, status: f.status, hunks: f.hunks, complete: f.complete });
    }
  }
  return picked;
}

export class ReviewView {
  /** `lint(files, options)` resolves to a LintReport (the package's `lintFiles`). */
  constructor(root, { lint }) {
    this.root = root;
    this.lint = lint;
    this.seq = 0;
  }

  async show({ diff, files, globs, options }) {
    const seq = ++this.seq;
    const picked = collectFiles({ diff, files, globs: globs ?? DEFAULT_GLOBS });
    if (!picked.length) {
      this.root.replaceChildren(this.frame(h("p", { class: "empty" }, "No migration files in this change.")));
      return null;
    }
    this.root.replaceChildren(this.frame(h("p", { class: "empty" }, `Checking ${picked.length} migration file${picked.length > 1 ? "s" : ""}…`)));
    let report;
    try {
      report = await this.lint(picked.map(({ path, sql }) => ({ path, sql })), { plans: true, ...options });
    } catch (e) {
      if (seq === this.seq) this.root.replaceChildren(this.frame(h("p", { class: "error" }, `zerodown could not check this change: ${e?.message ?? e}`)));
      return null;
    }
    if (seq !== this.seq) return null;
    const { errors, warnings, infos } = report.summary;
    const summary = report.findings.length
      ? [errors ? h("span", { class: "pill sev-error" }, `${errors} error${errors === 1 ? "" : "s"}`) : null,
        warnings ? h("span", { class: "pill sev-warning" }, `${warnings} warning${warnings === 1 ? "" : "s"}`) : null,
        infos ? h("span", { class: "pill sev-info" }, `${infos} info`) : null]
      : [h("span", { class: "pill ok" }, "No downtime risks found")];
    this.root.replaceChildren(this.frame(
      picked.map((f) => this.renderFile(f, report)),
      summary,
      `${picked.length} migration file${picked.length > 1 ? "s" : ""}`,
    ));
    return report;
  }

  frame(body, summary = [], subtitle = "") {
    return h("section", { class: "zd-review", "aria-label": "zerodown review" },
      h("header", { class: "zd-review-head" },
        h("span", { class: "zd-logo", "aria-hidden": "true" }, "0↓"),
        h("strong", null, "zerodown"),
        subtitle ? h("span", { class: "zd-sub" }, subtitle) : null,
        h("span", { class: "zd-summary" }, summary)),
      body);
  }

  renderFile(file, report) {
    const findings = report.findings.filter((f) => f.path === file.path);
    const phase = report.files.find((f) => f.path === file.path)?.phase ?? "regular";
    const byLine = new Map();
    for (const f of findings) {
      const list = byLine.get(f.span.start.line) ?? [];
      list.push(f);
      byLine.set(f.span.start.line, list);
    }
    const shown = new Set();
    const rows = [];
    const lineRow = (kind, oldNo, newNo, text) => {
      const marked = newNo !== null && byLine.has(newNo);
      rows.push(h("tr", { class: `zd-line zd-${kind}${marked ? " zd-flagged" : ""}`, dataset: newNo !== null ? { line: newNo } : undefined },
        h("td", { class: "zd-num" }, oldNo ?? ""),
        h("td", { class: "zd-num" }, newNo ?? ""),
        h("td", { class: "zd-sign" }, kind === "add" ? "+" : kind === "del" ? "−" : ""),
        h("td", { class: "zd-text" }, text)));
      if (marked) {
        shown.add(newNo);
        for (const f of byLine.get(newNo)) rows.push(this.findingRow(f));
      }
    };
    if (file.hunks?.length) {
      for (const hunk of file.hunks) {
        rows.push(h("tr", { class: "zd-hunk" }, h("td", { colspan: "4" }, hunk.header)));
        for (const r of hunk.rows) lineRow(r.kind, r.old, r.new, r.text);
      }
    } else {
      const lines = file.sql.split("\n");
      if (lines.at(-1) === "") lines.pop();
      lines.forEach((text, i) => lineRow("ctx", null, i + 1, text));
    }
    const elsewhere = findings.filter((f) => !shown.has(f.span.start.line));
    return h("article", { class: "zd-file", dataset: { path: file.path } },
      h("header", { class: "zd-file-head" },
        h("code", { class: "zd-path" }, file.path),
        h("span", { class: `zd-phase-badge zd-badge-${phase}`, title: "Phase inferred from the path" }, phase),
        h("span", { class: "zd-status" }, file.status),
        h("span", { class: "zd-count" }, findings.length ? `${findings.length} finding${findings.length > 1 ? "s" : ""}` : "clean")),
      !file.complete ? h("p", { class: "zd-note" }, "Only the lines this diff shows were checked.") : null,
      h("div", { class: "zd-scroll" }, h("table", { class: "zd-diff" }, h("tbody", null, rows))),
      elsewhere.length ? h("div", { class: "zd-elsewhere" }, h("p", null, "Outside the lines shown:"),
        h("table", { class: "zd-diff" }, h("tbody", null, elsewhere.map((f) => this.findingRow(f))))) : null);
  }

  findingRow(f) {
    const planBox = h("div", { class: "zd-plan-box", hidden: true });
    const toggle = f.plan
      ? h("button", { type: "button", class: "zd-plan-toggle", "aria-expanded": "false" }, "Show plan")
      : h("button", { type: "button", class: "zd-plan-toggle", disabled: true, title: "No multi-release plan for this finding" }, "No plan");
    if (f.plan) {
      toggle.addEventListener("click", () => {
        const open = planBox.hidden;
        planBox.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? "Hide plan" : "Show plan";
        if (open && !planBox.firstChild) planBox.append(renderPlan(f.plan));
      });
    }
    return h("tr", { class: "zd-finding", dataset: { rule: f.rule } },
      h("td", { colspan: "4" },
        h("div", { class: `zd-card zd-card-${f.severity}` },
          h("div", { class: "zd-card-head" },
            h("span", { class: `sev sev-${f.severity}` }, f.severity),
            h("code", { class: "zd-rule" }, f.rule),
            h("span", { class: "zd-loc" }, `line ${f.span.start.line}, col ${f.span.start.column}`),
            toggle),
          h("p", { class: "zd-msg" }, f.message),
          h("p", { class: "zd-help" }, f.help),
          planBox)));
  }
}

export const REVIEW_CSS = `
.zd-review { font: 14px/1.45 var(--zd-sans); color: var(--zd-ink); background: var(--zd-bg); border: 1px solid var(--zd-line);
  border-radius: 10px; padding: 12px; text-align: left; }
.zd-review-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 10px; }
.zd-logo { display: grid; place-items: center; width: 26px; height: 26px; border-radius: 6px; background: #7b61e0; color: #fff;
  font: 700 12px/1 var(--zd-mono); }
.zd-sub { color: var(--zd-muted); }
.zd-summary { margin-left: auto; display: flex; gap: 6px; }
.empty, .error { margin: 4px 0; color: var(--zd-muted); } .error { color: var(--zd-error); }
.zd-file { background: var(--zd-card); border: 1px solid var(--zd-line); border-radius: 8px; margin-top: 10px; overflow: hidden; }
.zd-file-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; padding: 8px 12px; background: #f3f4f8;
  border-bottom: 1px solid var(--zd-line); }
.zd-path { font: 600 13px var(--zd-mono); overflow-wrap: anywhere; }
.zd-phase-badge { font: 600 11px/1 var(--zd-sans); padding: 4px 7px; border-radius: 4px; background: #e6f0fa; color: #245c91; }
.zd-badge-post-deploy { background: #fbefdc; color: #8a5512; } .zd-badge-background { background: #e2f3ec; color: #1f6e51; }
.zd-status { font-size: 12px; color: var(--zd-muted); }
.zd-count { margin-left: auto; font-size: 12px; color: var(--zd-muted); }
.zd-note { margin: 0; padding: 6px 12px; font-size: 12px; color: var(--zd-muted); border-bottom: 1px solid var(--zd-line); }
.zd-scroll { overflow-x: auto; container-type: inline-size; }
.zd-diff { border-collapse: collapse; width: 100%; font: 12.5px/1.6 var(--zd-mono); }
.zd-num { width: 1%; min-width: 34px; padding: 0 8px; text-align: right; color: #98a1b3; user-select: none; vertical-align: top; }
.zd-sign { width: 1%; padding: 0 4px; color: #98a1b3; user-select: none; vertical-align: top; }
.zd-text { white-space: pre; padding-right: 12px; }
.zd-add { background: #eefaf1; } .zd-del { background: #fdf0f1; }
.zd-flagged .zd-text { text-decoration: underline wavy var(--zd-error); text-decoration-skip-ink: none; text-underline-offset: 3px; }
.zd-hunk td { color: #6a7184; background: #f1f3fa; padding: 2px 10px; }
.zd-finding td { padding: 6px 10px 8px 52px; white-space: normal; font-family: var(--zd-sans); }
.zd-card { border: 1px solid var(--zd-line); border-left-width: 4px; border-radius: 7px; padding: 8px 10px; background: #fff; }
/* A finding (and its plan) stays as wide as the visible part of the diff, however wide its lines. */
.zd-scroll .zd-card { position: sticky; left: 52px; box-sizing: border-box; width: calc(100cqw - 62px); }
@container (max-width: 640px) {
  .zd-finding td { padding-left: 8px; padding-right: 8px; }
  .zd-scroll .zd-card { left: 8px; width: calc(100cqw - 16px); }
  .zd-num { min-width: 26px; padding: 0 5px; }
}
.zd-card-error { border-left-color: var(--zd-error); } .zd-card-warning { border-left-color: var(--zd-warning); }
.zd-card-info { border-left-color: var(--zd-info); }
.zd-card-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.zd-rule { font-weight: 600; } .zd-loc { font-size: 12px; color: var(--zd-muted); }
.zd-plan-toggle { margin-left: auto; font: 500 12px/1 var(--zd-sans); padding: 5px 9px; border-radius: 5px; border: 1px solid #b9abef;
  background: #f7f5ff; color: var(--zd-accent); cursor: pointer; }
.zd-plan-toggle:disabled { border-color: var(--zd-line); background: #f6f7f9; color: #98a1b3; cursor: default; }
.zd-msg { margin: 6px 0 2px; } .zd-help { margin: 0; color: var(--zd-muted); }
.zd-help::before { content: "→ "; color: var(--zd-ok); font-weight: 700; }
.zd-plan-box { margin-top: 10px; }
.zd-elsewhere > p { margin: 8px 12px 0; font-size: 12px; color: var(--zd-muted); }
`;
