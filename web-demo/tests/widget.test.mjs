import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, browser, watchErrors, DEMO, FIXTURES, SCREENSHOTS } from "./helpers.mjs";

let server;
let chromium;
before(async () => {
  server = await serve();
  chromium = await browser();
});
after(async () => {
  await chromium?.close();
  await server?.close();
});

/** A page holding one <zerodown-review> given `diff`; resolves once it has rendered a report. */
async function review(diff, viewport = { width: 1100, height: 900 }, deviceScaleFactor = 1) {
  const page = await chromium.newPage({ viewport, deviceScaleFactor });
  const errors = watchErrors(page);
  // An empty page of the demo's origin, with the widget and nothing else.
  await page.goto(`${server.base}/widget/blank.html`);
  await page.evaluate(async (text) => {
    await import("/widget/zerodown-review.js");
    const el = document.createElement("zerodown-review");
    const done = new Promise((ok) => el.addEventListener("zerodown-review", (e) => ok(e.detail), { once: true }));
    el.setAttribute("diff", text);
    document.body.append(el);
    window.__report = await done;
  }, diff);
  return { page, errors };
}

test("the widget shows each migration file of a diff with its phase and its findings under their lines", async () => {
  const { page, errors } = await review(readFileSync(join(FIXTURES, "mr.diff"), "utf8"));
  const files = await page.locator("zerodown-review .zd-file").evaluateAll((els) => els.map((e) => e.dataset.path));
  // The Ruby model is not a migration; the three SQL migrations are, in diff order.
  assert.deepEqual(files, [
    "db/migrate/20240501120000_add_index_on_users_email.sql",
    "db/post_migrate/20240502090000_drop_legacy_token.sql",
    "db/migrate/20240503100000_create_audit_events.sql",
  ]);
  const phases = await page.locator("zerodown-review .zd-phase-badge").allTextContents();
  assert.deepEqual(phases, ["regular", "post-deploy", "regular"]);

  // Each finding sits right after the line it points at.
  const index = page.locator('zerodown-review .zd-file[data-path$="add_index_on_users_email.sql"]');
  const rows = await index.locator("tr.zd-line, tr.zd-finding").evaluateAll((trs) =>
    trs.map((tr) => (tr.classList.contains("zd-finding") ? `finding ${tr.dataset.rule}` : `line ${tr.dataset.line}`)));
  assert.deepEqual(rows, ["line 1", "line 2", "line 3", "finding add-index-non-concurrently", "line 4", "finding add-column-required"]);
  const drop = page.locator('zerodown-review .zd-file[data-path$="drop_legacy_token.sql"] tr.zd-finding');
  assert.equal(await drop.getAttribute("data-rule"), "drop-column");
  assert.equal(await page.locator('zerodown-review .zd-file[data-path$="create_audit_events.sql"] tr.zd-finding').count(), 0);
  assert.match(await page.locator("zerodown-review .zd-summary").textContent(), /2 errors.*1 warning/);

  // The plan is one click away for the findings that carry one, and exactly those.
  const report = await page.evaluate(() => window.__report);
  const toggles = await page.locator("zerodown-review tr.zd-finding").evaluateAll((trs) =>
    trs.map((tr) => ({ rule: tr.dataset.rule, label: tr.querySelector(".zd-plan-toggle").textContent, enabled: !tr.querySelector(".zd-plan-toggle").disabled })));
  assert.deepEqual(toggles, report.findings.map((f) => ({ rule: f.rule, label: f.plan ? "Show plan" : "No plan", enabled: Boolean(f.plan) })));
  assert.deepEqual(toggles.map((t) => t.enabled), [true, false, true]);

  const dropRow = page.locator('zerodown-review .zd-file[data-path$="drop_legacy_token.sql"] tr.zd-finding');
  assert.equal(await dropRow.locator(".zd-release").count(), 0);
  await dropRow.locator(".zd-plan-toggle").click();
  assert.equal(await dropRow.locator(".zd-plan-toggle").getAttribute("aria-expanded"), "true");
  // No release in the options: the releases are relative, M, M+1, M+2.
  const columns = await dropRow.locator(".zd-release").evaluateAll((els) => els.map((e) => ({
    version: e.dataset.version,
    phases: [...e.querySelectorAll(".zd-phase")].map((p) => p.dataset.phase),
  })));
  assert.deepEqual(columns, [
    { version: "M", phases: ["regular", "application"] },
    { version: "M+1", phases: ["post-deploy"] },
    { version: "M+2", phases: ["application"] },
  ]);
  assert.match(await dropRow.locator('.zd-release[data-version="M+1"] .zd-code-sql pre').textContent(),
    /ALTER TABLE users DROP COLUMN IF EXISTS legacy_token;/);

  const indexRow = index.locator('tr.zd-finding[data-rule="add-index-non-concurrently"]');
  await indexRow.locator(".zd-plan-toggle").click();
  assert.match(await indexRow.locator('.zd-release[data-version="M"] .zd-step[data-phase="regular"] .zd-code-sql pre').textContent(),
    /CREATE (UNIQUE )?INDEX CONCURRENTLY/);
  // One more click hides it again.
  await indexRow.locator(".zd-plan-toggle").click();
  assert.equal(await indexRow.locator(".zd-plan-box").isHidden(), true);
  await page.screenshot({ path: join(SCREENSHOTS, "widget.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("on a phone the review fits the screen and the plan opens under its finding", async () => {
  const { page, errors } = await review(readFileSync(join(FIXTURES, "mr.diff"), "utf8"), { width: 390, height: 844 }, 2);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, "no horizontal scrolling of the page");
  const row = page.locator('zerodown-review tr.zd-finding[data-rule="drop-column"]');
  await row.locator(".zd-plan-toggle").click();
  const releases = await row.locator(".zd-release").evaluateAll((els) => els.map((e) => e.dataset.version));
  assert.deepEqual(releases, ["M", "M+1", "M+2"]);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, "the open plan fits too");
  // The finding and its plan are as wide as the screen, not as the diff's longest line.
  const card = await row.locator(".zd-card").evaluate((el) => el.getBoundingClientRect().toJSON());
  assert.ok(card.left >= 0 && card.right <= 390, `the finding card is on screen (${card.left}–${card.right})`);
  await page.locator('zerodown-review .zd-file[data-path$="drop_legacy_token.sql"]').evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: join(SCREENSHOTS, "widget-phone.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a diff carrying HTML and script stays inert text", async () => {
  const diff = readFileSync(join(FIXTURES, "xss.diff"), "utf8");
  const { page, errors } = await review(diff);
  const result = await page.evaluate(() => {
    const root = document.querySelector("zerodown-review").shadowRoot;
    return {
      pwned: window.__zdPwned ?? null,
      imgs: root.querySelectorAll("img").length + document.querySelectorAll("img").length,
      scripts: root.querySelectorAll("script").length,
      bold: root.querySelectorAll("b").length,
      path: root.querySelector(".zd-path")?.textContent,
      text: [...root.querySelectorAll(".zd-text")].map((td) => td.textContent),
      suggestions: [...root.querySelectorAll(".zd-suggestion")].map((pre) => pre.textContent),
      findings: window.__report.findings.map((f) => f.rule),
    };
  });
  await page.waitForTimeout(300); // give any handler a chance to run
  assert.equal(await page.evaluate(() => window.__zdPwned ?? null), null, "no handler ran");
  assert.equal(result.pwned, null);
  assert.equal(result.imgs, 0, "no img element was created");
  assert.equal(result.scripts, 0, "no script element was created");
  assert.equal(result.bold, 0);
  assert.equal(result.path, "db/migrate/20240601000000_<img src=x onerror=alert(1)>.sql");
  assert.deepEqual(result.text, [
    '-- <img src=x onerror="window.__zdPwned = (window.__zdPwned || 0) + 1">',
    'CREATE INDEX "<img src=x onerror=window.__zdPwned=1>" ON users (email);',
    "-- <script>window.__zdPwned = 'script'</script>",
    "COMMENT ON TABLE users IS '<script>window.__zdPwned = 2</script><b>bold</b>';",
  ]);
  assert.ok(result.findings.includes("add-index-non-concurrently"));
  // The index's fix, as a suggestion: text too.
  assert.ok(result.suggestions.includes('```suggestion\nCREATE INDEX CONCURRENTLY "<img src=x onerror=window.__zdPwned=1>" ON users (email);\n```'),
    result.suggestions.join("\n"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("a files list is reviewed like a diff, and the globs decide what is a migration", async () => {
  const page = await chromium.newPage();
  await page.goto(`${server.base}/widget/blank.html`);
  const shown = await page.evaluate(async () => {
    await import("/widget/zerodown-review.js");
    const el = document.createElement("zerodown-review");
    el.setAttribute("globs", "sql/**");
    const done = new Promise((ok) => el.addEventListener("zerodown-review", ok, { once: true }));
    el.files = [
      { path: "sql/2024/01_index.sql", sql: "CREATE INDEX i ON users (email);\n" },
      { path: "db/migrate/1_other.sql", sql: "DROP TABLE users;\n" },
    ];
    document.body.append(el);
    await done;
    const root = el.shadowRoot;
    return {
      files: [...root.querySelectorAll(".zd-file")].map((f) => f.dataset.path),
      rules: [...root.querySelectorAll("tr.zd-finding")].map((r) => r.dataset.rule),
    };
  });
  assert.deepEqual(shown, { files: ["sql/2024/01_index.sql"], rules: ["add-index-non-concurrently"] });
  await page.close();
});

/** A diff adding `files` ({path: text}). */
function addedDiff(files) {
  return Object.entries(files).map(([path, text]) => {
    const lines = text.replace(/\n$/, "").split("\n");
    return `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}\n`).join("")}`;
  }).join("");
}

test("a change is read as its migration tool runs it: Prisma's one query, golang-migrate's down scripts left out", async () => {
  // Prisma sends migration.sql as one query: CONCURRENTLY after another
  // statement fails in its implicit transaction.
  const prisma = addedDiff({
    "prisma/migrations/20240601_index/migration.sql": "CREATE TABLE audit (id bigint PRIMARY KEY);\nCREATE INDEX CONCURRENTLY audit_id ON audit (id);\n",
  });
  const one = await review(prisma);
  assert.match(await one.page.locator("zerodown-review .zd-tool-info").textContent(), /Read as prisma runs it, up scripts \(detected: 1 <migration>\/migration\.sql file\(s\) \(Prisma\)\)/);
  assert.deepEqual((await shownFiles(one.page)).map((f) => f.rules), [["concurrently-in-transaction"]]);
  assert.match(await one.page.locator("zerodown-review .zd-file .zd-transaction").textContent(), /Runs inside a transaction/);
  assert.deepEqual(one.errors, []);
  await one.page.close();

  // golang-migrate: the up script is reviewed (one statement: no implicit
  // transaction), the down script is listed as not run going up, never as
  // a clean migration.
  const golang = addedDiff({
    "migrations/7_email.up.sql": "CREATE INDEX CONCURRENTLY users_email ON users (email);\n",
    "migrations/7_email.down.sql": "DROP INDEX users_email;\n",
  });
  const two = await review(golang);
  const files = await shownFiles(two.page);
  assert.deepEqual(files.map((f) => [f.path, f.rules]), [["migrations/7_email.up.sql", []]]);
  const note = two.page.locator("zerodown-review .zd-tool-info");
  assert.match(await note.textContent(), /Read as golang-migrate runs it/);
  assert.match(await note.locator("summary").textContent(), /1 file golang-migrate does not run here/);
  assert.match(await note.locator("li").textContent(), /migrations\/7_email\.down\.sql not an up script/);
  assert.match(await two.page.locator("zerodown-review .zd-file .zd-transaction").textContent(), /Runs outside a transaction/);
  await two.page.close();

  // The tool attribute overrides detection: as a plain folder, the down
  // script is a migration like any other and gets its finding.
  const page = await chromium.newPage();
  await page.goto(`${server.base}/widget/blank.html`);
  const plain = await page.evaluate(async (text) => {
    await import("/widget/zerodown-review.js");
    const el = document.createElement("zerodown-review");
    el.setAttribute("tool", "plain");
    const done = new Promise((ok) => el.addEventListener("zerodown-review", (e) => ok(e.detail), { once: true }));
    el.setAttribute("diff", text);
    document.body.append(el);
    const report = await done;
    return { tool: report.tool ?? null, files: [...el.shadowRoot.querySelectorAll(".zd-file")].map((f) => f.dataset.path), note: el.shadowRoot.querySelector(".zd-tool-info") };
  }, golang);
  assert.deepEqual(plain, { tool: null, files: ["migrations/7_email.up.sql", "migrations/7_email.down.sql"], note: null });
  await page.close();
});

/** Every file of the review: path, status, what its header counts, and its findings' rules. */
function shownFiles(page) {
  return page.locator("zerodown-review .zd-file").evaluateAll((els) => els.map((e) => ({
    path: e.dataset.path,
    status: e.dataset.status,
    count: e.querySelector(".zd-count").textContent,
    rules: [...e.querySelectorAll("tr.zd-finding")].map((r) => r.dataset.rule),
  })));
}

test("a Rails merge request: findings only for what changed, structure.sql is the schema, the Ruby migration is read", async () => {
  const { page, errors } = await review(readFileSync(join(FIXTURES, "rails-mr.diff"), "utf8"));
  assert.deepEqual(await shownFiles(page), [
    // The context lines hold an index without CONCURRENTLY, a required column
    // and a dropped column: read, not reported. The two changes are.
    { path: "db/migrate/20240601000000_widgets.sql", status: "checked", count: "2 findings", rules: ["add-index-non-concurrently", "data-migration"] },
    // Read by the Ruby module: a nullable bigint column, nothing to report.
    { path: "db/migrate/20240602000000_add_owner_to_widgets.rb", status: "checked", count: "clean", rules: [] },
    { path: "db/structure.sql", status: "schema", count: "schema dump", rules: [] },
  ]);
  const sql = page.locator('zerodown-review .zd-file[data-path$="widgets.sql"]');
  // Each finding sits under its changed line, and two hunks did not run together.
  const rows = await sql.locator("tr.zd-line, tr.zd-finding").evaluateAll((trs) =>
    trs.map((tr) => (tr.classList.contains("zd-finding") ? tr.dataset.rule : tr.dataset.line ?? "-")));
  assert.deepEqual(rows.slice(3, 5), ["9", "add-index-non-concurrently"]);
  assert.deepEqual(rows.slice(-2), ["25", "data-migration"]);
  assert.match(await sql.locator(".zd-note").first().textContent(), /^2 statements changed, 6 read for context/);
  assert.equal(await page.locator('zerodown-review .zd-file[data-status="not-checked"]').count(), 0);
  const head = await page.locator("zerodown-review .zd-review-head").textContent();
  // The Ruby migration's statements: GitLab's lock retries and its add_column.
  assert.match(head, /2 migration files · 4 statements changed, 6 read for context/);
  assert.match(head, /2 errors/);
  assert.doesNotMatch(head, /not checked|No downtime risks/);
  const report = await page.evaluate(() => window.__report);
  assert.deepEqual(report.summary, { errors: 2, warnings: 0, infos: 0, changed: 4, context: 6, notChecked: 0 });
  assert.deepEqual(errors, []);
  await page.close();
});

/** The paths the server was asked for since `from` (an index into `server.requests`). */
const asked = (from) => server.requests.slice(from).map((r) => r.split(" ")[1]);

test("a GitLab merge request with Ruby migrations: the Ruby module reviews them at their lines; structure.sql and schema_migrations are no migrations", async () => {
  const from = server.requests.length;
  const { page, errors } = await review(readFileSync(join(FIXTURES, "gitlab-rails-mr.diff"), "utf8"));
  assert.deepEqual(await shownFiles(page), [
    { path: "db/migrate/20240601120000_add_index_on_projects_name.rb", status: "checked", count: "1 finding", rules: ["add-index-non-concurrently"] },
    { path: "db/post_migrate/20240602090000_remove_projects_legacy_token.rb", status: "checked", count: "1 finding", rules: ["drop-column"] },
    // GitLab's db/schema_migrations records are not listed: not migrations.
    { path: "db/structure.sql", status: "schema", count: "schema dump", rules: [] },
  ]);
  const phases = await page.locator("zerodown-review .zd-phase-badge").allTextContents();
  assert.deepEqual(phases, ["regular", "post-deploy", "regular"]);
  // Each finding sits right under the Ruby line it points at.
  const rows = (path) => page.locator(`zerodown-review .zd-file[data-path="${path}"]`).locator("tr.zd-line, tr.zd-finding").evaluateAll((trs) =>
    trs.map((tr) => (tr.classList.contains("zd-finding") ? `finding ${tr.dataset.rule}` : `line ${tr.dataset.line}`)));
  const migrate = await rows("db/migrate/20240601120000_add_index_on_projects_name.rb");
  assert.deepEqual(migrate.slice(9, 11), ["line 10", "finding add-index-non-concurrently"]);
  assert.equal(migrate.filter((r) => r.startsWith("finding")).length, 1);
  const post = await rows("db/post_migrate/20240602090000_remove_projects_legacy_token.rb");
  assert.deepEqual(post.slice(6, 8), ["line 7", "finding drop-column"]);
  const card = page.locator('zerodown-review tr.zd-finding[data-rule="add-index-non-concurrently"]');
  assert.equal(await card.locator(".zd-loc").textContent(), "line 10, col 5");
  assert.match(await card.locator(".zd-help").textContent(), /add_concurrent_index|algorithm: :concurrently/);
  const report = await page.evaluate(() => window.__report);
  assert.deepEqual(report.files.map((f) => [f.path, f.status]), [
    ["db/migrate/20240601120000_add_index_on_projects_name.rb", "checked"],
    ["db/post_migrate/20240602090000_remove_projects_legacy_token.rb", "checked"],
    ["db/schema_migrations/20240601120000", "skipped"],
    ["db/schema_migrations/20240602090000", "skipped"],
    ["db/structure.sql", "schema"],
  ]);
  assert.equal(report.summary.notChecked, 0);
  // The Ruby module was fetched for this change, and the lint module was not needed.
  const paths = asked(from);
  assert.ok(paths.includes("/pkg/ruby/zerodown_bg.wasm"), paths.join(" "));
  assert.ok(!paths.includes("/pkg/web/zerodown_bg.wasm"), paths.join(" "));
  await page.screenshot({ path: join(SCREENSHOTS, "widget-rails.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a change without a Ruby migration does not fetch the Ruby module", async () => {
  const from = server.requests.length;
  // SQL migrations, and Ruby files that are no migrations (app/models, db/schema.rb).
  const diff = `${readFileSync(join(FIXTURES, "mr.diff"), "utf8")}diff --git a/db/schema.rb b/db/schema.rb\n--- a/db/schema.rb\n+++ b/db/schema.rb\n@@ -1 +1 @@\n-a\n+b\n`;
  const { page, errors } = await review(diff);
  assert.equal(await page.locator("zerodown-review .zd-file").count(), 4);
  const paths = asked(from);
  assert.ok(paths.includes("/pkg/web/zerodown_bg.wasm"), paths.join(" "));
  assert.ok(!paths.some((p) => p.startsWith("/pkg/ruby/")), paths.join(" "));
  assert.deepEqual(errors, []);
  await page.close();
});

test("a file zerodown could not check is never shown as clean", async () => {
  const diff = ["--- a/db/migrate/1_ok.sql", "+++ b/db/migrate/1_ok.sql", "@@ -1 +1 @@", "-SELECT 1;", "+SELECT 2;",
    "--- a/db/migrate/2_damaged.sql", "+++ b/db/migrate/2_damaged.sql", "@@ -1,5 +1,5 @@", " SELECT 1;", ""].join("\n");
  const { page, errors } = await review(diff);
  assert.deepEqual((await shownFiles(page)).map((f) => [f.path, f.status, f.count]), [
    ["db/migrate/1_ok.sql", "checked", "clean"],
    ["db/migrate/2_damaged.sql", "not-checked", "not checked"],
  ]);
  const head = await page.locator("zerodown-review .zd-review-head").textContent();
  assert.match(head, /1 not checked/);
  assert.doesNotMatch(head, /No downtime risks/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("invisible and bidirectional characters show as markers, with a finding", async () => {
  // Shown raw, the override makes the line read "-- harmless comment DROP TABLE users;".
  const line = "-- harmless comment \u202E;sresu ELBAT PORD";
  const diff = ["--- /dev/null", "+++ b/db/migrate/1_trojan.sql", "@@ -0,0 +1,2 @@", "+SELECT 1;", `+${line}`, ""].join("\n");
  const { page, errors } = await review(diff);
  const cell = page.locator('zerodown-review tr.zd-line[data-line="2"] .zd-text');
  assert.equal(await cell.locator(".zd-invisible").textContent(), "⟨U+202E⟩");
  const text = await cell.textContent();
  assert.ok(!text.includes("\u202E"), "the override itself is not in the page");
  assert.equal(text, "-- harmless comment ⟨U+202E⟩;sresu ELBAT PORD");
  assert.deepEqual((await shownFiles(page))[0].rules, ["invisible-characters"]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a hunk header claiming line 999,999,999 makes its file not checked; the page stays responsive", async () => {
  const diff = ["--- a/db/migrate/1_huge.sql", "+++ b/db/migrate/1_huge.sql", "@@ -999999999,1 +999999999,2 @@", " SELECT 1;", "+DROP TABLE users;",
    "--- /dev/null", "+++ b/db/migrate/2_fine.sql", "@@ -0,0 +1 @@", "+CREATE INDEX i ON users (email);", ""].join("\n");
  const { page, errors } = await review(diff);
  const files = await shownFiles(page);
  assert.deepEqual(files.map((f) => [f.path, f.status, f.count]), [
    ["db/migrate/1_huge.sql", "not-checked", "not checked"],
    ["db/migrate/2_fine.sql", "checked", "1 finding"],
  ]);
  assert.match(await page.locator('zerodown-review .zd-file[data-status="not-checked"] .zd-note').textContent(),
    /the hunk header claims line 1000000001; zerodown reads files of at most 1000000 lines/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("findings follow their file by index: a lone surrogate in a path, git's quoted UTF-8 paths", async () => {
  const diff = [
    "--- /dev/null", "+++ b/db/migrate/1_\uD800.sql", "@@ -0,0 +1 @@", "+CREATE INDEX i ON users (email);",
    'diff --git "a/db/migrate/2_caf\\303\\251.sql" "b/db/migrate/2_caf\\303\\251.sql"', "new file mode 100644", "--- /dev/null",
    '+++ "b/db/migrate/2_caf\\303\\251.sql"', "@@ -0,0 +1 @@", "+ALTER TABLE users DROP COLUMN legacy;", ""].join("\n");
  const { page, errors } = await review(diff);
  assert.deepEqual(await shownFiles(page), [
    { path: "db/migrate/1_\uFFFD.sql", status: "checked", count: "1 finding", rules: ["add-index-non-concurrently"] },
    { path: "db/migrate/2_café.sql", status: "checked", count: "2 findings", rules: ["drop-column", "missing-lock-timeout"] },
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an error replaces the review with an error state and fires zerodown-review-error", async () => {
  const { page, errors } = await review(readFileSync(join(FIXTURES, "mr.diff"), "utf8"));
  assert.equal(await page.locator("zerodown-review .zd-file").count(), 3);
  const failed = await page.evaluate(async () => {
    const el = document.querySelector("zerodown-review");
    const error = new Promise((ok) => el.addEventListener("zerodown-review-error", (e) => ok(e.detail.message), { once: true }));
    el.options = { pgVersion: "banana" };
    return error;
  });
  assert.match(failed, /pgVersion|pg-version|banana/i);
  assert.equal(await page.locator("zerodown-review .zd-file").count(), 0, "the previous review is gone");
  assert.match(await page.locator('zerodown-review [role="alert"]').textContent(), /zerodown could not check this change: .*banana/i);
  // A linter that throws inside its call, too.
  const thrown = await page.evaluate(async () => {
    const el = document.querySelector("zerodown-review");
    const error = new Promise((ok) => el.addEventListener("zerodown-review-error", (e) => ok(e.detail.message), { once: true }));
    el.options = {};
    el.linter = { lintDiff() { throw new RangeError("Invalid array length"); }, lintFiles() { throw new Error("unused"); } };
    return error;
  });
  assert.equal(thrown, "Invalid array length");
  assert.deepEqual(errors, []);
  await page.close();
});

/** axe-core's violations inside the element (its rules for the whole page do not apply to a widget). */
async function axeViolations(page) {
  await page.evaluate(readFileSync(join(DEMO, "node_modules", "axe-core", "axe.min.js"), "utf8"));
  const result = await page.evaluate(() => window.axe.run({ include: [["zerodown-review"]] }, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("axe finds no violation in the widget: findings, a plan open, not-checked files, markers, the error state", async () => {
  const diff = readFileSync(join(FIXTURES, "mr.diff"), "utf8") + readFileSync(join(FIXTURES, "rails-mr.diff"), "utf8")
    + ["--- /dev/null", "+++ b/db/migrate/9_trojan.sql", "@@ -0,0 +1 @@", "+-- note \u202E;sresu ELBAT PORD", ""].join("\n");
  const { page, errors } = await review(diff);
  await page.locator('zerodown-review tr.zd-finding[data-rule="drop-column"] .zd-plan-toggle').first().click();
  assert.deepEqual(await axeViolations(page), []);
  await page.evaluate(() => { document.querySelector("zerodown-review").options = { pgVersion: "banana" }; });
  await page.locator('zerodown-review [role="alert"]').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
