use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER COLUMN ... SET NOT NULL` on an existing table unless a
    /// validated `CHECK (column IS NOT NULL)` constraint exists before it.
    ///
    /// ## Why it causes downtime
    /// `SET NOT NULL` takes an ACCESS EXCLUSIVE lock and scans the whole table
    /// to prove there are no NULLs: reads and writes wait for the scan. From
    /// PostgreSQL 12 on, the scan is skipped when a validated
    /// `CHECK (column IS NOT NULL)` constraint already proves it.
    ///
    /// ## With a schema
    /// With `--schema` (see `docs/schema.md`), the check may come from the
    /// schema: the last step of the plan, reviewed alone after the check
    /// shipped in an earlier release, is not flagged; nor is a column the
    /// schema already has as NOT NULL. Without a schema, only checks created
    /// earlier in the same run are known.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ALTER COLUMN email SET NOT NULL;
    /// ```
    ///
    /// ## Safe alternative
    /// Add a `NOT VALID` check, validate it without blocking writes, then set
    /// NOT NULL (instant now) and drop the check. Like every constraint change,
    /// this belongs in a post-deployment migration, after the code that writes
    /// the column is deployed:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
    /// ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
    /// ALTER TABLE users ALTER COLUMN email SET NOT NULL;
    /// ALTER TABLE users DROP CONSTRAINT users_email_not_null;
    /// ```
    pub struct SetNotNull {
        id: "set-not-null",
        severity: Error,
        summary: "SET NOT NULL without a validated CHECK (col IS NOT NULL) before it",
    }
}

impl Rule for SetNotNull {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::SetNotNull { table, column } = &op.kind else {
            return;
        };
        // A column added in this file still lives in an old table with rows.
        if cx.is_new_table(table) {
            return;
        }
        // Already NOT NULL (the loaded schema or an earlier statement says):
        // PostgreSQL does nothing.
        if cx.catalog.column(table, column).is_some_and(|c| c.not_null) {
            return;
        }
        // The behaviour table knows when a validated check spares the scan.
        if !cx.reads_every_row(op) {
            return;
        }
        let fix = super::fix::not_null_via_check(cx, table, column);
        let (message, help) = if cx.options.pg_version.set_not_null_uses_validated_check() {
            (
                format!("SET NOT NULL on `{table}`.`{column}` holds an ACCESS EXCLUSIVE lock while the whole table is scanned for NULLs: reads and writes wait"),
                format!("first add CHECK ({column} IS NOT NULL) NOT VALID and VALIDATE it in a separate transaction; SET NOT NULL then skips the scan (post-deployment migration)"),
            )
        } else {
            (
                format!("SET NOT NULL on `{table}`.`{column}` holds an ACCESS EXCLUSIVE lock while the whole table is scanned for NULLs, and before PostgreSQL 12 no constraint lets it skip the scan"),
                format!("keep a validated CHECK ({column} IS NOT NULL) constraint instead of SET NOT NULL until you run PostgreSQL 12 or later"),
            )
        };
        out.push(
            Diagnostic::new(op.span.clone(), message, help)
                .with_fix(fix)
                .with_change(Change::SetNotNull {
                    table: table.clone(),
                    column: column.clone(),
                }),
        );
    }
}
