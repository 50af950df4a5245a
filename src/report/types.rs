//! The output model: the only types zerodown serializes, for the CLI's JSON,
//! every report format and JavaScript alike.

use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Causes downtime or breaks running code: fails the run.
    Error,
    /// Risky; needs a human decision.
    Warning,
    /// Worth knowing; never fails a run.
    Info,
}

impl Severity {
    /// The lower-case name used in config, output and JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A point in a source file.
///
/// `line` and `column` are 1-based, the column counted in Unicode scalar
/// values; `offset` is the 0-based byte offset into the UTF-8 text and
/// `utf16` the 0-based offset in UTF-16 code units (what browsers count).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 0-based byte offset.
    pub offset: u32,
    /// 0-based offset in UTF-16 code units.
    pub utf16: u32,
}

/// A half-open range `[start, end)` of a source file.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First character of the range.
    pub start: Position,
    /// Just past the last character of the range.
    pub end: Position,
}

/// The phase a migration runs in, relative to the deployment of new code.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Runs before the new application code is deployed (`db/migrate/`).
    #[default]
    Regular,
    /// Runs after every node runs the new code (`db/post_migrate/`).
    PostDeploy,
    /// A batched background migration, running while the application serves traffic.
    Background,
}

impl Phase {
    /// The kebab-case name used in config, flags and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Regular => "regular",
            Phase::PostDeploy => "post-deploy",
            Phase::Background => "background",
        }
    }

    /// Parses `regular`, `post-deploy` (or `post_deploy`, `post-migrate`) and `background`.
    pub fn parse(text: &str) -> Option<Phase> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "regular" | "pre-deploy" => Some(Phase::Regular),
            "post-deploy" | "post-migrate" | "postdeploy" => Some(Phase::PostDeploy),
            "background" => Some(Phase::Background),
            _ => None,
        }
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in one statement.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule id, e.g. `add-index-non-concurrently`.
    pub rule: String,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong and why it causes downtime.
    pub message: String,
    /// What to do instead.
    pub help: String,
    /// The file the finding is in, as given.
    pub path: String,
    /// The smallest range that shows the problem.
    pub span: Span,
    /// The whole statement the finding is in.
    pub statement: Span,
    /// The safe multi-release plan for this change, when one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::plan::Plan>,
}

/// What was linted in one file.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The file's path, as given.
    pub path: String,
    /// The phase the file was linted in.
    pub phase: Phase,
    /// How many statements the file holds.
    pub statements: u32,
}

/// Counts of findings by severity.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Error-level findings.
    pub errors: u32,
    /// Warning-level findings.
    pub warnings: u32,
    /// Info-level findings.
    pub infos: u32,
}

/// The result of linting one or more files: the JSON contract.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LintReport {
    /// Every finding, sorted by path, then position, then rule.
    pub findings: Vec<Finding>,
    /// Every file linted, sorted by path.
    pub files: Vec<FileSummary>,
    /// Counts by severity.
    pub summary: Summary,
}

impl LintReport {
    /// Recounts `summary` from `findings`.
    pub fn recount(&mut self) {
        let mut s = Summary::default();
        for f in &self.findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        self.summary = s;
    }

    /// True when any finding is error-level.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// A rule's catalogue entry, as listed by `zerodown rules` and `rules()` in JavaScript.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleInfo {
    /// The rule id.
    pub id: String,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary.
    pub summary: String,
    /// Whether the rule runs unless configured (`sharding-key-missing` needs roots).
    pub enabled_by_default: bool,
    /// The full documentation in Markdown.
    pub doc: String,
}
