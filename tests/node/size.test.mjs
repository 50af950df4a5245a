// The size budget of the shipped WebAssembly module: gzip -9 at most 590 KiB
// (550 KiB for wave 1's 37 rules; 575 KiB for wave 2's rules, the table of
// PostgreSQL's behaviour and the parser's PostgreSQL forms; 590 KiB for
// linting against a loaded schema, see BENCHMARKS.md).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSize, installDir } from "./helpers.mjs";

/** 590 KiB. */
const BUDGET = 590 * 1024;

// The browser's `zerodown/full` module (plans, schedules, cells on top of
// linting) has no budget: its size is printed and reported in BENCHMARKS.md.
test("the full browser module's size is reported", () => {
  const wasm = join(installDir(), "node_modules/zerodown/full/zerodown_bg.wasm");
  console.log(`# ${wasm}: ${readFileSync(wasm).length} bytes, gzip -9 ${gzipSize(wasm)} bytes`);
});

test("the .wasm is within 590 KiB gzip -9", () => {
  const wasm = join(installDir(), "node_modules/zerodown/web/zerodown_bg.wasm");
  const size = gzipSize(wasm);
  console.log(`# ${wasm}: ${readFileSync(wasm).length} bytes, gzip -9 ${size} bytes`);
  assert.ok(size <= BUDGET, `gzip -9 size ${size} exceeds the budget of ${BUDGET} bytes`);
});

// The lint module carries no rule documentation (it would not fit the
// budget); the full and Node modules do, and `explain` is theirs only.
test("rule docs are in the full module, not the lint module", () => {
  const mod = (m) => join(installDir(), `node_modules/zerodown/${m}`);
  const doc = "## Why it causes downtime";
  assert.ok(!readFileSync(mod("web/zerodown_bg.wasm")).includes(doc));
  assert.ok(readFileSync(mod("full/zerodown_bg.wasm")).includes(doc));
  assert.doesNotMatch(readFileSync(mod("web/zerodown.d.ts"), "utf8"), /export function explain/);
  assert.match(readFileSync(mod("web/zerodown.d.ts"), "utf8"), /export function lintDiff/);
});
