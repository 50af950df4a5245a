use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `VALIDATE CONSTRAINT` in the same transaction that added the
    /// constraint `NOT VALID`.
    ///
    /// ## Why it causes downtime
    /// `ADD CONSTRAINT ... NOT VALID` takes a strong lock, briefly. Validating
    /// in the same transaction keeps that lock for the whole validation scan,
    /// which undoes the point of `NOT VALID`: the table is blocked as if the
    /// constraint had been added validated.
    ///
    /// ## Example
    /// ```sql invalid
    /// BEGIN;
    /// ALTER TABLE issues ADD CONSTRAINT fk_issues_project
    ///     FOREIGN KEY (project_id) REFERENCES projects (id) NOT VALID;
    /// ALTER TABLE issues VALIDATE CONSTRAINT fk_issues_project;
    /// COMMIT;
    /// ```
    ///
    /// ## Safe alternative
    /// Commit after adding the constraint and validate in a separate
    /// transaction, usually a later migration:
    /// ```sql valid
    /// BEGIN;
    /// ALTER TABLE issues ADD CONSTRAINT fk_issues_project
    ///     FOREIGN KEY (project_id) REFERENCES projects (id) NOT VALID;
    /// COMMIT;
    /// ALTER TABLE issues VALIDATE CONSTRAINT fk_issues_project;
    /// ```
    pub struct ValidateInSameTransaction {
        id: "validate-in-same-transaction",
        severity: Warning,
        summary: "VALIDATE CONSTRAINT in the transaction that added it NOT VALID",
    }
}

impl Rule for ValidateInSameTransaction {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::ValidateConstraint { table, name } = &op.kind else {
            return;
        };
        if !cx.in_transaction()
            || !cx
                .state
                .not_valid_in_transaction
                .contains(&(table.name.clone(), name.clone()))
        {
            return;
        }
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("`{name}` is validated in the same transaction that added it NOT VALID: the lock taken by ADD CONSTRAINT is held for the whole validation scan of `{table}`"),
            "COMMIT after ADD CONSTRAINT ... NOT VALID and run VALIDATE CONSTRAINT in a separate transaction, ideally a later migration",
        ));
    }
}
