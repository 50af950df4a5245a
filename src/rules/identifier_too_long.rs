use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind};

/// PostgreSQL's NAMEDATALEN - 1.
const MAX_IDENTIFIER_BYTES: usize = 63;

declare_rule! {
    /// ## What it does
    /// Reports table, column, index and constraint names longer than 63 bytes.
    ///
    /// ## Why it causes downtime
    /// PostgreSQL silently truncates longer identifiers to 63 bytes. Two long
    /// names sharing a prefix then collide, and code, schema dumps or later
    /// migrations that compare the full name no longer find the object, so a
    /// rollback or the next migration fails.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE INDEX CONCURRENTLY index_merge_request_diff_commits_on_merge_request_diff_id_and_sha ON merge_request_diff_commits (merge_request_diff_id, sha);
    /// ```
    ///
    /// ## Safe alternative
    /// Choose a name of at most 63 bytes:
    /// ```sql valid
    /// CREATE INDEX CONCURRENTLY index_mr_diff_commits_on_mr_diff_id_and_sha ON merge_request_diff_commits (merge_request_diff_id, sha);
    /// ```
    pub struct IdentifierTooLong {
        id: "identifier-too-long",
        severity: Warning,
        summary: "Identifier longer than 63 bytes, silently truncated",
    }
}

impl Rule for IdentifierTooLong {
    rule_meta!();

    fn check(&self, op: &Op, _cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut check = |what: &str, name: &str| {
            if name.len() <= MAX_IDENTIFIER_BYTES {
                return;
            }
            let mut cut = MAX_IDENTIFIER_BYTES;
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push(Diagnostic::new(
                op.span.clone(),
                format!("the {what} name `{name}` is {} bytes; PostgreSQL silently truncates it to `{}`, so code and later migrations that use the full name miss it", name.len(), &name[..cut]),
                format!("choose a {what} name of at most {MAX_IDENTIFIER_BYTES} bytes"),
            ));
        };
        match &op.kind {
            OpKind::CreateTable(ct) => {
                check("table", &ct.table.name);
                for c in &ct.columns {
                    check("column", &c.name);
                }
                for n in ct.constraints.iter().filter_map(|c| c.name.as_deref()) {
                    check("constraint", n);
                }
            }
            OpKind::AddColumn { column, .. } => check("column", &column.name),
            OpKind::RenameColumn { new_name, .. } => check("column", new_name),
            OpKind::RenameTable { new_name, .. } => check("table", new_name),
            OpKind::CreateIndex(ci) => {
                if let Some(n) = &ci.name {
                    check("index", &n.name);
                }
            }
            OpKind::AddConstraint { constraint, .. } => {
                if let Some(n) = &constraint.name {
                    check("constraint", n);
                }
            }
            _ => {}
        }
    }
}
