use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TABLE ... RENAME TO` on a table that existed before this
    /// migration.
    ///
    /// ## Why it causes downtime
    /// Old code keeps using the old table name while the deployment rolls out:
    /// every query it sends fails from the moment of the rename until every
    /// process runs the new code.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE issues RENAME TO work_items;
    /// ```
    ///
    /// ## Safe alternative
    /// Follow a multi-release rename: in release M rename the table and create
    /// a view with the old name (`CREATE VIEW issues AS SELECT * FROM work_items`)
    /// so both names work, switch the code to the new name; drop the view in a
    /// post-deployment migration of release M+1. If no code uses the table yet,
    /// drop it and create it again under the new name:
    /// ```sql valid
    /// CREATE TABLE drafts (id bigint PRIMARY KEY);
    /// ALTER TABLE drafts RENAME TO work_item_drafts;
    /// ```
    pub struct RenameTable {
        id: "rename-table",
        severity: Error,
        summary: "ALTER TABLE ... RENAME TO on an existing table",
        breaks_running_code: true,
    }
}

impl Rule for RenameTable {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::RenameTable { table, new_name } = &op.kind else {
            return;
        };
        if cx.is_new_table(table) {
            return;
        }
        out.push(
            Diagnostic::new(
                op.span.clone(),
                format!("renaming `{table}` to `{new_name}` breaks the running application: old code keeps querying `{table}` until every process is replaced"),
                format!("in release M rename the table and create a view `{table}` over `{new_name}` so both names work, switch the code; drop the view in a post-deployment migration in M+1"),
            )
            .with_change(Change::RenameTable {
                table: table.clone(),
                new_name: new_name.clone(),
            }),
        );
    }
}
