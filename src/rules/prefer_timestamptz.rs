use super::{Diagnostic, OpFacts, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports `timestamp` (`timestamp without time zone`) columns.
    ///
    /// ## Why it causes downtime
    /// A `timestamp` stores wall-clock time with no zone: its meaning depends
    /// on the session's time zone, and servers or clients in different zones
    /// read and write different instants. Converting to `timestamptz` later
    /// rewrites the table unless every session runs in UTC.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamp NOT NULL);
    /// ```
    ///
    /// ## Safe alternative
    /// ```sql valid
    /// CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);
    /// ```
    pub struct PreferTimestamptz {
        id: "prefer-timestamptz",
        severity: Warning,
        summary: "timestamp without time zone column: prefer timestamptz",
    }
}

impl Rule for PreferTimestamptz {
    rule_meta!(facts);

    fn check_op(
        &self,
        _op: &Op,
        facts: &OpFacts<'_>,
        cx: &RuleContext<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        for c in facts.typed_columns() {
            if c.ty.base != "timestamp" {
                continue;
            }
            out.push(Diagnostic::new(
                c.span.clone(),
                format!("`{}`.`{}` is {}: its meaning depends on each session's time zone, and converting it to timestamptz later can rewrite the table", c.table, c.column, c.data_type),
                format!("declare `{}` as timestamptz", c.column),
            ).with_fix(c.def.and_then(|def| super::fix::retype_column(cx, def, "Declare the column timestamptz", |t, _| super::fix::with_time_zone(t)))));
        }
    }
}
