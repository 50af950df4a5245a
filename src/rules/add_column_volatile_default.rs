use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Change, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ADD COLUMN` on an existing table when the column needs a value
    /// computed per row: a volatile default (`random()`, `gen_random_uuid()`,
    /// `clock_timestamp()`, `nextval(...)`, ...), a `serial` or identity
    /// column, or a `GENERATED ... STORED` column. Before PostgreSQL 11 it
    /// flags any default.
    ///
    /// ## Why it causes downtime
    /// PostgreSQL 11 and later store a constant default in the catalog and add
    /// the column instantly. A value computed per row cannot be stored that
    /// way: the whole table is rewritten under an ACCESS EXCLUSIVE lock, and
    /// no query can read or write it until the rewrite is done.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
    /// ```
    ///
    /// ## Safe alternative
    /// Add the column without a default, set the default for new rows, and
    /// backfill existing rows in batches (a post-deployment or background
    /// migration):
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN token uuid;
    /// ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
    /// ```
    pub struct AddColumnVolatileDefault {
        id: "add-column-volatile-default",
        severity: Error,
        summary: "ADD COLUMN that rewrites the table (volatile default, serial, identity, stored generated; any default before PG 11)",
    }
}

impl Rule for AddColumnVolatileDefault {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AddColumn { table, column } = &op.kind else {
            return;
        };
        // Whether it rewrites, on this version, is the behaviour table's.
        if cx.is_new_table(table) || !cx.rewrites(op) {
            return;
        }
        let name = &column.name;
        let why = if column.generated {
            "a STORED generated column".to_string()
        } else if column.identity {
            format!(
                "a {} column, filled from a sequence row by row",
                column.data_type
            )
        } else if let Some(d) = column.default.as_ref().filter(|d| d.volatile) {
            format!("the volatile default {}", d.sql)
        } else if let Some(d) = column.default.as_ref().filter(|d| !d.is_null()) {
            format!(
                "the default {} on PostgreSQL {} (before 11 every default rewrites the table)",
                d.sql, cx.options.pg_version
            )
        } else {
            return;
        };
        let message = format!("adding `{table}`.`{name}` with {why} rewrites the whole table under an ACCESS EXCLUSIVE lock: reads and writes wait until it is done");
        let mut d = Diagnostic::new(
            op.span.clone(),
            message,
            format!("add `{name}` without a default, set the default for new rows with ALTER COLUMN ... SET DEFAULT, and backfill existing rows in batches in a post-deployment or background migration"),
        );
        if let Some(def) = &column.default {
            d = d.with_change(Change::Backfill {
                table: table.clone(),
                set: format!("{name} = {}", def.sql),
                predicate: Some(format!("{name} IS NULL")),
                batch_size: None,
            });
        }
        out.push(d);
    }
}
