// The size budget of the shipped WebAssembly module: gzip -9 at most 630 KiB
// (550 KiB for wave 1's 37 rules; 575 KiB for wave 2's rules, the table of
// PostgreSQL's behaviour and the parser's PostgreSQL forms; 595 KiB for
// linting against a loaded schema; 600 KiB for reading pg_dump's identity
// columns; 620 KiB for the migration tools, which the merge-request widget
// reads diffs with; 630 KiB for fixes, which the playground applies and the
// widget suggests; see BENCHMARKS.md).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSize, installDir } from "./helpers.mjs";

/** 630 KiB. */
const BUDGET = 630 * 1024;

// The browser's `zerodown/full` module (plans, schedules, cells on top of
// linting) has no budget: its size is printed and reported in BENCHMARKS.md.
test("the full browser module's size is reported", () => {
  const wasm = join(installDir(), "node_modules/zerodown/full/zerodown_bg.wasm");
  console.log(`# ${wasm}: ${readFileSync(wasm).length} bytes, gzip -9 ${gzipSize(wasm)} bytes`);
});

test("the .wasm is within 630 KiB gzip -9", () => {
  const wasm = join(installDir(), "node_modules/zerodown/web/zerodown_bg.wasm");
  const size = gzipSize(wasm);
  console.log(`# ${wasm}: ${readFileSync(wasm).length} bytes, gzip -9 ${size} bytes`);
  assert.ok(size <= BUDGET, `gzip -9 size ${size} exceeds the budget of ${BUDGET} bytes`);
});

// The browser's Ruby module (`zerodown/ruby`: the lint module's exports and
// the Ruby front end, loaded only for changes holding a Rails migration) has
// its own budget: 665 KiB gzip -9, the lint module's 630 KiB plus the Ruby
// front end's 34 KB (with its Rails fixes), with about 5 KB to spare (see
// BENCHMARKS.md).
const RUBY_BUDGET = 665 * 1024;

test("the Ruby browser module is within 665 KiB gzip -9 and reads Rails migrations", async () => {
  const dir = join(installDir(), "node_modules/zerodown/ruby");
  const wasm = join(dir, "zerodown_bg.wasm");
  const size = gzipSize(wasm);
  console.log(`# ${wasm}: ${readFileSync(wasm).length} bytes, gzip -9 ${size} bytes`);
  assert.ok(size <= RUBY_BUDGET, `gzip -9 size ${size} exceeds the Ruby module's budget of ${RUBY_BUDGET} bytes`);
  // The same lint exports as the lint module, with the Ruby front end: a
  // Rails migration gets its findings (the lint module lists it as not
  // checked in a diff).
  const ruby = await import(join(dir, "zerodown.js"));
  await ruby.default({ module_or_path: readFileSync(wasm) });
  const r = ruby.lint("class A < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :email\n  end\nend\n", null, "db/migrate/1_a.rb");
  assert.deepEqual(r.findings.map((f) => [f.rule, f.span.start.line]), [["add-index-non-concurrently", 3]]);
  assert.doesNotMatch(readFileSync(join(dir, "zerodown.d.ts"), "utf8"), /export function explain/);
  const web = await import(join(installDir(), "node_modules/zerodown/web/zerodown.js"));
  await web.default({ module_or_path: readFileSync(join(installDir(), "node_modules/zerodown/web/zerodown_bg.wasm")) });
  const diff = "--- /dev/null\n+++ b/db/migrate/1_a.rb\n@@ -0,0 +1,3 @@\n+class A < ActiveRecord::Migration[7.1]\n+  def change; add_index :users, :email; end\n+end\n";
  const file = web.lintDiff(diff, null, null).files[0];
  assert.equal(file.status, "not-checked");
  assert.match(file.reason, /Ruby module \(`zerodown\/ruby`\)/);
  assert.equal(ruby.lintDiff(diff, null, null).findings[0].rule, "add-index-non-concurrently");
  // The lint module reads migration tools (the widget reviews merge
  // requests as their tool runs them): a down script is left out, a
  // golang-migrate file of two statements runs in one transaction.
  const upDown = [
    { path: "1_a.up.sql", sql: "CREATE TABLE t (id bigint);\nCREATE INDEX CONCURRENTLY i ON t (id);\n" },
    { path: "1_a.down.sql", sql: "DROP TABLE t;\n" },
  ];
  const asTool = web.lintFiles(upDown, { tool: "golang-migrate" });
  assert.deepEqual(asTool.findings.map((f) => [f.path, f.rule]), [["1_a.up.sql", "concurrently-in-transaction"]]);
  assert.deepEqual(asTool.files.map((f) => [f.path, f.status ?? null, f.reason ?? null]), [["1_a.down.sql", "skipped", "not an up script"], ["1_a.up.sql", null, null]]);
  const added = upDown.map((f) => `--- /dev/null\n+++ b/${f.path}\n@@ -0,0 +1,${f.sql.split("\n").length - 1} @@\n${f.sql.replace(/^(.*)$/gm, "+$1").replace(/\+$/, "")}`).join("");
  const fromDiff = web.lintDiff(added, { tool: "auto" }, null);
  assert.equal(fromDiff.tool.name, "golang-migrate");
  assert.deepEqual(fromDiff.findings.map((f) => [f.path, f.rule]), [["1_a.up.sql", "concurrently-in-transaction"]]);
  // Template placeholders are filled by the Node and full modules only; the
  // lint module refuses the option rather than ignore it.
  assert.throws(() => web.lint("SELECT 1;", { templateVars: { Schema: "auth" } }), (e) => e.code === "bad-options" && /templateVars/.test(e.message));
});

// The lint module carries no rule documentation (it would not fit the
// budget); the full and Node modules do, and `explain` is theirs only.
test("rule docs are in the full module, not the lint module", () => {
  const mod = (m) => join(installDir(), `node_modules/zerodown/${m}`);
  const doc = "## Why it causes downtime";
  assert.ok(!readFileSync(mod("web/zerodown_bg.wasm")).includes(doc));
  assert.ok(readFileSync(mod("full/zerodown_bg.wasm")).includes(doc));
  assert.doesNotMatch(readFileSync(mod("web/zerodown.d.ts"), "utf8"), /export function explain/);
  assert.match(readFileSync(mod("web/zerodown.d.ts"), "utf8"), /export function lintDiff/);
});
