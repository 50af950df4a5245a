use super::{Diagnostic, Rule, RuleContext};
use crate::model::{ConstraintKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags an `EXCLUDE` constraint added to an existing table.
    ///
    /// ## Why it causes downtime
    /// An exclusion constraint builds its index and checks every row while
    /// holding an ACCESS EXCLUSIVE lock. Unlike UNIQUE, it cannot be built
    /// concurrently and attached afterwards, nor added `NOT VALID`: the table
    /// is blocked for the whole build.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE reservations ADD CONSTRAINT no_overlap
    ///     EXCLUDE USING gist (room_id WITH =, during WITH &&);
    /// ```
    ///
    /// ## Safe alternative
    /// Add exclusion constraints when the table is created, or enforce the rule
    /// in the application (or a trigger) and add the constraint during a
    /// maintenance window:
    /// ```sql valid
    /// CREATE TABLE reservations (
    ///     id bigint PRIMARY KEY,
    ///     room_id bigint NOT NULL,
    ///     during tstzrange NOT NULL,
    ///     EXCLUDE USING gist (room_id WITH =, during WITH &&)
    /// );
    /// ```
    pub struct AddExclusionConstraint {
        id: "add-exclusion-constraint",
        severity: Error,
        summary: "EXCLUDE constraint added to an existing table",
    }
}

impl Rule for AddExclusionConstraint {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AddConstraint { table, constraint } = &op.kind else {
            return;
        };
        if constraint.kind != ConstraintKind::Exclusion || cx.is_new_table(table) {
            return;
        }
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("adding an EXCLUDE constraint to `{table}` builds its index and checks every row under an ACCESS EXCLUSIVE lock, and it cannot be built concurrently: the table is blocked for the whole build"),
            "create exclusion constraints together with the table, or enforce the rule in the application and add the constraint in a maintenance window",
        ));
    }
}
