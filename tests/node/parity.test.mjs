// Parity: every rule fixture (tests/fixtures/) and every real migration in
// ../shared/corpus/ linted by the native CLI (`--format json`) and by the npm
// package must give deep-equal reports: file by file, and each folder as one
// run (tables created by earlier files known to later ones).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { CORPUS, FIXTURES, NATIVE, installDir, run, sqlFiles } from "./helpers.mjs";

const dir = installDir();
const zd = await import(pathToFileURL(createRequire(join(dir, "package.json")).resolve("zerodown")).href);

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Files as the CLI reads them (paths relative to `base`); non-UTF-8 files are skipped. */
function sources(base, files) {
  const out = [];
  for (const file of files) {
    try {
      out.push({ path: relative(base, file), sql: decoder.decode(readFileSync(file)) });
    } catch {
      // Not UTF-8: both CLIs refuse it (cli.test.mjs checks that).
    }
  }
  return out;
}

function nativeReport(base, paths) {
  const out = run(NATIVE, ["lint", "--format", "json", ...paths], { cwd: base });
  assert.ok(out.status === 0 || out.status === 1, `native exit ${out.status}: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

/** Groups files by their folder. */
function byFolder(files) {
  const groups = new Map();
  for (const f of files) {
    const d = dirname(f);
    if (!groups.has(d)) groups.set(d, []);
    groups.get(d).push(f);
  }
  return groups;
}

for (const [name, root] of [
  ["rule fixtures", FIXTURES],
  ["corpus", CORPUS],
]) {
  const files = sqlFiles(root);
  test(`${name}: every file alone`, { skip: files.length === 0 && `no ${root}` }, () => {
    let findings = 0;
    for (const src of sources(root, files)) {
      const native = nativeReport(root, [src.path]);
      const wasm = zd.lintFiles([src], {});
      assert.deepStrictEqual(wasm, native, src.path);
      findings += wasm.findings.length;
    }
    console.log(`# ${name}: ${files.length} files, ${findings} findings, identical`);
  });
  test(`${name}: each folder as one run`, { skip: files.length === 0 && `no ${root}` }, () => {
    for (const [folder, group] of byFolder(files)) {
      const srcs = sources(root, group);
      if (srcs.length === 0) continue;
      const native = nativeReport(root, srcs.map((s) => s.path));
      assert.deepStrictEqual(zd.lintFiles(srcs, {}), native, folder);
    }
  });
}
