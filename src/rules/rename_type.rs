use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TYPE ... RENAME VALUE` and `ALTER TYPE ... RENAME TO`,
    /// except on a type created earlier in the same file.
    ///
    /// ## Why it causes downtime
    /// Old code keeps writing the old enum label while the deployment rolls
    /// out: every INSERT or UPDATE that sends it fails with `invalid input
    /// value for enum` from the moment of the rename. A renamed type breaks
    /// every query, function and cast that names it (`'x'::old_name`).
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TYPE issue_state RENAME VALUE 'open' TO 'opened';
    /// ```
    ///
    /// ## Safe alternative
    /// Expand and contract (the `rename-enum-value` plan, which the finding
    /// carries). Release M: add the new label (`ADD VALUE`, in its own
    /// migration) and deploy code that reads both labels and writes the new
    /// one. Release M, background migration once that code runs everywhere:
    /// relabel the rows that still hold the old label, in batches, in every
    /// column of the type, and move a column default of the old label to the
    /// new one. Release M+1: stop reading the old label. It stays in the type,
    /// unused (PostgreSQL cannot drop an enum label). For a type, stop naming
    /// it in code and functions first, then rename it.
    /// ```sql valid
    /// ALTER TYPE issue_state ADD VALUE IF NOT EXISTS 'opened';
    /// ```
    pub struct RenameType {
        id: "rename-type",
        severity: Error,
        summary: "ALTER TYPE ... RENAME VALUE / RENAME TO",
        breaks_running_code: true,
    }
}

impl Rule for RenameType {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::RenameType {
            type_name,
            value,
            new_name,
        } = &op.kind
        else {
            return;
        };
        // A type this file created is unused until the file commits.
        if cx.is_new_table(type_name) {
            return;
        }
        let d = match value {
            Some(old) => Diagnostic::new(
                op.span.clone(),
                format!("renaming the label '{old}' of `{type_name}` to '{new_name}' breaks running code that still writes '{old}': its writes fail until every process runs the new code"),
                format!("add '{new_name}' with ADD VALUE, deploy code that reads both and writes '{new_name}', then relabel the old rows in batches once that code runs everywhere"),
            )
            .with_change(Change::RenameEnumValue {
                type_name: type_name.clone(),
                value: old.clone(),
                new_value: new_name.clone(),
            }),
            None => Diagnostic::new(
                op.span.clone(),
                format!("renaming the type `{type_name}` to `{new_name}` breaks running code, functions and casts that name `{type_name}`"),
                format!("remove every use of the name `{type_name}` from code and functions in release M, then rename it in a later release"),
            ),
        };
        out.push(d);
    }
}
