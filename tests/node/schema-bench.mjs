// Benchmark (not a test: nothing fails on a number) of schema input in the
// WebAssembly modules: loadSchema on GitLab's structure.sql, and linting a
// 200-line migration on its tables against the loaded schema, in the
// browser's lint module (web/, run here by Node's V8) and the Node module.
//
//   pkg-templates/build.sh && node tests/node/schema-bench.mjs [--pkg pkg] [--dump PATH]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { CORPUS, ROOT } from "./helpers.mjs";

const { values: args } = parseArgs({
  options: {
    pkg: { type: "string", default: join(ROOT, "pkg") },
    dump: { type: "string", default: join(CORPUS, "gitlab/structure.sql") },
  },
});
const dump = readFileSync(args.dump, "utf8");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The native bench's migration (benches/schema.rs): 4 statements per table of the dump's first 40. */
function migration() {
  const tables = dump
    .split("\n")
    .filter((l) => l.startsWith("CREATE TABLE ") && l.endsWith(" ("))
    .map((l) => l.slice("CREATE TABLE ".length, -2))
    .slice(0, 40);
  let sql = "SET lock_timeout = '1s';\n";
  for (let i = 0; sql.split("\n").length - 1 < 200; i++) {
    const t = tables[i % tables.length];
    const short = t.split(".").pop();
    sql += `ALTER TABLE ${t} ADD COLUMN bench_${i} text;\n`;
    sql += `ALTER TABLE ${t} ADD CONSTRAINT check_bench_${i} CHECK (char_length(bench_${i}) <= 255) NOT VALID;\n`;
    sql += `ALTER TABLE ${t} VALIDATE CONSTRAINT check_bench_${i};\n`;
    sql += `CREATE INDEX CONCURRENTLY index_${short}_on_bench_${i} ON ${t} (bench_${i});\n`;
  }
  return sql;
}
const sql = migration();

for (const dir of ["web", "node"]) {
  const mod = await import(pathToFileURL(resolve(args.pkg, dir, "zerodown.js")).href);
  mod.initSync({ module: readFileSync(resolve(args.pkg, dir, "zerodown_bg.wasm")) });
  const loads = [];
  let schema;
  for (let i = 0; i < 7; i++) {
    schema?.free();
    const t = performance.now();
    schema = mod.loadSchema(dump, "structure.sql");
    loads.push(performance.now() - t);
  }
  const lints = [];
  let findings = 0;
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    findings = schema.lint(sql, {}, "db/migrate/1_bench.sql").findings.length;
    lints.push(performance.now() - t);
  }
  const bare = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    mod.lint(sql, {}, "db/migrate/1_bench.sql");
    bare.push(performance.now() - t);
  }
  const c = schema.counts;
  console.log(
    `${dir}: loadSchema (${c.tables} tables) first ${loads[0].toFixed(0)} ms, median ${median(loads).toFixed(0)} ms; ` +
      `lint ${sql.split("\n").length - 1} lines against it median ${median(lints).toFixed(2)} ms (${findings} findings), ` +
      `without a schema ${median(bare).toFixed(2)} ms`,
  );
  schema.free();
}
