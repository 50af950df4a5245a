// Schemas in the npm package: loadSchema(text) reads a dump once into a
// handle whose lint, lintFiles and lintDiff run on top of it; its skipped
// statements are data. Parity: every schema-aware rule fixture and GitLab's
// structure.sql under the corpus migrations give the same report natively
// (`lint --schema`) and through the package.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { CORPUS, FIXTURES, NATIVE, installDir, run, sqlFiles } from "./helpers.mjs";

const dir = installDir();
const zd = await import(pathToFileURL(createRequire(join(dir, "package.json")).resolve("zerodown")).href);

const DUMP = `CREATE TABLE public.users (
    id bigint NOT NULL,
    email text
);
CREATE TABLE public.broken (id bigint,, oops);
CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);
`;
const TYPO = "SET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN emial SET DEFAULT '';\n";

const rules = (report) => report.findings.map((f) => f.rule);

test("loadSchema reads a dump once; its problems are data with a line", () => {
  const schema = zd.loadSchema(DUMP, "db/structure.sql");
  // The broken statement still names its table, which is kept.
  assert.deepEqual(schema.counts, { tables: 2, columns: 2, indexes: 1 });
  assert.equal(schema.problems.length, 1);
  assert.equal(schema.problems[0].path, "db/structure.sql");
  assert.equal(schema.problems[0].line, 5);
  assert.match(schema.problems[0].reason, /\S/);
  assert.equal(zd.loadSchema("").problems.length, 0);
  schema.free();
});

test("a schema's lint knows what the module's lint cannot", () => {
  assert.ok(!rules(zd.lint(TYPO)).includes("schema-mismatch"));
  const schema = zd.loadSchema(DUMP);
  // Reused: the same handle answers every call (a playground keystroke each).
  for (let i = 0; i < 3; i++) {
    const report = schema.lint(TYPO, {}, "db/migrate/1_a.sql");
    const found = report.findings.find((f) => f.rule === "schema-mismatch");
    assert.ok(found, JSON.stringify(report.findings));
    assert.equal(found.span.start.line, 2);
    assert.match(found.message, /`users`\.`emial` does not exist/);
  }
  // Files apply in path order on top of the schema: the column the first
  // adds is known to the second.
  const files = [
    { path: "db/migrate/2_b.sql", sql: TYPO },
    { path: "db/migrate/1_a.sql", sql: "SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN emial text;\n" },
  ];
  assert.ok(!rules(schema.lintFiles(files, {})).includes("schema-mismatch"));
  const diff = `diff --git a/db/migrate/1_a.sql b/db/migrate/1_a.sql
new file mode 100644
--- /dev/null
+++ b/db/migrate/1_a.sql
@@ -0,0 +1,2 @@
+SET lock_timeout = '1s';
+ALTER TABLE users ALTER COLUMN emial SET DEFAULT '';
`;
  assert.ok(rules(schema.lintDiff(diff, {})).includes("schema-mismatch"));
  assert.ok(!rules(zd.lintDiff(diff, {})).includes("schema-mismatch"));
});

test("bad input to loadSchema and a path as the schema option are clear errors", () => {
  assert.throws(() => zd.loadSchema(42), (e) => e.code === "bad-input" && /`text` must be a string/.test(e.message));
  assert.throws(
    () => zd.lint(TYPO, { schema: "db/structure.sql" }),
    (e) => e.code === "bad-options" && /loadSchema/.test(e.message),
  );
  const schema = zd.loadSchema(DUMP);
  assert.throws(() => schema.lint(TYPO, { schema: "x.sql" }), (e) => e.code === "bad-options");
  schema.free();
  // A freed handle throws a JavaScript error, never a trap that kills the module.
  assert.throws(() => schema.lint(TYPO));
  assert.equal(zd.lint("SELECT 1;").summary.errors, 0);
});

/** The `-- schema:` lines of a fixture, as the Rust fixture harness reads them. */
function fixtureSchema(text) {
  return text
    .split("\n")
    .filter((l) => l.startsWith("-- schema:"))
    .map((l) => l.slice("-- schema:".length))
    .join("\n");
}

