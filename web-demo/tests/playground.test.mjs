import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { serve, browser, watchErrors, ROOT, SCREENSHOTS } from "./helpers.mjs";

const zerodown = await import(join(ROOT, "pkg", "node", "index.mjs"));
let server;
let chromium;

before(async () => {
  server = await serve();
  chromium = await browser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await chromium?.close();
  await server?.close();
});

async function open(hash = "", viewport = { width: 1360, height: 900 }) {
  const page = await chromium.newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/${hash}`);
  await page.waitForSelector("html[data-linted]");
  return { page, errors };
}

test("the playground loads, lints the first example and shows the rule's documentation", async () => {
  const { page, errors } = await open();
  assert.match(await page.textContent("#version"), /^zerodown \d+\.\d+\.\d+/);
  await page.waitForSelector('#findings .finding[data-rule="add-index-non-concurrently"]');
  const mark = page.locator('.layer mark[data-rule="add-index-non-concurrently"]');
  assert.equal(await mark.textContent(), "CREATE INDEX index_users_on_email ON users (email)");
  assert.match(await page.textContent("#detail"), /Why it causes downtime/);
  assert.match(await page.textContent("#detail"), /CREATE INDEX CONCURRENTLY/);
  await page.screenshot({ path: join(SCREENSHOTS, "playground.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("typing an unsafe statement marks it within 500 ms of the last keypress", async (t) => {
  const { page, errors } = await open();
  const sql = "CREATE INDEX i ON users (email);";
  await page.click(".input");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.waitForSelector("#summary .pill.ok");
  // Record, in the page, the last keydown and when a mark from a lint of the
  // finished text (not a mark carried along while typing) first appears.
  await page.evaluate((full) => {
    window.__lastKey = 0;
    window.__markedAt = 0;
    const area = document.querySelector(".input");
    area.addEventListener("keydown", () => (window.__lastKey = performance.now()), true);
    new MutationObserver(() => {
      const mark = document.querySelector('.layer mark[data-rule="add-index-non-concurrently"]:not(.stale)');
      if (mark && area.value === full && !window.__markedAt) window.__markedAt = performance.now();
    }).observe(document.querySelector(".layer"), { childList: true, subtree: true, attributes: true });
  }, sql);
  await page.keyboard.type(sql);
  await page.waitForFunction(() => window.__markedAt > 0, null, { timeout: 5000 });
  const { lastKey, markedAt, text } = await page.evaluate(() => ({
    lastKey: window.__lastKey,
    markedAt: window.__markedAt,
    text: document.querySelector('.layer mark[data-rule="add-index-non-concurrently"]').textContent,
  }));
  const ms = markedAt - lastKey;
  t.diagnostic(`keypress to mark: ${ms.toFixed(1)} ms`);
  assert.ok(lastKey > 0 && ms < 500, `marked ${ms} ms after the last keypress`);
  assert.equal(text, "CREATE INDEX i ON users (email)");
  assert.deepEqual(errors, []);
  await page.close();
});

test("marks use UTF-16 offsets: a finding after non-ASCII text lands on its statement", async () => {
  const sql = "-- Ünïcödé 🐘 comment\nCREATE INDEX i ON users (email);\n";
  const { page } = await open(`#${new URLSearchParams({ sql })}`);
  const mark = page.locator('.layer mark[data-rule="add-index-non-concurrently"]');
  assert.equal(await mark.textContent(), "CREATE INDEX i ON users (email)");
  await page.close();
});

test("the plan timeline shows the releases of the selected finding's plan", async (t) => {
  const sql = "ALTER TABLE users ADD COLUMN plan_id bigint NOT NULL;\n";
  const options = { phase: "regular", pgVersion: 16, plans: true, release: "17.2" };
  const { page, errors } = await open(`#${new URLSearchParams({ sql, release: "17.2", pg: "16" })}`);
  if ((await page.getAttribute("html", "data-plans")) !== "true") {
    t.diagnostic("the package has no plan export: asserting the messages instead of a timeline");
    assert.equal(typeof zerodown.plan, "undefined");
    assert.match(await page.textContent("#plan-missing"), /not available in this build/);
    assert.match(await page.textContent("#plan-form-missing"), /no plan export/);
    assert.equal(await page.locator(".zd-timeline").count(), 0);
  } else {
    // The columns are the releases of the plan the package gives for the same input.
    const report = zerodown.lint(sql, options, "migration.sql");
    const expected = report.findings[0].plan?.releases.map((r) => r.version) ?? [];
    assert.ok(expected.length > 0, "the package plans this finding");
    const shown = await page.locator("#finding-plan .zd-release").evaluateAll((els) => els.map((e) => e.dataset.version));
    assert.deepEqual(shown, expected);
    assert.equal(shown[0], "17.2");
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a shared URL restores the SQL, the options and the selected finding", async () => {
  const { page } = await open();
  await page.selectOption("#examples", { label: "Backfill a large table" });
  await page.fill("#opt-release", "17.2");
  await page.selectOption("#opt-pg", "13");
  await page.selectOption("#opt-phase", "post-deploy");
  await page.waitForFunction(() => location.hash.includes("pg=13") && location.hash.includes("post-deploy"));
  const count = await page.locator("#findings .finding").count();
  assert.ok(count >= 1);
  const pick = count - 1;
  await page.click(`#findings .finding[data-index="${pick}"]`);
  const url = page.url();
  const sql = await page.inputValue(".input");
  const rule = await page.getAttribute(`#findings .finding[data-index="${pick}"]`, "data-rule");
  await page.close();

  const again = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
  await again.goto(url);
  await again.waitForSelector("html[data-linted]");
  assert.equal(await again.inputValue(".input"), sql);
  assert.equal(await again.inputValue("#opt-release"), "17.2");
  assert.equal(await again.inputValue("#opt-pg"), "13");
  assert.equal(await again.inputValue("#opt-phase"), "post-deploy");
  assert.equal(await again.inputValue("#opt-large"), "users");
  const selected = again.locator("#findings .finding.selected");
  assert.equal(await selected.getAttribute("data-index"), String(pick));
  assert.equal(await selected.getAttribute("data-rule"), rule);
  await again.close();
});

test("the playground works on a phone-sized screen", async () => {
  const { page, errors } = await open("", { width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  await page.waitForSelector('#findings .finding[data-rule="add-index-non-concurrently"]');
  await page.screenshot({ path: join(SCREENSHOTS, "playground-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
