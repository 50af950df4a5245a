use super::{Diagnostic, Rule, RuleContext};
use crate::model::{MaintenanceKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `VACUUM FULL`, `CLUSTER`, `REINDEX` without `CONCURRENTLY` and
    /// `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY`, unless every target
    /// was created earlier in the same file.
    ///
    /// ## Why it causes downtime
    /// `VACUUM FULL` and `CLUSTER` rewrite the whole table under an ACCESS
    /// EXCLUSIVE lock; `REINDEX` blocks writes to the table (and reads that use
    /// the index) while it rebuilds; a plain `REFRESH MATERIALIZED VIEW` blocks
    /// every read of the view. On a production table each takes minutes to
    /// hours.
    ///
    /// ## Example
    /// ```sql invalid
    /// VACUUM FULL events;
    /// ```
    ///
    /// ## Safe alternative
    /// Rebuild indexes with `REINDEX ... CONCURRENTLY` (PostgreSQL 12 and
    /// later) outside a transaction; reclaim table space with an online tool
    /// such as pg_repack instead of VACUUM FULL or CLUSTER; refresh views
    /// `CONCURRENTLY` (it needs a unique index on the view):
    /// ```sql valid
    /// REINDEX INDEX CONCURRENTLY index_events_on_created_at;
    /// ```
    pub struct BlockingMaintenance {
        id: "blocking-maintenance",
        severity: Error,
        summary: "VACUUM FULL, CLUSTER, REINDEX or REFRESH MATERIALIZED VIEW without CONCURRENTLY",
    }
}

impl Rule for BlockingMaintenance {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::Maintenance {
            kind,
            targets,
            concurrently,
        } = &op.kind
        else {
            return;
        };
        if *concurrently
            || (!targets.is_empty()
                && targets
                    .iter()
                    .all(|t| cx.is_new_table(t) || cx.state.is_new_index(t)))
        {
            return;
        }
        let on = if targets.is_empty() {
            "the whole database".to_string()
        } else {
            super::util::list(targets)
        };
        let (what, why, help) = match kind {
            MaintenanceKind::VacuumFull => (
                "VACUUM FULL",
                "rewrites every table it touches under an ACCESS EXCLUSIVE lock: no query can read or write it until the rewrite is done",
                "reclaim space online with pg_repack, or let plain VACUUM and autovacuum do their work".to_string(),
            ),
            MaintenanceKind::Cluster => (
                "CLUSTER",
                "rewrites the table in index order under an ACCESS EXCLUSIVE lock: no query can read or write it until the rewrite is done",
                "reorder the table online with pg_repack --order-by, or skip the reordering".to_string(),
            ),
            MaintenanceKind::Reindex => (
                "REINDEX",
                "blocks writes to the table, and reads that use the index, until every index is rebuilt",
                if cx.options.pg_version.reindex_concurrently() {
                    "use REINDEX ... CONCURRENTLY in a migration that runs outside a transaction".to_string()
                } else {
                    "before PostgreSQL 12, build a replacement with CREATE INDEX CONCURRENTLY, then drop the old index concurrently and rename the new one".to_string()
                },
            ),
            MaintenanceKind::RefreshMaterializedView => (
                "REFRESH MATERIALIZED VIEW",
                "blocks every read of the view until the refresh is done",
                "use REFRESH MATERIALIZED VIEW CONCURRENTLY (the view needs a unique index)".to_string(),
            ),
            MaintenanceKind::Vacuum => return,
        };
        let fix = if matches!(kind, MaintenanceKind::Reindex) {
            super::fix::reindex_concurrently(cx)
        } else {
            None
        };
        out.push(
            Diagnostic::new(op.span.clone(), format!("{what} on {on} {why}"), help).with_fix(fix),
        );
    }
}
