//! The shared vocabulary of every layer: how serious a finding is
//! ([`Severity`]), where it is ([`Position`], [`Span`]) and when a migration
//! runs ([`Phase`]). The engine, the SQL front end, the planner and the
//! reports all speak it; `report` re-exports it as part of its output model.

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

/// One text edit of a fix: replace `span` of the linted file with `text`
/// (an empty span inserts).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// The range replaced.
    pub span: Span,
    /// What replaces it.
    pub text: String,
}

/// A mechanical rewrite of the linted file that removes a finding: the
/// safe form of the statement, in the same file and release. It changes
/// nothing but what makes the statement safe; a change that needs more
/// than one release is a plan, not a fix. The edits do not overlap and are
/// sorted by position.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, in one line (an editor's code action title).
    pub title: String,
    /// The text edits, in file order.
    pub edits: Vec<Edit>,
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
