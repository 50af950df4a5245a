use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `DROP INDEX` without `CONCURRENTLY`, unless the index was created
    /// earlier in the same file on a table that is new there.
    ///
    /// ## Why it causes downtime
    /// A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's
    /// table. The drop itself is quick, but while it waits for running
    /// transactions to finish, every later query on the table, reads included,
    /// queues behind it.
    ///
    /// ## Example
    /// ```sql invalid
    /// DROP INDEX index_users_on_email;
    /// ```
    ///
    /// ## Safe alternative
    /// Drop the index concurrently, in a migration that does not run inside a
    /// transaction:
    /// ```sql valid
    /// DROP INDEX CONCURRENTLY IF EXISTS index_users_on_email;
    /// ```
    pub struct DropIndexNonConcurrently {
        id: "drop-index-non-concurrently",
        severity: Warning,
        summary: "DROP INDEX without CONCURRENTLY",
    }
}

impl Rule for DropIndexNonConcurrently {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::DropIndex {
            names,
            concurrently: false,
        } = &op.kind
        else {
            return;
        };
        for name in names.iter().filter(|n| !cx.state.is_new_index(n)) {
            out.push(
                Diagnostic::new(
                    op.span.clone(),
                    format!(
                        "DROP INDEX `{name}` without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table: while it waits for running transactions, every query on the table queues behind it"
                    ),
                    format!("use DROP INDEX CONCURRENTLY IF EXISTS {name} in a migration that runs outside a transaction"),
                )
                .with_change(Change::DropIndex {
                    name: name.clone(),
                    table: None,
                })
                .with_fix(super::fix::drop_index_concurrently(cx, names.len())),
            );
        }
    }
}
