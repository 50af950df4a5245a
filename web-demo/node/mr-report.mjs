#!/usr/bin/env node
// Lints the migrations (SQL, Rails) a merge request changes with the zerodown npm
// package and writes a GitLab Code Quality report and a Markdown summary for
// a merge-request note. Self-contained: copy this one file into your
// repository, install the package (`npm install ./zerodown-X.Y.Z.tgz`), and
// run it inside the repository:
//
//   node mr-report.mjs BASE HEAD [--code-quality gl-code-quality-report.json]
//       [--note zerodown-note.md] [--globs "db/migrate/**,**/*.sql"] [--fail-on error|warning|never]
//
// In GitLab CI: BASE=$CI_MERGE_REQUEST_DIFF_BASE_SHA HEAD=$CI_COMMIT_SHA, and
// `artifacts: reports: codequality: gl-code-quality-report.json`.
//
// It reads `git diff BASE HEAD` with the package's `lintDiff`: findings only
// for statements that overlap added or changed lines (the rest of each file is
// read for context), schema dumps (structure.sql, schema.rb, pg_dump output)
// are not linted, Rails migrations (`.rb`) are read with the Ruby front end
// (the package's Node module has it), and migrations it cannot read (other
// code, a Ruby migration the diff shows only in part) are listed as not
// checked. Options come from HEAD's zerodown.toml when there is one.
//
// Exit status: 0 no finding at --fail-on (default: error), 1 findings at
// --fail-on, 2 a set-up failure (usage, the package not installed, not a git
// repository, a bad revision, a bad zerodown.toml).
import { execFileSync } from "node:child_process";
import { realpathSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const USAGE = "usage: mr-report.mjs BASE HEAD [--code-quality FILE] [--note FILE] [--globs GLOBS] [--fail-on error|warning|never]";

/** A failure before any linting: exit status 2. */
export class SetupError extends Error {}

function git(args, what) {
  try {
    return execFileSync("git", args, { encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const detail = String(e.stderr ?? "").trim().split("\n")[0] || e.message;
    throw new SetupError(`${what}: ${detail}`);
  }
}

/** Checks that we are in a git work tree and `rev` names a commit; returns its id. */
export function commitOf(rev) {
  if (!rev || rev.startsWith("-")) throw new SetupError(`bad revision ${JSON.stringify(rev)}`);
  git(["rev-parse", "--is-inside-work-tree"], "not a git repository");
  try {
    return execFileSync("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    throw new SetupError(`bad revision ${JSON.stringify(rev)}: not a commit of this repository`);
  }
}

/**
 * `git diff BASE HEAD` with each changed file whole (the lines around a
 * change are context for the statements it touches), with the standard
 * a/ b/ prefixes whatever the user's git configuration says.
 */
export function diffBetween(base, head) {
  return git(["-c", "core.quotePath=true", "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
    "--unified=100000000", base, head, "--"], "git diff failed");
}

/** Lint options from `zerodown.toml` at `head`, or the defaults. */
export function optionsAt(head, parseConfig, name = head) {
  let text;
  try {
    text = execFileSync("git", ["show", `${head}:zerodown.toml`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return {};
  }
  try {
    return parseConfig(text, "zerodown.toml");
  } catch (e) {
    throw new SetupError(`zerodown.toml at ${name}: ${e?.message ?? e}`);
  }
}

/** Runs the script on `argv`; resolves to the exit status (throws a SetupError for 2). */
export async function main(argv) {
  const positional = [];
  const flags = { "--code-quality": "gl-code-quality-report.json", "--note": "zerodown-note.md", "--globs": "", "--fail-on": "error" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] in flags) {
      if (i + 1 >= argv.length) throw new SetupError(`${argv[i]} needs a value\n${USAGE}`);
      flags[argv[i]] = argv[++i];
    } else if (argv[i].startsWith("--")) throw new SetupError(`unknown option ${argv[i]}\n${USAGE}`);
    else positional.push(argv[i]);
  }
  if (positional.length !== 2) throw new SetupError(USAGE);
  const failOn = flags["--fail-on"];
  if (!["error", "warning", "never"].includes(failOn)) throw new SetupError(`--fail-on must be error, warning or never, not ${JSON.stringify(failOn)}`);

  let zerodown;
  try {
    zerodown = await import("zerodown");
  } catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND" && /'zerodown'/.test(e.message)) {
      throw new SetupError("the zerodown package is not installed here: npm install /path/to/zerodown-X.Y.Z.tgz (npm pack of the package)");
    }
    throw new SetupError(`cannot load the zerodown package: ${e?.message ?? e}`);
  }

  const [base, head] = positional.map(commitOf);
  const globs = flags["--globs"] ? flags["--globs"].split(",").map((s) => s.trim()).filter(Boolean) : undefined;
  const options = optionsAt(head, zerodown.parseConfig, positional[1]);
  const diff = diffBetween(base, head);
  let report;
  try {
    report = zerodown.lintDiff(diff, options, globs);
  } catch (e) {
    throw new SetupError(`zerodown could not read the diff: ${e?.message ?? e}`);
  }
  // The package's own Code Quality report (`zerodown lint --format gitlab`):
  // its fingerprints, severities by rule, 1-based lines.
  writeFileSync(flags["--code-quality"], zerodown.format(report, "gitlab"));
  // The package's own note (`zerodown lint --format markdown`).
  const note = zerodown.format(report, "markdown");
  writeFileSync(flags["--note"], note);
  process.stdout.write(note);
  const failing = failOn === "never" ? 0 : failOn === "warning" ? report.summary.errors + report.summary.warnings : report.summary.errors;
  return failing ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    console.error(`mr-report: ${e instanceof SetupError ? e.message : e?.stack ?? e}`);
    process.exitCode = 2;
  }
}
