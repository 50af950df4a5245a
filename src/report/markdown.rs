//! The Markdown report: a merge-request or pull-request note
//! (`--format markdown`). A headline with the counts, the files not checked,
//! then the findings grouped by file, each with its plan as a release
//! timeline whose SQL sits in collapsible blocks.
//!
//! Escaping follows CommonMark: a code span's fence is one backtick longer
//! than the longest run inside it; in a table cell `|` is `\|`, in code too;
//! outside code, HTML is written as entities and the characters that start
//! inline markup (`\` `` ` `` `*` `_` `[` `]` `~`) get a backslash. The
//! rules' messages hold `code` spans, which stay code.
//!
//! The note stays under [`MAX_NOTE`] bytes, below what GitHub (65,536
//! characters) and GitLab (1,000,000) accept in a comment: plans are left
//! out first, then the rows of a file's table, each time with a note saying
//! what was left out.

use std::fmt::Write;

use super::{FileStatus, Finding, LintReport, Severity};
use crate::plan::Plan;

/// The longest note, in bytes.
pub const MAX_NOTE: usize = 60_000;

/// Said when a note leaves the plans out.
const PLANS_LEFT_OUT: &str =
    "*Plans are left out to keep this note within a comment's size: `zerodown lint --format json` has them.*\n\n";

/// `text` as one code span; `table` escapes pipes for a table cell.
pub fn code_span(text: &str, table: bool) -> String {
    let mut s = text.replace("\r\n", " ").replace('\n', " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if s.starts_with([' ', '`']) || s.ends_with([' ', '`']) {
        s = format!(" {s} ");
    }
    if table {
        s = s.replace('|', "\\|");
    }
    format!("{fence}{s}{fence}")
}

/// Plain text, escaped so that Markdown shows it as written.
pub fn plain_text(text: &str, table: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |k: Option<&char>| k.is_some_and(char::is_ascii_alphanumeric);
        match c {
            '\r' => {}
            '\n' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `_` inside a word (snake_case) starts nothing.
            '_' if !(word(i.checked_sub(1).and_then(|p| chars.get(p)))
                && word(chars.get(i + 1))) =>
            {
                out.push_str("\\_");
            }
            '|' if table => out.push_str("\\|"),
            c => out.push(c),
        }
    }
    out
}

/// A rule's message (text with `code` spans, read as CommonMark reads them:
/// a run of n backticks up to the next run of exactly n) as Markdown.
pub fn message(text: &str, table: bool) -> String {
    let b = text.as_bytes();
    let run_at = |i: usize| b[i..].iter().take_while(|&&c| c == b'`').count();
    let (mut out, mut plain_from, mut i) = (String::new(), 0, 0);
    while i < b.len() {
        if b[i] != b'`' {
            i += 1;
            continue;
        }
        let n = run_at(i);
        // The closing run: exactly n backticks.
        let mut j = i + n;
        let close = loop {
            match b[j..].iter().position(|&c| c == b'`') {
                None => break None,
                Some(k) => {
                    let at = j + k;
                    let m = run_at(at);
                    if m == n {
                        break Some(at);
                    }
                    j = at + m;
                }
            }
        };
        let Some(close) = close else {
            i += n;
            continue;
        };
        let mut inner = text[i + n..close].replace('\n', " ");
        if inner.len() > 2 && inner.starts_with(' ') && inner.ends_with(' ') && inner.trim() != "" {
            inner = inner[1..inner.len() - 1].to_string();
        }
        out.push_str(&plain_text(&text[plain_from..i], table));
        out.push_str(&code_span(&inner, table));
        i = close + n;
        plain_from = i;
    }
    out.push_str(&plain_text(&text[plain_from..], table));
    out
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "🔴",
        Severity::Warning => "🟠",
        Severity::Info => "🔵",
    }
}

