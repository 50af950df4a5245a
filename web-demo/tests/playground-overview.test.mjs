// A plan's overview (lib/timeline.js renderPlan, shared with the widget):
// every step in order, with its release and phase, each a button to its step.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve, browser, watchErrors, ROOT, SCREENSHOTS } from "./helpers.mjs";

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

const PHASE_LABELS = { regular: "Migration", application: "Application code", "post-deploy": "Post-deploy migration", background: "Background migration" };

for (const [name, viewport] of [["desktop", { width: 1360, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
  test(`a rename plan opens with an overview of its steps, each bringing its step into view (${name})`, async () => {
    const change = { kind: "rename-column", table: "projects", column: "title", newName: "name" };
    const page = await chromium.newPage({ viewport });
    const errors = watchErrors(page);
    await page.goto(`${server.base}/playground/#${new URLSearchParams({ sql: "SELECT 1;\n", release: "17.2", change: JSON.stringify(change) })}`);
    const plan = page.locator("#change-plan .zd-plan");
    await plan.locator(".zd-timeline").waitFor();
    const expected = zerodown.plan(change, { release: "17.2", pgVersion: 16, framework: "plain" });
    const steps = expected.releases.flatMap((r) => r.steps.map((s) => ({ version: r.version, phase: PHASE_LABELS[s.phase], title: s.title.replaceAll("`", "") })));
    assert.ok(steps.length >= 6, `a rename plan has many steps (${steps.length})`);

    // The overview comes before the timeline and lists every step in order.
    const overview = plan.locator("nav.zd-overview");
    assert.equal(await plan.evaluate((el) => el.querySelector("nav.zd-overview").nextElementSibling.matches(".zd-timeline")), true);
    const shown = await overview.locator(".zd-ov-release").evaluateAll((els) => els.flatMap((r) =>
      [...r.querySelectorAll(".zd-ov-step")].map((b) => ({
        version: r.querySelector(".zd-ov-version").textContent,
        phase: b.querySelector(".zd-ov-phase").textContent,
        title: b.querySelector(".zd-ov-title").textContent,
      }))));
    assert.deepEqual(shown, steps);
    const heights = await plan.evaluate((el) => ({
      overview: el.querySelector(".zd-overview").getBoundingClientRect().height,
      timeline: el.querySelector(".zd-timeline").getBoundingClientRect().height,
    }));
    assert.ok(heights.overview < heights.timeline / 2, `overview ${heights.overview}px, timeline ${heights.timeline}px`);
    if (name === "desktop") {
      // The overview and the top of the timeline.
      const box = await page.locator("#change-plan").boundingBox();
      const top = await page.evaluate(() => scrollY);
      await page.screenshot({ path: join(SCREENSHOTS, "plan-timeline-overview.png"), fullPage: true,
        clip: { x: box.x, y: box.y + top, width: box.width, height: Math.min(box.height, 560) } });
    }

    // The last step's line brings the last step into view and focuses it.
    const last = steps.length - 1;
    await overview.locator(".zd-ov-step").nth(last).click();
    const target = plan.locator(".zd-timeline .zd-step").nth(last);
    await page.waitForFunction((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < innerHeight && r.left >= 0 && r.left < innerWidth && document.activeElement === el;
    }, await target.elementHandle());
    assert.equal(await target.locator("h5").textContent(), steps[last].title);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= viewport.width);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
