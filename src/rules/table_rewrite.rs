use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TABLE ... SET LOGGED`, `SET UNLOGGED` and `SET TABLESPACE`
    /// on an existing table.
    ///
    /// ## Why it causes downtime
    /// Each writes a new copy of the whole table (and, for `SET TABLESPACE`,
    /// moves its files; for `SET LOGGED`, writes all of it to the WAL) while
    /// holding an ACCESS EXCLUSIVE lock: no query can read or write the table
    /// until the copy is done, minutes to hours on a large table.
    ///
    /// ## Example
    /// ```sql invalid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE events SET LOGGED;
    /// ```
    ///
    /// ## Safe alternative
    /// There is no online form. Create the new table the way it should be
    /// (`CREATE TABLE events_new (LIKE events INCLUDING ALL) TABLESPACE fast`,
    /// or without `UNLOGGED`), keep it in sync with a trigger, copy the rows
    /// in batches, then swap the names in a short transaction; or run the
    /// statement in a maintenance window. A new table can be created in its
    /// tablespace or logging mode from the start:
    /// ```sql valid
    /// CREATE TABLE events_archive (id bigint PRIMARY KEY) TABLESPACE archive;
    /// ```
    pub struct TableRewrite {
        id: "table-rewrite",
        severity: Error,
        summary: "SET LOGGED / SET UNLOGGED / SET TABLESPACE rewrites an existing table",
    }
}

impl Rule for TableRewrite {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AlterTableOther { table, action, .. } = &op.kind else {
            return;
        };
        // Which ALTER TABLE actions rewrite is the behaviour table's
        // (`model::postgres`); the rules with their own advice for other
        // rewrites (column types, defaults, VACUUM FULL) report those.
        if !matches!(
            action.as_str(),
            "SET LOGGED" | "SET UNLOGGED" | "SET TABLESPACE"
        ) || cx.is_new_table(table)
            || !cx.rewrites(op)
        {
            return;
        }
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("{action} rewrites all of `{table}` under an ACCESS EXCLUSIVE lock: reads and writes wait until the copy is done"),
            "build a new table the way it should be, sync it with a trigger, copy rows in batches and swap names; or run this in a maintenance window",
        ));
    }
}
