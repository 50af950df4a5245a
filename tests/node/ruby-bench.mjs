// Benchmark (not a test) of the Ruby front end on GitLab's 1,976 Rails
// migrations: linted as one run by the native command line (release build,
// whole process, JSON report), by the npm package's Node module, and by the
// browser's Ruby module (`zerodown/ruby`, run here by Node's V8).
//
//   cargo build --release && pkg-templates/build.sh && node tests/node/ruby-bench.mjs
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { CORPUS, ROOT } from "./helpers.mjs";

const { values: args } = parseArgs({
  options: {
    pkg: { type: "string", default: join(ROOT, "pkg") },
    native: { type: "string", default: join(ROOT, "target/release/zerodown") },
    runs: { type: "string", default: "5" },
  },
});
const runs = Number(args.runs);
const gitlab = join(CORPUS, "gitlab");
const files = ["migrate", "post_migrate"].flatMap((d) =>
  readdirSync(join(gitlab, d))
    .filter((n) => n.endsWith(".rb"))
    .sort()
    .map((n) => ({ path: `${d}/${n}`, sql: readFileSync(join(gitlab, d, n), "utf8") })),
);
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.sql), 0);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function report(name, ms, findings) {
  console.log(
    `${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${(bytes / 1e6 / (ms / 1e3)).toFixed(1).padStart(5)} MB/s  (${findings} findings)`,
  );
}

console.log(`${files.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
const times = [];
let nativeFindings = 0;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  let out;
  try {
    out = execFileSync(args.native, ["lint", "--format", "json", "migrate", "post_migrate"], {
      cwd: gitlab,
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
  } catch (e) {
    out = e.stdout; // exit 1: findings
  }
  times.push(performance.now() - t);
  nativeFindings = JSON.parse(out).findings.length;
}
report("native CLI (process, JSON)", median(times), nativeFindings);

for (const dir of ["node", "ruby"]) {
  const mod = await import(pathToFileURL(resolve(args.pkg, dir, "zerodown.js")).href);
  mod.initSync({ module: readFileSync(resolve(args.pkg, dir, "zerodown_bg.wasm")) });
  const ts = [];
  let findings = 0;
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    findings = mod.lintFiles(files, {}).findings.length;
    if (i > 0) ts.push(performance.now() - t); // the first run warms V8 up
  }
  report(`${dir} module lintFiles`, median(ts), findings);
}
