// Unified diffs (git or plain) parsed into files: their paths, status, hunk
// rows and the new version's text as far as the diff shows it.

/**
 * @returns {{path: string, oldPath: string|null, status: "added"|"modified"|"deleted"|"renamed",
 *   hunks: {header: string, rows: {kind: "add"|"del"|"ctx", old: number|null, new: number|null, text: string}[]}[],
 *   newText: string, complete: boolean}[]}
 * `newText` holds the new version's lines at their line numbers; lines the
 * diff does not show are empty. `complete` is true when the diff shows the
 * whole new file (an added file).
 */
export function parseUnifiedDiff(text) {
  const files = [];
  let file = null;
  let hunk = null;
  let oldLine = 0;
  let newLine = 0;
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  const start = (oldPath, newPath) => {
    file = { path: newPath, oldPath, status: "modified", hunks: [], newText: "", complete: false, binary: false };
    files.push(file);
    hunk = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("diff --git ")) {
      const m = line.match(/^diff --git (?:"?a\/(.+?)"?) (?:"?b\/(.+?)"?)$/);
      start(m ? m[1] : null, m ? m[2] : null);
      continue;
    }
    if (line.startsWith("--- ") && lines[i + 1]?.startsWith("+++ ") && (!hunk || !inHunk(hunk, oldLine, newLine))) {
      const oldP = cleanPath(line.slice(4));
      const newP = cleanPath(lines[i + 1].slice(4));
      if (!file || file.hunks.length || file.headerDone) start(oldP, newP);
      file.headerDone = true;
      file.oldPath = oldP;
      file.path = newP ?? oldP;
      if (oldP === null) file.status = "added";
      if (newP === null) {
        file.status = "deleted";
        file.path = oldP;
      }
      i++;
      continue;
    }
    if (!file) continue;
    const hh = line.match(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/);
    if (hh) {
      hunk = { header: line, rows: [], oldLeft: Number(hh[2] ?? 1), newLeft: Number(hh[4] ?? 1) };
      oldLine = Number(hh[1]);
      newLine = Number(hh[3]);
      file.hunks.push(hunk);
      continue;
    }
    if (hunk && inHunk(hunk)) {
      const c = line[0];
      const body = line.slice(1);
      if (c === "+") {
        hunk.rows.push({ kind: "add", old: null, new: newLine++, text: body });
        hunk.newLeft--;
      } else if (c === "-") {
        hunk.rows.push({ kind: "del", old: oldLine++, new: null, text: body });
        hunk.oldLeft--;
      } else if (c === " " || line === "") {
        if (line === "" && i === lines.length - 1) continue;
        hunk.rows.push({ kind: "ctx", old: oldLine++, new: newLine++, text: body });
        hunk.oldLeft--;
        hunk.newLeft--;
      }
      continue;
    }
    if (line.startsWith("\\")) continue; // "\ No newline at end of file"
    if (line.startsWith("new file mode")) file.status = "added";
    else if (line.startsWith("deleted file mode")) file.status = "deleted";
    else if (line.startsWith("rename from ")) {
      file.oldPath = line.slice(12);
      file.status = "renamed";
    } else if (line.startsWith("rename to ")) file.path = line.slice(10);
    else if (line.startsWith("Binary files")) file.binary = true;
  }
  for (const f of files) {
    delete f.headerDone;
    for (const h of f.hunks) {
      delete h.oldLeft;
      delete h.newLeft;
    }
    const text = [];
    for (const h of f.hunks) for (const r of h.rows) if (r.new !== null) text[r.new - 1] = r.text;
    f.newText = Array.from(text, (l) => l ?? "").join("\n");
    if (f.newText) f.newText += "\n";
    f.complete = f.status === "added";
  }
  return files.filter((f) => f.path);
}

function inHunk(hunk) {
  return hunk.oldLeft > 0 || hunk.newLeft > 0;
}

function cleanPath(p) {
  p = p.split("\t")[0].trim();
  if (p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1);
  if (p === "/dev/null") return null;
  return p.replace(/^[ab]\//, "");
}
