// Shared by the package's Node tests: where things are, and the package
// installed from its packed tarball into an empty folder, as a user gets it.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const PKG = join(ROOT, "pkg");
export const NATIVE = process.env.ZERODOWN_NATIVE ?? join(ROOT, "target/debug/zerodown");
export const CORPUS = process.env.ZERODOWN_CORPUS ?? resolve(ROOT, "../shared/corpus");
export const FIXTURES = join(ROOT, "tests/fixtures");

/**
 * The folder the package is installed in (`node_modules/zerodown` inside).
 * tests/wasm/run.sh installs it once and passes ZERODOWN_INSTALL_DIR; run
 * alone, a test packs and installs it itself.
 */
export function installDir() {
  const given = process.env.ZERODOWN_INSTALL_DIR;
  if (given) return given;
  return installPackage();
}

/** `npm pack` of pkg/, then `npm install <tgz>` offline in a new empty folder. */
export function installPackage() {
  if (!existsSync(join(PKG, "package.json"))) {
    throw new Error("pkg/ is not built: run pkg-templates/build.sh");
  }
  const dir = mkdtempSync(join(tmpdir(), "zerodown-install-"));
  const npm = (args, cwd) =>
    execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  const packed = JSON.parse(npm(["pack", PKG, "--json", "--pack-destination", dir], dir));
  const tgz = join(dir, packed[0].filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  npm(["install", "--offline", tgz], dir);
  return dir;
}

/** Every `*.sql` file under `dir`, sorted. */
export function sqlFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.toLowerCase().endsWith(".sql")) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Runs a command; returns its status, stdout and stderr, never throws on exit status. */
export function run(cmd, args, options = {}) {
  // spawnSync, not execFileSync: stderr is kept on success too (notes).
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 30,
    ...options,
  });
  if (r.error) throw r.error;
  if (r.status === null) throw new Error(`${cmd} ${args.join(" ")}: killed by ${r.signal}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** gzip -9 size in bytes (the gzip tool when present, else zlib at level 9). */
export function gzipSize(file) {
  try {
    return execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 1 << 28 }).length;
  } catch {
    return gzipSync(readFileSync(file), { level: 9 }).length;
  }
}

/** The 200-line migration of the latency benchmark (bench.mjs, compare.mjs --latency). */
export function migration200() {
  const lines = ["-- Add billing columns and indexes to projects", "SET lock_timeout = '1s';", ""];
  let i = 0;
  while (lines.length < 196) {
    i++;
    lines.push(
      `-- step ${i}: plan column ${i}`,
      `ALTER TABLE projects ADD COLUMN plan_${i} text;`,
      `CREATE INDEX CONCURRENTLY index_projects_on_plan_${i} ON projects (plan_${i});`,
      `ALTER TABLE projects ADD CONSTRAINT check_plan_${i} CHECK (char_length(plan_${i}) <= 255) NOT VALID;`,
      `ALTER TABLE projects VALIDATE CONSTRAINT check_plan_${i};`,
      `UPDATE projects SET plan_${i} = 'free' WHERE id BETWEEN ${i * 1000} AND ${i * 1000 + 999};`,
      "",
    );
  }
  lines.push("CREATE TABLE billing_events (", "  id bigint PRIMARY KEY,", "  created_at timestamptz NOT NULL", ");");
  return `${lines.slice(0, 200).join("\n")}\n`;
}
