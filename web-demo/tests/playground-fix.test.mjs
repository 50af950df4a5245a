// "Apply fix" in the playground: a finding's fix (the package's `fix`)
// applied to the editor's text, the finding gone after the lint, undo in
// the editor bringing the text back; by mouse and by keyboard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, browser, watchErrors, ROOT } from "./helpers.mjs";

const zerodown = await import(join(ROOT, "pkg", "node", "index.mjs"));
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

async function open(sql) {
  const page = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/#${new URLSearchParams({ sql, pg: "16" })}`);
  await page.waitForSelector("html[data-linted]");
  return { page, errors };
}

/** The package's fix of `rule`'s finding in `sql` (as the playground lints it), applied from last edit to first. */
function fixed(sql, rule) {
  const f = zerodown.lint(sql, { phase: "regular", pgVersion: 16, plans: true }, "migration.sql").findings.find((x) => x.rule === rule);
  assert.ok(f?.fix, `${rule} has a fix`);
  let text = sql;
  for (const e of [...f.fix.edits].reverse()) text = text.slice(0, e.span.start.utf16) + e.text + text.slice(e.span.end.utf16);
  return { text, title: f.fix.title };
}

const finding = (rule) => `#findings .finding[data-rule="${rule}"]`;
/** The list item of `rule`'s finding (the finding's button and its fix). */
const item = (page, rule) => page.locator("#findings li", { has: page.locator(`.finding[data-rule="${rule}"]`) });
const gone = (page, rule) => page.waitForFunction((sel) => !document.querySelector(sel), finding(rule));

test("Apply fix builds the index CONCURRENTLY, the finding goes, Ctrl+Z brings the statement back", async () => {
  const sql = "-- Ünïcödé 🐘\nCREATE INDEX idx ON users (email);\n";
  const { page, errors } = await open(sql);
  assert.equal(await item(page, "add-index-non-concurrently").locator(".fix-title").textContent(), "Fix: Build the index CONCURRENTLY");
  // A real button, named by its fix, its rule and its line.
  const apply = page.getByRole("button", { name: "Apply fix: Build the index CONCURRENTLY (add-index-non-concurrently, line 2)" });
  assert.equal(await apply.evaluate((el) => el.tagName), "BUTTON");
  await apply.click();
  await gone(page, "add-index-non-concurrently");
  const text = await page.inputValue(".input");
  assert.match(text, /CREATE INDEX CONCURRENTLY idx ON users \(email\);/);
  assert.equal(text, fixed(sql, "add-index-non-concurrently").text);
  assert.match(await page.textContent("#fix-status"), /Applied: Build the index CONCURRENTLY/);
  // The link follows the text.
  await page.waitForFunction((t) => new URLSearchParams(location.hash.slice(1)).get("sql") === t, text);
  // One edit of the textarea: undo takes it back, and the finding returns.
  await page.focus(".input");
  await page.keyboard.press("Control+Z");
  await page.waitForSelector(finding("add-index-non-concurrently"));
  assert.equal(await page.inputValue(".input"), sql);
  assert.equal(await page.textContent("#fix-status"), "");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a foreign key's fix (NOT VALID, then VALIDATE) and missing-lock-timeout's, applied with the keyboard", async () => {
  const sql = "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n";
  const { page, errors } = await open(sql);
  await page.waitForSelector(finding("add-foreign-key"));
  const fk = fixed(sql, "add-foreign-key");
  assert.match(fk.text, /NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk/);
  // Tab from the finding reaches its "Apply fix"; Enter applies it.
  await page.focus(finding("add-foreign-key"));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")),
    `Apply fix: ${fk.title} (add-foreign-key, line 1)`);
  await page.keyboard.press("Enter");
  await gone(page, "add-foreign-key");
  assert.equal(await page.inputValue(".input"), fk.text);

  // The fixed text still takes locks without a lock_timeout: that finding's fix goes on top.
  await page.waitForSelector(finding("missing-lock-timeout"));
  const lock = fixed(fk.text, "missing-lock-timeout");
  assert.match(lock.text, /^SET lock_timeout = '1s';\n/);
  await item(page, "missing-lock-timeout").locator(".apply-fix").click();
  await gone(page, "missing-lock-timeout");
  assert.equal(await page.inputValue(".input"), lock.text);
  assert.deepEqual(errors, []);
  await page.close();
});

test("in Ruby mode a Rails migration's fix is Ruby: algorithm: :concurrently, outside a transaction", async () => {
  const sql = "class AddIndex < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :email\n  end\nend\n";
  const ruby = await import(join(ROOT, "pkg", "ruby", "zerodown.js"));
  await ruby.default({ module_or_path: readFileSync(join(ROOT, "pkg", "ruby", "zerodown_bg.wasm")) });
  const f = ruby.lint(sql, { phase: "regular", pgVersion: 16, plans: true }, "migration.rb").findings.find((x) => x.rule === "add-index-non-concurrently");
  let want = sql;
  for (const e of [...f.fix.edits].reverse()) want = want.slice(0, e.span.start.utf16) + e.text + want.slice(e.span.end.utf16);
  assert.match(want, /add_index :users, :email, algorithm: :concurrently/);
  assert.match(want, /disable_ddl_transaction!/);
  const page = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/#${new URLSearchParams({ sql, lang: "ruby", pg: "16" })}`);
  await page.waitForSelector(finding("add-index-non-concurrently"));
  await item(page, "add-index-non-concurrently").locator(".apply-fix").click();
  await gone(page, "add-index-non-concurrently");
  assert.equal(await page.inputValue(".input"), want);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a finding without a fix has no Apply fix button; the one beside it with a fix has", async () => {
  const sql = "ALTER TABLE users DROP COLUMN updated_at;\n";
  const { page, errors } = await open(sql);
  await page.waitForSelector(finding("drop-column"));
  assert.equal(await item(page, "drop-column").locator(".fix, .apply-fix").count(), 0);
  const withFix = zerodown.lint(sql, { phase: "regular", pgVersion: 16, plans: true }, "migration.sql").findings.filter((f) => f.fix);
  assert.deepEqual(withFix.map((f) => f.rule), ["missing-lock-timeout"]);
  assert.equal(await page.locator("#findings .apply-fix").count(), 1);
  assert.equal(await item(page, "missing-lock-timeout").locator(".apply-fix").count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});
