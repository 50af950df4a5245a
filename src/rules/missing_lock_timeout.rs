use super::util::{list, strong_lock};
use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Flags the first statement of a file that takes an ACCESS EXCLUSIVE,
    /// EXCLUSIVE or SHARE ROW EXCLUSIVE lock on an existing table (ALTER
    /// TABLE, DROP TABLE, TRUNCATE, LOCK TABLE, CREATE or DROP TRIGGER, a
    /// foreign key to an existing table, CREATE TABLE ... PARTITION OF and
    /// DETACH PARTITION on the partitioned table, ...) when no
    /// `SET lock_timeout` ran earlier in the file, or when the one set is
    /// longer than `max-lock-timeout` (default 2s) or 0 (no timeout).
    ///
    /// Which lock each statement takes, on each PostgreSQL version, comes
    /// from zerodown's table of PostgreSQL's behaviour, checked on live
    /// servers (`docs/postgres-locks.md`).
    /// Statements that take SHARE UPDATE EXCLUSIVE (storage parameters,
    /// statistics targets, VALIDATE CONSTRAINT, concurrent index builds and
    /// detaches) block neither reads nor writes and are not flagged.
    ///
    /// ## Why it causes downtime
    /// Even an instant ALTER TABLE must wait for every transaction already
    /// using the table. While it waits, it sits at the head of the lock queue
    /// and every later query on the table, reads included, queues behind it.
    /// One slow transaction turns a millisecond change into an outage.
    ///
    /// A lock timeout bounds that queue only to its own length: with `10s`,
    /// one long report query stalls every query on the table for 10 seconds.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD COLUMN bio text;
    /// ```
    ///
    /// ```sql invalid
    /// SET lock_timeout = '10s';
    /// ALTER TABLE users ADD COLUMN bio text;
    /// ```
    ///
    /// ## Safe alternative
    /// Set a short lock timeout first, so the statement gives up instead of
    /// blocking everyone, and retry the migration until it gets its lock
    /// (zerodown's plans retry inside the step):
    /// ```sql valid
    /// SET lock_timeout = '1s';
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
        // No timeout: reported at the file's first strong lock. Too long a
        // timeout: at the first strong lock after each `SET lock_timeout`.
        let reported = if cx.state.lock_timeout_set {
            cx.state.strong_lock_since_lock_timeout
        } else {
            cx.state.strong_lock_taken
        };
        if reported {
            return;
        }
        let too_long = if cx.state.lock_timeout_set {
            let max =
                crate::model::parse_duration_ms(&cx.options.max_lock_timeout).unwrap_or(2_000);
            match cx.state.lock_timeout_ms {
                Some(ms) if ms == 0 || ms > max => Some((ms, max)),
                _ => return,
            }
        } else {
            None
        };
        let is_new = |t: &crate::model::Name| cx.is_new_table(t);
        let Some((tables, mode)) = strong_lock(op, cx.options.pg_version, &is_new) else {
            return;
        };
        // Report once per statement: at its first operation that takes a strong lock.
        let first = cx
            .statement
            .ops
            .iter()
            .find(|o| strong_lock(o, cx.options.pg_version, &is_new).is_some());
        if first.is_some_and(|f| !std::ptr::eq(f, op)) {
            return;
        }
        let a = if mode.starts_with('A') { "an" } else { "a" };
        let (set, help) = match too_long {
            None => (
                "no lock_timeout set".to_string(),
                "add `SET lock_timeout = '1s';` at the top of the migration and retry it when it times out".to_string(),
            ),
            Some((ms, _)) => (
                if ms == 0 {
                    "lock_timeout = 0, which waits for ever".to_string()
                } else {
                    format!("lock_timeout = {}", cx.state.lock_timeout_text)
                },
                format!("keep lock_timeout at or under {} (`max-lock-timeout`) and retry the migration when it times out: short waits, tried again, stall traffic less than one long wait", cx.options.max_lock_timeout.trim()),
            ),
        };
        let message = format!("this statement takes {a} {mode} lock on {} with {set}: while it waits for running transactions, every later query on {} queues behind the statement", list(&tables), if tables.len() > 1 { "those relations" } else { "that relation" });
        // The fix sets the timeout the help names (or `max-lock-timeout`
        // when that is shorter); a timeout that is too long is the
        // author's number to choose.
        let fix = too_long.is_none().then(|| {
            let max =
                crate::model::parse_duration_ms(&cx.options.max_lock_timeout).unwrap_or(2_000);
            let value = if max >= 1_000 {
                "1s"
            } else {
                cx.options.max_lock_timeout.trim()
            };
            super::fix::set_lock_timeout(cx, value)
        });
        out.push(Diagnostic::new(op.span.clone(), message, help).with_fix(fix.flatten()));
    }
}
