use super::{Diagnostic, Rule, RuleContext};
use crate::model::{DynamicKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Reports `DO` blocks and `EXECUTE` of prepared or built strings: code
    /// whose statements zerodown cannot see.
    ///
    /// ## Why it causes downtime
    /// What runs inside is decided when the migration runs. It may take any
    /// lock, rewrite any table or change data, and none of the other rules
    /// can check it.
    ///
    /// ## Example
    /// ```sql invalid
    /// DO $$
    /// BEGIN
    ///   EXECUTE 'ALTER TABLE users ADD COLUMN bio text';
    /// END
    /// $$;
    /// ```
    ///
    /// ## Safe alternative
    /// Write the statements out as plain SQL so they can be checked, or review
    /// the block by hand and record it:
    /// ```sql valid
    /// -- zerodown-ignore dynamic-sql: only grants privileges, reviewed
    /// DO $$ BEGIN EXECUTE 'GRANT SELECT ON users TO reporting'; END $$;
    /// ```
    pub struct DynamicSql {
        id: "dynamic-sql",
        severity: Info,
        summary: "DO blocks and EXECUTE: code that cannot be inspected",
    }
}

impl Rule for DynamicSql {
    rule_meta!();

    fn check(&self, op: &Op, _cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::Dynamic(kind) = &op.kind else {
            return;
        };
        let what = match kind {
            DynamicKind::DoBlock => "a DO block",
            DynamicKind::Execute => "EXECUTE",
            DynamicKind::FunctionBody => "a function body",
        };
        out.push(Diagnostic::new(
            op.span.clone(),
            format!("{what} runs SQL that zerodown cannot inspect: it may take locks or rewrite tables that no rule checks"),
            "write the statements out as plain SQL, or review them by hand and add `-- zerodown-ignore dynamic-sql: reason`",
        ));
    }
}
