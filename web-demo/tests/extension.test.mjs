import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, browserWithExtension, watchErrors, DEMO, SCREENSHOTS } from "./helpers.mjs";

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
  await context.route("**/favicon.ico", (route) => route.fulfill({ status: 204 })); // no 404 in the console
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
  // github.com's pull request `.diff` redirects to patch-diff.githubusercontent.com;
  // the service worker fetches it there, and nowhere else.
  assert.deepEqual(manifest.host_permissions, ["https://github.com/*", "https://patch-diff.githubusercontent.com/*"]);
  assert.deepEqual(manifest.content_scripts.flatMap((c) => c.matches), ["https://gitlab.com/*", "https://github.com/*"]);
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  assert.equal(manifest.web_accessible_resources, undefined);
});

async function reviewOn(url) {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  const host = page.locator("#zerodown-review");
  // Collapsed: the files are in the document, not yet visible.
  await host.locator(".zd-file").first().waitFor({ state: "attached", timeout: 15000 });
  return { page, host, requests, errors };
}

const paths = (host) => host.locator(".zd-file").evaluateAll((els) => els.map((e) => `${e.dataset.path} ${e.dataset.status}`));
const rules = (host) => host.locator("tr.zd-finding").evaluateAll((trs) => trs.map((t) => `${t.dataset.rule} ${t.previousElementSibling?.dataset.line ?? "elsewhere"}`));
const height = (page) => page.evaluate(() => document.querySelector("#zerodown-review").getBoundingClientRect().height);

test("on a GitLab merge request the review reads the same-origin .diff and is one line until opened", async (t) => {
  const { page, host, requests, errors } = await reviewOn(`${server.base}/group/project/-/merge_requests/1`);
  assert.deepEqual(await paths(host), [
    "db/migrate/20240501120000_add_index_on_users_email.sql checked",
    "db/post_migrate/20240502090000_drop_legacy_token.sql checked",
    "db/migrate/20240503100000_create_audit_events.sql checked",
  ]);
  assert.deepEqual(await rules(host), ["add-index-non-concurrently 3", "add-column-required 4", "drop-column 2"]);
  // The index's fix, as a suggested change to paste into a comment on line 3.
  assert.equal(await host.locator('tr.zd-finding[data-rule="add-index-non-concurrently"] pre.zd-suggestion').textContent(),
    "```suggestion\nCREATE INDEX CONCURRENTLY index_users_on_email ON users (email);\n```");
  assert.equal(await host.locator('tr.zd-finding[data-rule="add-column-required"] .zd-suggestion').count(), 0);
  // group/project's target branch has a db/structure.sql holding everything these migrations use.
  assert.equal(await host.locator(".zd-schema-info").textContent(), "Checked against the schema: 2 tables, 7 columns, 1 index.");
  // Placed above the merge request's diff, before the tabs, closed: one line.
  assert.ok(await page.evaluate(() => document.querySelector("#zerodown-review").nextElementSibling.matches(".merge-request-tabs-holder")));
  const summary = host.locator("details.zd-review > summary");
  assert.match(await host.locator("details.zd-review").getAttribute("aria-label"), /^zerodown: 2 errors, 1 warning in 3 migrations$/);
  assert.equal(await host.locator("details.zd-review").evaluate((d) => d.open), false);
  const closed = await height(page);
  assert.ok(closed < 64, `collapsed height ${closed}px`);
  await summary.click();
  const open = await height(page);
  assert.ok(open > 400, `open height ${open}px`);
  t.diagnostic(`review height: ${closed}px collapsed, ${open}px open`);
  assert.ok(requests.includes(`${server.base}/group/project/-/merge_requests/1.diff`));
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.screenshot({ path: join(SCREENSHOTS, "extension-gitlab.png") });
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.base)), [], "no request beyond the page's origin");
  assert.deepEqual(errors, []);
  await page.close();
});

/** Which WebAssembly modules the extension's service worker has compiled since it started. */
async function workerLoaded() {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith("chrome-extension://")) ?? await context.waitForEvent("serviceworker");
  return worker.evaluate(() => globalThis.zerodownLoaded);
}

