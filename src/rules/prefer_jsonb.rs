use super::{Diagnostic, OpFacts, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports `json` columns.
    ///
    /// ## Why it causes downtime
    /// `json` keeps the text as written and re-parses it on every access; it
    /// has no equality operator, so it cannot be indexed, compared, used in
    /// `DISTINCT` or `UNION`. Switching to `jsonb` later rewrites the table
    /// under an ACCESS EXCLUSIVE lock.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE TABLE events (id bigint PRIMARY KEY, payload json);
    /// ```
    ///
    /// ## Safe alternative
    /// ```sql valid
    /// CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);
    /// ```
    pub struct PreferJsonb {
        id: "prefer-jsonb",
        severity: Info,
        summary: "json column: prefer jsonb",
    }
}

impl Rule for PreferJsonb {
    rule_meta!(facts);

    fn check_op(
        &self,
        _op: &Op,
        facts: &OpFacts<'_>,
        cx: &RuleContext<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        for c in facts.typed_columns() {
            if c.ty.base != "json" {
                continue;
            }
            out.push(Diagnostic::new(
                c.span.clone(),
                format!("`{}`.`{}` is json: it cannot be indexed or compared, and converting it to jsonb later rewrites the table", c.table, c.column),
                format!("declare `{}` as jsonb", c.column),
            ).with_fix(c.def.and_then(|def| super::fix::retype_column(cx, def, "Declare the column jsonb", |t, _| super::fix::binary_json(t)))));
        }
    }
}
