use super::{Diagnostic, Rule, RuleContext};
use crate::model::Phase;
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ADD COLUMN` and `CREATE TABLE` in a post-deployment migration.
    ///
    /// ## Why it causes downtime
    /// Post-deployment migrations run after the new code is live. Code that
    /// needs the new column or table fails until the migration has run, and
    /// on installations that run post-deployment migrations later (or skip
    /// them during an upgrade), it fails for much longer.
    ///
    /// ## Example
    /// ```sql invalid
    /// -- zerodown: phase=post-deploy
    /// ALTER TABLE users ADD COLUMN bio text;
    /// ```
    ///
    /// ## Safe alternative
    /// Add columns and tables in a regular migration, which runs before the
    /// new code is deployed:
    /// ```sql valid
    /// -- zerodown: phase=regular
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN bio text;
    /// ```
    pub struct SchemaAdditionInPostDeploy {
        id: "schema-addition-in-post-deploy",
        severity: Warning,
        summary: "ADD COLUMN / CREATE TABLE in a post-deploy migration",
    }
}

impl Rule for SchemaAdditionInPostDeploy {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.phase != Phase::PostDeploy {
            return;
        }
        let what = match &op.kind {
            OpKind::AddColumn { table, column } if !cx.is_new_table(table) => {
                format!("adding `{table}`.`{}`", column.name)
            }
            OpKind::CreateTable(ct) => format!("creating `{}`", ct.table),
            _ => return,
        };
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("{what} in a post-deployment migration: the new code is already live and fails wherever it needs this until the migration has run"),
            "move schema additions to a regular migration (db/migrate), which runs before the new code is deployed",
        ));
    }
}
