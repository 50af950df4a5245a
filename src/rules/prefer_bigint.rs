use super::{Diagnostic, OpFacts, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports `integer`, `smallint`, `serial` and `smallserial` columns that
    /// are not the primary key (`integer-primary-key` covers those). Foreign
    /// keys and counters are the usual victims.
    ///
    /// ## Why it causes downtime
    /// A column that references a bigint key, or counts something that grows,
    /// overflows at about 2.1 billion (smallint: 32,767) and every write that
    /// crosses the limit fails. Widening it later rewrites the table, or takes
    /// a multi-release column swap.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE TABLE notes (id bigint PRIMARY KEY, project_id integer);
    /// ```
    ///
    /// ## Safe alternative
    /// Use `bigint`; the extra four bytes rarely matter:
    /// ```sql valid
    /// CREATE TABLE notes (id bigint PRIMARY KEY, project_id bigint);
    /// ```
    pub struct PreferBigint {
        id: "prefer-bigint",
        severity: Info,
        summary: "integer / smallint / serial column: prefer bigint",
    }
}

impl Rule for PreferBigint {
    rule_meta!(facts);

    fn check_op(
        &self,
        _op: &Op,
        facts: &OpFacts<'_>,
        cx: &RuleContext<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        for c in facts.typed_columns() {
            if c.primary_key || !c.ty.is_small_integer() {
                continue;
            }
            out.push(Diagnostic::new(
                c.span.clone(),
                format!("`{}`.`{}` is {}: it overflows at about 2.1 billion (smallint: 32,767), and widening it later rewrites the table", c.table, c.column, c.data_type),
                format!("declare `{}` as bigint", c.column),
            ).with_fix(c.def.and_then(|def| super::fix::retype_column(cx, def, "Declare the column bigint", |t, _| super::fix::widened_integer(t)))));
        }
    }
}
