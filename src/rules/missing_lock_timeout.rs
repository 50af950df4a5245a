use super::util::{list, strong_lock};
use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Flags the first statement of a file that takes an ACCESS EXCLUSIVE or
    /// SHARE ROW EXCLUSIVE lock on an existing table (ALTER TABLE, DROP TABLE,
    /// TRUNCATE, LOCK TABLE, a foreign key to an existing table, ...) when no
    /// `SET lock_timeout` ran earlier in the file.
    ///
    /// ## Why it causes downtime
    /// Even an instant ALTER TABLE must wait for every transaction already
    /// using the table. While it waits, it sits at the head of the lock queue
    /// and every later query on the table, reads included, queues behind it.
    /// One slow transaction turns a millisecond change into an outage.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD COLUMN bio text;
    /// ```
    ///
    /// ## Safe alternative
    /// Set a short lock timeout first, so the statement gives up instead of
    /// blocking everyone, and retry the migration:
    /// ```sql valid
    /// SET lock_timeout = '5s';
    /// ALTER TABLE users ADD COLUMN bio text;
    /// ```
    pub struct MissingLockTimeout {
        id: "missing-lock-timeout",
        severity: Warning,
        summary: "A strong lock on an existing table without SET lock_timeout first",
    }
}

impl Rule for MissingLockTimeout {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.state.lock_timeout_set || cx.state.strong_lock_taken {
            return;
        }
        let is_new = |t: &crate::model::Name| cx.is_new_table(t);
        let Some((tables, mode)) = strong_lock(op, &is_new) else {
            return;
        };
        // Report once per statement: at its first operation that takes a strong lock.
        let first = cx
            .statement
            .ops
            .iter()
            .find(|o| strong_lock(o, &is_new).is_some());
        if first.is_some_and(|f| !std::ptr::eq(f, op)) {
            return;
        }
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("this statement takes {} {mode} lock on {} with no lock_timeout set: while it waits for running transactions, every query on the table queues behind it", if mode.starts_with('A') { "an" } else { "a" }, list(&tables)),
            "add `SET lock_timeout = '5s';` at the top of the migration and retry it when it times out",
        ));
    }
}
