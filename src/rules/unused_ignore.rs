use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports a `-- zerodown-ignore` or `-- zerodown-ignore-file` comment that
    /// suppresses nothing, or names a rule that does not exist.
    ///
    /// ## Why it causes downtime
    /// A stale suppression hides the next real problem of that kind in the
    /// statement or file, and a misspelled rule id suppresses nothing while
    /// looking as if it did.
    ///
    /// ## Example
    /// ```sql invalid
    /// -- zerodown-ignore drop-column: the ignore rule shipped in 16.4
    /// CREATE TABLE t (id bigint PRIMARY KEY);
    /// ```
    ///
    /// ## Safe alternative
    /// Remove the comment, or move it to the line directly above the statement
    /// it is meant for.
    /// ```sql valid
    /// -- zerodown: phase=post-deploy
    /// SET lock_timeout = '1s';
    /// -- zerodown-ignore drop-column: the ignore rule shipped in 16.4
    /// ALTER TABLE users DROP COLUMN updated_at;
    /// ```
    pub struct UnusedIgnore {
        id: "unused-ignore",
        severity: Info,
        summary: "A suppression comment that matches no finding",
        scope: Engine,
    }
}

impl Rule for UnusedIgnore {
    rule_meta!();

    /// The engine reports unused suppressions itself after a file is linted.
    fn check(&self, _op: &Op, _cx: &RuleContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
