// The playground's schema pane: a dump pasted (or loaded from a file) is read
// once by loadSchema in the worker and every lint runs on it; the counts and
// the skipped statements show as data; an empty pane is no schema; the dump
// is never put in the link; Ruby mode reads it with the Ruby module's own
// loadSchema.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, browser, watchErrors, DEMO, SCREENSHOTS } from "./helpers.mjs";

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

// A dump with one statement the loader skips (line 5), and a migration with a typo'd column.
const DUMP = `CREATE TABLE public.users (
    id bigint NOT NULL,
    email text
);
CREATE TABLE public.broken (id bigint,, oops);
CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);
`;
const TYPO = "SET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN emial SET DEFAULT '';\n";

async function open(hash) {
  const context = await chromium.newContext({ viewport: { width: 1360, height: 900 } });
  const requested = [];
  context.on("request", (r) => requested.push(new URL(r.url()).pathname));
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/#${new URLSearchParams(hash)}`);
  await page.waitForSelector("html[data-linted]");
  return { context, page, errors, requested };
}

const rules = (page) => page.$$eval("#findings .finding", (els) => els.map((e) => e.dataset.rule));
const loads = (page) => page.$eval("#schema-pane", (el) => Number(el.dataset.schemaLoads));

test("a typo'd column is a schema-mismatch with the schema, not without; typing reuses the schema", async () => {
  const { context, page, errors } = await open({ sql: TYPO });
  await page.waitForSelector("#findings .finding");
  assert.ok(!(await rules(page)).includes("schema-mismatch"), "no schema: nothing knows the column is missing");
  assert.match(await page.textContent("#schema-info"), /No schema/);
  assert.equal(await loads(page), 0);

  await page.fill("#schema-text", DUMP);
  await page.waitForSelector('#findings .finding[data-rule="schema-mismatch"]');
  const finding = await page.textContent('#findings .finding[data-rule="schema-mismatch"]');
  assert.match(finding, /line 2:/);
  assert.match(finding, /emial/);
  assert.match(await page.textContent("#schema-counts"), /2 tables, 2 columns, 1 index\b/);
  // The skipped statement, as data: its line and reason.
  const skipped = await page.$$eval("#schema-problems li", (els) => els.map((e) => e.textContent));
  assert.equal(skipped.length, 1);
  assert.match(skipped[0], /^structure\.sql:5\S*\s*\S/);
  assert.equal(await loads(page), 1);
  // Only what is there: no stray text (an absent part drawn as "null").
  assert.deepEqual(await page.$eval("#schema-info", (el) => [...el.childNodes].filter((n) => n.nodeType !== 1).map((n) => n.textContent)), []);
  // The pane with its counts and skipped statements: no accessibility violation.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document.querySelector("#schema-pane"))).violations.map((v) => v.id));
  assert.deepEqual(violations, []);
  const bottom = await page.$eval("#schema-pane", (el) => el.getBoundingClientRect().bottom + window.scrollY + 12);
  await page.screenshot({ path: join(SCREENSHOTS, "playground-schema.png"), fullPage: true, clip: { x: 0, y: 0, width: 1360, height: bottom } });

  // Typing a second typo, key by key: each lint runs on the same handle.
  await page.focus(".input");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("ALTER TABLE users ALTER COLUMN nmae SET DEFAULT '';\n");
  await page.waitForFunction(() => document.querySelectorAll('#findings .finding[data-rule="schema-mismatch"]').length === 2);
  assert.equal(await loads(page), 1, "typing called loadSchema again");

  // The dump is not in the link.
  assert.ok(!decodeURIComponent(await page.evaluate(() => location.hash)).includes("public.users"));

  // Changing the dump reads it again (the old handle freed): the column now exists.
  await page.fill("#schema-text", DUMP.replace("email text", "email text,\n    emial text,\n    nmae text"));
  await page.waitForFunction(() => /4 columns/.test(document.querySelector("#schema-counts")?.textContent));
  await page.waitForFunction(() => !document.querySelector('#findings .finding[data-rule="schema-mismatch"]'));
  assert.equal(await loads(page), 2);

  // Cleared: no schema again.
  await page.click("#schema-clear");
  await page.waitForSelector("#schema-none");
  await page.fill("#schema-text", "");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a broken dump loaded from a file shows what was skipped and never throws", async () => {
  const { context, page, errors } = await open({ sql: TYPO });
  await page.setInputFiles("#schema-file", {
    name: "broken.sql", mimeType: "text/plain",
    buffer: Buffer.from("CREATE TABLE ((((;\nCREATE TABLE public.users (id bigint);\nnot sql at all \u202e;\nCREATE INDEX ON;\n"),
  });
  await page.waitForSelector("#schema-problems li");
  const skipped = await page.$$eval("#schema-problems li", (els) => els.map((e) => e.textContent));
  assert.ok(skipped.length >= 2, skipped.join("\n"));
  for (const s of skipped) assert.match(s, /^broken\.sql:\d+/);
  assert.match(await page.textContent("#schema-counts"), /1 table\b/);
  // A file is kept aside, not drawn in the text area (megabytes there block the page).
  assert.equal(await page.inputValue("#schema-text"), "");
  assert.match(await page.textContent("#schema-source"), /^From the file broken\.sql \(1 KB\)/);
  // The table it kept is used: `emial` is not a column of it.
  await page.waitForSelector('#findings .finding[data-rule="schema-mismatch"]');
  assert.equal(await page.locator("#status").isHidden(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("Ruby mode reads the schema with the Ruby module's own loadSchema, once", async () => {
  const RB = "class FixDefault < ActiveRecord::Migration[7.1]\n  def change\n    change_column_default :users, :emial, from: nil, to: \"\"\n  end\nend\n";
  const { context, page, errors, requested } = await open({ sql: RB, lang: "ruby" });
  await page.waitForSelector('#findings .finding[data-rule="change-column-default"]');
  assert.ok(!(await rules(page)).includes("schema-mismatch"));
  await page.fill("#schema-text", DUMP);
  await page.waitForSelector('#findings .finding[data-rule="schema-mismatch"]');
  assert.match(await page.textContent('#findings .finding[data-rule="schema-mismatch"]'), /line 3:/);
  assert.ok(requested.includes("/pkg/ruby/zerodown_bg.wasm"));
  assert.equal(await loads(page), 1, "read once, by the Ruby module");
  await page.focus(".input");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("# more\n");
  await page.waitForFunction(() => /# more/.test(new URLSearchParams(location.hash.slice(1)).get("sql")));
  assert.equal(await loads(page), 1, "typing called loadSchema again");
  // Back to SQL: the lint module reads it once too (a handle cannot cross modules).
  await page.selectOption("#opt-lang", "sql");
  await page.fill(".input", TYPO);
  await page.waitForFunction(() => document.querySelector('#findings .finding[data-rule="schema-mismatch"] .loc')?.textContent === "line 2:32");
  assert.equal(await loads(page), 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone the schema pane, with skipped statements listed, fits the screen", async () => {
  const page = await chromium.newPage({ viewport: { width: 390, height: 844 } });
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/#${new URLSearchParams({ sql: TYPO })}`);
  await page.waitForSelector("html[data-linted]");
  await page.setInputFiles("#schema-file", { name: "a-rather-long-name-for-a-structure-dump.sql", mimeType: "text/plain", buffer: Buffer.from(DUMP) });
  await page.waitForSelector("#schema-problems li");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, "no horizontal scrolling");
  assert.deepEqual(errors, []);
  await page.close();
});
