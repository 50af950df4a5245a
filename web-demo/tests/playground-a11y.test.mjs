// Accessibility of the playground: axe-core (node_modules/axe-core) finds no
// violation on a loaded page with findings, a plan timeline, the rule docs
// and the plan form; focus is visible on every control reached by Tab (the
// editor's ring is not clipped); inputs are 16 px on a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, browser, watchErrors, DEMO } from "./helpers.mjs";

const AXE = readFileSync(join(DEMO, "node_modules", "axe-core", "axe.min.js"), "utf8");
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

const DESKTOP = { width: 1360, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The playground with findings, the selected finding's plan, its rule docs open and a planned change. */
async function loaded(viewport) {
  const page = await chromium.newPage({ viewport });
  const errors = watchErrors(page);
  const sql = "-- Two steps\nALTER TABLE users DROP COLUMN updated_at;\nCREATE INDEX i ON users (email);\nALTER TABLE users ADD COLUMN plan_id bigint NOT NULL;\n";
  const change = JSON.stringify({ kind: "rename-column", table: "projects", column: "title", newName: "name" });
  await page.goto(`${server.base}/playground/#${new URLSearchParams({ sql, release: "12.5", change })}`);
  await page.waitForSelector("html[data-linted]");
  await page.locator("#finding-plan .zd-timeline").waitFor();
  await page.locator("#change-plan .zd-timeline").waitFor();
  await page.click("#detail details.doc summary");
  await page.waitForFunction(() => /Why it causes downtime/.test(document.querySelector("#detail .doc").textContent));
  // A warning finding selected too, so its label is on screen.
  return { page, errors };
}

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document);
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1] ?? ""}`) }));
  });
}

for (const [name, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`axe finds no violation on the playground (${name})`, async (t) => {
    const { page, errors } = await loaded(viewport);
    const violations = await axe(page);
    for (const v of violations) t.diagnostic(`${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.join("\n  ")}`);
    assert.deepEqual(violations.map((v) => v.id), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the editor shows a focus ring that nothing clips", async () => {
  const { page } = await loaded(DESKTOP);
  await page.focus(".input");
  const ring = await page.evaluate(() => {
    const area = document.querySelector(".input");
    // The ring is drawn by the textarea or the editor around it.
    const holder = [area, area.closest(".editor")].find((el) => {
      const s = getComputedStyle(el);
      return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
    });
    if (!holder) return null;
    // Nothing between the ring and the page clips it.
    const clipped = [];
    for (let el = holder.parentElement; el && el !== document.body; el = el.parentElement) {
      const s = getComputedStyle(el);
      if (s.overflowX !== "visible" || s.overflowY !== "visible") clipped.push(el.className);
    }
    if (getComputedStyle(holder).overflow !== "visible" && holder === area) clipped.push("itself");
    return { holder: holder.className, clipped };
  });
  assert.ok(ring, "a focused editor has a visible ring");
  assert.deepEqual(ring.clipped, [], `ring on .${ring.holder}`);
  await page.close();
});

test("every control reached with Tab shows where the focus is", async () => {
  const { page } = await loaded(DESKTOP);
  await page.focus("#examples");
  const seen = [];
  for (let i = 0; i < 80; i++) {
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const ringed = [el, el.closest(".editor")].filter(Boolean).some((x) => {
        const s = getComputedStyle(x);
        return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
      });
      return { what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}`, ringed };
    });
    if (info) seen.push(info);
    await page.keyboard.press("Tab");
  }
  const bare = seen.filter((s) => !s.ringed).map((s) => s.what);
  assert.ok(seen.length >= 40, `${seen.length} stops`);
  assert.deepEqual([...new Set(bare)], [], "focused without a visible ring");
  await page.close();
});

test("on a phone every input, select and textarea is at least 16 px (no zoom on focus)", async () => {
  const { page } = await loaded(PHONE);
  const small = await page.evaluate(() => [...document.querySelectorAll("input, select, textarea")]
    .map((el) => ({ what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}[name=${el.name}]`, size: parseFloat(getComputedStyle(el).fontSize) }))
    .filter((x) => x.size < 16));
  assert.deepEqual(small, []);
  await page.close();
});
