use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `CREATE INDEX` without `CONCURRENTLY` on a table that existed
    /// before this migration.
    ///
    /// ## Why it causes downtime
    /// A plain `CREATE INDEX` takes a SHARE lock on the table for the whole
    /// build: every INSERT, UPDATE and DELETE waits until the index is built,
    /// which on a large table takes minutes.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE INDEX index_users_on_email ON users (email);
    /// ```
    ///
    /// ## Safe alternative
    /// Build the index concurrently, in a migration that does not run inside a
    /// transaction:
    /// ```sql valid
    /// CREATE INDEX CONCURRENTLY index_users_on_email ON users (email);
    /// ```
    ///
    /// PostgreSQL refuses `CONCURRENTLY` on a partitioned table. When the
    /// schema (`--schema`, see `docs/schema.md`) says the table is
    /// partitioned, the rule flags `CREATE INDEX` on it with or without
    /// `CONCURRENTLY`, and the help names its partitions: create the index on
    /// the parent alone (`ON ONLY`, invalid until every partition has one),
    /// build each partition's index concurrently, then attach each one:
    /// ```sql valid
    /// CREATE INDEX index_events_on_created_at ON ONLY events (created_at);
    /// ```
    /// ```sql valid
    /// CREATE INDEX CONCURRENTLY events_2026_created_at_idx ON events_2026 (created_at);
    /// ```
    /// ```sql valid
    /// ALTER INDEX index_events_on_created_at ATTACH PARTITION events_2026_created_at_idx;
    /// ```
    /// Without a schema, zerodown does not know which tables are
    /// partitioned (unless the linted files created them) and gives the
    /// CONCURRENTLY advice.
    pub struct AddIndexNonConcurrently {
        id: "add-index-non-concurrently",
        severity: Error,
        summary: "CREATE INDEX without CONCURRENTLY on an existing table",
    }
}

impl Rule for AddIndexNonConcurrently {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::CreateIndex(ci) = &op.kind else {
            return;
        };
        if ci.only || cx.is_new_table(&ci.table) {
            return;
        }
        if cx.catalog.is_partitioned(&ci.table) {
            out.push(partitioned(op, ci, cx));
            return;
        }
        if ci.concurrently {
            return;
        }
        out.push(
            Diagnostic::new(
                op.span.clone(),
                format!(
                    "CREATE INDEX on `{}` without CONCURRENTLY blocks every write to the table until the index is built",
                    ci.table
                ),
                "use CREATE INDEX CONCURRENTLY in a migration that runs outside a transaction",
            )
            .with_change(Change::AddIndex {
                table: ci.table.clone(),
                columns: ci.columns.clone(),
                name: ci.name.clone(),
                unique: ci.unique,
                method: ci.method.clone(),
                predicate: ci.predicate.clone(),
            })
            .with_fix(super::fix::create_index_concurrently(cx)),
        );
    }
}

/// The finding on a partitioned parent: PostgreSQL refuses CONCURRENTLY
/// there, so the help is the ON ONLY / per partition / ATTACH sequence,
/// naming the partitions the catalog knows (the first few).
fn partitioned(op: &Op, ci: &crate::model::CreateIndex, cx: &RuleContext<'_>) -> Diagnostic {
    let table = &ci.table;
    let parts = cx.catalog.partitions(table);
    let index = ci
        .name
        .as_ref()
        .map_or_else(|| format!("{}_idx", table.name), |n| n.name.clone());
    let unique = if ci.unique { "UNIQUE " } else { "" };
    let cols = ci.columns.join(", ");
    let message = if ci.concurrently {
        format!("`{table}` is partitioned: PostgreSQL refuses CREATE INDEX CONCURRENTLY on a partitioned table, so the migration would fail at deploy time")
    } else {
        format!("CREATE INDEX on the partitioned table `{table}` blocks every write to each of its partitions until all are indexed, and PostgreSQL refuses CONCURRENTLY on a partitioned table")
    };
    let mut help = format!(
        "create the index on the parent alone (`CREATE {unique}INDEX {index} ON ONLY {table} ({cols});`, invalid until every partition has one), then on each partition `CREATE {unique}INDEX CONCURRENTLY` outside a transaction, then `ALTER INDEX {index} ATTACH PARTITION <partition index>;` for each"
    );
    const SHOWN: usize = 3;
    if !parts.is_empty() {
        let steps: Vec<String> = parts
            .iter()
            .take(SHOWN)
            .map(|p| {
                // PostgreSQL keeps 63 bytes of a name; the index lives in
                // its partition's schema.
                let mut pi = format!("{}_{}", p.name, index);
                while pi.len() > 63 {
                    pi.pop();
                }
                let qualified = match &p.schema {
                    Some(s) if s != "public" => format!("{s}.{pi}"),
                    _ => pi.clone(),
                };
                format!("`CREATE {unique}INDEX CONCURRENTLY {pi} ON {p} ({cols});` then `ALTER INDEX {index} ATTACH PARTITION {qualified};`")
            })
            .collect();
        help.push_str(&format!(": {}", steps.join(", ")));
        if parts.len() > SHOWN {
            help.push_str(&format!(
                ", and the same for its {} other partitions",
                parts.len() - SHOWN
            ));
        }
    }
    Diagnostic::new(op.span.clone(), message, help)
}
