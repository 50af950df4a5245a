// Parity: every fixture (tests/fixtures/**/*.sql and the Ruby rule fixtures: the rule fixtures, release
// and cells fixtures) and every real migration in ../shared/corpus/ linted
// by the native CLI (`--format json`) and by the npm package must give
// deep-equal reports: file by file, and each folder as one run (tables
// created by earlier files known to later ones). And the plan of every
// change kind, native and package.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { readdirSync, statSync } from "node:fs";
import { CORPUS, FIXTURES, NATIVE, installDir, run, sqlFiles } from "./helpers.mjs";
import { PLAN_CASES, changeFromArgsCall } from "./plan-cases.mjs";

const dir = installDir();
const zd = await import(pathToFileURL(createRequire(join(dir, "package.json")).resolve("zerodown")).href);

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Files as the CLI reads them (paths relative to `base`); non-UTF-8 files are skipped. */
function sources(base, files) {
  const out = [];
  for (const file of files) {
    try {
      out.push({ path: relative(base, file), sql: decoder.decode(readFileSync(file)) });
    } catch {
      // Not UTF-8: both CLIs refuse it (cli.test.mjs checks that).
    }
  }
  return out;
}

// The native CLI detects the migration tool of what it lints; the package
// does when asked (`tool: "auto"`), so both read the corpus folders alike.
const AUTO = { tool: "auto" };

function nativeReport(base, paths) {
  const out = run(NATIVE, ["lint", "--format", "json", ...paths], { cwd: base });
  assert.ok(out.status === 0 || out.status === 1, `native exit ${out.status}: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

/** Groups files by their folder. */
function byFolder(files) {
  const groups = new Map();
  for (const f of files) {
    const d = dirname(f);
    if (!groups.has(d)) groups.set(d, []);
    groups.get(d).push(f);
  }
  return groups;
}

for (const [name, root] of [
  ["fixtures", FIXTURES],
  ["corpus", CORPUS],
]) {
  const files = sqlFiles(root);
  // The fixtures are part of the repository: finding none is a failure, not a skip.
  const skip = root !== FIXTURES && files.length === 0 && `no ${root}`;
  if (root === FIXTURES) {
    test("the rule fixtures are there", () => {
      assert.ok(sqlFiles(join(FIXTURES, "rules")).length > 0, `no .sql under ${FIXTURES}/rules`);
    });
  }
  test(`${name}: every file alone`, { skip }, () => {
    let findings = 0;
    for (const src of sources(root, files)) {
      const native = nativeReport(root, [src.path]);
      const wasm = zd.lintFiles([src], AUTO);
      assert.deepStrictEqual(wasm, native, src.path);
      findings += wasm.findings.length;
    }
    console.log(`# ${name}: ${files.length} files, ${findings} findings, identical`);
  });
  test(`${name}: each folder as one run`, { skip }, () => {
    for (const [folder, group] of byFolder(files)) {
      const srcs = sources(root, group);
      if (srcs.length === 0) continue;
      const native = nativeReport(root, srcs.map((s) => s.path));
      assert.deepStrictEqual(zd.lintFiles(srcs, AUTO), native, folder);
    }
  });
}

/** The `.rb` files under `dir`, sorted. */
function rubyFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".rb")) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

// Rails migrations: the Ruby front end, native and in the package.
test("Ruby fixtures: every file alone", () => {
  const files = rubyFiles(join(FIXTURES, "rules"));
  assert.ok(files.length >= 10, `only ${files.length} Ruby fixtures`);
  let findings = 0;
  for (const src of sources(FIXTURES, files)) {
    const native = nativeReport(FIXTURES, [src.path]);
    const wasm = zd.lintFiles([src], AUTO);
    assert.deepStrictEqual(wasm, native, src.path);
    findings += wasm.findings.length;
  }
  assert.ok(findings > 0);
  console.log(`# Ruby fixtures: ${files.length} files, ${findings} findings, identical`);
});

const gitlab = join(CORPUS, "gitlab");
const gitlabRuby = ["migrate", "post_migrate"].flatMap((d) => {
  try {
    return rubyFiles(join(gitlab, d));
  } catch {
    return [];
  }
});
test("GitLab's Ruby migrations: each folder as one run", { skip: gitlabRuby.length === 0 && `no ${gitlab}` }, () => {
  let findings = 0;
  for (const [folder, group] of byFolder(gitlabRuby)) {
    const srcs = sources(gitlab, group);
    const native = nativeReport(gitlab, srcs.map((s) => s.path));
    const wasm = zd.lintFiles(srcs, AUTO);
    assert.deepStrictEqual(wasm, native, folder);
    findings += wasm.findings.length;
  }
  console.log(`# GitLab Ruby migrations: ${gitlabRuby.length} files, ${findings} findings, identical`);
});

// Plans: `zerodown plan ... --format json` and the package's `plan()`, for
// every change kind, called as a user of each would.
test("plans of every change kind", () => {
  const kinds = new Set();
  for (const c of PLAN_CASES) {
    const out = run(NATIVE, ["plan", ...c.args, "--format", "json"]);
    assert.equal(out.status, 0, `native plan ${c.args.join(" ")}: ${out.stderr}`);
    const native = JSON.parse(out.stdout);
    assert.deepStrictEqual(zd.plan(c.change, c.options), native, c.args.join(" "));
    // The CLI's own argument parsing, shared with JavaScript.
    assert.deepStrictEqual(zd.changeFromArgs(...changeFromArgsCall(c.args)), native.change, c.args.join(" "));
    kinds.add(native.change.kind);
  }
  assert.equal(kinds.size, 17, "every change kind has a case");
});

// Migration tools: every example folder, native and the package, as one run.
const TOOLS = join(FIXTURES, "../../docs/examples/tools");
test("migration tools: every example folder, native and the package", () => {
  let folders = 0;
  for (const tool of readdirSync(TOOLS)) {
    const files = [];
    const walk = (d) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push({ path: relative(TOOLS, p), sql: readFileSync(p, "utf8") });
      }
    };
    walk(join(TOOLS, tool));
    for (const direction of ["up", "down"]) {
      const native = run(NATIVE, ["lint", "--format", "json", "--direction", direction, tool], { cwd: TOOLS });
      assert.ok(native.status === 0 || native.status === 1, `${tool}: ${native.stderr}`);
      const report = zd.lintFiles(files, { ...AUTO, direction });
      assert.deepStrictEqual(report, JSON.parse(native.stdout), `${tool} ${direction}`);
      // The folder is named after its tool (liquibase-changelog: Liquibase).
      assert.equal(report.tool.name, tool.replace(/-changelog$/, ""));
    }
    // A merge request adding the folder: `lint --diff --tool auto` and
    // `lintDiff(diff, { tool: "auto" })`.
    const diff = files.map((f) => {
      const lines = f.sql.replace(/\n$/, "").split("\n");
      return `diff --git a/${f.path} b/${f.path}\nnew file mode 100644\n--- /dev/null\n+++ b/${f.path}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}\n`).join("")}`;
    }).join("");
    const diffFile = join(installDir(), `${tool}.diff`);
    writeFileSync(diffFile, diff);
    const native = run(NATIVE, ["lint", "--format", "json", "--tool", "auto", "--diff", diffFile], { cwd: TOOLS });
    assert.ok(native.status === 0 || native.status === 1, `${tool} diff: ${native.stderr}`);
    assert.deepStrictEqual(zd.lintDiff(diff, AUTO, null), JSON.parse(native.stdout), `${tool} diff`);
    folders++;
  }
  assert.ok(folders >= 6, `${folders} tool folders`);
});
