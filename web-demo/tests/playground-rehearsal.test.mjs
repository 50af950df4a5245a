// The playground's rehearsal pane: a report of `zerodown rehearse --format
// json` (tests/fixtures/rehearsal.json: a failed step with workload errors,
// locks, a rewritten table and a stall chart, and where it stopped with its
// rollback) pasted, drawn as its verdict and a row per step with stall bars,
// next to the package's formatRehearsal text; hostile strings stay text;
// invalid JSON is an error with its line and column, a wrong shape the full
// module's error with its code; the page keeps working after either.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, browser, watchErrors, DEMO, FIXTURES, ROOT } from "./helpers.mjs";

const zerodown = await import(join(ROOT, "pkg", "node", "index.mjs"));
const AXE = readFileSync(join(DEMO, "node_modules", "axe-core", "axe.min.js"), "utf8");
const TEXT = readFileSync(join(FIXTURES, "rehearsal.json"), "utf8");
const REPORT = JSON.parse(TEXT);
const copy = () => structuredClone(REPORT);

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

async function open(viewport = { width: 1360, height: 900 }) {
  const context = await chromium.newContext({ viewport });
  const requested = [];
  context.on("request", (r) => requested.push(new URL(r.url()).pathname));
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.base}/playground/`);
  await page.waitForSelector("html[data-linted]");
  return { context, page, errors, requested };
}

/** Pastes `text` into the pane and waits until it is drawn (its verdict, or its error). */
async function paste(page, text) {
  const before = await page.getAttribute("#rehearsal", "data-shown");
  await page.fill("#rehearsal-json", text);
  await page.waitForFunction((b) => document.querySelector("#rehearsal").dataset.shown !== b, before);
}

/** Each step row: its cells as read on screen (the phase as written: the page shows it in capitals). */
const rows = (page) => page.$$eval("#rehearsal-steps tbody tr", (trs) => trs.map((tr) => ({
  index: tr.dataset.index,
  outcome: tr.dataset.outcome,
  cells: [...tr.cells].map((c, i) => (i === 1 ? c.textContent : c.innerText).replace(/\s+/g, " ").trim()),
})));

test("a pasted report: the verdict, a row per step with its figures and stall bars, where it stopped, the core's text", async () => {
  const { context, page, errors, requested } = await open();
  assert.match(await page.textContent("#rehearsal-none"), /No report/);
  assert.ok(!requested.includes("/pkg/full/zerodown_bg.wasm"), "the full module waits for the pane");
  await paste(page, TEXT);
  assert.ok(requested.includes("/pkg/full/zerodown_bg.wasm"));

  // The verdict: FAIL, with the figures and every reason.
  assert.equal(await page.getAttribute("#rehearsal-verdict", "data-pass"), "false");
  assert.equal(await page.textContent("#rehearsal-verdict .rh-mark"), "FAIL");
  const headline = await page.textContent("#rehearsal-verdict .rh-headline");
  assert.match(headline, /4 steps, 2 applied, 1 failed, 1 not run/);
  assert.match(headline, /slowest query 2140 ms, 12 workload errors/);
  assert.match(headline, /budget: no query over 1000 ms, at most 0 workload errors/);
  assert.deepEqual(await page.$$eval("#rehearsal-reasons li", (els) => els.map((e) => e.textContent)), REPORT.verdict.reasons);
  // In the live region, so a screen reader hears it.
  assert.equal(await page.getAttribute("#rehearsal-result", "aria-live"), "polite");

  // A row per step: index, phase, title, outcome, duration, p99, max, lock wait, errors, rewrites, locks.
  const steps = await rows(page);
  assert.deepEqual(steps.map((s) => [s.index, s.outcome]), [["1", "applied"], ["2", "applied"], ["3", "failed"], ["4", "not-run"]]);
  const [first, deploy, failed, notRun] = steps.map((s) => s.cells);
  assert.deepEqual(first.slice(0, 2), ["1", "regular"]);
  assert.match(first[2], /^db\/migrate\/20240611090000_add_status_to_users\.sql migration · release 17\.2 · live: old$/);
  assert.deepEqual(first.slice(3, 8), ["applied", "42 ms", "4.1 ms", "38 ms", "31 ms"]);
  assert.equal(first[8], "0");
  assert.equal(first[9], "–");
  assert.equal(first[10], "users AccessExclusiveLock");
  assert.deepEqual(deploy.slice(0, 4), ["2", "application", "deploy new deploy · release 17.2 · live: old, new", "applied"]);
  assert.equal(deploy[7], "–", "no lock wait");
  assert.deepEqual(failed.slice(0, 2), ["3", "regular"]);
  assert.match(failed[2], /change_events_payload_to_jsonb\.sql .*column "legacy_id" of relation "events" does not exist$/);
  assert.deepEqual(failed.slice(3, 8), ["FAILED", "2351 ms", "1870 ms", "2140 ms", "2103 ms"]);
  assert.match(failed[8], /^12 9× old INSERT INTO events \(user_id, payload\) VALUES \(\$1, \$2\): canceling statement due to statement timeout 3× new /);
  assert.equal(failed[9], "events");
  assert.equal(failed[10], "events AccessExclusiveLock events_pkey AccessExclusiveLock events_id_seq RowExclusiveLock (waited)");
  assert.deepEqual(notRun.slice(3, 12), ["not run", "–", "–", "–", "–", "–", "–", "–", "–"]);

  // Stall charts: a bar per slice on one scale (the worst stall, 2140.2 ms, over the 1000 ms budget), red over budget.
  const charts = await page.$$eval("#rehearsal-steps tbody tr", (trs) => trs.map((tr) => {
    const chart = tr.querySelector(".rh-chart");
    if (!chart) return null;
    return {
      label: chart.getAttribute("aria-label"),
      role: chart.getAttribute("role"),
      bars: [...chart.querySelectorAll(".rh-bar")].map((b) => ({
        value: Number(b.dataset.value), height: b.getBoundingClientRect().height, over: b.classList.contains("over"),
      })),
      box: chart.getBoundingClientRect().height,
    };
  }));
  assert.equal(charts[3], null, "a step not run has no chart");
  assert.deepEqual(charts.slice(0, 3).map((c) => c.bars.map((b) => b.value)), REPORT.steps.slice(0, 3).map((s) => s.chart));
  const bars = charts[2].bars;
  assert.deepEqual(bars.map((b) => b.over), [false, false, true, true, false, false]);
  assert.equal(charts[2].role, "img");
  assert.match(charts[2].label, /6 slices of 500 ms, slowest query 2140 ms/);
  // Heights follow the values: the worst fills the chart, 640.5 ms is about 30 % of it.
  const tallest = bars[2].height;
  assert.ok(tallest > 20, `${tallest}px`);
  assert.ok(Math.abs(bars[1].height / tallest - 640.5 / 2140.2) < 0.05, `${bars[1].height} / ${tallest}`);
  assert.ok(bars[3].height > bars[1].height && bars[1].height > bars[4].height);
  assert.ok(charts[0].bars.every((b) => !b.over && b.height < tallest / 5), "step 1's stalls are small on the shared scale");

  // Where it stopped, and the rollback of what was applied, last first.
  const stopped = (await page.textContent("#rehearsal-stopped")).replace(/\s+/g, " ");
  assert.match(stopped, /^Stopped at step 3 at line 4: ALTER TABLE events DROP COLUMN legacy_id/);
  assert.match(stopped, /steps 1 and 2 are applied/);
  const rollback = await page.$$eval("#rehearsal-stopped .rh-rollback li", (els) => els.map((e) => [e.dataset.step, e.textContent]));
  assert.deepEqual(rollback.map(([step]) => step), ["2", "1"]);
  assert.match(rollback[0][1], /deploy new \(no rollback SQL known\)/);
  assert.match(rollback[1][1], /ALTER TABLE users DROP COLUMN IF EXISTS status;$/);

  // The core's own text, as `zerodown rehearse` prints it: the package's formatRehearsal, byte for byte.
  const printed = await page.textContent("#rehearsal-printed");
  assert.equal(printed, zerodown.formatRehearsal(REPORT));
  for (const s of REPORT.steps) assert.ok(printed.includes(s.title), s.title);
  assert.match(printed, /^FAIL\b/m);
  assert.match(printed, /[▁-█]{6}/, "step 3's stall chart in block characters");

  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document.querySelector("#rehearsal"))).violations
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`));
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a passing report: PASS, no reasons, no stopped section", async () => {
  const { context, page, errors } = await open();
  const r = copy();
  r.steps = r.steps.slice(0, 2);
  r.verdict = { pass: true, reasons: [], errors: 0, maxStallMs: 38.5 };
  delete r.stopped;
  await paste(page, JSON.stringify(r, null, 2));
  assert.equal(await page.textContent("#rehearsal-verdict .rh-mark"), "PASS");
  assert.equal(await page.locator("#rehearsal-reasons").count(), 0);
  assert.equal(await page.locator("#rehearsal-stopped").count(), 0);
  assert.equal((await rows(page)).length, 2);
  assert.match(await page.textContent("#rehearsal-printed"), /^PASS: slowest query 38 ms/m);
  assert.deepEqual(errors, []);
  await context.close();
});

