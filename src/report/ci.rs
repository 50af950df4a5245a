//! Reports for CI platforms, rendered from one [`LintReport`]: SARIF 2.1.0
//! (code scanning), GitLab Code Quality, GitHub Actions workflow commands,
//! JUnit XML and a Markdown note (`report::markdown`). Positions are 1-based everywhere, as in the report.
//!
//! Fingerprints are the findings' own ([`Finding::fingerprint`], see
//! `report::fingerprint`). A report that carries none (the browser's lint
//! module leaves them out) gets one from the rule, the path, the message and
//! the finding's rank among equal ones: stable under lines moving, but blind
//! to edits that keep the message.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::fingerprint;
use super::{FileStatus, Finding, LintReport, Severity};

/// A CI report format (`zerodown lint --format NAME`, `format(report, NAME)`
/// in JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiFormat {
    /// SARIF 2.1.0, for code scanning (GitHub and others).
    Sarif,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// GitHub Actions workflow commands (`::error file=...::`).
    Github,
    /// JUnit XML, for test-report views (GitLab, Jenkins).
    Junit,
    /// A merge-request note in Markdown.
    Markdown,
}

impl CiFormat {
    /// Every format, by name.
    pub const ALL: [(&'static str, CiFormat); 5] = [
        ("sarif", CiFormat::Sarif),
        ("gitlab", CiFormat::Gitlab),
        ("github", CiFormat::Github),
        ("junit", CiFormat::Junit),
        ("markdown", CiFormat::Markdown),
    ];

    /// The format called `name`.
    pub fn parse(name: &str) -> Option<CiFormat> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

/// Renders `report` in `format`.
pub fn render_ci(report: &LintReport, format: CiFormat) -> String {
    match format {
        CiFormat::Sarif => render_sarif(report),
        CiFormat::Gitlab => render_gitlab(report),
        CiFormat::Github => render_github(report),
        CiFormat::Junit => render_junit(report),
        CiFormat::Markdown => super::markdown::render_markdown(report),
    }
}

/// Where a rule's documentation lives.
pub fn rule_url(id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules/{id}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Each finding's fingerprint: its own, or one made from what the report holds.
fn fingerprints(report: &LintReport) -> Vec<String> {
    let mut made = fingerprint::Ranks::default();
    report
        .findings
        .iter()
        .map(|f| {
            f.fingerprint
                .clone()
                .unwrap_or_else(|| made.fingerprint(&[&f.rule, &f.path, &f.message, &f.help]))
        })
        .collect()
}

/// Files that were not checked, with why.
fn not_checked(report: &LintReport) -> impl Iterator<Item = (&str, &str)> {
    report
        .files
        .iter()
        .filter(|f| f.status == Some(FileStatus::NotChecked))
        .map(|f| (f.path.as_str(), f.reason.as_deref().unwrap_or("not read")))
}

/// GitLab Code Quality: errors are `critical` for rules whose statement
/// breaks the application code still running (a dropped or renamed column
/// or table, a required column old code does not write), `major` for the
/// others (locks and rewrites); warnings `minor`; infos `info`.
pub fn gitlab_severity(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Error => {
            let breaks = crate::rules::find(&f.rule).is_some_and(|r| r.meta().breaks_running_code);
            if breaks {
                "critical"
            } else {
                "major"
            }
        }
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

fn render_gitlab(report: &LintReport) -> String {
    let fps = fingerprints(report);
    let entries: Vec<Value> = report
        .findings
        .iter()
        .zip(&fps)
        .map(|(f, fp)| {
            json!({
                "type": "issue",
                "description": format!("{} ({})", f.message, f.help),
                "check_name": f.rule,
                "categories": ["Bug Risk"],
                "fingerprint": fp,
                "severity": gitlab_severity(f),
                "location": {
                    "path": f.path,
                    "lines": { "begin": f.span.start.line, "end": f.span.end.line },
                },
            })
        })
        .collect();
    pretty(&Value::Array(entries))
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn render_sarif(report: &LintReport) -> String {
    let rules: Vec<Value> = crate::rules::RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            let mut rule = json!({
                "id": m.id,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "helpUri": rule_url(m.id),
                "defaultConfiguration": {
                    "level": sarif_level(m.severity),
                    "enabled": m.enabled_by_default,
                },
            });
            if !m.doc.is_empty() {
                let doc = m.markdown();
                rule["help"] = json!({ "text": doc, "markdown": doc });
            }
            rule
        })
        .collect();
    let index = |id: &str| crate::rules::RULES.iter().position(|r| r.meta().id == id);
    let fps = fingerprints(report);
    let results: Vec<Value> = report
        .findings
        .iter()
        .zip(&fps)
        .map(|(f, fp)| {
            let mut result = json!({
                "ruleId": f.rule,
                "level": sarif_level(f.severity),
                "message": { "text": format!("{}\nDo instead: {}", f.message, f.help) },
                "locations": [location(f)],
                "partialFingerprints": { "zerodown/v1": fp },
            });
            if let Some(i) = index(&f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(plan) = &f.plan {
                let steps: Vec<Value> = plan
                    .releases
                    .iter()
                    .flat_map(|r| r.steps.iter().map(move |s| (r, s)))
                    .enumerate()
                    .map(|(i, (r, s))| {
                        json!({
                            "id": i + 1,
                            "message": { "text": format!("Plan step {}: release {}, {}: {}", i + 1, r.version, s.phase.as_str(), s.title) },
                        })
                    })
                    .collect();
                result["relatedLocations"] = Value::Array(steps);
            }
            result
        })
        .collect();
    let notices: Vec<Value> = not_checked(report)
        .map(|(path, why)| {
            json!({
                "level": "warning",
                "message": { "text": format!("not checked: {why}") },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } }],
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "zerodown",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notices,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    pretty(&sarif)
}

/// A SARIF artifact URI: a relative path with `%`, spaces and the
/// characters URIs reserve percent-encoded, `/` kept.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(f: &Finding) -> Value {
    json!({ "physicalLocation": {
        "artifactLocation": { "uri": uri(&f.path) },
        "region": {
            "startLine": f.span.start.line,
            "startColumn": f.span.start.column,
            "endLine": f.span.end.line,
            "endColumn": f.span.end.column,
        },
    }})
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub's escaping of a workflow command's message.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn render_github(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            gh_property(&f.path),
            f.span.start.line,
            f.span.start.column,
            f.span.end.line,
            f.span.end.column,
            gh_property(&format!("zerodown {}", f.rule)),
            gh_data(&format!("{}\nDo instead: {}", f.message, f.help)),
        ));
    }
    for (path, why) in not_checked(report) {
        out.push_str(&format!(
            "::warning file={},title={}::{}\n",
            gh_property(path),
            gh_property("zerodown: not checked"),
            gh_data(why)
        ));
    }
    out
}

/// Text for XML: the five special characters as entities, and characters
/// XML 1.0 cannot hold (controls other than tab and line breaks, lone
/// surrogates cannot occur in a `str`) written as `<U+XXXX>`.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("&lt;U+{:04X}&gt;", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

fn render_junit(report: &LintReport) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut skipped) = (0usize, 0usize, 0usize);
    for (i, file) in report.files.iter().enumerate() {
        if matches!(
            file.status,
            Some(FileStatus::Skipped | FileStatus::Deleted | FileStatus::Schema)
        ) {
            continue;
        }
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.file.map_or(f.path == file.path, |k| k as usize == i))
            .collect();
        let path = xml(&file.path);
        let mut cases = String::new();
        let not_checked = file.status == Some(FileStatus::NotChecked);
        if not_checked {
            let why = xml(file.reason.as_deref().unwrap_or("not read"));
            cases.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"not checked\" file=\"{path}\">\n      <skipped message=\"{why}\"/>\n    </testcase>\n"
            ));
        } else if findings.is_empty() {
            cases.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"no downtime risk\" file=\"{path}\"/>\n"
            ));
        }
        for f in &findings {
            let (l, c) = (f.span.start.line, f.span.start.column);
            cases.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"{rule} at {l}:{c}\" file=\"{path}\" line=\"{l}\">\n      <failure type=\"{sev}\" message=\"{msg}\">{sev}: {msg}\nDo instead: {help}\n{path}:{l}:{c}</failure>\n    </testcase>\n",
                rule = xml(&f.rule),
                sev = f.severity.as_str(),
                msg = xml(&f.message),
                help = xml(&f.help),
            ));
        }
        let n = findings.len().max(1);
        tests += n;
        failures += findings.len();
        skipped += usize::from(not_checked);
        suites.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{n}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n{cases}  </testsuite>\n",
            findings.len(),
            usize::from(not_checked),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zerodown\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{suites}</testsuites>\n"
    )
}
