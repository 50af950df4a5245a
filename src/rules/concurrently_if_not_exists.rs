use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `CREATE INDEX CONCURRENTLY IF NOT EXISTS` on an existing table.
    ///
    /// ## Why it causes downtime
    /// When a concurrent build fails (a deadlock, a unique violation, a
    /// statement timeout, a cancelled deploy), PostgreSQL leaves the index
    /// behind, marked INVALID: it is not used by queries but is still updated
    /// on every write. The retried migration then sees that the index
    /// "exists" and skips it: the deployment succeeds without the index (or
    /// without the uniqueness it was meant to enforce), and queries that need
    /// it scan the table.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE INDEX CONCURRENTLY IF NOT EXISTS index_users_on_email ON users (email);
    /// ```
    ///
    /// ## Safe alternative
    /// Drop a leftover invalid index first, then build it without `IF NOT
    /// EXISTS` (or check `pg_index.indisvalid` before skipping it):
    /// ```sql valid
    /// DROP INDEX CONCURRENTLY IF EXISTS index_users_on_email;
    /// CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
    /// ```
    pub struct ConcurrentlyIfNotExists {
        id: "concurrently-if-not-exists",
        severity: Warning,
        summary: "CREATE INDEX CONCURRENTLY IF NOT EXISTS keeps an INVALID index from a failed build",
    }
}

impl Rule for ConcurrentlyIfNotExists {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::CreateIndex(ci) = &op.kind else {
            return;
        };
        if !(ci.concurrently && ci.if_not_exists) || cx.is_new_table(&ci.table) {
            return;
        }
        let name = ci
            .name
            .as_ref()
            .map_or_else(|| "the index".to_string(), |n| format!("`{n}`"));
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("if a concurrent build of {name} fails, an INVALID index is left behind, and a retry with IF NOT EXISTS silently keeps it: the migration succeeds without a usable index"),
            "drop the index with DROP INDEX CONCURRENTLY IF EXISTS first and create it without IF NOT EXISTS, or check pg_index.indisvalid before skipping it",
        ));
    }
}
