import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, browserWithExtension, DEMO, SCREENSHOTS } from "./helpers.mjs";

let server;
let context;
let dir;

before(async () => {
  // The shipped manifest only matches gitlab.com and github.com; the test
  // variant also matches localhost, where the fixture pages are served.
  dir = mkdtempSync(join(tmpdir(), "zerodown-extension-"));
  execFileSync(process.execPath, [join(DEMO, "extension", "build.mjs"), "--test", dir], { stdio: "inherit" });
  server = await serve();
  context = await browserWithExtension(dir);
});
after(async () => {
  await context?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the shipped manifest asks for the narrowest permissions and a WebAssembly-only CSP", () => {
  const manifest = JSON.parse(readFileSync(join(DEMO, "extension", "manifest.json"), "utf8"));
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.permissions, ["scripting"]);
  assert.equal(manifest.host_permissions, undefined);
  assert.deepEqual(manifest.content_scripts.flatMap((c) => c.matches), ["https://gitlab.com/*", "https://github.com/*"]);
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  assert.equal(manifest.web_accessible_resources, undefined);
});

async function reviewOn(url) {
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  const host = page.locator("#zerodown-review");
  await host.locator(".zd-file").first().waitFor({ timeout: 15000 });
  return { page, host, requests };
}

test("on a GitLab merge request the review reads the same-origin .diff and annotates the migrations", async () => {
  const { page, host, requests } = await reviewOn(`${server.base}/group/project/-/merge_requests/1`);
  const files = await host.locator(".zd-file").evaluateAll((els) => els.map((e) => e.dataset.path));
  assert.deepEqual(files, [
    "db/migrate/20240501120000_add_index_on_users_email.sql",
    "db/post_migrate/20240502090000_drop_legacy_token.sql",
    "db/migrate/20240503100000_create_audit_events.sql",
  ]);
  const rules = await host.locator("tr.zd-finding").evaluateAll((trs) => trs.map((t) => t.dataset.rule));
  assert.deepEqual(rules, ["add-index-non-concurrently", "add-column-required", "drop-column"]);
  // Placed above the merge request's diff, before the tabs.
  assert.ok(await page.evaluate(() => document.querySelector("#zerodown-review").nextElementSibling.matches(".merge-request-tabs-holder")));
  assert.ok(requests.includes(`${server.base}/group/project/-/merge_requests/1.diff`));
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.screenshot({ path: join(SCREENSHOTS, "extension-gitlab.png") });
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.base)), [], "no request beyond the page's origin");
  await page.close();
});

test("on a GitHub pull request the review reads the diff on the page and keeps its text inert", async () => {
  const { page, host, requests } = await reviewOn(`${server.base}/owner/repo/pull/1/files`);
  const files = await host.locator(".zd-file").evaluateAll((els) => els.map((e) => e.dataset.path));
  assert.deepEqual(files, ["db/migrations/0042_orders_customer_fk.sql"]);
  const rules = await host.locator("tr.zd-finding").evaluateAll((trs) => trs.map((t) => t.dataset.rule));
  assert.ok(rules.includes("add-foreign-key"), `findings: ${rules}`);
  const finding = host.locator('tr.zd-finding[data-rule="add-foreign-key"]');
  assert.equal(await finding.evaluate((tr) => tr.previousElementSibling.dataset.line), "3");
  assert.equal(await host.locator("tr.zd-line[data-line='1'] .zd-text").textContent(), '-- <img src=x onerror="window.__zdPwned=1"> orders belong to customers');
  assert.equal(await page.evaluate(() => document.querySelector("#zerodown-review").shadowRoot.querySelectorAll("img").length), 0);
  assert.ok(await page.evaluate(() => document.querySelector("#zerodown-review").nextElementSibling.id === "files"));
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.base)), [], "no request beyond the page's origin");
  await page.close();
});

test("pages that are not merge requests are left alone", async () => {
  const page = await context.newPage();
  await page.goto(`${server.base}/widget/blank.html`);
  await page.waitForTimeout(500);
  assert.equal(await page.locator("#zerodown-review").count(), 0);
  await page.close();
});
