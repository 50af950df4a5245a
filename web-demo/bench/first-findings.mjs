#!/usr/bin/env node
// Time from navigation to the first findings on screen in the playground, for
// a sample migration, in headless Chromium: median of several loads, each in a
// fresh browser context (nothing cached). Needs the built package (pkg/).
//   node web-demo/bench/first-findings.mjs [loads=9] [--phone]
// --phone: as on a slow phone: network at 1.6 Mbit/s down, 750 kbit/s up,
// 150 ms round trip, and the CPU slowed down 4 times (Chromium's emulation).
import { startServer } from "../serve.mjs";
import { browser } from "../tests/helpers.mjs";

const args = process.argv.slice(2);
const PHONE = args.includes("--phone");
const LOADS = Number(args.find((a) => /^\d+$/.test(a)) ?? 9);
const SAMPLE = `-- A typical release: a table, an index, a column, a backfill and a foreign key.
SET lock_timeout = '1s';
CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id bigint NOT NULL,
  author_id bigint,
  action text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX index_audit_events_on_project_id ON audit_events (project_id);
CREATE INDEX index_users_on_email ON users (email);
ALTER TABLE users ADD COLUMN plan_id bigint NOT NULL;
ALTER TABLE projects RENAME COLUMN title TO name;
UPDATE users SET state = 'active' WHERE state IS NULL;
ALTER TABLE issues ADD CONSTRAINT fk_issues_project FOREIGN KEY (project_id) REFERENCES projects (id);
ALTER TABLE merge_requests ALTER COLUMN author_id SET NOT NULL;
ALTER TABLE users DROP COLUMN legacy_token;
`;

const server = await startServer();
const url = `http://localhost:${server.address().port}/playground/#${new URLSearchParams({ sql: SAMPLE, large: "users" })}`;
const chromium = await browser();
const times = [];
let findings = 0;
let modules = "";
for (let i = 0; i < LOADS; i++) {
  const context = await chromium.newContext();
  const page = await context.newPage();
  if (PHONE) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  }
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(new URL(r.url()).pathname));
  await page.goto(url);
  await page.waitForSelector("html[data-linted]", { timeout: 120_000 });
  const t = await page.evaluate(() => performance.getEntriesByName("zerodown:first-findings")[0].startTime);
  findings = await page.locator("#findings .finding").count();
  times.push(t);
  modules = wasm.join(", ");
  await context.close();
}
await chromium.close();
server.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`playground navigation to first findings${PHONE ? " (slow phone emulated)" : ""}: median ${median.toFixed(0)} ms over ${LOADS} loads ` +
  `(min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}; ${findings} findings, ${SAMPLE.split("\n").length - 1}-line migration; ` +
  `WebAssembly loaded: ${modules})`);
