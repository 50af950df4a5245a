// <zerodown-review>'s `schema` property: the dump is read once per module
// with loadSchema, the diff is linted with the handle's lintDiff (so a
// typo'd column is a schema-mismatch), the review says what it was checked
// against and lists the skipped statements; setting it again re-reviews;
// without it, today's review.
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

const DUMP = `CREATE TABLE public.users (
    id bigint NOT NULL,
    email text
);
CREATE TABLE public.broken (id bigint,, oops);
CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);
`;
const DIFF = `diff --git a/db/migrate/20240101000000_default.sql b/db/migrate/20240101000000_default.sql
new file mode 100644
--- /dev/null
+++ b/db/migrate/20240101000000_default.sql
@@ -0,0 +1,2 @@
+SET lock_timeout = '1s';
+ALTER TABLE users ALTER COLUMN emial SET DEFAULT '';
diff --git a/db/structure.sql b/db/structure.sql
--- a/db/structure.sql
+++ b/db/structure.sql
@@ -1,3 +1,4 @@
 CREATE TABLE public.users (
     id bigint NOT NULL,
+    emial text,
     email text
`;

async function page() {
  const p = await chromium.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = watchErrors(p);
  await p.goto(`${server.base}/widget/blank.html`);
  await p.evaluate(() => import("/widget/zerodown-review.js"));
  return { page: p, errors };
}

/** Sets `props` on the page's <zerodown-review> (created on first use) and waits for the review it causes. */
function reviewWith(p, props) {
  return p.evaluate(async (props) => {
    let el = document.querySelector("zerodown-review");
    if (!el) {
      el = document.createElement("zerodown-review");
      document.body.append(el);
    }
    const done = new Promise((ok, no) => {
      el.addEventListener("zerodown-review", (e) => ok(e.detail.findings.map((f) => f.rule)), { once: true });
      el.addEventListener("zerodown-review-error", (e) => no(new Error(e.detail.message)), { once: true });
    });
    Object.assign(el, props);
    return done;
  }, props);
}

const shownRules = (p) => p.locator("zerodown-review tr.zd-finding").evaluateAll((trs) => trs.map((tr) => tr.dataset.rule));

test("with `schema` a typo'd column in a diff is a schema-mismatch; without it, it is not", async () => {
  const { page: p, errors } = await page();
  const without = await reviewWith(p, { diff: DIFF });
  assert.ok(!without.includes("schema-mismatch"), without.join(", "));
  assert.ok(!(await shownRules(p)).includes("schema-mismatch"));
  assert.equal(await p.locator("zerodown-review .zd-schema-info").count(), 0);

  const withSchema = await reviewWith(p, { schema: DUMP });
  assert.ok(withSchema.includes("schema-mismatch"), withSchema.join(", "));
  const row = p.locator('zerodown-review .zd-file[data-path$="_default.sql"] tr.zd-finding[data-rule="schema-mismatch"]');
  assert.match(await row.textContent(), /emial/);
  assert.match(await row.locator(".zd-loc").textContent(), /line 2\b/);
  // The dump in the diff is listed as a schema dump, not linted.
  assert.equal(await p.locator('zerodown-review .zd-file[data-path="db/structure.sql"]').getAttribute("data-status"), "schema");
  // What it was checked against, and the statement it skipped (line and reason).
  assert.match(await p.locator("zerodown-review .zd-schema-info").textContent(), /2 tables, 2 columns, 1 index\b/);
  await p.locator("zerodown-review .zd-schema-problems summary").click();
  const skipped = await p.locator("zerodown-review .zd-schema-problems li").allTextContents();
  assert.equal(skipped.length, 1);
  assert.match(skipped[0], /^db\/structure\.sql:5 \S/);
  await p.evaluate(AXE);
  assert.deepEqual(await p.evaluate(async () => (await window.axe.run(document.querySelector("zerodown-review"))).violations.map((v) => v.id)), []);

  // Another schema (the column exists): reviewed again, no mismatch. Then none: as before.
  const fixed = await reviewWith(p, { schema: DUMP.replace("email text", "email text,\n    emial text") });
  assert.ok(!fixed.includes("schema-mismatch"), fixed.join(", "));
  const none = await reviewWith(p, { schema: null });
  assert.deepEqual(none, without);
  assert.equal(await p.locator("zerodown-review .zd-schema-info").count(), 0);
  assert.deepEqual(errors, []);
  await p.close();
});

test("the schema is read once per module, not once per review", async () => {
  const { page: p, errors } = await page();
  // A linter that is the package's lint module, counting its loadSchema calls and frees.
  await p.evaluate(async () => {
    const m = await import("/pkg/web/zerodown.js");
    await m.default();
    window.__loads = 0;
    window.__frees = 0;
    const el = document.createElement("zerodown-review");
    el.linter = {
      lintDiff: m.lintDiff, lintFiles: m.lintFiles,
      loadSchema: (...a) => {
        window.__loads++;
        const handle = m.loadSchema(...a);
        const free = handle.free.bind(handle);
        handle.free = () => (window.__frees++, free());
        return handle;
      },
    };
    document.body.append(el);
  });
  assert.ok((await reviewWith(p, { diff: DIFF, schema: DUMP })).includes("schema-mismatch"));
  for (let i = 0; i < 3; i++) await reviewWith(p, { diff: `${DIFF}\n`.repeat(1), options: { phase: i % 2 ? "regular" : "post-deploy" } });
  assert.deepEqual(await p.evaluate(() => [window.__loads, window.__frees]), [1, 0]);
  await reviewWith(p, { schema: `${DUMP}\n` });
  assert.deepEqual(await p.evaluate(() => [window.__loads, window.__frees]), [2, 1]);
  assert.deepEqual(errors, []);
  await p.close();
});

test("a broken dump is reviewed with what could be read, its skipped statements listed, nothing thrown", async () => {
  const { page: p, errors } = await page();
  const rules = await reviewWith(p, { diff: DIFF, schema: "CREATE TABLE ((((;\nnot sql at all;\nCREATE TABLE public.users (id bigint);\n" });
  assert.ok(rules.includes("schema-mismatch"), rules.join(", "));
  assert.match(await p.locator("zerodown-review .zd-schema-problems summary").textContent(), /^\d+ statements? of the schema skipped$/);
  assert.deepEqual(errors, []);
  await p.close();
});

test("the demo page's schema field sets the property", async () => {
  const p = await chromium.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = watchErrors(p);
  await p.goto(`${server.base}/widget/`);
  await p.locator("zerodown-review .zd-file").first().waitFor();
  await p.fill("#diff", DIFF);
  await p.click("button[type=submit]");
  await p.locator('zerodown-review .zd-file[data-path$="_default.sql"]').waitFor();
  assert.equal(await p.locator('zerodown-review tr.zd-finding[data-rule="schema-mismatch"]').count(), 0);
  await p.fill("#schema", DUMP);
  await p.click("button[type=submit]");
  await p.locator('zerodown-review tr.zd-finding[data-rule="schema-mismatch"]').waitFor();
  assert.deepEqual(errors, []);
  await p.close();
});
