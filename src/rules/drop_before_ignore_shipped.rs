use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Checks a release-migrations folder against the application's ignored
    /// columns (`--ignored-columns FILE`). It reports a migration that drops
    /// a column in a release not later than the release whose code starts
    /// ignoring the column (`added_in`).
    ///
    /// ## Why it causes downtime
    /// Until the ignore rule ships, the application caches the column and
    /// names it in its queries. Dropping it in the same release (or earlier)
    /// means running code queries a column that no longer exists, and every
    /// such request fails until the new code is out.
    ///
    /// ## Example
    /// ```text
    /// -- ignored-columns.toml: table = "users", column = "updated_at", added_in = "12.5"
    /// -- 12.5/post_migrate/remove_users_updated_at.sql
    /// ALTER TABLE users DROP COLUMN updated_at;
    /// ```
    ///
    /// ## Safe alternative
    /// Ignore the column in release M, drop it in a post-deployment migration
    /// of release M+1, remove the ignore rule in M+2.
    ///
    /// ```text
    /// -- ignored-columns.toml: table = "users", column = "updated_at", added_in = "12.5"
    /// -- 12.6/post_migrate/remove_users_updated_at.sql
    /// ALTER TABLE users DROP COLUMN updated_at;
    /// ```
    pub struct DropBeforeIgnoreShipped {
        id: "drop-before-ignore-shipped",
        severity: Error,
        summary: "A column dropped before the release that ignores it",
        scope: Release,
    }
}

impl Rule for DropBeforeIgnoreShipped {
    rule_meta!();

    /// Checked over a release-migrations folder with `--ignored-columns`, not per operation.
    fn check(&self, _op: &Op, _cx: &RuleContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
