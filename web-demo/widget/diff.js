// Unified diffs (git or plain) split into files for display: each file's
// path, status and hunk rows. What to check, and the findings, come from the
// package's `lintDiff`, which reads the same diff; this file only lays the
// lines out, with the same path rules (git's quoting decoded, `a/` and `b/`
// stripped) so that each file of the report finds its rows.

/** The highest line number a hunk may reach (the package's bound too). */
export const MAX_LINE = 1_000_000;
/** Rows shown per file; findings past them are listed under the file. */
export const MAX_ROWS = 20_000;

/**
 * @returns {{path: string, oldPath: string|null, status: "added"|"modified"|"deleted"|"renamed",
 *   binary: boolean, problem: string|null, truncated: number,
 *   hunks: {header: string, rows: {kind: "add"|"del"|"ctx", old: number|null, new: number|null, text: string}[]}[]}[]}
 * `problem` says why the file's lines cannot be shown (a hunk header past
 * {@link MAX_LINE}, one that cannot be read); `truncated` counts rows past
 * {@link MAX_ROWS} that are not kept. Never throws, never allocates by line
 * number: a header claiming line 999,999,999 costs nothing.
 */
export function parseUnifiedDiff(text) {
  const files = [];
  let file = null;
  let hunk = null;
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  let git = false;
  let sawOld = false;
  const start = () => {
    file = { path: null, oldPath: null, status: "modified", binary: false, problem: null, truncated: 0, hunks: [], rows: 0 };
    files.push(file);
    hunk = null;
    git = false;
    sawOld = false;
    oldLeft = newLeft = 0;
  };
  const fail = (why) => {
    file.problem ??= why;
    oldLeft = newLeft = 0;
    hunk = null;
  };
  const lines = String(text ?? "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    const at = i + 1;
    if (file && (oldLeft > 0 || newLeft > 0)) {
      const tag = line.slice(0, 1);
      const body = line.slice(1);
      if ((tag === "+" || tag === " " || tag === "") && newLeft > 0) {
        if (tag === "+") row("add", null, newLine++, body);
        else {
          row("ctx", oldLine++, newLine++, body);
          oldLeft = Math.max(0, oldLeft - 1);
        }
        newLeft--;
      } else if (tag === "-" && oldLeft > 0) {
        row("del", oldLine++, null, body);
        oldLeft--;
      } else if (tag !== "\\") fail(`diff line ${at}: the hunk ends before the lines its header counts`);
      continue;
    }
    if (line.startsWith("diff --git ")) {
      start();
      git = true;
      file.path = gitHeaderPath(line.slice(11));
    } else if (line.startsWith("--- ")) {
      if (!file || file.hunks.length || sawOld) start();
      sawOld = true;
      const rest = line.slice(4);
      if (rest.trimEnd() === "/dev/null") file.status = "added";
      else file.oldPath = headerPath(rest, git);
    } else if (line.startsWith("+++ ")) {
      if (!file) start();
      const rest = line.slice(4);
      if (rest.trimEnd() === "/dev/null") {
        file.status = "deleted";
        if (file.oldPath !== null) file.path = file.oldPath;
      } else file.path = headerPath(rest, git);
    } else if (file) {
      if (line.startsWith("@@ ")) {
        if (file.problem) continue;
        const m = line.match(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/);
        if (!m) {
          fail(`diff line ${at}: a hunk header zerodown cannot read`);
          continue;
        }
        const [oldStart, oldLen, newStart, newLen] = [m[1], m[2] ?? "1", m[3], m[4] ?? "1"].map(Number);
        if (newStart + newLen > MAX_LINE || oldStart + oldLen > MAX_LINE) {
          fail(`diff line ${at}: the hunk header claims line ${Math.max(newStart + newLen, oldStart + oldLen)}; zerodown reads files of at most ${MAX_LINE} lines`);
          continue;
        }
        hunk = { header: line, rows: [] };
        file.hunks.push(hunk);
        oldLine = oldStart;
        newLine = newStart;
        oldLeft = oldLen;
        newLeft = newLen;
      } else if (line.startsWith("rename to ")) {
        file.path = decodePath(line.slice(10));
        file.status = "renamed";
      } else if (line.startsWith("rename from ")) {
        file.oldPath = decodePath(line.slice(12));
        file.status = "renamed";
      } else if (line.startsWith("new file mode")) file.status = "added";
      else if (line.startsWith("deleted file mode")) file.status = "deleted";
      else if (line.startsWith("Binary files ") || line === "GIT binary patch") file.binary = true;
    }
  }
  if (file && (oldLeft > 0 || newLeft > 0)) fail("the diff ends inside a hunk");
  for (const f of files) delete f.rows;
  return files.filter((f) => f.path);

  function row(kind, old, nu, body) {
    if (file.rows >= MAX_ROWS) {
      file.truncated++;
      return;
    }
    file.rows++;
    hunk.rows.push({ kind, old, new: nu, text: body });
  }
}

/** The path of `diff --git a/x b/x` (for renames, mode changes, binary files). */
function gitHeaderPath(rest) {
  if (rest.startsWith('"') || rest.endsWith('"')) {
    const i = Math.max(rest.lastIndexOf(' "'), rest.lastIndexOf(" b/"));
    if (i >= 0) return stripPrefix(decodePath(rest.slice(i + 1)));
  }
  const half = Math.floor(rest.length / 2);
  const a = rest.slice(0, half);
  const b = rest.slice(half + 1);
  if (rest[half] === " " && a.slice(2) === b.slice(2)) return stripPrefix(b);
  const parts = rest.split(" b/");
  return stripPrefix(parts.length > 1 ? parts.at(-1) : rest);
}

function headerPath(raw, git) {
  raw = raw.startsWith('"') ? raw.trimEnd() : raw.split("\t")[0];
  const path = decodePath(raw);
  return git || path.startsWith("a/") || path.startsWith("b/") ? stripPrefix(path) : path;
}

function stripPrefix(path) {
  return path.startsWith("a/") || path.startsWith("b/") ? path.slice(2) : path;
}

const ESCAPES = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11 };

/** Git's C-style quoting (`"caf\303\251.sql"`): escapes and octal bytes, decoded as UTF-8. */
export function decodePath(raw) {
  if (!(raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"'))) return raw;
  const inner = new TextEncoder().encode(raw.slice(1, -1));
  const bytes = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c !== 0x5c) {
      bytes.push(c);
      continue;
    }
    const e = inner[++i];
    if (e === undefined) break;
    const ch = String.fromCharCode(e);
    if (ch in ESCAPES) bytes.push(ESCAPES[ch]);
    else if (e >= 0x30 && e <= 0x37) {
      let v = e - 0x30;
      for (let k = 0; k < 2 && inner[i + 1] >= 0x30 && inner[i + 1] <= 0x37; k++) v = v * 8 + (inner[++i] - 0x30);
      bytes.push(v & 0xff);
    } else bytes.push(e);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
