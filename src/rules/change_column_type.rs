use super::util::{type_change_is_free, SqlType};
use super::{Diagnostic, OpFacts, Rule, RuleContext};
use crate::model::Severity;
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER COLUMN ... TYPE` on an existing column, except changes
    /// PostgreSQL makes without rewriting the table: `varchar(n)` to a larger
    /// limit, to `varchar` or to `text`; `text` to `varchar`; `numeric`
    /// precision up at the same scale; `cidr` to `inet`; `timestamp`, `time`
    /// and `interval` precision up; `varbit(n)` to a larger limit; `bit(n)`
    /// to unlimited `varbit`. Each of these, and rewriting changes next to
    /// them, is checked on live PostgreSQL 11 to 18 (`tests/pg_oracle.rs`).
    ///
    /// A domain changed to its base type, and a type changed to a domain over
    /// it without constraints, are no rewrite either, as far as the run's
    /// earlier statements created the domain.
    ///
    /// The column's current type comes from earlier statements and files of
    /// the same run. When it is unknown and the new type could be a widening,
    /// the finding is a warning that says so.
    ///
    /// ## Why it causes downtime
    /// Any other type change rewrites the whole table and rebuilds its
    /// indexes under an ACCESS EXCLUSIVE lock: no query can read or write the
    /// table until the rewrite is done. Old code also keeps writing values of
    /// the old type while the deployment rolls out.
    ///
    /// `timestamp` to `timestamptz` skips the rewrite on PostgreSQL 12 and later
    /// only when the session time zone is UTC, which zerodown cannot see, so it
    /// is flagged.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ALTER COLUMN id TYPE bigint;
    /// ```
    ///
    /// ## Safe alternative
    /// Change the type through a new column:
    /// 1. Release M, regular migration: add a column of the new type and keep
    ///    it in sync with a trigger (`change_column_type_concurrently`); copy
    ///    existing rows in batches (a background migration on large tables).
    /// 2. Release M, post-deployment migration: swap the columns and drop the
    ///    old one (`cleanup_concurrent_column_type_change`).
    ///
    /// The first step adds the new column; nothing is rewritten:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN id_convert_to_bigint bigint;
    /// ```
    pub struct ChangeColumnType {
        id: "change-column-type",
        severity: Error,
        summary: "ALTER COLUMN TYPE that rewrites the table",
    }
}

/// New types that a no-rewrite change can lead to, from some old type.
fn could_be_widening(new: &SqlType) -> bool {
    !new.array
        && matches!(
            &*new.base,
            "varchar"
                | "text"
                | "numeric"
                | "inet"
                | "varbit"
                | "timestamp"
                | "timestamptz"
                | "time"
                | "timetz"
                | "interval"
        )
}

impl Rule for ChangeColumnType {
    rule_meta!(facts);

    fn check_op(
        &self,
        op: &Op,
        facts: &OpFacts<'_>,
        cx: &RuleContext<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let OpKind::AlterColumnType {
            table,
            column,
            new_type,
            using,
        } = &op.kind
        else {
            return;
        };
        // A column added in this file still lives in an old table with rows.
        if cx.is_new_table(table) {
            return;
        }
        let Some(new) = facts.typed_columns().first().map(|c| &c.ty) else {
            return;
        };
        let old_type = cx
            .catalog
            .column(table, column)
            .map(|c| c.data_type.clone());
        let help = format!("add a column of type {new_type} kept in sync by a trigger and backfilled in a regular migration in release M, then swap and drop `{column}` in a post-deployment migration in M (batch the copy in a background migration on large tables)");
        let change = Change::ChangeColumnType {
            table: table.clone(),
            column: column.clone(),
            new_type: new_type.clone(),
            using: using.clone(),
            column_type: old_type.clone(),
        };
        let d = match &old_type {
            Some(old_text) => {
                let old = SqlType::parse(old_text);
                if using.is_none() && type_change_is_free(&old, new, cx.options.pg_version) {
                    return;
                }
                // A domain to its base type relabels the column; the base type
                // to a domain without constraints too (with constraints, each
                // row is checked: a rewrite).
                let base = |d: &str| cx.catalog.domain(d);
                let to_base = base(old_text).is_some_and(|(b, _)| SqlType::parse(b) == *new);
                let to_domain = base(new_type).is_some_and(|(b, constrained)| {
                    !constrained && SqlType::parse(b) == old
                });
                if using.is_none() && (to_base || to_domain) {
                    return;
                }
                let mut message = format!("changing `{table}`.`{column}` from {old_text} to {new_type} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait, and old code keeps writing the old type");
                if old.base == "timestamp" && new.base == "timestamptz" {
                    message.push_str("; from PostgreSQL 12 this change skips the rewrite only when the session time zone is UTC");
                }
                Diagnostic::new(op.span.clone(), message, help)
            }
            None if using.is_none() && could_be_widening(new) => Diagnostic::new(
                op.span.clone(),
                format!("changing `{table}`.`{column}` to {new_type} rewrites the table under an ACCESS EXCLUSIVE lock unless it only widens the current type (larger varchar, text, numeric precision up, ...); zerodown does not know the current type because the column was created outside the linted files"),
                format!("if the change only widens the type, add `-- zerodown-ignore change-column-type: widening` above it; otherwise {help}"),
            )
            .with_severity(Severity::Warning),
            None => Diagnostic::new(
                op.span.clone(),
                format!("changing `{table}`.`{column}` to {new_type} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait, and old code keeps writing the old type (the current type is not known from the linted files)"),
                help,
            ),
        };
        out.push(d.with_change(change));
    }
}
