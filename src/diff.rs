//! Unified diffs (`git diff`, a merge request's or pull request's `.diff`)
//! to the files they touch: each file's new text as far as the diff shows
//! it, the lines it adds, and where it leaves lines out.
//! [`lint_diff`](crate::lint::lint_diff) lints them.
//!
//! Lines the diff does not show are blank in the text, so positions are the
//! file's own. The first unknown line of each gap holds a `;`: a statement
//! cut off by a gap ends there instead of running into the next hunk. Every
//! count in a hunk header is bounded ([`MAX_LINE`], [`MAX_TOTAL_LINES`]): a
//! header claiming line 999,999,999 makes its file "not checked", it never
//! makes zerodown build a text of that size.

use std::ops::Range;

/// The highest line number a hunk may reach.
pub const MAX_LINE: u64 = 1_000_000;
/// The most lines (shown and blank) the files of one diff may hold in all.
pub const MAX_TOTAL_LINES: u64 = 10_000_000;

/// One file of a diff.
#[derive(Debug, Default)]
pub struct DiffFile {
    /// The new path (the old one for a deleted file), decoded.
    pub path: String,
    /// The file is new (`--- /dev/null`): the diff shows all of it.
    pub added: bool,
    /// The file is deleted.
    pub deleted: bool,
    /// The new text: shown lines, the others blank (see the module doc).
    pub text: String,
    /// Byte ranges of `text` the diff adds, and empty ranges where it
    /// removes lines.
    pub changes: Vec<Range<usize>>,
    /// Byte offsets where lines the diff does not show begin.
    pub gaps: Vec<usize>,
    /// Why the file cannot be read from the diff, if it cannot.
    pub problem: Option<String>,
    /// The diff holds at least one hunk for the file.
    pub has_hunks: bool,
}

/// Splits a unified diff into its files. Never fails: what cannot be read
/// becomes a file's `problem`.
pub fn parse(diff: &str) -> Vec<DiffFile> {
    let mut files: Vec<DiffFile> = Vec::new();
    let mut cur: Option<Builder> = None;
    let mut total = 0u64;
    for (n, line) in diff.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let at = n + 1;
        if let Some(b) = cur.as_mut().filter(|b| b.old_left > 0 || b.new_left > 0) {
            b.body(line, at);
            continue;
        }
        if let Some(rest) = line.strip_prefix("diff --git ") {
            finish(&mut files, cur.take());
            let mut b = Builder::default();
            b.file.path = git_header_path(rest);
            b.git = true;
            cur = Some(b);
        } else if let Some(rest) = line.strip_prefix("--- ") {
            // A plain `diff -u` starts a file here; git's header already did.
            let starts = cur.as_ref().is_none_or(|b| b.file.has_hunks || b.saw_old);
            if starts {
                finish(&mut files, cur.take());
                cur = Some(Builder::default());
            }
            let b = cur.as_mut().expect("a file");
            b.saw_old = true;
            if rest.trim_end() == "/dev/null" {
                b.file.added = true;
            } else {
                b.old_path = Some(header_path(rest, b.git, at, &mut b.file.problem));
            }
        } else if let Some(rest) = line.strip_prefix("+++ ") {
            let b = cur.get_or_insert_with(Builder::default);
            if rest.trim_end() == "/dev/null" {
                b.file.deleted = true;
                if let Some(p) = b.old_path.take() {
                    b.file.path = p;
                }
            } else {
                b.file.path = header_path(rest, b.git, at, &mut b.file.problem);
            }
        } else if let Some(b) = cur.as_mut() {
            if let Some(rest) = line.strip_prefix("@@ ") {
                b.hunk(rest, at, &mut total);
            } else if let Some(p) = line.strip_prefix("rename to ") {
                b.file.path = decode_path(p, at, &mut b.file.problem);
            } else if line.starts_with("new file mode") {
                b.file.added = true;
            } else if line.starts_with("deleted file mode") {
                b.file.deleted = true;
            } else if line.starts_with("Binary files ") || line == "GIT binary patch" {
                b.problem("a binary file: the diff does not show its text".into());
            }
        }
    }
    finish(&mut files, cur);
    files
}

#[derive(Default)]
struct Builder {
    file: DiffFile,
    git: bool,
    saw_old: bool,
    old_path: Option<String>,
    /// The next new-file line to write (1-based).
    next: u64,
    old_left: u64,
    new_left: u64,
    /// Where the current run of added lines began.
    run: Option<usize>,
}

impl Builder {
    fn problem(&mut self, why: String) {
        self.file.problem.get_or_insert(why);
        self.old_left = 0;
        self.new_left = 0;
    }

    /// Reads `-a,b +c,d @@`, and pads the text up to line `c`.
    fn hunk(&mut self, header: &str, at: usize, total: &mut u64) {
        if self.file.problem.is_some() {
            return;
        }
        let Some((old, new)) = hunk_ranges(header) else {
            return self.problem(format!(
                "diff line {at}: a hunk header zerodown cannot read: `@@ {header}`"
            ));
        };
        let (start, len) = new;
        let end = start.saturating_add(len);
        if end > MAX_LINE {
            return self.problem(format!(
                "diff line {at}: the hunk header claims line {end}; zerodown reads files of at most {MAX_LINE} lines"
            ));
        }
        // `+c,0` names the line after which lines were removed.
        let first = if len == 0 { start + 1 } else { start.max(1) };
        let next = self.next.max(1);
        if first < next {
            return self.problem(format!("diff line {at}: hunks out of order"));
        }
        *total += first - next + len;
        if *total > MAX_TOTAL_LINES {
            return self.problem(format!(
                "diff line {at}: the diff claims more than {MAX_TOTAL_LINES} lines in all; this file and the rest are not read"
            ));
        }
        if first > next {
            self.gap(first - next);
        }
        self.next = first;
        self.file.has_hunks = true;
        (self.old_left, self.new_left) = (old.1, len);
    }

