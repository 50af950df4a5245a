use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, ConstraintKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags a `UNIQUE` or `PRIMARY KEY` constraint added to an existing table
    /// without `USING INDEX`, and `ADD COLUMN ... UNIQUE` / `PRIMARY KEY` on an
    /// existing table.
    ///
    /// ## Why it causes downtime
    /// PostgreSQL builds the constraint's index while holding an ACCESS
    /// EXCLUSIVE lock: no query can read or write the table until the index is
    /// built, which on a large table takes minutes.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Safe alternative
    /// Build a unique index concurrently first, then attach it as the
    /// constraint, which only takes the lock for a moment:
    /// ```sql valid
    /// CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
    /// ```
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
    /// ```
    pub struct AddUniqueConstraint {
        id: "add-unique-constraint",
        severity: Error,
        summary: "UNIQUE or PRIMARY KEY added to an existing table without USING INDEX",
    }
}

impl Rule for AddUniqueConstraint {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let (table, columns, name, primary_key, inline) = match &op.kind {
            OpKind::AddConstraint { table, constraint } => match &constraint.kind {
                ConstraintKind::Unique {
                    columns,
                    using_index: None,
                } => (
                    table,
                    columns.clone(),
                    constraint.name.clone(),
                    false,
                    false,
                ),
                ConstraintKind::PrimaryKey {
                    columns,
                    using_index: None,
                } => (table, columns.clone(), constraint.name.clone(), true, false),
                _ => return,
            },
            OpKind::AddColumn { table, column } if column.unique || column.primary_key => (
                table,
                vec![column.name.clone()],
                None,
                column.primary_key,
                true,
            ),
            _ => return,
        };
        if cx.is_new_table(table) {
            return;
        }
        let what = if primary_key { "PRIMARY KEY" } else { "UNIQUE" };
        let fix = if inline {
            None
        } else {
            super::fix::unique_using_index(cx, table, &columns, primary_key)
        };
        out.push(
            Diagnostic::new(
                op.span.clone(),
                format!(
                    "adding a {what} constraint to `{table}` ({}) builds its index under an ACCESS EXCLUSIVE lock: reads and writes wait until the index is built",
                    columns.join(", ")
                ),
                format!("build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then ALTER TABLE {table} ADD CONSTRAINT ... {what} USING INDEX ..."),
            )
            .with_fix(fix)
            .with_change(Change::AddUniqueConstraint {
                table: table.clone(),
                columns,
                name,
                primary_key,
            }),
        );
    }
}
