use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TABLE ... DISABLE TRIGGER ALL` on an existing table.
    ///
    /// ## Why it causes downtime
    /// `ALL` includes the internal triggers that enforce foreign keys: until
    /// the triggers are enabled again, rows written by the migration and by
    /// the running application are not checked, and orphans stay in the table
    /// for good (enabling the triggers does not re-check them). The statement
    /// also blocks every write to the table while it waits for its lock.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE orders DISABLE TRIGGER ALL;
    /// ```
    ///
    /// ## Safe alternative
    /// Disable only the trigger in the way, by name (or `USER` triggers),
    /// and enable it again in the same transaction; to load data faster, batch
    /// it rather than switching checks off:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE orders DISABLE TRIGGER orders_audit;
    /// ```
    pub struct DisableTrigger {
        id: "disable-trigger",
        severity: Error,
        summary: "ALTER TABLE ... DISABLE TRIGGER ALL: foreign keys go unchecked",
    }
}

impl Rule for DisableTrigger {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AlterTableOther { table, action, .. } = &op.kind else {
            return;
        };
        if action != "DISABLE TRIGGER ALL" || cx.is_new_table(table) {
            return;
        }
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("DISABLE TRIGGER ALL on `{table}` also turns off its foreign key checks: rows written until the triggers are enabled again are never checked, and orphans stay"),
            "disable only the trigger in the way, by name, and enable it again in the same transaction",
        ));
    }
}
