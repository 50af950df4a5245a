// The playground loads the lint module first and the full module (plans of
// changes, rule docs) only when the reader asks for one of those.
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
  assert.deepEqual(requested.filter((p) => p.startsWith("/pkg/full/")), [], requested.join(", "));
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
