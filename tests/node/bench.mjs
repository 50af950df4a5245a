// Benchmarks of the npm package in Node (not tests: nothing here fails on a
// number). Prints the gzip -9 size of the .wasm, the module's compile +
// instantiate time in a fresh Node process, lint throughput over the
// benchmark corpus, and the latency of linting a 200-line migration.
//
//   cargo bench --bench lint -- --write /tmp/corpus.json   # the native numbers + the corpus
//   node tests/node/bench.mjs --corpus /tmp/corpus.json [--pkg pkg]
//
// The corpus is the native benchmark's own generated corpus, so the two
// throughputs compare the same input.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { ROOT, gzipSize, migration200 } from "./helpers.mjs";

const { values: args } = parseArgs({
  options: {
    pkg: { type: "string", default: join(ROOT, "pkg") },
    corpus: { type: "string" },
    runs: { type: "string", default: "5" },
  },
});
const pkg = resolve(args.pkg);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

for (const dir of ["web", "node"]) {
  const wasmFile = join(pkg, dir, "zerodown_bg.wasm");
  const raw = readFileSync(wasmFile).length;
  const gz = gzipSize(wasmFile);
  console.log(`${dir}: wasm size`.padEnd(35) + `${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(1)} KiB (${gz} bytes) gzip -9`);
  // Compile + instantiate from bytes already read, in fresh processes.
  const probe = `
    import { readFileSync } from "node:fs";
    const glue = await import(${JSON.stringify(pathToFileURL(join(pkg, dir, "zerodown.js")).href)});
    const bytes = readFileSync(${JSON.stringify(wasmFile)});
    const t0 = performance.now();
    glue.initSync({ module: bytes });
    const t1 = performance.now();
    glue.lint("CREATE INDEX i ON t (a);");
    const t2 = performance.now();
    glue.lint("CREATE INDEX j ON t (b);");
    const t3 = performance.now();
    console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2]));
  `;
  const starts = [];
  for (let i = 0; i < 11; i++) {
    starts.push(JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" })));
  }
  console.log(`${dir}: instantiate (compile + init)`.padEnd(35) + `${median(starts.map((s) => s[0])).toFixed(1)} ms median of ${starts.length} fresh processes`);
  console.log(`${dir}: first lint call / second`.padEnd(35) + `${median(starts.map((s) => s[1])).toFixed(2)} ms / ${median(starts.map((s) => s[2])).toFixed(2)} ms`);
}

const modules = {};
const memories = {};
for (const dir of ["web", "node"]) {
  const glue = await import(pathToFileURL(join(pkg, dir, "zerodown.js")).href);
  const { memory } = glue.initSync({ module: readFileSync(join(pkg, dir, "zerodown_bg.wasm")) });
  modules[dir] = glue;
  memories[dir] = memory;
}

// --- 200-line migration latency.
const sql200 = migration200();
for (const [dir, zd] of Object.entries(modules)) {
for (let i = 0; i < 50; i++) zd.lint(sql200);
const lat = [];
for (let i = 0; i < 500; i++) {
  const t = performance.now();
  zd.lint(sql200, {}, "db/migrate/20240101000000_billing.sql");
  lat.push(performance.now() - t);
}
const report200 = zd.lint(sql200);
console.log(
  `${dir}: `+`lint 200-line migration            ${median(lat).toFixed(3)} ms median, ${percentile(lat, 0.95).toFixed(3)} ms p95 ` +
    `(${sql200.split("\n").length - 1} lines, ${report200.files[0].statements} statements, ${report200.findings.length} findings)`,
);
}

// --- throughput over the benchmark corpus.
if (!args.corpus) {
  console.log("throughput                         skipped: pass --corpus FILE (cargo bench --bench lint -- --write FILE)");
} else {
  const files = JSON.parse(readFileSync(args.corpus, "utf8"));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.sql), 0);
  const runs = Number(args.runs);
  for (const [dir, zd] of Object.entries(modules))
  for (const [name, options] of [
    ["lint (no plans)", { plans: false }],
    ["lint (with plans)", {}],
  ]) {
    zd.lintFiles(files, options);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      zd.lintFiles(files, options);
      times.push(performance.now() - t);
    }
    const m = median(times);
    console.log(`${`${dir}: ${name}`.padEnd(34)} ${m.toFixed(1).padStart(8)} ms  ${(bytes / 1e6 / (m / 1e3)).toFixed(1).padStart(6)} MB/s  (${files.length} files, ${(bytes / 1e6).toFixed(1)} MB)`);
  }
  // WebAssembly memory never shrinks: its size after these runs is the peak.
  for (const [dir, memory] of Object.entries(memories)) {
    console.log(`${dir}: memory after the runs`.padEnd(35) + `${(memory.buffer.byteLength / 1e6).toFixed(0)} MB`);
  }
}
