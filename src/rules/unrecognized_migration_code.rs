use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports each call in a Rails migration's `up` or `change` (or in the
    /// migration class) that zerodown does not understand: a method that is
    /// neither a Rails schema statement nor one of GitLab's migration
    /// helpers it knows (see `docs/rails.md`).
    ///
    /// ## Why it causes downtime
    /// What the call does to the database is unknown, so no other rule
    /// checks it: it may take any lock, rewrite a table or change data.
    /// Nothing in a migration is skipped silently.
    ///
    /// ## Example
    /// ```ruby invalid
    /// class AddThing < ActiveRecord::Migration[7.1]
    ///   def up
    ///     rebuild_search_vectors :issues
    ///   end
    /// end
    /// ```
    ///
    /// ## Safe alternative
    /// Write the change with Rails' schema statements or SQL in `execute`,
    /// so it can be checked, or review the call by hand and record it:
    /// ```ruby valid
    /// class AddThing < ActiveRecord::Migration[7.1]
    ///   def up
    ///     # zerodown-ignore unrecognized-migration-code: only rebuilds a cache, reviewed
    ///     rebuild_search_vectors :issues
    ///   end
    /// end
    /// ```
    pub struct UnrecognizedMigrationCode {
        id: "unrecognized-migration-code",
        severity: Info,
        summary: "Ruby in a Rails migration that zerodown does not understand",
    }
}

impl Rule for UnrecognizedMigrationCode {
    rule_meta!();

    fn check(&self, op: &Op, _cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(method) = crate::ruby::unrecognized(op) else {
            return;
        };
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("zerodown does not understand `{method}`: what it does to the database is not checked by any rule"),
            "review it by hand and add `# zerodown-ignore unrecognized-migration-code: reason` above it, or write the change with Rails' schema statements or `execute` SQL",
        ));
    }
}
