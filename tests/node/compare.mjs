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
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: args, positionals: dirs } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: "string" },
    plans: { type: "boolean", default: false },
    rounds: { type: "string", default: "8" },
    files: { type: "string" },
  },
});
if (!args.corpus || dirs.length === 0) {
  console.error("usage: node tests/node/compare.mjs --corpus FILE [--plans] [--rounds N] [--files N] DIR...");
  process.exit(2);
}
let files = JSON.parse(readFileSync(args.corpus, "utf8"));
if (args.files) files = files.slice(0, Number(args.files));
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.sql), 0);
const options = { plans: args.plans };

const modules = [];
for (const dir of dirs) {
  const glue = await import(`${pathToFileURL(resolve(dir, "zerodown.js")).href}?${modules.length}`);
  glue.initSync({ module: readFileSync(resolve(dir, "zerodown_bg.wasm")) });
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
