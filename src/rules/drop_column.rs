use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};
use crate::model::{Phase, Severity};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TABLE ... DROP COLUMN`. In a regular migration it is an
    /// error; in a post-deployment migration it is a warning that reminds you
    /// the application must have ignored the column for a whole release first.
    ///
    /// ## Why it causes downtime
    /// Running application code caches each table's columns (Rails does, even
    /// for columns it never reads) and names them in its queries. Drop the
    /// column while old code still runs and its INSERTs and SELECTs fail until
    /// every process restarts. Dropping is also destructive: it cannot be
    /// rolled back.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users DROP COLUMN updated_at;
    /// ```
    ///
    /// ## Safe alternative
    /// Three steps in three releases:
    /// 1. Release M: ignore the column in the application
    ///    (`ignore_column :updated_at, remove_with: 'M+2'`) and remove every
    ///    reference to it.
    /// 2. Release M+1: drop the column in a post-deployment migration.
    /// 3. Release M+2: remove the ignore rule.
    ///
    /// ```sql valid
    /// -- zerodown: phase=post-deploy
    /// SET lock_timeout = '1s';
    /// -- zerodown-ignore drop-column: users.updated_at ignored since 16.4
    /// ALTER TABLE users DROP COLUMN updated_at;
    /// ```
    pub struct DropColumn {
        id: "drop-column",
        severity: Error,
        summary: "DROP COLUMN (in a regular migration, or before the column was ignored)",
        breaks_running_code: true,
    }
}

impl Rule for DropColumn {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::DropColumn { table, column, .. } = &op.kind else {
            return;
        };
        if cx.state.is_new_column(table, column) {
            return;
        }
        let change = Change::DropColumn {
            table: table.clone(),
            column: column.clone(),
        };
        let d = if cx.phase == Phase::PostDeploy {
            Diagnostic::new(
                op.span.clone(),
                format!("dropping `{table}`.`{column}` breaks running code unless the application has ignored the column since an earlier release: code that still knows the column names it in its queries"),
                "drop the column only if `ignore_column` shipped in release M and this post-deployment migration ships in M+1; remove the ignore rule in M+2. If so, add `-- zerodown-ignore drop-column: <reason>` above the statement",
            )
            .with_severity(Severity::Warning)
        } else {
            Diagnostic::new(
                op.span.clone(),
                format!("dropping `{table}`.`{column}` in a {} migration breaks the running application, which still caches and queries the column, and cannot be rolled back", cx.phase),
                "ignore the column in release M, drop it in a post-deployment migration in M+1, remove the ignore in M+2",
            )
        };
        out.push(d.with_change(change));
    }
}
