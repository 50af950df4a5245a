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
use super::{FileStatus, FileSummary, Finding, LintReport, Severity};

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
    let not_checked: Vec<(&str, &str)> = not_checked(report).collect();
    match CiStream::new(format, &not_checked) {
        Some((mut stream, mut out)) => {
            for f in &report.findings {
                // A report made by hand may leave out a finding's file
                // index: its path finds the file.
                let found;
                let f = if f.file.is_none() {
                    let mut own = f.clone();
                    own.file = report
                        .files
                        .iter()
                        .position(|x| x.path == f.path)
                        .and_then(|i| u32::try_from(i).ok());
                    found = own;
                    &found
                } else {
                    f
                };
                out.push_str(&stream.findings(std::slice::from_ref(f)));
            }
            out.push_str(&stream.finish(&report.files));
            out
        }
        None => super::markdown::render_markdown(report),
    }
}

/// A CI report written as the run goes: a head, then each file's findings,
/// then the end; the same text as [`render_ci`] on the whole report. SARIF,
/// GitLab Code Quality and GitHub workflow commands are written as they
/// come; JUnit opens with totals, so its test cases are kept as text until
/// the end (not the findings). Markdown needs the whole report (`None`).
pub struct CiStream {
    format: CiFormat,
    ranks: fingerprint::Ranks,
    /// Findings written so far.
    written: usize,
    /// For the JSON formats: the indentation of the array's elements, and
    /// the text after the array.
    indent: String,
    tail: String,
    /// JUnit: each file's test cases (by its index in the report's files)
    /// and how many.
    cases: Vec<(u32, String, usize)>,
}

/// Stands in for the results in SARIF's document until they are written.
const RESULTS: &str = "\u{1}zerodown-results\u{1}";

impl CiStream {
    /// The stream of `format` and its head, or `None` for JUnit and
    /// Markdown. `not_checked`: files not checked, with why (SARIF lists
    /// them before the results).
    pub fn new(format: CiFormat, not_checked: &[(&str, &str)]) -> Option<(CiStream, String)> {
        let (head, indent, tail) = match format {
            CiFormat::Sarif => {
                let text = pretty(&sarif_document(not_checked));
                let marker = serde_json::to_string(RESULTS).unwrap_or_default();
                let at = text.find(&marker).unwrap_or(text.len());
                let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let indent: String = text[line..at].chars().take_while(|c| *c == ' ').collect();
                let tail = text.get(at + marker.len()..).unwrap_or("").to_string();
                (text[..at].to_string(), indent, tail)
            }
            CiFormat::Gitlab => (String::new(), String::new(), "\n".to_string()),
            CiFormat::Github | CiFormat::Junit => (String::new(), String::new(), String::new()),
            CiFormat::Markdown => return None,
        };
        let stream = CiStream {
            format,
            ranks: fingerprint::Ranks::default(),
            written: 0,
            indent,
            tail,
            cases: Vec::new(),
        };
        Some((stream, head))
    }

    /// The text of `findings` (the next in the report's order).
    pub fn findings(&mut self, findings: &[Finding]) -> String {
        let mut out = String::new();
        for f in findings {
            let fp = f.fingerprint.clone().unwrap_or_else(|| {
                self.ranks
                    .fingerprint(&[&f.rule, &f.path, &f.message, &f.help])
            });
            match self.format {
                CiFormat::Sarif => self.element(&mut out, &sarif_result(f, &fp)),
                CiFormat::Gitlab => self.element(&mut out, &gitlab_entry(f, &fp)),
                CiFormat::Junit => {
                    let file = f.file.unwrap_or(u32::MAX);
                    if self.cases.last().is_none_or(|(k, _, _)| *k != file) {
                        self.cases.push((file, String::new(), 0));
                    }
                    if let Some((_, text, n)) = self.cases.last_mut() {
                        text.push_str(&junit_case(f));
                        *n += 1;
                    }
                }
                _ => out.push_str(&github_line(f)),
            }
            self.written += 1;
        }
        out
    }

    /// One element of the JSON array, as serde_json's pretty printer
    /// places it.
    fn element(&self, out: &mut String, value: &Value) {
        out.push_str(if self.written == 0 { "[\n" } else { ",\n" });
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&self.indent);
            out.push_str("  ");
            out.push_str(line);
        }
    }

    /// The end of the report (`files`: the report's).
    pub fn finish(self, files: &[FileSummary]) -> String {
        let mut out = String::new();
        self.finish_into(files, &mut |piece| out.push_str(piece));
        out
    }

    /// [`CiStream::finish`], in pieces to `write` (JUnit's end holds every
    /// test case: written piece by piece, never joined).
    pub fn finish_into(self, files: &[FileSummary], write: &mut dyn FnMut(&str)) {
        let mut out = String::new();
        let not_checked: Vec<(&str, &str)> = files
            .iter()
            .filter(|f| f.status == Some(FileStatus::NotChecked))
            .map(|f| (f.path.as_str(), f.reason.as_deref().unwrap_or("not read")))
            .collect();
        match self.format {
            CiFormat::Junit => junit(files, &self.cases, write),
            CiFormat::Sarif | CiFormat::Gitlab => {
                if self.written == 0 {
                    out.push_str("[]");
                } else {
                    out.push('\n');
                    out.push_str(&self.indent);
                    out.push(']');
                }
                out.push_str(&self.tail);
            }
            _ => {
                for (path, why) in &not_checked {
                    out.push_str(&format!(
                        "::warning file={},title={}::{}\n",
                        gh_property(path),
                        gh_property("zerodown: not checked"),
                        gh_data(why)
                    ));
                }
            }
        }
        write(&out);
    }
}

