use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, ConstraintKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags a `CHECK` constraint added to an existing table without
    /// `NOT VALID`, including a `CHECK` written inline in `ADD COLUMN`
    /// (`ALTER TABLE users ADD COLUMN age int CHECK (age >= 0)`), which cannot
    /// be `NOT VALID`.
    ///
    /// ## Why it causes downtime
    /// Adding a validated CHECK constraint takes an ACCESS EXCLUSIVE lock and
    /// scans every row while holding it: no query can read or write the
    /// table until the scan is done.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD CONSTRAINT check_name_length CHECK (char_length(name) <= 255);
    /// ```
    ///
    /// ## Safe alternative
    /// Add the constraint `NOT VALID` (checked for new rows only, no scan) and
    /// validate it in a later migration; validation lets reads and writes go on:
    /// ```sql valid
    /// ALTER TABLE users ADD CONSTRAINT check_name_length CHECK (char_length(name) <= 255) NOT VALID;
    /// ```
    /// ```sql valid
    /// ALTER TABLE users VALIDATE CONSTRAINT check_name_length;
    /// ```
    ///
    /// An inline CHECK in `ADD COLUMN` scans the table the same way: add the
    /// column without it, then add the constraint `NOT VALID` and validate it:
    /// ```sql invalid
    /// ALTER TABLE users ADD COLUMN age integer CHECK (age >= 0);
    /// ```
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN age integer;
    /// ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;
    /// ```
    pub struct AddCheckConstraint {
        id: "add-check-constraint",
        severity: Error,
        summary: "CHECK added to an existing table without NOT VALID",
    }
}

impl Rule for AddCheckConstraint {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        if let OpKind::AddColumn { table, column } = &op.kind {
            if !column.checks.is_empty() && !cx.is_new_table(table) {
                out.push(Diagnostic::new(
                    op.span.clone(),
                    format!("the inline CHECK on new column `{table}`.`{}` is validated by scanning every row while an ACCESS EXCLUSIVE lock is held: reads and writes wait", column.name),
                    "add the column without the CHECK, then ALTER TABLE ... ADD CONSTRAINT ... CHECK (...) NOT VALID, and VALIDATE CONSTRAINT in a later migration",
                ));
            }
            return;
        }
        let OpKind::AddConstraint { table, constraint } = &op.kind else {
            return;
        };
        let ConstraintKind::Check { expr, .. } = &constraint.kind else {
            return;
        };
        if constraint.not_valid || cx.is_new_table(table) {
            return;
        }
        out.push(
            Diagnostic::new(
                op.span.clone(),
                format!("adding a validated CHECK constraint to `{table}` holds an ACCESS EXCLUSIVE lock while every row is scanned: reads and writes wait"),
                "add the constraint with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later migration",
            )
            .with_change(Change::AddCheckConstraint {
                table: table.clone(),
                name: constraint.name.clone(),
                expression: expr.clone(),
            })
            .with_fix(super::fix::not_valid_then_validate(cx, "CHECK constraint", None)),
        );
    }
}
