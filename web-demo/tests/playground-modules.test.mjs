// The playground loads the lint module first, the full module (plans of
// changes, rule docs) only when the reader asks for one of those, and the
// Ruby module only for a Rails migration.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, browser, watchErrors } from "./helpers.mjs";

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

/** Opens the playground in a fresh context, recording the package files requested (pages and the worker). */
async function open(hash = "") {
  const context = await chromium.newContext({ viewport: { width: 1360, height: 900 } });
  const requested = [];
  context.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/")) requested.push(path);
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/${hash}`);
  await page.waitForSelector("html[data-linted]");
  return { context, page, requested, errors };
}

const WEB_WASM = "/pkg/web/zerodown_bg.wasm";
const FULL_WASM = "/pkg/full/zerodown_bg.wasm";

test("first load: findings (and their plan) from the lint module only; the full module is not requested", async () => {
  const sql = "ALTER TABLE users DROP COLUMN updated_at;\n";
  const { context, page, requested, errors } = await open(`#${new URLSearchParams({ sql, release: "12.5" })}`);
  await page.waitForSelector('#findings .finding[data-rule="drop-column"]');
  // The finding's plan, drawn from what the lint module attached to it.
  assert.equal(await page.locator("#finding-plan .zd-release").count(), 3);
  await page.waitForTimeout(500); // nothing more arrives later either
  assert.ok(requested.includes(WEB_WASM), requested.join(", "));
  assert.deepEqual(requested.filter((p) => p.startsWith("/pkg/full/") || p.startsWith("/pkg/ruby/")), [], requested.join(", "));
  // The rule list (without docs) comes from the lint module: its summary shows.
  assert.match(await page.textContent("#detail .summary-line"), /\S/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("opening the rule documentation loads the full module and shows the docs", async () => {
  const { context, page, requested, errors } = await open();
  assert.ok(!requested.includes(FULL_WASM));
  await page.click("#detail details.doc summary");
  await page.waitForFunction(() => /Why it causes downtime/.test(document.querySelector("#detail .doc").textContent));
  assert.ok(requested.includes(FULL_WASM), requested.join(", "));
  // Docs stay open for the next finding the reader selects.
  await page.fill(".input", "ALTER TABLE users ADD COLUMN plan_id bigint NOT NULL;\nCREATE INDEX i ON users (email);\n");
  await page.waitForSelector('#findings .finding[data-rule="add-index-non-concurrently"]');
  await page.click('#findings .finding[data-rule="add-index-non-concurrently"]');
  await page.waitForFunction(() => /CONCURRENTLY/.test(document.querySelector("#detail .doc[open]")?.textContent ?? ""));
  assert.deepEqual(errors, []);
  await context.close();
});

test("starting on the plan form loads the full module; planning works", async () => {
  const { context, page, requested, errors } = await open(`#${new URLSearchParams({ sql: "SELECT 1;\n", release: "17.2" })}`);
  assert.ok(!requested.includes(FULL_WASM));
  await page.focus("#change-kind");
  await page.waitForFunction(() => document.documentElement.dataset.full === "loaded");
  assert.ok(requested.includes(FULL_WASM), requested.join(", "));
  await page.click('#plan-form button[type="submit"]');
  await page.locator('#change-plan .zd-release[data-version="17.2"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a link holding a planned change loads the full module at once and draws the plan", async () => {
  const change = JSON.stringify({ kind: "drop-column", table: "users", column: "updated_at" });
  const { context, page, requested, errors } = await open(`#${new URLSearchParams({ sql: "SELECT 1;\n", release: "17.2", change })}`);
  await page.locator('#change-plan .zd-release[data-version="17.2"]').waitFor();
  assert.ok(requested.includes(FULL_WASM));
  assert.deepEqual(errors, []);
  await context.close();
});

const RUBY_WASM = "/pkg/ruby/zerodown_bg.wasm";
const RAILS = "class AddIndexOnUsersEmail < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :email\n  end\nend\n";

test("a Rails migration: choosing Ruby loads the Ruby module, which marks the Ruby call", async () => {
  const { context, page, requested, errors } = await open(`#${new URLSearchParams({ sql: RAILS })}`);
  // Read as SQL, Ruby is a parse error; the Ruby module is not loaded.
  await page.waitForSelector('#findings .finding[data-rule="parse-error"]');
  assert.ok(!requested.includes(RUBY_WASM), requested.join(", "));
  await page.selectOption("#opt-lang", "ruby");
  await page.waitForSelector('#findings .finding[data-rule="add-index-non-concurrently"]');
  assert.ok(requested.includes(RUBY_WASM), requested.join(", "));
  assert.equal(await page.locator("#findings .finding").count(), 1);
  // Marked at the call, on its line of the Ruby text; help in Rails terms.
  assert.equal(await page.locator('.layer mark[data-rule="add-index-non-concurrently"]').textContent(), "add_index :users, :email");
  assert.match(await page.textContent("#findings .finding .help"), /algorithm: :concurrently/);
  // The language is in the link.
  await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get("lang") === "ruby");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a link with lang=ruby and the Rails example lint as Ruby", async () => {
  const { context, page, errors } = await open(`#${new URLSearchParams({ sql: RAILS, lang: "ruby" })}`);
  await page.waitForSelector('#findings .finding[data-rule="add-index-non-concurrently"]');
  assert.equal(await page.inputValue("#opt-lang"), "ruby");
  // Back to SQL: the Ruby text is no SQL.
  await page.selectOption("#opt-lang", "sql");
  await page.waitForSelector('#findings .finding[data-rule="parse-error"]');
  await page.selectOption("#examples", { label: "Rails migration (Ruby)" });
  await page.waitForSelector('#findings .finding[data-rule="drop-column"]');
  assert.equal(await page.inputValue("#opt-lang"), "ruby");
  assert.deepEqual(errors, []);
  await context.close();
});