test("on a GitLab merge request with Rails migrations the Ruby module reviews them; it is fetched only for such a change", async () => {
  // A change without Ruby first: the lint module only.
  const sql = await reviewOn(`${server.base}/group/project/-/merge_requests/1`);
  await sql.page.close();
  assert.deepEqual(await workerLoaded(), { lint: true, ruby: false, schemaLoads: 1 });

  const { page, host, errors } = await reviewOn(`${server.base}/group/project/-/merge_requests/16`);
  assert.deepEqual(await paths(host), [
    "db/migrate/20240601120000_add_index_on_projects_name.rb checked",
    "db/post_migrate/20240602090000_remove_projects_legacy_token.rb checked",
    "db/structure.sql schema",
  ]);
  assert.deepEqual(await rules(host), ["add-index-non-concurrently 10", "drop-column 7"]);
  // The index shares its `up` with add_column: disable_ddl_transaction!
  // would take the transaction (and GitLab's lock retries) from it, so no
  // fix is suggested, and the help says why.
  const rails = host.locator('tr.zd-finding[data-rule="add-index-non-concurrently"]');
  assert.equal(await rails.locator(".zd-fix").count(), 0);
  assert.match(await rails.textContent(), /no automatic fix here: the migration does other things in its transaction/);
  assert.match(await host.locator("details.zd-review").getAttribute("aria-label"), /^zerodown: 1 error, 1 warning in 2 migrations$/);
  assert.equal((await workerLoaded()).ruby, true);
  // The target branch's schema, read once more: by the Ruby module (a handle cannot cross modules).
  assert.equal((await workerLoaded()).schemaLoads, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test("on a GitHub pull request the review reads the .diff (through the service worker, past its cross-origin redirect) and keeps its text inert", async () => {
  server.requests.length = 0;
  const { page, host, requests, errors } = await reviewOn(`${server.base}/owner/repo/pull/1/files`);
  assert.deepEqual(await paths(host), ["db/migrations/0042_orders_customer_fk.sql checked"]);
  assert.match(await host.locator(".zd-schema-missing").textContent(), /^Reviewed without a schema: on GitHub the schema is not fetched/);
  assert.deepEqual(await rules(host), ["add-foreign-key 3"]);
  assert.equal(await host.locator("tr.zd-line[data-line='1'] .zd-text").textContent(), '-- <img src=x onerror="window.__zdPwned=1"> orders belong to customers');
  assert.equal(await page.evaluate(() => document.querySelector("#zerodown-review").shadowRoot.querySelectorAll("img").length), 0);
  assert.equal(await page.evaluate(() => window.__zdPwned), undefined);
  assert.ok(await page.evaluate(() => document.querySelector("#zerodown-review").nextElementSibling.id === "files"));
  assert.deepEqual(server.requests.filter((r) => r.includes(".diff")), ["localhost /owner/repo/pull/1.diff", "127.0.0.1 /raw/owner/repo/pull/1.diff"]);
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.base)), [], "the page itself asks nothing beyond its origin");
  assert.deepEqual(errors, []);
  await page.close();
});

