use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};
use crate::model::{Phase, Severity};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER COLUMN ... SET DEFAULT` and `DROP DEFAULT` on a column that
    /// existed before this migration. In a post-deployment migration, where
    /// the guide puts this change, it is reported as info.
    ///
    /// ## Why it causes downtime
    /// Rails and similar frameworks cache column defaults and leave out of
    /// INSERTs any value equal to the default they know. After the default
    /// changes, running code that explicitly writes the old default silently
    /// gets the new one: wrong data, with no error.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE ci_builds ALTER COLUMN partition_id SET DEFAULT 101;
    /// ```
    ///
    /// ## Safe alternative
    /// Two minor releases:
    /// 1. Release M: mark the column in the model
    ///    (`columns_changing_default :partition_id`) and change the default in
    ///    a post-deployment migration.
    /// 2. Release M+1: remove the marker.
    ///
    /// A default set on a column added in the same file is safe:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE ci_builds ADD COLUMN priority integer;
    /// ALTER TABLE ci_builds ALTER COLUMN priority SET DEFAULT 0;
    /// ```
    pub struct ChangeColumnDefault {
        id: "change-column-default",
        severity: Warning,
        summary: "SET DEFAULT / DROP DEFAULT on an existing column",
    }
}

impl Rule for ChangeColumnDefault {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::ChangeDefault {
            table,
            column,
            default,
        } = &op.kind
        else {
            return;
        };
        if cx.state.is_new_column(table, column) {
            return;
        }
        let what = match default {
            Some(d) => format!("setting the default of `{table}`.`{column}` to {}", d.sql),
            None => format!("dropping the default of `{table}`.`{column}`"),
        };
        let change = Change::ChangeColumnDefault {
            table: table.clone(),
            column: column.clone(),
            default: default.as_ref().map(|d| d.sql.clone()),
        };
        let d = if cx.phase == Phase::PostDeploy {
            Diagnostic::new(
                op.span.clone(),
                format!("{what}: running code that caches the old default may write the new one where it meant the old"),
                format!("make sure release M marks the column with `columns_changing_default :{column}` in the model; remove the marker in release M+1"),
            )
            .with_severity(Severity::Info)
        } else {
            Diagnostic::new(
                op.span.clone(),
                format!("{what} before the new code is deployed: running code caches the old default and leaves it out of INSERTs, so rows meant to hold the old value silently get the new one"),
                format!("in release M mark the column with `columns_changing_default :{column}` and change the default in a post-deployment migration; remove the marker in release M+1"),
            )
        };
        out.push(d.with_change(change));
    }
}
