use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports a statement that zerodown cannot read, or that PostgreSQL
    /// would reject, with the line and column of the token at fault.
    /// Linting goes on with the next statement.
    ///
    /// Where PostgreSQL's rejection is certain, the message says why and
    /// what PostgreSQL accepts instead:
    /// - two statements with no `;` between them;
    /// - words after a complete CREATE INDEX (`CREATE INDEX i ON t (a) garbage`);
    /// - MySQL and SQLite syntax: `AUTO_INCREMENT`/`AUTOINCREMENT` (use an
    ///   identity column), `UNSIGNED` (a check constraint), `ENGINE=` and
    ///   other table options, `WITHOUT ROWID` (nothing), `MODIFY`/`CHANGE`
    ///   (`ALTER COLUMN ... TYPE`, `RENAME COLUMN`), `AFTER`/`FIRST` (columns
    ///   go at the end), a column's `COMMENT '...'` (`COMMENT ON COLUMN`),
    ///   `DROP INDEX ... ON table` (the index's name alone), `ALTER VIEW ...
    ///   AS` (`CREATE OR REPLACE VIEW`), backtick-quoted names (double quotes);
    /// - template text where a name belongs (`${schema}`): lint the SQL the
    ///   template produces. (`{{ ... }}` and `$%...%$` placeholders are
    ///   `template-placeholder`: one finding for the file, or linted filled
    ///   in with `template-vars`.)
    ///
    /// Anything else zerodown does not read may still be valid PostgreSQL:
    /// the message then starts with "zerodown cannot read this statement" and
    /// names what zerodown expected, in PostgreSQL's terms.
    ///
    /// ## Why it causes downtime
    /// A statement zerodown cannot read is a statement nobody checked: it may
    /// take any lock or rewrite any table. A statement PostgreSQL rejects
    /// fails the migration halfway through a deployment.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD COLUMN;
    /// ```
    ///
    /// ## Safe alternative
    /// Fix what PostgreSQL would reject. For PostgreSQL syntax zerodown does
    /// not read, review the statement by hand and suppress the finding with
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
