// The size budget of the shipped WebAssembly module: gzip -9 at most 550 KB.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { installDir } from "./helpers.mjs";

export const BUDGET = 550 * 1024;

/** gzip -9 size in bytes (the gzip tool when present, else zlib at level 9). */
export function gzipSize(file) {
  try {
    return execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 1 << 28 }).length;
  } catch {
    return gzipSync(readFileSync(file), { level: 9 }).length;
  }
}

test("the .wasm is within 550 KB gzip -9", () => {
  const wasm = join(installDir(), "node_modules/zerodown/web/zerodown_bg.wasm");
  const size = gzipSize(wasm);
  console.log(`# ${wasm}: ${readFileSync(wasm).length} bytes, gzip -9 ${size} bytes`);
  assert.ok(size <= BUDGET, `gzip -9 size ${size} exceeds the budget of ${BUDGET} bytes`);
});
