//! The rule catalogue (`zerodown rules`) and one rule's documentation
//! (`zerodown explain`), from the rules' own metadata.

use crate::error::{Error, ErrorCode, Result};

use super::RuleInfo;

/// The rule catalogue with docs.
pub fn rule_catalogue() -> Vec<RuleInfo> {
    crate::rules::RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleInfo {
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
/// `locks` gives the table of PostgreSQL's locks and rewrites by statement
/// form and version (`docs/postgres-locks.md`).
pub fn explain(id: &str) -> Result<String> {
    #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
    if id == "locks" {
        return Ok(crate::model::postgres::render_markdown());
    }
    crate::rules::find(id)
        .map(|r| format!("# {}\n\n{}", r.meta().id, r.meta().markdown()))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownRule,
                format!("unknown rule `{id}`; `zerodown rules` lists them, and `zerodown explain locks` prints PostgreSQL's locks and rewrites"),
            )
        })
}
