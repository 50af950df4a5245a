import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEMO, ROOT } from "./helpers.mjs";

const SCRIPT = join(DEMO, "node", "mr-report.mjs");
const scratch = [];
after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tmp(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** An empty repository with `write`, `commit` and `run` (the script, or another copy of it). */
function repo() {
  const dir = tmp("zerodown-mr-");
  const git = (...args) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir, encoding: "utf8" });
  const write = (path, text) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const commit = (message) => {
    git("add", "-A");
    git("commit", "-qm", message);
  };
  const run = (args, script = SCRIPT) => spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  return { dir, git, write, commit, run, read: (path) => readFileSync(join(dir, path), "utf8") };
}

const USERS = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n";
// A Rails repository's structure.sql: linted whole it gives findings (an
// index without CONCURRENTLY); as the schema dump it is, none.
const STRUCTURE = (extra = "") => `SET statement_timeout = 0;\n\n${USERS}\nCREATE INDEX index_users_on_email ON public.users USING btree (email);\n${extra}`;

/** Base: a users table and an old migration; head: migrations that change things. */
function railsRepo() {
  const r = repo();
  r.write("db/migrate/001_create_users.sql", USERS);
  r.write("db/migrate/002_old.sql", "SELECT 1;\n");
  r.write("db/migrate/005_orders.sql", "SET lock_timeout = '1s';\nCREATE INDEX index_users_on_id ON users (id);\n");
  r.write("db/structure.sql", STRUCTURE());
  r.commit("base");
  r.write("db/migrate/003_index.sql", "SET lock_timeout = '1s';\nCREATE INDEX index_users_on_email ON users (email);\n");
  r.write("db/post_migrate/004_drop.sql", "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN email;\n");
  // Modified: the CREATE INDEX above is context (unchanged), the new line is changed.
  r.write("db/migrate/005_orders.sql", "SET lock_timeout = '1s';\nCREATE INDEX index_users_on_id ON users (id);\nALTER TABLE users ADD COLUMN plan_id bigint;\n");
  r.write("db/migrate/006_add_plan_index.rb", "class AddPlanIndex < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :plan_id\n  end\nend\n");
  // A code migration zerodown has no front end for: not checked.
  r.write("db/migrate/007_backfill.py", "def upgrade():\n    pass\n");
  r.write("db/structure.sql", STRUCTURE("CREATE INDEX index_users_on_plan_id ON public.users USING btree (plan_id);\n"));
  r.write("app/models/user.rb", "class User; end\n");
  r.write("README.md", "not a migration\n");
  r.git("rm", "-q", "db/migrate/002_old.sql");
  r.commit("head");
  return r;
}

