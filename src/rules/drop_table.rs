use super::{Diagnostic, Rule, RuleContext};
use crate::model::Phase;
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `DROP TABLE` in a regular (or background) migration, unless the
    /// table was created earlier in the same file.
    ///
    /// ## Why it causes downtime
    /// A regular migration runs before the new code is deployed, so the
    /// running code may still read and write the table: its queries fail from
    /// the moment of the drop. The drop cannot be rolled back either.
    ///
    /// ## Example
    /// ```sql invalid
    /// DROP TABLE legacy_events;
    /// ```
    ///
    /// ## Safe alternative
    /// Stop using the table in release M; drop it in a post-deployment
    /// migration of a later release, once no running code references it:
    /// ```sql valid
    /// -- zerodown: phase=post-deploy
    /// SET lock_timeout = '1s';
    /// DROP TABLE legacy_events;
    /// ```
    pub struct DropTable {
        id: "drop-table",
        severity: Error,
        summary: "DROP TABLE in a regular migration",
        breaks_running_code: true,
    }
}

impl Rule for DropTable {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::DropTable { tables, .. } = &op.kind else {
            return;
        };
        if cx.phase == Phase::PostDeploy {
            return;
        }
        for table in tables.iter().filter(|t| !cx.is_new_table(t)) {
            out.push(
                Diagnostic::new(
                    op.span.clone(),
                    format!("dropping `{table}` in a {} migration breaks running code that still uses the table, and cannot be rolled back", cx.phase),
                    "remove every use of the table from the code in release M, then drop it in a post-deployment migration in a later release",
                )
                .with_change(Change::DropTable {
                    table: table.clone(),
                }),
            );
        }
    }
}
