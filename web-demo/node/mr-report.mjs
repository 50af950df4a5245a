#!/usr/bin/env node
// Lints the SQL migrations changed between two git revisions with the zerodown
// npm package and writes a GitLab Code Quality report and a Markdown summary
// for a merge-request note. Run it inside the repository:
//
//   node mr-report.mjs BASE HEAD [--code-quality gl-code-quality-report.json]
//       [--note zerodown-note.md] [--globs "db/migrate/**,**/*.sql"] [--fail-on error|warning|never]
//
// In GitLab CI: BASE=$CI_MERGE_REQUEST_DIFF_BASE_SHA HEAD=$CI_COMMIT_SHA, and
// `artifacts: reports: codequality: gl-code-quality-report.json`.
// Options come from HEAD's zerodown.toml when there is one. Exit code 1 when
// a finding reaches --fail-on (default: error), 2 on a usage or git error.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { realpathSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { lintFiles, parseConfig } from "zerodown";
import { DEFAULT_GLOBS, isMigration } from "../widget/glob.js";

const SEVERITY = { error: "major", warning: "minor", info: "info" }; // Code Quality levels

function git(...args) {
  return execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** The migrations changed (added, modified, renamed; not deleted) between base and head, as at head. */
export function changedMigrations(base, head, globs = DEFAULT_GLOBS) {
  return git("diff", "--name-only", "--diff-filter=d", "-z", base, head)
    .split("\0")
    .filter((path) => path && isMigration(path, globs))
    .map((path) => ({ path, sql: git("show", `${head}:${path}`) }));
}

/** Lint options from `zerodown.toml` at `head`, or the defaults. */
export function optionsAt(head) {
  let text;
  try {
    text = execFileSync("git", ["show", `${head}:zerodown.toml`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return {};
  }
  return parseConfig(text, "zerodown.toml");
}

/** GitLab Code Quality entries, one per finding. */
export function codeQuality(report, files) {
  const sources = new Map(files.map((f) => [f.path, f.sql]));
  return report.findings.map((f) => {
    // Stable across unrelated edits: the rule, the file and the statement's text.
    const statement = Buffer.from(sources.get(f.path) ?? "", "utf8").subarray(f.statement.start.offset, f.statement.end.offset).toString("utf8");
    return {
      description: `${f.message} (${f.help})`,
      check_name: f.rule,
      fingerprint: createHash("sha256").update(`${f.rule}\0${f.path}\0${statement.replace(/\s+/g, " ").trim()}`).digest("hex"),
      severity: SEVERITY[f.severity] ?? "info",
      location: { path: f.path, lines: { begin: f.span.start.line } },
    };
  });
}

// Table cells: no pipes, no HTML; the messages' `code` spans stay code.
const cell = (s) => String(s).replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\n/g, " ");
const code = (s) => `\`${String(s).replace(/\|/g, "\\|").replace(/`/g, "'").replace(/\n/g, " ")}\``;

/** The Markdown note: a headline, a table of findings and what to do. */
export function markdownNote(report, files) {
  const { errors, warnings, infos } = report.summary;
  const lines = [];
  const n = files.length;
  if (!n) return "### zerodown\n\nNo migrations changed in this merge request.\n";
  const counts = [`${errors} error${errors === 1 ? "" : "s"}`, `${warnings} warning${warnings === 1 ? "" : "s"}`];
  if (infos) counts.push(`${infos} info`);
  lines.push(`### zerodown: ${report.findings.length ? counts.join(", ") : "no downtime risks"} in ${n} migration${n === 1 ? "" : "s"}`, "");
  if (report.findings.length) {
    lines.push("| | Where | Rule | Problem | Do instead |", "|---|---|---|---|---|");
    const icon = { error: "🔴", warning: "🟠", info: "🔵" };
    for (const f of report.findings) {
      lines.push(`| ${icon[f.severity] ?? ""} ${f.severity} | ${code(`${f.path}:${f.span.start.line}`)} | ${code(f.rule)} | ${cell(f.message)} | ${cell(f.help)} |`);
    }
    lines.push("");
  }
  lines.push("<details><summary>Files checked</summary>", "");
  for (const f of report.files) lines.push(`- ${code(f.path)} (${f.phase}, ${f.statements} statement${f.statements === 1 ? "" : "s"})`);
  lines.push("", "</details>", "");
  return lines.join("\n");
}

function main(argv) {
  const positional = [];
  const flags = { "--code-quality": "gl-code-quality-report.json", "--note": "zerodown-note.md", "--globs": "", "--fail-on": "error" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] in flags) flags[argv[i]] = argv[++i] ?? "";
    else if (argv[i].startsWith("--")) throw new Error(`unknown option ${argv[i]}`);
    else positional.push(argv[i]);
  }
  if (positional.length !== 2) throw new Error("usage: mr-report.mjs BASE HEAD [--code-quality FILE] [--note FILE] [--globs GLOBS] [--fail-on error|warning|never]");
  const [base, head] = positional;
  const globs = flags["--globs"] ? flags["--globs"].split(",").map((s) => s.trim()).filter(Boolean) : DEFAULT_GLOBS;
  const files = changedMigrations(base, head, globs);
  const report = files.length ? lintFiles(files, optionsAt(head)) : { findings: [], files: [], summary: { errors: 0, warnings: 0, infos: 0 } };
  writeFileSync(flags["--code-quality"], `${JSON.stringify(codeQuality(report, files), null, 2)}\n`);
  const note = markdownNote(report, files);
  writeFileSync(flags["--note"], note);
  process.stdout.write(note);
  const failOn = flags["--fail-on"];
  const failing = failOn === "never" ? 0 : failOn === "warning" ? report.summary.errors + report.summary.warnings : report.summary.errors;
  return failing ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`mr-report: ${e.message}`);
    process.exitCode = 2;
  }
}
