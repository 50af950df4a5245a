import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, browser, watchErrors, FIXTURES, SCREENSHOTS } from "./helpers.mjs";

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
