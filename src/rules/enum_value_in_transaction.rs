use super::{Diagnostic, Rule, RuleContext};
use crate::model::{ColumnDef, Constraint, ConstraintKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TYPE ... ADD VALUE` inside a transaction block when the
    /// target is PostgreSQL 11 or older (`--pg-version`), and, on every
    /// version, a later statement of the same transaction that uses the new
    /// label: a string literal equal to it in an UPDATE's SET or WHERE, a
    /// DELETE's WHERE, a default, a CHECK or an index predicate (zerodown does
    /// not see the rows of `INSERT ... VALUES`, nor which column has the
    /// enum's type).
    ///
    /// ## Why it causes downtime
    /// Before PostgreSQL 12, `ADD VALUE` cannot run inside a transaction
    /// block: the migration fails halfway through the deployment, while new
    /// code that writes the value is rolling out. From PostgreSQL 12 it can,
    /// but the new label cannot be used until the transaction commits
    /// (`unsafe use of new value`): the migration fails the same way.
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
    ///
    /// Use a new label only after the transaction that added it committed:
    /// ```sql invalid
    /// BEGIN;
    /// ALTER TYPE issue_state ADD VALUE 'triaged';
    /// ALTER TABLE issues ALTER COLUMN state SET DEFAULT 'triaged';
    /// COMMIT;
    /// ```
    /// ```sql valid
    /// BEGIN;
    /// ALTER TYPE issue_state ADD VALUE 'triaged';
    /// COMMIT;
    /// SET lock_timeout = '1s';
    /// ALTER TABLE issues ALTER COLUMN state SET DEFAULT 'triaged';
    /// ```
    pub struct EnumValueInTransaction {
        id: "enum-value-in-transaction",
        severity: Error,
        summary: "ALTER TYPE ... ADD VALUE inside a transaction before PostgreSQL 12, or its new label used in that transaction",
    }
}

impl Rule for EnumValueInTransaction {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let added = &cx.state.enum_values_in_transaction;
        if !added.is_empty() {
            if let Some((type_name, label)) = added
                .iter()
                .find(|(_, label)| sql_of(op).iter().any(|s| has_literal(s, label)))
            {
                out.push(Diagnostic::new(
                    op.span.clone(),
                    format!("'{label}' was added to `{type_name}` earlier in this transaction: PostgreSQL refuses to use a new enum label before the transaction that added it commits (unsafe use of new value), so the migration fails"),
                    "COMMIT after ADD VALUE (or add the value in its own migration) and use the label after that",
                ));
            }
        }
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

/// The SQL an operation carries where a label could be used.
fn sql_of(op: &Op) -> Vec<&str> {
    fn col(c: &ColumnDef) -> Vec<&str> {
        let mut v: Vec<&str> = c.checks.iter().map(String::as_str).collect();
        v.extend(c.default.as_ref().map(|d| d.sql.as_str()));
        v
    }
    fn check(c: &Constraint) -> Option<&str> {
        match &c.kind {
            ConstraintKind::Check { expr, .. } => Some(expr.as_str()),
            _ => None,
        }
    }
    match &op.kind {
        OpKind::DataChange { set, predicate, .. } => {
            set.iter().chain(predicate).map(String::as_str).collect()
        }
        OpKind::AddColumn { column, .. } => col(column),
        OpKind::ChangeDefault {
            default: Some(d), ..
        } => vec![d.sql.as_str()],
        OpKind::AddConstraint { constraint, .. } => check(constraint).into_iter().collect(),
        OpKind::CreateIndex(ci) => ci.predicate.iter().map(String::as_str).collect(),
        OpKind::CreateTable(ct) => ct
            .columns
            .iter()
            .flat_map(col)
            .chain(ct.constraints.iter().filter_map(check))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `sql` holds the string literal `'label'`.
fn has_literal(sql: &str, label: &str) -> bool {
    let quoted = format!("'{}'", label.replace('\'', "''"));
    sql.match_indices(&quoted).any(|(i, _)| {
        // Not the tail of a longer literal (`'x''label'`).
        !sql[..i].ends_with('\'') && !sql[i + quoted.len()..].starts_with('\'')
    })
}
