// `npx zerodown` as installed from the tarball: text and JSON output byte
// for byte the native CLI's, and the same exit codes.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { NATIVE, installDir, run } from "./helpers.mjs";
import { PLAN_CASES } from "./plan-cases.mjs";

const dir = installDir();
const work = mkdtempSync(join(tmpdir(), "zerodown-cli-"));
mkdirSync(join(work, "db/migrate"), { recursive: true });
mkdirSync(join(work, "db/post_migrate"), { recursive: true });
writeFileSync(join(work, "db/migrate/001_users.sql"), "CREATE TABLE users (id bigint, email text);\n");
writeFileSync(join(work, "db/post_migrate/002_idx.sql"), "-- índice 😀\nCREATE INDEX idx_users_email ON users (email);\n");
writeFileSync(join(work, "db/migrate/003_bad.sql"), "ALTER TABLE users ADD COLUMN;\n");
writeFileSync(join(work, "clean.sql"), "CREATE INDEX CONCURRENTLY i ON users (id);\n");
writeFileSync(join(work, "latin1.sql"), Buffer.from([0x53, 0x45, 0x4c, 0xe9, 0x3b]));

const npx = (args, cwd = work) =>
  run("npx", ["--offline", "--prefix", dir, "zerodown", ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", npm_config_loglevel: "silent" },
  });
const native = (args, cwd = work) => run(NATIVE, args, { cwd, env: { ...process.env, NO_COLOR: "1" } });

/** Both CLIs, same arguments, same folder: same stdout and exit status. */
function same(args) {
  const a = npx(args);
  const b = native(args);
  assert.equal(a.stdout, b.stdout, `stdout of zerodown ${args.join(" ")}`);
  assert.equal(a.status, b.status, `exit status of zerodown ${args.join(" ")}: ${a.stderr}`);
  return a;
}

test("lint folders: text and JSON as the native CLI, exit 1 on errors", () => {
  const text = same(["lint", "db"]);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /error\[add-index-non-concurrently\]/);
  assert.match(text.stdout, /--> db\/post_migrate\/002_idx.sql:2:1/);
  const json = same(["lint", "--format", "json", "db"]);
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.files.map((f) => f.phase), ["regular", "regular", "post-deploy"]);
});

test("flags are applied as the native CLI applies them", () => {
  same(["lint", "--format=json", "--phase", "post-deploy", "--pg-version", "12", "db/migrate", "clean.sql"]);
  same(["lint", "--rule", "add-index-non-concurrently=warning", "--large-table", "users", "db"]);
  same(["lint", "--format", "json", "--release", "16.4", "--no-plans", "--assume-in-transaction", "db"]);
});

test("exit 0 when clean", () => {
  const r = same(["lint", "clean.sql"]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "0 errors, 0 warnings, 0 infos in 1 file\n");
});

test("usage, config and input errors exit 2", () => {
  for (const args of [
    ["lint", "missing.sql"],
    ["lint", "latin1.sql"],
    ["lint", "--phase", "later", "clean.sql"],
    ["lint", "--rule", "no-such-rule=off", "clean.sql"],
    ["lint", "--rule", "parse-error", "clean.sql"],
    ["lint", "--pg-version", "3", "clean.sql"],
    ["lint", "--release", "next", "clean.sql"],
    ["lint", "--bogus", "clean.sql"],
    ["lint"],
    ["explain", "no-such-rule"],
  ]) {
    const a = npx(args);
    const b = native(args);
    assert.equal(a.status, 2, `zerodown ${args.join(" ")}: ${a.stderr}`);
    assert.equal(b.status, 2, `native zerodown ${args.join(" ")}`);
    assert.equal(a.stdout, "");
  }
  // Messages from the core are the same words.
  assert.equal(npx(["lint", "latin1.sql"]).stderr, native(["lint", "latin1.sql"]).stderr);
  assert.equal(npx(["explain", "nope"]).stderr, native(["explain", "nope"]).stderr);
});

test("zerodown.toml is found from the current folder upwards", () => {
  const project = mkdtempSync(join(tmpdir(), "zerodown-config-"));
  mkdirSync(join(project, "sub"));
  writeFileSync(join(project, "zerodown.toml"), '[rules]\nadd-index-non-concurrently = "info"\n');
  writeFileSync(join(project, "sub/a.sql"), "CREATE INDEX i ON t (a);\n");
  const a = npx(["lint", "--format", "json", "a.sql"], join(project, "sub"));
  const b = native(["lint", "--format", "json", "a.sql"], join(project, "sub"));
  assert.equal(a.stdout, b.stdout);
  assert.equal(JSON.parse(a.stdout).findings[0].severity, "info");
  writeFileSync(join(project, "zerodown.toml"), "pg-version = 15\nnonsense = true\n");
  const bad = npx(["lint", "a.sql"], join(project, "sub"));
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, native(["lint", "a.sql"], join(project, "sub")).stderr);
});

test("rules and explain print what the native CLI prints", () => {
  same(["rules"]);
  same(["rules", "--format", "json"]);
  same(["explain", "add-index-non-concurrently"]);
  same(["explain", "locks"]);
  assert.equal(npx(["--version"]).stdout, native(["--version"]).stdout);
});

test("plan: the same timeline and JSON as the native CLI for every change kind", () => {
  for (const c of PLAN_CASES) {
    assert.equal(same(["plan", ...c.args]).status, 0);
    assert.equal(same(["plan", ...c.args, "--format", "json"]).status, 0);
  }
});

test("plan --format sql writes the same files", () => {
  for (const layout of [["--out", "plan/"], ["--layout", "release-dir", "releases"]]) {
    const args = ["plan", "rename-column", "users.username", "handle", "--release", "9.0", "--format", "sql", ...layout];
    const [a, b] = [mkdtempSync(join(tmpdir(), "zerodown-npx-")), mkdtempSync(join(tmpdir(), "zerodown-native-"))];
    const ra = npx(args, a);
    const rb = native(args, b);
    assert.equal(ra.status, 0, ra.stderr);
    assert.equal(ra.stdout, rb.stdout);
    const written = ra.stdout.trim().split("\n");
    assert.ok(written.length >= 3, ra.stdout);
    for (const path of written) {
      assert.equal(readFileSync(join(a, path), "utf8"), readFileSync(join(b, path), "utf8"), path);
    }
  }
});

test("plan errors exit 2 with the native message", () => {
  for (const args of [
    ["plan", "drop-column", "users.x", "--release", "sixteen"],
    ["plan", "drop-everything", "users"],
    ["plan", "drop-column", "users"],
    ["plan", "drop-column", "users.x", "--calendar", "monthly:32:2024-01"],
    ["plan", "drop-column", "users.x", "--framework", "django"],
    ["plan", "drop-column", "users.x", "--pg-version", "3"],
    ["plan", "drop-column", "users.x", "--format", "sql"],
    ["plan", "drop-column", "users.x", "--format", "sql", "--layout", "flat", "out"],
  ]) {
    const a = npx(args);
    const b = native(args);
    assert.equal(a.status, 2, `zerodown ${args.join(" ")}: ${a.stderr}`);
    assert.equal(b.status, 2, `native zerodown ${args.join(" ")}`);
    assert.equal(a.stdout, "");
    assert.equal(a.stderr, b.stderr, `zerodown ${args.join(" ")}`);
  }
  for (const args of [["plan", "drop-column"], ["plan", "drop-column", "users.x", "--bogus"]]) {
    assert.equal(npx(args).status, 2);
    assert.equal(native(args).status, 2);
  }
});
