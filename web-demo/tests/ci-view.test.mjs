// The CI reports as a reviewer sees them (ci-view/): the Code Quality and
// SARIF output of the package for the widget's example diff, rendered entry
// for entry, inert on hostile text, axe-clean; the screenshots in docs/ci.md.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { format, lintDiff } from "zerodown";
import { serve, browser, watchErrors, DEMO, SCREENSHOTS } from "./helpers.mjs";

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

test("the example diff's Code Quality and SARIF reports, entry for entry", async () => {
  const report = lintDiff(readFileSync(join(DEMO, "widget/example.diff"), "utf8"), {});
  const cq = JSON.parse(format(report, "gitlab"));
  const sarif = JSON.parse(format(report, "sarif"));
  assert.ok(cq.length >= 3, `findings: ${cq.length}`);
  const page = await chromium.newPage({ viewport: { width: 1000, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/ci-view/`);
  await page.waitForSelector("html[data-shown]");
  const shownCq = await page.locator(".cq-item").evaluateAll((els) => els.map((e) => e.dataset.fingerprint));
  assert.deepEqual([...shownCq].sort(), cq.map((e) => e.fingerprint).sort());
  const severities = await page.locator(".cq-item .sev").allTextContents();
  const order = ["blocker", "critical", "major", "minor", "info"];
  assert.deepEqual(severities, [...severities].sort((a, b) => order.indexOf(a) - order.indexOf(b)), "worst first");
  const rules = await page.locator(".sarif-item").evaluateAll((els) => els.map((e) => e.dataset.rule));
  assert.deepEqual(rules, sarif.runs[0].results.map((r) => r.ruleId));
  const link = page.locator(".sarif-item .rule a").first();
  assert.match(await link.getAttribute("href"), /\/docs\/rules\/[a-z-]+\.md$/);
  await page.screenshot({ path: join(SCREENSHOTS, "ci-reports.png"), fullPage: true });
  await page.evaluate(readFileSync(join(DEMO, "node_modules", "axe-core", "axe.min.js"), "utf8"));
  const axe = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  assert.deepEqual(axe.violations.map((v) => v.id), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("report text stays text", async () => {
  const page = await chromium.newPage();
  await page.goto(`${server.base}/ci-view/?empty`);
  const imgs = await page.evaluate(() => {
    window.zerodownCiView.show({
      codeQuality: [{ description: "<img src=x onerror=window.__pwned=1>", check_name: "<b>x</b>", fingerprint: "f", severity: "major", location: { path: "<i>p</i>", lines: { begin: 1 } } }],
      sarif: { runs: [{ tool: { driver: { name: "zerodown", rules: [] } }, results: [{ ruleId: "<b>r</b>", level: "error", message: { text: "<script>window.__pwned=2</script>" }, locations: [] }] }] },
    });
    return document.querySelectorAll("main img, main b, main i, main script").length;
  });
  assert.equal(imgs, 0);
  assert.match(await page.locator(".cq-item .text").textContent(), /<img src=x onerror/);
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
  await page.close();
});