test("parity: every schema-aware fixture, native --schema and the package", () => {
  const tmp = mkdtempSync(join(tmpdir(), "zerodown-schema-"));
  let fixtures = 0;
  let findings = 0;
  for (const file of sqlFiles(join(FIXTURES, "rules"))) {
    const text = readFileSync(file, "utf8");
    const dump = fixtureSchema(text);
    if (!dump) continue;
    fixtures++;
    const schemaPath = join(tmp, "structure.sql");
    writeFileSync(schemaPath, dump);
    const base = dirname(file);
    const path = relative(base, file);
    const out = run(NATIVE, ["lint", "--format", "json", "--schema", schemaPath, path], { cwd: base });
    assert.ok(out.status === 0 || out.status === 1, `${file}: native exit ${out.status}: ${out.stderr}`);
    const schema = zd.loadSchema(dump, schemaPath);
    const wasm = schema.lintFiles([{ path, sql: text }], {});
    schema.free();
    assert.deepStrictEqual(wasm, JSON.parse(out.stdout), file);
    findings += wasm.findings.length;
  }
  assert.ok(fixtures >= 10, `only ${fixtures} fixtures carry a schema`);
  assert.ok(findings > 0);
  console.log(`# ${fixtures} schema fixtures, ${findings} findings, identical`);
});

const GITLAB = join(CORPUS, "gitlab");
const structure = join(GITLAB, "structure.sql");
const haveGitlab = sqlFiles(GITLAB).includes(structure);
test("parity: GitLab's structure.sql under its own SQL, native and the package", { skip: !haveGitlab && `no ${structure}` }, () => {
  const text = readFileSync(structure, "utf8");
  const started = performance.now();
  const schema = zd.loadSchema(text, structure);
  const ms = performance.now() - started;
  assert.deepEqual(schema.problems, []);
  assert.ok(schema.counts.tables > 500, JSON.stringify(schema.counts));
  // Every other SQL file of the corpus, linted against GitLab's schema: the
  // same report both ways (they are not GitLab's migrations, so
  // schema-mismatch has much to say, which is what is compared).
  const files = sqlFiles(CORPUS).filter((f) => f !== structure).slice(0, 200);
  const srcs = files.map((f) => ({ path: relative(CORPUS, f), sql: readFileSync(f, "utf8") })).filter((s) => !s.sql.includes("\uFFFD"));
  // Files of several projects in one run: linted as a plain list, in path
  // order (the schema handle's lintFiles reads no migration tool).
  const out = run(NATIVE, ["lint", "--format", "json", "--tool", "plain", "--schema", structure, ...srcs.map((s) => s.path)], { cwd: CORPUS });
  assert.ok(out.status === 0 || out.status === 1, out.stderr);
  const native = JSON.parse(out.stdout);
  assert.deepStrictEqual(schema.lintFiles(srcs, {}), native);
  assert.ok(native.findings.some((f) => f.rule === "schema-mismatch"));
  console.log(`# GitLab structure.sql: ${JSON.stringify(schema.counts)}, loaded in ${ms.toFixed(0)} ms in Node; ${srcs.length} files identical`);
  schema.free();
});

// Plans and release folders on a schema, as the CLI's --schema: the
// schema handle's completePlan, schedule and upgradePath against the
// native command's JSON and notes.
const PLAN_DUMP = `CREATE TABLE public.projects (id integer NOT NULL, name text);
CREATE TABLE public.issues (id bigint NOT NULL, project_id integer NOT NULL, title text DEFAULT 'untitled'::text NOT NULL);
ALTER TABLE ONLY public.projects ADD CONSTRAINT projects_pkey PRIMARY KEY (id);
CREATE INDEX index_issues_on_project_id ON public.issues USING btree (project_id) WHERE (title IS NOT NULL);
CREATE VIEW public.named_projects AS
 SELECT projects.id,
    projects.name
   FROM public.projects
  WHERE (projects.name IS NOT NULL);
ALTER TABLE ONLY public.issues ADD CONSTRAINT fk_issues_project FOREIGN KEY (project_id) REFERENCES public.projects(id);
`;

