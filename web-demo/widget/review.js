// The reviewer view: the migration files of a change, each with its lines and
// the findings under the lines they point at, the plan one click away.
// Renders into any element or shadow root; every piece of content is a text
// node, and characters that do not show (bidirectional controls, zero-width
// characters) are drawn as visible markers.
//
// What is checked comes from the package: `lintDiff` for a diff (findings
// only for the statements the change touches, schema dumps and files it
// cannot read listed with their status), `lintFiles` for a list of files.
// Findings are matched to files by the index the package returns.
import { h, copyText } from "../lib/dom.js";
import { renderPlan } from "../lib/timeline.js";
import { isMigration, isRubyMigration, matchesAny, DEFAULT_GLOBS } from "./glob.js";
import { parseUnifiedDiff } from "./diff.js";

// The characters the package's `invisible-characters` rule reports.
const INVISIBLE = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;
const HAS_INVISIBLE = new RegExp(INVISIBLE.source, "u");

/** `text` with every invisible character replaced by a visible marker (`⟨U+202E⟩`). */
export function visible(text) {
  text = String(text ?? "");
  if (!HAS_INVISIBLE.test(text)) return text;
  const out = [];
  let last = 0;
  for (const m of text.matchAll(INVISIBLE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const code = `U+${m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    out.push(h("span", { class: "zd-invisible", title: `${code}: an invisible character; what runs is not what this line seems to show` }, `⟨${code}⟩`));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The UTF-16 index of 1-based `column` (counted in Unicode scalar values, as the package counts) in `line`; -1 past its end. */
function columnIndex(line, column) {
  let i = 0;
  for (let c = 1; c < column; c++) {
    if (i >= line.length) return -1;
    i += line.codePointAt(i) > 0xffff ? 2 : 1;
  }
  return i;
}

/**
 * A finding's fix as a suggested change of whole lines, the form GitLab and
 * GitHub apply from a review comment: `{first, last, lines, block}`, the
 * lines `first`..`last` of the new file (the statement's, and every line an
 * edit touches) with the fix's edits applied, and `block` the comment's
 * fenced `suggestion` block. `lineText(n)` is line `n` of the new file as
 * the change shows it (undefined when it does not): the suggestion is built
 * from line and column numbers, which are the file's own in a diff too
 * (its text offsets are not: lines a diff leaves out are blank in what the
 * package lints). Null when the finding has no fix, or a line it needs is
 * not shown or does not hold the positions.
 */
export function suggestion(f, lineText) {
  const edits = f?.fix?.edits;
  if (!edits?.length) return null;
  // An end at column 1 of a later line closes the line before it.
  const lastOf = (span) => (span.end.column === 1 && span.end.line > span.start.line ? span.end.line - 1 : span.end.line);
  const spans = [...(f.statement ? [f.statement] : []), ...edits.map((e) => e.span)];
  const first = Math.min(...spans.map((s) => s.start.line));
  const last = Math.max(...spans.map(lastOf));
  if (!(first >= 1 && last >= first && last - first < 10_000)) return null;
  const lines = [];
  for (let n = first; n <= last; n++) {
    const text = lineText(n);
    if (typeof text !== "string") return null;
    lines.push(text);
  }
  // The lines as one text ending in "\n", so an edit may end at the start of the line after them.
  const text = `${lines.join("\n")}\n`;
  const starts = [0];
  for (const l of lines) starts.push(starts.at(-1) + l.length + 1);
  const at = ({ line, column }) => {
    if (line < first || line > last + 1) return -1;
    if (line === last + 1) return column === 1 ? text.length : -1;
    const i = columnIndex(lines[line - first], column);
    return i < 0 ? -1 : starts[line - first] + i;
  };
  const ranges = [];
  for (const e of edits) {
    const [from, to] = [at(e.span.start), at(e.span.end)];
    if (from < 0 || to < from) return null;
    ranges.push([from, to, String(e.text ?? "")]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) if (ranges[i][0] < ranges[i - 1][1]) return null; // overlapping
  let fixed = text;
  for (const [from, to, by] of [...ranges].reverse()) fixed = fixed.slice(0, from) + by + fixed.slice(to);
  if (fixed.endsWith("\n")) fixed = fixed.slice(0, -1);
  const out = fixed.split("\n");
  return { first, last, lines: out, block: suggestionBlock(out) };
}

/** `lines` in a fenced `suggestion` block, its fence longer than any run of backticks in them. */
export function suggestionBlock(lines) {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}suggestion\n${lines.join("\n")}\n${fence}`;
}

export class ReviewView {
  /**
   * `lintDiff(diff, options, migrations, { ruby })` and `lintFiles(files,
   * options, { ruby })` resolve to a LintReport (the package's functions of
   * those names). `ruby` is true when the change holds a Rails migration
   * (`.rb`): the caller then lints with the package's Ruby module
   * (`zerodown/ruby`), and only then loads it.
   * `collapsible`: the review is a closed `<details>` whose summary is one line.
   * `schemaInfo()`: what the review was checked against, asked after each
   * lint: null (no schema, nothing said), `{counts, problems, path}` (a
   * schema handle's: its counts and the statements it skipped), or
   * `{missing}` (a sentence: why there is no schema).
   */
  constructor(root, { lintDiff, lintFiles, collapsible = false, schemaInfo = () => null }) {
    this.root = root;
    this.lintDiff = lintDiff;
    this.lintFiles = lintFiles;
    this.collapsible = collapsible;
    this.schemaInfo = schemaInfo;
    this.seq = 0;
  }

  /**
   * Reviews a unified `diff`, or `files` (`[{path, sql}]`, the new contents).
   * `globs`: which paths are migrations (default: the package's).
   * `unchecked`: `[{path, reason}]` the caller could not read; shown as not
   * checked, never as clean. Resolves to the LintReport (null when a newer
   * call replaced this one). On any error the review is replaced by an error
   * state and the promise rejects.
   */
  async show({ diff, files, globs, options, unchecked = [] }) {
    const seq = ++this.seq;
    try {
      this.root.replaceChildren(this.frame(h("p", { class: "empty" }, "Checking…"), [], ""));
      const { shown, report } = files?.length
        ? await this.checkFiles(files, globs, options)
        : await this.checkDiff(String(diff ?? ""), globs, options);
      if (seq !== this.seq) return null;
      this.render(shown, report, unchecked);
      return report;
    } catch (e) {
      if (seq === this.seq) {
        const message = String(e?.message ?? e);
        this.root.replaceChildren(this.frame(
          h("p", { class: "error", role: "alert" }, "zerodown could not check this change: ", visible(message)),
          [h("span", { class: "pill sev-error" }, "not checked")], "", "zerodown could not check this change"));
      }
      throw e;
    }
  }

  async checkDiff(diff, globs, options) {
    // Both readers of the diff see the same well-formed text, so their paths agree.
    diff = diff.toWellFormed ? diff.toWellFormed() : diff;
    const shown = parseUnifiedDiff(diff).map((f) => ({ path: f.path, status: f.status, hunks: f.hunks, problem: f.problem, truncated: f.truncated }));
    // Which module reads the change; what is a migration, and its findings, come from it.
    const ruby = shown.some((f) => f.status !== "deleted" && isRubyMigration(f.path, globs?.length ? globs : DEFAULT_GLOBS));
    const report = await this.lintDiff(diff, { plans: true, ...options }, globs?.length ? globs : undefined, { ruby });
    return { shown, report };
  }

  async checkFiles(files, globs, options) {
    globs ??= DEFAULT_GLOBS;
    const picked = files
      .map((f) => ({ path: String(f.path ?? "").toWellFormed?.() ?? String(f.path ?? ""), sql: String(f.sql ?? "") }))
      .filter((f) => matchesAny(f.path, globs));
    const read = picked.filter((f) => isMigration(f.path, globs));
    const ruby = read.some((f) => isRubyMigration(f.path, globs));
    const report = read.length ? await this.lintFiles(read, { plans: true, ...options }, { ruby }) : { findings: [], files: [], summary: { errors: 0, warnings: 0, infos: 0 } };
    // Code migrations the globs match: listed as not checked, as lintDiff does.
    for (const f of picked) {
      if (!read.includes(f)) report.files.push({ path: f.path, phase: "regular", statements: 0, status: "not-checked", reason: "not read: zerodown reads SQL and Ruby (Rails) migrations" });
    }
    const shown = picked.map((f) => ({ path: f.path, status: "file", text: f.sql, hunks: null }));
    return { shown, report };
  }

  render(shown, report, unchecked) {
    const files = report.files.map((f, i) => ({ ...f, index: i, findings: [] }));
    for (const f of report.findings) {
      let file = Number.isInteger(f.file) ? files[f.file] : files.find((x) => x.path === f.path);
      // A finding the report's files do not hold still shows, under its own path.
      if (!file) files.push((file = { path: f.path, phase: null, status: "checked", index: files.length, findings: [] }));
      file.findings.push(f);
    }
    // Files in the order the change shows them; a file of the report the
    // diff's layout did not name (it cannot happen with the package's own
    // paths) still shows, with its findings.
    const byPath = new Map();
    for (const f of files) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
    const articles = [];
    const used = new Set();
    for (const s of shown) {
      const file = byPath.get(s.path)?.find((f) => !used.has(f));
      if (!file) continue;
      used.add(file);
      articles.push(this.renderFile(file, s));
    }
    for (const f of files) if (!used.has(f)) articles.push(this.renderFile(f, null));
    const schemaNote = [this.schemaNote(), this.toolNote(report)];
    for (const u of unchecked) {
      articles.push(this.renderFile({ path: String(u.path ?? ""), phase: null, status: "not-checked", reason: String(u.reason ?? "not read"), findings: [] }, null));
    }
    const listed = files.filter((f) => f.status !== "skipped" && f.status !== "deleted");
    const notChecked = listed.filter((f) => f.status === "not-checked").length + unchecked.length;
    const migrations = listed.filter((f) => f.status !== "schema").length + unchecked.length;
    if (!articles.some(Boolean)) {
      this.root.replaceChildren(this.frame([schemaNote, h("p", { class: "empty" }, "No migration files in this change.")], [], "", "zerodown: no migrations in this change"));
      return;
    }
    const { errors, warnings, infos } = report.summary;
    const pills = [
      errors ? h("span", { class: "pill sev-error" }, plural(errors, "error")) : null,
      warnings ? h("span", { class: "pill sev-warning" }, plural(warnings, "warning")) : null,
      infos ? h("span", { class: "pill sev-info" }, `${infos} info`) : null,
      notChecked ? h("span", { class: "pill unchecked" }, `${notChecked} not checked`) : null,
      !report.findings.length && !notChecked ? h("span", { class: "pill ok" }, "No downtime risks found") : null,
    ];
    const counts = [errors ? plural(errors, "error") : "", warnings ? plural(warnings, "warning") : "", infos ? `${infos} info` : ""].filter(Boolean);
    const line = `zerodown: ${counts.length ? counts.join(", ") : notChecked ? "nothing found in what was checked" : "no downtime risks"} in ${plural(migrations, "migration")}${notChecked ? ` (${notChecked} not checked)` : ""}`;
    const subtitle = [
      plural(migrations, "migration file"),
      report.summary.changed !== undefined ? `${plural(report.summary.changed, "statement")} changed, ${report.summary.context ?? 0} read for context` : null,
    ].filter(Boolean).join(" · ");
    this.root.replaceChildren(this.frame([schemaNote, ...articles], pills, subtitle, line));
  }

  /**
   * How the change's migrations run (the report's `tool`), and the
   * migrations the tool does not run in this direction, with why; null
   * when no tool was used.
   */
  toolNote(report) {
    const tool = report.tool;
    if (!tool) return null;
    const left = report.files.filter((f) => f.status === "skipped" && f.reason);
    const text = `Read as ${tool.name} runs it, ${tool.direction} scripts (${tool.why}).`;
    if (!left.length) return h("p", { class: "zd-tool-info", role: "note" }, visible(text));
    return h("div", { class: "zd-tool-info", role: "note" }, h("p", null, visible(text)),
      h("details", null,
        h("summary", null, `${plural(left.length, "file")} ${tool.name} does not run here`),
        h("ul", null, left.map((f) => h("li", null, h("code", null, visible(f.path)), " ", visible(f.reason))))));
  }

  /** What the review was checked against (see `schemaInfo`), or null. */
  schemaNote() {
    const info = this.schemaInfo?.();
    if (!info) return null;
    if (info.missing) {
      return h("p", { class: "zd-schema-info zd-schema-missing", role: "note" }, "Reviewed without a schema: ", visible(info.missing));
    }
    const { counts, problems = [] } = info;
    const text = `Checked against the schema: ${plural(counts.tables, "table")}, ${plural(counts.columns, "column")}, ${plural(counts.indexes, "index", "indexes")}.`;
    if (!problems.length) return h("p", { class: "zd-schema-info" }, text);
    const shown = problems.slice(0, 100);
    return h("div", { class: "zd-schema-info" }, h("p", null, text),
      h("details", { class: "zd-schema-problems" },
        h("summary", null, `${plural(problems.length, "statement")} of the schema skipped`),
        h("ol", null, shown.map((p) => h("li", null, h("code", null, visible(`${p.path}:${p.line}`)), " ", visible(p.reason))),
          problems.length > shown.length ? h("li", null, `and ${problems.length - shown.length} more`) : null)));
  }

  frame(body, pills, subtitle, line = "zerodown") {
    const head = [
      h("span", { class: "zd-logo", "aria-hidden": "true" }, "0↓"),
      h("strong", null, "zerodown"),
      subtitle ? h("span", { class: "zd-sub" }, subtitle) : null,
      h("span", { class: "zd-summary" }, pills),
    ];
    if (this.collapsible) {
      return h("details", { class: "zd-review zd-collapsible", "aria-label": line },
        h("summary", { class: "zd-review-head", title: line }, head), body);
    }
    return h("section", { class: "zd-review", "aria-label": "zerodown review" }, h("header", { class: "zd-review-head" }, head), body);
  }

  /** One file of the report; `shown` is its layout from the diff (or the files list). */
  renderFile(file, shown) {
    const { status = "checked", findings } = file;
    if (status === "skipped" || status === "deleted") return null;
    const head = (count, countClass = "") => h("header", { class: "zd-file-head" },
      h("code", { class: "zd-path" }, visible(file.path)),
      file.phase ? h("span", { class: `zd-phase-badge zd-badge-${file.phase}`, title: "Phase inferred from the path" }, file.phase) : null,
      shown && shown.status !== "file" ? h("span", { class: "zd-status" }, shown.status) : null,
      h("span", { class: `zd-count ${countClass}` }, count));
    if (status === "schema") {
      return h("article", { class: "zd-file zd-schema", dataset: { path: file.path, status } },
        head("schema dump"), h("p", { class: "zd-note" }, "A schema dump, not a migration: read as the schema, never linted."));
    }
    const rows = [];
    // The new file's lines as the change shows them, for the fixes' suggestions.
    const newLines = new Map();
    if (shown?.hunks?.length) {
      for (const hunk of shown.hunks) for (const r of hunk.rows) if (r.new !== null) newLines.set(r.new, r.text);
    } else if (shown?.text !== undefined) {
      shown.text.split("\n").forEach((text, i) => newLines.set(i + 1, text));
    }
    const lineText = (n) => newLines.get(n);
    const byLine = new Map();
    for (const f of findings) byLine.set(f.span.start.line, [...(byLine.get(f.span.start.line) ?? []), f]);
    const placed = new Set();
    const lineRow = (kind, oldNo, newNo, text) => {
      const marked = newNo !== null && byLine.has(newNo) && !placed.has(newNo);
      rows.push(h("tr", { class: `zd-line zd-${kind}${marked ? " zd-flagged" : ""}`, dataset: newNo !== null ? { line: newNo } : undefined },
        h("td", { class: "zd-num" }, oldNo ?? ""),
        h("td", { class: "zd-num" }, newNo ?? ""),
        h("td", { class: "zd-sign" }, kind === "add" ? "+" : kind === "del" ? "−" : ""),
        h("td", { class: "zd-text" }, visible(text))));
      if (marked) {
        placed.add(newNo);
        for (const f of byLine.get(newNo)) rows.push(this.findingRow(f, lineText));
      }
    };
    if (shown?.hunks?.length) {
      for (const hunk of shown.hunks) {
        rows.push(h("tr", { class: "zd-hunk" }, h("td", { colspan: "4" }, visible(hunk.header))));
        for (const r of hunk.rows) lineRow(r.kind, r.old, r.new, r.text);
      }
    } else if (shown?.text !== undefined) {
      const lines = shown.text.split("\n");
      if (lines.at(-1) === "") lines.pop();
      lines.forEach((text, i) => lineRow("ctx", null, i + 1, text));
    }
    const elsewhere = findings.filter((f) => !placed.has(f.span.start.line));
    const notes = [];
    let count;
    let countClass = "";
    if (status === "not-checked") {
      count = "not checked";
      countClass = "zd-count-unchecked";
      notes.push(h("p", { class: "zd-note zd-unchecked-note", role: "note" }, "Not checked: ", visible(file.reason ?? "zerodown could not read it")));
    } else {
      count = findings.length ? plural(findings.length, "finding") : "clean";
      if (file.changed !== undefined && file.changed !== null) {
        notes.push(h("p", { class: "zd-note" }, `${plural(file.changed, "statement")} changed, ${Math.max(0, file.statements - file.changed)} read for context: findings are for the changed ones.`));
      }
      if (file.reason) notes.push(h("p", { class: "zd-note" }, visible(file.reason)));
      // The tool's transaction mode decides verdicts such as CONCURRENTLY's.
      if (typeof file.transaction === "boolean") {
        notes.push(h("p", { class: "zd-note zd-transaction" }, file.transaction
          ? "Runs inside a transaction, as its migration tool runs it."
          : "Runs outside a transaction, as its migration tool runs it."));
      }
    }
    if (shown?.truncated) notes.push(h("p", { class: "zd-note" }, `${shown.truncated} more lines are not shown; their findings are listed below.`));
    return h("article", { class: `zd-file${status === "not-checked" ? " zd-unchecked" : ""}`, dataset: { path: file.path, status } },
      head(count, countClass),
      notes,
      rows.length ? h("div", { class: "zd-scroll" }, h("table", { class: "zd-diff" }, h("tbody", null, rows))) : null,
      elsewhere.length ? h("div", { class: "zd-elsewhere" }, h("p", null, "Outside the lines shown:"),
        h("table", { class: "zd-diff" }, h("tbody", null, elsewhere.map((f) => this.findingRow(f, lineText))))) : null);
  }

  /**
   * A finding's fix: its title, and the fixed lines as a suggested change
   * to paste into a review comment on those lines ("Copy suggestion").
   */
  fixBox(f, lineText) {
    if (!f.fix) return null;
    const s = suggestion(f, lineText ?? (() => undefined));
    const where = s ? (s.first === s.last ? `line ${s.first}` : `lines ${s.first}–${s.last}`) : "";
    const copy = s ? h("button", { type: "button", class: "zd-copy zd-copy-suggestion",
      "aria-label": `Copy suggestion: ${f.fix.title} (${f.rule}, ${where})` }, "Copy suggestion") : null;
    copy?.addEventListener("click", () => copyText(s.block, copy));
    return h("div", { class: "zd-fix", dataset: s ? { first: s.first, last: s.last } : undefined },
      h("div", { class: "zd-fix-head" },
        h("span", { class: "zd-fix-label" }, "Fix: "), h("span", { class: "zd-fix-title" }, visible(f.fix.title)), copy),
      s
        ? [h("p", { class: "zd-fix-where" }, s.first === s.last
          ? `Suggested change for ${where}: comment on that line and paste it.`
          // GitLab's suggestion replaces the commented line; `:-0+N` extends it N lines down.
          : `Suggested change for ${where}: comment on those lines and paste it (on GitLab, comment on line ${s.first} and make the fence suggestion:-0+${s.last - s.first}).`),
          h("pre", { class: "zd-suggestion" }, h("code", null, visible(s.block)))]
        : h("p", { class: "zd-fix-where" }, "The lines this fix changes are not all shown in this change: run `zerodown fix` on the file."));
  }

  findingRow(f, lineText) {
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
          h("p", { class: "zd-msg" }, visible(f.message)),
          h("p", { class: "zd-help" }, visible(f.help)),
          this.fixBox(f, lineText),
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
.zd-num { width: 1%; min-width: 34px; padding: 0 8px; text-align: right; color: #636b7a; user-select: none; vertical-align: top; }
.zd-sign { width: 1%; padding: 0 4px; color: #636b7a; user-select: none; vertical-align: top; }
.zd-text { white-space: pre; padding-right: 12px; }
.zd-add { background: #eefaf1; } .zd-del { background: #fdf0f1; }
.zd-flagged .zd-text { text-decoration: underline wavy var(--zd-error); text-decoration-skip-ink: none; text-underline-offset: 3px; }
.zd-hunk td { color: var(--zd-muted); background: #f1f3fa; padding: 2px 10px; }
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
.zd-fix { margin-top: 8px; border: 1px solid var(--zd-line); border-radius: 6px; background: #f7fbf8; padding: 6px 8px; }
.zd-fix-head { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.zd-fix-label { color: var(--zd-ok); font-weight: 600; } .zd-fix-title { flex: 1 1 auto; min-width: 0; }
.zd-fix-where { margin: 4px 0; font-size: 12px; color: var(--zd-muted); }
.zd-suggestion { margin: 0; padding: 6px 8px; background: #fff; border: 1px solid var(--zd-line); border-radius: 4px;
  font: 12px/1.5 var(--zd-mono); white-space: pre-wrap; overflow-wrap: anywhere; }
.zd-copy:focus-visible { outline: 2px solid var(--zd-accent); outline-offset: 2px; }
.zd-elsewhere > p { margin: 8px 12px 0; font-size: 12px; color: var(--zd-muted); }
.zd-invisible { font: 600 11px/1 var(--zd-mono); color: #fff; background: var(--zd-error); border-radius: 3px; padding: 1px 3px;
  margin: 0 1px; white-space: nowrap; }
.pill.unchecked { color: #6b4a00; background: var(--zd-warning-bg); }
.zd-unchecked { border-color: var(--zd-warning); } .zd-count-unchecked { color: #6b4a00; font-weight: 600; }
.zd-unchecked-note { color: #6b4a00; background: var(--zd-warning-bg); }
.zd-schema .zd-file-head { border-bottom: 0; } .zd-schema .zd-note { border-bottom: 0; }
.zd-schema-info, .zd-tool-info { margin: 0 0 6px; font-size: 12.5px; color: var(--zd-muted); } .zd-schema-info p, .zd-tool-info p { margin: 0; }
.zd-schema-missing { color: #6b4a00; background: var(--zd-warning-bg); padding: 6px 10px; border-radius: 6px; }
.zd-schema-problems summary { cursor: pointer; color: var(--zd-accent); }
.zd-schema-problems ol { margin: 4px 0 0; padding-left: 18px; } .zd-schema-problems code { font-weight: 600; }
.zd-schema-problems summary:focus-visible { outline: 2px solid var(--zd-accent); outline-offset: 2px; }
details.zd-review > summary { cursor: pointer; margin-bottom: 0; list-style: none; }
details.zd-review > summary::-webkit-details-marker { display: none; }
details.zd-review > summary::before { content: "▸"; color: var(--zd-muted); width: 1em; }
details.zd-review[open] > summary::before { content: "▾"; }
details.zd-review[open] > summary { margin-bottom: 10px; }
details.zd-review > summary:focus-visible, .zd-plan-toggle:focus-visible { outline: 2px solid var(--zd-accent); outline-offset: 2px; }
`;