/// Where a rule's documentation lives.
pub fn rule_url(id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules/{id}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
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

fn gitlab_entry(f: &Finding, fp: &str) -> Value {
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
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF's document, with [`RESULTS`] standing in for its results.
fn sarif_document(not_checked: &[(&str, &str)]) -> Value {
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
    let notices: Vec<Value> = not_checked
        .iter()
        .map(|(path, why)| {
            json!({
                "level": "warning",
                "message": { "text": format!("not checked: {why}") },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } }],
            })
        })
        .collect();
    json!({
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
            "results": RESULTS,
        }],
    })
}

/// One SARIF result.
fn sarif_result(f: &Finding, fp: &str) -> Value {
    let mut result = json!({
        "ruleId": f.rule,
        "level": sarif_level(f.severity),
        "message": { "text": format!("{}\nDo instead: {}", f.message, f.help) },
        "locations": [location(f)],
        "partialFingerprints": { "zerodown/v1": fp },
    });
    if let Some(i) = crate::rules::RULES
        .iter()
        .position(|r| r.meta().id == f.rule)
    {
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
    // The finding's fix, as SARIF's replacements of the file (an empty
    // region is an insertion point).
    if let Some(fix) = &f.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": {
                        "startLine": e.span.start.line,
                        "startColumn": e.span.start.column,
                        "endLine": e.span.end.line,
                        "endColumn": e.span.end.column,
                    },
                    "insertedContent": { "text": e.text },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": { "text": fix.title },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri(&f.path) },
                "replacements": replacements,
            }],
        }]);
    }
    result
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

/// One GitHub workflow command for a finding.
fn github_line(f: &Finding) -> String {
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        gh_property(&f.path),
        f.span.start.line,
        f.span.start.column,
        f.span.end.line,
        f.span.end.column,
        gh_property(&format!("zerodown {}", f.rule)),
        gh_data(&format!("{}\nDo instead: {}", f.message, f.help)),
    )
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

/// One JUnit test case for a finding.
fn junit_case(f: &Finding) -> String {
    let (l, c) = (f.span.start.line, f.span.start.column);
    format!(
        "    <testcase classname=\"{path}\" name=\"{rule} at {l}:{c}\" file=\"{path}\" line=\"{l}\">\n      <failure type=\"{sev}\" message=\"{msg}\">{sev}: {msg}\nDo instead: {help}\n{path}:{l}:{c}</failure>\n    </testcase>\n",
        path = xml(&f.path),
        rule = xml(&f.rule),
        sev = f.severity.as_str(),
        msg = xml(&f.message),
        help = xml(&f.help),
    )
}

/// The JUnit document, in pieces to `out`: a suite per file, its findings'
/// `cases` (by file index, in order) or one case saying it is clean or was
/// not checked. The totals come first, so they are counted first.
fn junit(files: &[FileSummary], cases: &[(u32, String, usize)], out: &mut dyn FnMut(&str)) {
    // The suites: (file, its cases' text, how many).
    let mut cases = cases.iter().peekable();
    let suites: Vec<(&FileSummary, &str, usize)> = files
        .iter()
        .enumerate()
        .filter_map(|(i, file)| {
            let found = cases.next_if(|(k, _, _)| *k as usize == i);
            let counted = !matches!(
                file.status,
                Some(FileStatus::Skipped | FileStatus::Deleted | FileStatus::Schema)
            );
            counted.then(|| found.map_or((file, "", 0), |(_, t, n)| (file, t.as_str(), *n)))
        })
        .collect();
    let not_checked = |f: &FileSummary| f.status == Some(FileStatus::NotChecked);
    let tests: usize = suites.iter().map(|(_, _, n)| (*n).max(1)).sum();
    let failures: usize = suites.iter().map(|(_, _, n)| *n).sum();
    let skipped = suites.iter().filter(|(f, _, _)| not_checked(f)).count();
    out(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zerodown\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n"
    ));
    for (file, text, count) in suites {
        let path = xml(&file.path);
        let mut own = String::new();
        if not_checked(file) {
            let why = xml(file.reason.as_deref().unwrap_or("not read"));
            own.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"not checked\" file=\"{path}\">\n      <skipped message=\"{why}\"/>\n    </testcase>\n"
            ));
        } else if count == 0 {
            own.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"no downtime risk\" file=\"{path}\"/>\n"
            ));
        }
        out(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{count}\" errors=\"0\" skipped=\"{}\">\n{own}",
            count.max(1),
            usize::from(not_checked(file)),
        ));
        out(text);
        out("  </testsuite>\n");
    }
    out("</testsuites>\n");
}