test("the CI script reports only changed statements, skips schema dumps, reads Ruby migrations and lists other code migrations as not checked", () => {
  const r = railsRepo();
  const run = r.run(["HEAD~1", "HEAD", "--code-quality", "cq.json", "--note", "note.md"]);
  assert.equal(run.status, 1, `exit 1 on errors; stderr: ${run.stderr}`);
  const cq = JSON.parse(r.read("cq.json"));
  assert.deepEqual(cq.map((e) => [e.check_name, e.severity, e.location.path, e.location.lines.begin]), [
    ["add-index-non-concurrently", "major", "db/migrate/003_index.sql", 2],
    // The Rails migration, read by the Node module's Ruby front end.
    ["add-index-non-concurrently", "major", "db/migrate/006_add_plan_index.rb", 3],
    ["drop-column", "minor", "db/post_migrate/004_drop.sql", 2],
  ]);
  for (const e of cq) {
    assert.match(e.fingerprint, /^[0-9a-f]{32}$/);
    assert.ok(e.description.length > 20);
  }
  const note = r.read("note.md");
  assert.equal(run.stdout, note);
  assert.match(note, /^### zerodown: 2 errors, 1 warning in 5 migrations \(1 not checked\)\n/);
  assert.match(note, /\*\*Not checked\*\*[^\n]*\n\n- `db\/migrate\/007_backfill\.py`: not SQL/);
  assert.match(note, /#### `db\/migrate\/003_index\.sql` \(regular\)\n\n\| \| Line \| Rule \| Problem \| Do instead \|\n\|---\|---\|---\|---\|---\|\n\| 🔴 error \| 2 \| `add-index-non-concurrently` \| CREATE INDEX on `users` without/);
  assert.match(note, /`db\/post_migrate\/004_drop\.sql` \(post-deploy, 2 statements, 2 changed\)/);
  assert.match(note, /`db\/migrate\/005_orders\.sql` \(regular, 3 statements, 1 changed\)/);
  assert.match(note, /`db\/structure\.sql` \(schema dump, not linted\)/);
  assert.doesNotMatch(note, /user\.rb|README|002_old/);
});

test("fingerprints are unique per finding and survive an unrelated edit above the statement", () => {
  const r = repo();
  r.write("db/migrate/001_create_users.sql", USERS);
  r.commit("base");
  const statement = "ALTER TABLE users ADD COLUMN a bigint NOT NULL, ADD COLUMN b bigint NOT NULL,\n  ALTER COLUMN email TYPE varchar(10);\n";
  r.write("db/migrate/002_change.sql", `SET lock_timeout = '1s';\n${statement}`);
  r.commit("three findings on one statement");
  r.write("db/migrate/002_change.sql", `-- Unrelated: a comment and a statement above.\nSET lock_timeout = '1s';\nSELECT 1;\n\n${statement}`);
  r.commit("an edit above");
  const fingerprints = (head) => {
    const run = r.run(["HEAD~2", head, "--code-quality", `cq-${head.length}.json`, "--fail-on", "never"]);
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(r.read(`cq-${head.length}.json`)).map((e) => `${e.check_name} ${e.fingerprint}`);
  };
  const first = fingerprints("HEAD~1");
  const rules = first.map((e) => e.split(" ")[0]);
  assert.ok(first.length >= 3, `findings: ${first}`);
  assert.equal(rules.filter((id) => id === "add-column-required").length, 2, `two findings of one rule on the statement: ${rules}`);
  assert.equal(new Set(first).size, first.length, `distinct fingerprints: ${first}`);
  assert.deepEqual(fingerprints("HEAD"), first);
});

test("the note is the package's Markdown: code stays code, pipes and HTML are escaped", () => {
  // The escaping itself is tested in the core (src/report/markdown.rs); here,
  // end to end: a path with a pipe, and the drop-column help's `<reason>`.
  const r = repo();
  r.write("db/migrate/001_create_users.sql", USERS);
  r.commit("base");
  r.write("db/post_migrate/002_a|b.sql", "ALTER TABLE users DROP COLUMN email;\n");
  r.commit("a pipe in a path");
  const run = r.run(["HEAD~1", "HEAD", "--fail-on", "never"]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /#### `db\/post_migrate\/002_a\|b\.sql` \(post-deploy\)/);
  assert.match(run.stdout, /`-- zerodown-ignore drop-column: <reason>`/);
  assert.doesNotMatch(run.stdout, /&lt;reason&gt;/);
});

test("set-up failures exit 2 with a clear message; findings at --fail-on exit 1", () => {
  const r = railsRepo();
  const cases = [
    [["HEAD"], /usage: mr-report\.mjs BASE HEAD/],
    [["HEAD~1", "HEAD", "--fail-on", "sometimes"], /--fail-on must be error, warning or never/],
    [["HEAD~1", "HEAD", "--bogus"], /unknown option --bogus/],
    [["HEAD~1", "no-such-branch"], /bad revision "no-such-branch"/],
  ];
  for (const [args, message] of cases) {
    const run = r.run(args);
    assert.equal(run.status, 2, `${args}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  const notRepo = spawnSync(process.execPath, [SCRIPT, "HEAD~1", "HEAD"], { cwd: tmp("zerodown-not-a-repo-"), encoding: "utf8" });
  assert.equal(notRepo.status, 2);
  assert.match(notRepo.stderr, /not a git repository/);

  assert.equal(r.run(["HEAD~1", "HEAD"]).status, 1, "an error at --fail-on error");
  assert.equal(r.run(["HEAD~1", "HEAD", "--fail-on", "never"]).status, 0);
  const none = r.run(["HEAD", "HEAD"]);
  assert.equal(none.status, 0);
  assert.deepEqual(JSON.parse(r.read("gl-code-quality-report.json")), []);
  assert.match(none.stdout, /No migrations changed/);

  // Only a warning: exit 1 with --fail-on warning, 0 by default.
  r.write("db/post_migrate/007_drop.sql", "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN plan_id;\n");
  r.commit("a warning");
  assert.equal(r.run(["HEAD~1", "HEAD"]).status, 0);
  assert.equal(r.run(["HEAD~1", "HEAD", "--fail-on", "warning"]).status, 1);

  r.write("zerodown.toml", "no_such_key = 1\n");
  r.commit("a bad zerodown.toml");
  const bad = r.run(["HEAD~1", "HEAD"]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /mr-report: zerodown\.toml at HEAD: .*no_such_key/);
});

let tarball;
before(() => {
  // The package as `npm pack` ships it (zerodown is not on the registry).
  const out = tmp("zerodown-pack-");
  execFileSync("npm", ["pack", "--silent", "--pack-destination", out, join(ROOT, "pkg")], { encoding: "utf8" });
  tarball = join(out, readdirSync(out).find((f) => f.endsWith(".tgz")));
});

test("the script copied alone into a repository runs with the packed tarball installed, and exits 2 without it", () => {
  const r = railsRepo();
  mkdirSync(join(r.dir, "ci"));
  const copy = join(r.dir, "ci", "mr-report.mjs");
  copyFileSync(SCRIPT, copy);
  const missing = r.run(["HEAD~1", "HEAD"], copy);
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /the zerodown package is not installed here: npm install/);
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], {
    cwd: r.dir, encoding: "utf8", env: { ...process.env, npm_config_cache: join(r.dir, ".npm-cache") },
  });
  const run = r.run(["HEAD~1", "HEAD", "--note", "note.md"], copy);
  assert.equal(run.status, 1, run.stderr);
  assert.match(r.read("note.md"), /^### zerodown: 2 errors, 1 warning in 5 migrations \(1 not checked\)/);
});
