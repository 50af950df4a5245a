#!/usr/bin/env node
// Typing latency in the playground editor with a 5,000-line migration, in
// headless Chromium: for each keypress, the time from the key event to the
// end of the next frame (the frame that shows the typed character and the
// marks). Prints the median and the 95th percentile. Needs the built
// package (pkg/).
//   node web-demo/bench/typing.mjs [keys=60] [delay-ms=50]
// With the default delay (50 ms between keys, under the linter's 120 ms
// pause) the linter runs after the burst; with a delay over 120 ms it runs,
// and its findings are drawn, between keys.
import { startServer } from "../serve.mjs";
import { browser } from "../tests/helpers.mjs";

const KEYS = Number(process.argv[2] ?? 60);
const DELAY = Number(process.argv[3] ?? 50);
const LINES = 5000;

/** A 5,000-line migration: tables, indexes, columns, backfills, constraints (many findings). */
export function bigMigration(lines = LINES) {
  const out = ["-- A long migration for the typing benchmark.", "SET lock_timeout = '1s';"];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `CREATE TABLE audit_events_${i} (`,
      "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,",
      "  project_id bigint NOT NULL,",
      "  action text NOT NULL,",
      "  created_at timestamptz NOT NULL DEFAULT now()",
      ");",
      `CREATE INDEX index_users_on_email_${i} ON users (email);`,
      `ALTER TABLE users ADD COLUMN plan_${i} bigint NOT NULL;`,
      `UPDATE users SET state = 'active' WHERE state IS NULL AND id < ${i};`,
      `ALTER TABLE issues ADD CONSTRAINT fk_issues_project_${i} FOREIGN KEY (project_id) REFERENCES projects (id);`,
      `ALTER TABLE merge_requests ALTER COLUMN author_${i} SET NOT NULL;`,
      "",
    );
  }
  return out.slice(0, lines).join("\n") + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sql = bigMigration();
  const server = await startServer();
  const chromium = await browser();
  const page = await chromium.newPage({ viewport: { width: 1360, height: 900 } });
  await page.goto(`http://localhost:${server.address().port}/playground/#${new URLSearchParams({ sql, large: "users" })}`);
  await page.waitForSelector("html[data-linted]", { timeout: 120_000 });
  const findings = await page.evaluate(() =>
    [...document.querySelectorAll("#summary .pill")].reduce((n, pill) => n + (parseInt(pill.textContent, 10) || 0), 0));
  // The caret in the middle of the text, at the end of a line.
  await page.evaluate(() => {
    const area = document.querySelector(".input");
    const at = area.value.indexOf("\n", Math.floor(area.value.length / 2));
    area.focus();
    area.setSelectionRange(at, at);
    window.__latencies = [];
    const channel = new MessageChannel();
    let pending = [];
    channel.port1.onmessage = () => {
      const now = performance.now();
      for (const t0 of pending) window.__latencies.push(now - t0);
      pending = [];
    };
    area.addEventListener("keydown", (e) => {
      const t0 = e.timeStamp;
      // The next frame runs after the input handlers; the message after it
      // runs once that frame's style, layout and paint are done.
      requestAnimationFrame(() => {
        pending.push(t0);
        channel.port2.postMessage(0);
      });
    }, true);
  });
  const text = " -- typed";
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.type(text[i % text.length]);
    await page.waitForTimeout(DELAY);
  }
  await page.waitForFunction((n) => window.__latencies.length >= n, KEYS);
  const raw = await page.evaluate(() => window.__latencies);
  if (process.env.BENCH_VERBOSE) console.log(raw.map((t) => t.toFixed(0)).join(" "));
  const times = [...raw].sort((a, b) => a - b);
  await chromium.close();
  server.close();
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)];
  console.log(`typing in a ${LINES}-line migration (${findings} findings): median ${median.toFixed(1)} ms, ` +
    `p95 ${p95.toFixed(1)} ms per keypress, key event to the next frame (${KEYS} keys, ${DELAY} ms apart; max ${times.at(-1).toFixed(1)})`);
}
