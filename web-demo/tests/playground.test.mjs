import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
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

async function open(hash = "", viewport = { width: 1360, height: 900 }, deviceScaleFactor = 1) {
  const page = await chromium.newPage({ viewport, deviceScaleFactor });
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
  // The rule's docs come from the full module, loaded when they are opened.
  await page.click("#detail details.doc summary");
  await page.waitForFunction(() => /Why it causes downtime/.test(document.querySelector("#detail").textContent));
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

test("the selected finding's plan is drawn as a release timeline: releases, phases, SQL, rollback and code", async () => {
  const sql = "ALTER TABLE users DROP COLUMN updated_at;\n";
  const { page, errors } = await open(`#${new URLSearchParams({ sql, release: "12.5", pg: "16" })}`);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.click('#findings .finding[data-rule="drop-column"]');
  const plan = page.locator("#finding-plan .zd-plan");
  // What the core plans for dropping a column from release 12.5: let it be
  // NULL and ignore it in the code, drop it after the deploy of the next
  // release, then remove the ignore.
  const columns = await plan.locator(".zd-release").evaluateAll((els) => els.map((e) => ({
    version: e.dataset.version,
    phases: [...e.querySelectorAll(".zd-phase")].map((p) => p.dataset.phase),
  })));
  assert.deepEqual(columns, [
    { version: "12.5", phases: ["regular", "application"] },
    { version: "12.6", phases: ["post-deploy"] },
    { version: "12.7", phases: ["application"] },
  ]);
  // The same plan the package attaches to the finding, step for step.
  const expected = zerodown.lint(sql, { phase: "regular", pgVersion: 16, plans: true, release: "12.5" }, "migration.sql")
    .findings.find((f) => f.rule === "drop-column").plan;
  const titles = await plan.locator(".zd-step h5").allTextContents();
  assert.deepEqual(titles, expected.releases.flatMap((r) => r.steps.map((s) => s.title.replaceAll("`", ""))));

  await page.locator("#finding-plan").screenshot({ path: join(SCREENSHOTS, "plan-timeline.png") });

  const drop = plan.locator('.zd-release[data-version="12.6"] .zd-step');
  assert.match(await drop.locator(".zd-code-sql pre").textContent(), /ALTER TABLE users DROP COLUMN IF EXISTS updated_at;/);
  assert.match(await drop.locator(".zd-requires").textContent(), /release 12\.5, which ignores the column, runs everywhere/);
  const step = expected.releases[1].steps[0];
  await drop.locator(".zd-code-down .zd-copy").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), step.down);
  await drop.locator(".zd-code-sql .zd-copy").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), step.sql);
  assert.match(await plan.locator('.zd-release[data-version="12.5"] .zd-code-code').textContent(), /ignore `?updated_at`? on users/);

  assert.deepEqual(errors, []);
  await page.close();
});

// The change kinds of the core (`Change::KINDS`), read from its source.
const KINDS = readFileSync(join(ROOT, "src", "model", "change.rs"), "utf8")
  .match(/pub const KINDS[^=]*=\s*&\[([^\]]*)\]/)[1].match(/"[^"]+"/g).map((k) => JSON.parse(k));

