//! The output model: what zerodown serializes as results, for the CLI's
//! JSON, every report format and JavaScript alike. Its vocabulary
//! (`Severity`, `Phase`, `Position`, `Span`) comes from `model`.

use serde::{Deserialize, Serialize};

pub use crate::model::{Edit, Fix, Phase, Position, Severity, Span};

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
    /// The index of that file in the report's `files`: match findings to
    /// files by it, not by comparing paths. Absent outside lint reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub file: Option<u32>,
    /// The smallest range that shows the problem.
    pub span: Span,
    /// The whole statement the finding is in.
    pub statement: Span,
    /// The safe multi-release plan for this change, when one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::plan::Plan>,
    /// Identifies the finding across commits, for CI reports (GitLab Code
    /// Quality, SARIF): the same when lines are added above it or the file
    /// changes elsewhere, different when its statement changes. 32 hex
    /// digits. Absent in the browser's lint module and outside lint reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub fingerprint: Option<String>,
    /// The rewrite of the file that removes this finding, when one is
    /// mechanical and safe in the file's context (`zerodown fix`, editors'
    /// code actions). When the rule has a fix but this context rules it
    /// out, `help` says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub fix: Option<Fix>,
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
    /// How the file was read, in a diff's report (`lintDiff`, `lint --diff`);
    /// absent when the file was linted whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub status: Option<FileStatus>,
    /// Why the file was not checked, or what of it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub reason: Option<String>,
    /// In a diff: how many statements overlap lines the diff adds or
    /// removes. Only these carry findings; the others are read for context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub changed: Option<u32>,
    /// When a migration tool says: whether the runner wraps the file in a
    /// transaction, as linted (its `-- zerodown: transaction=` header and
    /// `--assume-in-transaction` win over the tool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub transaction: Option<bool>,
    /// When a migration tool says: the file's place in the run order (1 is
    /// first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub run: Option<u32>,
}

/// How a file of a diff was read.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    /// A migration: its changed statements were checked.
    Checked,
    /// A migration zerodown could not check; `reason` says why. Never clean.
    NotChecked,
    /// A schema dump (`structure.sql`, `schema.rb`, `pg_dump` output): not
    /// a migration.
    Schema,
    /// Not a migration path.
    Skipped,
    /// Deleted by the change.
    Deleted,
}

/// Counts of findings by severity.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Error-level findings.
    pub errors: u32,
    /// Warning-level findings.
    pub warnings: u32,
    /// Info-level findings.
    pub infos: u32,
    /// In a diff: statements that overlap changed lines (they carry findings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub changed: Option<u32>,
    /// In a diff: statements read for context only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub context: Option<u32>,
    /// In a diff: migrations that were not checked (status `not-checked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub not_checked: Option<u32>,
}

impl Summary {
    /// Counts one finding of `severity`.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
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
    /// The migration tool the command line read the folders with, when
    /// one applies (not a plain folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub tool: Option<ToolRun>,
}

/// How a migration tool's folder was read.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolRun {
    /// The tool (`pop`, `golang-migrate`, ...).
    pub name: String,
    /// How it was chosen: `given`, or what was detected.
    pub why: String,
    /// The scripts linted: `up` or `down`.
    pub direction: String,
}

impl LintReport {
    /// Recounts `summary` from `findings`.
    pub fn recount(&mut self) {
        let mut s = Summary {
            errors: 0,
            warnings: 0,
            infos: 0,
            ..self.summary
        };
        for f in &self.findings {
            s.add(f.severity);
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
    /// The full documentation in Markdown. Left out by the browser's lint
    /// module (`zerodown/web`), which carries no docs to stay small.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub doc: String,
}

/// A statement of a schema dump the loader could not read: skipped, and the
/// load went on without it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaProblem {
    /// The dump's path, as given.
    pub path: String,
    /// 1-based line where the statement starts.
    pub line: u32,
    /// Why it was skipped (the parser's message).
    pub reason: String,
}
