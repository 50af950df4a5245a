use super::{Diagnostic, Rule, RuleContext};
use crate::model::Phase;
use crate::model::{Change, DataChangeKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `UPDATE`, `DELETE`, `INSERT ... SELECT` and `COPY ... FROM` on
    /// existing tables
    /// (also inside `WITH`: `WITH moved AS (DELETE ... RETURNING *) INSERT
    /// ...` changes two tables) in a regular migration, and in any migration other than a batched
    /// background migration when the table is one of the configured large
    /// tables (`--large-table`).
    ///
    /// ## Why it causes downtime
    /// A regular migration runs before the new code is deployed, so the data
    /// it changes keeps being written in the old format by the running code.
    /// A single statement over a large table also holds row locks for its
    /// whole run, blocks writers, bloats the table and can outlast the
    /// deployment's timeout.
    ///
    /// ## Example
    /// ```sql invalid
    /// UPDATE users SET plan = 'free' WHERE plan IS NULL;
    /// ```
    ///
    /// ## Safe alternative
    /// Correct data in a post-deployment migration, after the code that
    /// writes the new format is deployed; on a large table, run it as a
    /// batched background migration. To change a data format: add a new
    /// column, copy the data, deploy code that uses it, copy what remains in a
    /// post-deployment migration.
    /// ```sql valid
    /// -- zerodown: phase=post-deploy
    /// UPDATE users SET plan = 'free' WHERE plan IS NULL;
    /// ```
    pub struct DataMigration {
        id: "data-migration",
        severity: Error,
        summary: "UPDATE / DELETE / INSERT ... SELECT / COPY in a regular migration, or unbatched on a large table",
    }
}

impl Rule for DataMigration {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::DataChange {
            kind,
            table,
            set,
            predicate,
            ..
        } = &op.kind
        else {
            return;
        };
        let verb = match kind {
            DataChangeKind::Update => "UPDATE",
            DataChangeKind::Delete => "DELETE",
            DataChangeKind::InsertSelect => "INSERT ... SELECT",
            DataChangeKind::Copy => "COPY ... FROM",
            _ => return,
        };
        if cx.is_new_table(table) || cx.phase == Phase::Background {
            return;
        }
        let large = cx.options.is_large_table(table);
        let (message, help) = match (cx.phase, large) {
            (Phase::Regular, false) => (
                format!("{verb} on `{table}` in a regular migration changes data before the new code is deployed: the running code keeps writing the old format"),
                "move the data change to a post-deployment migration; to change a format, add a new column, copy the data, deploy, then copy the rest after deployment".to_string(),
            ),
            (_, true) => (
                format!("{verb} on the large table `{table}` in one statement holds row locks for the whole run, blocks writers and can outlast the deployment"),
                "run it as a batched background migration (a few thousand rows per batch, keyed on the primary key)".to_string(),
            ),
            _ => return,
        };
        let mut d = Diagnostic::new(op.span.clone(), message, help);
        if let (DataChangeKind::Update, Some(set)) = (kind, set) {
            d = d.with_change(Change::Backfill {
                table: table.clone(),
                set: set.clone(),
                predicate: predicate.clone(),
                batch_size: None,
            });
        }
        out.push(d);
    }
}
