use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ADD COLUMN ... NOT NULL` without a default on an existing table.
    /// `DEFAULT NULL` is no default: `ADD COLUMN c int DEFAULT NULL NOT NULL`
    /// is flagged too.
    ///
    /// ## Why it causes downtime
    /// On a table with rows the statement fails outright, so the deployment
    /// stops. On an empty table it succeeds, and then every INSERT from the
    /// running code, which does not know the column, fails with a NOT NULL
    /// violation until the new code is everywhere.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD COLUMN plan text NOT NULL;
    /// ```
    ///
    /// ## Safe alternative
    /// Add the column with a constant default (instant from PostgreSQL 11), or
    /// add it nullable, backfill it, and set NOT NULL in a post-deployment
    /// migration once the new code writes it:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
    /// ```
    pub struct AddColumnRequired {
        id: "add-column-required",
        severity: Error,
        summary: "ADD COLUMN ... NOT NULL without a default on an existing table",
        breaks_running_code: true,
    }
}

impl Rule for AddColumnRequired {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AddColumn { table, column } = &op.kind else {
            return;
        };
        if !column.not_null
            || column.default.as_ref().is_some_and(|d| !d.is_null())
            || column.identity
            || column.generated
            || cx.is_new_table(table)
        {
            return;
        }
        let name = &column.name;
        let message = if cx.state.is_emptied(table) {
            format!("adding `{table}`.`{name}` as NOT NULL without a default succeeds here, since this file emptied the table, but then breaks every INSERT from running code that does not know the column")
        } else {
            format!("adding `{table}`.`{name}` as NOT NULL without a default fails on a table with rows, and on an empty one breaks every INSERT from running code that does not know the column")
        };
        out.push(Diagnostic::new(
            op.span.clone(),
            message,
            format!("give `{name}` a constant DEFAULT, or add it nullable, backfill it, and SET NOT NULL in a post-deployment migration"),
        ));
    }
}
