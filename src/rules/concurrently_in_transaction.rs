use super::{Diagnostic, Rule, RuleContext};
use crate::model::{MaintenanceKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`,
    /// `REINDEX CONCURRENTLY` and `DETACH PARTITION CONCURRENTLY` inside a
    /// transaction block: after `BEGIN`, or in every statement when the
    /// migration tool wraps files in a transaction (`--assume-in-transaction`).
    ///
    /// ## Why it causes downtime
    /// PostgreSQL refuses these commands inside a transaction block, so the
    /// migration fails halfway through a deployment, with the new code
    /// already rolling out against a schema that did not change.
    ///
    /// ## Example
    /// ```sql invalid
    /// BEGIN;
    /// CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
    /// COMMIT;
    /// ```
    ///
    /// ## Safe alternative
    /// Run the concurrent command outside a transaction: in its own migration
    /// with the tool's transaction turned off (Rails: `disable_ddl_transaction!`).
    /// ```sql valid
    /// CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
    /// ```
    pub struct ConcurrentlyInTransaction {
        id: "concurrently-in-transaction",
        severity: Error,
        summary: "A CONCURRENTLY operation inside a transaction",
    }
}

impl Rule for ConcurrentlyInTransaction {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.in_transaction() {
            return;
        }
        let what = match &op.kind {
            OpKind::CreateIndex(ci) if ci.concurrently => "CREATE INDEX CONCURRENTLY",
            OpKind::DropIndex {
                concurrently: true, ..
            } => "DROP INDEX CONCURRENTLY",
            OpKind::Maintenance {
                kind: MaintenanceKind::Reindex,
                concurrently: true,
                ..
            } => "REINDEX CONCURRENTLY",
            OpKind::AlterTableOther {
                action,
                access_exclusive: false,
                ..
            } if action == "DETACH PARTITION" => "DETACH PARTITION CONCURRENTLY",
            _ => return,
        };
        let why = if cx.state.explicit_transaction {
            "after BEGIN"
        } else {
            "and this file is assumed to run inside a transaction"
        };
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("{what} cannot run inside a transaction block ({why}): PostgreSQL rejects it and the migration fails halfway through the deployment"),
            "move the statement into its own migration that runs outside a transaction (no BEGIN; in Rails `disable_ddl_transaction!`)",
        ));
    }
}
