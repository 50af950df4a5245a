use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, DataChangeKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags an `UPDATE`, `DELETE`, `INSERT ... SELECT` or `COPY ... FROM`
    /// on an existing table inside a transaction that already holds an
    /// ACCESS EXCLUSIVE lock on an existing table (taken by an earlier
    /// statement of the same transaction: `ADD COLUMN`, `LOCK TABLE`, ...).
    ///
    /// ## Why it causes downtime
    /// Locks are held until the transaction ends. A schema change that takes
    /// a moment becomes an outage when a backfill follows it in the same
    /// transaction: no query can read or write the locked table until every
    /// row has been rewritten and the transaction commits.
    ///
    /// ## Example
    /// ```sql invalid
    /// BEGIN;
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN plan text;
    /// UPDATE users SET plan = 'free';
    /// COMMIT;
    /// ```
    ///
    /// ## Safe alternative
    /// Commit the schema change on its own, then backfill in batches in a
    /// post-deployment (or background) migration, each batch its own short
    /// transaction (an UPDATE's finding carries the `backfill` plan):
    /// ```sql valid
    /// -- zerodown: phase=post-deploy
    /// UPDATE users SET plan = 'free' WHERE plan IS NULL;
    /// ```
    pub struct BackfillUnderLock {
        id: "backfill-under-lock",
        severity: Error,
        summary: "a backfill in a transaction that holds ACCESS EXCLUSIVE on an existing table",
    }
}

impl Rule for BackfillUnderLock {
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
        if *kind == DataChangeKind::InsertValues || !cx.in_transaction() || cx.is_new_table(table) {
            return;
        }
        let Some((locked, _)) = cx
            .state
            .locked_in_transaction
            .iter()
            .find(|(_, mode)| mode.starts_with('A'))
        else {
            return;
        };
        let mut d = Diagnostic::new(
            op.span.clone(),
            format!("this data change on `{table}` runs while the transaction holds an ACCESS EXCLUSIVE lock on `{locked}`, taken by an earlier statement: every read and write of `{locked}` waits until the whole backfill commits"),
            "commit the schema change first (COMMIT, or its own migration), then backfill in batches in a post-deployment or background migration",
        );
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