    /// `n` lines the diff does not show.
    fn gap(&mut self, n: u64) {
        self.end_run();
        self.file.gaps.push(self.file.text.len());
        self.file.text.push_str(";\n");
        for _ in 1..n {
            self.file.text.push('\n');
        }
    }

    fn end_run(&mut self) {
        if let Some(s) = self.run.take() {
            self.file.changes.push(s..self.file.text.len());
        }
    }

    fn body(&mut self, line: &str, at: usize) {
        let (tag, rest) = line.split_at(line.len().min(1));
        match tag {
            "+" | " " | "" if self.new_left > 0 => {
                if tag == "+" {
                    self.run.get_or_insert(self.file.text.len());
                } else {
                    self.end_run();
                    self.old_left = self.old_left.saturating_sub(1);
                }
                self.file.text.push_str(rest);
                self.file.text.push('\n');
                self.new_left -= 1;
                self.next += 1;
            }
            "-" if self.old_left > 0 => {
                self.end_run();
                let here = self.file.text.len();
                self.file.changes.push(here..here);
                self.old_left -= 1;
            }
            "\\" => {}
            _ => self.problem(format!(
                "diff line {at}: the hunk ends before the lines its header counts"
            )),
        }
    }
}

fn finish(files: &mut Vec<DiffFile>, b: Option<Builder>) {
    let Some(mut b) = b else { return };
    b.end_run();
    if b.new_left > 0 || b.old_left > 0 {
        b.problem("the diff ends inside a hunk".into());
    }
    if b.file.problem.is_some() {
        b.file.text.clear();
        b.file.changes.clear();
        b.file.gaps.clear();
    } else if !b.file.added && b.file.has_hunks {
        // The lines after the last hunk are unknown too.
        b.file.gaps.push(b.file.text.len());
        b.file.text.push_str(";\n");
    }
    files.push(b.file);
}

/// `-a,b +c,d @@ ...` to `((a, b), (c, d))`; a missing count is 1.
fn hunk_ranges(header: &str) -> Option<((u64, u64), (u64, u64))> {
    let mut parts = header.split(' ');
    let old = range(parts.next()?.strip_prefix('-')?)?;
    let new = range(parts.next()?.strip_prefix('+')?)?;
    (parts.next()? == "@@").then_some((old, new))
}

fn range(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once(',').unwrap_or((s, "1"));
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The path of `diff --git a/x b/x`, used when no `---`/`+++` follow (a
/// rename, a mode change, a binary file).
fn git_header_path(rest: &str) -> String {
    let mut problem = None;
    if rest.starts_with('"') || rest.ends_with('"') {
        if let Some(i) = rest.rfind(" \"").or_else(|| rest.rfind(" b/")) {
            return strip_prefix(&decode_path(&rest[i + 1..], 0, &mut problem));
        }
    }
    // `a/p b/p`: the two halves are the same path.
    let half = rest.len() / 2;
    let path = rest
        .get(half + 1..)
        .filter(|b| rest.get(..half).is_some_and(|a| a.get(2..) == b.get(2..)))
        .unwrap_or_else(|| rest.rsplit(" b/").next().unwrap_or(rest));
    strip_prefix(path)
}

/// A `---`/`+++` path: unquoted, without `a/`/`b/` (git), without a
/// trailing tab and date (`diff -u`).
fn header_path(raw: &str, git: bool, at: usize, problem: &mut Option<String>) -> String {
    let raw = if raw.starts_with('"') {
        raw.trim_end()
    } else {
        raw.split('\t').next().unwrap_or(raw)
    };
    let path = decode_path(raw, at, problem);
    if git || path.starts_with("a/") || path.starts_with("b/") {
        strip_prefix(&path)
    } else {
        path
    }
}

fn strip_prefix(path: &str) -> String {
    path.strip_prefix("a/")
        .or_else(|| path.strip_prefix("b/"))
        .unwrap_or(path)
        .to_string()
}

/// Git's C-style quoting (`"caf\303\251.sql"`): escapes and octal bytes,
/// decoded as UTF-8. A path that is not UTF-8 keeps replacement characters
/// and sets `problem`.
fn decode_path(raw: &str, at: usize, problem: &mut Option<String>) -> String {
    let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
        return raw.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(c) = it.next() {
        if c != b'\\' {
            bytes.push(c);
            continue;
        }
        let Some(e) = it.next() else { break };
        bytes.push(match e {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'v' => 11,
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match it.peek() {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            it.next();
                        }
                        _ => break,
                    }
                }
                (v & 0xff) as u8
            }
            other => other,
        });
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let s = String::from_utf8_lossy(e.as_bytes()).into_owned();
            problem.get_or_insert(format!("diff line {at}: the path is not valid UTF-8"));
            s
        }
    }
}