test("hostile strings in a report are drawn as text, never as markup", async () => {
  const { context, page, errors } = await open();
  const r = copy();
  const IMG = `<img src=x onerror="window.pwned=1">`;
  const SCRIPT = "<script>window.pwned=2</script>";
  const SVG = `"><svg onload="window.pwned=3">`;
  r.steps[2].title = IMG;
  r.steps[2].error = SCRIPT;
  r.steps[2].firstErrors[0].message = `<b onmouseover="window.pwned=4">bold</b>`;
  r.steps[2].firstErrors[0].statement = SVG;
  r.steps[2].locks[0].relation = IMG;
  r.steps[2].rewritten = [SVG];
  r.steps[2].phase = `<i>${SCRIPT}</i>`;
  r.verdict.reasons = [IMG, SCRIPT];
  r.server = SVG;
  r.stopped.statement = IMG;
  r.stopped.rollback[1].sql = SCRIPT;
  await paste(page, JSON.stringify(r));
  const pane = page.locator("#rehearsal");
  assert.equal(await pane.locator("img, script, svg, b, i").count(), 0, "no element from the report");
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  const failed = (await rows(page))[2].cells;
  assert.ok(failed[2].startsWith(IMG), failed[2]);
  assert.ok(failed[2].endsWith(SCRIPT), failed[2]);
  assert.equal(failed[1], `<i>${SCRIPT}</i>`);
  assert.ok(failed[8].includes(`${SVG}: <b onmouseover="window.pwned=4">bold</b>`), failed[8]);
  assert.ok(failed[10].startsWith(`${IMG} AccessExclusiveLock`), failed[10]);
  assert.deepEqual(await page.$$eval("#rehearsal-reasons li", (els) => els.map((e) => e.textContent)), [IMG, SCRIPT]);
  assert.match(await page.textContent("#rehearsal-stopped"), /at line 4: <img src=x onerror="window.pwned=1">/);
  const printed = await page.textContent("#rehearsal-printed");
  assert.ok(printed.includes(IMG) && printed.includes(SCRIPT) && printed.includes(SVG));
  await page.mouse.move(0, 0);
  await page.hover("#rehearsal-steps tbody tr:nth-child(3) .rh-first-errors");
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test("invalid JSON is an error with its line and column; the page goes on", async () => {
  const { context, page, errors } = await open();
  // A comma missing after `"rows": 10000` (line 12): the next key is where JSON.parse stops.
  const lines = TEXT.split("\n");
  const at = lines.findIndex((l) => l.includes('"rows": 10000,'));
  lines[at] = lines[at].replace("10000,", "10000");
  await paste(page, lines.join("\n"));
  const error = page.locator("#rehearsal-result .rh-error");
  assert.equal(await error.getAttribute("data-kind"), "json");
  assert.match(await error.textContent(), new RegExp(`^Not valid JSON at line ${at + 2}, column 3: `));
  assert.equal(await error.getAttribute("role"), "alert");
  // The line, the fault marked under it.
  assert.equal(await page.textContent("#rehearsal-result .rh-excerpt"), `${lines[at + 1]}\n  ^`);
  assert.equal(await page.locator("#rehearsal-steps").count(), 0);
  // The error state: no accessibility violation either.
  await page.evaluate(AXE);
  assert.deepEqual(await page.evaluate(async () => (await window.axe.run(document.querySelector("#rehearsal"))).violations.map((v) => v.id)), []);

  // V8 names no position for an unexpected token: the page finds it all the same.
  await paste(page, "{\n  \"version\": 1,\n  \"steps\": [1, 2,, 3]\n}");
  assert.match(await error.textContent(), /^Not valid JSON at line 3, column 18: /);
  await paste(page, "hello");
  assert.match(await error.textContent(), /^Not valid JSON at line 1, column 1: /);
  // Cut short.
  await paste(page, TEXT.slice(0, 200));
  assert.match(await error.textContent(), /^Not valid JSON at the end \(line \d+, column \d+\): /);

  // A valid report afterwards draws as usual.
  await paste(page, TEXT);
  assert.equal((await rows(page)).length, 4);
  assert.equal(await page.locator("#rehearsal-result .rh-error").count(), 0);
  // Clearing the pane: no report.
  await page.click("#rehearsal-clear");
  await page.waitForSelector("#rehearsal-none");
  assert.equal(await page.locator("#rehearsal-steps").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("JSON that is not a rehearsal report is the full module's error, with its code", async () => {
  const { context, page, errors } = await open();
  const error = page.locator("#rehearsal-result .rh-error");
  const noSteps = copy();
  delete noSteps.steps;
  await paste(page, JSON.stringify(noSteps));
  assert.equal(await error.getAttribute("data-code"), "bad-input");
  assert.match(await error.textContent(), /^bad-input: Not a rehearsal report: invalid report: (Error: )?missing field `steps`/);
  assert.equal(await page.locator("#rehearsal-steps").count(), 0, "nothing drawn from a report the module refused");

  const badOutcome = copy();
  badOutcome.steps[1].outcome = "exploded";
  await paste(page, JSON.stringify(badOutcome));
  assert.match(await error.textContent(), /^bad-input: .*unknown variant `exploded`/);

  const badChart = copy();
  badChart.steps[0].chart = [1, "tall"];
  await paste(page, JSON.stringify(badChart));
  assert.match(await error.textContent(), /^bad-input: .*invalid type: string "tall", expected f64/);

  // Not an object, or another version of the contract: said by the page.
  await paste(page, "[1, 2, 3]");
  assert.match(await error.textContent(), /expected a JSON object/);
  await paste(page, JSON.stringify({ ...copy(), version: 2 }));
  assert.match(await error.textContent(), /"version" is 2, and this page reads version 1/);
  await paste(page, JSON.stringify({ findings: [] }));
  assert.match(await error.textContent(), /"version" is missing/);

  // Still working: a good report, loaded from a file this time.
  await page.setInputFiles("#rehearsal-file", { name: "rehearsal.json", mimeType: "application/json", buffer: Buffer.from(TEXT) });
  await page.waitForSelector("#rehearsal-verdict");
  assert.equal((await rows(page)).length, 4);
  assert.equal(await page.inputValue("#rehearsal-json"), TEXT);
  assert.deepEqual(errors, []);
  await context.close();
});

test("by keyboard: Tab goes from the text area to the file, the clear button, the steps' box and the text, each showing its focus", async () => {
  const { context, page, errors } = await open();
  await paste(page, TEXT);
  await page.focus("#rehearsal-json");
  const seen = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    seen.push(await page.evaluate(() => document.activeElement.id || document.activeElement.className || document.activeElement.tagName.toLowerCase()));
  }
  assert.deepEqual(seen, ["rehearsal-file", "rehearsal-clear", "rh-scroll", "summary", "rehearsal-printed"]);
  // Each shows where the focus is.
  for (const selector of ["#rehearsal-file", "#rehearsal-clear", ".rh-scroll", ".rh-text summary", "#rehearsal-printed"]) {
    await page.focus(selector);
    const outline = await page.$eval(selector, (el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, "none", selector);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone the pane fits the screen: the steps scroll sideways in their own box", async () => {
  const { context, page, errors } = await open({ width: 390, height: 844 });
  await paste(page, TEXT);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, "no horizontal scrolling of the page");
  assert.ok(await page.$eval(".rh-scroll", (el) => el.scrollWidth > el.clientWidth), "the table scrolls in its box");
  // By keyboard too: focused, the box scrolls with the arrow keys.
  await page.focus(".rh-scroll");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector(".rh-scroll").scrollLeft > 0);
  assert.equal(await page.$eval("#rehearsal-json", (el) => parseFloat(getComputedStyle(el).fontSize)), 16);
  assert.deepEqual(errors, []);
  await context.close();
});
