//! The human format: rustc-style code frames with the statement underlined,
//! the message and `help:` with the safe alternative.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Finding, LintReport, RuleInfo, Severity};

/// Renders a report; `sources` gives each path's text for the code frames.
/// With `color`, ANSI styles are used.
pub fn render_text(
    report: &LintReport,
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
) -> String {
    let renderer = text_renderer(color);
    let left = report
        .files
        .iter()
        .filter(|f| f.status == Some(super::FileStatus::Skipped))
        .count();
    let mut out = text_head(report.tool.as_ref(), left);
    let mut start = 0;
    // One file's findings at a time, as a streamed run hands them out.
    while start < report.findings.len() {
        let path = &report.findings[start].path;
        let end = report.findings[start..]
            .iter()
            .position(|f| f.path != *path)
            .map_or(report.findings.len(), |n| start + n);
        let text = source(path);
        out.push_str(&text_findings(
            &report.findings[start..end],
            text.as_deref(),
            &renderer,
        ));
        start = end;
    }
    out.push_str(&text_tail(report));
    out
}

/// The renderer of the text format, with ANSI styles or without.
pub fn text_renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// The text format's first line, when a migration tool read the folders:
/// the tool, why, the direction and how many files it left out.
pub fn text_head(tool: Option<&super::ToolRun>, left: usize) -> String {
    tool.map_or_else(String::new, |t| {
        format!(
            "tool: {} ({}); {} scripts in run order, {} left out\n\n",
            t.name,
            t.why,
            t.direction,
            plural(left, "file")
        )
    })
}

/// The text of findings of one file (`source`: its text, for the frames).
pub fn text_findings(findings: &[Finding], source: Option<&str>, renderer: &Renderer) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&render_finding(f, source, renderer));
        out.push_str("\n\n");
    }
    out
}

/// The text format's end: files not or partly checked, and the counts.
pub fn text_tail(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.files {
        if let (Some(status), Some(reason)) = (f.status, &f.reason) {
            if matches!(
                status,
                super::FileStatus::NotChecked | super::FileStatus::Checked
            ) {
                let what = if status == super::FileStatus::Checked {
                    "partly checked"
                } else {
                    "not checked"
                };
                out.push_str(&format!("{}: {what}: {reason}\n", f.path));
            }
        }
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// `zerodown rules` as text: id, severity and summary, one rule a line.
pub fn render_rules_text(rules: &[RuleInfo]) -> String {
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in rules {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            r.id,
            r.severity.as_str(),
            r.summary
        ));
    }
    out
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// One finding as a code frame.
pub fn render_finding(f: &Finding, source: Option<&str>, renderer: &Renderer) -> String {
    let title = level(f.severity)
        .primary_title(f.message.as_str())
        .id(f.rule.as_str());
    let help = Group::with_title(Level::HELP.secondary_title(f.help.as_str()));
    let mut groups = Vec::with_capacity(3);
    let framed = source.and_then(|s| frame(s, f));
    match &framed {
        Some((snippet_text, line_start, stmt, primary)) => {
            let snippet = Snippet::source(snippet_text.as_str())
                .line_start(*line_start)
                .path(f.path.as_str())
                .fold(true)
                .annotation(AnnotationKind::Primary.span(primary.clone()))
                .annotation(AnnotationKind::Context.span(stmt.clone()));
            groups.push(title.element(snippet));
        }
        None => groups.push(
            title.element(
                Snippet::<annotate_snippets::Annotation<'_>>::source("")
                    .path(f.path.as_str())
                    .line_start(f.span.start.line as usize),
            ),
        ),
    }
    groups.push(help);
    let plan_note;
    if let Some(plan) = &f.plan {
        plan_note = format!(
            "plan: {} over {} ({}); run `zerodown plan` or see the JSON `plan` field",
            plan.change.kind(),
            plan.releases
                .iter()
                .map(|r| r.version.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            plural(plan.releases.iter().map(|r| r.steps.len()).sum(), "step"),
        );
        groups.push(Group::with_title(
            Level::NOTE.secondary_title(plan_note.as_str()),
        ));
    }
    let fix_note;
    if let Some(fix) = &f.fix {
        fix_note = format!("fix: {} (`zerodown fix` applies it)", fix.title);
        groups.push(Group::with_title(
            Level::NOTE.secondary_title(fix_note.as_str()),
        ));
    }
    renderer.render(&groups)
}

/// The lines of the statement, and the statement and primary ranges
/// relative to them. Invisible characters are written out (`<U+202E>`), so
/// a terminal shows the text that runs, not a reordered one.
fn frame(
    source: &str,
    f: &Finding,
) -> Option<(
    String,
    usize,
    std::ops::Range<usize>,
    std::ops::Range<usize>,
)> {
    let stmt_start = f.statement.start.offset as usize;
    let stmt_end = f.statement.end.offset as usize;
    if stmt_end > source.len() || stmt_start > stmt_end {
        return None;
    }
    let first = source[..stmt_start].rfind('\n').map_or(0, |i| i + 1);
    let last = source[stmt_end..]
        .find('\n')
        .map_or(source.len(), |i| stmt_end + i);
    let raw = &source[first..last];
    let hidden: Vec<_> = crate::rules::invisible_characters(raw).collect();
    let mut text = String::with_capacity(raw.len() + hidden.len() * 8);
    let mut at = 0;
    for (span, c) in &hidden {
        text.push_str(&raw[at..span.start]);
        text.push_str(&format!("<U+{:04X}>", u32::from(*c)));
        at = span.end;
    }
    text.push_str(&raw[at..]);
    // An offset of the source to one of `text`.
    let rel = |o: u32| {
        let o = (o as usize).clamp(first, last) - first;
        let grown: usize = hidden
            .iter()
            .filter(|(s, _)| s.start < o)
            .map(|(s, c)| format!("<U+{:04X}>", u32::from(*c)).len() - s.len())
            .sum();
        o + grown
    };
    let mut primary = rel(f.span.start.offset)..rel(f.span.end.offset);
    if primary.is_empty() {
        primary.end = (primary.start + 1).min(text.len());
    }
    let stmt = rel(f.statement.start.offset)..rel(f.statement.end.offset);
    Some((text, f.statement.start.line as usize, stmt, primary))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `3 errors, 1 warning, 0 infos in 2 files`, and for a diff what was
/// changed, read for context and not checked.
pub fn summary_line(report: &LintReport) -> String {
    let s = &report.summary;
    let mut line = format!(
        "{}, {}, {} in {}",
        plural(s.errors as usize, "error"),
        plural(s.warnings as usize, "warning"),
        plural(s.infos as usize, "info"),
        // A tool's folder: the files linted, not those it left out.
        plural(
            if report.tool.is_some() {
                report.files.iter().filter(|f| f.run.is_some()).count()
            } else {
                report.files.len()
            },
            "file"
        )
    );
    if let (Some(changed), Some(context)) = (s.changed, s.context) {
        line.push_str(&format!(
            " ({} changed, {context} read for context",
            plural(changed as usize, "statement")
        ));
        match s.not_checked.unwrap_or(0) {
            0 => line.push(')'),
            n => line.push_str(&format!(
                "; {} not checked)",
                plural(n as usize, "migration")
            )),
        }
    }
    line
}