/// A plan as a release timeline: each release, its steps, their SQL and
/// rollback in collapsible blocks.
fn plan_markdown(plan: &Plan) -> String {
    let mut out = String::new();
    let mut n = 0;
    for r in &plan.releases {
        let _ = writeln!(out, "**Release {}**\n", plain_text(&r.version, false));
        for s in &r.steps {
            n += 1;
            let _ = writeln!(
                out,
                "{n}. *{}*: {}",
                s.phase.as_str(),
                plain_text(&s.title, false)
            );
            for (label, body) in [("SQL", &s.sql), ("Rollback", &s.down), ("Code", &s.code)] {
                if let Some(body) = body {
                    let fence = "`".repeat(3.max(longest_run(body) + 1));
                    let lang = if label == "Code" { "" } else { "sql" };
                    let _ = writeln!(
                        out,
                        "   <details><summary>{label}</summary>\n\n   {fence}{lang}\n{}\n   {fence}\n\n   </details>",
                        indent(body.trim_end())
                    );
                }
            }
        }
        out.push('\n');
    }
    out
}

fn longest_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("   {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file's heading and its table's head.
fn file_head(path: &str, phase: &str) -> String {
    format!(
        "#### {} ({phase})\n\n| | Line | Rule | Problem | Do instead |\n|---|---|---|---|---|\n",
        code_span(path, false)
    )
}

/// One finding's row.
fn row(f: &Finding) -> String {
    format!(
        "| {} {} | {} | {} | {} | {} |\n",
        icon(f.severity),
        f.severity.as_str(),
        f.span.start.line,
        code_span(&f.rule, true),
        message(&f.message, true),
        message(&f.help, true)
    )
}

/// A finding's plan as a collapsible block ("" without a plan).
fn plan_block(f: &Finding) -> String {
    let Some(plan) = &f.plan else {
        return String::new();
    };
    let steps: usize = plan.releases.iter().map(|r| r.steps.len()).sum();
    format!(
        "<details><summary>Plan for <code>{}</code> at line {}: {} over {}</summary>\n\n{}</details>\n\n",
        plain_text(&f.rule, false),
        f.span.start.line,
        plural(steps, "step"),
        plural(plan.releases.len(), "release"),
        plan_markdown(plan)
    )
}

/// The note written from findings as they come (`lint --format markdown`
/// on a folder): the same text as [`render_markdown_within`] on the whole
/// report, which is built on it. The note holds at most `max` bytes, so
/// of each file's rows and plans only what could still fit is kept (as
/// text); every length is counted, so which form of the note fits is
/// decided as on the whole report.
pub struct MarkdownStream {
    max: usize,
    /// Keep every row and plan (to check that dropping what cannot fit
    /// changes nothing).
    keep_all: bool,
    groups: Vec<Group>,
    findings: usize,
    /// Bytes of every row, and of rows and plans, so far.
    rows: usize,
    rows_and_plans: usize,
}

/// One file's findings in the note.
struct Group {
    path: String,
    /// The report's file index of its first finding.
    file: Option<u32>,
    /// Its rows, while the rows so far fit the note.
    rows: Vec<String>,
    rows_len: usize,
    /// Its plans, while the rows and plans so far fit the note.
    plans: String,
    plans_len: usize,
}

impl MarkdownStream {
    /// A note of at most `max` bytes.
    pub fn new(max: usize) -> Self {
        MarkdownStream {
            max,
            keep_all: false,
            groups: Vec::new(),
            findings: 0,
            rows: 0,
            rows_and_plans: 0,
        }
    }

    /// A stream that keeps every row and plan, whatever the size: the same
    /// note, for tests that show dropping what cannot fit changes nothing.
    #[doc(hidden)]
    pub fn keeping_everything(max: usize) -> Self {
        MarkdownStream {
            keep_all: true,
            ..Self::new(max)
        }
    }

    /// The next findings, in the report's order.
    pub fn findings(&mut self, findings: &[Finding]) {
        for f in findings {
            if self.groups.last().is_none_or(|g| g.path != f.path) {
                self.groups.push(Group {
                    path: f.path.clone(),
                    file: f.file,
                    rows: Vec::new(),
                    rows_len: 0,
                    plans: String::new(),
                    plans_len: 0,
                });
            }
            let r = row(f);
            let p = plan_block(f);
            self.findings += 1;
            self.rows += r.len();
            self.rows_and_plans += r.len() + p.len();
            let keep_row = self.keep_all || self.rows <= self.max;
            let keep_plan = self.keep_all || self.rows_and_plans <= self.max;
            if let Some(g) = self.groups.last_mut() {
                g.rows_len += r.len();
                g.plans_len += p.len();
                if keep_row {
                    g.rows.push(r);
                }
                if keep_plan {
                    g.plans.push_str(&p);
                }
            }
        }
    }

    /// The note, given the rest of the report (its files and summary).
    pub fn finish(self, report: &LintReport) -> String {
        let MarkdownStream {
            max,
            groups,
            findings,
            ..
        } = self;
        let listed = |s: FileStatus| report.files.iter().filter(move |f| f.status == Some(s));
        let not_checked: Vec<_> = listed(FileStatus::NotChecked).collect();
        let schema: Vec<_> = listed(FileStatus::Schema).collect();
        let migrations = report
            .files
            .iter()
            .filter(|f| {
                f.status
                    .is_none_or(|s| matches!(s, FileStatus::Checked | FileStatus::NotChecked))
            })
            .count();
        if migrations == 0 {
            let mut out = String::from("### zerodown\n\nNo migrations changed.\n");
            if !schema.is_empty() {
                let paths: Vec<String> = schema.iter().map(|f| code_span(&f.path, false)).collect();
                let _ = writeln!(
                    out,
                    "\nSchema dumps changed, not linted: {}.",
                    paths.join(", ")
                );
            }
            return out;
        }
        let s = &report.summary;
        let mut head = String::from("### zerodown: ");
        if findings == 0 {
            head.push_str("no downtime risks");
        } else {
            let mut counts = vec![
                plural(s.errors as usize, "error"),
                plural(s.warnings as usize, "warning"),
            ];
            if s.infos > 0 {
                counts.push(format!("{} info", s.infos));
            }
            head.push_str(&counts.join(", "));
        }
        let _ = write!(head, " in {}", plural(migrations, "migration"));
        if !not_checked.is_empty() {
            let _ = write!(head, " ({} not checked)", not_checked.len());
        }
        head.push_str("\n\n");
        if let (Some(changed), Some(context)) = (s.changed, s.context) {
            let _ = writeln!(
                head,
                "{} changed, {context} read for context.\n",
                plural(changed as usize, "statement")
            );
        }
        if !not_checked.is_empty() {
            head.push_str("**Not checked** (review these by hand):\n\n");
            for f in &not_checked {
                let _ = writeln!(
                    head,
                    "- {}: {}",
                    code_span(&f.path, false),
                    message(f.reason.as_deref().unwrap_or("not checked"), false)
                );
            }
            head.push('\n');
        }
        let tail = note_tail(report, &schema);
        // The files with findings, in the report's order, with their heads.
        let heads: Vec<String> = groups
            .iter()
            .map(|g| {
                let phase = g
                    .file
                    .and_then(|i| report.files.get(i as usize))
                    .map_or("regular", |fs| fs.phase.as_str());
                file_head(&g.path, phase)
            })
            .collect();
        for plans in [true, false] {
            let note = if plans { "" } else { PLANS_LEFT_OUT };
            let body: usize = groups
                .iter()
                .zip(&heads)
                .map(|(g, h)| h.len() + g.rows_len + 1 + if plans { g.plans_len } else { 0 })
                .sum();
            if head.len() + note.len() + body + tail.len() <= max {
                // It fits, so every row and plan was kept.
                let mut out = head;
                out.push_str(note);
                for (g, h) in groups.iter().zip(&heads) {
                    out.push_str(h);
                    for r in &g.rows {
                        out.push_str(r);
                    }
                    out.push('\n');
                    if plans {
                        out.push_str(&g.plans);
                    }
                }
                out.push_str(&tail);
                return out;
            }
        }
        // Still too long: as many findings as fit, then how many were left
        // out. A row that was not kept would not fit either.
        let mut out = head;
        out.push_str(PLANS_LEFT_OUT);
        let mut shown = 0;
        let reserve = tail.len() + 200;
        'files: for (g, head) in groups.iter().zip(&heads) {
            if out.len() + head.len() + reserve > max {
                break;
            }
            out.push_str(head);
            let count =
                g.rows.len() + usize::from(g.rows_len > g.rows.iter().map(String::len).sum());
            for i in 0..count {
                match g.rows.get(i) {
                    Some(r) if out.len() + r.len() + reserve <= max => {
                        out.push_str(r);
                        shown += 1;
                    }
                    _ => {
                        out.push('\n');
                        break 'files;
                    }
                }
            }
            out.push('\n');
        }
        let left = findings - shown;
        let _ = writeln!(
            out,
            "*{} not shown: the note would pass a comment's size limit. `zerodown lint` lists every finding.*\n",
            plural(left, "more finding")
        );
        out.push_str(&tail);
        out
    }
}

