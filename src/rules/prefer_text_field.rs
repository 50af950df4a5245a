use super::{Diagnostic, OpFacts, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports `varchar(n)` (and `char(n)`) columns.
    ///
    /// ## Why it causes downtime
    /// The length limit is a constraint in disguise. Raising it is cheap, but
    /// lowering it, or changing `char(n)`, rewrites the table under an ACCESS
    /// EXCLUSIVE lock, and a limit chosen too small makes valid writes fail in
    /// production. `text` performs the same as `varchar(n)` in PostgreSQL.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE TABLE users (id bigint PRIMARY KEY, name varchar(255));
    /// ```
    ///
    /// ## Safe alternative
    /// Use `text`, with a `CHECK (char_length(...) <= n)` constraint when a
    /// limit is needed: it can be added `NOT VALID` and changed without a
    /// rewrite:
    /// ```sql valid
    /// CREATE TABLE users (id bigint PRIMARY KEY, name text CHECK (char_length(name) <= 255));
    /// ```
    pub struct PreferTextField {
        id: "prefer-text-field",
        severity: Info,
        summary: "varchar(n) column: prefer text with a CHECK constraint",
    }
}

impl Rule for PreferTextField {
    rule_meta!(facts);

    fn check_op(
        &self,
        op: &Op,
        facts: &OpFacts<'_>,
        cx: &RuleContext<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        for c in facts.typed_columns() {
            let t = &c.ty;
            if !matches!(&*t.base, "varchar" | "bpchar") || t.mods.is_empty() {
                continue;
            }
            // A CHECK on a column added to an existing table is validated
            // by a scan (add-check-constraint): only new tables get the fix.
            let new_table =
                matches!(op.kind, crate::model::OpKind::CreateTable(_)) || cx.is_new_table(c.table);
            let fix = c.def.filter(|_| new_table).and_then(|def| {
                super::fix::retype_column(
                    cx,
                    def,
                    "Declare the column text with a CHECK on its length",
                    super::fix::text_with_limit,
                )
            });
            out.push(Diagnostic::new(
                c.span.clone(),
                format!("`{}`.`{}` is {}: changing the limit later (other than raising a varchar limit) rewrites the table under an ACCESS EXCLUSIVE lock", c.table, c.column, c.data_type),
                format!("declare `{}` as text, with a CHECK (char_length({}) <= n) constraint if a limit is needed", c.column, c.column),
            ).with_fix(fix));
        }
    }
}
