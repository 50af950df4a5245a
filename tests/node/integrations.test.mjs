// The CI pieces of integrations/ and the pre-commit hook, run as their
// platforms would run them, in a scratch git repository: the GitLab job's
// script (against a local stand-in for GitLab's notes API), the GitHub
// composite action's step, and the pre-commit hook's entry.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { NATIVE, ROOT, installDir } from "./helpers.mjs";

const dir = installDir();
const TGZ = join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz")));

/** A repository whose last commit adds an index without CONCURRENTLY and touches structure.sql. */
function scratchRepo() {
  const repo = mkdtempSync(join(tmpdir(), "zerodown-ci-"));
  const git = (...args) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
  git("init", "-q");
  git("config", "user.email", "ci@example.invalid");
  git("config", "user.name", "CI");
  mkdirSync(join(repo, "db/migrate"), { recursive: true });
  writeFileSync(join(repo, "db/migrate/001_users.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n");
  writeFileSync(join(repo, "db/structure.sql"), "CREATE TABLE public.users (id bigint, email text);\n");
  git("add", "-A");
  git("commit", "-qm", "base");
  const base = git("rev-parse", "HEAD");
  writeFileSync(join(repo, "db/migrate/002_index.sql"), "SET lock_timeout = '1s';\nCREATE INDEX users_email ON users (email);\n");
  writeFileSync(join(repo, "db/structure.sql"), "CREATE TABLE public.users (id bigint, email text);\nCREATE INDEX users_email ON public.users USING btree (email);\n");
  git("add", "-A");
  git("commit", "-qm", "head");
  return { repo, base, head: git("rev-parse", "HEAD") };
}

/** Runs a command without blocking this process (it serves the API the command calls). */
function runAsync(cmd, args, options) {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (status) => ok({ status, stdout, stderr }));
  });
}