test("GitHub: from Conversation to Files changed by history.pushState there is one review, with files the page did not load checked and never clean", async () => {
  server.requests.length = 0;
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.base}/owner/repo/pull/2`);
  await page.waitForTimeout(1500);
  assert.equal(await page.locator("#zerodown-review").count(), 0, "no review on the Conversation tab");

  await page.click("#tab-files");
  assert.equal(new URL(page.url()).pathname, "/owner/repo/pull/2/files");
  const host = page.locator("#zerodown-review");
  await host.locator(".zd-file").first().waitFor({ state: "attached", timeout: 15000 });
  assert.deepEqual(await paths(host), [
    "db/migrate/20240601000000_add_index_to_orders_state.rb checked",
    "db/migrate/20240602000000_orders_state.sql checked",
    "db/migrate/20240603000000_orders_customer_index.sql checked",
    "db/structure.sql schema",
  ]);
  // The Rails migration, read by the Ruby module; only the changed statement
  // of the modified file; the index GitHub showed as "Load diff" is checked
  // from the diff; structure.sql is the schema.
  assert.deepEqual(await rules(host), ["add-index-non-concurrently 3", "add-column-required 4", "add-index-non-concurrently 2"]);
  assert.match(await host.locator("details.zd-review").getAttribute("aria-label"), /^zerodown: 3 errors in 3 migrations$/);
  await page.setViewportSize({ width: 1100, height: 420 });
  await page.screenshot({ path: join(SCREENSHOTS, "extension-github-collapsed.png") });

  // Away and back, by the tabs and by the browser's history: never two.
  const count = async () => {
    await page.waitForTimeout(1200);
    return page.locator("#zerodown-review").count();
  };
  await page.click("#tab-conversation");
  assert.equal(await count(), 0);
  await page.click("#tab-files");
  assert.equal(await count(), 1);
  await page.goBack();
  assert.equal(await count(), 0);
  await page.goForward();
  assert.equal(await count(), 1);
  await host.locator(".zd-file").first().waitFor({ state: "attached" });
  assert.ok(await page.evaluate(() => document.querySelector("#zerodown-review").nextElementSibling.id === "files"));
  assert.deepEqual(server.requests.filter((r) => r.includes(".diff")), ["localhost /owner/repo/pull/2.diff", "127.0.0.1 /raw/owner/repo/pull/2.diff"], "read once for the pull request");
  assert.deepEqual(errors, []);
  await page.close();
});

test("pages that are not merge requests are left alone", async () => {
  const page = await context.newPage();
  await page.goto(`${server.base}/widget/blank.html`);
  await page.waitForTimeout(500);
  assert.equal(await page.locator("#zerodown-review").count(), 0);
  await page.close();
});

test("GitLab: the target branch's db/structure.sql, read on the same origin, is the schema the review checks against", async () => {
  server.requests.length = 0;
  const { page, host, requests, errors } = await reviewOn(`${server.base}/rails/app/-/merge_requests/1`);
  // The column the post-deploy migration drops is not in the target branch's schema.
  assert.deepEqual((await rules(host)).slice(0, 3), ["add-index-non-concurrently 3", "add-column-required 4", "drop-column 2"]);
  const mismatch = host.locator('.zd-file[data-path$="drop_legacy_token.sql"] tr.zd-finding[data-rule="schema-mismatch"]');
  assert.equal(await mismatch.count(), 1);
  assert.match(await mismatch.locator(".zd-loc").textContent(), /^line 2,/);
  assert.match(await mismatch.locator(".zd-msg").textContent(), /legacy_token/);
  const note = host.locator(".zd-schema-info");
  assert.match(await note.textContent(), /Checked against the schema: 2 tables, 2 columns, 0 indexes\./);
  assert.match(await note.locator(".zd-schema-problems summary").textContent(), /^1 statement of the schema skipped$/);
  assert.match(await note.locator(".zd-schema-problems li").textContent(), /^db\/structure\.sql:8 \S/);
  assert.ok(server.requests.includes("localhost /api/v4/projects/rails%2Fapp/merge_requests/1"), server.requests.join("\n"));
  assert.ok(server.requests.includes("localhost /rails/app/-/raw/main/db/structure.sql"));
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.base)), [], "no request beyond the page's origin");
  assert.deepEqual(errors, []);
  await page.close();
});

test("GitLab: a project without db/structure.sql is reviewed without a schema, and the review says so", async () => {
  const { page, host, errors } = await reviewOn(`${server.base}/plain/app/-/merge_requests/1`);
  assert.deepEqual(await rules(host), ["add-index-non-concurrently 3", "add-column-required 4", "drop-column 2"]);
  assert.equal(await host.locator(".zd-schema-missing").textContent(), "Reviewed without a schema: main has no db/structure.sql");
  // The 404 of the raw file is the only error the page logs.
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await page.close();
});
