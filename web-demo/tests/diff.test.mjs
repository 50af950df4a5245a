import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseUnifiedDiff } from "../widget/diff.js";
import { globToRegExp, isMigration, parseGlobs, DEFAULT_GLOBS } from "../widget/glob.js";
import { FIXTURES } from "./helpers.mjs";

test("a git diff gives each file's path, status and new text", () => {
  const files = parseUnifiedDiff(readFileSync(join(FIXTURES, "mr.diff"), "utf8"));
  assert.deepEqual(files.map((f) => [f.path, f.status, f.complete]), [
    ["app/models/user.rb", "modified", false],
    ["db/migrate/20240501120000_add_index_on_users_email.sql", "added", true],
    ["db/post_migrate/20240502090000_drop_legacy_token.sql", "added", true],
    ["db/migrate/20240503100000_create_audit_events.sql", "added", true],
  ]);
  assert.equal(files[2].newText, "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN legacy_token;\n");
});

test("a modified file keeps its new line numbers; lines the diff hides are empty", () => {
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
  assert.equal(f.newText, "\n\nkeep\nnew\n--- not a header\n");
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

test("globs: ** spans folders, * stays in one, code files are not migrations", () => {
  assert.ok(globToRegExp("db/migrate/**").test("db/migrate/2024/x.sql"));
  assert.ok(globToRegExp("**/migrations/**/*.sql").test("migrations/0001.sql"));
  assert.ok(globToRegExp("**/migrations/**/*.sql").test("app/x/migrations/v2/0001.sql"));
  assert.ok(!globToRegExp("db/*.sql").test("db/a/b.sql"));
  assert.ok(isMigration("schema/001.sql"));
  assert.ok(!isMigration("db/migrate/20240101_add.rb"));
  assert.ok(!isMigration("src/main.rs"));
  assert.ok(!isMigration("db/a.sql", ["sql/**"]));
  assert.deepEqual(parseGlobs(""), DEFAULT_GLOBS);
  assert.deepEqual(parseGlobs("a/**,\n b/*.sql"), ["a/**", "b/*.sql"]);
});
