// Where a fresh Node process's first lint goes: loading the glue, compiling
// and instantiating the module, the first lint and a second one. A
// benchmark, not a test (BENCHMARKS.md, "Both cores and bounded memory"):
//   node tests/node/first-lint-bench.mjs [pkg]
//   node --no-wasm-lazy-compilation tests/node/first-lint-bench.mjs [pkg]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./helpers.mjs";

const pkg = resolve(process.argv[2] ?? resolve(ROOT, "pkg"));
const t0 = performance.now();
const bytes = readFileSync(resolve(pkg, "node/zerodown_bg.wasm"));
const glue = await import(pathToFileURL(resolve(pkg, "node/zerodown.js")).href);
const t1 = performance.now();
glue.initSync({ module: bytes });
const t2 = performance.now();
glue.lint("SET lock_timeout = '1s';\nCREATE INDEX i ON users (email);\n");
const t3 = performance.now();
glue.lint("SET lock_timeout = '1s';\nCREATE INDEX j ON users (name);\n");
const t4 = performance.now();
const ms = (a, b) => (b - a).toFixed(1);
console.log(`load ${ms(t0, t1)} ms, compile+instantiate ${ms(t1, t2)} ms, first lint ${ms(t2, t3)} ms, second lint ${ms(t3, t4)} ms`);
