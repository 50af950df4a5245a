#!/usr/bin/env node
// `npx zerodown`: the native CLI's own code (src/cli/, in the Node WebAssembly
// module as `runCli`), so every command, flag, help text, error and exit code
// is the native one: 0 clean, 1 error-level findings, 2 usage, I/O or config
// errors. This file only hands it the arguments, the file system and the
// output streams.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { isatty } from "node:tty";
import { runCli } from "../node/index.mjs";

const streams = { 1: process.stdout, 2: process.stderr };
// A closed pipe (`npx zerodown lint . | head`) ends output quietly.
process.stdout.on("error", (e) => {
  if (e.code !== "EPIPE") throw e;
});

/** @type {import("../node/zerodown.js").CliHost} */
const host = {
  readFile: (path) => readFileSync(path),
  kind(path) {
    try {
      const s = statSync(path);
      return s.isDirectory() ? 2 : s.isFile() ? 1 : 0;
    } catch {
      return 0;
    }
  },
  readDir: (path) => readdirSync(path),
  mkdir: (path) => void mkdirSync(path, { recursive: true }),
  writeFile: (path, text) => writeFileSync(path, text),
  write: (fd, text) => void streams[fd].write(text),
  // WebAssembly's paths separate with "/" only: the search for zerodown.toml
  // walks up the current folder, so Windows' is given with "/" (Node accepts it).
  cwd: () => (process.platform === "win32" ? process.cwd().replaceAll("\\", "/") : process.cwd()),
  isTerminal: (fd) => isatty(fd),
  env: (name) => process.env[name],
  git(args) {
    try {
      return execFileSync("git", args, { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      throw new Error(String(e.stderr ?? "").split("\n")[0] || (e.code === "ENOENT" ? `cannot run git: ${e.message}` : "git failed"));
    }
  },
};

process.exitCode = runCli(process.argv.slice(2), host);
