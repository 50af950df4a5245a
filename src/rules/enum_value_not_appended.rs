use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TYPE ... ADD VALUE ... BEFORE` / `AFTER`: a new enum
    /// label placed anywhere but at the end.
    ///
    /// ## Why it causes downtime
    /// Enum values sort in declaration order. Inserting one in the middle
    /// changes the results of `ORDER BY`, `<` and `>` on the column for code
    /// already running, and applications that map enum labels to integers by
    /// position (many ORMs do) read the wrong value for every label after it.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TYPE issue_state ADD VALUE 'triaged' BEFORE 'closed';
    /// ```
    ///
    /// ## Safe alternative
    /// Append new values at the end, and order by an explicit column when the
    /// order matters:
    /// ```sql valid
    /// ALTER TYPE issue_state ADD VALUE IF NOT EXISTS 'triaged';
    /// ```
    pub struct EnumValueNotAppended {
        id: "enum-value-not-appended",
        severity: Warning,
        summary: "ALTER TYPE ... ADD VALUE BEFORE/AFTER: new enum value not at the end",
    }
}

impl Rule for EnumValueNotAppended {
    rule_meta!();

    fn check(&self, op: &Op, _cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AddEnumValue {
            type_name,
            value,
            positioned: true,
        } = &op.kind
        else {
            return;
        };
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("adding '{value}' to `{type_name}` with BEFORE/AFTER changes the sort order of existing values for running code, and shifts labels that applications map by position"),
            "append the value at the end (no BEFORE/AFTER) and sort by an explicit column where order matters",
        ));
    }
}
