// `npx zerodown` as installed from the tarball: text and JSON output byte
// for byte the native CLI's, and the same exit codes.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { NATIVE, installDir, run } from "./helpers.mjs";

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
  assert.equal(npx(["--version"]).stdout, native(["--version"]).stdout);
});
