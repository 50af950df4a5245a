use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TABLE ... RENAME COLUMN` on a column that existed before
    /// this migration.
    ///
    /// ## Why it causes downtime
    /// During a deployment old and new code run side by side. The old code
    /// keeps using the old column name, so its queries fail the moment the
    /// column is renamed, until every process runs the new code.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users RENAME COLUMN updated_at TO updated_at_timestamp;
    /// ```
    ///
    /// ## Safe alternative
    /// Rename through a copy that both versions can use:
    /// 1. Release M, regular migration: add the new column, copy the data and
    ///    keep both in sync with a trigger (`rename_column_concurrently`);
    ///    ignore the old column in the application.
    /// 2. Release M, post-deployment migration: drop the trigger and the old
    ///    column (`cleanup_concurrent_column_rename`).
    /// 3. Release M+1: remove the ignore rule.
    ///
    /// A column with a default cannot be renamed this way; add a new column
    /// instead. For a table no code uses yet, the rename is safe:
    /// ```sql valid
    /// CREATE TABLE drafts (id bigint PRIMARY KEY, titel text);
    /// ALTER TABLE drafts RENAME COLUMN titel TO title;
    /// ```
    pub struct RenameColumn {
        id: "rename-column",
        severity: Error,
        summary: "RENAME COLUMN on an existing column",
        breaks_running_code: true,
    }
}

impl Rule for RenameColumn {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::RenameColumn {
            table,
            column,
            new_name,
        } = &op.kind
        else {
            return;
        };
        if cx.state.is_new_column(table, column) {
            return;
        }
        let info = cx.catalog.column(table, column);
        let has_default = info.is_some_and(|c| c.has_default);
        let help = if has_default {
            format!("`{column}` has a default, which the rename-through-copy process cannot carry: add `{new_name}` as a new column, backfill it, switch the code over and drop `{column}` later")
        } else {
            format!("add `{new_name}` and keep it in sync with a trigger in a regular migration in release M, ignore `{column}`, drop it in a post-deployment migration in M, remove the ignore in M+1")
        };
        out.push(
            Diagnostic::new(
                op.span.clone(),
                format!("renaming `{table}`.`{column}` to `{new_name}` breaks the running application: old code keeps querying `{column}` until every process is replaced"),
                help,
            )
            .with_change(Change::RenameColumn {
                table: table.clone(),
                column: column.clone(),
                new_name: new_name.clone(),
                column_type: info.map(|c| c.data_type.clone()),
                has_default,
            }),
        );
    }
}
