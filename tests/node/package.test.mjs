// The npm package as a user installs it: import, lint, lintFiles, rules,
// explain and the errors it throws.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { installDir, run } from "./helpers.mjs";

const dir = installDir();
const entry = createRequire(join(dir, "package.json")).resolve("zerodown");
const zd = await import(pathToFileURL(entry).href);

test("the Node entry is resolved through the exports map", () => {
  assert.match(entry, /node_modules\/zerodown\/node\/index\.mjs$/);
});

test("import by name from an ES module, init() optional", () => {
  const file = join(dir, "esm.mjs");
  writeFileSync(
    file,
    `import init, { lint, version } from "zerodown";
     await init();
     const r = lint("CREATE INDEX i ON t (a);");
     console.log(version(), r.findings[0].rule);`,
  );
  const out = run(process.execPath, [file], { cwd: dir });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^\d+\.\d+\.\d+ add-index-non-concurrently\n$/);
});

const [major, minor] = process.versions.node.split(".").map(Number);
const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
test("require() from CommonJS", { skip: !requireEsm && "this Node cannot require() ES modules" }, () => {
  const file = join(dir, "cjs.cjs");
  writeFileSync(
    file,
    `const { lint } = require("zerodown");
     console.log(lint("DROP INDEX CONCURRENTLY i;").summary.errors);`,
  );
  const out = run(process.execPath, [file], { cwd: dir });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, "0\n");
});

test("lint returns the report contract", () => {
  const sql = "-- ñ 😀\nCREATE INDEX idx ON users (email);\n";
  const r = zd.lint(sql, { pgVersion: 15 }, "db/migrate/001_idx.sql");
  assert.deepEqual(Object.keys(r), ["findings", "files", "summary"]);
  assert.equal(r.findings.length, 1);
  const f = r.findings[0];
  assert.deepEqual(Object.keys(f), ["rule", "severity", "message", "help", "path", "file", "span", "statement", "plan", "fingerprint", "fix"]);
  // The fix: text edits of the linted file, at UTF-16 offsets a JavaScript string slices by.
  assert.equal(f.fix.title, "Build the index CONCURRENTLY");
  const [edit] = f.fix.edits;
  const fixed = sql.slice(0, edit.span.start.utf16) + edit.text + sql.slice(edit.span.end.utf16);
  assert.equal(fixed, "-- ñ 😀\nCREATE INDEX CONCURRENTLY idx ON users (email);\n");
  assert.match(f.fingerprint, /^[0-9a-f]{32}$/);
  assert.equal(f.rule, "add-index-non-concurrently");
  assert.equal(f.plan.change.kind, "add-index");
  // Without plans the key is absent, not undefined.
  const bare = zd.lint(sql, { pgVersion: 15, plans: false }, "db/migrate/001_idx.sql").findings[0];
  assert.deepEqual(Object.keys(bare), ["rule", "severity", "message", "help", "path", "file", "span", "statement", "fingerprint", "fix"]);
  assert.equal(f.severity, "error");
  assert.equal(f.path, "db/migrate/001_idx.sql");
  assert.equal(sql.slice(f.statement.start.utf16, f.statement.end.utf16), "CREATE INDEX idx ON users (email)");
  assert.deepEqual(f.statement.start, { line: 2, column: 1, offset: 11, utf16: 8 });
  assert.deepEqual(r.files, [{ path: "db/migrate/001_idx.sql", phase: "regular", statements: 1 }]);
  assert.deepEqual(r.summary, { errors: 1, warnings: 0, infos: 0 });
});

test("lint without options or path", () => {
  const r = zd.lint("SELECT 1;");
  assert.deepEqual(r, { findings: [], files: [{ path: "input.sql", phase: "regular", statements: 1 }], summary: { errors: 0, warnings: 0, infos: 0 } });
  assert.deepEqual(zd.lint("SELECT 1;", null, null), r);
});

test("bad SQL is a parse-error finding, not an exception", () => {
  const r = zd.lint("CREATE TABLE (;\nSELECT 1;");
  assert.deepEqual(r.findings.map((f) => f.rule), ["parse-error"]);
  assert.equal(r.files[0].statements, 2);
});

