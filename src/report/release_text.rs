//! The text of `zerodown schedule` and `zerodown upgrade-path`: what is due,
//! the deployments of an upgrade, then the release findings as code frames.

use annotate_snippets::Renderer;

use super::{
    render_finding, Finding, ReleaseMigration, ScheduleReport, Summary, UpgradePathReport,
};

/// `zerodown schedule` as text. `source` gives a finding's file text (a
/// migration or the ignored-columns file) for its code frame; with `color`,
/// ANSI styles are used.
pub fn render_schedule_text(
    report: &ScheduleReport,
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
) -> String {
    let mut out = String::new();
    let unreleased = report
        .unreleased_as
        .as_ref()
        .map_or_else(String::new, |u| format!(" (unreleased/ as {u})"));
    out.push_str(&format!("Due at {}{unreleased}:\n", report.version));
    if report.due.is_empty() {
        out.push_str("  (none)\n");
    }
    for m in &report.due {
        push_line(&mut out, m);
    }
    out.push_str("\nNot yet due:\n");
    if report.not_due.is_empty() {
        out.push_str("  (none)\n");
    }
    for m in &report.not_due {
        push_line(&mut out, m);
    }
    out.push('\n');
    push_findings(&mut out, &report.findings, &report.summary, source, color);
    out
}

/// `zerodown upgrade-path` as text; `source` and `color` as for
/// [`render_schedule_text`].
pub fn render_upgrade_path_text(
    report: &UpgradePathReport,
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
) -> String {
    let mut out = String::new();
    let stops = if report.required_stops.is_empty() {
        String::new()
    } else {
        format!(", required stops {}", report.required_stops.join(", "))
    };
    out.push_str(&format!(
        "Upgrade {} → {} ({}{stops}): {} deployment(s)\n",
        report.from,
        report.to,
        report.mode,
        report.deployments.len()
    ));
    for (i, d) in report.deployments.iter().enumerate() {
        let stop = if d.required_stop {
            " (required stop)"
        } else {
            ""
        };
        out.push_str(&format!("\n{}. deploy {}{stop}\n", i + 1, d.version));
        if d.migrations.is_empty() {
            out.push_str("  (no migrations)\n");
        }
        for m in &d.migrations {
            push_line(&mut out, m);
        }
    }
    if !report.not_run.is_empty() {
        out.push_str("\nNot run by this upgrade:\n");
        for m in &report.not_run {
            push_line(&mut out, m);
        }
    }
    out.push('\n');
    push_findings(&mut out, &report.findings, &report.summary, source, color);
    out
}

/// One migration: version, phase, path and its change step.
fn push_line(out: &mut String, m: &ReleaseMigration) {
    let version = m.version.as_deref().unwrap_or("unreleased");
    out.push_str(&format!(
        "  {version:<10} {:<12} {}",
        m.phase.as_str(),
        m.path
    ));
    if let (Some(c), Some(n)) = (&m.change, m.step) {
        out.push_str(&format!("  [{c} step {n}]"));
    }
    out.push('\n');
}

fn push_findings(
    out: &mut String,
    findings: &[Finding],
    summary: &Summary,
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
) {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for f in findings {
        let text = source(&f.path);
        out.push_str(&render_finding(f, text.as_deref(), &renderer));
        out.push_str("\n\n");
    }
    if summary.errors + summary.warnings + summary.infos == 0 {
        out.push_str("No steps collapse.\n");
    } else {
        out.push_str(&format!(
            "{} error(s), {} warning(s), {} info(s).\n",
            summary.errors, summary.warnings, summary.infos
        ));
    }
}
