import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEMO } from "./helpers.mjs";

const SCRIPT = join(DEMO, "node", "mr-report.mjs");

/** A repository with a base commit and a head commit changing migrations. */
function repo() {
  const dir = mkdtempSync(join(tmpdir(), "zerodown-mr-"));
  const git = (...args) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir });
  const write = (path, text) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  git("init", "-q", "-b", "main");
  write("db/migrate/001_create_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n");
  write("db/migrate/002_old.sql", "SELECT 1;\n");
  git("add", ".");
  git("commit", "-qm", "base");
  write("db/migrate/003_index.sql", "SET lock_timeout = '1s';\nCREATE INDEX index_users_on_email ON users (email);\n");
  write("db/post_migrate/004_drop.sql", "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN email;\n");
  write("app/models/user.rb", "class User; end\n");
  write("README.md", "not a migration\n");
  git("rm", "-q", "db/migrate/002_old.sql");
  git("add", ".");
  git("commit", "-qm", "head");
  return dir;
}

test("the CI script writes a Code Quality report and a Markdown note for the changed migrations", () => {
  const dir = repo();
  try {
    const run = spawnSync(process.execPath, [SCRIPT, "HEAD~1", "HEAD", "--code-quality", "cq.json", "--note", "note.md"], { cwd: dir, encoding: "utf8" });
    assert.equal(run.status, 1, `exit 1 on errors; stderr: ${run.stderr}`);
    const cq = JSON.parse(readFileSync(join(dir, "cq.json"), "utf8"));
    assert.deepEqual(cq.map((e) => [e.check_name, e.severity, e.location.path, e.location.lines.begin]), [
      ["add-index-non-concurrently", "major", "db/migrate/003_index.sql", 2],
      ["drop-column", "minor", "db/post_migrate/004_drop.sql", 2],
    ]);
    for (const e of cq) {
      assert.match(e.fingerprint, /^[0-9a-f]{64}$/);
      assert.ok(e.description.length > 20);
    }
    assert.notEqual(cq[0].fingerprint, cq[1].fingerprint);
    const note = readFileSync(join(dir, "note.md"), "utf8");
    assert.equal(run.stdout, note);
    assert.match(note, /^### zerodown: 1 error, 1 warning in 2 migrations/);
    assert.match(note, /\| `db\/migrate\/003_index\.sql:2` \| `add-index-non-concurrently` \| CREATE INDEX on `users` without/);
    assert.match(note, /&lt;reason&gt;/);
    assert.match(note, /`db\/post_migrate\/004_drop\.sql` \(post-deploy, 2 statements\)/);
    assert.doesNotMatch(note, /user\.rb|README|002_old/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the CI script passes with no migrations changed, and reports usage errors with exit 2", () => {
  const dir = repo();
  try {
    const none = spawnSync(process.execPath, [SCRIPT, "HEAD", "HEAD"], { cwd: dir, encoding: "utf8" });
    assert.equal(none.status, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "gl-code-quality-report.json"), "utf8")), []);
    assert.match(none.stdout, /No migrations changed/);
    const bad = spawnSync(process.execPath, [SCRIPT, "HEAD"], { cwd: dir, encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /usage/);
    const warn = spawnSync(process.execPath, [SCRIPT, "HEAD~1", "HEAD", "--fail-on", "never"], { cwd: dir, encoding: "utf8" });
    assert.equal(warn.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
