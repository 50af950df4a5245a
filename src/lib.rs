//! zerodown: zero-downtime migration rules for PostgreSQL.
//!
//! Data flows one way: SQL text ([`sql`]) → operations ([`model`]) →
//! findings ([`rules`], [`lint`]) and plans ([`plan`]) → reports ([`report`]).

pub mod cells;
#[cfg(any(feature = "cli", feature = "node"))]
pub mod cli;
pub mod config;
pub mod error;
pub mod lint;
pub mod model;
pub mod plan;
pub mod release;
pub mod report;
pub mod rules;
pub mod sql;

#[cfg(any(target_arch = "wasm32", test))]
mod alloc;
#[cfg(any(target_arch = "wasm32", test))]
mod tape;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorCode, Result};
pub use lint::{lint, lint_files, SourceFile};
pub use model::{Change, LintOptions};
pub use report::{Finding, LintReport, Phase, Position, Severity, Span};

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The rule catalogue with docs.
pub fn rule_catalogue() -> Vec<report::RuleInfo> {
    rules::RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            report::RuleInfo {
                id: m.id.to_string(),
                severity: m.severity,
                summary: m.summary.to_string(),
                enabled_by_default: m.enabled_by_default,
                doc: m.markdown(),
            }
        })
        .collect()
}

/// The documentation of one rule, as Markdown.
pub fn explain(id: &str) -> Result<String> {
    rules::find(id)
        .map(|r| format!("# {}\n\n{}", r.meta().id, r.meta().markdown()))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownRule,
                format!("unknown rule `{id}`; `zerodown rules` lists them"),
            )
        })
}
