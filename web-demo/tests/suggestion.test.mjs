// The widget's suggested changes (widget/review.js `suggestion`): a
// finding's fix as whole lines of the new file, built from line and column
// numbers, checked against the package's own fix of the whole file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { suggestion, suggestionBlock } from "../widget/review.js";
import { parseUnifiedDiff } from "../widget/diff.js";
import { ROOT } from "./helpers.mjs";

const zerodown = await import(join(ROOT, "pkg", "node", "index.mjs"));

/** `text` with `fix`'s edits applied at their UTF-16 offsets, from last to first. */
function applied(text, fix) {
  for (const e of [...fix.edits].reverse()) text = text.slice(0, e.span.start.utf16) + e.text + text.slice(e.span.end.utf16);
  return text;
}

/** Line `n` of the new file as `diff` shows it (the widget's rows). */
function shownLines(diff) {
  const lines = new Map();
  for (const hunk of parseUnifiedDiff(diff)[0].hunks) for (const r of hunk.rows) if (r.new !== null) lines.set(r.new, r.text);
  return (n) => lines.get(n);
}

/** A diff of `path` from `before` to `after` (lists of lines), one hunk of `context` lines around the change. */
function diffOf(path, before, after, context = 1) {
  let lo = 0;
  while (lo < before.length && lo < after.length && before[lo] === after[lo]) lo++;
  let tail = 0;
  while (tail < before.length - lo && tail < after.length - lo && before.at(-1 - tail) === after.at(-1 - tail)) tail++;
  const from = Math.max(0, lo - context);
  const oldEnd = Math.min(before.length, before.length - tail + context);
  const newEnd = Math.min(after.length, after.length - tail + context);
  const rows = [
    ...before.slice(from, lo).map((l) => ` ${l}`),
    ...before.slice(lo, before.length - tail).map((l) => `-${l}`),
    ...after.slice(lo, after.length - tail).map((l) => `+${l}`),
    ...after.slice(after.length - tail, newEnd).map((l) => ` ${l}`),
  ];
  return [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`,
    `@@ -${from + 1},${oldEnd - from} +${from + 1},${newEnd - from} @@`, ...rows, ""].join("\n");
}

test("in a diff that shows part of a file, the suggestion is the package's fix of the whole file, line for line", () => {
  // Non-ASCII text before the change (offsets in the diff's text are not the file's), and a line the diff leaves out.
  const before = ["-- Ünïcödé 🐘 migration", "SET statement_timeout = '5s';", "-- nothing here", "", "SELECT 1;", "-- end"];
  const after = [...before.slice(0, 5), "CREATE INDEX idx_🐘 ON users (email); -- é", "-- end"];
  const path = "db/migrate/20240101000000_idx.sql";
  const diff = diffOf(path, before, after);
  const file = `${after.join("\n")}\n`;
  const rules = ["add-index-non-concurrently"];
  const fromDiff = zerodown.lintDiff(diff, {}).findings.find((f) => rules.includes(f.rule));
  const whole = zerodown.lint(file, {}, path).findings.find((f) => rules.includes(f.rule));
  assert.ok(fromDiff?.fix && whole?.fix, "both lints carry the fix");
  assert.equal(fromDiff.span.start.line, whole.span.start.line, "lines are the file's own in a diff");
  assert.notEqual(fromDiff.span.start.utf16, whole.span.start.utf16, "offsets are not: the diff leaves lines out");

  const s = suggestion(fromDiff, shownLines(diff));
  assert.equal(s.first, 6);
  assert.equal(s.last, 6);
  assert.deepEqual(s.lines, ["CREATE INDEX CONCURRENTLY idx_🐘 ON users (email); -- é"]);
  // The same lines as the package's fix of the whole file.
  const fixed = applied(file, whole.fix).split("\n");
  const added = fixed.length - file.split("\n").length;
  assert.deepEqual(s.lines, fixed.slice(s.first - 1, s.last + added));
  assert.equal(s.block, "```suggestion\nCREATE INDEX CONCURRENTLY idx_🐘 ON users (email); -- é\n```");
});

test("every fix of a migration, as whole lines: the same as the package's fix of the file", () => {
  const file = [
    "ALTER TABLE orders ADD CONSTRAINT orders_user_fk",
    "  FOREIGN KEY (user_id) REFERENCES users (id);",
    "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;",
    "DROP INDEX idx_old;",
    "",
  ].join("\n");
  const lines = file.split("\n");
  const report = zerodown.lint(file, {}, "db/migrate/1_x.sql");
  const fixed = report.findings.filter((f) => f.fix);
  assert.ok(fixed.length >= 3, `fixes: ${report.findings.map((f) => `${f.rule}${f.fix ? "*" : ""}`).join(", ")}`);
  for (const f of fixed) {
    const s = suggestion(f, (n) => lines[n - 1]);
    assert.ok(s, `${f.rule}: a suggestion`);
    const after = applied(file, f.fix).split("\n");
    const added = after.length - lines.length;
    assert.deepEqual(s.lines, after.slice(s.first - 1, s.last + added), f.rule);
    assert.deepEqual([...lines.slice(0, s.first - 1), ...s.lines, ...lines.slice(s.last)], after, `${f.rule}: the lines replaced give the fixed file`);
  }
});

test("no suggestion without a fix, or when a line it needs is not shown", () => {
  const at = (line, column) => ({ line, column, offset: 0, utf16: 0 });
  const fix = { title: "t", edits: [{ span: { start: at(3, 13), end: at(3, 13) }, text: " CONCURRENTLY" }] };
  const statement = { start: at(2, 1), end: at(3, 20) };
  assert.equal(suggestion({ statement }, () => "x"), null);
  assert.equal(suggestion({ statement, fix }, (n) => (n === 3 ? "CREATE INDEX i ON t (a);" : undefined)), null);
  // A column past the end of its line: the shown text is not what was linted.
  assert.equal(suggestion({ statement, fix }, () => "short"), null);
  const s = suggestion({ statement, fix }, (n) => (n === 3 ? "CREATE INDEX i ON t (a);" : "-- x"));
  assert.deepEqual(s.lines, ["-- x", "CREATE INDEX CONCURRENTLY i ON t (a);"]);
});

test("the fence is longer than any run of backticks in the lines", () => {
  assert.equal(suggestionBlock(["SELECT 1;"]), "```suggestion\nSELECT 1;\n```");
  assert.equal(suggestionBlock(["-- ``` x", "-- ````` y"]), "``````suggestion\n-- ``` x\n-- ````` y\n``````");
});
