// Compares builds of the Node module in one process (not a test: nothing
// here fails on a number). Each build is loaded, warmed up with one
// `lintFiles` over the corpus, then the builds take turns, `--rounds` times
// each; prints each build's min and median. Taking turns in one process is
// what makes the comparison hold on a machine whose load moves.
//
//   cargo bench --bench lint -- --write /tmp/corpus.json
//   node tests/node/compare.mjs --corpus /tmp/corpus.json [--plans] [--rounds 8] [--files N] DIR...
//
// Each DIR holds a module built by wasm-bindgen --target web (zerodown.js,
// zerodown_bg.wasm), e.g. pkg/node or a copy of it from another commit.
// `--files N` takes the corpus's first N files; `--rounds 0` runs only the
// warm-up (for counting instructions: run under callgrind with --rounds 0
// and --rounds 2, and halve the difference).
//
//   node tests/node/compare.mjs --latency DIR...
//
// instead times `lint` of bench.mjs's 200-line migration, the builds taking
// turns call by call (100 warm-up calls each, then 1,000 each); prints each
// build's median and p95.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { migration200 } from "./helpers.mjs";

const { values: args, positionals: dirs } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: "string" },
    plans: { type: "boolean", default: false },
    rounds: { type: "string", default: "8" },
    files: { type: "string" },
    latency: { type: "boolean", default: false },
  },
});
if ((!args.corpus && !args.latency) || dirs.length === 0) {
  console.error("usage: node tests/node/compare.mjs --corpus FILE [--plans] [--rounds N] [--files N] DIR...");
  console.error("       node tests/node/compare.mjs --latency DIR...");
  process.exit(2);
}

async function load(dir, i) {
  const glue = await import(`${pathToFileURL(resolve(dir, "zerodown.js")).href}?${i}`);
  glue.initSync({ module: readFileSync(resolve(dir, "zerodown_bg.wasm")) });
  return glue;
}

if (args.latency) {
  const sql = migration200();
  const path = "db/migrate/20240101000000_billing.sql";
  const modules = [];
  for (const dir of dirs) modules.push(await load(dir, modules.length));
  for (const glue of modules) for (let k = 0; k < 100; k++) glue.lint(sql, {}, path);
  const times = dirs.map(() => []);
  for (let r = 0; r < 1000; r++) {
    modules.forEach((glue, i) => {
      const start = performance.now();
      glue.lint(sql, {}, path);
      times[i].push(performance.now() - start);
    });
  }
  dirs.forEach((dir, i) => {
    const s = times[i].sort((a, b) => a - b);
    console.log(`${dir}: lint of the 200-line migration, median ${s[s.length >> 1].toFixed(3)} ms, p95 ${s[Math.floor(s.length * 0.95)].toFixed(3)} ms`);
  });
  process.exit(0);
}
let files = JSON.parse(readFileSync(args.corpus, "utf8"));
if (args.files) files = files.slice(0, Number(args.files));
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.sql), 0);
const options = { plans: args.plans };

const modules = [];
for (const dir of dirs) {
  const glue = await load(dir, modules.length);
  glue.lintFiles(files, options);
  modules.push(glue);
}
const times = dirs.map(() => []);
for (let r = 0; r < Number(args.rounds); r++) {
  modules.forEach((glue, i) => {
    const start = performance.now();
    glue.lintFiles(files, options);
    times[i].push(performance.now() - start);
  });
}
if (times[0].length > 0) {
  dirs.forEach((dir, i) => {
    const s = times[i].sort((a, b) => a - b);
    const median = s[Math.floor(s.length / 2)];
    console.log(
      `${dir}: min ${s[0].toFixed(0)} ms, median ${median.toFixed(0)} ms (${(bytes / 1e6 / (median / 1e3)).toFixed(2)} MB/s)`,
    );
  });
}
