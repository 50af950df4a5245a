use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports a statement that zerodown cannot parse, with the line and column
    /// where parsing stopped. Linting goes on with the next statement.
    ///
    /// ## Why it causes downtime
    /// A statement zerodown cannot read is a statement nobody checked: it may
    /// take any lock or rewrite any table. It may also be a typo that fails
    /// the migration halfway through a deployment.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD COLUMN;
    /// ```
    ///
    /// ## Safe alternative
    /// Fix the syntax, or, for PostgreSQL syntax zerodown does not know yet,
    /// review the statement by hand and suppress the finding with
    /// `-- zerodown-ignore parse-error: reviewed by hand`.
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN bio text;
    /// ```
    pub struct ParseError {
        id: "parse-error",
        severity: Error,
        summary: "A statement that does not parse",
        scope: Engine,
    }
}

impl Rule for ParseError {
    rule_meta!();

    /// The engine reports parse errors itself; there is no operation to check.
    fn check(&self, _op: &Op, _cx: &RuleContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
