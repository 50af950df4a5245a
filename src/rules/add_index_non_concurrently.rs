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
        if ci.concurrently || ci.only || cx.is_new_table(&ci.table) {
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
            }),
        );
    }
}
