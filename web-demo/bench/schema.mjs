#!/usr/bin/env node
// The playground's schema pane in headless Chromium, with a large dump
// (default: GitLab's db/structure.sql from the shared corpus):
//   - load: from the file input's change event to the counts on screen
//     (file.text(), the message to the worker, loadSchema, the pane drawn);
//   - lint: round trips of a 200-line migration through the playground's own
//     worker (the message the page sends), with the schema and without it.
// Prints medians. Needs the built package (pkg/).
//   node web-demo/bench/schema.mjs [dump=/work/shared/corpus/gitlab/structure.sql] [lints=30]
import { readFileSync } from "node:fs";
import { startServer } from "../serve.mjs";
import { browser } from "../tests/helpers.mjs";
import { bigMigration } from "./typing.mjs";

const DUMP = process.argv[2] ?? "/work/shared/corpus/gitlab/structure.sql";
const LINTS = Number(process.argv[3] ?? 30);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const chromium = await browser();
const page = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
await page.goto(`http://localhost:${server.address().port}/playground/`);
await page.waitForSelector("html[data-linted]", { timeout: 120_000 });

/** `n` lint round trips of `sql` through the playground's worker: milliseconds each. */
const lints = (sql, n) => page.evaluate(async ({ sql, n }) => {
  const { worker } = window.zerodownBoot;
  const times = [];
  for (let i = 0; i < n; i++) {
    const id = 1e9 + i;
    const t0 = performance.now();
    await new Promise((ok) => {
      const on = ({ data }) => {
        if (data.id !== id) return;
        worker.removeEventListener("message", on);
        ok();
      };
      worker.addEventListener("message", on);
      worker.postMessage({ id, type: "lint", sql, options: { phase: "regular", pgVersion: 16, plans: true }, path: "migration.sql" });
    });
    times.push(performance.now() - t0);
  }
  return times;
}, { sql, n });

const sql = bigMigration(200);
await lints(sql, LINTS); // warm-up: V8 tiers the module up
const without = await lints(sql, LINTS);

const text = readFileSync(DUMP);
await page.evaluate(() => {
  document.querySelector("#schema-file").addEventListener("change", () => (window.__t0 = performance.now()), { capture: true });
  new MutationObserver(() => {
    if (document.querySelector("#schema-counts") && !window.__t1) window.__t1 = performance.now();
  }).observe(document.querySelector("#schema-info"), { childList: true, subtree: true });
});
/** Chooses `buffer` as the schema file: milliseconds until its counts are on screen. */
async function load(buffer) {
  await page.evaluate(() => {
    window.__t1 = 0;
    document.querySelector("#schema-info").replaceChildren();
  });
  await page.setInputFiles("#schema-file", { name: "structure.sql", mimeType: "text/plain", buffer });
  await page.waitForSelector("#schema-counts", { timeout: 120_000 });
  return page.evaluate(() => window.__t1 - window.__t0);
}
const first = await load(text);
const firstText = await page.textContent("#schema-counts");
// The same dump changed by one line: read again (the first handle freed), the parser's code now compiled.
const again = await load(Buffer.concat([text, Buffer.from("\n-- changed\n")]));
const counts = await page.textContent("#schema-counts");
const skipped = await page.locator("#schema-problems li").count();
const withSchema = await lints(sql, LINTS);
await page.evaluate(() => {
  document.querySelector("#schema-clear").click();
});
await page.waitForSelector("#schema-none");
const withoutAgain = await lints(sql, LINTS);
const loads = await page.$eval("#schema-pane", (el) => el.dataset.schemaLoads);

console.log(`dump: ${DUMP} (${(text.length / 1048576).toFixed(1)} MB): ${counts} ${skipped} skipped`);
console.log(`load (file chosen -> counts on screen): ${first.toFixed(0)} ms the first time (${/in (\d+) ms/.exec(firstText)[1]} ms of it loadSchema), ` +
  `${again.toFixed(0)} ms the second (${/in (\d+) ms/.exec(counts)[1]} ms loadSchema)`);
console.log(`lint round trip, 200 lines, median of ${LINTS}: ${median(without).toFixed(2)} ms without the schema, ` +
  `${median(withSchema).toFixed(2)} ms with it, ${median(withoutAgain).toFixed(2)} ms without it again (loadSchema calls: ${loads})`);
await chromium.close();
server.close();
