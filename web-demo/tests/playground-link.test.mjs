// Damaged and oversized share links: a clear message, never a raw error or
// an empty control, and no "Link copied" for a link that would not open.
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

async function open(hash) {
  const page = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/#${hash}`);
  await page.waitForSelector("html[data-linted]");
  return { page, errors };
}

test("a damaged link: valid fields kept, the others at their defaults, and a message naming each", async () => {
  const hash = new URLSearchParams({
    sql: "CREATE INDEX i ON users (email);\n", phase: "pre-deploy", release: "twelve", pg: "99", large: "users",
    sel: "first", fw: "django", change: JSON.stringify({ kind: "drop-colum", table: "users" }),
  });
  const { page, errors } = await open(hash);
  // The SQL and the large tables, which were fine, are kept; the findings show.
  assert.equal(await page.inputValue(".input"), "CREATE INDEX i ON users (email);\n");
  assert.equal(await page.inputValue("#opt-large"), "users");
  await page.waitForSelector('#findings .finding[data-rule="add-index-non-concurrently"]');
  // No control is left empty: each shows its default.
  assert.equal(await page.inputValue("#opt-phase"), "regular");
  assert.equal(await page.inputValue("#opt-pg"), "16");
  assert.equal(await page.inputValue("#opt-release"), "");
  assert.equal(await page.inputValue("#change-kind"), "drop-column");
  assert.equal(await page.inputValue("#change-framework"), "plain");
  const notice = page.locator("#link-status");
  assert.ok(await notice.isVisible());
  const text = await notice.textContent();
  for (const part of [/phase “pre-deploy”/, /release “twelve”/, /PostgreSQL “99”/, /selected finding “first”/, /framework “django”/, /kind “drop-colum”/]) {
    assert.match(text, part);
  }
  // No raw error from the package anywhere on the page.
  const body = await page.textContent("body");
  assert.doesNotMatch(body, /unknown variant|invalid type|expected one of/);
  assert.ok(await page.locator("#status").isHidden());
  assert.deepEqual(errors, []);
  await page.close();
});

test("a planned change with a field of the wrong type or a field its kind does not take is refused by name", async () => {
  const wrongType = await open(new URLSearchParams({ sql: "SELECT 1;\n", change: JSON.stringify({ kind: "add-index", table: "users", columns: "email" }) }));
  assert.match(await wrongType.page.textContent("#link-status"), /add-index's columns should be a list of names/);
  await wrongType.page.close();
  const unknown = await open(new URLSearchParams({ sql: "SELECT 1;\n", change: JSON.stringify({ kind: "drop-table", table: "t", cascade: true }) }));
  assert.match(await unknown.page.textContent("#link-status"), /drop-table has a field “cascade” it does not take/);
  await unknown.page.close();
  const notJson = await open("sql=SELECT%201%3B&change=%7Bkind");
  assert.match(await notJson.page.textContent("#link-status"), /planned change is not readable/);
  assert.deepEqual(notJson.errors, []);
  await notJson.page.close();
});

test("a good link shows no notice", async () => {
  const { page } = await open(new URLSearchParams({ sql: "SELECT 1;\n", phase: "post-deploy", pg: "13", release: "17.2", sel: "0", fw: "rails" }));
  assert.ok(await page.locator("#link-status").isHidden());
  assert.equal(await page.inputValue("#opt-phase"), "post-deploy");
  await page.close();
});

test("a link too long to open is not copied: the page says why", async () => {
  const { page, errors } = await open(new URLSearchParams({ sql: "SELECT 1;\n" }));
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.evaluate(() => navigator.clipboard.writeText("before"));
  // A short link is copied.
  // The copy is asynchronous: wait for the label rather than read it at once.
  await page.click("#share");
  await page.waitForFunction(() => document.querySelector("#share").textContent !== "Copy link");
  assert.equal(await page.textContent("#share"), "Link copied");
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /#sql=SELECT/);
  await page.evaluate(() => navigator.clipboard.writeText("before"));
  // A 2.2 MB migration (a long comment lints fast).
  await page.evaluate(() => {
    const area = document.querySelector(".input");
    area.value = `-- ${"x".repeat(2_200_000)}\nSELECT 1;\n`;
    area.dispatchEvent(new Event("input"));
  });
  await page.click("#share");
  await page.waitForFunction(() => document.querySelector("#share").textContent === "Link too long" ||
    document.querySelector("#link-status").textContent.includes("too long"));
  assert.notEqual(await page.textContent("#share"), "Link copied");
  assert.equal(await page.textContent("#share"), "Link too long");
  assert.match(await page.textContent("#link-status"), /too long to share as a link: its link would be 2\.\d MB, and browsers open links of up to 1\.0 MB/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "before");
  assert.deepEqual(errors, []);
  await page.close();
});
