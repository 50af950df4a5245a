// Typing in a long migration re-renders only what changed, and the marks
// stay on their lines through edits (timing itself is measured by
// bench/typing.mjs, not asserted here).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, browser, watchErrors } from "./helpers.mjs";
import { bigMigration } from "../bench/typing.mjs";

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

const SQL = bigMigration(5000);

async function open() {
  const page = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/#${new URLSearchParams({ sql: SQL })}`);
  await page.waitForSelector("html[data-linted]", { timeout: 60_000 });
  return { page, errors };
}

/** Counts the elements added to and removed from the layer and the gutter. */
async function watchDom(page) {
  await page.evaluate(() => {
    window.__nodes = 0;
    const count = (nodes) => [...nodes].reduce((n, el) => n + (el.nodeType === 1 ? 1 + el.querySelectorAll("*").length : 0), 0);
    window.__observer = new MutationObserver((records) => {
      for (const r of records) window.__nodes += count(r.addedNodes) + count(r.removedNodes);
    });
    for (const el of [document.querySelector(".layer"), document.querySelector(".gutter")]) {
      window.__observer.observe(el, { childList: true, subtree: true });
    }
  });
}

/**
 * For each mark drawn and not stale, the line the finding list gives and
 * the gutter line number drawn at the mark's height.
 */
function markLines(page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll(".gutter .ln")].map((r) => ({ top: r.getBoundingClientRect().top, n: Number(r.textContent) }));
    return [...document.querySelectorAll(".layer mark:not(.stale)")].map((m) => {
      const top = m.getBoundingClientRect().top;
      const row = rows.reduce((best, r) => (Math.abs(r.top - top) < Math.abs(best.top - top) ? r : best));
      const item = document.querySelector(`#findings .finding[data-index="${m.dataset.index}"] .loc`);
      return { index: m.dataset.index, gutter: Math.abs(row.top - top) < 4 ? row.n : null, listed: item ? Number(/line (\d+)/.exec(item.textContent)[1]) : null };
    });
  });
}

test("a keypress in a 5,000-line migration redraws a few lines, not every line and gutter row", async (t) => {
  const { page, errors } = await open();
  assert.equal(await page.evaluate(() => document.querySelector(".input").value.split("\n").length), 5001);
  // The caret at the end of line 40, which is in sight.
  await page.evaluate(() => {
    const area = document.querySelector(".input");
    let at = -1;
    for (let i = 0; i < 40; i++) at = area.value.indexOf("\n", at + 1);
    area.focus();
    area.setSelectionRange(at, at);
  });
  await page.keyboard.type("x"); // marks go stale on the first edit
  await page.waitForTimeout(50);
  await watchDom(page);
  await page.keyboard.type("y");
  const changed = await page.evaluate(() => window.__nodes);
  t.diagnostic(`elements added or removed by one keypress: ${changed}`);
  assert.ok(changed <= 20, `one keypress added or removed ${changed} elements in the editor`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("marks stay on their lines: carried through an edit, then where the new findings say", async () => {
  const { page, errors } = await open();
  const before = await markLines(page);
  assert.ok(before.length >= 5, `marks in sight: ${before.length}`);
  for (const m of before) assert.equal(m.gutter, m.listed, `mark ${m.index} is drawn on its finding's line`);

  // Three new lines at the top: until the linter answers, marks move down three lines.
  await page.evaluate(() => {
    const area = document.querySelector(".input");
    area.focus();
    area.setSelectionRange(0, 0);
  });
  await page.evaluate(() => (window.__stale = null));
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  const stale = await page.evaluate(() => {
    const rows = [...document.querySelectorAll(".gutter .ln")].map((r) => ({ top: r.getBoundingClientRect().top, n: Number(r.textContent) }));
    return [...document.querySelectorAll(".layer mark.stale")].slice(0, 5).map((m) => {
      const top = m.getBoundingClientRect().top;
      return { index: m.dataset.index, line: rows.find((r) => Math.abs(r.top - top) < 4)?.n };
    });
  });
  assert.ok(stale.length >= 1);
  for (const m of stale) {
    const was = before.find((b) => b.index === m.index);
    if (was) assert.equal(m.line, was.listed + 3, `stale mark ${m.index} carried down three lines`);
  }

  // After the new lint, every mark sits on its new finding's line.
  await page.waitForFunction(() => document.querySelector(".layer mark") && !document.querySelector(".layer mark.stale"), null, { timeout: 60_000 });
  const after = await markLines(page);
  assert.ok(after.length >= 5);
  for (const m of after) assert.equal(m.gutter, m.listed, `mark ${m.index} is drawn on its finding's line after the edit`);
  assert.deepEqual(after.map((m) => m.listed).slice(0, 3), before.map((m) => m.listed + 3).slice(0, 3));

  // Scrolled to the end: the marks there are drawn on their lines too.
  await page.evaluate(() => {
    const area = document.querySelector(".input");
    area.scrollTop = area.scrollHeight;
  });
  await page.waitForFunction(() => [...document.querySelectorAll(".gutter .ln")].some((r) => Number(r.textContent) > 4900));
  const end = await markLines(page);
  assert.ok(end.length >= 1 && end.every((m) => m.listed === null || m.gutter === m.listed), JSON.stringify(end.slice(0, 5)));
  assert.deepEqual(errors, []);
  await page.close();
});
