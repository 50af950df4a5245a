use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, ConstraintKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags a `FOREIGN KEY` constraint added to an existing table without
    /// `NOT VALID`, and `ADD COLUMN ... REFERENCES` on an existing table.
    ///
    /// ## Why it causes downtime
    /// Adding a validated foreign key takes a SHARE ROW EXCLUSIVE lock on both
    /// tables and scans the whole referencing table while holding it: writes
    /// to both tables wait until every row has been checked.
    ///
    /// ## With a schema
    /// With `--schema` (see `docs/schema.md`), the referenced table's keys
    /// are known: a foreign key whose referenced columns have no primary
    /// key, unique constraint or unique index is an error, NOT VALID or not,
    /// since PostgreSQL refuses it and the migration would fail at deploy
    /// time. Without a schema zerodown does not know the referenced keys
    /// and does not check them.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE issues ADD CONSTRAINT fk_issues_project
    ///     FOREIGN KEY (project_id) REFERENCES projects (id);
    /// ```
    ///
    /// ## Safe alternative
    /// Add the constraint `NOT VALID` (a brief lock, no scan), then validate it
    /// in a later migration, in its own transaction; validation only takes a
    /// SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on:
    /// ```sql valid
    /// ALTER TABLE issues ADD CONSTRAINT fk_issues_project
    ///     FOREIGN KEY (project_id) REFERENCES projects (id) NOT VALID;
    /// ```
    /// ```sql valid
    /// ALTER TABLE issues VALIDATE CONSTRAINT fk_issues_project;
    /// ```
    pub struct AddForeignKey {
        id: "add-foreign-key",
        severity: Error,
        summary: "FOREIGN KEY added to an existing table without NOT VALID",
    }
}

impl Rule for AddForeignKey {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let (table, columns, references, name) = match &op.kind {
            OpKind::AddConstraint { table, constraint } => match &constraint.kind {
                ConstraintKind::ForeignKey {
                    columns,
                    references,
                } => (table, columns.clone(), references, constraint.name.clone()),
                _ => return,
            },
            OpKind::AddColumn { table, column } => match &column.references {
                Some(r) => (table, vec![column.name.clone()], r, None),
                None => return,
            },
            _ => return,
        };
        // With a whole schema loaded, the referenced key is known.
        if cx.catalog.is_complete()
            && cx.catalog.has_table(&references.table)
            && !cx
                .catalog
                .has_unique_key(&references.table, &references.columns)
        {
            let cols = if references.columns.is_empty() {
                "primary key".to_string()
            } else {
                format!(
                    "primary key or unique constraint on ({})",
                    references.columns.join(", ")
                )
            };
            out.push(
                Diagnostic::new(
                    op.span.clone(),
                    format!(
                        "`{}` has no {cols}: PostgreSQL refuses this foreign key, so the migration would fail at deploy time",
                        references.table
                    ),
                    format!(
                        "reference the columns of a primary key or unique constraint of `{}`, or add a unique index (CONCURRENTLY) and constraint on them in an earlier migration",
                        references.table
                    ),
                )
                .with_severity(crate::model::Severity::Error),
            );
            return;
        }
        let not_valid =
            matches!(&op.kind, OpKind::AddConstraint { constraint, .. } if constraint.not_valid);
        if not_valid || cx.is_new_table(table) {
            return;
        }
        let inline = matches!(op.kind, OpKind::AddColumn { .. });
        let message = format!(
            "adding a validated foreign key on `{table}` ({}) locks `{table}` and `{}` against writes while every existing row is checked",
            columns.join(", "),
            references.table
        );
        let help = if inline {
            "add the column without REFERENCES, then add the foreign key with NOT VALID and run VALIDATE CONSTRAINT in a later migration"
        } else {
            "add the constraint with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later migration, in its own transaction"
        };
        let fix = if inline {
            None
        } else {
            super::fix::not_valid_then_validate(
                cx,
                "foreign key",
                super::fix::default_name(table, &columns, "fkey"),
            )
        };
        out.push(
            Diagnostic::new(op.span.clone(), message, help)
                .with_fix(fix)
                .with_change(Change::AddForeignKey {
                    table: table.clone(),
                    columns,
                    ref_table: references.table.clone(),
                    ref_columns: references.columns.clone(),
                    name,
                    on_delete: references.on_delete.clone(),
                }),
        );
    }
}