test("lintFiles infers phases from paths and sorts by path", () => {
  const r = zd.lintFiles([
    { path: "db/post_migrate/2_idx.sql", sql: "CREATE INDEX i ON t (a);" },
    { path: "db/migrate/1_t.sql", sql: "CREATE TABLE t (a int);" },
  ]);
  assert.deepEqual(r.files, [
    { path: "db/migrate/1_t.sql", phase: "regular", statements: 1 },
    { path: "db/post_migrate/2_idx.sql", phase: "post-deploy", statements: 1 },
  ]);
  const forced = zd.lintFiles([{ path: "db/migrate/1_t.sql", sql: "SELECT 1;" }], { phase: "background" });
  assert.equal(forced.files[0].phase, "background");
});

test("lintDiff reviews what a diff changes", () => {
  const diff = [
    "--- a/db/migrate/1.sql", "+++ b/db/migrate/1.sql", "@@ -1,2 +1,3 @@",
    " CREATE INDEX a ON t (x);", "+CREATE INDEX b ON t (y);", " DROP TABLE old;",
    "--- a/db/structure.sql", "+++ b/db/structure.sql", "@@ -1 +1 @@", "-x", "+CREATE INDEX c ON t (z);",
    "--- a/db/migrate/2_x.rb", "+++ b/db/migrate/2_x.rb", "@@ -1 +1 @@", "-a", "+b", "",
  ].join("\n");
  const r = zd.lintDiff(diff, { plans: false });
  // The `.rb` migration is read by the Ruby front end (shown from line 1):
  // `b` is no Rails call, so it is unrecognized code, on its line.
  assert.deepEqual(r.findings.map((f) => [f.rule, r.files[f.file].path, f.span.start.line]), [
    ["add-index-non-concurrently", "db/migrate/1.sql", 2],
    ["unrecognized-migration-code", "db/migrate/2_x.rb", 1],
  ]);
  assert.deepEqual(r.files.map((f) => [f.path, f.status]), [
    ["db/migrate/1.sql", "checked"],
    ["db/migrate/2_x.rb", "checked"],
    ["db/structure.sql", "schema"],
  ]);
  assert.deepEqual([r.summary.changed, r.summary.context, r.summary.notChecked], [2, 2, 0]);
});

// The Node module has the Ruby front end (feature `node` includes `ruby`):
// a `.rb` path is read as a Rails migration, its findings on its own lines.
const RAILS = `# frozen_string_literal: true

class AddIndexOnUsersEmail < ActiveRecord::Migration[7.1]
  def change
    add_index :users, :email
  end
end
`;
const RAILS_POST = `class RemoveUsersLegacyToken < ActiveRecord::Migration[7.1]
  def up
    remove_column :users, :legacy_token
  end
end
`;

test("lint and lintFiles read .rb paths as Rails migrations", () => {
  const one = zd.lint(RAILS, { plans: false }, "db/migrate/20240101000000_add_index_on_users_email.rb");
  assert.deepEqual(one.findings.map((f) => [f.rule, f.span.start.line, f.span.start.column]), [["add-index-non-concurrently", 5, 5]]);
  // Help in Rails terms.
  assert.match(one.findings[0].help, /algorithm: :concurrently/);
  // The same text as SQL is not Ruby: a parse error, not the index finding.
  assert.notDeepEqual(zd.lint(RAILS, { plans: false }, "x.sql").findings.map((f) => f.rule), ["add-index-non-concurrently"]);
  const r = zd.lintFiles([
    { path: "db/post_migrate/20240102000000_remove_users_legacy_token.rb", sql: RAILS_POST },
    { path: "db/migrate/20240101000000_add_index_on_users_email.rb", sql: RAILS },
    { path: "db/migrate/20240101000001_create_t.sql", sql: "CREATE TABLE t (id bigint);\n" },
  ], { plans: false });
  assert.deepEqual(r.files.map((f) => [f.path, f.phase]), [
    ["db/migrate/20240101000000_add_index_on_users_email.rb", "regular"],
    ["db/migrate/20240101000001_create_t.sql", "regular"],
    ["db/post_migrate/20240102000000_remove_users_legacy_token.rb", "post-deploy"],
  ]);
  assert.deepEqual(r.findings.map((f) => [f.rule, r.files[f.file].path, f.span.start.line]), [
    ["add-index-non-concurrently", "db/migrate/20240101000000_add_index_on_users_email.rb", 5],
    ["drop-column", "db/post_migrate/20240102000000_remove_users_legacy_token.rb", 3],
    // A plain Rails migration sets no lock timeout (GitLab's class would).
    ["missing-lock-timeout", "db/post_migrate/20240102000000_remove_users_legacy_token.rb", 3],
  ]);
});

