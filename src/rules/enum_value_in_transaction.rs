use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TYPE ... ADD VALUE` inside a transaction block when the
    /// target is PostgreSQL 11 or older (`--pg-version`).
    ///
    /// ## Why it causes downtime
    /// Before PostgreSQL 12, `ADD VALUE` cannot run inside a transaction
    /// block: the migration fails halfway through the deployment, while new
    /// code that writes the value is rolling out.
    ///
    /// ## Example
    /// ```sql invalid pg=11
    /// BEGIN;
    /// ALTER TYPE issue_state ADD VALUE 'triaged';
    /// COMMIT;
    /// ```
    ///
    /// ## Safe alternative
    /// Run `ADD VALUE` in its own migration outside a transaction (Rails:
    /// `disable_ddl_transaction!`), or upgrade to PostgreSQL 12 or later:
    /// ```sql valid pg=11
    /// ALTER TYPE issue_state ADD VALUE IF NOT EXISTS 'triaged';
    /// ```
    pub struct EnumValueInTransaction {
        id: "enum-value-in-transaction",
        severity: Error,
        summary: "ALTER TYPE ... ADD VALUE inside a transaction before PostgreSQL 12",
    }
}

impl Rule for EnumValueInTransaction {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AddEnumValue { type_name, .. } = &op.kind else {
            return;
        };
        if !cx.in_transaction() || cx.options.pg_version.add_enum_value_in_transaction() {
            return;
        }
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("ALTER TYPE `{type_name}` ADD VALUE cannot run inside a transaction block on PostgreSQL {}: the migration fails halfway through the deployment", cx.options.pg_version),
            "run ADD VALUE in its own migration outside a transaction (Rails: `disable_ddl_transaction!`)",
        ));
    }
}
