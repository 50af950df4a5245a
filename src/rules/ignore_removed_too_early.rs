use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Checks the ignored columns of the application (`--ignored-columns
    /// FILE`: `table`, `column`, `added_in`, `remove_with`, `remove_after`,
    /// and `removed_in`/`removed_on` once the ignore rule is removed) against
    /// a release-migrations folder. It reports an ignore rule removed before
    /// its `remove_with` release, before its `remove_after` date, or not in a
    /// deployment after the migration that drops the column.
    ///
    /// ## Why it causes downtime
    /// Frameworks such as ActiveRecord cache a table's columns and use every
    /// cached column in their queries. The ignore rule keeps a column out of
    /// that cache while the column is dropped. When the rule goes before the
    /// drop has run everywhere, or ships in the same deployment as the drop,
    /// running code queries a column that no longer exists, and fails.
    ///
    /// ## Example
    /// ```text
    /// -- ignored-columns.toml:
    /// --   [[ignored_columns]]
    /// --   table = "users"
    /// --   column = "updated_at"
    /// --   added_in = "12.5"
    /// --   remove_with = "12.7"
    /// --   remove_after = "2019-12-22"
    /// --   removed_in = "12.6"
    /// -- 12.6/post_migrate/remove_users_updated_at.sql
    /// ALTER TABLE users DROP COLUMN updated_at;
    /// ```
    ///
    /// ## Safe alternative
    /// Remove the ignore rule with the release named by `remove_with` (at
    /// the earliest the release after the drop), once the `remove_after`
    /// date has passed.
    ///
    /// ```text
    /// -- ignored-columns.toml: removed_in = "12.7", removed_on = "2020-01-02"
    /// -- 12.6/post_migrate/remove_users_updated_at.sql
    /// ALTER TABLE users DROP COLUMN updated_at;
    /// ```
    pub struct IgnoreRemovedTooEarly {
        id: "ignore-removed-too-early",
        severity: Error,
        summary: "A column ignore rule removed before its drop has shipped",
        scope: Release,
    }
}

impl Rule for IgnoreRemovedTooEarly {
    rule_meta!();

    /// Checked over a release-migrations folder with `--ignored-columns`, not per operation.
    fn check(&self, _op: &Op, _cx: &RuleContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