test("parity: plans completed from a schema, native plan --schema and completePlan", () => {
  const tmp = mkdtempSync(join(tmpdir(), "zerodown-plan-schema-"));
  const schemaPath = join(tmp, "structure.sql");
  writeFileSync(schemaPath, PLAN_DUMP);
  const schema = zd.loadSchema(PLAN_DUMP, schemaPath);
  const cases = [
    ["drop-index", "index_issues_on_project_id"],
    ["drop-column", "issues.title"],
    ["change-column-default", "issues.title", "'none'"],
    ["replace-view", "named_projects", "named_projects_v2", "SELECT id FROM projects"],
    ["bigint-primary-key", "projects.id"],
    ["drop-index", "no_such_index"],
  ];
  for (const [kind, target, ...args] of cases) {
    const out = run(NATIVE, ["plan", kind, target, ...args, "--format", "json", "--schema", schemaPath]);
    assert.equal(out.status, 0, `${kind}: ${out.stderr}`);
    const completed = schema.completePlan(zd.changeFromArgs(kind, target, args), {});
    const plan = zd.plan(completed.change, completed.options);
    assert.deepStrictEqual(plan, JSON.parse(out.stdout), kind);
    const notes = out.stderr.split("\n").filter((l) => l.startsWith("note: ")).map((l) => l.slice(6));
    assert.deepStrictEqual(completed.notes, notes, kind);
    assert.ok(notes.length > 0, `${kind}: no note`);
  }
  schema.free();
});

test("parity: schedule and upgrade-path on a schema, native and the package", () => {
  const folder = join(FIXTURES, "releases/on-schema");
  const schemaPath = join(FIXTURES, "releases/on-schema-at-8.17.sql");
  const files = sqlFiles(folder).map((p) => ({ path: relative(folder, p), sql: readFileSync(p, "utf8") }));
  const schema = zd.loadSchema(readFileSync(schemaPath, "utf8"), schemaPath);
  const native = run(NATIVE, ["upgrade-path", folder, "--from", "8.17", "--to", "9.0", "--format", "json", "--schema", schemaPath]);
  assert.equal(native.status, 1, native.stderr);
  const report = schema.upgradePath(files, "8.17", "9.0", {});
  assert.deepStrictEqual(report, JSON.parse(native.stdout));
  assert.deepEqual(rules(report), ["schema-mismatch"]);
  // Without the schema the module's upgradePath knows nothing of it.
  assert.deepEqual(rules(zd.upgradePath(files, "8.17", "9.0", {})), []);
  const nativeSchedule = run(NATIVE, ["schedule", folder, "--version", "9.0.1", "--mode", "continuous", "--format", "json", "--schema", schemaPath]);
  assert.deepStrictEqual(schema.schedule(files, "9.0.1", { mode: "continuous" }), JSON.parse(nativeSchedule.stdout));
  schema.free();
});

// A migration tool's folder on a schema: the schema handle's lintFiles with
// `tool`, as `lint --schema` on the folder.
test("parity: a migration tool's folder on a schema, native and the package", () => {
  const tools = join(FIXTURES, "../../docs/examples/tools");
  const files = sqlFiles(join(tools, "pop")).map((p) => ({ path: relative(tools, p), sql: readFileSync(p, "utf8") }));
  const dump = "CREATE TABLE public.users (id bigint NOT NULL, email text);\n";
  const tmp = mkdtempSync(join(tmpdir(), "zerodown-tool-schema-"));
  writeFileSync(join(tmp, "structure.sql"), dump);
  const native = run(NATIVE, ["lint", "--format", "json", "--schema", join(tmp, "structure.sql"), "pop"], { cwd: tools });
  assert.equal(native.status, 1, native.stderr);
  const schema = zd.loadSchema(dump, join(tmp, "structure.sql"));
  const report = schema.lintFiles(files, { tool: "auto" });
  schema.free();
  assert.deepStrictEqual(report, JSON.parse(native.stdout));
  assert.equal(report.tool.name, "pop");
  // The schema knows users: creating it again is a mismatch.
  assert.ok(report.findings.some((f) => f.rule === "schema-mismatch"), JSON.stringify(report.findings.map((f) => f.rule)));
});