test("the plan form offers every change kind and draws a timeline for each", async (t) => {
  assert.equal(KINDS.length, 17);
  const { page, errors } = await open(`#${new URLSearchParams({ sql: "SELECT 1;\n", release: "17.2", pg: "16" })}`);
  const offered = await page.locator("#change-kind option").evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(offered, KINDS);
  for (const kind of KINDS) {
    await page.selectOption("#change-kind", kind);
    const before = await page.locator("#change-plan").evaluateHandle((el) => el.firstElementChild);
    await page.click('#plan-form button[type="submit"]');
    await page.waitForFunction((old) => {
      const first = document.querySelector("#change-plan").firstElementChild;
      return first && first !== old;
    }, before);
    // The change the form built, planned by the package in Node with the same options.
    const { change, options } = await page.evaluate(() => {
      const q = new URLSearchParams(location.hash.slice(1));
      return { change: JSON.parse(q.get("change")), options: JSON.parse(q.get("changeopts") ?? "{}") };
    });
    assert.equal(change.kind, kind);
    const expected = zerodown.plan(change, { release: "17.2", pgVersion: 16, framework: "plain", ...options });
    const shown = await page.locator("#change-plan .zd-release").evaluateAll((els) =>
      els.map((e) => ({ version: e.dataset.version, steps: e.querySelectorAll(".zd-step").length })));
    assert.ok(shown.length >= 1, `${kind}: a timeline`);
    assert.equal(shown[0].version, "17.2");
    assert.deepEqual(shown, expected.releases.map((r) => ({ version: r.version, steps: r.steps.length })), kind);
    t.diagnostic(`${kind}: ${shown.map((r) => `${r.version} (${r.steps})`).join(" → ")}`);
  }

  // Application steps written for Rails.
  await page.selectOption("#change-kind", "drop-column");
  await page.selectOption("#change-framework", "rails");
  await page.click('#plan-form button[type="submit"]');
  await page.waitForFunction(() => /ignore_column :updated_at/.test(document.querySelector("#change-plan .zd-code-code")?.textContent));
  assert.match(page.url(), /fw=rails/);

  // The last planned change is part of the link.
  const again = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
  await again.goto(page.url());
  await again.waitForSelector("#change-plan .zd-release");
  assert.equal(await again.inputValue("#change-kind"), "drop-column");
  assert.equal(await again.inputValue("#change-framework"), "rails");
  assert.equal(await again.inputValue('#plan-form input[name="columnType"]'), "timestamptz");
  assert.equal(await again.locator("#change-plan .zd-release").count(), await page.locator("#change-plan .zd-release").count());
  await again.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test("planning with a bad release version shows the error with its code", async () => {
  const { page } = await open(`#${new URLSearchParams({ sql: "SELECT 1;\n" })}`);
  await page.selectOption("#change-kind", "rename-column");
  await page.fill("#opt-release", "twelve");
  await page.click('#plan-form button[type="submit"]');
  const error = page.locator("#change-plan .plan-error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "bad-version");
  assert.equal(await error.textContent(),
    "bad-version: `twelve` is not a release version: write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 16.4 or 16.4.1");
  assert.equal(await page.locator("#change-plan .zd-release").count(), 0);
  // A good version brings the timeline back.
  await page.fill("#opt-release", "12.5");
  await page.locator('#change-plan .zd-release[data-version="12.5"]').waitFor();
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

test("the playground works on a phone-sized screen, the timeline's releases stacked", async () => {
  const phone = { width: 390, height: 844 };
  const { page, errors } = await open("", phone, 2);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  await page.waitForSelector('#findings .finding[data-rule="add-index-non-concurrently"]');
  await page.screenshot({ path: join(SCREENSHOTS, "playground-phone.png") });
  await page.close();

  const sql = "ALTER TABLE users DROP COLUMN updated_at;\n";
  const again = await open(`#${new URLSearchParams({ sql, release: "12.5" })}`, phone, 2);
  const releases = again.page.locator("#finding-plan .zd-release");
  assert.equal(await releases.count(), 3);
  const boxes = await releases.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  assert.ok(boxes.every((b) => b.left === boxes[0].left && b.right <= 390), "one release under the other, inside the screen");
  assert.ok(boxes[1].top > boxes[0].bottom && boxes[2].top > boxes[1].bottom);
  assert.ok(await again.page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  await again.page.locator("#finding-plan").scrollIntoViewIfNeeded();
  await again.page.locator("#finding-plan").screenshot({ path: join(SCREENSHOTS, "plan-timeline-phone.png") });
  assert.deepEqual([...errors, ...again.errors], []);
  await again.page.close();
});
