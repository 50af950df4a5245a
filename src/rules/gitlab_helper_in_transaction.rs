use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Flags a GitLab migration helper that refuses to run inside a
    /// transaction (`add_concurrent_foreign_key`, GitLab's
    /// `add_check_constraint` and the helpers built on it such as
    /// `add_not_null_constraint` and `add_text_limit`,
    /// `add_concurrent_partitioned_index`, `update_column_in_batches`,
    /// `rename_column_concurrently`, ...) in a migration class without
    /// `disable_ddl_transaction!`. The index helpers (`add_concurrent_index`,
    /// `remove_concurrent_index(_by_name)`) become `CONCURRENTLY` statements
    /// and are reported by `concurrently-in-transaction`.
    ///
    /// ## Why it causes downtime
    /// Each of these helpers checks `transaction_open?` and raises: it takes
    /// its locks in short steps with lock retries, which a surrounding
    /// transaction would hold to the end. The migration fails during the
    /// deployment, after the migrations before it have run.
    ///
    /// ## Example
    /// ```ruby invalid
    /// class AddProjectsFk < Gitlab::Database::Migration[2.3]
    ///   milestone '18.0'
    ///
    ///   def up
    ///     add_concurrent_foreign_key :issues, :projects, column: :project_id
    ///   end
    /// end
    /// ```
    ///
    /// ## Safe alternative
    /// Call `disable_ddl_transaction!` in the migration class:
    /// ```ruby valid
    /// class AddProjectsFk < Gitlab::Database::Migration[2.3]
    ///   milestone '18.0'
    ///   disable_ddl_transaction!
    ///
    ///   def up
    ///     add_concurrent_foreign_key :issues, :projects, column: :project_id
    ///   end
    /// end
    /// ```
    pub struct GitlabHelperInTransaction {
        id: "gitlab-helper-in-transaction",
        severity: Error,
        summary: "A GitLab migration helper that refuses to run in a transaction, without disable_ddl_transaction!",
    }
}

impl Rule for GitlabHelperInTransaction {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(helper) = crate::ruby::outside_transaction_helper(op) else {
            return;
        };
        if !cx.in_transaction() {
            return;
        }
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("`{helper}` cannot run inside a transaction: GitLab's helper raises when one is open, and this migration runs in one (no `disable_ddl_transaction!`), so it fails during the deployment"),
            "add disable_ddl_transaction! to the migration class (the helper takes its locks in short steps with lock retries)",
        ));
    }
}
