//! The output model: what zerodown serializes as results, for the CLI's
//! JSON, every report format and JavaScript alike. Its vocabulary
//! (`Severity`, `Phase`, `Position`, `Span`) comes from `model`.

use serde::{Deserialize, Serialize};

pub use crate::model::{Phase, Position, Severity, Span};

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