/** npm without the network: the package comes from its tarball. */
const OFFLINE = { npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

/** GitLab's notes API for one merge request, in memory. */
async function notesApi() {
  const notes = [];
  const requests = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push(`${req.method} ${req.url}`);
      assert.equal(req.headers["private-token"], "secret-token");
      const m = req.url.match(/^\/api\/v4\/projects\/7\/merge_requests\/3\/notes(?:\/(\d+))?(\?.*)?$/);
      if (!m) return res.writeHead(404).end("{}");
      res.setHeader("Content-Type", "application/json");
      if (req.method === "GET") return res.end(JSON.stringify(notes));
      const text = JSON.parse(body).body;
      if (req.method === "POST") notes.push({ id: notes.length + 1, body: text });
      else if (req.method === "PUT") notes.find((n) => n.id === Number(m[1])).body = text;
      res.end(JSON.stringify(notes.at(-1)));
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { notes, requests, url: `http://127.0.0.1:${server.address().port}/api/v4`, close: () => server.close() };
}

test("the GitLab job writes Code Quality and the note, posts the note once and updates it, fails on errors", async () => {
  const job = parse(readFileSync(join(ROOT, "integrations/gitlab/zerodown.gitlab-ci.yml"), "utf8")).zerodown;
  assert.deepEqual(job.artifacts.reports, { codequality: "gl-code-quality-report.json" });
  const { repo, base, head } = scratchRepo();
  const api = await notesApi();
  // GitLab runs the script's lines in one shell, stopping at the first failure.
  const script = ["set -eo pipefail", ...job.script].join("\n");
  const env = {
    ...process.env, ...OFFLINE, ...job.variables,
    ZERODOWN_PACKAGE: TGZ, CI_MERGE_REQUEST_DIFF_BASE_SHA: base, CI_COMMIT_SHA: head,
    CI_API_V4_URL: api.url, CI_PROJECT_ID: "7", CI_MERGE_REQUEST_IID: "3", ZERODOWN_NOTE_TOKEN: "secret-token",
  };
  try {
    for (const round of [1, 2]) {
      const r = await runAsync("bash", ["-c", script], { cwd: repo, env });
      assert.equal(r.status, 1, `round ${round}: the error fails the job\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, round === 1 ? /posted the zerodown note/ : /updated the zerodown note/);
      assert.match(r.stdout, /error\[add-index-non-concurrently\]/);
    }
    const cq = JSON.parse(readFileSync(join(repo, "gl-code-quality-report.json"), "utf8"));
    assert.deepEqual(cq.map((e) => [e.check_name, e.severity, e.location.path, e.location.lines.begin]), [
      ["add-index-non-concurrently", "major", "db/migrate/002_index.sql", 2],
    ]);
    const note = readFileSync(join(repo, "zerodown-note.md"), "utf8");
    assert.match(note, /^### zerodown: 1 error, 0 warnings in 1 migration\n/);
    assert.match(note, /`db\/structure\.sql` \(schema dump, not linted\)/);
    assert.equal(api.notes.length, 1, "one note, updated in place");
    assert.equal(api.notes[0].body, `<!-- zerodown-note -->\n${note}`);
    assert.deepEqual(api.requests.filter((q) => !q.startsWith("GET")), ["POST /api/v4/projects/7/merge_requests/3/notes", "PUT /api/v4/projects/7/merge_requests/3/notes/1"]);
    // Without a token: no request, the note stays an artifact; without a package: a clear error.
    const quiet = await runAsync("bash", ["-c", script], { cwd: repo, env: { ...env, ZERODOWN_NOTE_TOKEN: "" } });
    assert.equal(quiet.status, 1);
    assert.doesNotMatch(quiet.stdout, /zerodown note/);
    const unset = await runAsync("bash", ["-c", script], { cwd: repo, env: { ...env, ZERODOWN_PACKAGE: "" } });
    assert.notEqual(unset.status, 0);
    assert.match(unset.stderr, /set ZERODOWN_PACKAGE to the zerodown package tarball or URL/);
  } finally {
    api.close();
  }
});

test("the GitHub action annotates, writes SARIF and the job summary, and fails at fail-on", () => {
  const action = parse(readFileSync(join(ROOT, "integrations/github/action.yml"), "utf8"));
  assert.equal(action.runs.using, "composite");
  const { repo, base } = scratchRepo();
  const summary = join(repo, "summary.md");
  const inputs = (given) => Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default]));
  const runStep = (given) => {
    const values = inputs(given);
    const expand = (s) => String(s).replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, k) => values[k] ?? "");
    const [step] = action.runs.steps;
    const env = { ...process.env, ...OFFLINE, GITHUB_STEP_SUMMARY: summary };
    for (const [k, v] of Object.entries(step.env)) env[k] = expand(v);
    // GitHub runs a composite step's bash as `bash --noprofile --norc -eo pipefail {0}`.
    return spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], { cwd: repo, env, encoding: "utf8" });
  };
  const r = runStep({ package: TGZ, base });
  assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^::error file=db\/migrate\/002_index\.sql,line=2,col=1,endLine=2,endColumn=\d+,title=zerodown add-index-non-concurrently::/m);
  assert.match(readFileSync(summary, "utf8"), /^### zerodown: 1 error, 0 warnings in 1 migration\n/);
  const sarif = JSON.parse(readFileSync(join(repo, "zerodown.sarif"), "utf8"));
  assert.deepEqual(sarif.runs[0].results.map((x) => x.ruleId), ["add-index-non-concurrently"]);
  assert.equal(runStep({ package: TGZ, base, "fail-on": "never" }).status, 0);
  // Only db/post_migrate/** are migrations: nothing to check, success.
  assert.equal(runStep({ package: TGZ, base, migrations: "db/post_migrate/**" }).status, 0);
});

test("the pre-commit hook lints the staged SQL files it matches", () => {
  const [hook] = parse(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8"));
  assert.equal(hook.id, "zerodown");
  const { repo } = scratchRepo();
  const files = ["db/migrate/001_users.sql", "db/migrate/002_index.sql", "db/structure.sql", "README.md"]
    .filter((f) => new RegExp(hook.files).test(f) && !new RegExp(hook.exclude).test(f));
  assert.deepEqual(files, ["db/migrate/001_users.sql", "db/migrate/002_index.sql"]);
  const [cmd, ...args] = hook.entry.split(" ");
  assert.equal(cmd, "zerodown");
  const lint = (paths) => spawnSync(NATIVE, [...args, ...paths], { cwd: repo, encoding: "utf8" });
  assert.equal(lint(files).status, 1);
  assert.equal(lint([files[0]]).status, 0);
});
