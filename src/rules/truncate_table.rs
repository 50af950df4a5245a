use super::util::list;
use super::{Diagnostic, Rule, RuleContext};
use crate::model::Severity;
use crate::model::{Name, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `TRUNCATE` of tables that existed before this migration; with
    /// `CASCADE` it is an error.
    ///
    /// ## Why it causes downtime
    /// `TRUNCATE` takes an ACCESS EXCLUSIVE lock and deletes every row at
    /// once, under the running application's feet, with no way back after
    /// commit. `CASCADE` silently empties every table that references these
    /// through a foreign key, too.
    ///
    /// ## Example
    /// ```sql invalid
    /// TRUNCATE audit_events CASCADE;
    /// ```
    ///
    /// ## Safe alternative
    /// Stop the code that uses the data first, then delete in batches in a
    /// post-deployment or background migration, naming each table:
    /// ```sql valid
    /// -- zerodown: phase=post-deploy
    /// DELETE FROM audit_events WHERE created_at < now() - interval '90 days';
    /// ```
    pub struct TruncateTable {
        id: "truncate-table",
        severity: Warning,
        summary: "TRUNCATE of an existing table (CASCADE: error)",
    }
}

impl Rule for TruncateTable {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::Truncate { tables, cascade } = &op.kind else {
            return;
        };
        let old: Vec<Name> = tables
            .iter()
            .filter(|t| !cx.is_new_table(t))
            .cloned()
            .collect();
        if old.is_empty() {
            return;
        }
        if *cascade {
            out.push(
                Diagnostic::new(
                    op.span.clone(),
                    format!("TRUNCATE {} CASCADE also empties every table that references them through a foreign key, under an ACCESS EXCLUSIVE lock, with no way back", list(&old)),
                    "name every table to empty explicitly, without CASCADE, or delete in batches in a post-deployment migration",
                )
                .with_severity(Severity::Error),
            );
        } else {
            out.push(Diagnostic::new(
                op.span.clone(),
                format!("TRUNCATE {} deletes every row under an ACCESS EXCLUSIVE lock while the application may still use the data", list(&old)),
                "stop using the data in the code first, then delete in batches in a post-deployment or background migration",
            ));
        }
    }
}