/// The note's end: the files read, and the version.
fn note_tail(report: &LintReport, schema: &[&super::FileSummary]) -> String {
    let mut tail = String::new();
    let checked: Vec<_> = report
        .files
        .iter()
        .filter(|f| f.status.is_none_or(|s| s == FileStatus::Checked))
        .collect();
    if !checked.is_empty() || !schema.is_empty() {
        tail.push_str("<details><summary>Files read</summary>\n\n");
        for f in &checked {
            let _ = write!(
                tail,
                "- {} ({}, {}",
                code_span(&f.path, false),
                f.phase.as_str(),
                plural(f.statements as usize, "statement")
            );
            if let Some(c) = f.changed {
                let _ = write!(tail, ", {c} changed");
            }
            tail.push_str(")\n");
        }
        for f in schema {
            let _ = writeln!(
                tail,
                "- {} (schema dump, not linted)",
                code_span(&f.path, false)
            );
        }
        tail.push_str("\n</details>\n\n");
    }
    let _ = writeln!(tail, "<sub>zerodown {}</sub>", env!("CARGO_PKG_VERSION"));

    tail
}

/// Renders the note.
pub fn render_markdown(report: &LintReport) -> String {
    render_markdown_within(report, MAX_NOTE)
}

/// Renders the note within `max` bytes.
pub fn render_markdown_within(report: &LintReport, max: usize) -> String {
    let mut stream = MarkdownStream::new(max);
    stream.findings(&report.findings);
    stream.finish(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_take_a_longer_fence_and_escape_pipes_in_tables() {
        assert_eq!(code_span("a``b`", false), "``` a``b` ```");
        assert_eq!(code_span("db/a|b.sql:1", true), "`db/a\\|b.sql:1`");
        assert_eq!(code_span("plain", false), "`plain`");
    }

    #[test]
    fn messages_keep_their_code_and_escape_the_rest() {
        assert_eq!(
            message(
                "add `-- zerodown-ignore drop-column: <reason>` above",
                false
            ),
            "add `-- zerodown-ignore drop-column: <reason>` above"
        );
        assert_eq!(message("a <b> & c | d", true), "a &lt;b&gt; &amp; c \\| d");
        assert_eq!(message("run ``a ` b`` now", true), "run ``a ` b`` now");
        assert_eq!(message("x `a|b` y", true), "x `a\\|b` y");
        assert_eq!(
            message("a lone ` backtick *and* [link](x)", false),
            "a lone \\` backtick \\*and\\* \\[link\\](x)"
        );
        assert_eq!(message("snake_case _x_", false), "snake_case \\_x\\_");
        assert_eq!(
            message(
                "dropping `users`.`` e`mail `` breaks <old> code | now",
                true
            ),
            "dropping `users`.``e`mail`` breaks &lt;old&gt; code \\| now"
        );
    }
}
