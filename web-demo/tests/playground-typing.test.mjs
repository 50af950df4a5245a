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

test("a lint after a keystroke keeps the finding rows and the detail it did not change", async () => {
  const { page, errors } = await open();
  // Tag every row and the detail pane: a row the next lint rebuilds loses its tag.
  await page.evaluate(() => {
    for (const li of document.querySelectorAll("#findings > li")) li.dataset.kept = "1";
    document.querySelector("#detail h3").dataset.kept = "1";
    window.__lints = document.querySelectorAll("#summary .pill").length;
  });
  const rows = await page.evaluate(() => document.querySelectorAll("#findings > li").length);
  assert.ok(rows >= 200, `rows listed: ${rows}`);
  // A comment typed at the end of the file changes no listed finding.
  await page.evaluate(() => {
    const area = document.querySelector(".input");
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    window.__before = document.querySelector("#findings > li .loc").textContent;
    document.documentElement.removeAttribute("data-linted-again");
    const summary = document.querySelector("#summary");
    new MutationObserver(() => document.documentElement.setAttribute("data-linted-again", "1")).observe(summary, { childList: true, subtree: true });
  });
  await page.keyboard.type("-- note");
  await page.waitForSelector("html[data-linted-again]", { timeout: 60_000 });
  const kept = await page.evaluate(() => ({
    rows: document.querySelectorAll("#findings > li").length,
    kept: document.querySelectorAll("#findings > li[data-kept]").length,
    detail: document.querySelector("#detail h3")?.dataset.kept === "1",
  }));
  // "Show more" is the one row drawn again (its count may change).
  assert.ok(kept.kept >= kept.rows - 1, JSON.stringify(kept));
  assert.ok(kept.detail, "the detail of the selected finding is kept");

  // A statement inserted at the top moves every finding down a line: every row is drawn again.
  await page.evaluate(() => {
    const area = document.querySelector(".input");
    area.setSelectionRange(0, 0);
    document.documentElement.removeAttribute("data-linted-again");
  });
  const first = await page.evaluate(() => Number(/line (\d+)/.exec(document.querySelector("#findings > li .loc").textContent)[1]));
  await page.keyboard.type("SELECT 1;\n");
  await page.waitForFunction((n) => document.querySelector("#findings > li .loc")?.textContent.startsWith(`line ${n}:`), first + 1, { timeout: 60_000 });
  const redrawn = await page.evaluate(() => document.querySelectorAll("#findings > li[data-kept]").length);
  assert.equal(redrawn, 0, "rows whose line changed are drawn again");
  assert.deepEqual(errors, []);
  await page.close();
});
