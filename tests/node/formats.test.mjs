// CI report formats: `zerodown lint --format sarif|gitlab|github|junit|markdown` and
// the package's `format(report, name)` must print the same bytes for every
// rule fixture folder; the SARIF validates against the SARIF 2.1.0 schema
// (taken from the @microsoft/jest-sarif package, MIT) and the Code Quality
// entries carry GitLab's required fields.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { FIXTURES, NATIVE, installDir, run, sqlFiles } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const dir = installDir();
const zd = await import(pathToFileURL(createRequire(join(dir, "package.json")).resolve("zerodown")).href);

const FORMATS = ["sarif", "gitlab", "github", "junit", "markdown"];
const RULES = join(FIXTURES, "rules");
const folders = readdirSync(RULES).map((d) => join(RULES, d)).filter((d) => sqlFiles(d).length);

function sarifValidator() {
  const ajv = new Ajv({ schemaId: "auto", allErrors: true });
  ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));
  const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
  return ajv.compile(schema);
}

test("every format: the package prints the native CLI's bytes on every rule fixture folder", () => {
  assert.ok(folders.length > 30, `rule fixture folders: ${folders.length}`);
  let compared = 0;
  for (const folder of folders) {
    const paths = sqlFiles(folder).map((f) => relative(FIXTURES, f));
    const report = zd.lintFiles(paths.map((p) => ({ path: p, sql: readFileSync(join(FIXTURES, p), "utf8") })), {});
    for (const format of FORMATS) {
      const native = run(NATIVE, ["lint", "--format", format, ...paths], { cwd: FIXTURES });
      assert.ok(native.status === 0 || native.status === 1, `${format} ${folder}: exit ${native.status} ${native.stderr}`);
      assert.equal(zd.format(report, format), native.stdout, `${format} ${folder}`);
      compared++;
    }
  }
  console.log(`# ${compared} outputs identical`);
});

test("SARIF validates against the SARIF 2.1.0 schema: findings, none, parse errors, not-checked files", () => {
  const validate = sarifValidator();
  const cases = [
    ...folders.map((f) => zd.lintFiles(sqlFiles(f).map((p) => ({ path: relative(FIXTURES, p), sql: readFileSync(p, "utf8") })), {})),
    zd.lintFiles([{ path: "db/ok.sql", sql: "SELECT 1;\n" }], {}),
    zd.lintFiles([{ path: "db/bad.sql", sql: "CREATE INDEXX i ON users (email);\n" }], {}),
    // A Django migration: no front end reads it, so it is not checked.
    zd.lintDiff("--- /dev/null\n+++ b/db/migrate/0001_add.py\n@@ -0,0 +1 @@\n+operations = []\n", {}),
  ];
  assert.ok(cases.at(-2).findings.some((f) => f.rule === "parse-error"));
  assert.equal(cases.at(-1).summary.notChecked, 1);
  for (const report of cases) {
    const sarif = JSON.parse(zd.format(report, "sarif"));
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(sarif.runs[0].results.length, report.findings.length);
  }
  // The validator does reject what breaks the schema.
  const broken = JSON.parse(zd.format(cases[0], "sarif"));
  broken.runs[0].results[0].level = "fatal";
  assert.equal(validate(broken), false);
});

test("Code Quality entries carry GitLab's required fields, unique fingerprints", () => {
  const levels = new Set(["info", "minor", "major", "critical", "blocker"]);
  for (const folder of folders) {
    const report = zd.lintFiles(sqlFiles(folder).map((p) => ({ path: relative(FIXTURES, p), sql: readFileSync(p, "utf8") })), {});
    const entries = JSON.parse(zd.format(report, "gitlab"));
    assert.equal(entries.length, report.findings.length);
    for (const e of entries) {
      assert.equal(typeof e.description, "string");
      assert.equal(typeof e.check_name, "string");
      assert.match(e.fingerprint, /^[0-9a-f]{32}$/);
      assert.ok(levels.has(e.severity), e.severity);
      assert.equal(typeof e.location.path, "string");
      assert.ok(Number.isInteger(e.location.lines.begin) && e.location.lines.begin >= 1);
    }
    assert.equal(new Set(entries.map((e) => e.fingerprint)).size, entries.length, folder);
  }
});

test("an unknown format throws bad-input naming the formats", () => {
  const report = zd.lint("SELECT 1;");
  assert.throws(() => zd.format(report, "xml"), (e) => e.code === "bad-input" && /sarif, gitlab, github, junit, markdown/.test(e.message));
});