test("rules and explain", () => {
  const rules = zd.rules();
  assert.ok(rules.length >= 1);
  for (const r of rules) {
    assert.match(r.id, /^[a-z0-9-]+$/);
    assert.ok(["error", "warning", "info"].includes(r.severity));
    assert.equal(zd.explain(r.id), `# ${r.id}\n\n${r.doc}`);
  }
  assert.match(zd.version(), /^\d+\.\d+\.\d+/);
  // PostgreSQL's locks and rewrites, the table docs/postgres-locks.md renders.
  const locks = zd.explain("locks");
  assert.equal(locks, readFileSync(new URL("../../docs/postgres-locks.md", import.meta.url), "utf8"));
});

test("errors are Error objects with a code", () => {
  const cases = [
    [() => zd.explain("no-such-rule"), "unknown-rule", /no-such-rule/],
    [() => zd.lint("SELECT 1;", { pgVersion: 3 }), "bad-options", /pgVersion/],
    [() => zd.lint("SELECT 1;", { pgVesion: 15 }), "bad-options", /unknown field `pgVesion`/],
    [() => zd.lint("SELECT 1;", { rules: { "no-such-rule": "off" } }), "unknown-rule", /no-such-rule/],
    [() => zd.lint("SELECT 1;", { release: "next" }), "bad-version", /next/],
    [() => zd.lint(42), "bad-input", /sql/],
    [() => zd.lintFiles("db/migrate"), "bad-input", /files/],
    [() => zd.lintFiles([{ path: "a.sql" }]), "bad-input", /sql/],
    [() => zd.parseConfig("pg-version = 'x'\n", "zerodown.toml"), "bad-options", /zerodown\.toml:1/],
  ];
  for (const [call, code, message] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.code, code);
      assert.match(e.message, message);
      return true;
    });
  }
});

test("formatRehearsal prints a rehearsal report as `zerodown rehearse` does; a malformed one throws bad-input", () => {
  const report = JSON.parse(readFileSync(new URL("../../web-demo/tests/fixtures/rehearsal.json", import.meta.url), "utf8"));
  const text = zd.formatRehearsal(report);
  for (const step of report.steps) assert.ok(text.includes(step.title), step.title);
  assert.match(text, /^FAIL\b/m);
  for (const reason of report.verdict.reasons) assert.ok(text.includes(reason), reason);
  assert.ok(text.includes(report.stopped.statement));
  const { steps, ...noSteps } = report;
  const cases = [
    [noSteps, /missing field `steps`/],
    [{ ...report, steps: [{ ...steps[0], outcome: "exploded" }] }, /unknown variant `exploded`/],
    [{ ...report, durationMs: "long" }, /invalid type: string "long"/],
    ["a report", /invalid type/],
    [null, /invalid/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => zd.formatRehearsal(bad), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.code, "bad-input");
      assert.match(e.message, /^invalid report: /);
      assert.match(e.message, message);
      return true;
    });
  }
});

test("the module survives hostile input", () => {
  const deep = `SELECT ${"1+".repeat(20000)}1;`;
  assert.equal(zd.lint(deep).findings[0].rule, "parse-error");
  const nested = `SELECT ${"(".repeat(50000)}1${")".repeat(50000)};`;
  assert.equal(zd.lint(nested).findings[0].rule, "parse-error");
  const lone = "-- \ud800\nCREATE INDEX i ON t (a);";
  const f = zd.lint(lone).findings.find((x) => x.rule === "add-index-non-concurrently");
  assert.equal(lone.slice(f.statement.start.utf16, f.statement.end.utf16), "CREATE INDEX i ON t (a)");
  assert.equal(zd.lint("CREATE INDEX i ON t (a);").summary.errors, 1);
});
