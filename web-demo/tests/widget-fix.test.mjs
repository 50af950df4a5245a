// The widget's suggested changes: a finding's fix as the ```suggestion block
// of the fixed lines that GitLab and GitHub apply from a review comment,
// "Copy suggestion" putting exactly that block on the clipboard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, browser, watchErrors } from "./helpers.mjs";

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

/** A page holding one <zerodown-review> given `diff`; resolves once it has rendered a report. */
async function review(diff) {
  const page = await chromium.newPage({ viewport: { width: 1100, height: 900 } });
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const errors = watchErrors(page);
  await page.goto(`${server.base}/widget/blank.html`);
  await page.evaluate(async (text) => {
    await import("/widget/zerodown-review.js");
    const el = document.createElement("zerodown-review");
    const done = new Promise((ok) => el.addEventListener("zerodown-review", (e) => ok(e.detail), { once: true }));
    el.setAttribute("diff", text);
    document.body.append(el);
    window.__report = await done;
  }, diff);
  return { page, errors };
}

/** A diff adding `path` with `lines`. */
function added(path, lines) {
  return [`diff --git a/${path} b/${path}`, "new file mode 100644", "index 0000000..1111111", "--- /dev/null", `+++ b/${path}`,
    `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ""].join("\n");
}

const row = (page, rule) => page.locator(`zerodown-review tr.zd-finding[data-rule="${rule}"]`);

/** Clicks "Copy suggestion" in `r` and waits until the clipboard holds `text` (the copy is asynchronous). */
async function copied(page, r, text) {
  await r.locator(".zd-copy-suggestion").click();
  await page.waitForFunction((want) => navigator.clipboard.readText().then((got) => got === want), text, { timeout: 5000 });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
}

test("a fixable finding shows its fix as a ```suggestion block of the fixed line; Copy suggestion copies exactly that block", async () => {
  const diff = added("db/migrate/20240601000000_add_index.sql", [
    "-- Index users by email",
    "CREATE INDEX idx ON users (email);",
    "ALTER TABLE users DROP COLUMN legacy_token;",
  ]);
  const { page, errors } = await review(diff);
  const index = row(page, "add-index-non-concurrently");
  assert.equal(await index.locator(".zd-fix-title").textContent(), "Build the index CONCURRENTLY");
  const block = "```suggestion\nCREATE INDEX CONCURRENTLY idx ON users (email);\n```";
  assert.equal(await index.locator("pre.zd-suggestion").textContent(), block);
  assert.match(await index.locator(".zd-fix-where").textContent(), /Suggested change for line 2:/);
  const button = page.getByRole("button", { name: "Copy suggestion: Build the index CONCURRENTLY (add-index-non-concurrently, line 2)" });
  assert.equal(await button.count(), 1);
  await copied(page, index, block);
  // A finding without a fix shows no suggestion.
  const drop = row(page, "drop-column");
  assert.equal(await drop.count(), 1);
  const report = await page.evaluate(() => window.__report);
  assert.equal(report.findings.find((f) => f.rule === "drop-column").fix, undefined);
  assert.equal(await drop.locator(".zd-fix, .zd-suggestion, .zd-copy-suggestion").count(), 0);
  // Exactly the findings with a fix have a suggestion.
  const shown = await page.locator("zerodown-review tr.zd-finding").evaluateAll((trs) => trs.map((tr) => Boolean(tr.querySelector(".zd-suggestion"))));
  assert.deepEqual(shown, report.findings.map((f) => Boolean(f.fix)));
  assert.deepEqual(errors, []);
  await page.close();
});

test("in a modified file the suggestion holds the file's own lines (the diff's hunk, not its offsets), several when the fix adds some", async () => {
  const path = "db/migrate/20240601000000_orders.sql";
  // Lines 1-9 are not in the diff; the hunk shows 10-11 and adds 12-13.
  const diff = [
    `diff --git a/${path} b/${path}`, "index 1111111..2222222 100644", `--- a/${path}`, `+++ b/${path}`,
    "@@ -10,2 +10,4 @@",
    " -- Ünïcödé 🐘 context",
    " SELECT 1;",
    "+ALTER TABLE orders ADD CONSTRAINT orders_user_fk",
    "+  FOREIGN KEY (user_id) REFERENCES users (id);",
    "",
  ].join("\n");
  const { page, errors } = await review(diff);
  const fk = row(page, "add-foreign-key");
  const report = await page.evaluate(() => window.__report);
  const finding = report.findings.find((f) => f.rule === "add-foreign-key");
  assert.ok(finding?.fix, "the finding carries a fix");
  assert.equal(finding.statement.start.line, 12);
  const lines = await fk.locator("pre.zd-suggestion").textContent();
  assert.equal(lines, [
    "```suggestion",
    "ALTER TABLE orders ADD CONSTRAINT orders_user_fk",
    "  FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
    "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;",
    "```",
  ].join("\n"));
  assert.match(await fk.locator(".zd-fix-where").textContent(), /lines 12–13: .*on GitLab, comment on line 12 and make the fence suggestion:-0\+1/);
  await copied(page, fk, lines);
  assert.deepEqual(errors, []);
  await page.close();
});

test("hostile SQL in a suggestion stays text, and its fence is longer than the backticks in it", async () => {
  const statement = 'CREATE INDEX "</code><img src=x onerror=window.__zdPwned=1>" ON users (email); -- ``` and ````';
  const diff = added("db/migrate/20240601000000_hostile.sql", [statement, "-- </pre><script>window.__zdPwned = 2</script>"]);
  const { page, errors } = await review(diff);
  const index = row(page, "add-index-non-concurrently");
  const block = [
    "`````suggestion",
    'CREATE INDEX CONCURRENTLY "</code><img src=x onerror=window.__zdPwned=1>" ON users (email); -- ``` and ````',
    "`````",
  ].join("\n");
  assert.equal(await index.locator("pre.zd-suggestion").textContent(), block);
  await copied(page, index, block);
  await page.waitForTimeout(300); // give any handler a chance to run
  const result = await page.evaluate(() => {
    const root = document.querySelector("zerodown-review").shadowRoot;
    return {
      pwned: window.__zdPwned ?? null,
      imgs: root.querySelectorAll("img").length + document.querySelectorAll("img").length,
      scripts: root.querySelectorAll("script").length,
      codes: root.querySelectorAll(".zd-suggestion code").length,
    };
  });
  assert.deepEqual(result, { pwned: null, imgs: 0, scripts: 0, codes: 1 });
  assert.deepEqual(errors, []);
  await page.close();
});
