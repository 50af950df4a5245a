// `npx zerodown` start-up: each package's bin/zerodown.mjs in a fresh Node
// process, `--version` and `lint` of a two-statement file, runs alternating
// between the packages so the machine's load falls on all alike. A
// benchmark, not a test (BENCHMARKS.md):
//   node tests/node/startup-bench.mjs RUNS PKG_DIR [PKG_DIR...]
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
const [runs, ...pkgs] = [Number(process.argv[2]), ...process.argv.slice(3)];
const one = join(mkdtempSync(join(tmpdir(), "zerodown-startup-")), "one.sql");
writeFileSync(one, "SET lock_timeout = '1s';\nCREATE INDEX i ON users (email);\n");
const cases = [["--version"], ["lint", one]];
const t = {};
for (let i = 0; i < runs; i++) for (const c of cases) for (const p of pkgs) {
  const s = performance.now();
  spawnSync(process.execPath, [`${p}/bin/zerodown.mjs`, ...c], { stdio: "ignore" });
  (t[`${c[0]} ${p}`] ??= []).push(performance.now() - s);
}
for (const [k, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(k.padEnd(40), "median", v[v.length >> 1].toFixed(1), "min", v[0].toFixed(1)); }
