//! The rule catalogue: one rule per file, each with its metadata and docs.
//!
//! A rule reads one operation at a time with the context of the file so far
//! (`RuleContext`) and pushes `Diagnostic`s. It never sees SQL text.

use std::ops::Range;

use crate::lint::{Catalog, FileState};
use crate::model::{Change, LintOptions, Name, Op, Statement};
use crate::report::{Phase, Severity};

/// A rule's fixed metadata. `doc` is the rule's doc comment.
#[derive(Debug)]
pub struct RuleMeta {
    /// The public id, used in config, ignore comments and output.
    pub id: &'static str,
    /// Severity unless configured.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Runs unless configured (false: needs configuration, like roots).
    pub enabled_by_default: bool,
    /// The doc comment: `## What it does`, `## Why it causes downtime`, `## Example`, `## Safe alternative`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation as Markdown, without the one-space indent of doc comments.
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }
}

/// What a rule reports: the engine adds the path, severity and positions.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// What is wrong and why it causes downtime.
    pub message: String,
    /// What to do instead.
    pub help: String,
    /// The change to plan, when a safe multi-release path exists.
    pub change: Option<Change>,
    /// A severity other than the rule's default, when the context calls for it.
    pub severity: Option<Severity>,
}

impl Diagnostic {
    /// A diagnostic at `span` with its message and help.
    pub fn new(span: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            help: help.into(),
            change: None,
            severity: None,
        }
    }

    /// Attaches the change whose plan the finding should carry.
    #[must_use]
    pub fn with_change(mut self, change: Change) -> Self {
        self.change = Some(change);
        self
    }

    /// Overrides the default severity.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// Everything a rule may look at besides the operation itself.
pub struct RuleContext<'a> {
    /// The run's options.
    pub options: &'a LintOptions,
    /// The phase of this file.
    pub phase: Phase,
    /// The statement the operation belongs to.
    pub statement: &'a Statement,
    /// The state of the file before this statement.
    pub state: &'a FileState,
    /// What earlier statements and files of this run created.
    pub catalog: &'a Catalog,
}

impl RuleContext<'_> {
    /// True when `table` was created earlier in this file: locks and validation do not matter yet.
    pub fn is_new_table(&self, table: &Name) -> bool {
        self.state.is_new_table(table)
    }

    /// True when the statement runs inside a transaction block.
    pub fn in_transaction(&self) -> bool {
        self.state.in_transaction
    }
}

/// A rule: metadata plus a check over one operation.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Checks one operation; pushes what it finds.
    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>);
}

/// Declares a rule struct from its doc comment and metadata.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            severity: $sev:ident,
            summary: $summary:literal $(,)?
            $(enabled_by_default: $enabled:literal $(,)?)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// The rule's metadata.
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                severity: $crate::report::Severity::$sev,
                summary: $summary,
                enabled_by_default: declare_rule!(@enabled $($enabled)?),
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
    (@enabled) => { true };
    (@enabled $e:literal) => { $e };
}

/// Implements `Rule::meta` for a rule declared with `declare_rule!`.
macro_rules! rule_meta {
    () => {
        fn meta(&self) -> &'static $crate::rules::RuleMeta {
            &Self::META
        }
    };
}

mod add_index_non_concurrently;
mod parse_error;
mod sharding_key_missing;
mod unused_ignore;

pub use add_index_non_concurrently::AddIndexNonConcurrently;
pub use parse_error::ParseError;
pub use sharding_key_missing::ShardingKeyMissing;
pub use unused_ignore::UnusedIgnore;

/// Every rule, in catalogue order.
pub static RULES: &[&dyn Rule] = &[
    &AddIndexNonConcurrently,
    &ParseError,
    &ShardingKeyMissing,
    &UnusedIgnore,
];

/// Looks a rule up by id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
