import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseUnifiedDiff, decodePath, MAX_ROWS } from "../widget/diff.js";
import { globMatch, isMigration, isRubyMigration, parseGlobs, DEFAULT_GLOBS } from "../widget/glob.js";
import { FIXTURES } from "./helpers.mjs";

test("a git diff gives each file's path, status and rows", () => {
  const files = parseUnifiedDiff(readFileSync(join(FIXTURES, "mr.diff"), "utf8"));
  assert.deepEqual(files.map((f) => [f.path, f.status, f.problem]), [
    ["app/models/user.rb", "modified", null],
    ["db/migrate/20240501120000_add_index_on_users_email.sql", "added", null],
    ["db/post_migrate/20240502090000_drop_legacy_token.sql", "added", null],
    ["db/migrate/20240503100000_create_audit_events.sql", "added", null],
  ]);
  assert.deepEqual(files[2].hunks[0].rows.map((r) => [r.kind, r.new, r.text]), [
    ["add", 1, "SET lock_timeout = '1s';"],
    ["add", 2, "ALTER TABLE users DROP COLUMN legacy_token;"],
  ]);
});

test("a modified file keeps its new line numbers", () => {
  const diff = [
    "--- a/migrations/0003.sql",
    "+++ b/migrations/0003.sql",
    "@@ -3,3 +3,3 @@ header",
    " keep",
    "-old",
    "+new",
    " --- not a header",
    "\\ No newline at end of file",
    "",
  ].join("\n");
  const [f] = parseUnifiedDiff(diff);
  assert.equal(f.path, "migrations/0003.sql");
  assert.equal(f.status, "modified");
  assert.deepEqual(f.hunks[0].rows.map((r) => [r.kind, r.old, r.new]), [["ctx", 3, 3], ["del", 4, null], ["add", null, 4], ["ctx", 5, 5]]);
});

test("deleted and renamed files", () => {
  const diff = [
    "diff --git a/db/migrate/1.sql b/db/migrate/1.sql",
    "deleted file mode 100644",
    "--- a/db/migrate/1.sql",
    "+++ /dev/null",
    "@@ -1 +0,0 @@",
    "-SELECT 1;",
    "diff --git a/a.sql b/b.sql",
    "similarity index 100%",
    "rename from a.sql",
    "rename to b.sql",
    "",
  ].join("\n");
  assert.deepEqual(parseUnifiedDiff(diff).map((f) => [f.path, f.status]), [["db/migrate/1.sql", "deleted"], ["b.sql", "renamed"]]);
});

test("git's quoted paths are decoded as UTF-8, with their escapes", () => {
  const diff = [
    'diff --git "a/db/migrate/caf\\303\\251.sql" "b/db/migrate/caf\\303\\251.sql"',
    "new file mode 100644",
    "--- /dev/null",
    '+++ "b/db/migrate/caf\\303\\251.sql"',
    "@@ -0,0 +1 @@",
    "+SELECT 1;",
    'diff --git "a/tab\\there.sql" "b/tab\\there.sql"',
    "old mode 100644",
    "new mode 100755",
    "",
  ].join("\n");
  assert.deepEqual(parseUnifiedDiff(diff).map((f) => f.path), ["db/migrate/café.sql", "tab\there.sql"]);
  assert.equal(decodePath('"\\342\\200\\256x"'), "\u202ex");
  assert.equal(decodePath("plain/path.sql"), "plain/path.sql");
});

test("a hunk header past the bound or unreadable makes the file's problem, at no cost", () => {
  const diff = [
    "--- a/db/migrate/1.sql",
    "+++ b/db/migrate/1.sql",
    "@@ -999999999,2 +999999999,3 @@",
    " a",
    "+b",
    "--- a/db/migrate/2.sql",
    "+++ b/db/migrate/2.sql",
    "@@ -1 +1 @@ ok",
    "-x",
    "+y",
    "--- a/db/migrate/3.sql",
    "+++ b/db/migrate/3.sql",
    "@@ -1,3 +1,3 @@",
    " only one line",
    "",
  ].join("\n");
  const files = parseUnifiedDiff(diff);
  assert.deepEqual(files.map((f) => f.path), ["db/migrate/1.sql", "db/migrate/2.sql", "db/migrate/3.sql"]);
  assert.match(files[0].problem, /claims line 1000000002; zerodown reads files of at most 1000000 lines/);
  assert.equal(files[0].hunks.length, 0);
  assert.equal(files[1].problem, null);
  assert.deepEqual(files[1].hunks[0].rows.map((r) => r.kind), ["del", "add"]);
  assert.match(files[2].problem, /ends inside a hunk/);
});

test("rows past the display bound are counted, not kept", () => {
  const n = MAX_ROWS + 5;
  const diff = ["--- /dev/null", "+++ b/big.sql", `@@ -0,0 +1,${n} @@`, ...Array.from({ length: n }, (_, i) => `+SELECT ${i};`), ""].join("\n");
  const [f] = parseUnifiedDiff(diff);
  assert.equal(f.hunks[0].rows.length, MAX_ROWS);
  assert.equal(f.truncated, 5);
});

test("globs: ** spans folders, * stays in one, code files are not migrations", () => {
  assert.ok(globMatch("db/migrate/**", "db/migrate/2024/x.sql"));
  assert.ok(globMatch("**/migrations/**/*.sql", "migrations/0001.sql"));
  assert.ok(isMigration("app/x/migrations/v2/0001.sql"), "the default **/*.sql covers migrations folders");
  assert.ok(globMatch("**/migrations/**/*.sql", "app/x/migrations/v2/0001.sql"));
  assert.ok(!globMatch("db/*.sql", "db/a/b.sql"));
  assert.ok(isMigration("schema/001.sql"));
  // Rails migrations are read (by the Ruby module); the schema dump, GitLab's
  // migration records and other code are not.
  assert.ok(isMigration("db/migrate/20240101_add.rb"));
  assert.ok(isMigration("db/post_migrate/20240101_drop.rb"));
  assert.ok(isRubyMigration("db/post_migrate/20240101_drop.rb"));
  assert.ok(!isRubyMigration("db/migrate/20240101_add.sql"));
  assert.ok(!isMigration("db/schema.rb", ["db/**"]));
  assert.ok(!isMigration("db/schema_migrations/20240101000000", ["db/**"]));
  assert.ok(!isRubyMigration("app/models/user.rb"));
  assert.ok(!isMigration("db/migrate/0001_initial.py"));
  assert.ok(!isMigration("src/main.rs"));
  assert.ok(!isMigration("db/a.sql", ["sql/**"]));
  assert.deepEqual(parseGlobs(""), DEFAULT_GLOBS);
  assert.deepEqual(parseGlobs("a/**,\n b/*.sql"), ["a/**", "b/*.sql"]);
});

// One table of globs for the widget and the Rust core (tests/tools.rs reads
// it too): `*.sql` matches in subfolders, as in zerodown.toml.
test("globs: the widget matches every case of the shared table as the core does", () => {
  const table = JSON.parse(readFileSync(new URL("../../tests/fixtures/globs.json", import.meta.url), "utf8"));
  assert.ok(table.cases.length >= 25);
  for (const [glob, path, want] of table.cases) {
    assert.equal(globMatch(glob, path), want, `${glob} ~ ${path}`);
  }
});
