use super::util::strong_lock;
use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Name, Op};

declare_rule! {
    /// ## What it does
    /// Flags a statement that takes an ACCESS EXCLUSIVE or SHARE ROW
    /// EXCLUSIVE lock on an existing table inside a transaction that already
    /// holds such a lock on another existing table (explicit `BEGIN`, or
    /// `--assume-in-transaction`).
    ///
    /// ## Why it causes downtime
    /// Locks are held until the transaction ends. While the migration waits
    /// for its second lock, every query on the first table queues behind the
    /// lock it already holds; `lock_timeout` bounds each wait, not the time
    /// the first table stays locked. Application transactions that touch the
    /// same tables in the other order deadlock with it.
    ///
    /// ## Example
    /// ```sql invalid
    /// BEGIN;
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN plan text;
    /// ALTER TABLE accounts ADD COLUMN plan text;
    /// COMMIT;
    /// ```
    ///
    /// ## Safe alternative
    /// Change one table per transaction: one migration per table, or a
    /// `COMMIT` between them.
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// BEGIN;
    /// ALTER TABLE users ADD COLUMN plan text;
    /// COMMIT;
    /// BEGIN;
    /// ALTER TABLE accounts ADD COLUMN plan text;
    /// COMMIT;
    /// ```
    pub struct MultipleTableLocks {
        id: "multiple-table-locks",
        severity: Warning,
        summary: "strong locks on several existing tables in one transaction",
    }
}

impl Rule for MultipleTableLocks {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let held = &cx.state.locked_in_transaction;
        if held.is_empty() || !cx.in_transaction() {
            return;
        }
        let is_new = |t: &Name| cx.is_new_table(t);
        let Some((tables, mode)) = strong_lock(op, cx.options.pg_version, &is_new) else {
            return;
        };
        let Some(new) = tables.iter().find(|t| !cx.state.holds_strong_lock(t)) else {
            return;
        };
        let others: Vec<String> = held.iter().map(|(h, _)| format!("`{h}`")).collect();
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("taking {mode} on `{new}` while this transaction still holds a strong lock on {}: queries on those tables queue for as long as this waits, and transactions locking them in another order deadlock with it", others.join(", ")),
            "change one table per transaction: split the migration, or COMMIT before changing the next table",
        ));
    }
}
